//go:build browser

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestStudioInBrowser drives the workbench in headless Chromium as a
// drafter would: the file loads with its tests passing; a line with an
// undeclared name is underlined with the checker's message; undone, the
// error goes; the cursor in a rule marks its clause in the document; the
// trial form gives the amount worked by hand; saving formats the file; and
// the page asks for nothing beyond this machine.
func TestStudioInBrowser(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"研发投入补助.zc", "原文.txt"} {
		b, err := os.ReadFile(filepath.Join("../../examples/quickstart", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	policy := filepath.Join(dir, "研发投入补助.zc")
	p := openInBrowser(t, policy)
	ctx, text, waitText := p.ctx, p.text, p.waitText
	waitText("#status", "检查通过")
	waitText("#tests", "通过：鲁南机床")

	// an undeclared name, typed at the end (the editor scrolls there, as it
	// does for a drafter typing): underlined, with the message
	eval(ctx, t, `(() => { const n = studioView.state.doc.length, text = "\n补助二 = 不存在的名称\n";
		studioView.dispatch({changes: {from: n, insert: text}, selection: {anchor: n + text.length}, scrollIntoView: true}); return 0 })()`)
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
	// the distribution: 4 of the 7 are paid nothing either way (薛城电子,
	// 山亭食品, 滕州化工, 市中软件), counted apart from the chart
	waitText("#estimate-result #zero", "未获给予：基准 4 家，改革 4 家")
	if n := p.evalString(`String(document.querySelectorAll("#estimate-result #chart rect.base").length)`); n != "9" { // legend + 8 bins
		t.Errorf("%s base bars in the distribution, want the legend and 8", n)
	}

	// a workbook chosen in the file field: its first three firms only,
	// 鲁南机床 200万 either way, 枣庄新材料 40万 → 60万, 薛城电子 nothing
	book := excelize.NewFile()
	for i, r := range [][]any{
		{"企业名称", "规上工业企业", "研发投入", "上年研发投入", "主营业务收入", "承诺年均增长率"},
		{"鲁南机床", "是", 50000000, 20000000, 800000000, "30%"},
		{"枣庄新材料", "是", "1,200万元", "800万", "2亿", "35%"},
		{"薛城电子", "是", "700万", "500万", "2亿", "30%"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		book.SetSheetRow("Sheet1", cell, &r)
	}
	workbook := filepath.Join(dir, "三家企业.xlsx")
	if err := book.SaveAs(workbook); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS("#estimate-file"), []string{workbook})); err != nil {
		t.Fatal(err)
	}
	waitText("#estimate-loaded", "已读入：三家企业.xlsx")
	p.click("#estimate-button")
	waitText("#estimate-table", "总成本2,400,000.002,600,000.00200,000.00")

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
	p.stayedOnThisMachine()
}

// eval runs JavaScript in the page.
func eval(ctx context.Context, t *testing.T, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](js)); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
}

// browserPage is the workbench opened on a policy by the real binary and
// loaded in headless Chromium, with every request the page makes recorded.
type browserPage struct {
	t   *testing.T
	ctx context.Context

	mu                 sync.Mutex
	requests, external []string
}

// openInBrowser starts zhengce studio on policy (with flags) and loads the page until
// its tests are listed; everything stops when the test ends.
func openInBrowser(t *testing.T, policy string, flags ...string) *browserPage {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (apt-get install chromium): %v", err)
	}
	cmd := exec.Command(testBinary, append([]string{"studio", policy, "--addr", "127.0.0.1:0"}, flags...)...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	// the address is on the last line the workbench writes before serving
	var address string
	lines := bufio.NewScanner(stderr)
	for address == "" && lines.Scan() {
		address = regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(lines.Text())
	}
	if address == "" {
		t.Fatalf("the workbench did not start: %q", lines.Text())
	}
	go io.Copy(io.Discard, stderr)

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		// as on an intranet: no name resolves and every connection beyond
		// this machine goes to a proxy that is not there
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.ProxyServer("http://127.0.0.1:9"))...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	p := &browserPage{t: t, ctx: ctx}
	chromedp.Listen(ctx, func(ev any) {
		if ex, ok := ev.(*cdpruntime.EventExceptionThrown); ok {
			d := ex.ExceptionDetails
			desc := d.Text
			if d.Exception != nil {
				desc += " " + d.Exception.Description
			}
			t.Errorf("the page threw at %d:%d: %s", d.LineNumber, d.ColumnNumber, desc)
		}
		if req, ok := ev.(*network.EventRequestWillBeSent); ok {
			p.mu.Lock()
			p.requests = append(p.requests, req.Request.URL)
			if u, err := url.Parse(req.Request.URL); err == nil && u.Hostname() != "127.0.0.1" && u.Scheme != "data" {
				p.external = append(p.external, req.Request.URL)
			}
			p.mu.Unlock()
		}
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(address), chromedp.WaitVisible(chromedp.CSS("#tests li"))); err != nil {
		t.Fatal(err)
	}
	return p
}

