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

// lineTable maps byte offsets to lines and columns, and to the file they
// are in when the text is several files joined (JoinSources).
type lineTable struct {
	file  string
	src   []byte
	segs  []segment // the files joined, in order; nil for one file
	lines []int     // byte offset at which each line starts
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

// segment is one file of several joined: where it starts in the joined
// text, and the line of the joined text it starts on.
type segment struct {
	name        string
	start, line int
}

// pos returns the position of byte offset off.
func (t *lineTable) pos(off int) Pos {
	p := t.pos1(off)
	if t.segs != nil {
		k := len(t.segs) - 1
		for k > 0 && t.segs[k].start > off {
			k--
		}
		p.File, p.Line = t.segs[k].name, p.Line-t.segs[k].line+1
	}
	return p
}

// pos1 is pos in the joined text.
func (t *lineTable) pos1(off int) Pos {
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

// Source is one file of a policy written as several: its name and text.
type Source struct {
	Name string
	Text []byte
}

// JoinSources joins the files of a policy into one text, each starting on
// a line of its own, without byte order marks: the text that Parse reads
// for them and that positions (their Offset) and spans refer to. Positions
// still name each file and its own lines.
func JoinSources(sources []Source) []byte {
	var b []byte
	for _, s := range sources {
		text := TrimBOM(s.Text)
		b = append(b, text...)
		if len(text) > 0 && text[len(text)-1] != '\n' {
			b = append(b, '\n')
		}
	}
	return b
}

// TrimBOM is text without its UTF-8 byte order mark, if it has one.
func TrimBOM(text []byte) []byte {
	if len(text) >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF {
		return text[3:]
	}
	return text
}

// SourceStarts gives where each source's text, its byte order mark
// trimmed, starts in the text JoinSources makes of sources.
func SourceStarts(sources []Source) []int {
	starts := make([]int, len(sources))
	at := 0
	for i, s := range sources {
		starts[i] = at
		text := TrimBOM(s.Text)
		at += len(text)
		if len(text) > 0 && text[len(text)-1] != '\n' {
			at++
		}
	}
	return starts
}

// joinedLineTable is the line table of sources joined by JoinSources.
func joinedLineTable(sources []Source, joined []byte) *lineTable {
	t := newLineTable("", joined)
	for i, start := range SourceStarts(sources) {
		t.segs = append(t.segs, segment{name: sources[i].Name, start: start, line: t.pos1(start).Line})
	}
	return t
}
