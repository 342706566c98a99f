package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/zhengce/zhengce/decisionlog"
)

const token = "t0ken-for-tests"

// quickstart is examples/quickstart's policy: 枣庄 第3条, 研发投入增量的10%
// 最高200万元.
func quickstart(t *testing.T) []byte {
	src, err := os.ReadFile("../examples/quickstart/研发投入补助.zc")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// newTestServer serves a folder holding the quickstart policy and one that
// does not compile, with a decision log and the test token.
func newTestServer(t *testing.T, tweak func(*Config)) (*Server, *httptest.Server, string) {
	t.Helper()
	dir := t.TempDir()
	pol := filepath.Join(dir, "policies")
	os.Mkdir(pol, 0o755)
	os.WriteFile(filepath.Join(pol, "研发投入补助.zc"), quickstart(t), 0o644)
	os.WriteFile(filepath.Join(pol, "坏.zc"), []byte("规则 甲\n  补助 = 不存在的输入\n结束\n"), 0o644)
	dl, err := decisionlog.Open(filepath.Join(dir, "decisions.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dl.Close() })
	cfg := Config{Dir: pol, Token: token, OpenEvaluation: true, Log: dl, MaxRecords: 5, MaxBody: 64 << 10, CORSOrigins: []string{"https://portal.example"},
		Logger: log.New(io.Discard, "", 0)}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts, pol
}

// 研发投入 12,345,678 − 上年 10,000,000 = 增量 2,345,678元; 占比 12.3% > 3.5%;
// 10% = 234,567.8元, under 200万.
const goodRecord = `{"规上工业企业": true, "研发投入": "12345678", "上年研发投入": 10000000, "主营业务收入": 100000000, "承诺年均增长率": "30%"}`

// 占比 3,000,000 / 100,000,000 = 3%, not above 3.5%: 不适用.
const shortRecord = `{"规上工业企业": true, "研发投入": 3000000, "上年研发投入": 1000000, "主营业务收入": 100000000, "承诺年均增长率": "30%"}`

type exchange struct {
	status int
	body   map[string]any
	header http.Header
	raw    []byte
}

func do(t *testing.T, ts *httptest.Server, method, path, body string, hdr map[string]string) exchange {
	t.Helper()
	req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	ex := exchange{status: resp.StatusCode, header: resp.Header, raw: raw}
	json.Unmarshal(raw, &ex.body)
	return ex
}

// pick follows a path of keys and indexes through decoded JSON.
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

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func TestEndpoints(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	big := `{"policy": "研发投入补助", "record": {"备注": "` + strings.Repeat("x", 70<<10) + `"}}`
	many := `{"policy": "研发投入补助", "records": [` + strings.Repeat(goodRecord+",", 5) + goodRecord + `]}`
	for _, tt := range []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		// want: a path into the answer and the value there
		at   []any
		want any
	}{
		{"health", "GET", "/healthz", "", nil, 200, []any{"broken"}, 1.0},
		{"the broken policy is listed, not serving", "GET", "/v1/policies", "", nil, 200, []any{"policies", 0, "serving"}, false},
		{"the served policy, with its department", "GET", "/v1/policies/研发投入补助", "", nil, 200, []any{"department"}, "枣庄市人民政府办公室"},
		{"evaluate one record: exact amount", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": ` + goodRecord + `}`, nil, 200, []any{"results", 0, "total"}, "234567.8"},
		{"a bad record in a batch has its own error", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "records": [` + goodRecord + `, [1], ` + shortRecord + `]}`, nil, 200, []any{"results", 1, "error", "message"}, "不是 JSON 对象，而是列表"},
		{"and the others are evaluated", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "records": [` + goodRecord + `, [1], ` + shortRecord + `]}`, nil, 200, []any{"results", 2, "rules", 0, "reason_kind"}, "condition"},
		{"explain gives the steps", "POST", "/v1/explain", `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": ` + goodRecord + `}`, nil, 200, []any{"results", 0, "rules", 0, "explanation", "inputs", 0, "name"}, "规上工业企业"},
		{"match: amount paid", "POST", "/v1/match", `{"as_of": "2025-07-01", "policies": ["研发投入补助"], "record": ` + goodRecord + `}`, nil, 200, []any{"results", 0, "qualified", 0, "amount"}, "234567.8"},
		// 10% → 20%: 2,345,678 × 20% = 469,135.6元; change +234,567.8
		{"compare a higher rate", "POST", "/v1/compare", `{"policy": "研发投入补助", "as_of": "2025-07-01", "set": {"补助比例": "20%"}, "records": [` + goodRecord + `, ` + shortRecord + `]}`, nil, 200, []any{"comparison", "total", "change"}, "234567.8"},
		{"compare: a parameter that does not exist", "POST", "/v1/compare", `{"policy": "研发投入补助", "set": {"不存在": "1"}, "records": [` + goodRecord + `]}`, nil, 422, []any{"error", "code"}, "reform_invalid"},
		{"unknown policy", "POST", "/v1/evaluate", `{"policy": "没有", "record": {}}`, nil, 404, []any{"error", "code"}, "not_found"},
		{"broken policy", "POST", "/v1/evaluate", `{"policy": "坏", "record": {}}`, nil, 422, []any{"error", "code"}, "policy_broken"},
		{"not JSON", "POST", "/v1/evaluate", `{"policy": `, nil, 400, []any{"error", "code"}, "bad_request"},
		{"an unknown field", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "recrod": {}}`, nil, 400, []any{"error", "code"}, "bad_request"},
		{"no records", "POST", "/v1/evaluate", `{"policy": "研发投入补助"}`, nil, 400, []any{"error", "code"}, "bad_request"},
		{"a bad date", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-02-30", "record": {}}`, nil, 400, []any{"error", "code"}, "bad_request"},
		{"too many records", "POST", "/v1/evaluate", many, nil, 413, []any{"error", "code"}, "too_many_records"},
		{"too large a body", "POST", "/v1/evaluate", big, nil, 413, []any{"error", "code"}, "too_large"},
		{"a decision without the token", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "decision": true, "record": ` + goodRecord + `}`, nil, 401, []any{"error", "code"}, "unauthorized"},
		{"a decision with a wrong token", "POST", "/v1/evaluate", `{"policy": "研发投入补助", "decision": true, "record": ` + goodRecord + `}`, bearer("wrong"), 401, []any{"error", "message"}, "令牌不对"},
		{"decisions without the token", "GET", "/v1/decisions", "", nil, 401, []any{"error", "code"}, "unauthorized"},
		{"reload with a wrong token", "POST", "/v1/reload", "", bearer(token + "x"), 401, []any{"error", "code"}, "unauthorized"},
		{"reload with the token", "POST", "/v1/reload", "", bearer(token), 200, []any{"policies"}, 2.0},
		{"no such decision", "GET", "/v1/decisions/nope", "", bearer(token), 404, []any{"error", "code"}, "not_found"},
		{"no such endpoint", "GET", "/v2/x", "", nil, 404, []any{"error", "code"}, "not_found"},
		{"in English", "POST", "/v1/evaluate?lang=en", `{"policy": "没有", "record": {}}`, nil, 404, []any{"error", "message"}, `no policy "没有" (see GET /v1/policies)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ex := do(t, ts, tt.method, tt.path, tt.body, tt.hdr)
			if ex.status != tt.status {
				t.Fatalf("status %d, want %d: %s", ex.status, tt.status, ex.raw)
			}
			got := pick(ex.body, tt.at...)
			if s, ok := got.(string); ok && strings.HasSuffix(tt.path, "/v1/evaluate") && tt.at[len(tt.at)-1] == "message" {
				if want := tt.want.(string); !strings.Contains(s, want) {
					t.Errorf("%v = %q, want it to hold %q", tt.at, s, want)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%v (-want +got):\n%s\n%s", tt.at, diff, ex.raw)
			}
		})
	}
}

