package zhengce_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// seedPolicies adds every example policy and every code block of the
// reference to the corpus.
func seedPolicies(f *testing.F) {
	paths, _ := filepath.Glob("examples/*/*.zc")
	for _, p := range paths {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(string(src))
		}
	}
	ref, err := os.ReadFile("spec/README.md")
	if err != nil {
		f.Fatal(err)
	}
	for _, part := range strings.Split(string(ref), "```")[1:] {
		if i := strings.IndexByte(part, '\n'); i > 0 && strings.HasPrefix(part, "zc") {
			f.Add(part[i+1:])
		}
	}
	f.Add(policy)
}

// FuzzCompile: no source text may panic the lexer, parser, checker or
// compiler, and an error must carry a position inside the text.
func FuzzCompile(f *testing.F) {
	seedPolicies(f)
	f.Fuzz(func(t *testing.T, src string) {
		defer failIfSlow(t, time.Now())
		prog, err := zhengce.Compile("fuzz.zc", []byte(src))
		if err != nil {
			var list lang.ErrorList
			if le, ok := err.(lang.ErrorList); ok {
				list = le
			}
			for _, e := range list {
				if e.Pos.IsValid() && e.Pos.Offset > len(src) {
					t.Fatalf("error position %v beyond the text (%d bytes)", e.Pos, len(src))
				}
			}
			_ = lang.FormatErrors(err, []byte(src), lang.Chinese)
			return
		}
		// Evaluate with every input given as "1": errors are fine, panics are not.
		rec := zhengce.Record{}
		for _, in := range prog.Inputs() {
			rec[in.Name.Text] = map[lang.Kind]string{lang.KindBool: "是", lang.KindText: "甲", lang.KindDate: "2025-06-15"}[in.Type.Kind]
			if rec[in.Name.Text] == "" {
				rec[in.Name.Text] = "1"
			}
		}
		_, _ = prog.Eval(context.Background(), rec)
	})
}

// failIfSlow fails an input that took more than a second: parsing and
// evaluation must take time roughly linear in the size of the text.
func failIfSlow(t *testing.T, start time.Time) {
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
}

// FuzzEval: no expression may panic evaluation.
func FuzzEval(f *testing.F) {
	for _, s := range []string{"min(3000万 * 10%, 200万)", "1/3", "四舍五入(-2.5)", "分摊(100元, 5∶2, 1)",
		"如果 1 > 0 那么 1 否则 2", "2025年6月15日 < 2025-06-16", "100 在 100 以上", "非 是 且 否 或 是"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		defer failIfSlow(t, time.Now())
		v, err := zhengce.Eval(context.Background(), expr)
		if err == nil {
			_ = v.String()
		}
	})
}
