package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce/lang"
)

// terminal is the screen output of a program run in a pseudo-terminal.
type terminal struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.Write(p)
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}

// waitFor waits until the screen shows s, or fails after a minute.
func (t *terminal) waitFor(tb testing.TB, s string) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute) // a guard against a hang, not a measure of speed
	for time.Now().Before(deadline) {
		if strings.Contains(t.String(), s) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("the screen never showed %q; it shows:\n%s", s, t.String())
}

// TestREPLInTerminal drives the real binary through a pseudo-terminal: line
// editing over wide characters, completion with Tab, a what-if on a
// parameter over the whole data, a what-if on one enterprise, and history
// kept across sessions. Amounts by hand: see TestCompare; 鲁南机床's
// increase 3000万 ÷ 10000 = 3000; with 研发投入 3000万 its increase is 1000万,
// so 10% gives 100万.
func TestREPLInTerminal(t *testing.T) {
	dir := t.TempDir()
	bin := testBinary
	history := filepath.Join(dir, "history")
	cmd := exec.Command(bin, "repl", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称")
	cmd.Env = append(os.Environ(), "ZHENGCE_HISTORY="+history)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	screen := &terminal{}
	go func() { _, _ = copyAll(screen, tty) }()
	typeIn := func(s string) {
		for _, r := range s {
			tty.Write([]byte(string(r)))
			time.Sleep(2 * time.Millisecond)
		}
	}

	screen.waitFor(t, "政策> ")
	typeIn("选择 鲁南机床\r")
	screen.waitFor(t, "研发投入增量补助：补助 = 200万元")

	// wide characters: type 增XX, erase the two X, finish the name
	typeIn("研发投入增XX\x7f\x7f量 / 10000\r")
	screen.waitFor(t, "3,000.00元")

	// completion: 研发投入增 + Tab offers 研发投入增量 first
	typeIn("研发投入增\t / 1000\r")
	screen.waitFor(t, "3万元")

	// Ctrl-C clears a half-typed line and the session goes on
	typeIn("研发投入 * 99\x03")
	// a line ending in an operator goes on: 3000万 / 100 = 30万
	typeIn("研发投入增量 /\r")
	screen.waitFor(t, "  ... ")
	typeIn("100\r")
	screen.waitFor(t, "30万元")
	if strings.Contains(screen.String(), "99") && strings.Contains(screen.String(), "4.95亿元") {
		t.Errorf("the line cleared by Ctrl-C was evaluated:\n%s", screen.String())
	}

	// a later date of evaluation: the measures end on 2028-06-15, so
	// nothing is paid; 鲁南机床's 200万 and the others' (4,400,000 in all) go
	typeIn("设 评估日期 = 2028-07-01\r")
	screen.waitFor(t, "总成本（元）      4,400,000.00    0.00  -4,400,000.00")
	screen.waitFor(t, "研发投入增量补助：不适用")
	typeIn("设 评估日期 = 2025-07-01\r")
	screen.waitFor(t, "+4,400,000.00")

	typeIn("设 补助比例 = 15%\r")
	screen.waitFor(t, "总成本（元）      4,400,000.00  4,600,000.00  +200,000.00")

	typeIn("设 研发投入 = 3000万\r")
	screen.waitFor(t, "改变后：")
	screen.waitFor(t, "补助 = 150万元") // 1000万 × 15%, the parameter still set

	// Ctrl-D with changes asks first
	typeIn("\x04")
	screen.waitFor(t, "再按一次 Ctrl-D 退出")
	typeIn("重置\r")
	screen.waitFor(t, "已撤销全部“设”。")
	typeIn("\x04") // Ctrl-D, nothing left to lose
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v\n%s", err, screen.String())
	}
	saved, err := os.ReadFile(history)
	if err != nil || !strings.Contains(string(saved), "设 补助比例 = 15%") || !strings.Contains(string(saved), "研发投入增量 / 10000") {
		t.Errorf("history not saved: %q %v", saved, err)
	}
}