// TestDecisions: a decision made with the token is in the log, with the
// revision that answered (header and body agree), and is returned by id
// and by enterprise.
func TestDecisions(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	ex := do(t, ts, "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "decision": true, "id": "名称", "records": [`+strings.Replace(goodRecord, "{", `{"名称": "甲", `, 1)+`]}`, bearer(token))
	if ex.status != 200 {
		t.Fatalf("%d %s", ex.status, ex.raw)
	}
	rev := pick(ex.body, "revision")
	if h := ex.header.Get("X-Zhengce-Revision"); h != rev || len(h) != 64 {
		t.Errorf("header revision %q, body %v", h, rev)
	}
	id, _ := pick(ex.body, "results", 0, "decision").(string)
	if id == "" {
		t.Fatalf("no decision id: %s", ex.raw)
	}
	got := do(t, ts, "GET", "/v1/decisions/"+id, "", bearer(token))
	want := map[string]any{"policy": "研发投入补助", "revision": rev, "as_of": "2025-07-01", "total": "234567.8"}
	d, _ := pick(got.body, "decision").(map[string]any)
	for k, v := range want {
		if d[k] != v {
			t.Errorf("decision %s = %v, want %v", k, d[k], v)
		}
	}
	// numbers in the stored inputs keep their text
	if v := pick(d, "inputs", "研发投入"); v != "12345678" {
		t.Errorf("stored input 研发投入 = %v, want \"12345678\"", v)
	}
	list := do(t, ts, "GET", "/v1/decisions?policy=研发投入补助", "", bearer(token))
	if n := len(pick(list.body, "decisions").([]any)); n != 1 {
		t.Errorf("listed %d decisions, want 1", n)
	}
}

// TestReloadKeepsServing: a policy changed so that it no longer compiles
// keeps its last revision, reported; fixed, it serves the new one.
func TestReloadKeepsServing(t *testing.T) {
	s, ts, dir := newTestServer(t, nil)
	first := pick(do(t, ts, "GET", "/v1/policies/研发投入补助", "", nil).body, "revision")
	path := filepath.Join(dir, "研发投入补助.zc")
	os.WriteFile(path, append(quickstart(t), []byte("\n规则 乙\n  补助 = 不存在\n结束\n")...), 0o644)
	if problems, err := s.Reload(); err != nil || len(problems) != 2 {
		t.Fatalf("problems %v, err %v; want the two broken policies", problems, err)
	}
	info := do(t, ts, "GET", "/v1/policies/研发投入补助", "", nil).body
	if info["revision"] != first || info["serving"] != true || !strings.Contains(info["problem"].(string), "不存在") {
		t.Errorf("after a broken change: %v", info)
	}
	ex := do(t, ts, "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": `+goodRecord+`}`, nil)
	if pick(ex.body, "results", 0, "total") != "234567.8" || ex.header.Get("X-Zhengce-Revision") != first {
		t.Errorf("the old revision no longer answers: %s", ex.raw)
	}
	// 补助比例 20%: 2,345,678 × 20% = 469,135.6元
	os.WriteFile(path, bytes.Replace(quickstart(t), []byte("参数 补助比例 = 10%"), []byte("参数 补助比例 = 20%"), 1), 0o644)
	s.Reload()
	ex = do(t, ts, "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": `+goodRecord+`}`, nil)
	if pick(ex.body, "results", 0, "total") != "469135.6" || ex.header.Get("X-Zhengce-Revision") == first {
		t.Errorf("the new revision does not answer: %s", ex.raw)
	}
}

// TestRefusals: busy, shutting down, timed out, evaluation needing the
// token off loopback; each a JSON error with its status.
func TestRefusals(t *testing.T) {
	body := `{"policy": "研发投入补助", "record": ` + goodRecord + `}`
	t.Run("busy", func(t *testing.T) {
		s, ts, _ := newTestServer(t, func(c *Config) { c.MaxConcurrent = 1 })
		s.slots <- struct{}{} // an evaluation in flight
		ex := do(t, ts, "POST", "/v1/evaluate", body, nil)
		<-s.slots
		if ex.status != 429 || ex.header.Get("Retry-After") == "" {
			t.Errorf("%d %s", ex.status, ex.raw)
		}
	})
	t.Run("shutting down", func(t *testing.T) {
		s, ts, _ := newTestServer(t, nil)
		s.Closing()
		if ex := do(t, ts, "POST", "/v1/evaluate", body, nil); ex.status != 503 {
			t.Errorf("%d %s", ex.status, ex.raw)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		_, ts, _ := newTestServer(t, func(c *Config) { c.Timeout = 1 })
		if ex := do(t, ts, "POST", "/v1/evaluate", body, nil); ex.status != 504 {
			t.Errorf("%d %s", ex.status, ex.raw)
		}
	})
	t.Run("evaluation beyond loopback needs the token", func(t *testing.T) {
		_, ts, _ := newTestServer(t, func(c *Config) { c.OpenEvaluation = false })
		if ex := do(t, ts, "POST", "/v1/evaluate", body, nil); ex.status != 401 {
			t.Errorf("without: %d %s", ex.status, ex.raw)
		}
		if ex := do(t, ts, "POST", "/v1/evaluate", body, bearer(token)); ex.status != 200 {
			t.Errorf("with: %d %s", ex.status, ex.raw)
		}
	})
	t.Run("no token configured", func(t *testing.T) {
		_, ts, _ := newTestServer(t, func(c *Config) { c.Token = "" })
		if ex := do(t, ts, "GET", "/v1/decisions", "", bearer("")); ex.status != 403 {
			t.Errorf("%d %s", ex.status, ex.raw)
		}
	})
}

// TestCORS: a listed origin is answered, another is not.
func TestCORS(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	for origin, want := range map[string]string{"https://portal.example": "https://portal.example", "https://evil.example": ""} {
		ex := do(t, ts, "GET", "/healthz", "", map[string]string{"Origin": origin})
		if got := ex.header.Get("Access-Control-Allow-Origin"); got != want {
			t.Errorf("origin %s: allowed %q, want %q", origin, got, want)
		}
	}
}

// TestEnglishHasNoChinese: refusals in English carry no Chinese but the
// caller's own words.
func TestEnglishHasNoChinese(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	for _, body := range []string{`{"policy": `, `{"policy": "研发投入补助"}`, `{"policy": "研发投入补助", "as_of": "x", "record": {}}`} {
		ex := do(t, ts, "POST", "/v1/evaluate", body, map[string]string{"Accept-Language": "en-US,en;q=0.9"})
		msg, _ := pick(ex.body, "error", "message").(string)
		if msg == "" || strings.ContainsFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: %q", body, msg)
		}
	}
}

// TestOpenAPIMatchesHandlers: the document is valid OpenAPI 3, names every
// route and no other, and what the handlers answer validates against it.
func TestOpenAPIMatchesHandlers(t *testing.T) {
	_, ts, _ := newTestServer(t, nil)
	ctx := context.Background()
	doc, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("invalid OpenAPI: %v", err)
	}
	var inDoc, inTable []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inDoc = append(inDoc, method+" "+path)
		}
	}
	for _, rt := range routes() {
		inTable = append(inTable, rt.method+" "+rt.path)
		// the mux serves it: not the catch-all's "no such endpoint"
		ex := do(t, ts, rt.method, strings.ReplaceAll(rt.path, "{id}", "研发投入补助"), "{}", nil)
		if pick(ex.body, "error", "message") == errNotFound.msg.Zh {
			t.Errorf("%s %s is in the table but not served", rt.method, rt.path)
		}
	}
	less := func(a, b string) bool { return a < b }
	if diff := cmp.Diff(inTable, inDoc, cmpSort(less)); diff != "" {
		t.Errorf("routes (-table +document):\n%s", diff)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/v1/policies", ""},
		{"GET", "/v1/policies/研发投入补助/schema", ""},
		{"POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "records": [` + goodRecord + `, [1]]}`},
		{"POST", "/v1/explain", `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": ` + goodRecord + `}`},
		{"POST", "/v1/match", `{"record": ` + shortRecord + `}`},
		{"POST", "/v1/compare", `{"policy": "研发投入补助", "set": {"补助比例": "20%"}, "records": [` + goodRecord + `]}`},
		{"POST", "/v1/evaluate", `{"policy": "没有", "record": {}}`},
	} {
		req, _ := http.NewRequest(c.method, ts.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(raw))}
		if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
			t.Errorf("%s %s: the answer does not match the document: %v\n%s", c.method, c.path, err, raw)
		}
	}
}

