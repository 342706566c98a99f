// Package bench compares zhengce with the practical limit (the same rule
// hand-written in Go with shopspring/decimal) and with the expression
// engines a Go developer might pick instead (expr-lang/expr, cel-go), on
// 枣庄 2025 第3条: 规上工业企业, 承诺年均增长 ≥ 30%, 研发投入占比 > 3.5% and a
// positive increase give 10% of the increase, at most 200万元. The
// engines compute in float64; zhengce and the hand-written code are exact.
//
//	cd bench && go test -bench . -benchmem -count 8 | tee new.txt
package bench

import (
	"context"
	"testing"

	"cel.dev/cel-go/cel"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

const policy = `
输入
  规上工业企业：是否
  研发投入：金额
  上年研发投入：金额
  主营业务收入：金额
  承诺年均增长率：比例
结束
规则 研发投入增量补助
  条件 规上工业企业 且 承诺年均增长率 不低于 30% 且 研发投入 / 主营业务收入 超过 3.5% 且 研发投入 - 上年研发投入 超过 0
  补助 = (研发投入 - 上年研发投入) * 10% 最高 200万元
结束
`

// the capped case: (5000万 − 2000万) × 10% = 300万 → 200万
var cells = []string{"是", "50000000", "20000000", "800000000", "30%"}

const want = 2000000

func compile(b *testing.B) *zhengce.Program {
	prog, err := zhengce.Compile("bench.zc", []byte(policy))
	if err != nil {
		b.Fatal(err)
	}
	return prog
}

// BenchmarkZhengce evaluates values already read: the interpreter alone.
func BenchmarkZhengce(b *testing.B) {
	prog := compile(b)
	inputs, err := prog.Binder([]string{"规上工业企业", "研发投入", "上年研发投入", "主营业务收入", "承诺年均增长率"}).Bind(cells)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	check := func(res *interp.Result) {
		if got := res.Rules[0].Outputs[0].Value.Decimal(); !got.Equal(decimal.NewFromInt(want)) {
			b.Fatalf("got %s", got)
		}
	}
	res, _ := prog.EvalInputs(ctx, inputs)
	check(res)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := prog.EvalInputs(ctx, inputs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkZhengceInto evaluates into one reused Result, as a worker
// evaluating many records does.
func BenchmarkZhengceInto(b *testing.B) {
	prog := compile(b)
	inputs, err := prog.Binder([]string{"规上工业企业", "研发投入", "上年研发投入", "主营业务收入", "承诺年均增长率"}).Bind(cells)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var res interp.Result
	if err := prog.EvalInto(ctx, inputs, &res); err != nil || !res.Rules[0].Outputs[0].Value.Decimal().Equal(decimal.NewFromInt(want)) {
		b.Fatalf("got %v %v", res.Rules[0].Outputs, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := prog.EvalInto(ctx, inputs, &res); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkZhengceFromText also reads the row's text cells, as run does,
// into reused slots and a reused result.
func BenchmarkZhengceFromText(b *testing.B) {
	prog := compile(b)
	binder := prog.Binder([]string{"规上工业企业", "研发投入", "上年研发投入", "主营业务收入", "承诺年均增长率"})
	ctx := context.Background()
	var inputs []interp.Value
	var res interp.Result
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var err error
		if inputs, err = binder.BindInto(cells, inputs); err != nil {
			b.Fatal(err)
		}
		if err := prog.EvalInto(ctx, inputs, &res); err != nil {
			b.Fatal(err)
		}
	}
}

// handDecimal is the rule written by hand with shopspring/decimal.
func handDecimal(gs bool, rd, prev, rev, promise decimal.Decimal) (decimal.Decimal, bool) {
	inc := rd.Sub(prev)
	if !gs || promise.LessThan(decimal.RequireFromString("0.3")) ||
		!rd.DivRound(rev, 20).GreaterThan(decimal.RequireFromString("0.035")) || !inc.IsPositive() {
		return decimal.Zero, false
	}
	return decimal.Min(inc.Mul(decimal.RequireFromString("0.1")), decimal.NewFromInt(2000000)), true
}

// BenchmarkHandDecimal is the practical limit for exact arithmetic.
func BenchmarkHandDecimal(b *testing.B) {
	rd, prev, rev := decimal.NewFromInt(50000000), decimal.NewFromInt(20000000), decimal.NewFromInt(800000000)
	promise := decimal.RequireFromString("0.3")
	if got, _ := handDecimal(true, rd, prev, rev, promise); !got.Equal(decimal.NewFromInt(want)) {
		b.Fatalf("got %s", got)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		handDecimal(true, rd, prev, rev, promise)
	}
}

const exprRule = `gs && promise >= 0.3 && rd / rev > 0.035 && rd - prev > 0 ? min((rd - prev) * 0.1, 2000000.0) : 0.0`

type env struct {
	Gs      bool    `expr:"gs"`
	Rd      float64 `expr:"rd"`
	Prev    float64 `expr:"prev"`
	Rev     float64 `expr:"rev"`
	Promise float64 `expr:"promise"`
}

// BenchmarkExpr is expr-lang/expr with a typed environment (float64).
func BenchmarkExpr(b *testing.B) {
	program, err := expr.Compile(exprRule, expr.Env(env{}))
	if err != nil {
		b.Fatal(err)
	}
	e := env{Gs: true, Rd: 5e7, Prev: 2e7, Rev: 8e8, Promise: 0.3}
	var machine vm.VM
	out, err := machine.Run(program, e)
	if err != nil || out.(float64) != want {
		b.Fatalf("got %v %v", out, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := machine.Run(program, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCEL is cel-go (float64).
func BenchmarkCEL(b *testing.B) {
	celEnv, err := cel.NewEnv(cel.Variable("gs", cel.BoolType), cel.Variable("rd", cel.DoubleType),
		cel.Variable("prev", cel.DoubleType), cel.Variable("rev", cel.DoubleType), cel.Variable("promise", cel.DoubleType))
	if err != nil {
		b.Fatal(err)
	}
	ast, iss := celEnv.Compile(`gs && promise >= 0.3 && rd / rev > 0.035 && rd - prev > 0.0 ? ((rd - prev) * 0.1 < 2000000.0 ? (rd - prev) * 0.1 : 2000000.0) : 0.0`)
	if iss.Err() != nil {
		b.Fatal(iss.Err())
	}
	prg, err := celEnv.Program(ast)
	if err != nil {
		b.Fatal(err)
	}
	vars := map[string]any{"gs": true, "rd": 5e7, "prev": 2e7, "rev": 8e8, "promise": 0.3}
	out, _, err := prg.Eval(vars)
	if err != nil || out.Value().(float64) != want {
		b.Fatalf("got %v %v", out, err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := prg.Eval(vars); err != nil {
			b.Fatal(err)
		}
	}
}
