package lang

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/width"
)

// Locale selects the language of messages a user reads.
type Locale int

const (
	// Chinese is the default: messages in Simplified Chinese.
	Chinese Locale = iota
	// English gives messages in English.
	English
)

// ParseLocale maps "zh", "en" and their common spellings to a Locale.
func ParseLocale(s string) (Locale, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "zh", "zh-cn", "zh_cn", "zh-hans", "cn", "chinese", "中文":
		return Chinese, true
	case "en", "en-us", "en_us", "english", "英文":
		return English, true
	}
	return Chinese, false
}

// ExprFile is the name a lone expression's positions give as their file.
const ExprFile = "表达式"

// Message is a text for people in Chinese and English: every package that
// speaks to people says things in both, and the caller picks. As an error,
// its Error is the Chinese.
type Message struct{ Zh, En string }

func (m *Message) Error() string { return m.Zh }

// Text is the message in the given locale.
func (m Message) Text(loc Locale) string {
	if loc == English {
		return m.En
	}
	return m.Zh
}

// String is the Chinese.
func (m Message) String() string { return m.Zh }

// IsZero reports whether m says nothing.
func (m Message) IsZero() bool { return m.Zh == "" && m.En == "" }

// Messagef formats a message from a Chinese and an English format with
// the same arguments.
func Messagef(zh, en string, args ...any) *Message {
	return &Message{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// Error is a diagnostic tied to a position in a policy file, with its message
// in Chinese and in English.
type Error struct {
	Pos     Pos
	Zh, En  string
	Warning bool // a warning does not stop the program from running
}

// Error formats e as "file:line:col: message" in Chinese.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Zh }

// Message returns the message in the given locale.
func (e *Error) Message(loc Locale) string {
	if loc == English && e.En != "" {
		return e.En
	}
	return e.Zh
}

// ErrorList is a list of diagnostics, in source order.
type ErrorList []*Error

// unique drops an error said twice at one place (an expression checked
// again, as a rule's output is).
func (l ErrorList) unique() ErrorList {
	seen := map[string]bool{}
	out := l[:0:0]
	for _, e := range l {
		key := e.Pos.String() + e.Zh
		if !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	return out
}

// Error returns the first error and a count of the others.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "没有错误"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s（另有 %d 个错误）", l[0].Error(), len(l)-1)
}

// Err returns l as an error, or nil when l holds no errors (warnings only).
func (l ErrorList) Err() error {
	for _, e := range l {
		if !e.Warning {
			return l
		}
	}
	return nil
}

func errorf(pos Pos, zh, en string, args ...any) *Error {
	return &Error{Pos: pos, Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// FormatErrors renders err for a person: each diagnostic as
// "file:line:col: message", then the source line and a caret under the
// column, placed by display width (a Han character is two columns wide).
// Errors that carry no position are printed as they are.
func FormatErrors(err error, src []byte, loc Locale) string {
	var list ErrorList
	var one *Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = ErrorList{one}
	default:
		// an error of another package that speaks both languages
		var both interface{ Text(Locale) string }
		if errors.As(err, &both) {
			return both.Text(loc)
		}
		return err.Error()
	}
	var b strings.Builder
	for _, e := range list {
		label := ""
		if e.Warning {
			label = map[Locale]string{Chinese: "警告：", English: "warning: "}[loc]
		}
		pos := e.Pos
		if pos.File == ExprFile && loc == English {
			pos.File = "expression"
		}
		fmt.Fprintf(&b, "%s: %s%s\n", pos, label, e.Message(loc))
		if line, ok := sourceLine(src, e.Pos); ok {
			fmt.Fprintf(&b, "  %s\n  %s^\n", line, caretPad(line, e.Pos.Col))
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func sourceLine(src []byte, p Pos) (string, bool) {
	if !p.IsValid() || p.Offset > len(src) {
		return "", false
	}
	start := strings.LastIndexByte(string(src[:p.Offset]), '\n') + 1
	end := strings.IndexByte(string(src[p.Offset:]), '\n')
	if end < 0 {
		end = len(src)
	} else {
		end += p.Offset
	}
	return strings.TrimRight(string(src[start:end]), "\r"), true
}

// caretPad returns the blanks that put a caret under character col of line.
func caretPad(line string, col int) string {
	var b strings.Builder
	n := 1
	for _, r := range line {
		if n >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteString(strings.Repeat(" ", DisplayWidth(string(r))))
		}
		n++
	}
	return b.String()
}

// DisplayWidth returns the number of terminal columns s takes: two for wide
// and full-width characters (Han, full-width punctuation), one otherwise.
func DisplayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 2
		default:
			if r >= 0x20 {
				w++
			}
		}
	}
	return w
}
