package lang

import (
	"fmt"
	"unicode/utf8"
)

// Pos is a position in a source file. Line and Col count from 1; Col counts
// characters (runes), not bytes or display columns.
type Pos struct {
	File   string
	Offset int // byte offset
	Line   int
	Col    int
}

// String formats p as file:line:col.
func (p Pos) String() string {
	if p.File == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// IsValid reports whether p refers to a place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Span is a half-open byte range [Start, End) of a source file.
type Span struct {
	Start, End int
}

// lineTable maps byte offsets to lines and columns.
type lineTable struct {
	file  string
	src   []byte
	lines []int // byte offset at which each line starts
	// the last position computed, so that positions asked for in order
	// cost time in proportion to the distance between them
	lastOff, lastLine, lastCol int
}

func newLineTable(file string, src []byte) *lineTable {
	t := &lineTable{file: file, src: src, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// pos returns the position of byte offset off.
func (t *lineTable) pos(off int) Pos {
	lo, hi := 0, len(t.lines)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if t.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	from, col := t.lines[lo], 1
	if t.lastLine == lo+1 && t.lastOff <= off {
		from, col = t.lastOff, t.lastCol
	}
	col += utf8.RuneCount(t.src[from:off])
	t.lastOff, t.lastLine, t.lastCol = off, lo+1, col
	return Pos{File: t.file, Offset: off, Line: lo + 1, Col: col}
}
