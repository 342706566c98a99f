package lang

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// This file splits runs of characters written without spaces into words:
// keywords, numbers and the names the file declares, taking the split with
// the fewest words and reporting a run that splits two ways.

// dictionary holds the words a run may be split into, as a trie over
// folded characters.
type dictionary struct {
	root trieNode
}

type trieNode struct {
	next  map[rune]*trieNode
	word  bool   // a word ends here
	canon string // the keyword's canonical form, or "" for a name
}

func newDictionary() *dictionary {
	d := &dictionary{}
	for k, v := range keywords {
		d.add(k, v)
	}
	return d
}

func (d *dictionary) add(word, canon string) {
	n := &d.root
	for _, r := range word {
		if n.next == nil {
			n.next = map[rune]*trieNode{}
		}
		child := n.next[r]
		if child == nil {
			child = &trieNode{}
			n.next[r] = child
		}
		n = child
	}
	if !n.word { // a keyword keeps its meaning over a name spelt the same
		n.word, n.canon = true, canon
	}
}

func (d *dictionary) addName(s string) {
	s = strings.Map(fold, s)
	if _, isKeyword := keywords[s]; isKeyword || utf8.RuneCountInString(s) > MaxNameLength {
		return
	}
	d.add(s, "")
}

// piece is one word found in a run: [start, end) indexes runes of the run.
type piece struct {
	start, end int
	kind       TokenKind
	canon      string
}

// segmentAll turns the raw tokens into tokens.
func (lx *scanner) segmentAll(dict *dictionary) []Token {
	var toks []Token
	raw := lx.raw
	for i := 0; i < len(raw); i++ {
		t := &raw[i]
		switch t.kind {
		case rawEOL:
			toks = append(toks, Token{Kind: TokEOL, Canon: "\n", Text: "\n", Pos: lx.lines.pos(t.start)})
		case rawString:
			text := string(lx.src[t.start:t.end])
			_, n1 := utf8.DecodeRuneInString(text)
			_, n2 := utf8.DecodeLastRuneInString(text)
			toks = append(toks, Token{Kind: TokString, Canon: text[n1 : len(text)-n2], Text: text, Pos: lx.lines.pos(t.start)})
		case rawPunct:
			if d, n := lx.dateOrRatio(i); n > 0 {
				toks = append(toks, d)
				i += n - 1
				break
			}
			if tok, ok := lx.inclusion(i); ok {
				toks = append(toks, tok)
				i += 2
				break
			}
			if tok, ok := lx.declaredUnit(i); ok {
				toks = append(toks, tok)
				i += 2
				break
			}
			toks = append(toks, Token{Kind: TokPunct, Canon: punctCanon(t.str()), Text: string(lx.src[t.start:t.end]), Pos: lx.lines.pos(t.start)})
		case rawRun:
			if d, n := lx.dateOrRatio(i); n > 0 {
				toks = append(toks, d)
				i += n - 1
				break
			}
			for _, p := range lx.segment(t, dict) {
				start := t.offs[p.start]
				end := t.end
				if p.end < len(t.offs) {
					end = t.offs[p.end]
				}
				tok := Token{Kind: p.kind, Canon: p.canon, Text: string(lx.src[start:end]), Pos: lx.lines.pos(start)}
				if p.kind == TokIdent || p.kind == TokNumber || p.kind == TokDate {
					tok.Canon = string(t.text[p.start:p.end])
				}
				if p.kind == TokIdent && p.end-p.start > MaxNameLength {
					lx.errorAt(start, "名称过长：不能超过 %d 个字", "name too long: at most %d characters", MaxNameLength)
				}
				toks = append(toks, tok)
			}
		}
	}
	for i := 0; i+1 < len(toks); i++ {
		// 孰低(a, b) calls the function; A 与 B 孰低 is the word
		if t := &toks[i]; t.Kind == TokKeyword && (t.Canon == "孰低" || t.Canon == "孰高") && toks[i+1].Kind == TokPunct && toks[i+1].Canon == "(" {
			t.Kind = TokIdent
		}
	}
	return toks
}

