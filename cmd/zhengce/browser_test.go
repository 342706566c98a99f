//go:build browser

package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportInBrowser renders the comparison report in headless Chromium and
// asserts on the page as the browser built it. It needs /usr/bin/chromium,
// which .ci/run installs; without it the test fails rather than skips.
//
//	go test -tags browser -run Browser ./cmd/zhengce
func TestReportInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (apt-get install chromium): %v", err)
	}
	dir := t.TempDir()
	report := filepath.Join(dir, "report.html")
	if code, _, errOut := zc(t, "compare", "../../examples/quickstart/研发投入补助.zc", "--set", "补助比例=15%",
		"--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称", "--report", report); code != exitOK {
		t.Fatalf("compare: exit %d %s", code, errOut)
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--dump-dom", "file://"+report)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	for _, s := range []string{
		"<h1>政策调整对比</h1>",
		"<td>总成本</td><td>4,400,000.00</td><td>4,600,000.00</td><td>+200,000.00</td>",
		"受益 1 家，受损 0 家，新获得 0 家，不再获得 0 家，不变 6 家",
		"<td>枣庄新材料</td><td>400,000.00</td><td>600,000.00</td><td>+200,000.00</td>",
		// 4 of the 7 sample firms are paid nothing, under either: counted, not drawn
		"未获给予：基准 4 家，改革 4 家",
		// the one firm that changes: 40万 → 60万, a gain of 20万 drawn as such
		`<title>枣庄新材料 变化 20.00万元</title>`,
	} {
		if !strings.Contains(dom, s) {
			t.Errorf("the rendered page lacks %q", s)
		}
	}
	if n := strings.Count(dom, `class="base"`); n < 9 { // legend + 8 bars
		t.Errorf("%d base bars in the chart, want the legend and 8", n)
	}
}

// TestDocInBrowser renders zhengce doc's page for the 日照 document in
// headless Chromium: the quotes are marks linked to their rules, and the
// machine has a font for Chinese (fontconfig lists one for zh), without
// which every Han character of the page is an empty box.
func TestDocInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (apt-get install chromium): %v", err)
	}
	if out, err := exec.Command("fc-list", ":lang=zh", "family").Output(); err != nil || len(strings.TrimSpace(string(out))) == 0 {
		t.Fatalf("no font for Chinese (apt-get install fonts-noto-cjk): %v %s", err, out)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "doc.html")
	if code, _, errOut := zc(t, "doc", "../../examples/rizhao-2025-implementation-rules", "-o", page); code != exitOK {
		t.Fatalf("doc: exit %d %s", code, errOut)
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--dump-dom", "file://"+page)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)
	if n := strings.Count(dom, `<mark><a href="#rule-`); n < 25 {
		t.Errorf("%d quotes marked in the rendered page, want one for each of the 25 cited sentences at least", n)
	}
	if !strings.Contains(dom, `<td>25</td><td>25</td><td>0</td><td>100%</td>`) {
		t.Errorf("the rendered page lacks the coverage 25/25")
	}
}