// text is the text of the first element sel matches ("" if none).
func (p *browserPage) text(sel string) string {
	return p.evalString(`(document.querySelector(` + jsString(sel) + `) || {textContent: ""}).textContent`)
}

// evalString runs JavaScript giving a string.
func (p *browserPage) evalString(js string) string {
	p.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		p.t.Fatalf("%v\n%s", err, js)
	}
	return s
}

// waitText waits until the first element sel matches contains want.
func (p *browserPage) waitText(sel, want string) {
	p.t.Helper()
	p.waitFor(sel+" shows "+want, func() bool { return strings.Contains(p.text(sel), want) })
}

// waitFor waits up to 20 seconds for ok.
func (p *browserPage) waitFor(what string, ok func() bool) {
	p.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return
		}
	}
	p.t.Fatalf("never: %s", what)
}

// click clicks the first element sel matches.
func (p *browserPage) click(sel string) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		p.t.Fatalf("click %s: %v", sel, err)
	}
}

// stayedOnThisMachine fails the test if the page asked for anything beyond
// the loopback address.
func (p *browserPage) stayedOnThisMachine() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.external) > 0 || len(p.requests) == 0 {
		p.t.Errorf("the page asked beyond this machine: %v (of %d requests seen)", p.external, len(p.requests))
	}
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestStudioFolderInBrowser opens one file of 日照's implementing rules,
// written in eleven files for one document: the page shows every file as
// a tab and runs all their tests; the trial applies 末段's 就高不重复 to
// rules written in other files; an error made in one file is listed, with
// its file and line, while another is in the editor, and following it
// opens that file at the error; a quote in the document opens its rule's
// file.
func TestStudioFolderInBrowser(t *testing.T) {
	const from = "../../examples/rizhao-2025-implementation-rules"
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	tests := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".zc") && name != "原文.txt" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
		if strings.HasSuffix(name, ".zc") {
			files = append(files, strings.TrimSuffix(name, ".zc"))
			tests += len(regexp.MustCompile(`(?m)^測試 `).FindAllIndex(b, -1))
		}
	}
	p := openInBrowser(t, filepath.Join(dir, "末段.zc"))
	p.waitText("#status", "检查通过")

	// every file a tab, in the folder's order; 末段 in the editor; every
	// file's tests run and pass
	tabs := p.evalString(`[...document.querySelectorAll("#files button")].map((b) => b.textContent + (b.classList.contains("current") ? "*" : "")).join(" ")`)
	want := strings.Replace(strings.Join(files, " "), "末段", "末段*", 1)
	if tabs != want {
		t.Errorf("tabs %q, want %q", tabs, want)
	}
	if got := p.evalString(`String(document.querySelectorAll("#tests li.pass").length) + "/" + document.querySelectorAll("#tests li").length`); got != fmt.Sprintf("%d/%d", tests, tests) {
		t.Errorf("tests passed/listed %s, want all %d of the folder's", got, tests)
	}

	// 創新券 (創新券.zc): 使用費用 100萬元 × 市級 20% = 20萬元; 揭榜掛帥
	// (揭榜掛帥.zc): 投入 300萬元 ≥ 200萬元, × 20% = 60萬元. 末段.zc gives
	// only the higher: 60萬元
	eval(p.ctx, t, `(() => {
		const set = (n, v) => { document.querySelector('#try-form input[name="' + n + '"]').value = v };
		const tick = (n) => { document.querySelector('#try-form input[name="' + n + '"]').checked = true };
		tick("使用方符合條件"); set("共享儀器設備使用費用", "100萬元"); set("本年已獲市級使用方補助", "0元");
		tick("採用揭榜掛帥方式"); set("項目科技投入總額", "300萬元");
		document.getElementById("as-of").value = "2025-09-01";
		document.getElementById("try-button").click(); return 0 })()`)
	p.waitText("#try-total", "给予合计：600,000.00 元")
	if s := p.text("#try-result"); !strings.Contains(s, "創新券使用方補助：不适用——就高不重复") || !strings.Contains(s, "已按“揭榜掛帥支持”给予 60万元，高于本规则的 20万元") {
		t.Errorf("the trial does not say why 創新券 is not paid: %q", s)
	}

	// in 創新券.zc, a name misspelt; back in 末段.zc, the error is listed
	// with its file and line, and the tab is marked
	p.click(`#files button[data-file="創新券.zc"]`)
	p.waitText("#file-name", "創新券.zc")
	at := p.evalString(`(() => { const doc = studioView.state.doc.toString(), i = doc.indexOf("給予 市級補助 = 共享儀器設備使用費用") + "給予 市級補助 = ".length;
		studioView.dispatch({changes: {from: i, to: i + "共享儀器設備使用費用".length, insert: "共享儀器費用"}}); return String(i) })()`)
	p.waitText("#status", "有错误")
	p.click(`#files button[data-file="末段.zc"]`)
	p.waitText("#file-name", "末段.zc")
	p.waitText("#elsewhere", "創新券.zc:27：未定义的名称“共享儀器費用”")
	if c := p.evalString(`document.querySelector('#files button[data-file="創新券.zc"]').className`); !strings.Contains(c, "bad") || !strings.Contains(c, "modified") {
		t.Errorf("the 創新券 tab is %q, want it marked bad and modified", c)
	}
	// following the error opens 創新券.zc with the cursor on it
	p.click("#elsewhere li")
	p.waitText("#file-name", "創新券.zc")
	if head := p.evalString(`String(studioView.state.selection.main.head)`); head != at {
		t.Errorf("the cursor is at %s, want the misspelt name at %s", head, at)
	}
	eval(p.ctx, t, `(() => { const i = `+at+`; studioView.dispatch({changes: {from: i, to: i + "共享儀器費用".length, insert: "共享儀器設備使用費用"}}); return 0 })()`)
	p.waitText("#status", "检查通过")
	if n := p.evalString(`String(document.querySelectorAll("#elsewhere li").length)`); n != "0" {
		t.Errorf("%s errors still listed after the fix", n)
	}

	// the quote of 第19條 in the document opens 揭榜掛帥.zc at its rule
	eval(p.ctx, t, `(() => { const m = [...document.querySelectorAll("mark[data-rule]")].find((m) => m.textContent.includes("揭榜掛帥方式組織實施")); m.scrollIntoView(); m.click(); return 0 })()`)
	p.waitText("#file-name", "揭榜掛帥.zc")
	p.waitText("#current-rule", "揭榜掛帥支持")
	p.stayedOnThisMachine()
}

