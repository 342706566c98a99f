//go:build browser

package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// TestGlyphsNotBoxesInBrowser looks at the pages as a reader would: it
// screenshots Han characters taken from each page's heading, drawn in the
// page's own fonts, in headless Chromium with the machine's fonts and
// again with every font for Chinese hidden from it. With the fonts each
// character is a glyph of its own; without them Chromium draws each as
// the same empty box ("tofu"), which a check of the DOM cannot see; the
// test requires the first and shows that it can tell the second.
func TestGlyphsNotBoxesInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (apt-get install chromium): %v", err)
	}
	out, err := exec.Command("fc-list", ":lang=zh", "file").Output()
	if err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("no font for Chinese (apt-get install fonts-noto-cjk): %v %s", err, out)
	}
	dir := t.TempDir()
	// a fontconfig that knows the machine's fonts but those for Chinese
	var reject strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fmt.Fprintf(&reject, "<glob>%s</glob>\n", strings.TrimSuffix(strings.TrimSpace(line), ":"))
	}
	noCJK := filepath.Join(dir, "fonts-without-cjk.conf")
	os.WriteFile(noCJK, []byte(`<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
<include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<cachedir>`+filepath.Join(dir, "fontcache")+`</cachedir>
<selectfont><rejectfont>
`+reject.String()+`</rejectfont></selectfont>
</fontconfig>
`), 0o644)

	report, doc := filepath.Join(dir, "report.html"), filepath.Join(dir, "doc.html")
	if code, _, errOut := zc(t, "compare", "../../examples/quickstart/研发投入补助.zc", "--set", "补助比例=15%",
		"--data", "../../examples/quickstart/研发投入补助.csv", "--report", report); code != exitOK {
		t.Fatalf("compare: %s", errOut)
	}
	if code, _, errOut := zc(t, "doc", "../../examples/rizhao-2025-implementation-rules", "-o", doc); code != exitOK {
		t.Fatalf("doc: %s", errOut)
	}
	for _, page := range []string{report, doc} {
		name := filepath.Base(page)
		with := glyphShots(t, chromium, filepath.Join(dir, "with"), page, nil)
		without := glyphShots(t, chromium, filepath.Join(dir, "without"), page, []string{"FONTCONFIG_FILE=" + noCJK})
		for i := range with {
			if blank(with[i]) {
				t.Errorf("%s: character %d is drawn as nothing", name, i)
			}
			for j := range i {
				if sameImage(with[i], with[j]) {
					t.Errorf("%s: characters %d and %d are drawn the same, as boxes are", name, j, i)
				}
			}
		}
		// the check tells boxes: with the fonts hidden, every character is
		// drawn the same, unlike with them
		for i := 1; i < len(without); i++ {
			if !sameImage(without[0], without[i]) {
				t.Errorf("%s: without a font for Chinese, characters 0 and %d still differ: the test would not see boxes", name, i)
			}
		}
		if len(with) > 0 && len(without) > 0 && sameImage(with[0], without[0]) {
			t.Errorf("%s: the first character looks the same with and without the fonts", name)
		}
	}
}

// glyphShots loads page in Chromium run with env and screenshots, in the
// page's own font, each of the first four distinct Han characters of its
// heading.
func glyphShots(t *testing.T, chromium, profile, page string, env []string) []image.Image {
	t.Helper()
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile), chromedp.Env(env...))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
		const chars = [...new Set(document.querySelector("h1").textContent.match(/\p{Script=Han}/gu))].slice(0, 4);
		const probe = document.createElement("div");
		probe.id = "probe";
		for (const c of chars) {
			const s = document.createElement("span");
			s.textContent = c;
			s.style.cssText = "display:inline-block;width:48px;height:48px;font-size:40px;line-height:48px;text-align:center;background:#fff;color:#000";
			probe.append(s);
		}
		document.body.prepend(probe);
		return chars.length })()`))
	if err != nil || n < 4 {
		t.Fatalf("%s: %d Han characters in the heading (%v)", page, n, err)
	}
	var shots []image.Image
	for i := 1; i <= n; i++ {
		b, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(fmt.Sprintf("#probe span:nth-child(%d)", i))))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		shots = append(shots, img)
	}
	return shots
}

// sameImage reports whether a and b have the same pixels.
func sameImage(a, b image.Image) bool {
	return a.Bounds().Size() == b.Bounds().Size() && bytes.Equal(rgba(a).Pix, rgba(b).Pix)
}

// blank reports whether img is one colour.
func blank(img image.Image) bool {
	p := rgba(img).Pix
	for i := 4; i < len(p); i += 4 {
		if !bytes.Equal(p[i:i+4], p[:4]) {
			return false
		}
	}
	return true
}

func rgba(img image.Image) *image.RGBA {
	out := image.NewRGBA(image.Rectangle{Max: img.Bounds().Size()})
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}
