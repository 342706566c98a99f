package hanzi

import "testing"

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