// cmpSort compares slices as sets.
func cmpSort(less func(a, b string) bool) cmp.Option {
	return cmp.Transformer("sorted", func(in []string) []string {
		out := append([]string(nil), in...)
		for i := 1; i < len(out); i++ {
			for j := i; j > 0 && less(out[j], out[j-1]); j-- {
				out[j], out[j-1] = out[j-1], out[j]
			}
		}
		return out
	})
}

// TestReloadUnderLoad: while clients evaluate, the policy changes from 10%
// to 20% and reloads; every answer is whole and consistent: the revision
// it names computed its amount (234,567.8 at 10%, 469,135.6 at 20%).
func TestReloadUnderLoad(t *testing.T) {
	s, ts, dir := newTestServer(t, nil)
	path := filepath.Join(dir, "研发投入补助.zc")
	revOf := map[string]string{}
	revOf[pick(do(t, ts, "GET", "/v1/policies/研发投入补助", "", nil).body, "revision").(string)] = "234567.8"
	body := `{"policy": "研发投入补助", "as_of": "2025-07-01", "record": ` + goodRecord + `}`
	type answer struct{ rev, total string }
	answers := make(chan answer, 1000)
	stop := make(chan struct{})
	done := make(chan struct{})
	for w := 0; w < 4; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ex := do(t, ts, "POST", "/v1/evaluate", body, nil)
				if ex.status != 200 {
					t.Errorf("status %d during reload: %s", ex.status, ex.raw)
					return
				}
				select {
				case answers <- answer{ex.header.Get("X-Zhengce-Revision"), pick(ex.body, "results", 0, "total").(string)}:
				default:
				}
			}
		}()
	}
	for i := 0; i < 10; i++ {
		rate := []string{"10%", "20%"}[(i+1)%2]
		os.WriteFile(path, bytes.Replace(quickstart(t), []byte("参数 补助比例 = 10%"), []byte("参数 补助比例 = "+rate), 1), 0o644)
		if _, err := s.Reload(); err != nil {
			t.Fatal(err)
		}
		rev := pick(do(t, ts, "GET", "/v1/policies/研发投入补助", "", nil).body, "revision").(string)
		revOf[rev] = map[string]string{"10%": "234567.8", "20%": "469135.6"}[rate]
	}
	close(stop)
	for w := 0; w < 4; w++ {
		<-done
	}
	close(answers)
	n := 0
	for a := range answers {
		n++
		if want, ok := revOf[a.rev]; !ok || want != a.total {
			t.Errorf("revision %s answered %s; it computes %q", a.rev, a.total, want)
		}
	}
	if n == 0 {
		t.Error("no answers during the reloads")
	}
}

