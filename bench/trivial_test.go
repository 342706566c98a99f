package bench

import (
	"math/rand/v2"
	"testing"

	"cel.dev/cel-go/cel"
	"github.com/shopspring/decimal"
)

// trivial is one rule with one condition and one output: what is left is
// each engine's fixed cost of one evaluation (taking the inputs, returning
// a result), which small rules such as 枣庄第3条 are mostly made of.
const trivial = `
输入
  研发投入：金额
结束
规则 最小规则
  条件 研发投入 超过 0
  补助 = 研发投入
结束
`

type envTrivial struct {
	X float64 `expr:"x"`
}

func handTrivial(x decimal.Decimal) (decimal.Decimal, bool) {
	if !x.IsPositive() {
		return decimal.Zero, false
	}
	return x, true
}

func BenchmarkTrivial(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	data := make([]decimal.Decimal, rows)
	for i := range data {
		data[i] = money(r, -1e6, 1e8)
	}
	pick("最小规则", map[string]func(*bench, []decimal.Decimal){
		"zhengce": func(b *bench, data []decimal.Decimal) {
			prog, err := compileText(trivial)
			if err != nil {
				b.Fatal(err)
			}
			cells := make([][]string, rows)
			for i, x := range data {
				cells[i] = []string{x.String()}
			}
			z := bindRows(b, prog, []string{"研发投入"}, cells)
			z.checkAndRun(b, 0, "补助", func(i int) (decimal.Decimal, bool) { return handTrivial(data[i]) })
		},
		"hand": func(b *bench, data []decimal.Decimal) {
			b.timeRows(func(i int) { sinkAmount, _ = handTrivial(data[i]) })
		},
		"expr": func(b *bench, data []decimal.Decimal) {
			envs := make([]envTrivial, rows)
			for i, x := range data {
				envs[i].X = f64(x)
			}
			runExpr(b, `x > 0 ? x : -1.0`, envs, func(i int) (decimal.Decimal, bool) { return handTrivial(data[i]) })
		},
		"cel": func(b *bench, data []decimal.Decimal) {
			env, err := cel.NewEnv(cel.Variable("x", cel.DoubleType))
			if err != nil {
				b.Fatal(err)
			}
			vars := make([]map[string]any, rows)
			for i, x := range data {
				vars[i] = map[string]any{"x": f64(x)}
			}
			runCEL(b, env, `x > 0.0 ? x : -1.0`, vars, func(i int) (decimal.Decimal, bool) { return handTrivial(data[i]) })
		},
	}, data)(b)
}

// sinkAmount keeps the compiler from dropping hand-written code whose
// result is not used.
var sinkAmount decimal.Decimal
