// Package bench compares zhengce with the practical limit (the same rules
// hand-written in Go with shopspring/decimal) and with the expression
// engines a Go developer might pick instead (expr-lang/expr, cel-go), on
// four rule sets from the seed documents, over the same generated rows:
//
//   - Zaozhuang3: 枣庄 2025 第3条, 研发投入增量补助 (conditions, a cap);
//   - Rizhao19: 日照 第19条, 揭榜挂帅, with its 其中 exception;
//   - Rizhao14: 日照 第14条, 产学研, two-level caps over a list of projects;
//   - Jining: every rule of 济宁 2025 (19 rules, 32 outputs) together.
//
// Each implementation is first checked on every row: the hand-written code
// must agree with zhengce exactly; the float engines' share of rows whose
// amount differs from the exact one at the fen is reported as
// float-off/row. Then one evaluation of one row is timed, cycling over the
// rows.
//
//	cd bench && go test -bench . -benchmem -count 8 | tee new.txt && benchstat new.txt
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"cel.dev/cel-go/cel"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// rows is how many generated rows each benchmark cycles over: enough that
// a processor cannot learn the way each row goes. Over 1024 rows it did:
// zhengce's conditions went by the rows' pattern learnt by the branch
// predictor, 95 ns a row for 枣庄第3条 against 170 ns over 16384 rows or
// more, while expr's time hardly changed.
const rows = 16384

var ctx = context.Background()

// zc is a policy compiled once, with its rows read into input slots.
type zc struct {
	prog   *zhengce.Program
	inputs [][]interp.Value
}

// benchDate is the evaluation date of every benchmark.
var benchDate = lang.Date{Year: 2025, Month: 9, Day: 1}

func loadPolicy(b testing.TB, path string) *zhengce.Program {
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	// a fixed date: the results do not change with the day the benchmark runs
	prog, err := zhengce.CompileWith(path, src, zhengce.Options{AsOf: benchDate})
	if err != nil {
		b.Fatal(err)
	}
	return prog
}

// bindRows reads text cells, as run does, outside the timed loop.
func bindRows(b testing.TB, prog *zhengce.Program, columns []string, cells [][]string) zc {
	binder := prog.Binder(columns)
	z := zc{prog: prog}
	// the rows' slots lie one after another, as the peers' rows do
	n := len(prog.Inputs())
	all := make([]interp.Value, n*len(cells))
	for i, row := range cells {
		in, err := binder.BindInto(row, all[i*n:(i+1)*n:(i+1)*n])
		if err != nil {
			b.Fatal(err)
		}
		z.inputs = append(z.inputs, in)
	}
	return z
}

// run times zhengce: EvalInto one reused Result, as a worker does.
func (z zc) run(b *bench) {
	var res interp.Result
	b.timeRows(func(i int) {
		if err := z.prog.EvalInto(ctx, z.inputs[i], &res); err != nil {
			b.Fatal(err)
		}
	})
}

