package lang

import (
	"bytes"
	"strings"
)

// Format lays out a policy file in the one canonical form (zhengce fmt):
// two spaces per block (规则, 输入, 测试 … 结束) and two more for a line
// that continues a statement; one space between words; the punctuation a
// Chinese input method types (：，（）) for : , ( ); the names of an 输入
// block aligned after their ：; comments kept, trailing ones of a block
// aligned; runs of blank lines cut to one. Only white space and spellings
// the lexer reads as the same token change, so the program is the same;
// formatting twice gives the same text.
func Format(src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	toks, err := Lex("", src, nil)
	if err != nil {
		return nil, err
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	byLine := make([][]Token, len(lines)+1)
	for _, t := range toks {
		if t.Kind == TokEOF || (t.Kind == TokEOL && t.Text != ";") {
			continue
		}
		if t.Pos.Line >= 1 && t.Pos.Line <= len(lines) {
			byLine[t.Pos.Line-1] = append(byLine[t.Pos.Line-1], t)
		}
	}
	f := &formatter{src: src}
	lineStart := 0
	for i, raw := range lines {
		f.line(byLine[i], string(raw), lineStart)
		lineStart += len(raw)
	}
	return f.finish(), nil
}

// formatter carries the state from line to line.
type formatter struct {
	src    []byte
	out    []fmtLine
	depth  int  // blocks open
	inputs bool // inside an 输入 block
	// continuing: the statement goes on at the next line; brackets: how
	// many are open
	continuing bool
	brackets   int
	blanks     int
}

// fmtLine is one output line before alignment: its indent, its words,
// and its trailing comment; group ties the lines of a block whose
// comments align, align those of an 输入 block whose ：align.
type fmtLine struct {
	indent  int
	code    string
	comment string
	group   int // the block's depth, or ungrouped, or blankLine
	colon   int // in an 输入 block: the display width before the name's ：
}

// Groups that are not a block's depth: a line aligned with none, and a
// blank line.
const (
	ungrouped = -1
	blankLine = -2
)

var blockOpeners = map[string]bool{"规则": true, "测试": true, "就高不重复": true, "上限": true, "不予支持": true, "预算": true, "评选": true}

var imePunct = map[string]string{":": "：", ",": "，", "(": "（", ")": "）"}

func (f *formatter) line(toks []Token, raw string, start int) {
	text := strings.TrimRight(raw, " \t\r\n")
	if len(toks) == 0 {
		comment := strings.TrimSpace(text)
		if comment == "" {
			f.blanks++
			return
		}
		f.flushBlanks()
		indent := 2 * f.depth
		if f.continuing || f.brackets > 0 {
			indent += 2
		}
		f.out = append(f.out, fmtLine{indent: indent, comment: comment, group: ungrouped})
		return
	}
	f.flushBlanks()
	first := toks[0]
	continues := f.continuing || f.brackets > 0 || continuesBefore[first.Canon]
	if !continues && first.Canon == "结束" && f.depth > 0 {
		f.depth--
		f.inputs = false
	}
	indent := 2 * f.depth
	if continues {
		open := f.brackets
		if first.Kind == TokPunct && (first.Canon == ")" || first.Canon == "]" || first.Canon == "}") {
			open--
		}
		indent += 2 * max(open, 1)
		if open <= 0 && f.brackets > 0 && !f.continuing {
			indent -= 2 // the bracket that closes the statement's last one
		}
	}
	// the words, one space apart where the text had space
	var b strings.Builder
	colon := -1
	for i, t := range toks {
		if i > 0 {
			prevEnd := toks[i-1].Pos.Offset + len(toks[i-1].Text)
			if strings.TrimSpace(string(f.src[prevEnd:t.Pos.Offset])) == "" && t.Pos.Offset > prevEnd {
				b.WriteByte(' ')
			}
		}
		word := t.Text
		if t.Kind == TokPunct {
			if w, ok := imePunct[t.Text]; ok {
				word = w
			}
		}
		if colon < 0 && f.inputs && i == 1 && t.Canon == ":" && toks[0].Kind == TokIdent {
			colon = DisplayWidth(b.String())
		}
		b.WriteString(word)
		if t.Canon == "(" || t.Canon == "[" || t.Canon == "{" {
			f.brackets++
		} else if t.Canon == ")" || t.Canon == "]" || t.Canon == "}" {
			f.brackets = max(f.brackets-1, 0)
		}
	}
	last := toks[len(toks)-1]
	comment := ""
	if end := last.Pos.Offset + len(last.Text) - start; end < len(text) {
		comment = strings.TrimSpace(text[end:])
	}
	group := f.depth
	if f.depth == 0 {
		group = ungrouped
	}
	f.out = append(f.out, fmtLine{indent: indent, code: b.String(), comment: comment, group: group, colon: colon})
	if !continues && f.depth == 0 { // blocks are top-level statements; 规则 inside one is a clause
		switch {
		case blockOpeners[first.Canon]:
			f.depth++
		case first.Canon == "输入" && len(toks) == 1:
			f.depth++
			f.inputs = true
		}
	}
	f.continuing = continuesAfter[last.Canon] && last.Kind != TokEOL
}

// flushBlanks writes one blank line for a run of them, none at the start.
func (f *formatter) flushBlanks() {
	if f.blanks > 0 && len(f.out) > 0 {
		f.out = append(f.out, fmtLine{group: blankLine})
	}
	f.blanks = 0
}

// finish aligns and writes the lines: within each run of lines of one
// block, the names of an 输入 block at their ：, and trailing comments at
// one column.
func (f *formatter) finish() []byte {
	for i := 0; i < len(f.out); {
		j := i
		for j < len(f.out) && f.out[j].group == f.out[i].group && f.out[i].group >= 0 {
			j++
		}
		if j == i {
			i++
			continue
		}
		run := f.out[i:j]
		colon := 0
		for _, l := range run {
			colon = max(colon, l.colon)
		}
		for k := range run {
			if run[k].colon >= 0 && run[k].colon < colon {
				// the types in one column: the padding after the ：
				name := prefixOfWidth(run[k].code, run[k].colon+2)
				run[k].code = name + strings.Repeat(" ", colon-run[k].colon) + strings.TrimLeft(run[k].code[len(name):], " ")
			}
		}
		width := 0
		for _, l := range run {
			if l.comment != "" && l.code != "" {
				width = max(width, l.indent+DisplayWidth(l.code))
			}
		}
		for k := range run {
			if run[k].comment != "" && run[k].code != "" {
				run[k].comment = strings.Repeat(" ", width-run[k].indent-DisplayWidth(run[k].code)) + "  " + run[k].comment
			}
		}
		i = j
	}
	var b bytes.Buffer
	for _, l := range f.out {
		if l.group == blankLine {
			b.WriteByte('\n')
			continue
		}
		b.WriteString(strings.Repeat(" ", l.indent))
		b.WriteString(l.code)
		if l.code == "" {
			b.WriteString(l.comment)
		} else if l.comment != "" {
			if !strings.HasPrefix(l.comment, " ") {
				b.WriteString("  ")
			}
			b.WriteString(l.comment)
		}
		b.WriteByte('\n')
	}
	return append(bytes.TrimRight(b.Bytes(), "\n"), '\n')
}

// prefixOfWidth is the start of s that takes w columns.
func prefixOfWidth(s string, w int) string {
	n := 0
	for i, r := range s {
		if n >= w {
			return s[:i]
		}
		n += DisplayWidth(string(r))
	}
	return s
}