// TestMaskedInLog: a field the policy masks (日志隐去) is kept in the
// decision log only as a digest.
func TestMaskedInLog(t *testing.T) {
	_, ts, dir := newTestServer(t, nil)
	os.WriteFile(filepath.Join(dir, "研发投入补助.zc"), bytes.Replace(quickstart(t), []byte("\n参数 补助比例"), []byte("\n日志隐去 \"联系电话\"\n参数 补助比例"), 1), 0o644)
	do(t, ts, "POST", "/v1/reload", "", bearer(token))
	rec := strings.Replace(goodRecord, "{", `{"联系电话": "13800000000", `, 1)
	ex := do(t, ts, "POST", "/v1/evaluate", `{"policy": "研发投入补助", "as_of": "2025-07-01", "decision": true, "record": `+rec+`}`, bearer(token))
	id, _ := pick(ex.body, "results", 0, "decision").(string)
	got := do(t, ts, "GET", "/v1/decisions/"+id, "", bearer(token))
	phone, _ := pick(got.body, "decision", "inputs", "联系电话").(string)
	if !strings.HasPrefix(phone, "sha256:") || strings.Contains(string(got.raw), "13800000000") {
		t.Errorf("the phone number is in the log: %s", got.raw)
	}
	if diff := cmp.Diff([]any{"联系电话"}, pick(got.body, "decision", "masked")); diff != "" {
		t.Errorf("masked (-want +got):\n%s", diff)
	}
}

