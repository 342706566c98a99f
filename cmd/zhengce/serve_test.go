package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// service is the real binary serving on a free loopback port.
type service struct {
	cmd  *exec.Cmd
	base string
	done chan error
}

var servingAt = regexp.MustCompile(`正在服务 (https?://127\.0\.0\.1:\d+)`)

// startService starts zhengce serve and waits until it listens (its first
// line names the address).
func startService(t *testing.T, args ...string) *service {
	t.Helper()
	cmd := exec.Command(testBinary, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &service{cmd: cmd, done: make(chan error, 1)}
	lines := bufio.NewScanner(stderr)
	if lines.Scan() {
		if m := servingAt.FindStringSubmatch(lines.Text()); m != nil {
			s.base = m[1]
		}
	}
	if s.base == "" {
		cmd.Process.Kill()
		t.Fatalf("the service did not start: %q", lines.Text())
	}
	go func() { io.Copy(io.Discard, stderr) }()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	return s
}

func (s *service) post(path, body, token string) (int, map[string]any, error) {
	req, _ := http.NewRequest("POST", s.base+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return roundTrip(req)
}

func (s *service) get(path, token string) (int, map[string]any, error) {
	req, _ := http.NewRequest("GET", s.base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return roundTrip(req)
}

func roundTrip(req *http.Request) (int, map[string]any, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var body map[string]any
	err = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body, err
}

// servedFolder is a folder with the quickstart policy, a decision log path
// and a token file.
func servedFolder(t *testing.T) (policies, logPath, tokenFile string) {
	dir := t.TempDir()
	policies = filepath.Join(dir, "policies")
	os.Mkdir(policies, 0o755)
	src, err := os.ReadFile("../../examples/quickstart/研发投入补助.zc")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(policies, "研发投入补助.zc"), src, 0o644)
	tokenFile = filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("e2e-token\n"), 0o600)
	return policies, filepath.Join(dir, "decisions.db"), tokenFile
}

// e2eRec is e2eRecord of the enterprise code.
func e2eRec(code string) string { return strings.Replace(e2eRecord, "CODE", code, 1) }

// 增量 2,345,678元 × 10% = 234,567.8元 (under 200万).
const e2eRecord = `{"规上工业企业": true, "研发投入": "12345678", "上年研发投入": "10000000", "主营业务收入": "100000000", "承诺年均增长率": "30%", "统一社会信用代码": "CODE"}`

// TestServeKill9KeepsAcknowledgedDecisions: decisions are posted from four
// clients; the service is killed with SIGKILL mid-load; restarted on the
// same log, it has every decision it acknowledged.
func TestServeKill9KeepsAcknowledgedDecisions(t *testing.T) {
	policies, logPath, tokenFile := servedFolder(t)
	args := []string{"--policies", policies, "--log", logPath, "--token-file", tokenFile}
	svc := startService(t, args...)
	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := `{"policy": "研发投入补助", "as_of": "2025-07-01", "decision": true, "enterprise": "统一社会信用代码", "record": ` + e2eRec(fmt.Sprintf("W%d-%d", w, i)) + `}`
				status, resp, err := svc.post("/v1/evaluate", body, "e2e-token")
				if err != nil || status != 200 {
					return // killed
				}
				id, _ := pick(resp, "results", 0, "decision").(string)
				if id == "" || pick(resp, "results", 0, "total") != "234567.8" {
					t.Errorf("answer without a decision id or the right amount: %v", resp)
					return
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
			}
		}(w)
	}
	// kill once some decisions are acknowledged, while others are in flight
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 40 || time.Now().After(deadline) {
			break
		}
	}
	svc.cmd.Process.Signal(syscall.SIGKILL)
	<-svc.done
	close(stop)
	wg.Wait()
	if len(acked) < 40 {
		t.Fatalf("only %d decisions acknowledged before the kill", len(acked))
	}
	again := startService(t, args...)
	for _, id := range acked {
		status, resp, err := again.get("/v1/decisions/"+id, "e2e-token")
		if err != nil || status != 200 || pick(resp, "decision", "total") != "234567.8" {
			t.Errorf("acknowledged decision %s: status %d %v %v", id, status, resp, err)
		}
	}
	// zhengce log and zhengce replay read the same log
	out, err := exec.Command(testBinary, "replay", "--log", logPath, acked[0]).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "一致") {
		t.Errorf("replay: %v\n%s", err, out)
	}
	out, err = exec.Command(testBinary, "log", "--log", logPath, "--enterprise", "W0-0", "--format", "json").CombinedOutput()
	var listed []map[string]any
	if err != nil || json.Unmarshal(out, &listed) != nil || len(listed) != 1 || listed[0]["enterprise"] != "W0-0" {
		t.Errorf("log --enterprise W0-0: %v\n%s", err, out)
	}
}

