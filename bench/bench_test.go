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
	"testing"

	"cel.dev/cel-go/cel"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// rows is how many generated rows each benchmark cycles over.
const rows = 1024

var ctx = context.Background()

// zc is a policy compiled once, with its rows read into input slots.
type zc struct {
	prog   *zhengce.Program
	inputs [][]interp.Value
}

func loadPolicy(b *testing.B, path string) *zhengce.Program {
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := zhengce.Compile(path, src)
	if err != nil {
		b.Fatal(err)
	}
	return prog
}

// bindRows reads text cells, as run does, outside the timed loop.
func bindRows(b *testing.B, prog *zhengce.Program, columns []string, cells [][]string) zc {
	binder := prog.Binder(columns)
	z := zc{prog: prog}
	for _, row := range cells {
		in, err := binder.Bind(row)
		if err != nil {
			b.Fatal(err)
		}
		z.inputs = append(z.inputs, in)
	}
	return z
}

// run times zhengce: EvalInto one reused Result, as a worker does.
func (z zc) run(b *testing.B) {
	var res interp.Result
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := z.prog.EvalInto(ctx, z.inputs[i%rows], &res); err != nil {
			b.Fatal(err)
		}
	}
}

// eval returns zhengce's result for row i.
func (z zc) eval(b *testing.B, i int) *interp.Result {
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

func (c *floatOff) report(b *testing.B) { b.ReportMetric(float64(c.off)/float64(c.n), "float-off/row") }

func checkHand(b *testing.B, row int, want decimal.Decimal, wantApplies bool, got decimal.Decimal, gotApplies bool) {
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

func pick[T any](name string, m map[string]func(*testing.B, T), data T) func(*testing.B) {
	return func(b *testing.B) {
		for _, impl := range []string{"zhengce", "hand", "expr", "expr-list", "cel", "cel-list", "opa"} {
			if f, ok := m[impl]; ok {
				b.Run(impl, func(b *testing.B) { f(b, data) })
			}
		}
	}
}

func init() {
	if _, err := os.Stat("../examples"); err != nil {
		panic(fmt.Sprintf("the benchmarks read the seed policies from ../examples: %v", err))
	}
}

func compileText(src string) (*zhengce.Program, error) {
	return zhengce.Compile("bench.zc", []byte(src))
}

// checkAndRun checks zhengce's amount for rule's output out against the
// hand-written code on every row, then times zhengce.
func (z zc) checkAndRun(b *testing.B, rule int, out string, hand func(i int) (decimal.Decimal, bool)) {
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
func runExpr[E any](b *testing.B, src string, envs []E, exact func(i int) (decimal.Decimal, bool)) {
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
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := machine.Run(program, envs[i%rows]); err != nil {
			b.Fatal(err)
		}
	}
	off.report(b)
}

// runCEL does for CEL what runExpr does for expr.
func runCEL(b *testing.B, env *cel.Env, src string, vars []map[string]any, exact func(i int) (decimal.Decimal, bool)) {
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
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := prg.Eval(vars[i%rows]); err != nil {
			b.Fatal(err)
		}
	}
	off.report(b)
}

func celProgram(b *testing.B, env *cel.Env, src string) cel.Program {
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