// eval returns zhengce's result for row i.
func (z zc) eval(b testing.TB, i int) *interp.Result {
	res, err := z.prog.EvalInputs(ctx, z.inputs[i])
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// amount returns a rule's 金额 output named out, or ok false when the rule
// does not apply.
func amount(res *interp.Result, rule int, out string) (decimal.Decimal, bool) {
	rr := res.Rules[rule]
	if !rr.Applies {
		return decimal.Zero, false
	}
	for _, o := range rr.Outputs {
		if o.Name == out {
			return o.Value.Decimal(), true
		}
	}
	panic("no output " + out)
}

// money draws an amount in yuan with fen.
func money(r *rand.Rand, lo, hi float64) decimal.Decimal {
	return decimal.NewFromInt(int64((lo + r.Float64()*(hi-lo)) * 100)).Shift(-2)
}

func f64(d decimal.Decimal) float64 { f, _ := d.Float64(); return f }

// floatOff counts the rows whose float amount differs from the exact one at
// the fen, or whose applying differs.
type floatOff struct{ off, n int }

func (c *floatOff) check(exact decimal.Decimal, applies bool, got float64, gotApplies bool) {
	c.n++
	if applies != gotApplies || applies && !decimal.NewFromFloat(got).Round(2).Equal(exact) {
		c.off++
	}
}

func (c *floatOff) report(b *bench) { b.ReportMetric(float64(c.off)/float64(c.n), "float-off/row") }

func checkHand(b testing.TB, row int, want decimal.Decimal, wantApplies bool, got decimal.Decimal, gotApplies bool) {
	if wantApplies != gotApplies || wantApplies && !want.Equal(got) {
		b.Fatalf("row %d: zhengce %v %s, hand-written %v %s", row, wantApplies, want, gotApplies, got)
	}
}

var (
	pct30  = decimal.RequireFromString("0.3")
	pct20  = decimal.RequireFromString("0.2")
	pct10  = decimal.RequireFromString("0.1")
	pct3_5 = decimal.RequireFromString("0.035")
	wan50  = decimal.NewFromInt(500000)
	wan100 = decimal.NewFromInt(1000000)
	wan200 = decimal.NewFromInt(2000000)
)

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// impls are the implementations, in the order they are run and reported.
var impls = []string{"zhengce", "hand", "expr", "expr-list", "cel", "cel-list", "opa"}

// bench is the benchmark of one implementation. Its timed loop goes to
// timeRows: run alone, it times b.N rows; in the paired benchmark it is
// kept and timed in turns with the other implementations' loops.
type bench struct {
	*testing.B
	keep func(step func(i int)) // set in the paired benchmark
}

// timeRows times step, the evaluation of row i, cycling over the rows.
func (b *bench) timeRows(step func(i int)) {
	if b.keep != nil {
		b.keep(step)
		return
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		step(i % rows)
	}
}

// ReportMetric reports a metric of the implementation when it is run
// alone; the paired benchmark reports its own.
func (b *bench) ReportMetric(n float64, unit string) {
	if b.keep == nil {
		b.B.ReportMetric(n, unit)
	}
}

// pick runs each implementation of a benchmark alone, then all of them in
// turns ("paired").
func pick[T any](name string, m map[string]func(*bench, T), data T) func(*testing.B) {
	return func(b *testing.B) {
		for _, impl := range impls {
			if f, ok := m[impl]; ok {
				b.Run(impl, func(b *testing.B) { f(&bench{B: b}, data) })
			}
		}
		b.Run("paired", func(b *testing.B) { paired(b, m, data) })
	}
}

// turn is how many rows an implementation evaluates in its turn in the
// paired benchmark; each round takes the next rows.
const turn = 1024

// paired times the implementations in turns, the same turn rows by one
// and then by the next, b.N rounds, and reports for each its time per
// row and each peer's time over zhengce's, as medians over the rounds.
// Each round compares times taken within a millisecond of each other, so
// the ratios hold on a shared machine whose speed drifts from second to
// second, where separate benchmarks a second apart do not. The garbage the
// float engines make is collected when the collector runs, which may be in
// zhengce's turn: if anything, the ratios lean against zhengce.
func paired[T any](b *testing.B, m map[string]func(*bench, T), data T) {
	var names []string
	var steps []func(int)
	for _, impl := range impls {
		f, ok := m[impl]
		if !ok || impl == "opa" { // 10–100 times slower: its turns would take most of the time
			continue
		}
		f(&bench{B: b, keep: func(step func(int)) { steps = append(steps, step) }}, data)
		names = append(names, impl)
	}
	per := make([][]float64, len(steps)) // ns per row, by implementation and round
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		first := n * turn % rows
		for k, step := range steps {
			start := time.Now()
			for i := first; i < first+turn; i++ {
				step(i)
			}
			per[k] = append(per[k], float64(time.Since(start).Nanoseconds())/turn)
		}
	}
	b.StopTimer()
	for k, name := range names {
		b.ReportMetric(median(per[k]), name+"-ns/row")
		if k > 0 {
			ratios := make([]float64, b.N)
			for n := range ratios {
				ratios[n] = per[k][n] / per[0][n]
			}
			b.ReportMetric(median(ratios), name+"/zhengce")
		}
	}
}

// median returns the middle of xs.
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func init() {
	if _, err := os.Stat("../examples"); err != nil {
		panic(fmt.Sprintf("the benchmarks read the seed policies from ../examples: %v", err))
	}
}

func compileText(src string) (*zhengce.Program, error) {
	return zhengce.CompileWith("bench.zc", []byte(src), zhengce.Options{AsOf: benchDate})
}

// checkAndRun checks zhengce's amount for rule's output out against the
// hand-written code on every row, then times zhengce.
func (z zc) checkAndRun(b *bench, rule int, out string, hand func(i int) (decimal.Decimal, bool)) {
	for i := range z.inputs {
		want, ok := amount(z.eval(b, i), rule, out)
		got, gotOK := hand(i)
		checkHand(b, i, want, ok, got, gotOK)
	}
	z.run(b)
}

// runExpr compiles src for environments of type E, checks it on every
// row against the exact amounts (−1 means the rule does not apply), and
// times it.
func runExpr[E any](b *bench, src string, envs []E, exact func(i int) (decimal.Decimal, bool)) {
	var zero E
	program, err := expr.Compile(src, expr.Env(zero))
	if err != nil {
		b.Fatal(err)
	}
	var machine vm.VM
	var off floatOff
	for i := range envs {
		out, err := machine.Run(program, envs[i])
		if err != nil {
			b.Fatal(err)
		}
		want, ok := exact(i)
		off.check(want, ok, out.(float64), out.(float64) >= 0)
	}
	b.timeRows(func(i int) {
		if _, err := machine.Run(program, envs[i]); err != nil {
			b.Fatal(err)
		}
	})
	off.report(b)
}

// runCEL does for CEL what runExpr does for expr.
func runCEL(b *bench, env *cel.Env, src string, vars []map[string]any, exact func(i int) (decimal.Decimal, bool)) {
	prg := celProgram(b, env, src)
	var off floatOff
	for i := range vars {
		out, _, err := prg.Eval(vars[i])
		if err != nil {
			b.Fatal(err)
		}
		want, ok := exact(i)
		f := out.Value().(float64)
		off.check(want, ok, f, f >= 0)
	}
	b.timeRows(func(i int) {
		if _, _, err := prg.Eval(vars[i]); err != nil {
			b.Fatal(err)
		}
	})
	off.report(b)
}

func celProgram(b testing.TB, env *cel.Env, src string) cel.Program {
	ast, iss := env.Compile(src)
	if iss.Err() != nil {
		b.Fatal(iss.Err())
	}
	prg, err := env.Program(ast)
	if err != nil {
		b.Fatal(err)
	}
	return prg
}
