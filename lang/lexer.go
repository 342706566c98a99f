package lang

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/lang/internal/hanzi"
)

// Lex splits src into tokens. Runs of Han characters, which Chinese writes
// without spaces, are split into keywords, numbers and names: the names are
// those the file declares (inputs, parameters, rules and assignments) and the
// extra names given (built-in functions). Where a run can be read in two ways
// with the same number of words, Lex reports the ambiguity instead of
// guessing.
func Lex(filename string, src []byte, names []string) ([]Token, error) {
	toks, _, err := lex(filename, src, names)
	return toks, err
}

// lex is Lex, and the warnings the text deserves: characters that reorder
// what is shown (Trojan Source), names that mix look-alike scripts.
func lex(filename string, src []byte, names []string) ([]Token, ErrorList, error) {
	return lexLines(newLineTable(filename, src), src, names)
}

// lexLines is lex with the line table given: for files joined, it names
// each file.
func lexLines(lines *lineTable, src []byte, names []string) ([]Token, ErrorList, error) {
	lx := &scanner{lines: lines, src: src}
	lx.scan()
	if len(lx.errs) > 0 {
		return nil, nil, lx.errs
	}
	dict := newDictionary()
	for _, n := range names {
		dict.addName(n)
	}
	for _, n := range declaredNames(lx.raw) {
		dict.addName(n)
	}
	toks := lx.segmentAll(dict)
	if len(lx.errs) > 0 {
		return nil, nil, lx.errs
	}
	if len(toks) > MaxTokens {
		return nil, nil, ErrorList{errorf(toks[MaxTokens].Pos, "政策文件过大：超过 %d 个词", "the policy file is too large: more than %d words", MaxTokens)}
	}
	if err := keywordAsName(toks); err != nil {
		return nil, nil, ErrorList{err}
	}
	lx.mixedScripts(toks)
	end := len(src)
	for end > 0 && strings.ContainsRune(" \t\r\n", rune(src[end-1])) {
		end--
	}
	toks = joinLines(toks, lx.lines.pos(end))
	if err := checkNesting(toks); err != nil {
		return nil, nil, ErrorList{err}
	}
	return toks, lx.warns, nil
}

// rawKind classifies what the first scan finds.
type rawKind int

const (
	rawRun    rawKind = iota // letters, digits, _, %, ‰ and decimal points
	rawPunct                 // an operator or bracket
	rawString                // a quoted string
	rawEOL                   // a newline or ';'
	rawDate                  // 2025-06-15
	rawRatio                 // 5:2
)

// rawToken is a token of the first scan. For runs, text holds the folded
// characters (ASCII digits, Simplified Han) and offs the byte offset of each.
type rawToken struct {
	kind  rawKind
	text  []rune
	offs  []int
	start int // byte offset of the first character
	end   int // byte offset after the last character
}

func (r *rawToken) str() string { return string(r.text) }

type scanner struct {
	lines *lineTable
	src   []byte
	raw   []rawToken
	errs  ErrorList
	warns ErrorList
}

// reorders reports whether r changes the order in which text is shown:
// the bidirectional embeddings, overrides and isolates, and the marks.
func reorders(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// warnReordering warns of characters in src[start:end] (a comment or a
// string) that reorder what an editor shows: code can then read otherwise
// than it runs (Trojan Source, CVE-2021-42574).
func (lx *scanner) warnReordering(start, end int, what [2]string) {
	for i, r := range string(lx.src[start:end]) {
		if reorders(r) {
			lx.warns = append(lx.warns, &Error{Pos: lx.lines.pos(start + i), Warning: true,
				Zh: fmt.Sprintf("%s中有改变显示次序的控制字符 U+%04X：编辑器显示的内容可能与实际不同", what[0], r),
				En: fmt.Sprintf("the %s holds U+%04X, which reorders how text is shown: what an editor shows may not be what runs", what[1], r)})
			return
		}
	}
}

// mixedScripts warns of a name that mixes Latin letters with Cyrillic or
// Greek ones, which look alike: tаx with a Cyrillic а is not tax.
func (lx *scanner) mixedScripts(toks []Token) {
	for _, t := range toks {
		if t.Kind != TokIdent {
			continue
		}
		latin, other := false, false
		for _, r := range t.Text {
			switch {
			case unicode.Is(unicode.Latin, r):
				latin = true
			case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r):
				other = true
			}
		}
		if latin && other {
			lx.warns = append(lx.warns, &Error{Pos: t.Pos, Warning: true,
				Zh: fmt.Sprintf("名称“%s”混用了拉丁字母与形近的西里尔或希腊字母：看起来相同的名称可能是两个名称", t.Text),
				En: fmt.Sprintf("the name %q mixes Latin letters with look-alike Cyrillic or Greek ones: names that look the same may differ", t.Text)})
		}
	}
}

