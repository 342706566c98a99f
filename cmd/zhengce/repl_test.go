package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
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

	typeIn("设 补助比例 = 15%\r")
	screen.waitFor(t, "总成本（元）      4,400,000.00  4,600,000.00  +200,000.00")

	typeIn("设 研发投入 = 3000万\r")
	screen.waitFor(t, "改变后：")
	screen.waitFor(t, "补助 = 150万元") // 1000万 × 15%, the parameter still set

	typeIn("重置\r")
	screen.waitFor(t, "已撤销全部“设”。")
	typeIn("\x04") // Ctrl-D
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
	s := &session{c: &cli{}, out: &bytes.Buffer{}, params: map[string]string{}, sel: -1}
	s.file = "../../examples/quickstart/研发投入补助.zc"
	src, err := os.ReadFile(s.file)
	if err != nil {
		t.Fatal(err)
	}
	s.src = string(src)
	if !s.compile() {
		t.Fatal("does not compile")
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
}
