package zhengce_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// TestComparisonTiersAgree: every way a comparison of numbers is compiled
// (a constant side checked once, input slots read in place, a quotient
// decided without dividing, the general numFns) says what exact decimal
// arithmetic says, for Eval and for EvalInto's steady state alike. The
// values include each side equal to the other and a unit of the last
// place either way, where an error would show.
func TestComparisonTiersAgree(t *testing.T) {
	type form struct {
		cond   string
		oracle func(a, b, c decimal.Decimal) bool
	}
	k := decimal.RequireFromString("0.035")
	forms := []form{
		{"a 超过 3.5%", func(a, _, _ decimal.Decimal) bool { return a.GreaterThan(k) }},                                    // constant side
		{"a 不低于 门槛", func(a, _, _ decimal.Decimal) bool { return a.GreaterThanOrEqual(k) }},                              // a parameter
		{"a < b", func(a, b, _ decimal.Decimal) bool { return a.LessThan(b) }},                                           // two slots
		{"a 不超过 b", func(a, b, _ decimal.Decimal) bool { return a.LessThanOrEqual(b) }},                                  // two slots
		{"a + b = c", func(a, b, c decimal.Decimal) bool { return a.Add(b).Equal(c) }},                                   // numFns
		{"a / b 超过 3.5%", func(a, b, _ decimal.Decimal) bool { return !b.IsZero() && a.DivRound(b, 40).GreaterThan(k) }}, // a quotient
		{"a * b 不低于 c", func(a, b, c decimal.Decimal) bool { return a.Mul(b).GreaterThanOrEqual(c) }},
		{"a - c 低于 0", func(a, _, c decimal.Decimal) bool { return a.Sub(c).IsNegative() }},
	}
	r := rand.New(rand.NewPCG(7, 7))
	number := func() decimal.Decimal {
		switch r.IntN(5) {
		case 0:
			return k
		case 1:
			return k.Add(decimal.New(int64(r.IntN(3)-1), -20))
		case 2:
			return decimal.New(r.Int64N(1e12)-5e11, -int32(r.IntN(6)))
		}
		return decimal.New(r.Int64N(1e6), -int32(r.IntN(4)))
	}
	for _, fm := range forms {
		src := fmt.Sprintf("输入 a：比例\n输入 b：比例\n输入 c：比例\n参数 门槛 = 3.5%%\n规则 r\n  条件 %s\n  x = 1\n结束\n", fm.cond)
		prog, err := zhengce.Compile("c.zc", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		var reused interp.Result
		for range 2000 {
			a, b, c := number(), number(), number()
			if r.IntN(4) == 0 {
				b = a
			}
			if r.IntN(4) == 0 {
				c = a.Add(b)
			}
			rec := zhengce.Record{"a": a, "b": b, "c": c}
			res, err := prog.Eval(context.Background(), rec)
			if err != nil {
				continue // division by zero: an error, as it should be, for both
			}
			want := fm.oracle(a, b, c)
			if res.Rules[0].Applies != want {
				t.Errorf("%s with a=%s b=%s c=%s: Eval says %v, exact arithmetic %v", fm.cond, a, b, c, res.Rules[0].Applies, want)
			}
			in, err := prog.BindRecord(rec)
			if err != nil {
				t.Fatal(err)
			}
			if err := prog.EvalInto(context.Background(), in, &reused); err != nil {
				t.Fatal(err)
			}
			if reused.Rules[0].Applies != want {
				t.Errorf("%s with a=%s b=%s c=%s: EvalInto says %v, exact arithmetic %v", fm.cond, a, b, c, reused.Rules[0].Applies, want)
			}
		}
	}
}
