package main

import (
	"embed"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

const docUsageZh = `用法：zhengce doc 政策.zc或文件夹 [--source 原文.txt] [-o 文档.html]

写出一页自包含的 HTML：政策原文逐段列出，每条规则引用的原文（依据）在文中标出并链接到规则；带金额、比例、
上限、门槛的句子若没有规则引用，列为“未编码”；每条规则旁列出它的依据、政策的输入与测试结果。
引用在原文中找不到（繁简、全半角、标点与空白不计）时报错，并给出最接近的一段。
`

const docUsageEn = `Usage: zhengce doc POLICY.zc|FOLDER [--source TEXT] [-o PAGE.html]

Write one self-contained HTML page: the document paragraph by paragraph, each
quote a rule cites located in it and linked to the rule; sentences that
carry an amount, rate, cap or threshold but that no rule cites, listed as not
encoded; each rule with its citations, the policy's inputs and test results.
A quote not found in the text (Traditional and Simplified, widths, punctuation
and spaces aside) is an error naming the nearest passage.
`

// literate is the document with the policy's rules laid on it.
type literate struct {
	Title      string
	Paragraphs []docParagraph
	Rules      []docRule
	Uncoded    []string // sentences with numbers no rule cites
	Numeric    int      // sentences with an amount, rate, cap or threshold
	Covered    int      // of those, cited by a rule
	Inputs     []string
	Tests      []docTest
	Missing    []missingQuote
}

type docParagraph struct{ Spans []docSpan }

// docSpan is a run of a paragraph's text: plain, quoted by rules, or a
// sentence with numbers no rule cites.
type docSpan struct {
	Text    string
	Rules   []int // indexes in literate.Rules
	Uncoded bool
}

type docRule struct {
	Anchor string
	Name   string
	Cites  []string
	Found  bool // its quotes are located in the text
}

type docTest struct {
	Name   string
	Passed bool
	Why    string
}

// missingQuote is a quote not found in the text, with the passage nearest
// to it.
type missingQuote struct {
	Rule, Quote, Nearest string
}

// numericSentence tells a sentence that carries an amount, a rate, a cap
// or a threshold: a number with a unit of money, a percentage, a multiple,
// or a count of enterprises, projects or people (not a date, not 四个面向).
var numericSentence = regexp.MustCompile(`[0-9０-９][0-9０-９.．]*\s*(万元|萬元|亿元|億元|元|%|％|倍|家|项|項|名|个|個|人)|[一二三四五六七八九十两兩百千]+(万元|萬元|亿元|億元|倍)`)

// sentenceEnd ends a sentence of a Chinese document.
func sentenceEnd(r rune) bool { return strings.ContainsRune("。；;！？!?", r) }

func (c *cli) doc(args []string) int {
	fs := c.flags("doc", docUsageZh, docUsageEn)
	source := fs.String("source", "", c.say("政策原文（默认为政策旁的 原文.txt）", "the document's text (default: 原文.txt beside the policy)"))
	out := fs.StringP("output", "o", "", c.say("写出的 HTML 文件（默认写到标准输出）", "the HTML file to write (default: standard output)"))
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		return c.usageError("doc", "要给出一份政策（文件或文件夹）", "give one policy (a file or a folder)")
	}
	path := fs.Arg(0)
	if *source == "" {
		dir := path
		if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
			dir = filepath.Dir(path)
		}
		*source = filepath.Join(dir, "原文.txt")
	}
	text, err := os.ReadFile(*source)
	if err != nil {
		c.errorf("无法读取原文：%s", "cannot read the document's text: %s", c.message(err))
		return exitUsage
	}
	prog, code := c.load(path, zhengce.Options{})
	if prog == nil {
		return code
	}
	lit := buildLiterate(prog, string(text), prog.RunTests(c.ctx), c.loc)
	for _, m := range lit.Missing {
		c.errorf("规则“%s”引用的原文不在 %s 中：“%s”；最接近的一段：“%s”", "the quote of rule %q is not in %s: %q; the nearest passage: %q", m.Rule, *source, m.Quote, m.Nearest)
	}
	w := c.stdout
	if *out != "" {
		f, err := createPrivate(*out)
		if err != nil {
			c.errorf("无法写出：%s", "cannot write: %s", c.message(err))
			return exitData
		}
		defer f.Close()
		w = f
	}
	if err := inLanguage(docTemplate, c.loc).Execute(w, lit); err != nil {
		c.errorf("无法写出：%s", "cannot write: %s", c.message(err))
		return exitData
	}
	fmt.Fprintf(c.stderr, c.say("带数字的句子 %d 句，有规则引用 %d 句，未编码 %d 句\n", "%d sentences with numbers, %d cited by rules, %d not encoded\n"), lit.Numeric, lit.Covered, lit.Numeric-lit.Covered)
	if len(lit.Missing) > 0 {
		return exitData
	}
	return exitOK
}

