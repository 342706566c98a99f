// Package hanzi folds Traditional Chinese characters to their Simplified
// forms, so that a name written either way is one name.
package hanzi

import (
	"sort"
	"strings"
)

//go:generate go run gen.go -in opencc/TSCharacters.txt

// Simplify returns the usual Simplified form of r, or r itself when r has no
// Traditional form that differs.
func Simplify(r rune) rune {
	if r < 0x3400 { // below CJK Extension A: no Han characters
		return r
	}
	i := sort.Search(len(traditional), func(i int) bool { return traditional[i] >= r })
	if i < len(traditional) && traditional[i] == r {
		return simplified[i]
	}
	return r
}

// SimplifyString applies Simplify to every character of s.
func SimplifyString(s string) string {
	for _, r := range s {
		if Simplify(r) != r {
			return strings.Map(Simplify, s)
		}
	}
	return s
}