// TestStudioInEnglishInBrowser: with --lang en, what the workbench shows a
// reader, once its script has filled the page, a trial and an estimate
// run, has no Chinese but the policy's own quoted words.
func TestStudioInEnglishInBrowser(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p.zc"), []byte(bilingualPolicy), 0o644)
	os.WriteFile(filepath.Join(dir, "原文.txt"), []byte("Article 3. The grant is ten percent of R&D, at most two million yuan.\n"), 0o644)
	p := openInBrowser(t, filepath.Join(dir, "p.zc"), "--lang", "en")
	p.waitText("#tests", "failed: wrong on purpose")
	// level's categories, from the policy, offered in the form
	if got := p.evalString(`[...document.querySelectorAll("#choices-level option")].map((o) => o.value).join(",")`); got != "none,gold,silver" {
		t.Errorf("the form suggests %q for level, want none,gold,silver", got)
	}
	eval(p.ctx, t, `(() => {
		const set = (n, v) => { document.querySelector('#try-form input[name="' + n + '"]').value = v };
		set("rd", "30000000"); set("intensity", "5%"); set("level", "gold"); set("paid", "[]");
		document.querySelector('#try-form input[name="big"]').checked = true;
		document.getElementById("as-of").value = "2026-03-01";
		document.getElementById("try-button").click(); return 0 })()`)
	// subsidy 3000万 × 10% = 300万, at most 200万; award (gold) 100万; only
	// the higher of the two (exclusive best): 200万; onetime 10万; together
	// 210万, under the cap of 250万
	p.waitText("#try-total", "total paid: 2,100,000.00 yuan")
	eval(p.ctx, t, `(() => { studioSetData(`+jsString(bilingualData)+`, ".csv");
		document.getElementById("estimate-param").value = "rate";
		document.getElementById("estimate-value").value = "20%";
		document.getElementById("estimate-button").click(); return 0 })()`)
	p.waitText("#estimate-counts", "gain")
	// everything but the editor, which holds the policy as written; every
	// rule's explanation opened
	shown := p.evalString(`document.querySelectorAll("details").forEach((d) => { d.open = true }), [...document.querySelectorAll("body > :not(main), main > :not(#editor)")].map((e) => e.innerText).join("\n") + "\n" + [...document.querySelectorAll("[title],[placeholder]")].map((e) => (e.title || "") + " " + (e.placeholder || "")).join("\n")`)
	quoted := regexp.MustCompile(`"(?:[^"\\]|\\.)*"|“[^”]*”`)
	for _, line := range strings.Split(shown, "\n") {
		if regexp.MustCompile(`\p{Han}`).MatchString(quoted.ReplaceAllString(line, "")) {
			t.Errorf("Chinese shown in English: %q", line)
		}
	}
}