func (lx *scanner) errorAt(off int, zh, en string, args ...any) {
	lx.errs = append(lx.errs, errorf(lx.lines.pos(off), zh, en, args...))
}

// fold maps full-width and typographic forms to the ASCII characters the
// grammar uses, and Traditional characters to Simplified ones.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	}
	switch r {
	case '×':
		return '*'
	case '÷':
		return '/'
	case '∶':
		return ':'
	case '、':
		return ','
	case '。':
		return ';'
	case '−', '－':
		return '-'
	}
	return hanzi.Simplify(r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isWordRune(r rune) bool {
	return r == '_' || isDigit(r) || unicode.IsLetter(r) || r == '%' || r == '‰'
}

func isASCIIWord(r rune) bool {
	return r == '_' || isDigit(r) || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
}

var closingQuote = map[rune]rune{'"': '"', '“': '”', '「': '」', '『': '』'}

// scan is the first pass: it folds characters and groups them.
func (lx *scanner) scan() {
	lx.scanFrom(len(lx.src) - len(TrimBOM(lx.src))) // after a byte order mark
}

func (lx *scanner) scanFrom(i int) {
	src := lx.src
	for i < len(src) {
		if len(lx.raw) > MaxTokens {
			lx.errorAt(i, "政策文件过大：超过 %d 个词", "the policy file is too large: more than %d words", MaxTokens)
			return
		}
		r0, size := utf8.DecodeRune(src[i:])
		if r0 == utf8.RuneError && size <= 1 {
			lx.errorAt(i, "文件不是有效的 UTF-8 编码（GBK 文件请先转换为 UTF-8）", "the file is not valid UTF-8 (convert GBK files to UTF-8 first)")
			return
		}
		r := fold(r0)
		switch {
		case r == '\n' || r == ';':
			lx.raw = append(lx.raw, rawToken{kind: rawEOL, start: i, end: i + size})
			i += size
		case r == ' ' || r == '\t' || r == '\r' || r == '\v' || r == '\f' || r == 0xFEFF:
			i += size
		case r == '#' || (r == '/' && i+size < len(src) && fold(rune(src[i+size])) == '/'):
			start := i
			for i < len(src) && src[i] != '\n' {
				i++
			}
			lx.warnReordering(start, i, [2]string{"注释", "comment"})
		case closingQuote[r0] != 0 || r == '"':
			i = lx.scanString(i, r0, size)
		case isWordRune(r):
			i = lx.scanRun(i)
		default:
			i = lx.scanPunct(i, r, size)
		}
	}
}

// scanString scans quoted text from start, its opening quote open. Quotes
// of another kind inside are text ("…“就高、不重复”…"); quotes of its own
// kind nest (“…“就高、不重复”…”, 「…「…」…」), as the documents quote.
func (lx *scanner) scanString(start int, open rune, size int) int {
	want := closingQuote[open]
	if want == 0 {
		want = '"' // ＂, or a closing quote used to open
	}
	depth := 0
	i := start + size
	for i < len(lx.src) {
		r, n := utf8.DecodeRune(lx.src[i:])
		if r == '\n' {
			break
		}
		i += n
		closes := r == want || (want == '"' && r == '＂') || (open == '“' && r == '"')
		switch {
		case r == open && open != want:
			depth++
		case closes && depth > 0 && r == want:
			depth--
		case closes:
			lx.raw = append(lx.raw, rawToken{kind: rawString, start: start, end: i})
			lx.warnReordering(start, i, [2]string{"文字", "quoted text"})
			return i
		}
	}
	lx.errorAt(start, "字符串缺少结尾的引号 %c", "string is missing its closing quote %c", want)
	return i
}

func (lx *scanner) scanRun(start int) int {
	t := rawToken{kind: rawRun, start: start}
	i := start
	for i < len(lx.src) {
		r0, n := utf8.DecodeRune(lx.src[i:])
		r := fold(r0)
		if r == '.' {
			// a decimal point only between digits: 3.5, ３．５
			r1, _ := utf8.DecodeRune(lx.src[i+n:])
			if len(t.text) == 0 || !isDigit(t.text[len(t.text)-1]) || !isDigit(fold(r1)) {
				break
			}
		} else if !isWordRune(r) {
			break
		}
		t.text = append(t.text, r)
		t.offs = append(t.offs, i)
		i += n
	}
	t.end = i
	lx.raw = append(lx.raw, t)
	return i
}

// twoCharPuncts lists the operators written with two characters.
var twoCharPuncts = map[string]string{">=": ">=", "<=": "<=", "!=": "!=", "==": "==", "&&": "且", "||": "或"}

const singlePuncts = "+-*/=<>()[],:!.≥≤≠{}"

func (lx *scanner) scanPunct(i int, r rune, size int) int {
	if i+size < len(lx.src) {
		r1, n1 := utf8.DecodeRune(lx.src[i+size:])
		if _, ok := twoCharPuncts[string([]rune{r, fold(r1)})]; ok {
			lx.raw = append(lx.raw, rawToken{kind: rawPunct, text: []rune{r, fold(r1)}, start: i, end: i + size + n1})
			return i + size + n1
		}
	}
	if strings.ContainsRune(singlePuncts, r) {
		lx.raw = append(lx.raw, rawToken{kind: rawPunct, text: []rune{r}, start: i, end: i + size})
		return i + size
	}
	lx.errorAt(i, "无法识别的字符 “%c”", "unexpected character %q", r)
	return i + size
}

// punctCanon gives the canonical form of an operator.
func punctCanon(s string) string {
	switch s {
	case "≥":
		return ">="
	case "≤":
		return "<="
	case "≠":
		return "!="
	case "!":
		return "非"
	}
	if c, ok := twoCharPuncts[s]; ok {
		return c
	}
	return s
}

// declaredNames finds the names the file declares, before the runs are
// segmented: the name after 输入, 参数 or 规则, and a whole run followed by
// ':' or (at the start of a line) by '='.
func declaredNames(raw []rawToken) []string {
	var names []string
	add := func(s string) {
		if s != "" && keywords[s] == "" {
			names = append(names, s)
		}
	}
	lineStart := true
	braces := 0 // inside a table's { }, what comes before ':' is a key, not a name
	for i := range raw {
		t := &raw[i]
		if t.kind == rawEOL {
			lineStart = true
			continue
		}
		first := lineStart
		lineStart = false
		if t.kind == rawPunct {
			switch t.str() {
			case "{":
				braces++
			case "}":
				braces = max(braces-1, 0)
			}
		}
		if t.kind != rawRun {
			continue
		}
		s := t.str()
		var next *rawToken
		if i+1 < len(raw) {
			next = &raw[i+1]
		}
		nextIs := func(p string) bool { return next != nil && next.kind == rawPunct && next.str() == p }
		if first {
			for _, kw := range []string{"输入", "参数", "规则", "就高不重复", "预算", "评选", "上限", "不予支持", "给予",
				"input", "param", "rule", "exclusive", "budget", "select", "cap", "exclude", "pay"} {
				if strings.HasPrefix(s, kw) {
					rest := s[len(kw):]
					if kw[0] < 0x80 && rest != "" {
						continue // "inputs" is a name, not "input s"
					}
					if rest == "" && next != nil && next.kind == rawRun {
						add(next.str())
					} else {
						add(rest)
					}
					s = ""
					break
				}
			}
		}
		if s != "" && (((nextIs(":") || unitAt(raw, i+1)) && braces == 0) || (first && nextIs("="))) {
			add(s)
		}
	}
	return names
}

// MaxNameLength is the longest name, in characters, the lexer accepts.
const MaxNameLength = 64

// MaxNesting bounds how deeply brackets and 如果, 按 and 对每个 may nest in
// one statement: the parser recurses on each.
const MaxNesting = 100

// MaxTokens bounds the words (tokens) of a policy file: parsing costs time
// and memory linear in them, some 10 µs and 5 KB a word, so the bound keeps
// a file under a second to compile. The longest seed policy has 4 000.
const MaxTokens = 100_000

// clip shortens text quoted in a message to 40 characters.
func clip(s string) string { return Clip(s) }

// Clip shortens text quoted in a message to its first 40 characters and
// "…": a message about a cell of a hundred megabytes must not echo it. It
// reads no further than it keeps.
func Clip(s string) string {
	n := 0
	for i := range s {
		if n == 40 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// joinLines drops line breaks inside brackets and where the statement
// plainly goes on (after an operator, or before a line that starts with one),
// folds repeated breaks, and ends the stream with TokEOL and EOF.
func joinLines(toks []Token, eofPos Pos) []Token {
	out := make([]Token, 0, len(toks)+2)
	depth := 0
	for i, t := range toks {
		if t.Kind == TokEOL {
			if depth > 0 || len(out) == 0 || out[len(out)-1].Kind == TokEOL {
				continue
			}
			if prev := out[len(out)-1]; (prev.Kind == TokPunct || prev.Kind == TokKeyword) && continuesAfter[prev.Canon] {
				continue
			}
			if next := nextSignificant(toks, i); next != nil && (next.Kind == TokPunct || next.Kind == TokKeyword) && continuesBefore[next.Canon] {
				continue
			}
		}
		if t.Kind == TokPunct {
			switch t.Canon {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				depth = max(depth-1, 0)
			}
		}
		out = append(out, t)
	}
	if len(out) > 0 && out[len(out)-1].Kind != TokEOL {
		out = append(out, Token{Kind: TokEOL, Canon: "\n", Text: "", Pos: eofPos})
	}
	return append(out, Token{Kind: TokEOF, Pos: eofPos})
}

// startsExpression holds the keywords an expression may begin with, so that
// "真 = 是" stays a comparison.
var startsExpression = map[string]bool{"真": true, "假": true, "非": true, "如果": true, "按": true, "评估日期": true,
	"总额": true, "名额": true, "额度": true} // and the clauses 总额 = …, 名额 = … and 额度 = … of 预算, 评选 and 上限

// keywordAsName reports a keyword written where a name is being defined:
// "比例 = 20%" at the start of a line. Left to the parser, it would only say
// what it expected instead.
func keywordAsName(toks []Token) *Error {
	lineStart := true
	for i, t := range toks {
		if t.Kind == TokEOL {
			lineStart = true
			continue
		}
		next := func(p string) bool { return i+1 < len(toks) && toks[i+1].Kind == TokPunct && toks[i+1].Canon == p }
		defining := lineStart && !startsExpression[t.Canon] && next("=")
		if !defining && i > 0 && next(":") {
			// a field or an input being declared: （年度：数值，金额：…） or 输入 金额：…
			prev := toks[i-1]
			defining = (prev.Kind == TokPunct && (prev.Canon == "(" || prev.Canon == ",")) || (prev.Kind == TokKeyword && prev.Canon == "输入")
		}
		if t.Kind == TokKeyword && defining {
			return errorf(t.Pos, "“%[1]s”是关键字，不能用作名称；请换一个名称，如“%[1]s值”或“补助%[1]s”",
				"%[1]q is a keyword and cannot be a name; choose another, such as %[1]s值", t.Text)
		}
		lineStart = false
	}
	return nil
}

// checkNesting reports a statement whose brackets, 如果, 按 or 对每个 nest
// more than MaxNesting deep, which no policy needs and which would let a
// hostile script exhaust the parser's stack. Brackets close; the keywords
// do not (their expressions end where the grammar says), so each is
// counted to the end of the statement.
func checkNesting(toks []Token) *Error {
	depth, opened := 0, 0
	for _, t := range toks {
		switch {
		case t.Kind == TokEOL:
			depth, opened = 0, 0
		case t.Kind == TokPunct && (t.Canon == "(" || t.Canon == "[" || t.Canon == "{"):
			depth++
		case t.Kind == TokPunct && (t.Canon == ")" || t.Canon == "]" || t.Canon == "}"):
			depth--
		case t.Kind == TokKeyword && (t.Canon == "如果" || t.Canon == "按" || t.Canon == "对每个"):
			opened++
		}
		if depth > MaxNesting || opened > MaxNesting {
			return errorf(t.Pos, "嵌套过深：括号、“如果”“按…取”“对每个”不能超过 %d 层", "nested too deeply: at most %d levels of brackets, 如果, 按…取 and 对每个", MaxNesting)
		}
	}
	return nil
}

func nextSignificant(toks []Token, i int) *Token {
	for j := i + 1; j < len(toks); j++ {
		if toks[j].Kind != TokEOL {
			return &toks[j]
		}
	}
	return nil
}
