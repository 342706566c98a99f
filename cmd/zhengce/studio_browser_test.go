//go:build browser

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestStudioInBrowser drives the workbench in headless Chromium as a
// drafter would: the file loads with its tests passing; a line with an
// undeclared name is underlined with the checker's message; undone, the
// error goes; the cursor in a rule marks its clause in the document; the
// trial form gives the amount worked by hand; saving formats the file; and
// the page asks for nothing beyond this machine.
func TestStudioInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (apt-get install chromium): %v", err)
	}
	dir := t.TempDir()
	for _, name := range []string{"研发投入补助.zc", "原文.txt"} {
		b, err := os.ReadFile(filepath.Join("../../examples/quickstart", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	policy := filepath.Join(dir, "研发投入补助.zc")
	cmd := exec.Command(testBinary, "studio", policy, "--addr", "127.0.0.1:0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line := bufio.NewScanner(stderr)
	line.Scan()
	m := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line.Text())
	if m == "" {
		t.Fatalf("the workbench did not start: %q", line.Text())
	}

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(filepath.Join(dir, "profile")))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	var mu sync.Mutex
	var requests, elsewhere []string
	chromedp.Listen(ctx, func(ev any) {
		if req, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, req.Request.URL)
			if u, err := url.Parse(req.Request.URL); err == nil && u.Hostname() != "127.0.0.1" && u.Scheme != "data" {
				elsewhere = append(elsewhere, req.Request.URL)
			}
			mu.Unlock()
		}
	})
	text := func(sel string) string {
		sq, _ := json.Marshal(sel)
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector(`+string(sq)+`) || {textContent: ""}).textContent`))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}
	waitText := func(sel, want string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if strings.Contains(text(sel), want) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s never showed %q (shows %q)", sel, want, text(sel))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(m), chromedp.WaitVisible(chromedp.CSS("#tests li"))); err != nil {
		t.Fatal(err)
	}
	waitText("#status", "检查通过")
	waitText("#tests", "通过：鲁南机床")

	// an undeclared name, typed at the end: underlined, with the message
	eval(ctx, t, `studioView.dispatch({changes: {from: studioView.state.doc.length, insert: "\n补助二 = 不存在的名称\n"}}); 0`)
	waitText("#status", "有错误")
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".cm-lintRange-error"))); err != nil {
		t.Fatal(err)
	}
	underlined := text(".cm-lintRange-error")
	if !strings.Contains(underlined, "不存在的名称") {
		t.Errorf("the underline is on %q, not the undeclared name", underlined)
	}
	// undone: the error goes
	eval(ctx, t, `studioView.dispatch({changes: {from: studioView.state.doc.length - "\n补助二 = 不存在的名称\n".length, to: studioView.state.doc.length}}); 0`)
	waitText("#status", "检查通过")

	// the cursor in the rule marks its clause in the document
	eval(ctx, t, `(() => { const i = studioView.state.doc.toString().indexOf("规则 研发投入增量补助"); studioView.dispatch({selection: {anchor: i + 3}}); return 0 })()`)
	waitText("#current-rule", "研发投入增量补助")
	waitText("mark.current", "按照研发投入增量的10%给予最高200万元的补助")

	// 鲁南机床: 增量 5000万 − 2000万 = 3000万; 10% = 300万, capped at 200万
	eval(ctx, t, `(() => {
		const set = (n, v) => { document.querySelector('#try-form input[name="' + n + '"]').value = v };
		document.querySelector('#try-form input[name="规上工业企业"]').checked = true;
		set("研发投入", "5000万元"); set("上年研发投入", "2000万元"); set("主营业务收入", "8亿元"); set("承诺年均增长率", "30%");
		document.getElementById("as-of").value = "2025-07-01";
		document.getElementById("try-button").click(); return 0 })()`)
	waitText("#try-result", "给予合计：2,000,000.00 元")

	// 测算: the sample of seven firms, 补助比例 10% → 15%; only 枣庄新材料 is
	// below the cap: 增量 400万 × 15% = 60万 instead of 40万, so the total
	// rises by 20万 (the five others are capped at 200万 or not paid)
	sample, err := os.ReadFile("../../examples/quickstart/研发投入补助.csv")
	if err != nil {
		t.Fatal(err)
	}
	quoted, _ := json.Marshal(string(sample))
	eval(ctx, t, `(() => { studioSetData(`+string(quoted)+`, ".csv");
		document.getElementById("estimate-param").value = "补助比例";
		document.getElementById("estimate-value").value = "15%";
		document.getElementById("estimate-button").click(); return 0 })()`)
	waitText("#estimate-table", "总成本4,400,000.004,600,000.00200,000.00")
	waitText("#estimate-counts", "受益 1 家，受损 0 家")

	// saving formats and writes the file
	eval(ctx, t, `studioView.dispatch({changes: {from: 0, insert: "参数   另一参数=1\n"}}); 0`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#save-button"))); err != nil {
		t.Fatal(err)
	}
	waitText("#status", "已保存")
	saved, _ := os.ReadFile(policy)
	if !strings.HasPrefix(string(saved), "参数 另一参数=1\n") {
		t.Errorf("the saved file is not formatted: %q", string(saved[:40]))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(elsewhere) > 0 || len(requests) == 0 {
		t.Errorf("the page asked beyond this machine: %v (of %d requests seen)", elsewhere, len(requests))
	}
}

// eval runs JavaScript in the page.
func eval(ctx context.Context, t *testing.T, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](js)); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
}