// TestServeReloadAndShutdown: SIGHUP reloads the folder (a broken change
// keeps the old revision serving); SIGTERM lets a request in flight finish
// and exits 0.
func TestServeReloadAndShutdown(t *testing.T) {
	policies, _, _ := servedFolder(t)
	svc := startService(t, "--policies", policies)
	eval := `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": ` + e2eRec("A") + `}`
	_, first, _ := svc.post("/v1/evaluate", eval, "")
	path := filepath.Join(policies, "研发投入补助.zc")
	src, _ := os.ReadFile(path)
	os.WriteFile(path, append(src, "\n规则 坏\n  补助 = 没有这个\n结束\n"...), 0o644)
	svc.cmd.Process.Signal(syscall.SIGHUP)
	var info map[string]any
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, info, _ = svc.get("/v1/policies/研发投入补助", ""); info["problem"] != nil {
			break
		}
	}
	if info["problem"] == nil || info["revision"] != first["revision"] {
		t.Errorf("after a broken change and SIGHUP: %v (first revision %v)", info, first["revision"])
	}
	status, resp, _ := svc.post("/v1/evaluate", eval, "")
	if status != 200 || pick(resp, "results", 0, "total") != "234567.8" {
		t.Errorf("the old revision stopped serving: %d %v", status, resp)
	}
	// a batch in flight when SIGTERM comes still gets its answer
	batch := `{"policy": "研发投入补助", "as_of": "2025-07-01", "records": [` + strings.Repeat(e2eRec("B")+",", 4999) + e2eRec("B") + `]}`
	answered := make(chan int, 1)
	go func() {
		status, _, _ := svc.post("/v1/evaluate", batch, "")
		answered <- status
	}()
	time.Sleep(50 * time.Millisecond)
	svc.cmd.Process.Signal(syscall.SIGTERM)
	if status := <-answered; status != 200 && status != 503 {
		t.Errorf("the request in flight got %d", status)
	}
	select {
	case err := <-svc.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the service did not stop after SIGTERM")
	}
}

// pick follows keys and indexes through decoded JSON.
func pick(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// TestRunLog: run --log records each row as a decision of the same
// revision the service would name; log lists them in the order of the
// data; replay finds each the same.
func TestRunLog(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "d.db")
	out, err := exec.Command(testBinary, "run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv",
		"--id", "企业名称", "--as-of", "2025-07-01", "--log", dbPath, "--format", "csv").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err = exec.Command(testBinary, "log", "--log", dbPath, "--format", "json").Output()
	var ds []map[string]any
	if err != nil || json.Unmarshal(out, &ds) != nil || len(ds) != 7 {
		t.Fatalf("log: %v %s", err, out)
	}
	// the first two rows of the sample: 鲁南机床 增量3000万元 ×10% = 300万, capped at 200万;
	// 枣庄新材料 增量400万元 × 10% = 40万
	got := [][2]any{{ds[0]["enterprise"], ds[0]["total"]}, {ds[1]["enterprise"], ds[1]["total"]}}
	if want := [][2]any{{"鲁南机床", "2000000"}, {"枣庄新材料", "400000"}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decisions %v, want %v", got, want)
	}
	for _, d := range ds {
		if out, err := exec.Command(testBinary, "replay", "--log", dbPath, d["id"].(string)).CombinedOutput(); err != nil || !strings.Contains(string(out), "一致") {
			t.Errorf("replay %s: %v\n%s", d["id"], err, out)
		}
	}
	if out, err := exec.Command(testBinary, "run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv",
		"--log", dbPath, "--set", "补助比例=20%").CombinedOutput(); err == nil || !strings.Contains(string(out), "--set") {
		t.Errorf("--log with --set: %v\n%s", err, out)
	}
}