// inclusion recognizes （含） and （不含） after a bound (5000万元（不含）),
// starting at raw token i, the bracket: one keyword, not a call of 含.
func (lx *scanner) inclusion(i int) (Token, bool) {
	raw := lx.raw
	if i+2 >= len(raw) || raw[i].str() != "(" || raw[i+1].kind != rawRun || raw[i+2].kind != rawPunct || raw[i+2].str() != ")" {
		return Token{}, false
	}
	word := raw[i+1].str()
	if word != "含" && word != "不含" {
		return Token{}, false
	}
	return Token{Kind: TokKeyword, Canon: word, Text: string(lx.src[raw[i].start:raw[i+2].end]), Pos: lx.lines.pos(raw[i].start)}, true
}

// declaredUnit recognizes the unit in brackets between an input's name and
// its colon (研发投入（万元）：金额), starting at raw token i, the bracket:
// a string token holding the unit.
func (lx *scanner) declaredUnit(i int) (Token, bool) {
	raw := lx.raw
	if !unitAt(raw, i) {
		return Token{}, false
	}
	return Token{Kind: TokString, Canon: raw[i+1].str(), Text: string(lx.src[raw[i].start:raw[i+2].end]), Pos: lx.lines.pos(raw[i].start)}, true
}

// unitAt reports whether raw tokens i… are "(" unit ")" ":" right after a
// run: an input's name and the unit its data is in.
func unitAt(raw []rawToken, i int) bool {
	return i > 0 && i+3 < len(raw) && raw[i-1].kind == rawRun && raw[i].kind == rawPunct && raw[i].str() == "(" &&
		(raw[i+1].kind == rawRun || raw[i+1].kind == rawPunct) && raw[i+2].kind == rawPunct && raw[i+2].str() == ")" &&
		raw[i+3].kind == rawPunct && raw[i+3].str() == ":"
}

// dateOrRatio recognizes 2025-06-15 and 5:2 (also 5∶2∶1), written without
// spaces, starting at raw token i. It returns the token and how many raw
// tokens it spans, or 0.
func (lx *scanner) dateOrRatio(i int) (Token, int) {
	raw := lx.raw
	allDigits := func(t *rawToken, minLen, maxLen int) bool {
		if t.kind != rawRun || len(t.text) < minLen || len(t.text) > maxLen {
			return false
		}
		for _, r := range t.text {
			if !isDigit(r) {
				return false
			}
		}
		return true
	}
	adjacentPunct := func(j int, p string) bool {
		return j < len(raw) && raw[j].kind == rawPunct && raw[j].str() == p && raw[j].start == raw[j-1].end &&
			j+1 < len(raw) && raw[j+1].start == raw[j].end
	}
	t := &raw[i]
	if t.kind != rawRun {
		return Token{}, 0
	}
	if allDigits(t, 4, 4) && adjacentPunct(i+1, "-") && allDigits(&raw[i+2], 1, 2) &&
		adjacentPunct(i+3, "-") && allDigits(&raw[i+4], 1, 2) {
		text := string(lx.src[t.start:raw[i+4].end])
		canon := t.str() + "-" + raw[i+2].str() + "-" + raw[i+4].str()
		return Token{Kind: TokDate, Canon: canon, Text: text, Pos: lx.lines.pos(t.start)}, 5
	}
	isNum := func(t *rawToken) bool {
		if t.kind != rawRun || len(t.text) == 0 {
			return false
		}
		for _, r := range t.text {
			if !isDigit(r) && r != '.' {
				return false
			}
		}
		return true
	}
	if !isNum(t) || !adjacentPunct(i+1, ":") || !isNum(&raw[i+2]) {
		return Token{}, 0
	}
	n := 3
	for adjacentPunct(i+n, ":") && isNum(&raw[i+n+1]) {
		n += 2
	}
	var canon strings.Builder
	for j := i; j < i+n; j++ {
		canon.WriteString(raw[j].str())
	}
	text := string(lx.src[t.start:raw[i+n-1].end])
	return Token{Kind: TokRatio, Canon: canon.String(), Text: text, Pos: lx.lines.pos(t.start)}, n
}

