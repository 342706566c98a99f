package bench

import (
	"math/rand/v2"
	"strings"
	"testing"

	"cel.dev/cel-go/cel"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
)

// 济宁 2025 (年度目標.zc): every rule of the document, 19 rules with 32
// outputs, over the city's 25 statistics.

// The inputs, in the policy's order.
const (
	jBase = iota
	jHitech
	jScale
	jQuality
	jRD
	jRDPrev
	jMfg
	jMfgPrev
	jIndustry
	jSmart
	jGreen
	jIntl
	jMajor
	jProv
	jCity
	jTop
	jTeam
	jLeader
	jIUR
	jSchool
	jPublish
	jManagers
	jCarriers
	jLoans
	jCredit
	jInputs
)

var jColumns = []string{"基期高新技術企業數", "高新技術企業數", "規上工業企業數", "省級以上專精特新瞪羚單項冠軍企業數",
	"全社會研發投入", "上年全社會研發投入", "製造業增加值占GDP比重", "上年製造業增加值占GDP比重", "工業經濟總量",
	"累計智能工廠數", "累計新增省級以上綠色製造單位數", "累計省級以上國際合作基地數", "當年省級以上重大科技攻關項目數",
	"當年新增省級以上創新平台數", "當年新增市級創新平台數", "當年新引進頂尖人才數", "當年新增高端人才創新團隊數",
	"當年入選國家級省級領軍人才數", "當年產學研合作項目數", "當年校企合作項目數", "當年發布技術成果和需求數",
	"技術經理人數", "當年新增成果轉化服務載體數", "當年科技成果貸款", "當年增信服務企業數"}

// jVars names the inputs in expr and CEL.
var jVars = []string{"base", "hitech", "scale", "quality", "rd", "rdPrev", "mfg", "mfgPrev", "industry",
	"smart", "green", "intl", "major", "prov", "city", "top", "team", "leader", "iur", "school", "publish",
	"managers", "carriers", "loans", "credit"}

type rowJ struct {
	in [jInputs]decimal.Decimal
	f  [jInputs]float64
}

func rowsJ() []rowJ {
	r := rand.New(rand.NewPCG(2025, 7))
	count := func(lo, hi int) decimal.Decimal { return decimal.NewFromInt(int64(lo + r.IntN(hi-lo+1))) }
	ratio := func(lo, hi float64) decimal.Decimal {
		return decimal.NewFromInt(int64((lo + r.Float64()*(hi-lo)) * 10000)).Shift(-4)
	}
	var out []rowJ
	for i := 0; i < rows; i++ {
		var x rowJ
		v := &x.in
		v[jBase] = count(1000, 1400)
		v[jHitech] = v[jBase].Mul(ratio(1.5, 2.5)).Round(0)
		v[jScale], v[jQuality] = count(4000, 6000), count(1500, 2500)
		v[jRD] = money(r, 1e9, 2e10)
		v[jRDPrev] = v[jRD].Mul(ratio(0.8, 1.2)).Round(2)
		v[jMfg] = ratio(0.2, 0.4)
		v[jMfgPrev] = v[jMfg].Sub(ratio(-0.01, 0.03))
		v[jIndustry] = money(r, 5e11, 1.5e12)
		v[jSmart], v[jGreen], v[jIntl], v[jMajor] = count(20, 40), count(10, 30), count(2, 8), count(5, 15)
		v[jProv], v[jCity], v[jTop], v[jTeam] = count(40, 80), count(80, 120), count(2, 8), count(5, 15)
		v[jLeader], v[jIUR], v[jSchool], v[jPublish] = count(20, 40), count(80, 120), count(5, 15), count(150, 250)
		v[jManagers], v[jCarriers], v[jLoans], v[jCredit] = count(500, 700), count(5, 15), money(r, 1e9, 3e9), count(150, 250)
		for k := range v {
			x.f[k] = f64(v[k])
		}
		out = append(out, x)
	}
	return out
}

// jOut is one output: a 是否 or a number.
type jOut struct {
	isBool bool
	b      bool
	d      decimal.Decimal
}

func (o jOut) String() string {
	if o.isBool {
		return yesNo(o.b)
	}
	return o.d.String()
}

var (
	two     = decimal.NewFromInt(2)
	n5000   = decimal.NewFromInt(5000)
	n2000   = decimal.NewFromInt(2000)
	pct1    = decimal.RequireFromString("0.01")
	trillio = decimal.NewFromInt(1e12)
	yi20    = decimal.NewFromInt(2e9)
	one     = decimal.NewFromInt(1)
)