// TestServeTLS: with --tls-cert and --tls-key the service answers HTTPS
// to a client that trusts the certificate, and plain HTTP gets no answer.
func TestServeTLS(t *testing.T) {
	policies, _, _ := servedFolder(t)
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "zhengce test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	svc := startService(t, "--policies", policies, "--tls-cert", certPath, "--tls-key", keyPath)
	if !strings.HasPrefix(svc.base, "https://") {
		t.Fatalf("serving at %s, want https", svc.base)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 10 * time.Second}
	resp, err := client.Get(svc.base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HTTPS: %v %v", resp, err)
	}
	resp.Body.Close()
	plain := &http.Client{Timeout: 5 * time.Second}
	if resp, err := plain.Get(strings.Replace(svc.base, "https://", "http://", 1) + "/healthz"); err == nil && resp.StatusCode == 200 {
		t.Errorf("plain HTTP was answered on the HTTPS port")
	}
}

// TestServeEveryEndpoint: the real binary answers every route of the
// service and refuses with each status a client can provoke from outside.
func TestServeEveryEndpoint(t *testing.T) {
	policies, logPath, tokenFile := servedFolder(t)
	svc := startService(t, "--policies", policies, "--log", logPath, "--token-file", tokenFile, "--max-body", "100000", "--max-records", "10000")
	rec := e2eRec("A")
	_, decided, _ := svc.post("/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "decision": true, "record": `+rec+`}`, "e2e-token")
	id, _ := pick(decided, "results", 0, "decision").(string)
	type call struct{ method, path, body, token string }
	for _, tt := range []struct {
		call
		status int
	}{
		{call{"GET", "/healthz", "", ""}, 200},
		{call{"GET", "/metrics", "", ""}, 200},
		{call{"GET", "/openapi.json", "", ""}, 200},
		{call{"GET", "/v1/policies", "", ""}, 200},
		{call{"GET", "/v1/policies/研发投入补助", "", ""}, 200},
		{call{"GET", "/v1/policies/研发投入补助/schema", "", ""}, 200},
		{call{"POST", "/v1/evaluate", `{"policy": "研发投入补助", "record": ` + rec + `}`, ""}, 200},
		{call{"POST", "/v1/explain", `{"policy": "研发投入补助", "record": ` + rec + `}`, ""}, 200},
		{call{"POST", "/v1/match", `{"record": ` + rec + `}`, ""}, 200},
		{call{"POST", "/v1/compare", `{"policy": "研发投入补助", "set": {"补助比例": "15%"}, "records": [` + rec + `]}`, ""}, 200},
		{call{"GET", "/v1/decisions", "", "e2e-token"}, 200},
		{call{"GET", "/v1/decisions/" + id, "", "e2e-token"}, 200},
		{call{"POST", "/v1/reload", "", "e2e-token"}, 200},
		{call{"POST", "/v1/evaluate", `{"policy": `, ""}, 400},
		{call{"GET", "/v1/decisions", "", "wrong"}, 401},
		{call{"GET", "/v1/policies/没有", "", ""}, 404},
		{call{"POST", "/v1/evaluate", `{"policy": "研发投入补助", "record": {"备注": "` + strings.Repeat("x", 100001) + `"}}`, ""}, 413},
		{call{"POST", "/v1/compare", `{"policy": "研发投入补助", "set": {"没有的参数": "1"}, "records": [` + rec + `]}`, ""}, 422},
	} {
		req, _ := http.NewRequest(tt.method, svc.base+tt.path, strings.NewReader(tt.body))
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
		}
	}
	// without a token configured, decisions are forbidden; without a log,
	// a decision cannot stand (503); with a timeout of a nanosecond every
	// evaluation times out (504)
	bare := startService(t, "--policies", policies, "--timeout", "1ns")
	for _, tt := range []struct {
		call
		status int
	}{
		{call{"GET", "/v1/decisions", "", "any"}, 403},
		{call{"POST", "/v1/evaluate", `{"policy": "研发投入补助", "decision": true, "record": ` + rec + `}`, ""}, 503},
		{call{"POST", "/v1/evaluate", `{"policy": "研发投入补助", "record": ` + rec + `}`, ""}, 504},
	} {
		var status int
		if tt.method == "GET" {
			status, _, _ = bare.get(tt.path, tt.token)
		} else {
			status, _, _ = bare.post(tt.path, tt.body, tt.token)
		}
		if status != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, status, tt.status)
		}
	}
}
