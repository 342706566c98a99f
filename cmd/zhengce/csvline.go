package main

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// csvLine builds one CSV record exactly as encoding/csv writes it (comma,
// LF, quotes only where a field needs them), appending each field to one
// buffer instead of making a string of it.
type csvLine struct {
	b      []byte
	fields int
}

func (l *csvLine) reset() { l.b, l.fields = l.b[:0], 0 }

func (l *csvLine) sep() {
	if l.fields > 0 {
		l.b = append(l.b, ',')
	}
	l.fields++
}

// text appends a field. Text that a spreadsheet would take for a formula
// is neutralised first (formulaSafe).
func (l *csvLine) text(s string) {
	l.sep()
	s = formulaSafe(s)
	if !needsQuotes(s) {
		l.b = append(l.b, s...)
		return
	}
	l.b = append(l.b, '"')
	l.b = append(l.b, strings.ReplaceAll(s, `"`, `""`)...)
	l.b = append(l.b, '"')
}

// raw appends a field that never needs quotes (是, 否, an empty field).
func (l *csvLine) raw(s string) {
	l.sep()
	l.b = append(l.b, s...)
}

// value appends a value, exactly, as a field.
func (l *csvLine) value(v *zhengce.Value) {
	start := len(l.b)
	l.sep()
	field := len(l.b)
	l.b = v.AppendExact(l.b)
	switch v.Kind() {
	case lang.KindMoney, lang.KindNumber, lang.KindRatio, lang.KindBool, lang.KindNA:
		return // digits, a point, a minus, 是, 否 or 不适用: never quoted
	}
	if needsQuotes(string(l.b[field:])) || formulaSafe(string(l.b[field:])) != string(l.b[field:]) {
		s := string(l.b[field:])
		l.b, l.fields = l.b[:start], l.fields-1
		l.text(s)
	}
}

// formulaSafe neutralises text that Excel or WPS would run as a formula
// when the CSV is opened ("CSV injection", OWASP): a field starting with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe, which
// the spreadsheet shows as text and does not evaluate. Numbers (−40, +3.5)
// are left as they are, so that they stay numbers; numbers are written
// through value, which never needs this.
func formulaSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := decimal.NewFromString(s); err == nil {
			return s
		}
		return "'" + s
	}
	return s
}

// end ends the record.
func (l *csvLine) end() { l.b = append(l.b, '\n') }

// needsQuotes is encoding/csv's rule for a comma-separated field.
func needsQuotes(field string) bool {
	if field == "" {
		return false
	}
	if field == `\.` {
		return true
	}
	for i := 0; i < len(field); i++ {
		switch field[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	switch c := field[0]; {
	case c < utf8.RuneSelf:
		return c == ' ' || c == '\t' || c == '\v' || c == '\f'
	case c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3:
		// the first bytes of U+0085, U+00A0, U+1680, U+2000–U+205F and
		// U+3000, the spaces beyond ASCII: 是, 否 and most Chinese text
		// start with none of them
		return false
	}
	r, _ := utf8.DecodeRuneInString(field)
	return unicode.IsSpace(r)
}