// handJ is every rule of the document written by hand with
// shopspring/decimal, outputs in the policy's order.
func handJ(x *rowJ, out *[32]jOut) {
	v := &x.in
	n := 0
	put := func(o jOut) { out[n] = o; n++ }
	reach := func(a, target decimal.Decimal) { put(jOut{isBool: true, b: a.GreaterThanOrEqual(target)}) }
	gap := func(a, target decimal.Decimal) { put(jOut{d: decimal.Max(target.Sub(a), decimal.Zero)}) }
	target := func(a decimal.Decimal, t int64, withGap bool) {
		d := decimal.NewFromInt(t)
		reach(a, d)
		if withGap {
			gap(a, d)
		}
	}
	doubled := v[jBase].Mul(two)
	reach(v[jHitech], doubled)
	gap(v[jHitech], doubled)
	reach(v[jScale], n5000)
	gap(v[jScale], n5000)
	reach(v[jQuality], n2000)
	gap(v[jQuality], n2000)
	growth := v[jRD].DivRound(v[jRDPrev], 20).Sub(one)
	put(jOut{d: growth})
	reach(growth, pct10)
	rise := v[jMfg].Sub(v[jMfgPrev])
	put(jOut{d: rise})
	reach(rise, pct1)
	reach(v[jIndustry], trillio)
	target(v[jSmart], 30, true)
	target(v[jGreen], 20, true)
	target(v[jIntl], 5, false)
	target(v[jMajor], 10, false)
	target(v[jProv], 60, true)
	target(v[jCity], 100, false)
	target(v[jTop], 5, false)
	target(v[jTeam], 10, false)
	target(v[jLeader], 30, false)
	put(jOut{isBool: true, b: out[n-3].b && out[n-2].b && out[n-1].b})
	target(v[jIUR], 100, false)
	target(v[jSchool], 10, false)
	target(v[jPublish], 200, false)
	put(jOut{isBool: true, b: v[jManagers].GreaterThan(decimal.NewFromInt(600))})
	target(v[jCarriers], 10, false)
	reach(v[jLoans], yi20)
	put(jOut{d: decimal.Max(yi20.Sub(v[jLoans]), decimal.Zero).Round(2)})
	target(v[jCredit], 200, false)
}

// jExprs are the 32 outputs in expr's syntax and in CEL's.
var jExprs = [][2]string{
	{"hitech >= base * 2", "hitech >= base * 2.0"},
	{"max(base * 2 - hitech, 0)", "base * 2.0 - hitech > 0.0 ? base * 2.0 - hitech : 0.0"},
	{"scale >= 5000", "scale >= 5000.0"},
	{"max(5000 - scale, 0)", "5000.0 - scale > 0.0 ? 5000.0 - scale : 0.0"},
	{"quality >= 2000", "quality >= 2000.0"},
	{"max(2000 - quality, 0)", "2000.0 - quality > 0.0 ? 2000.0 - quality : 0.0"},
	{"rd / rdPrev - 1", "rd / rdPrev - 1.0"},
	{"rd / rdPrev - 1 >= 0.1", "rd / rdPrev - 1.0 >= 0.1"},
	{"mfg - mfgPrev", "mfg - mfgPrev"},
	{"mfg - mfgPrev >= 0.01", "mfg - mfgPrev >= 0.01"},
	{"industry >= 1e12", "industry >= 1e12"},
	{"smart >= 30", "smart >= 30.0"},
	{"max(30 - smart, 0)", "30.0 - smart > 0.0 ? 30.0 - smart : 0.0"},
	{"green >= 20", "green >= 20.0"},
	{"max(20 - green, 0)", "20.0 - green > 0.0 ? 20.0 - green : 0.0"},
	{"intl >= 5", "intl >= 5.0"},
	{"major >= 10", "major >= 10.0"},
	{"prov >= 60", "prov >= 60.0"},
	{"max(60 - prov, 0)", "60.0 - prov > 0.0 ? 60.0 - prov : 0.0"},
	{"city >= 100", "city >= 100.0"},
	{"top >= 5", "top >= 5.0"},
	{"team >= 10", "team >= 10.0"},
	{"leader >= 30", "leader >= 30.0"},
	{"top >= 5 && team >= 10 && leader >= 30", "top >= 5.0 && team >= 10.0 && leader >= 30.0"},
	{"iur >= 100", "iur >= 100.0"},
	{"school >= 10", "school >= 10.0"},
	{"publish >= 200", "publish >= 200.0"},
	{"managers > 600", "managers > 600.0"},
	{"carriers >= 10", "carriers >= 10.0"},
	{"loans >= 2e9", "loans >= 2e9"},
	{"max(2e9 - loans, 0)", "2e9 - loans > 0.0 ? 2e9 - loans : 0.0"},
	{"credit >= 200", "credit >= 200.0"},
}

// jEnvs gives each row's inputs by their expr and CEL names, as float64.
func jEnvs(data []rowJ) []map[string]any {
	envs := make([]map[string]any, len(data))
	for i, x := range data {
		envs[i] = map[string]any{}
		for k, name := range jVars {
			envs[i][name] = x.f[k]
		}
	}
	return envs
}

