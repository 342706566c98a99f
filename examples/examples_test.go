// Package examples holds the bundled policies; its test compiles every .zc
// file below this folder and evaluates it over every data file beside it.
package examples

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
	"golang.org/x/text/width"
)

// TestEveryExampleRuns compiles each example folder as one policy (a
// document's files together, as zhengce run FOLDER does), runs its tests,
// checks each file's exported test cases, and evaluates every data file.
func TestEveryExampleRuns(t *testing.T) {
	folders := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".zc") {
			folders[filepath.Dir(path)] = append(folders[filepath.Dir(path)], path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(folders) == 0 {
		t.Fatal("no .zc files found")
	}
	for dir, files := range folders {
		t.Run(dir, func(t *testing.T) {
			var sources []zhengce.Source
			for _, path := range files {
				src, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				sources = append(sources, zhengce.Source{Name: path, Text: src})
			}
			joined := lang.JoinSources(sources)
			prog, err := zhengce.CompileSources(sources, zhengce.Options{})
			if err != nil {
				t.Fatalf("\n%s", lang.FormatErrors(err, joined, lang.Chinese))
			}
			if w := prog.Checked().Warnings; len(w) > 0 {
				t.Errorf("warnings:\n%s", lang.FormatErrors(w, joined, lang.Chinese))
			}
			tests := prog.RunTests(context.Background())
			for _, r := range tests {
				for _, f := range r.Failures {
					t.Errorf("%s 测试“%s”：%s", r.Pos, r.Name, f)
				}
			}
			for _, path := range files {
				var mine []interp.TestResult
				for _, r := range tests {
					if r.File == path {
						mine = append(mine, r)
					}
				}
				if len(mine) == 0 {
					t.Errorf("%s has no test cases: every example carries its own (测试 … 结束)", path)
				}
				// the sample that takes every branch the tests take must be current
				var want bytes.Buffer
				if err := zhengce.WriteTestData(&want, prog, tests, path); err != nil {
					t.Fatal(err)
				}
				sample := strings.TrimSuffix(path, ".zc") + "-测试案例.csv"
				if got, err := os.ReadFile(sample); err != nil || !bytes.Equal(got, want.Bytes()) {
					t.Errorf("%s is missing or out of date: run zhengce test --export-data %s", sample, filepath.Dir(path))
				}
				sameAsTests(t, prog, mine, sample)
				// data for 奖励.zc is 奖励.csv, 奖励-样例.json, …
				base := strings.TrimSuffix(path, ".zc")
				data, _ := filepath.Glob(base + ".*")
				more, _ := filepath.Glob(base + "-*.*")
				for _, f := range append(data, more...) {
					switch filepath.Ext(f) {
					case ".csv", ".json", ".jsonl":
						evalFile(t, prog, f, inputsOf(prog, path))
					}
				}
			}
		})
	}
}

// inputsOf lists the keys of the inputs file declares.
func inputsOf(prog *zhengce.Program, file string) map[string]bool {
	keys := map[string]bool{}
	for _, fi := range prog.Checked().File.Files {
		if fi.Name == file {
			for _, k := range fi.Inputs {
				keys[k] = true
			}
		}
	}
	return keys
}

// evalFile evaluates every row. Only a file named …含错误… (a sample of bad
// data, kept on purpose) may have rows that fail, and then only with data
// errors; in any other file every row must evaluate, so a column the policy
// cannot find (a header in the wrong script, a typo) fails the test.
func evalFile(t *testing.T, prog *zhengce.Program, path string, own map[string]bool) {
	badOnPurpose := strings.Contains(filepath.Base(path), "含错误")
	r, closer, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	rows := 0
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rows++
		err = row.Err
		if err == nil {
			_, err = prog.Eval(context.Background(), row.Record)
		}
		// the inputs of the folder's other files are not in this file's
		// data: only the rules that read them are 数据不足
		var de *interp.DataError
		if errors.As(err, &de) {
			var mine []*interp.FieldError
			for _, f := range de.Fields {
				if own[lang.FoldName(f.Field)] {
					mine = append(mine, f)
				}
			}
			if err = nil; len(mine) > 0 {
				err = &interp.DataError{Fields: mine}
			}
		}
		var fe *interp.FieldError
		if err != nil && !(badOnPurpose && (row.Err != nil || errors.As(err, &fe))) {
			t.Errorf("%s row %d: %v", path, row.Num, err)
		}
	}
	if rows == 0 {
		t.Errorf("%s has no rows", path)
	}
}

