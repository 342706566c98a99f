package lang

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// This file says what the parser found wrong, for a drafter: the token
// met, and the words or kinds of thing that may come instead, never the
// grammar's own notation.

// syntaxError turns a participle error into an Error in Chinese and English.
func syntaxError(err error, toks []Token) *Error {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return &Error{Zh: "语法错误：" + err.Error(), En: "syntax error: " + err.Error()}
	}
	lp := perr.Position()
	pos := Pos{File: lp.Filename, Offset: lp.Offset, Line: lp.Line, Col: lp.Column}
	var unexpected *participle.UnexpectedTokenError
	if !errors.As(err, &unexpected) { // participle's other messages are in its own terms, not a drafter's
		return &Error{Pos: pos, Zh: "语法错误：这里的写法无法理解", En: "syntax error: what is written here cannot be understood"}
	}
	what := describeToken(toks, unexpected.Unexpected.Pos.Offset, unexpected.Unexpected.Type)
	expected := ""
	if _, after, ok := strings.Cut(unexpected.Message(), "(expected "); ok {
		expected = strings.TrimSuffix(after, ")")
		// For a sequence such as `"否则" GExpr` or `(":" | "那么") GExpr`,
		// name only what must come next.
		if strings.HasPrefix(expected, "(") {
			depth := 0
			for i, r := range expected {
				if r == '(' {
					depth++
				} else if r == ')' {
					if depth--; depth == 0 {
						expected = expected[1:i]
						break
					}
				}
			}
		} else if !strings.Contains(expected, " | ") {
			if first, _, ok := strings.Cut(expected, " "); ok {
				expected = first
			}
		}
	}
	if tok := tokenAtOffset(toks, unexpected.Unexpected.Pos.Offset); tok != nil && tok.Kind == TokKeyword && (strings.Contains(expected, "GName") || strings.Contains(expected, "<ident>")) {
		return &Error{Pos: pos,
			Zh: fmt.Sprintf("“%[1]s”是关键字，不能用作名称；请换一个名称，如“%[1]s值”", tok.Text),
			En: fmt.Sprintf("%[1]q is a keyword and cannot be a name; choose another, such as %[1]q + a word", tok.Text)}
	}
	zh, en := describeExpected(expected)
	if zh == "" {
		return &Error{Pos: pos,
			Zh: fmt.Sprintf("语法错误：此处不应出现%s", what[0]),
			En: fmt.Sprintf("syntax error: unexpected %s", what[1])}
	}
	return &Error{Pos: pos,
		Zh: fmt.Sprintf("语法错误：此处不应出现%s，应为%s", what[0], zh),
		En: fmt.Sprintf("syntax error: unexpected %s, expected %s", what[1], en)}
}

// tokenAtOffset is the token (not an end of line) that starts at offset.
func tokenAtOffset(toks []Token, offset int) *Token {
	i := sort.Search(len(toks), func(i int) bool { return toks[i].Pos.Offset >= offset })
	for ; i < len(toks) && toks[i].Pos.Offset == offset; i++ {
		if toks[i].Kind != TokEOL {
			return &toks[i]
		}
	}
	return nil
}

// describeToken names the token at offset for a message, in Chinese and English.
func describeToken(toks []Token, offset int, typ lexer.TokenType) [2]string {
	if typ == lexer.EOF {
		return [2]string{"文件结尾", "end of file"}
	}
	i := sort.Search(len(toks), func(i int) bool { return toks[i].Pos.Offset >= offset })
	for ; i < len(toks) && toks[i].Pos.Offset == offset; i++ {
		if toks[i].Kind == TokEOL && typ == tokenTypes["EOL"] {
			if i+1 < len(toks) && toks[i+1].Kind == TokEOF {
				return [2]string{"结尾", "end of input"}
			}
			return [2]string{"换行", "end of line"}
		}
		if toks[i].Kind != TokEOL {
			return [2]string{"“" + toks[i].Text + "”", fmt.Sprintf("%q", toks[i].Text)}
		}
	}
	return [2]string{"换行", "end of line"}
}

// grammarNames matches the names of grammar structs in participle's messages.
var grammarNames = regexp.MustCompile(`\bG[A-Z][A-Za-z]*\b`)

// expectedItems matches what participle says may come next: a quoted word,
// a kind of token, or a part of the grammar.
var expectedItems = regexp.MustCompile(`"[^"]*"|<[a-z]+>|\bG[A-Z][A-Za-z]*\b`)

// describeExpected rewrites participle's "expected" text for people: the
// words and kinds of thing that may come next, as a plain list ("“至”、表达式
// 或换行"), never the grammar's own notation (+, *, ?, brackets, |).
func describeExpected(s string) (zh, en string) {
	kinds := map[string][2]string{
		"<expr>": {"表达式", "an expression"}, "<ident>": {"名称", "a name"}, "<number>": {"数字", "a number"},
		"<string>": {"带引号的文字", "quoted text"}, "<eol>": {"换行", "end of line"}, "<date>": {"日期", "a date"},
		"<ratio>": {"比例（如 5∶2）", "a ratio such as 5:2"}, "GName": {"名称", "a name"},
	}
	var zhs, ens []string
	seen := map[string]bool{}
	for _, item := range expectedItems.FindAllString(s, -1) {
		var w [2]string
		switch {
		case strings.HasPrefix(item, `"`):
			word := strings.Trim(item, `"`)
			zhWord := map[string]string{":": "：", ",": "，", "(": "（", ")": "）"}[word]
			if zhWord == "" {
				zhWord = word
			}
			w = [2]string{"“" + zhWord + "”", fmt.Sprintf("%q", englishKeyword(word))}
		case kinds[item] != [2]string{}:
			w = kinds[item]
		default:
			w = kinds["<expr>"] // another part of the grammar: an expression, as a person sees it
		}
		if !seen[w[0]] {
			seen[w[0]] = true
			zhs, ens = append(zhs, w[0]), append(ens, w[1])
		}
	}
	if len(zhs) > 5 {
		zhs, ens = zhs[:5], ens[:5] // the first few say enough
	}
	return joinOr(zhs, "、", "或"), joinOr(ens, ", ", " or ")
}

// englishKeyword is the English spelling of a keyword in its canonical
// form (金额 → money), or the word itself when it has none.
func englishKeyword(canon string) string {
	best := ""
	for spelling, c := range keywords {
		if c == canon && spelling[0] < 0x80 && (best == "" || len(spelling) < len(best) || (len(spelling) == len(best) && spelling < best)) {
			best = spelling
		}
	}
	if best == "" {
		return canon
	}
	return best
}

// joinOr joins words as a list of choices: A、B或C; A, B or C.
func joinOr(words []string, sep, or string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], sep) + or + words[len(words)-1]
}