// TestInputSchemaValidates: a policy's input schema is a JSON Schema a
// validator (santhosh-tekuri/jsonschema) compiles; the sample record meets
// it, and a record with a 是否 given as a list, or a category the 按…取
// table does not name, does not.
func TestInputSchemaValidates(t *testing.T) {
	_, ts, dir := newTestServer(t, nil)
	os.WriteFile(filepath.Join(dir, "等级.zc"), []byte("输入 等级：文本\n输入 规上：是否\n规则 r\n  给予 奖励 = 按 等级 取 { \"国家级\"：300万元，\"省级\"：100万元 }\n结束\n"), 0o644)
	do(t, ts, "POST", "/v1/reload", "", bearer(token))
	for _, tt := range []struct {
		policy, record string
		ok             bool
	}{
		{"研发投入补助", goodRecord, true},
		{"研发投入补助", `{"规上工业企业": [1], "研发投入": "1", "上年研发投入": "1", "主营业务收入": "1", "承诺年均增长率": "1%"}`, false},
		{"研发投入补助", `{"研发投入": "1"}`, false}, // the others are required
		{"等级", `{"等级": "省级", "规上": true}`, true},
		{"等级", `{"等级": "区级", "规上": true}`, false},
	} {
		ex := do(t, ts, "GET", "/v1/policies/"+tt.policy+"/schema", "", nil)
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(ex.raw))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("schema.json", doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("schema.json")
		if err != nil {
			t.Fatalf("%s: the schema does not compile: %v", tt.policy, err)
		}
		rec, _ := jsonschema.UnmarshalJSON(strings.NewReader(tt.record))
		if err := sch.Validate(rec); (err == nil) != tt.ok {
			t.Errorf("%s %s: valid %v, want %v (%v)", tt.policy, tt.record, err == nil, tt.ok, err)
		}
	}
}
