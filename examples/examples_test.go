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

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

func TestEveryExampleRuns(t *testing.T) {
	var policies []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".zc") {
			policies = append(policies, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(policies) == 0 {
		t.Fatal("no .zc files found")
	}
	for _, path := range policies {
		t.Run(path, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			prog, err := zhengce.Compile(path, src)
			if err != nil {
				t.Fatalf("\n%s", lang.FormatErrors(err, src, lang.Chinese))
			}
			if w := prog.Checked().Warnings; len(w) > 0 {
				t.Errorf("warnings:\n%s", lang.FormatErrors(w, src, lang.Chinese))
			}
			tests := prog.RunTests(context.Background())
			if len(tests) == 0 {
				t.Errorf("no test cases: every example carries its own (测试 … 结束)")
			}
			// the sample that takes every branch the tests take must be current
			var want bytes.Buffer
			if err := prog.WriteTestData(&want, tests); err != nil {
				t.Fatal(err)
			}
			sample := strings.TrimSuffix(path, ".zc") + "-测试案例.csv"
			if got, err := os.ReadFile(sample); err != nil || !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%s is missing or out of date: run zhengce test --export-data %s", sample, filepath.Dir(path))
			}
			for _, r := range tests {
				for _, f := range r.Failures {
					t.Errorf("%s 测试“%s”：%s", r.Pos, r.Name, f)
				}
			}
			sameAsTests(t, prog, tests, sample)
			// data for 奖励.zc is 奖励.csv, 奖励-样例.json, …
			base := strings.TrimSuffix(path, ".zc")
			files, _ := filepath.Glob(base + ".*")
			more, _ := filepath.Glob(base + "-*.*")
			for _, f := range append(files, more...) {
				switch filepath.Ext(f) {
				case ".csv", ".json", ".jsonl":
					evalFile(t, prog, f)
				}
			}
		})
	}
}

// evalFile evaluates every row. Only a file named …含错误… (a sample of bad
// data, kept on purpose) may have rows that fail, and then only with data
// errors; in any other file every row must evaluate, so a column the policy
// cannot find (a header in the wrong script, a typo) fails the test.
func evalFile(t *testing.T, prog *zhengce.Program, path string) {
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
		if err != nil {
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
