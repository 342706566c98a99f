package bench

import (
	"math/rand/v2"
	"testing"

	"cel.dev/cel-go/cel"
	"github.com/shopspring/decimal"
)

// 枣庄 2025 第3条 as one rule: 规上工业企业, 承诺年均增长 ≥ 30%, 研发投入占比
// > 3.5% and a positive increase give 10% of the increase, at most 200万元.
const zaozhuang3 = `
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

type row3 struct {
	gs                   bool
	rd, prev, rev, prom  decimal.Decimal
	fRd, fPrev, fRev, fP float64
}

func rows3() []row3 {
	r := rand.New(rand.NewPCG(3, 3))
	var out []row3
	for i := 0; i < rows; i++ {
		rd := money(r, 0, 1e8)
		x := row3{gs: r.IntN(5) > 0, rd: rd, prev: rd.Mul(decimal.NewFromFloat(0.5 + r.Float64())).Round(2),
			rev: rd.Mul(decimal.NewFromInt(int64(10 + r.IntN(50)))), prom: decimal.NewFromInt(int64(10 + r.IntN(40))).Shift(-2)}
		x.fRd, x.fPrev, x.fRev, x.fP = f64(x.rd), f64(x.prev), f64(x.rev), f64(x.prom)
		out = append(out, x)
	}
	return out
}

// hand3 is the rule written by hand with shopspring/decimal.
func hand3(x *row3) (decimal.Decimal, bool) {
	inc := x.rd.Sub(x.prev)
	if !x.gs || x.prom.LessThan(pct30) || !x.rd.DivRound(x.rev, 20).GreaterThan(pct3_5) || !inc.IsPositive() {
		return decimal.Zero, false
	}
	return decimal.Min(inc.Mul(pct10), wan200).Round(2), true
}

const expr3 = `gs && promise >= 0.3 && rd / rev > 0.035 && rd - prev > 0 ? min((rd - prev) * 0.1, 2000000.0) : -1.0`

const cel3 = `gs && promise >= 0.3 && rd / rev > 0.035 && rd - prev > 0.0 ? ((rd - prev) * 0.1 < 2000000.0 ? (rd - prev) * 0.1 : 2000000.0) : -1.0`

type env3 struct {
	Gs      bool    `expr:"gs"`
	Rd      float64 `expr:"rd"`
	Prev    float64 `expr:"prev"`
	Rev     float64 `expr:"rev"`
	Promise float64 `expr:"promise"`
}

func BenchmarkZaozhuang3(b *testing.B) {
	data := rows3()
	var cells [][]string
	for _, x := range data {
		cells = append(cells, []string{yesNo(x.gs), x.rd.String(), x.prev.String(), x.rev.String(), x.prom.String()})
	}
	pick("第3条", map[string]func(*bench, []row3){
		"zhengce": func(b *bench, data []row3) {
			prog, err := compileText(zaozhuang3)
			if err != nil {
				b.Fatal(err)
			}
			z := bindRows(b, prog, []string{"规上工业企业", "研发投入", "上年研发投入", "主营业务收入", "承诺年均增长率"}, cells)
			applied := 0
			for i := range data {
				if _, ok := hand3(&data[i]); ok {
					applied++
				}
			}
			if applied == 0 || applied == rows {
				b.Fatalf("the rows do not exercise both outcomes: %d of %d apply", applied, rows)
			}
			z.checkAndRun(b, 0, "补助", func(i int) (decimal.Decimal, bool) { return hand3(&data[i]) })
		},
		"hand": func(b *bench, data []row3) {
			b.timeRows(func(i int) { hand3(&data[i]) })
		},
		"expr": func(b *bench, data []row3) {
			envs := make([]env3, rows)
			for i, x := range data {
				envs[i] = env3{Gs: x.gs, Rd: x.fRd, Prev: x.fPrev, Rev: x.fRev, Promise: x.fP}
			}
			runExpr(b, expr3, envs, func(i int) (decimal.Decimal, bool) { return hand3(&data[i]) })
		},
		"cel": func(b *bench, data []row3) {
			env, err := cel.NewEnv(cel.Variable("gs", cel.BoolType), cel.Variable("rd", cel.DoubleType),
				cel.Variable("prev", cel.DoubleType), cel.Variable("rev", cel.DoubleType), cel.Variable("promise", cel.DoubleType))
			if err != nil {
				b.Fatal(err)
			}
			vars := make([]map[string]any, rows)
			for i, x := range data {
				vars[i] = map[string]any{"gs": x.gs, "rd": x.fRd, "prev": x.fPrev, "rev": x.fRev, "promise": x.fP}
			}
			runCEL(b, env, cel3, vars, func(i int) (decimal.Decimal, bool) { return hand3(&data[i]) })
		},
		"opa": benchOPA3,
	}, data)(b)
}