// folded is text folded for finding quotes: Simplified, half-width, only
// letters, digits and Han, with each kept rune's offset in the original.
type folded struct {
	runes []rune
	at    []int // byte offset in the original of each rune
}

func foldText(s string) folded {
	var f folded
	for i, r := range s {
		r, _ = utf8.DecodeRuneInString(lang.FoldName(string(r))) // one rune to one (a blank folds to "", RuneError)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			f.runes = append(f.runes, r)
			f.at = append(f.at, i)
		}
	}
	return f
}

// find locates q in f from rune from; it returns the rune span, or -1.
func (f folded) find(q []rune, from int) (int, int) {
	if len(q) == 0 {
		return -1, -1
	}
	s := string(f.runes[from:])
	i := strings.Index(s, string(q))
	if i < 0 {
		return -1, -1
	}
	start := from + len([]rune(s[:i]))
	return start, start + len(q)
}

// buildLiterate lays the rules' quotes on the text.
func buildLiterate(prog *zhengce.Program, text string, tests []zhengce.TestResult, loc lang.Locale) *literate {
	lit := &literate{Title: prog.Checked().File.Policy}
	ft := foldText(text)
	// covered[byte] lists the rules quoting that byte of text
	covered := make([][]int, len(text)+1)
	for i, r := range citing(prog.Checked().File) {
		dr := docRule{Anchor: fmt.Sprintf("rule-%d", i+1), Name: r.label(loc), Cites: r.Cites, Found: true}
		for _, cite := range r.Quotes {
			at := 0
			for _, part := range strings.Split(cite, "…") {
				q := foldText(part).runes
				s, e := ft.find(q, at)
				if s < 0 {
					dr.Found = false
					lit.Missing = append(lit.Missing, missingQuote{Rule: r.label(loc), Quote: part, Nearest: nearest(text, part)})
					break
				}
				_, size := utf8.DecodeRuneInString(text[ft.at[e-1]:])
				end := ft.at[e-1] + size // the quote's last letter: not the punctuation after it
				for b := ft.at[s]; b < end; b++ {
					covered[b] = append(covered[b], i)
				}
				at = e
			}
		}
		lit.Rules = append(lit.Rules, dr)
	}
	// paragraphs and sentences, with the byte offsets of text
	offset := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		start := offset
		offset += len(line)
		if strings.TrimSpace(line) == "" {
			continue
		}
		var p docParagraph
		sentStart := start
		flush := func(end int) {
			if end <= sentStart {
				return
			}
			sentence := text[sentStart:end]
			uncoded := false
			if numericSentence.MatchString(sentence) {
				lit.Numeric++
				cited := false
				for b := sentStart; b < end; b++ {
					if len(covered[b]) > 0 {
						cited = true
						break
					}
				}
				if cited {
					lit.Covered++
				} else {
					uncoded = true
					lit.Uncoded = append(lit.Uncoded, strings.TrimSpace(sentence))
				}
			}
			// split the sentence into runs of the same rules
			runStart := sentStart
			for b := sentStart; b <= end; b++ {
				if b == end || !sameRules(covered[b], covered[runStart]) {
					if b > runStart {
						p.Spans = append(p.Spans, docSpan{Text: text[runStart:b], Rules: covered[runStart], Uncoded: uncoded})
					}
					runStart = b
				}
			}
			sentStart = end
		}
		for i, r := range line {
			if sentenceEnd(r) {
				flush(start + i + len(string(r)))
			}
		}
		flush(start + len(line))
		lit.Paragraphs = append(lit.Paragraphs, p)
	}
	for _, in := range prog.Inputs() {
		if loc == lang.English {
			lit.Inputs = append(lit.Inputs, in.Name.Text+" ("+in.Type.English()+")")
		} else {
			lit.Inputs = append(lit.Inputs, in.Name.Text+"（"+in.Type.String()+"）")
		}
	}
	for _, t := range tests {
		dt := docTest{Name: t.Name, Passed: len(t.Failures) == 0}
		if !dt.Passed {
			dt.Why = t.Failures[0].Text(loc)
		}
		lit.Tests = append(lit.Tests, dt)
	}
	return lit
}