func copyAll(w *terminal, r *os.File) (int64, error) {
	buf := make([]byte, 4096)
	var n int64
	for {
		k, err := r.Read(buf)
		if k > 0 {
			w.Write(buf[:k])
			n += int64(k)
		}
		if err != nil {
			return n, err
		}
	}
}

// TestComplete: the word at the cursor is completed from the commands and
// the policy's names; the cursor counts characters, not bytes.
func TestComplete(t *testing.T) {
	out := &bytes.Buffer{}
	s := &session{c: &cli{ctx: context.Background(), stdout: out, stderr: out}, out: out, sel: -1}
	s.load("../../examples/quickstart/研发投入补助.zc")
	s.loadData("../../examples/quickstart/研发投入补助.csv --id 企业名称")
	if s.prog == nil || len(s.rows) == 0 {
		t.Fatalf("not loaded:\n%s", out)
	}
	head, got, tail := s.complete("合计(研发投入增 + 1)", 8) // cursor after 增
	if head != "合计(" || tail != " + 1)" {
		t.Errorf("head %q tail %q", head, tail)
	}
	want := []string{"研发投入增量", "研发投入增量补助"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("completions %v, want %v", got, want)
	}
	if _, got, _ := s.complete("选", 1); len(got) != 1 || got[0] != "选择" {
		t.Errorf("command completion: %v", got)
	}
	// after 选择, the enterprises of the --id column
	if head, got, _ := s.complete("选择 鲁", 4); head != "选择 " || !cmp.Equal(got, []string{"鲁南机床"}) {
		t.Errorf("enterprise completion: %q %v", head, got)
	}
}

// TestUnfinished: which lines the REPL reads on from.
func TestUnfinished(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"研发投入 +", true},
		{"研发投入 ×", true},
		{"孰低(研发投入，", true},
		{"合计（[1, 2]", true},
		{"研发投入 > 0 且", true},
		{"研发投入 > 0 and", true},
		{"如果", true},
		{"研发投入 * 10%", false},
		{"设 补助比例 = 15%", false},
		{"孰低(研发投入, 200万)", false},
		{"附加", false}, // a name ending in 加, not the word 加
		{"规则 甲", true},
		{"规则 甲\n  补助 = 1元\n结束", false},
	}
	for _, tt := range tests {
		if got := unfinished(tt.text); got != tt.want {
			t.Errorf("unfinished(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestSessionFolderAndBadRows: the REPL loads a document's folder as one
// policy, and a what-if over data with a bad row says the row is left out.
// By hand: 枣庄新材料 (row 2) raised 研发投入 from 800万 to 1200万, an
// increase of 400万; at 10% it gets 40万, at 15% 60万: +20万. Row 4's
// 承诺年均增长率 cannot be read; row 3 has no 研发投入.
func TestSessionFolderAndBadRows(t *testing.T) {
	out := &bytes.Buffer{}
	s := &session{c: &cli{ctx: context.Background(), stdout: out, stderr: out}, out: out, sel: -1}
	s.start.AsOf, _ = lang.ParseDate("2025-07-01")
	s.reset()
	s.load("../../examples/rizhao-2025-implementation-rules")
	if s.prog == nil || len(s.sources) < 2 || !strings.Contains(out.String(), "已载入 ../../examples/rizhao-2025-implementation-rules：") {
		t.Fatalf("folder not loaded:\n%s", out)
	}
	out.Reset()
	s.load("../../examples/quickstart/研发投入补助.zc")
	s.loadData("../../examples/quickstart/研发投入补助-含错误行.csv --id 企业名称")
	s.set("补助比例 = 15%")
	for _, want := range []string{
		"总成本（元）      400,000.00  600,000.00  +200,000.00",
		"1 行数据有误，未计入读取有误数据的规则",
		"1 行数据不全，未计入读取所缺数据的规则",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !s.changed() {
		t.Error("a parameter set is a change")
	}
	s.reset()
	if s.changed() {
		t.Error("reset leaves changes")
	}
}
