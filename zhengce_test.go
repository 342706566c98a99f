package zhengce_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

func eval(t *testing.T, expr string) interp.Value {
	t.Helper()
	v, err := zhengce.Eval(context.Background(), expr)
	if err != nil {
		t.Fatalf("Eval(%q): %v", expr, err)
	}
	return v
}

// exprCase is an expression and its exact value.
type exprCase struct{ expr, want string }

func checkExprs(t *testing.T, tests []exprCase) {
	t.Helper()
	for _, tt := range tests {
		if got := eval(t, tt.expr).Exact(); got != tt.want {
			t.Errorf("%s = %s, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestNumberLiterals(t *testing.T) {
	tests := []exprCase{
		{"1500", "1500"}, {"3.5", "3.5"}, {"10%", "0.1"}, {"5‰", "0.005"}, {"0.5%", "0.005"},
		{"200万", "2000000"}, {"200万元", "2000000"}, {"1.5亿", "150000000"}, {"1.5亿元", "150000000"},
		{"3千", "3000"}, {"200萬", "2000000"}, {"2億", "200000000"}, {"1500元", "1500"}, {"2倍", "2"},
		{"１２３", "123"}, {"３．５％", "0.035"}, {"1万亿", "1000000000000"},
	}
	checkExprs(t, tests)
}

func TestArithmeticIsExact(t *testing.T) {
	tests := []exprCase{
		{"0.1 + 0.2 = 0.3", "是"},
		{"0.1 + 0.2", "0.3"},
		{"1 / 3", "0.33333333333333333333"},
		{"2 / 3", "0.66666666666666666667"},
		{"1 / 3 * 3", "0.99999999999999999999"},
		{"min(3000万 * 10%, 200万)", "2000000"},
		{"min(1500万 * 10%, 200万)", "1500000"},
		{"3000万元的10%最高200万元", "2000000"},
		{"100万 * 10% 最低 20万", "200000"},
		{"-(3 - 5)", "2"},
		{"1 + 2 * 3", "7"},
		{"(1 + 2) * 3", "9"},
		{"10 - 2 - 3", "5"},
		{"12 / 2 / 3", "2"},
		{"1亿 * 1亿", "10000000000000000"},
		{"如果 5 超过 3 那么 1 否则 2", "1"},
		{"如果 5 超过 30 那么 1 否则如果 5 超过 3 那么 2 否则 3", "2"},
	}
	checkExprs(t, tests)
}

func TestRounding(t *testing.T) {
	tests := []exprCase{
		{"四舍五入(2.5)", "3"}, {"四舍五入(-2.5)", "-3"}, {"四舍五入(2.4)", "2"}, {"四舍五入(-2.4)", "-2"},
		{"round(1.005, 2)", "1.01"}, {"四舍五入(1234567, -4)", "1230000"}, {"四舍五入(1235000, -4)", "1240000"},
		{"向下取整(2.7)", "2"}, {"向下取整(-2.1)", "-3"}, {"floor(2.789, 2)", "2.78"},
		{"向上取整(2.1)", "3"}, {"向上取整(-2.7)", "-2"}, {"ceil(2.781, 2)", "2.79"},
		{"绝对值(-3.5)", "3.5"}, {"abs(2)", "2"},
		{"最大(1, 5, 3)", "5"}, {"最小(4, 2, 8)", "2"},
		{"合计(1, 2, 3.5)", "6.5"}, {"计数(是, 否, 是)", "2"}, {"任一(否, 是)", "是"}, {"全部(是, 否)", "否"},
		{"分摊(100元, 5∶2, 1)", "71.43"}, {"分摊(100元, 5∶2, 2)", "28.57"},
		{"分摊(1元, 1∶1∶1, 1)", "0.34"}, {"分摊(1元, 1∶1∶1, 2)", "0.33"}, {"分摊(1元, 1∶1∶1, 3)", "0.33"},
	}
	checkExprs(t, tests)
}

// TestComparisonWordsAtBoundary checks every comparison word on values
// below, at and above its bound, against the inclusiveness fixed by 民法典
// 第一千二百五十九条: 以上、以下、以内、届满 include the bound; 不满、超过、以外 do not.
func TestComparisonWordsAtBoundary(t *testing.T) {
	ge := [3]bool{false, true, true}
	gt := [3]bool{false, false, true}
	le := [3]bool{true, true, false}
	lt := [3]bool{true, false, false}
	eq := [3]bool{false, true, false}
	ne := [3]bool{true, false, true}
	words := map[string][3]bool{
		">=": ge, "≥": ge, "不低于": ge, "不少于": ge, "不小于": ge, "达到": ge, "達到": ge,
		">": gt, "超过": gt, "超過": gt, "高于": gt, "大于": gt, "多于": gt,
		"<=": le, "≤": le, "不超过": le, "不超過": le, "不高于": le, "不大于": le, "不多于": le,
		"<": lt, "低于": lt, "小于": lt, "少于": lt, "不足": lt, "不满": lt, "未满": lt, "未达到": lt,
		"=": eq, "==": eq, "等于": eq, "!=": ne, "≠": ne, "不等于": ne,
	}
	for word, want := range words {
		for i, x := range []string{"99", "100", "101"} {
			expr := x + " " + word + " 100"
			if got := eval(t, expr).Truth(); got != want[i] {
				t.Errorf("%s is %v, want %v", expr, got, want[i])
			}
		}
	}
	postfix := map[string][3]bool{"以上": ge, "以下": le, "以内": le}
	for word, want := range postfix {
		for i, x := range []string{"99", "100", "101"} {
			for _, expr := range []string{x + " 在 100 " + word, x + " 100" + word} {
				if got := eval(t, expr).Truth(); got != want[i] {
					t.Errorf("%s is %v, want %v", expr, got, want[i])
				}
			}
		}
	}
}

func TestLogicAndDates(t *testing.T) {
	tests := []exprCase{
		{"是 且 否", "否"}, {"是 并且 是", "是"}, {"true and false", "否"},
		{"是 或 否", "是"}, {"否 或者 否", "否"}, {"false or true", "是"},
		{"非 是", "否"}, {"不是 否", "是"}, {"not true", "否"}, {"!false", "是"},
		{"真 = 是", "是"}, {"假 != 否", "否"},
		{"2025年6月15日 = 2025-06-15", "是"},
		{"2025年6月15日 < 2025-06-16", "是"},
		{"2028年6月15日 不超过 2028-06-15", "是"},
		{"\"国家级\" = “国家级”", "是"},
		{"5∶2 = 5:2", "是"},
	}
	checkExprs(t, tests)
}

// TestDifferentialAgainstBigRat evaluates random expressions of + − × ÷ and
// comparisons, and checks every result against math/big.Rat. Where an
// intermediate result reaches the default limit of 10^30, zhengce must
// report that the number is out of range instead.
func TestDifferentialAgainstBigRat(t *testing.T) {
	t.Parallel()
	n := 3000
	if testing.Short() {
		n = 300
	}
	r := rand.New(rand.NewPCG(1, 2))
	checked, overflowed := 0, 0
	for i := 0; i < n; i++ {
		if checkRandomExpr(t, r) {
			overflowed++
		} else {
			checked++
		}
	}
	if checked < n/2 || overflowed == 0 {
		t.Errorf("generator is off balance: %d compared, %d out of range", checked, overflowed)
	}
}

// BenchmarkDifferentialAgainstBigRat is the same check run long:
//
//	go test -run NONE -bench DifferentialAgainstBigRat -benchtime 60s
//
// checks as many random expressions as fit in a minute.
func BenchmarkDifferentialAgainstBigRat(b *testing.B) {
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for i := 0; i < b.N; i++ {
		checkRandomExpr(b, r)
	}
}

// checkRandomExpr evaluates one random expression or comparison and checks it
// against math/big.Rat; it reports whether an intermediate value reached the
// limit of 10^30, in which case zhengce must say the number is out of range.
func checkRandomExpr(t testing.TB, r *rand.Rand) (overflow bool) {
	t.Helper()
	g := &exprGen{r: r}
	text, want := g.expr(4)
	expr := text
	var compare func() bool
	if r.IntN(3) == 0 {
		rt, rv := g.expr(3)
		ops := []struct {
			word string
			ok   func(c int) bool
		}{{"超过", func(c int) bool { return c > 0 }}, {"不低于", func(c int) bool { return c >= 0 }},
			{"低于", func(c int) bool { return c < 0 }}, {"不超过", func(c int) bool { return c <= 0 }},
			{"等于", func(c int) bool { return c == 0 }}, {"≠", func(c int) bool { return c != 0 }}}
		op := ops[r.IntN(len(ops))]
		expr = text + " " + op.word + " " + rt
		c := want.Cmp(rv)
		compare = func() bool { return op.ok(c) }
	}
	got, err := zhengce.Eval(context.Background(), expr)
	if g.overflow {
		if err == nil || !strings.Contains(err.Error(), "超出允许范围") && !strings.Contains(err.Error(), "小数超过") {
			t.Fatalf("%s: an intermediate reaches 10^30 or has too many places; got %v, %v", expr, got.Exact(), err)
		}
		return true
	}
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	if compare != nil {
		if exp := compare(); got.Truth() != exp {
			t.Fatalf("%s = %v, big.Rat says %v", expr, got.Truth(), exp)
		}
	} else if exp := ratString(want); got.Exact() != exp {
		t.Fatalf("%s = %s, big.Rat says %s", expr, got.Exact(), exp)
	}
	return false
}

// exprGen makes random expressions and notes whether any intermediate
// result reaches 10^30.
type exprGen struct {
	r        *rand.Rand
	overflow bool
}

var limit = new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil))

func (g *exprGen) expr(depth int) (string, *big.Rat) {
	if depth == 0 || g.r.IntN(3) == 0 {
		whole := g.r.Int64N(2_000_000) - 1_000_000
		s := fmt.Sprintf("%d.%04d", whole, g.r.IntN(10000))
		v, _ := new(big.Rat).SetString(s)
		if whole < 0 {
			s = "(" + s + ")"
		}
		return s, v
	}
	a, av := g.expr(depth - 1)
	b, bv := g.expr(depth - 1)
	var s string
	v := new(big.Rat)
	switch op := g.r.IntN(4); {
	case op == 0:
		s, v = "("+a+" + "+b+")", v.Add(av, bv)
	case op == 1:
		s, v = "("+a+" - "+b+")", v.Sub(av, bv)
	case op == 2 && bv.Sign() != 0:
		s, v = "("+a+" / "+b+")", roundPlaces(v.Quo(av, bv), interp.DivisionPlaces)
	default:
		s, v = "("+a+" × "+b+")", v.Mul(av, bv)
	}
	if new(big.Rat).Abs(v).Cmp(limit) >= 0 || ratPlaces(v) > interp.MaxFractionDigits {
		g.overflow = true
	}
	return s, v
}

// ratPlaces returns the decimal places of a terminating rational: its
// denominator is 2^a·5^b, and it has max(a, b) places.
func ratPlaces(v *big.Rat) int {
	d := new(big.Int).Set(v.Denom())
	count := func(p int64) int {
		n, q, r := 0, new(big.Int), new(big.Int)
		for {
			q.QuoRem(d, big.NewInt(p), r)
			if r.Sign() != 0 {
				return n
			}
			d.Set(q)
			n++
		}
	}
	return max(count(2), count(5))
}

// roundPlaces rounds v to the given decimal places, half away from zero,
// as a division does.
func roundPlaces(v *big.Rat, places int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	x := new(big.Rat).Mul(v, new(big.Rat).SetInt(scale))
	// q = floor((2|n| + d) / 2d)
	n := new(big.Int).Abs(x.Num())
	d := x.Denom()
	q := new(big.Int).Add(new(big.Int).Lsh(n, 1), d)
	q.Quo(q, new(big.Int).Lsh(d, 1))
	if x.Sign() < 0 {
		q.Neg(q)
	}
	return new(big.Rat).SetFrac(q, scale)
}

// ratString formats a terminating rational as a plain decimal without
// trailing zeros.
func ratString(v *big.Rat) string {
	s := v.FloatString(200)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

func TestEvaluationErrors(t *testing.T) {
	tests := []struct {
		expr      string
		line, col int
		zh, en    string
	}{
		{"1 / 0", 1, 3, "除数为零", "division by zero"},
		{"5 + 10 / (2 - 2)", 1, 8, "除数为零", "division by zero"},
		{"1亿亿亿 * 1亿亿", 1, 6, "数值超出允许范围", "out of range"},
		// 10^30 exactly, reached in the 128-bit fixed form without a fallback
		{"1000亿亿 * 1000亿", 1, 8, "数值超出允许范围", "out of range"},
		{"(-1亿亿亿) * 100万 - 0.5", 1, 9, "数值超出允许范围", "out of range"},
		{"四舍五入(1, 0.5)", 1, 1, "位数应为", "位数应为"},
		{"分摊(100元, 5∶2, 3)", 1, 1, "第几方应为 1 到 2", "第几方应为"},
	}
	for _, tt := range tests {
		_, err := zhengce.Eval(context.Background(), tt.expr)
		var e *lang.Error
		if !errors.As(err, &e) {
			t.Errorf("Eval(%q) = %v, want a *lang.Error", tt.expr, err)
			continue
		}
		if e.Pos.Line != tt.line || e.Pos.Col != tt.col || !strings.Contains(e.Zh, tt.zh) || !strings.Contains(e.En, tt.en) {
			t.Errorf("Eval(%q): %s %q / %q; want %d:%d containing %q / %q", tt.expr, e.Pos, e.Zh, e.En, tt.line, tt.col, tt.zh, tt.en)
		}
	}
}

const policy = `
参数 补助比例 = 10%
参数 补助上限 = 200万元
输入
  規上工業企業：是否
  研發投入增量：金额
  研发投入占比：比例
结束
规则 研发投入增量补助
  依据 "枣庄2025" "第3条" "按照研发投入增量的10%给予最高200万元的补助"
  条件 规上工业企业 且 研发投入占比超过3.5%
  补助 = 研发投入增量 * 补助比例 最高 补助上限
结束
`

// compilePolicy compiles the test policy above.
func compilePolicy(t *testing.T) *zhengce.Program {
	t.Helper()
	prog, err := zhengce.Compile("policy.zc", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// outcome summarizes a result for comparison in tests.
func outcome(res *interp.Result) []string {
	var out []string
	for _, r := range res.Rules {
		if !r.Applies {
			out = append(out, r.Name+"：不适用："+r.Reason().String())
			continue
		}
		for _, o := range r.Outputs {
			out = append(out, r.Name+"."+o.Name+" = "+o.Value.Exact())
		}
	}
	return out
}

func TestRulesApplyOrSayWhyNot(t *testing.T) {
	prog := compilePolicy(t)
	tests := []struct {
		name string
		rec  zhengce.Record
		want []string
	}{
		{"under the cap", zhengce.Record{"规上工业企业": "是", "研发投入增量": "1500万", "研发投入占比": "4%"},
			[]string{"研发投入增量补助.补助 = 1500000"}},
		{"capped", zhengce.Record{"规上工业企业": "是", "研发投入增量": "3000万元", "研发投入占比": "4%"},
			[]string{"研发投入增量补助.补助 = 2000000"}},
		{"exactly at the cap", zhengce.Record{"规上工业企业": "是", "研发投入增量": "2000万", "研发投入占比": "4%"},
			[]string{"研发投入增量补助.补助 = 2000000"}},
		{"share exactly at the threshold: 超过 excludes it", zhengce.Record{"规上工业企业": "是", "研发投入增量": "1500万", "研发投入占比": "3.5%"},
			[]string{"研发投入增量补助：不适用：不满足“研发投入占比超过3.5%”（研发投入占比 为 3.5%）"}},
		{"not 规上", zhengce.Record{"规上工业企业": "否", "研发投入增量": "1500万", "研发投入占比": "4%"},
			[]string{"研发投入增量补助：不适用：不满足“规上工业企业”（规上工业企业 为 否）"}},
		{"Traditional headers and Go values", zhengce.Record{"規上工業企業": true, "研發投入增量": 12345678, "研发投入占比": "0.04"},
			[]string{"研发投入增量补助.补助 = 1234567.8"}},
		{"money rounds to the fen when stored", zhengce.Record{"规上工业企业": "是", "研发投入增量": "0.05元", "研发投入占比": "4%"},
			[]string{"研发投入增量补助.补助 = 0.01"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := prog.Eval(context.Background(), tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, outcome(res)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadFieldsAreErrorsNotZero(t *testing.T) {
	prog := compilePolicy(t)
	tests := []struct {
		name      string
		rec       zhengce.Record
		field, zh string
	}{
		{"missing", zhengce.Record{"规上工业企业": "是", "研发投入占比": "4%"}, "研發投入增量", "缺少输入“研發投入增量”（金额）"},
		{"blank", zhengce.Record{"规上工业企业": "是", "研发投入增量": "  ", "研发投入占比": "4%"}, "研發投入增量", "缺少输入"},
		{"not a number", zhengce.Record{"规上工业企业": "是", "研发投入增量": "约500万", "研发投入占比": "4%"}, "研發投入增量", "“约500万”不是金额"},
		{"percent for money", zhengce.Record{"规上工业企业": "是", "研发投入增量": "5%", "研发投入占比": "4%"}, "研發投入增量", "是百分比"},
		{"not a bool", zhengce.Record{"规上工业企业": "可能", "研发投入增量": "5", "研发投入占比": "4%"}, "規上工業企業", "不是“是”或“否”"},
		{"float refused", zhengce.Record{"规上工业企业": "是", "研发投入增量": 0.1, "研发投入占比": "4%"}, "研發投入增量", "浮点数"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := prog.Eval(context.Background(), tt.rec)
			var fe *interp.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a *interp.FieldError", err)
			}
			if fe.Field != tt.field || !strings.Contains(fe.Zh, tt.zh) || fe.En == "" {
				t.Errorf("got field %q %q / %q; want field %q containing %q", fe.Field, fe.Zh, fe.En, tt.field, tt.zh)
			}
		})
	}
}

func TestParameterOverride(t *testing.T) {
	prog, err := zhengce.CompileWith("policy.zc", []byte(policy), zhengce.Options{Params: map[string]string{"補助比例": "15%"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := prog.Eval(context.Background(), zhengce.Record{"规上工业企业": "是", "研发投入增量": "1000万", "研发投入占比": "4%"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"研发投入增量补助.补助 = 1500000"}, outcome(res)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := zhengce.CompileWith("policy.zc", []byte(policy), zhengce.Options{Params: map[string]string{"没有这个": "1"}}); err == nil {
		t.Error("an unknown parameter was accepted")
	}
}

func TestConcurrentEvaluation(t *testing.T) {
	prog := compilePolicy(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				inc := fmt.Sprintf("%d万", g*100+i)
				res, err := prog.Eval(context.Background(), zhengce.Record{"规上工业企业": "是", "研发投入增量": inc, "研发投入占比": "4%"})
				if err != nil {
					errs <- err
					return
				}
				want := fmt.Sprint(min((g*100+i)*1000, 2000000))
				if got := res.Rules[0].Outputs[0].Value.Exact(); got != want {
					errs <- fmt.Errorf("增量 %s: got %s, want %s", inc, got, want)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCancelledContext(t *testing.T) {
	prog := compilePolicy(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := prog.Eval(ctx, zhengce.Record{"规上工业企业": "是", "研发投入增量": "1", "研发投入占比": "4%"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
