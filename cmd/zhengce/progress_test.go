package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/google/go-cmp/cmp"
)

// fakeClock is a clock whose time moves a second at every tick, and whose
// ticks come as fast as the progress line takes them: a few thousand rows
// show the progress line many times, on a machine however loaded.
type fakeClock struct {
	start time.Time
}

func (c *fakeClock) Now() time.Time { return c.start }

func (c *fakeClock) Tick(time.Duration) (<-chan time.Time, func()) {
	ticks := make(chan time.Time)
	stop := make(chan struct{})
	go func() {
		for now := c.start; ; {
			now = now.Add(time.Second)
			select {
			case ticks <- now:
			case <-stop:
				return
			}
		}
	}()
	return ticks, func() { close(stop) }
}

// TestProgressInTerminal runs run over generated rows with stderr on a
// pseudo-terminal: the progress line (rows done, rows per second, time
// taken, time left) is drawn there and wiped at the end, and none of it
// reaches the CSV on stdout. With --quiet, or with stderr not a terminal
// (a file), there is no progress line; the summary is written
// either way.
func TestProgressInTerminal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const policy = "../../examples/jining-2025-opinions/年度目標.zc"
	const rows = 20000
	code, generated, errOut := zc(t, "gen", policy, "-n", "20000", "--seed", "1")
	if code != exitOK {
		t.Fatalf("gen: %s", errOut)
	}
	dataPath := writeFile(t, dir, "data.csv", generated)

	// run returns what the terminal (or file) showed and the CSV written
	run := func(t *testing.T, stderrKind string, flags ...string) (screen, csv string) {
		t.Helper()
		var stdout bytes.Buffer
		args := append([]string{"run", policy, "--data", dataPath, "--format", "csv", "--workers", "1"}, flags...)
		c := &cli{ctx: context.Background(), stdout: &stdout, clock: &fakeClock{start: time.Unix(0, 0)}}
		switch stderrKind {
		case "terminal":
			tty, tt, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer tty.Close()
			term := &terminal{}
			copied := make(chan struct{})
			go func() { copyAll(term, tty); close(copied) }()
			c.stderr = tt
			if code := c.main(args); code != exitOK {
				t.Fatalf("run: exit %d\n%s", code, term.String())
			}
			tt.Close()
			term.waitFor(t, "共 20000 行")
			screen = term.String()
		default:
			f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
			if err != nil {
				t.Fatal(err)
			}
			c.stderr = f
			if code := c.main(args); code != exitOK {
				t.Fatalf("run: exit %d", code)
			}
			f.Close()
			b, _ := os.ReadFile(f.Name())
			screen = string(b)
		}
		return screen, stdout.String()
	}

	progress := regexp.MustCompile(`\r已处理 (\d+) 行，每秒 \d+ 行，用时 \d+\.\d 秒(，约剩 \d+ 秒)?\x1b\[K`)
	summary := "共 20000 行：成功 20000 行，失败 0 行"
	type seen struct {
		Progress, TimeLeft, Wiped, Summary bool
		CSVLines                           int
		CSVClean                           bool
	}
	look := func(screen, csv string) seen {
		s := seen{Summary: strings.Contains(screen, summary), CSVLines: strings.Count(csv, "\n"),
			CSVClean: !strings.Contains(csv, "已处理") && !strings.Contains(csv, "\x1b")}
		for _, m := range progress.FindAllStringSubmatch(screen, -1) {
			s.Progress = true
			s.TimeLeft = s.TimeLeft || m[2] != ""
		}
		// the last progress line is wiped before the summary
		s.Wiped = strings.Contains(screen, "\r\x1b[K"+summary)
		return s
	}

	tests := []struct {
		name   string
		stderr string
		flags  []string
		want   seen
	}{
		{"terminal", "terminal", nil, seen{Progress: true, TimeLeft: true, Wiped: true, Summary: true, CSVLines: rows + 1, CSVClean: true}},
		{"terminal, --quiet", "terminal", []string{"--quiet"}, seen{Summary: true, CSVLines: rows + 1, CSVClean: true}},
		{"a file", "file", nil, seen{Summary: true, CSVLines: rows + 1, CSVClean: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := look(run(t, tt.stderr, tt.flags...))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
