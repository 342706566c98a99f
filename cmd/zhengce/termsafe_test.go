package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTermSafe(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"plain Chinese passes", []string{"枣庄新材料：400000元\n"}, "枣庄新材料：400000元\n"},
		{"a window title set by OSC", []string{"甲\x1b]0;pwned\x07乙\n"}, "甲\\u001B]0;pwned\\u0007乙\n"},
		{"a cursor move by CSI", []string{"\x1b[2J"}, "\\u001B[2J"},
		{"carriage return and DEL", []string{"a\rb\x7f"}, "a\\u000Db\\u007F"},
		{"a C1 control", []string{"a\u009bb"}, "a\\u009Bb"},
		{"Trojan Source reordering", []string{"\u202e甲\u2066"}, "\\u202E甲\\u2066"},
		{"bytes that are not UTF-8", []string{"a\xffb"}, "a\uFFFDb"},
		{"a character cut between two writes", []string{"企业\xe5\x90", "\x8d称"}, "企业名称"},
		{"a character cut at every byte", []string{"\xe5", "\x90", "\x8d"}, "名"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			w := newTermSafe(&out)
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			if diff := cmp.Diff(tt.want, out.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestNamesCannotDriveTheTerminal: an enterprise named with escape
// sequences reaches every human output of run, explain, match and compare
// shown, not acted on.
func TestNamesCannotDriveTheTerminal(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	name := "恶意\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J公司"
	data := writeFile(t, dir, "d.csv", "企业,研发投入增量,研发投入占比\n\""+name+"\",1000万,4%\n")
	for _, args := range [][]string{
		{"run", pol, "--data", data, "--id", "企业"},
		{"explain", pol, "--data", data, "--id", "企业"},
		{"match", pol, "--data", data, "--id", "企业"},
		{"compare", pol, "--set", "补助比例=20%", "--data", data, "--id", "企业"},
	} {
		_, out, errOut := zc(t, args...)
		if strings.ContainsAny(out+errOut, "\x1b\x07") {
			t.Errorf("%s: raw control characters reach the terminal:\n%q", args[0], out+errOut)
		}
		if !strings.Contains(out, `恶意\u001B]52;c;`) {
			t.Errorf("%s: the name is not shown:\n%s", args[0], out)
		}
	}
}