// sameAsTests evaluates each row of the exported test cases as run would
// (its 评估日期 column giving its date) and checks the result is the test's
// own: the exported sample says what the tests say.
func sameAsTests(t *testing.T, prog *zhengce.Program, tests []interp.TestResult, sample string) {
	r, closer, err := data.Open(sample)
	if err != nil {
		return // reported above
	}
	defer closer.Close()
	byName := map[string]interp.TestResult{}
	for _, tr := range tests {
		byName[tr.Name] = tr
	}
	for {
		row, err := r.Next()
		if err != nil {
			break
		}
		tr, ok := byName[row.Record["测试案例"].(string)]
		if !ok || tr.Inputs == nil {
			t.Errorf("%s row %d: no such test", sample, row.Num)
			continue
		}
		got, err := prog.Eval(context.Background(), row.Record)
		var de *interp.DataError // the inputs of the folder's other files
		if err != nil && !(errors.As(err, &de) && got != nil) {
			t.Errorf("%s row %d: %v", sample, row.Num, err)
			continue
		}
		want, err := prog.EvalInputs(context.Background(), append(append([]interp.Value(nil), tr.Inputs...), interp.DateValue(tr.AsOf)))
		if err != nil {
			t.Fatal(err)
		}
		if a, b := outcome(want), outcome(got); a != b {
			t.Errorf("%s row %d (测试“%s”): run gives\n%s\nthe test gives\n%s", sample, row.Num, tr.Name, b, a)
		}
	}
}

// outcome is what a result says, rule by rule, for comparing two results.
func outcome(res *interp.Result) string {
	var b strings.Builder
	for i := range res.Rules {
		rr := &res.Rules[i]
		b.WriteString(rr.Name)
		if !rr.Applies {
			b.WriteString(" 不适用：" + rr.Reason().String() + "\n")
			continue
		}
		for _, o := range rr.Outputs {
			b.WriteString(" " + o.Name + "=" + o.Value.Exact())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestQuotesAreInTheText: every quotation of a 依据 (a cite of more than
// twelve characters) is found in the text of its document, 原文.txt beside
// the policy, once Traditional and Simplified characters, full and half
// widths, punctuation and white space are set aside; a quote that leaves
// text out marks it with …, and its parts are found in order.
func TestQuotesAreInTheText(t *testing.T) {
	dirs, _ := filepath.Glob("*/原文.txt")
	if len(dirs) < 6 {
		t.Fatalf("%d example folders hold their document's text (原文.txt), want all six", len(dirs))
	}
	for _, textPath := range dirs {
		dir := filepath.Dir(textPath)
		raw, err := os.ReadFile(textPath)
		if err != nil {
			t.Fatal(err)
		}
		text := bare(string(raw))
		sources, err := zhengce.ReadFolder(dir, zhengce.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		prog, err := zhengce.CompileSources(sources, zhengce.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, cites := range citesOf(prog.Checked().File) {
			for _, cite := range cites {
				if len([]rune(bare(cite))) <= 12 {
					continue // a document's name or an article's number
				}
				at := 0
				for _, part := range strings.Split(cite, "…") {
					part = bare(part)
					i := strings.Index(text[at:], part)
					if i < 0 {
						t.Errorf("%s: the quote is not in %s: %q", dir, textPath, part)
						break
					}
					at += i + len(part)
				}
			}
		}
	}
}

// bare folds text for comparing quotes: half-width forms, and nothing but
// letters, digits and Han. The script is kept: a quote says 平臺 where the
// document does.
func bare(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// citesOf lists the 依据 of every statement that has one.
func citesOf(f *lang.File) [][]string {
	var out [][]string
	for _, st := range f.Stmts {
		switch st := st.(type) {
		case *lang.Rule:
			out = append(out, st.Cites)
		case *lang.Exclusive:
			out = append(out, st.Cites)
		case *lang.Limit:
			out = append(out, st.Cites)
		case *lang.Deny:
			out = append(out, st.Cites)
		case *lang.Budget:
			out = append(out, st.Cites)
		case *lang.Quota:
			out = append(out, st.Cites)
		}
	}
	return out
}

// TestEveryPaymentHasItsValidity: a rule that pays money pays only while
// its document is in force, so every file with such a rule carries the
// document's 有效期 (or the rule its own). Files of targets (统计年度, no
// payment) need none.
func TestEveryPaymentHasItsValidity(t *testing.T) {
	folders, _ := filepath.Glob("*")
	for _, dir := range folders {
		sources, err := zhengce.ReadFolder(dir, zhengce.Limits{})
		if err != nil || len(sources) == 0 {
			continue
		}
		prog, err := zhengce.CompileSources(sources, zhengce.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ch := prog.Checked()
		for i, r := range ch.Rules {
			if ch.Pays[i] >= 0 && r.Validity == nil && r.File.Validity == nil {
				t.Errorf("%s: rule %s pays money and has no 有效期", r.File.Name, r.Name.Text)
			}
		}
	}
}
