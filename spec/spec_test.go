// Package spec holds the language reference; its test runs every example in
// the reference, so the document cannot drift from the implementation.
package spec

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

var update = flag.Bool("update", false, "rewrite grammar.ebnf and the grammar in README.md from the parser")

// block is a fenced code block of the reference.
type block struct {
	lang string
	line int // line of the opening fence
	text string
}

func readBlocks(t *testing.T, path string) []block {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []block
	var cur *block
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```") && len(line) > 3:
			cur = &block{lang: strings.TrimPrefix(line, "```"), line: n}
		case cur != nil && line == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.text += line + "\n"
		}
	}
	return blocks
}

func TestReferenceExamples(t *testing.T) {
	blocks := readBlocks(t, "README.md")
	counts := map[string]int{}
	for _, b := range blocks {
		name := fmt.Sprintf("README.md:%d", b.line)
		counts[b.lang]++
		switch b.lang {
		case "zc":
			t.Run(name, func(t *testing.T) { runPolicy(t, name, b.text) })
		case "zc-eval":
			t.Run(name, func(t *testing.T) { runEval(t, b.text) })
		case "zc-error":
			t.Run(name, func(t *testing.T) { runError(t, name, b.text) })
		}
	}
	if counts["zc"] < 10 || counts["zc-eval"] < 8 || counts["zc-error"] < 6 {
		t.Errorf("too few examples found: %v", counts)
	}
}

var (
	dataLine   = regexp.MustCompile(`^# 数据：(.*)$`)
	asOfLine   = regexp.MustCompile(`^# 评估日期：(.*)$`)
	assertLine = regexp.MustCompile(`^# ⇒ (.+?) = (.+)$`)
	notApplies = regexp.MustCompile(`^# ⇒ (.+?)：不适用$`)
	errorLine  = regexp.MustCompile(`^# 错误：(\d+):(\d+)：(.+)$`)
	// the same error in English, when the example gives it
	errorLineEn = regexp.MustCompile(`^# error: (.+)$`)
	// "# ⇒ 第2条：规则.输出 = 值" asserts on the second record
	recordPrefix = regexp.MustCompile(`^# ⇒ 第(\d+)条：(.+)$`)
)

