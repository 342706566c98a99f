package zhengce_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
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
	// the classes of hostile text (hostile_test.go), at sizes a fuzzer can
	// mutate: nesting past the limit, long chains, many statements, long
	// numbers, digits that double
	f.Add("输入 k：文本\nx = " + strings.Repeat(`按 k 取 {"a"：`, 120) + "1" + strings.Repeat("}", 120))
	f.Add("输入 l：列表（v：数值）\nx = " + strings.Repeat("合计(对每个 l：", 120) + "v" + strings.Repeat(")", 120))
	f.Add("x = " + strings.Repeat("1 + ", 2000) + "1")
	f.Add(strings.Repeat("d = 1\n", 500))
	f.Add("x = " + strings.Repeat("9", 200) + "\ny = 1" + strings.Repeat("万", 40))
	f.Add("参数 a0 = 1.1\n参数 a1 = a0 * a0\n参数 a2 = a1 * a1\n参数 a3 = a2 * a2\n参数 a4 = a3 * a3\n参数 a5 = a4 * a4\n参数 a6 = a5 * a5\n参数 a7 = a6 * a6\n")
	f.Add("x = 1 # \u202e注释\ny = \"\u2066\"\ntаx = 1\n")
	f.Add("输入 a：金额\n规则 r\n  门槛 = 1元\n  给予 补助 = a\n结束\n上限 c\n  额度 = 1元\n结束\n不予支持 d\n  条件 a 超过 0\n结束\n")
}

// FuzzCompile: no source text may panic the lexer, parser, checker or
// compiler, and an error must carry a position inside the text.
func FuzzCompile(f *testing.F) {
	seedPolicies(f)
	f.Fuzz(func(t *testing.T, src string) {
		defer failIfCostly(t, len(src))()
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

// failIfCostly fails an input whose handling allocated more than a bound
// linear in its size (32 MiB and 8 KiB a byte; the examples take under 1 KiB
// a byte): parsing and evaluation must cost memory, and so time, roughly
// linear in the size of the text. Allocation, unlike the wall clock, does
// not change when the machine is loaded. Use it as
// defer failIfCostly(t, len(src))().
func failIfCostly(t *testing.T, size int) func() {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	return func() {
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(32<<20+8<<10*size); got > limit {
			t.Fatalf("allocated %d bytes for an input of %d bytes; the bound is %d", got, size, limit)
		}
	}
}

// FuzzEval: no expression may panic evaluation.
func FuzzEval(f *testing.F) {
	for _, s := range []string{"min(3000万 * 10%, 200万)", "1/3", "四舍五入(-2.5)", "分摊(100元, 5∶2, 1)",
		"如果 1 > 0 那么 1 否则 2", "2025年6月15日 < 2025-06-16", "100 在 100 以上", "非 是 且 否 或 是"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		defer failIfCostly(t, len(expr))()
		v, err := zhengce.Eval(context.Background(), expr)
		if err == nil {
			_ = v.String()
		}
	})
}

// dataPolicy reads an input of every type, a list of records among them.
const dataPolicy = `
输入
  研发投入：金额
  项目数：数值
  占比：比例
  规上：是否
  行业：文本
  认定日期：日期
  项目：列表（名称：文本，支付额：金额）
结束
规则 补助
  条件 规上 且 占比 超过 3% 且 认定日期 不超过 2025-12-31 且 行业 等于 "制造业"
  补助 = (研发投入 / 项目数 + 合计(对每个 项目：支付额)) * 10% 最高 200万元
结束
`

// FuzzDataFile: no data file may panic the reading of its rows, their
// binding to the inputs or their evaluation: the bytes are read as CSV and
// as JSON Lines, and every row read is bound and evaluated.
func FuzzDataFile(f *testing.F) {
	prog, err := zhengce.Compile("data.zc", []byte(dataPolicy))
	if err != nil {
		f.Fatal(err)
	}
	head := "研发投入,项目数,占比,规上,行业,认定日期,项目\n"
	f.Add(head + `100万,3,4%,是,制造业,2025-01-01,"[{""名称"": ""甲"", ""支付额"": ""10万""}]"` + "\n")
	f.Add(head + "1,0,3.5%,√,制造业,2025年6月15日,[]\n\"1,234\",２,0.04,否,,2025/6/15,\n")
	f.Add(`{"研发投入": 1e400, "项目数": 2, "占比": "4%", "规上": true, "行业": "制造业", "认定日期": "2025-02-30", "项目": [{"名称": 1}]}` + "\n")
	f.Fuzz(func(t *testing.T, text string) {
		defer failIfCostly(t, len(text))()
		for _, format := range []string{".csv", ".jsonl"} {
			r, err := data.NewReader(strings.NewReader(text), format)
			if err != nil {
				continue
			}
			var binder *interp.Binder
			if cols := r.Columns(); cols != nil {
				binder = prog.Binder(cols)
			}
			var inputs []interp.Value
			var res interp.Result
			for n := 0; n < 50; n++ {
				row, err := r.Next()
				if err != nil {
					break
				}
				if row.Err != nil {
					continue
				}
				if binder != nil && row.Cells != nil {
					inputs, err = binder.BindInto(row.Cells, inputs)
				} else {
					inputs, err = prog.BindRecord(row.Record)
				}
				if err != nil {
					continue
				}
				if err := prog.EvalInto(context.Background(), inputs, &res); err == nil {
					for i := range res.Rules {
						_ = res.Rules[i].Reason().String()
					}
				}
			}
		}
	})
}