// citer is a statement that cites the text: a rule, a 就高不重复 group, a
// cap, an exclusion, a budget or a quota.
type citer struct {
	kind *lang.Message // nil for a rule
	name string
	lang.Cited
}

// label names the statement for people: a rule by its name, the others
// by their kind too.
func (c citer) label(loc lang.Locale) string {
	if c.kind == nil {
		return c.name
	}
	return c.kind.Text(loc) + " " + c.name
}

func citing(f *lang.File) []citer {
	var out []citer
	for _, st := range f.Stmts {
		switch st := st.(type) {
		case *lang.Rule:
			out = append(out, citer{nil, st.Name.Text, st.Cited})
		case *lang.Exclusive:
			out = append(out, citer{lang.Messagef("就高不重复", "exclusive group"), st.Name.Text, st.Cited})
		case *lang.Limit:
			out = append(out, citer{lang.Messagef("上限", "cap"), st.Name.Text, st.Cited})
		case *lang.Deny:
			out = append(out, citer{lang.Messagef("不予支持", "exclusion"), st.Name.Text, st.Cited})
		case *lang.Budget:
			out = append(out, citer{lang.Messagef("预算", "budget"), st.Name.Text, st.Cited})
		case *lang.Quota:
			out = append(out, citer{lang.Messagef("评选", "quota"), st.Name.Text, st.Cited})
		}
	}
	return out
}

func sameRules(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nearest is the sentence of text sharing the most character pairs with
// quote.
func nearest(text, quote string) string {
	pairs := func(s string) map[string]bool {
		r := foldText(s).runes
		m := map[string]bool{}
		for i := 0; i+1 < len(r); i++ {
			m[string(r[i:i+2])] = true
		}
		return m
	}
	want := pairs(quote)
	type cand struct {
		s     string
		score int
	}
	var best []cand
	for _, s := range strings.FieldsFunc(text, func(r rune) bool { return sentenceEnd(r) || r == '\n' }) {
		n := 0
		for p := range pairs(s) {
			if want[p] {
				n++
			}
		}
		best = append(best, cand{strings.TrimSpace(s), n})
	}
	sort.SliceStable(best, func(i, j int) bool { return best[i].score > best[j].score })
	if len(best) == 0 {
		return ""
	}
	return best[0].s
}

//go:embed doc.html.tmpl
var docFiles embed.FS

var docTemplate = template.Must(template.New("doc.html.tmpl").Funcs(template.FuncMap{
	"say":    sayChinese,
	"anchor": func(i int) string { return fmt.Sprintf("rule-%d", i+1) },
	"percent": func(a, b int) string {
		if b == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f%%", float64(a)*100/float64(b))
	},
	"minus": func(a, b int) int { return a - b },
}).ParseFS(docFiles, "doc.html.tmpl"))