// numberEnd returns where a number (or a date written 2025年6月15日) that
// starts at rune i of run ends, and its kind.
func numberEnd(run []rune, i int) (int, TokenKind) {
	j := i
	digits := func() int {
		k := j
		for j < len(run) && isDigit(run[j]) {
			j++
		}
		return j - k
	}
	digits()
	// 2025年6月15日
	if j < len(run) && run[j] == '年' {
		k := j
		j++
		if digits() > 0 && j < len(run) && run[j] == '月' {
			j++
			if digits() > 0 && j < len(run) && run[j] == '日' {
				return j + 1, TokDate
			}
		}
		j = k
	}
	if j+1 < len(run) && run[j] == '.' && isDigit(run[j+1]) {
		j++
		digits()
	}
	for j < len(run) && strings.ContainsRune("万亿千", run[j]) {
		j++
	}
	if j < len(run) {
		switch run[j] {
		case '元', '%', '‰', '倍', '年': // 年: a count of years, as in 最多连续 3年
			j++
		}
	}
	return j, TokNumber
}

// boundary reports whether a run may be split before rune j: not inside a
// word of ASCII letters and digits.
func boundary(run []rune, j int) bool {
	return j <= 0 || j >= len(run) || !(isASCIIWord(run[j-1]) && isASCIIWord(run[j]))
}

// candidates lists the words that can start at rune i of run.
func (d *dictionary) candidates(run []rune, i int, out []piece) []piece {
	out = out[:0]
	if isDigit(run[i]) {
		if end, kind := numberEnd(run, i); boundary(run, end) {
			out = append(out, piece{start: i, end: end, kind: kind})
		}
		return out
	}
	n := &d.root
	for j := i; j < len(run); j++ {
		if n = n.next[run[j]]; n == nil {
			break
		}
		end := j + 1
		if !n.word || !boundary(run, end) {
			continue
		}
		if run[i] == '的' && end == i+1 && (end >= len(run) || !(isDigit(run[end]) || d.nameAt(run, end))) {
			continue // 的 multiplies only before a number or a name: 增量的10%, 费用的补助比例
		}
		if n.canon == "" {
			out = append(out, piece{start: i, end: end, kind: TokIdent})
		} else {
			out = append(out, piece{start: i, end: end, kind: TokKeyword, canon: n.canon})
		}
	}
	return out
}

// nameAt reports whether a declared name (not a keyword) begins at run[i].
func (d *dictionary) nameAt(run []rune, i int) bool {
	n := &d.root
	for j := i; j < len(run); j++ {
		if n = n.next[run[j]]; n == nil {
			return false
		}
		if n.word && n.canon == "" && boundary(run, j+1) {
			return true
		}
	}
	return false
}