// jCELEnv declares the inputs to CEL as doubles.
func jCELEnv(b testing.TB) *cel.Env {
	var opts []cel.EnvOption
	for _, name := range jVars {
		opts = append(opts, cel.Variable(name, cel.DoubleType))
	}
	env, err := cel.NewEnv(opts...)
	if err != nil {
		b.Fatal(err)
	}
	return env
}

// jFloatOff counts the rows where any float output differs from the exact
// one: a different 是否, or a number different at the fourth place.
func jFloatOff(b testing.TB, data []rowJ, eval func(i, k int) any) float64 {
	off := 0
	var want [32]jOut
	for i := range data {
		handJ(&data[i], &want)
		for k := range jExprs {
			got := eval(i, k)
			if w := want[k]; w.isBool && got != w.b || !w.isBool && !decimal.NewFromFloat(got.(float64)).Round(4).Equal(w.d.Round(4)) {
				off++
				break
			}
		}
	}
	return float64(off) / float64(len(data))
}

func BenchmarkJining(b *testing.B) {
	data := rowsJ()
	pick("济宁", map[string]func(*bench, []rowJ){
		"zhengce": func(b *bench, data []rowJ) {
			prog := loadPolicy(b, "../examples/jining-2025-opinions/年度目標.zc")
			var cells [][]string
			for _, x := range data {
				row := make([]string, jInputs)
				for k, d := range x.in {
					row[k] = d.String()
				}
				cells = append(cells, row)
			}
			z := bindRows(b, prog, jColumns, cells)
			var want [32]jOut
			for i := range data {
				handJ(&data[i], &want)
				k := 0
				for _, rr := range z.eval(b, i).Rules {
					for _, o := range rr.Outputs {
						if got := o.Value.Exact(); got != want[k].String() {
							b.Fatalf("row %d, %s.%s: zhengce %s, hand-written %s", i, rr.Name, o.Name, got, want[k])
						}
						k++
					}
				}
				if k != len(want) {
					b.Fatalf("zhengce gives %d outputs, the hand-written code %d", k, len(want))
				}
			}
			z.run(b)
		},
		"hand": func(b *bench, data []rowJ) {
			var out [32]jOut
			b.timeRows(func(i int) { handJ(&data[i], &out) })
		},
		"expr": func(b *bench, data []rowJ) {
			env := map[string]any{}
			for _, name := range jVars {
				env[name] = 0.0
			}
			var programs []*vm.Program
			for _, e := range jExprs {
				p, err := expr.Compile(e[0], expr.Env(env))
				if err != nil {
					b.Fatal(e[0], err)
				}
				programs = append(programs, p)
			}
			envs := jEnvs(data)
			var machine vm.VM
			off := jFloatOff(b, data, func(i, k int) any {
				out, err := machine.Run(programs[k], envs[i])
				if err != nil {
					b.Fatal(err)
				}
				if n, ok := out.(int); ok {
					return float64(n)
				}
				return out
			})
			b.timeRows(func(i int) {
				for _, p := range programs {
					if _, err := machine.Run(p, envs[i]); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(off, "float-off/row")
		},
		"expr-list": func(b *bench, data []rowJ) {
			// all 32 outputs as one program returning an array
			var all []string
			for _, e := range jExprs {
				all = append(all, e[0])
			}
			env := map[string]any{}
			for _, name := range jVars {
				env[name] = 0.0
			}
			program, err := expr.Compile("["+strings.Join(all, ", ")+"]", expr.Env(env))
			if err != nil {
				b.Fatal(err)
			}
			envs := jEnvs(data)
			var machine vm.VM
			b.timeRows(func(i int) {
				if _, err := machine.Run(program, envs[i]); err != nil {
					b.Fatal(err)
				}
			})
		},
		"cel-list": func(b *bench, data []rowJ) {
			env := jCELEnv(b)
			var all []string
			for _, e := range jExprs {
				all = append(all, e[1])
			}
			program := celProgram(b, env, "["+strings.Join(all, ", ")+"]")
			vars := jEnvs(data)
			b.timeRows(func(i int) {
				if _, _, err := program.Eval(vars[i]); err != nil {
					b.Fatal(err)
				}
			})
		},
		"cel": func(b *bench, data []rowJ) {
			env := jCELEnv(b)
			var programs []cel.Program
			for _, e := range jExprs {
				programs = append(programs, celProgram(b, env, e[1]))
			}
			vars := jEnvs(data)
			off := jFloatOff(b, data, func(i, k int) any {
				out, _, err := programs[k].Eval(vars[i])
				if err != nil {
					b.Fatal(err)
				}
				return out.Value()
			})
			b.timeRows(func(i int) {
				for _, p := range programs {
					if _, _, err := p.Eval(vars[i]); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(off, "float-off/row")
		},
		"opa": benchOPAJining,
	}, data)(b)
}
