package bench

import (
	"math/rand/v2"
	"testing"

	"cel.dev/cel-go/cel"
	"github.com/shopspring/decimal"
)

// 日照 第19条 (揭榜挂帥.zc): at least 200万元 invested, 20%, at most 200万元
// per project; 其中 for emerging industries the threshold is 100万元 and the
// rate 30%.
type row19 struct {
	open, emerging bool
	total          decimal.Decimal
	fTotal         float64
}

func rows19() []row19 {
	r := rand.New(rand.NewPCG(19, 19))
	var out []row19
	for i := 0; i < rows; i++ {
		x := row19{open: r.IntN(10) < 7, emerging: r.IntN(10) < 4, total: money(r, 0, 1e7)}
		x.fTotal = f64(x.total)
		out = append(out, x)
	}
	return out
}

func hand19(x *row19) (decimal.Decimal, bool) {
	threshold, rate := wan200, pct20
	if x.emerging {
		threshold, rate = wan100, pct30
	}
	if !x.open || x.total.LessThan(threshold) {
		return decimal.Zero, false
	}
	return decimal.Min(x.total.Mul(rate), wan200).Round(2), true
}

const expr19 = `let threshold = emerging ? 1000000.0 : 2000000.0; let rate = emerging ? 0.3 : 0.2;
open && total >= threshold ? min(total * rate, 2000000.0) : -1.0`

const cel19 = `open && total >= (emerging ? 1000000.0 : 2000000.0) ?
  (total * (emerging ? 0.3 : 0.2) < 2000000.0 ? total * (emerging ? 0.3 : 0.2) : 2000000.0) : -1.0`

type env19 struct {
	Open     bool    `expr:"open"`
	Emerging bool    `expr:"emerging"`
	Total    float64 `expr:"total"`
}

func BenchmarkRizhao19(b *testing.B) {
	data := rows19()
	var cells [][]string
	for _, x := range data {
		cells = append(cells, []string{yesNo(x.open), x.total.String(), yesNo(x.emerging)})
	}
	pick("第19条", map[string]func(*bench, []row19){
		"zhengce": func(b *bench, data []row19) {
			prog := loadPolicy(b, "../examples/rizhao-2025-implementation-rules/揭榜掛帥.zc")
			z := bindRows(b, prog, []string{"採用揭榜掛帥方式", "項目科技投入總額", "新興或未來產業領域"}, cells)
			z.checkAndRun(b, 0, "支持", func(i int) (decimal.Decimal, bool) { return hand19(&data[i]) })
		},
		"hand": func(b *bench, data []row19) {
			b.timeRows(func(i int) { hand19(&data[i]) })
		},
		"expr": func(b *bench, data []row19) {
			envs := make([]env19, rows)
			for i, x := range data {
				envs[i] = env19{Open: x.open, Emerging: x.emerging, Total: x.fTotal}
			}
			runExpr(b, expr19, envs, func(i int) (decimal.Decimal, bool) { return hand19(&data[i]) })
		},
		"cel": func(b *bench, data []row19) {
			env, err := cel.NewEnv(cel.Variable("open", cel.BoolType), cel.Variable("emerging", cel.BoolType), cel.Variable("total", cel.DoubleType))
			if err != nil {
				b.Fatal(err)
			}
			vars := make([]map[string]any, rows)
			for i, x := range data {
				vars[i] = map[string]any{"open": x.open, "emerging": x.emerging, "total": x.fTotal}
			}
			runCEL(b, env, cel19, vars, func(i int) (decimal.Decimal, bool) { return hand19(&data[i]) })
		},
		"opa": benchOPA19,
	}, data)(b)
}
