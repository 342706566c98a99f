package hanzi

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSimplifyString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"補助", "补助"},
		{"研發投入", "研发投入"},
		{"規則", "规则"},
		{"超過", "超过"},
		{"萬", "万"},
		{"億", "亿"},
		{"补助", "补助"},         // already Simplified
		{"abc123", "abc123"}, // not Han
		{"濟寧", "济宁"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := SimplifyString(tt.in); got != tt.want {
			t.Errorf("SimplifyString(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTableIsTheVendoredSource: every line of the vendored OpenCC file
// (opencc/TSCharacters.txt, which gen.go reads) is in the table: its
// character simplifies to the first candidate.
func TestTableIsTheVendoredSource(t *testing.T) {
	src, err := os.ReadFile("opencc/TSCharacters.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, line := range strings.Split(string(src), "\n") {
		key, vals, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		from, _ := utf8.DecodeRuneInString(key)
		to, _ := utf8.DecodeRuneInString(strings.Fields(vals)[0])
		if got := Simplify(from); got != to {
			t.Errorf("Simplify(%c) = %c, the source says %c", from, got, to)
		}
		lines++
	}
	if lines < 3000 {
		t.Errorf("only %d lines read", lines)
	}
}