// segment splits a run into words. Among the ways to cover the whole run
// with known words and numbers it takes the one with the fewest words; a tie
// is an error. When no such cover exists (a name is misspelt or undeclared),
// it reads known words greedily and leaves the rest as unknown names for the
// checker to report.
func (lx *scanner) segment(t *rawToken, dict *dictionary) []piece {
	run := t.text
	n := len(run)
	type cell struct {
		words, ways int
		first       piece
	}
	const none = 1 << 30
	best := make([]cell, n+1)
	best[n] = cell{words: 0, ways: 1}
	var cands []piece
	for i := n - 1; i >= 0; i-- {
		c := cell{words: none}
		if boundary(run, i) {
			cands = dict.candidates(run, i, cands)
			for _, p := range cands {
				next := best[p.end]
				if next.ways == 0 {
					continue
				}
				switch w := next.words + 1; {
				case w < c.words:
					c = cell{words: w, ways: next.ways, first: p}
				case w == c.words:
					c.ways = min(c.ways+next.ways, 2)
				}
			}
		}
		if c.words == none {
			c.ways = 0
		}
		best[i] = c
	}
	if best[0].ways == 1 {
		var out []piece
		for i := 0; i < n; i = best[i].first.end {
			out = append(out, best[i].first)
		}
		return out
	}
	if best[0].ways > 1 {
		words := make([]int, n+1)
		for i := range best {
			words[i] = best[i].words
		}
		lx.reportAmbiguity(t, dict, words)
		return nil
	}
	return lx.segmentGreedy(run, dict)
}

// segmentGreedy reads known words and numbers from left to right; what lies
// between them becomes a name, which the checker reports if it is unknown.
func (lx *scanner) segmentGreedy(run []rune, dict *dictionary) []piece {
	var out []piece
	var cands []piece
	longest := func(i, minLen int) (piece, bool) {
		cands = dict.candidates(run, i, cands)
		var best piece
		found := false
		for _, p := range cands {
			if p.kind == TokKeyword && p.end-p.start < minLen {
				continue
			}
			if !found || p.end > best.end {
				best, found = p, true
			}
		}
		return best, found
	}
	for i := 0; i < len(run); {
		if p, ok := longest(i, 1); ok {
			out = append(out, p)
			i = p.end
			continue
		}
		j := i + 1
		for j < len(run) {
			if boundary(run, j) && !isDigit(run[j]) {
				if _, ok := longest(j, 2); ok {
					break
				}
				if run[j] == '的' && j+1 < len(run) && isDigit(run[j+1]) {
					break
				}
			}
			j++
		}
		out = append(out, piece{start: i, end: j, kind: TokIdent, canon: unknownWord})
		i = j
	}
	// a name written against unknown characters (投入甲, 新投入) is one
	// unknown name, which the checker reports as such, not a declared name
	// beside another that the parser cannot read
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && p.kind == TokIdent && merged[n-1].kind == TokIdent && (p.canon == unknownWord || merged[n-1].canon == unknownWord) {
			merged[n-1].end, merged[n-1].canon = p.end, unknownWord
			continue
		}
		merged = append(merged, p)
	}
	return merged
}

// unknownWord marks a piece of a run that is no known word, for
// segmentGreedy; it is never a token's Canon (a name's Canon is its text).
const unknownWord = "\x00unknown"

// reportAmbiguity names two readings of a run that tie. words[i] is the
// fewest words that cover run[i:]; the walk follows only such readings.
func (lx *scanner) reportAmbiguity(t *rawToken, dict *dictionary, words []int) {
	run := t.text
	var readings [][]string
	var cands []piece
	var walk func(i int, acc []string)
	walk = func(i int, acc []string) {
		if len(readings) >= 2 {
			return
		}
		if i == len(run) {
			readings = append(readings, append([]string(nil), acc...))
			return
		}
		for _, p := range append([]piece(nil), dict.candidates(run, i, cands)...) {
			if words[p.end] == words[i]-1 {
				walk(p.end, append(acc, string(run[p.start:p.end])))
			}
		}
	}
	walk(0, nil)
	sort.Slice(readings, func(i, j int) bool { return strings.Join(readings[i], " ") < strings.Join(readings[j], " ") })
	a, b := "", ""
	if len(readings) == 2 {
		a, b = clip(strings.Join(readings[0], " ")), clip(strings.Join(readings[1], " "))
	}
	lx.errorAt(t.start, "“%s”有两种读法：“%s”或“%s”；请用空格分开词语，或给名称改名",
		"%q can be read two ways: %q or %q; separate the words with spaces, or rename",
		clip(string(lx.src[t.start:t.end])), a, b)
}