func runPolicy(t *testing.T, name, src string) {
	prog, err := zhengce.Compile(name, []byte(src))
	if err != nil {
		t.Fatalf("%s", lang.FormatErrors(err, []byte(src), lang.Chinese))
	}
	// Each "# 数据：" line is one record; with several, budgets and quotas
	// are settled over all of them, and "# ⇒ 第N条：…" asserts on record N.
	var recs []zhengce.Record
	var asserts [][]string                          // record index, name, value ("" for 不适用)
	asOf := lang.Date{Year: 2025, Month: 7, Day: 1} // examples do not depend on the day they run
	for _, line := range strings.Split(src, "\n") {
		if m := asOfLine.FindStringSubmatch(line); m != nil {
			d, ok := lang.ParseDate(m[1])
			if !ok {
				t.Fatalf("bad date %q", m[1])
			}
			asOf = d
		}
		if m := dataLine.FindStringSubmatch(line); m != nil {
			rec := zhengce.Record{}
			for _, kv := range strings.FieldsFunc(m[1], func(r rune) bool { return r == '，' || r == ',' }) {
				k, v, _ := strings.Cut(kv, "=")
				rec[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			recs = append(recs, rec)
		}
		which := "1"
		if m := recordPrefix.FindStringSubmatch(line); m != nil {
			which, line = m[1], "# ⇒ "+m[2]
		}
		if m := notApplies.FindStringSubmatch(line); m != nil {
			asserts = append(asserts, []string{which, m[1], ""})
		} else if m := assertLine.FindStringSubmatch(line); m != nil {
			asserts = append(asserts, []string{which, m[1], m[2]})
		}
	}
	tests := prog.RunTests(context.Background())
	for _, r := range tests {
		for _, f := range r.Failures {
			t.Errorf("测试“%s”：%s", r.Name, f)
		}
	}
	if len(asserts) == 0 {
		if len(tests) == 0 {
			t.Fatal("example asserts nothing: add # ⇒ lines or 测试 blocks")
		}
		return
	}
	if len(recs) == 0 {
		recs = append(recs, zhengce.Record{})
	}
	var results []*interp.Result
	for _, rec := range recs {
		res, err := prog.EvalWith(context.Background(), rec, interp.EvalOptions{AsOf: asOf})
		var de *interp.DataError
		if err != nil && !(errors.As(err, &de) && res != nil) { // partial data is asserted on
			t.Fatal(err)
		}
		results = append(results, res)
	}
	prog.ApplyPopulation(results)
	for _, a := range asserts {
		n := 0
		fmt.Sscan(a[0], &n)
		if n < 1 || n > len(results) {
			t.Errorf("no record %s", a[0])
			continue
		}
		values := valuesOf(results[n-1])
		got, ok := values[a[1]]
		switch {
		case !ok:
			t.Errorf("no value named %q (have %v)", a[1], values)
		case got != a[2] && a[2] == "":
			t.Errorf("record %d: %s applies (%s), the reference says 不适用", n, a[1], got)
		case got != a[2]:
			t.Errorf("record %d: %s = %q, the reference says %q", n, a[1], got, a[2])
		}
	}
}

// valuesOf maps definitions and rule outputs to their exact values, rules
// that do not apply to "", and 给予合计 to what the policy pays in all.
func valuesOf(res *interp.Result) map[string]string {
	values := map[string]string{"给予合计": res.Total().Exact()}
	for _, d := range res.Defs {
		values[d.Name] = d.Value.Exact()
	}
	for _, r := range res.Rules {
		if !r.Applies {
			values[r.Name] = ""
		}
		for _, o := range r.Outputs {
			values[r.Name+"."+o.Name] = o.Value.Exact()
		}
	}
	return values
}

func runEval(t *testing.T, text string) {
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		expr, want, ok := strings.Cut(line, " ⇒ ")
		if !ok {
			t.Errorf("line %q has no ⇒", line)
			continue
		}
		v, err := zhengce.Eval(context.Background(), expr)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got := v.String(); got != want {
			t.Errorf("%s ⇒ %s, the reference says %s", expr, got, want)
		}
	}
}

func runError(t *testing.T, name, src string) {
	var line, col int
	var want, wantEn string
	for _, l := range strings.Split(src, "\n") {
		if m := errorLine.FindStringSubmatch(l); m != nil {
			fmt.Sscan(m[1], &line)
			fmt.Sscan(m[2], &col)
			want = m[3]
		}
		if m := errorLineEn.FindStringSubmatch(l); m != nil {
			wantEn = m[1]
		}
	}
	if want == "" {
		t.Fatal("error example has no # 错误：line:col：message")
	}
	prog, err := zhengce.Compile(name, []byte(src))
	if err == nil {
		// an evaluation error: run the policy on an empty record
		_, err = prog.Eval(context.Background(), interp.Record{})
	}
	var list lang.ErrorList
	var one *lang.Error
	switch {
	case errors.As(err, &list):
		one = list[0]
	case errors.As(err, &one):
	default:
		t.Fatalf("got %v, want an error at %d:%d", err, line, col)
	}
	if one.Pos.Line != line || one.Pos.Col != col || !strings.Contains(one.Zh, want) {
		t.Errorf("got %d:%d %q, the reference says %d:%d %q", one.Pos.Line, one.Pos.Col, one.Zh, line, col, want)
	}
	if wantEn != "" && !strings.Contains(one.En, wantEn) {
		t.Errorf("got %q in English, the reference says %q", one.En, wantEn)
	}
}

// TestGrammarIsCurrent checks that grammar.ebnf and the grammar section of
// README.md are what the parser uses. Run with -update to rewrite them.
func TestGrammarIsCurrent(t *testing.T) {
	g, err := lang.Grammar()
	if err != nil {
		t.Fatal(err)
	}
	g = strings.TrimSpace(g) + "\n"
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile("(?s)```ebnf\n.*?```")
	wantReadme := section.ReplaceAllLiteralString(string(readme), "```ebnf\n"+g+"```")
	if *update {
		if err := os.WriteFile("grammar.ebnf", []byte(g), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("README.md", []byte(wantReadme), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file, err := os.ReadFile("grammar.ebnf")
	if err != nil {
		t.Fatal(err)
	}
	if string(file) != g {
		t.Errorf("grammar.ebnf is out of date: run go test ./spec -run Grammar -update")
	}
	if wantReadme != string(readme) {
		t.Errorf("the grammar in README.md is out of date: run go test ./spec -run Grammar -update")
	}
}

// TestFormatKeepsEveryExample: zhengce fmt of every policy of the
// reference and of examples/ keeps its tokens and is its own format; the
// examples are formatted.
func TestFormatKeepsEveryExample(t *testing.T) {
	var sources []struct{ name, src string }
	for _, b := range readBlocks(t, "README.md") {
		if b.lang == "zc" {
			sources = append(sources, struct{ name, src string }{fmt.Sprintf("README.md:%d", b.line), b.text})
		}
	}
	files, _ := filepath.Glob("../examples/*/*.zc")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, struct{ name, src string }{f, string(src)})
	}
	canon := func(name string, b []byte) string {
		toks, err := lang.Lex(name, b, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var s strings.Builder
		for _, x := range toks {
			fmt.Fprintf(&s, "%d:%s ", x.Kind, x.Canon)
		}
		return s.String()
	}
	for _, s := range sources {
		out, err := lang.Format([]byte(s.src))
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		if canon(s.name, []byte(s.src)) != canon(s.name, out) {
			t.Errorf("%s: formatting changed the program", s.name)
		}
		again, _ := lang.Format(out)
		if string(again) != string(out) {
			t.Errorf("%s: formatting twice differs from once", s.name)
		}
		if strings.HasPrefix(s.name, "../examples/") && string(out) != s.src {
			t.Errorf("%s is not formatted: run zhengce fmt -w examples", s.name)
		}
	}
}
