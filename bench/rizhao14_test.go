package bench

import (
	"math/rand/v2"
	"slices"
	"testing"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/ext"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// 日照 第14条 (產學研合作.zc): each project paid at least 50万元 and not
// already supported gets 20% of its cost, at most 100万元; an enterprise
// gets at most 200万元 in all.
type project struct {
	paid, cost   decimal.Decimal
	supported    bool
	fPaid, fCost float64
}

type row14 struct{ projects []project }

func rows14() []row14 {
	r := rand.New(rand.NewPCG(14, 14))
	var out []row14
	for i := 0; i < rows; i++ {
		var x row14
		for n := r.IntN(6); n > 0; n-- {
			paid := money(r, 0, 8e6)
			p := project{paid: paid, cost: paid.Mul(decimal.NewFromFloat(0.8 + 0.7*r.Float64())).Round(2), supported: r.IntN(5) == 0}
			p.fPaid, p.fCost = f64(p.paid), f64(p.cost)
			x.projects = append(x.projects, p)
		}
		out = append(out, x)
	}
	return out
}

func hand14(x *row14) (decimal.Decimal, bool) {
	total, counted := decimal.Zero, 0
	for i := range x.projects {
		p := &x.projects[i]
		if p.paid.LessThan(wan50) || p.supported {
			continue
		}
		total = total.Add(decimal.Min(p.cost.Mul(pct20), wan100).Round(2))
		counted++
	}
	if counted == 0 {
		return decimal.Zero, false
	}
	return decimal.Min(total, wan200), true
}

const expr14 = `let each = map(filter(projects, .paid >= 500000.0 && !.supported), min(.cost * 0.2, 1000000.0));
len(each) > 0 ? min(sum(each), 2000000.0) : -1.0`

const cel14 = `cel.bind(each, projects.filter(p, p.paid >= 500000.0 && !p.supported).map(p, p.cost * 0.2 < 1000000.0 ? p.cost * 0.2 : 1000000.0),
  size(each) > 0 ? (sum(each) < 2000000.0 ? sum(each) : 2000000.0) : -1.0)`

type project14 struct {
	Paid      float64 `expr:"paid"`
	Cost      float64 `expr:"cost"`
	Supported bool    `expr:"supported"`
}

type env14 struct {
	Projects []project14 `expr:"projects"`
}

// celSum is the sum(list) a Go developer adds to CEL, which has none.
var celSum = cel.Function("sum", cel.Overload("sum_list", []*cel.Type{cel.ListType(cel.DynType)}, cel.DoubleType,
	cel.UnaryBinding(func(v ref.Val) ref.Val {
		total := 0.0
		for it := v.(traits.Lister).Iterator(); it.HasNext() == types.True; {
			total += float64(it.Next().(types.Double))
		}
		return types.Double(total)
	})))

// compactLists copies the lists of records among the rows' inputs so that
// each row's records lie together and the rows one after another, as the
// peers' rows do (env14's projects are one slice per row). Bound one by
// one, among the garbage of the maps they were read from, they lie
// scattered, and the benchmark times cache misses on data a streaming run
// reads while it is still in cache: it has just parsed it.
func compactLists(rows [][]interp.Value) [][]interp.Value {
	out := make([][]interp.Value, len(rows))
	for i, in := range rows {
		out[i] = slices.Clone(in)
		for j, v := range in {
			if v.Kind() != lang.KindList {
				continue
			}
			items := make([]interp.Value, len(v.Items()))
			n := 0
			for _, it := range v.Items() {
				n += len(it.Items())
			}
			fields := make([]interp.Value, 0, n)
			for k, it := range v.Items() {
				start := len(fields)
				fields = append(fields, it.Items()...)
				items[k] = interp.RecordValue(fields[start:len(fields):len(fields)])
			}
			out[i][j] = interp.List(lang.KindRecord, items)
		}
	}
	return out
}

func BenchmarkRizhao14(b *testing.B) {
	data := rows14()
	pick("第14条", map[string]func(*bench, []row14){
		"zhengce": func(b *bench, data []row14) {
			prog := loadPolicy(b, "../examples/rizhao-2025-implementation-rules/產學研合作.zc")
			z := zc{prog: prog}
			for _, x := range data {
				var list []any
				for i, p := range x.projects {
					list = append(list, map[string]any{"項目名稱": string(rune('甲' + i)), "實際支付金額": p.paid.String(),
						"實際發生費用": p.cost.String(), "已獲省市科技計劃支持": yesNo(p.supported)})
				}
				in, err := prog.BindRecord(zhengce.Record{"橫向項目": list, "已兌現": []any{}}) // no payments before: the 累计 cap is the 200万
				if err != nil {
					b.Fatal(err)
				}
				z.inputs = append(z.inputs, in)
			}
			z.inputs = compactLists(z.inputs)
			z.checkAndRun(b, 0, "支持", func(i int) (decimal.Decimal, bool) { return hand14(&data[i]) })
		},
		"hand": func(b *bench, data []row14) {
			b.timeRows(func(i int) { hand14(&data[i]) })
		},
		"expr": func(b *bench, data []row14) {
			envs := make([]env14, rows)
			for i, x := range data {
				for _, p := range x.projects {
					envs[i].Projects = append(envs[i].Projects, project14{Paid: p.fPaid, Cost: p.fCost, Supported: p.supported})
				}
			}
			runExpr(b, expr14, envs, func(i int) (decimal.Decimal, bool) { return hand14(&data[i]) })
		},
		"cel": func(b *bench, data []row14) {
			env, err := cel.NewEnv(cel.Variable("projects", cel.ListType(cel.MapType(cel.StringType, cel.DynType))), celSum, ext.Bindings())
			if err != nil {
				b.Fatal(err)
			}
			vars := make([]map[string]any, rows)
			for i, x := range data {
				var list []map[string]any
				for _, p := range x.projects {
					list = append(list, map[string]any{"paid": p.fPaid, "cost": p.fCost, "supported": p.supported})
				}
				vars[i] = map[string]any{"projects": list}
			}
			runCEL(b, env, cel14, vars, func(i int) (decimal.Decimal, bool) { return hand14(&data[i]) })
		},
		"opa": benchOPA14,
	}, data)(b)
}
