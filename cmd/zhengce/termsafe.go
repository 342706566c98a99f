package main

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// termSafe writes text with the characters a terminal would act on shown,
// not acted on: control characters other than newline and tab (ESC starts
// the sequences that move the cursor, set the window title or write the
// clipboard), DEL, the C1 controls, and the characters that reorder text
// (Trojan Source) are written as \u001B and the like; bytes that are not
// UTF-8 as U+FFFD. Data from enterprises reaches the screen in names and
// values, and a name must not be able to take over the terminal.
//
// A character cut between two writes (a buffered writer flushes where its
// buffer ends) is held back until the write that completes it.
type termSafe struct {
	w    io.Writer
	held *[]byte // the start of a character cut at the end of the last write
}

func newTermSafe(w io.Writer) termSafe { return termSafe{w: w, held: new([]byte)} }

func (t termSafe) Write(p []byte) (int, error) {
	n := len(p)
	if len(*t.held) > 0 {
		p = append(append([]byte(nil), *t.held...), p...)
		*t.held = (*t.held)[:0]
	}
	if cut := incompleteTail(p); cut > 0 {
		*t.held = append(*t.held, p[len(p)-cut:]...)
		p = p[:len(p)-cut]
	}
	if termClean(p) {
		if _, err := t.w.Write(p); err != nil {
			return 0, err
		}
		return n, nil
	}
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case actsOnTerminal(r):
			out = fmt.Appendf(out, `\u%04X`, r)
		default:
			out = append(out, p[i:i+size]...)
		}
		i += size
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return n, nil
}

// incompleteTail returns how many bytes at the end of p begin a UTF-8
// character that p does not finish: 0 to 3.
func incompleteTail(p []byte) int {
	for k := 1; k <= 3 && k <= len(p); k++ {
		c := p[len(p)-k]
		if c < utf8.RuneSelf {
			return 0
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(p[len(p)-k:]) {
				return 0
			}
			return k
		}
	}
	return 0
}

// actsOnTerminal reports whether r would be acted on rather than shown.
func actsOnTerminal(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
		return true
	}
	return false
}

// termClean reports, quickly, that p holds nothing termSafe would change:
// no ASCII control but newline and tab, no DEL, valid UTF-8, and none of
// the C1 controls (encoded C2 80–C2 9F) or the reordering characters
// (E2 80 8E, E2 80 8F, E2 80 AA–AE, E2 81 A6–A9).
func termClean(p []byte) bool {
	for _, b := range p {
		if b < 0x20 && b != '\n' && b != '\t' || b == 0x7f {
			return false
		}
	}
	if !utf8.Valid(p) {
		return false
	}
	for i := bytes.IndexByte(p, 0xC2); i >= 0; {
		if i+1 < len(p) && p[i+1] >= 0x80 && p[i+1] <= 0x9f {
			return false
		}
		j := bytes.IndexByte(p[i+1:], 0xC2)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	for i := bytes.IndexByte(p, 0xE2); i >= 0; {
		if i+2 < len(p) {
			b1, b2 := p[i+1], p[i+2]
			if b1 == 0x80 && (b2 == 0x8e || b2 == 0x8f || b2 >= 0xaa && b2 <= 0xae) || b1 == 0x81 && b2 >= 0xa6 && b2 <= 0xa9 {
				return false
			}
		}
		j := bytes.IndexByte(p[i+1:], 0xE2)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return true
}
