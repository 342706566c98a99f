package zhengce_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

const listPolicy = `输入 项目：列表（金额项：金额）
合计金额 = 合计(对每个 项目：金额项)
`

// items makes a JSON list of n items.
func items(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = `{"金额项": "1"}`
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// countdown is a context that reports Canceled after a number of calls to
// Err, to show that evaluation looks at the context inside a long list.
type countdown struct {
	context.Context
	left *int
}

func (c countdown) Err() error {
	if *c.left--; *c.left < 0 {
		return context.Canceled
	}
	return nil
}

func TestLimits(t *testing.T) {
	compile := func(l zhengce.Limits) *zhengce.Program {
		prog, err := zhengce.CompileWith("list.zc", []byte(listPolicy), zhengce.Options{Limits: l})
		if err != nil {
			t.Fatal(err)
		}
		return prog
	}
	// within the limits: the list is summed
	res, err := compile(zhengce.Limits{}).Eval(context.Background(), zhengce.Record{"项目": items(5000)})
	if err != nil || res.Defs[0].Value.Exact() != "5000" {
		t.Fatalf("5000 items: %v %v", res, err)
	}

	// steps: 1 definition + 5000 items > 1000
	_, err = compile(zhengce.Limits{MaxSteps: 1000}).Eval(context.Background(), zhengce.Record{"项目": items(5000)})
	var lim *interp.LimitError
	if !errors.As(err, &lim) || lim.Limit != "MaxSteps" || !strings.Contains(lim.Zh, "求值步数超过限制") {
		t.Errorf("MaxSteps: got %v", err)
	}

	// list length: 101 items with a limit of 100 is a data error naming the limit
	_, err = compile(zhengce.Limits{MaxListItems: 100}).Eval(context.Background(), zhengce.Record{"项目": items(101)})
	var fe *interp.FieldError
	if !errors.As(err, &fe) || !strings.Contains(fe.Zh, "列表超过 100 项的限制") {
		t.Errorf("MaxListItems: got %v", err)
	}

	// source size
	_, err = zhengce.CompileWith("big.zc", []byte(listPolicy+strings.Repeat("# 注释\n", 100)), zhengce.Options{Limits: zhengce.Limits{MaxSourceBytes: 100}})
	if !errors.As(err, &lim) || lim.Limit != "MaxSourceBytes" {
		t.Errorf("MaxSourceBytes: got %v", err)
	}

	// the context is looked at inside a long list, not only between rules
	left := 3
	ctx := countdown{context.Background(), &left}
	_, err = compile(zhengce.Limits{}).Eval(ctx, zhengce.Record{"项目": items(50000)})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("context: got %v", err)
	}
}

// TestNoRecursion: a definition cannot use itself, directly or through
// others, so evaluation cannot loop; the only iteration is over data.
func TestNoRecursion(t *testing.T) {
	for _, src := range []string{
		"x = x + 1",
		"a = b\nb = c\nc = a",
		"规则 甲\n  条件 乙.适用\n  补助 = 1元\n结束\n规则 乙\n  条件 甲.适用\n  补助 = 1元\n结束",
	} {
		_, err := zhengce.Compile("loop.zc", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "循环引用") {
			t.Errorf("%q: got %v, want a circular-definition error", src, err)
		}
	}
}

// TestPathologicalSources keeps the inputs fuzzing found slow (before the
// fixes: 58 s, 3.3 s and 3 s) as regression tests of what they now give.
func TestPathologicalSources(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("甲", 3000)
	name60 := strings.Repeat("甲乙", 30)
	tests := []struct {
		name, src, wantErr string
	}{
		{"a 3000-character name", "输入 " + long + "：金额\nx = " + long + "超过5", "名称过长"},
		{"20 000 nested brackets", "x = " + strings.Repeat("(", 20000) + "1" + strings.Repeat(")", 20000), "嵌套过深"},
		{"5000 nested 如果", "x = " + strings.Repeat("如果 是 那么 1 否则 ", 5000) + "0", "嵌套过深"},
		{"a 540 KB line of 60-character names", "输入 " + name60 + "：金额\nx = " + strings.Repeat(name60+"+", 3000) + "1元", ""},
	}
	for _, tt := range tests {
		_, err := zhengce.Compile("p.zc", []byte(tt.src))
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.wantErr)
		}
	}
}

// TestMaxStepsAtTheBoundary: a policy of rules alone, which EvalInto
// evaluates without looking between its rules, is stopped by MaxSteps at
// the same count as Eval: two rules and three list items are five steps.
func TestMaxStepsAtTheBoundary(t *testing.T) {
	const policy = `输入 项目：列表（金额项：金额）
规则 甲
  条件 计数(项目) 超过 0
  合计 = 合计(对每个 项目：金额项)
结束
规则 乙
  条件 计数(项目) 超过 1
  奖 = 1元
结束
`
	for _, tt := range []struct {
		maxSteps int
		want     string // the error's limit, or the sum
	}{{3, "MaxSteps"}, {4, "MaxSteps"}, {5, "3"}, {6, "3"}} {
		prog, err := zhengce.CompileWith("steps.zc", []byte(policy), zhengce.Options{Limits: zhengce.Limits{MaxSteps: tt.maxSteps}})
		if err != nil {
			t.Fatal(err)
		}
		rec := zhengce.Record{"项目": items(3)}
		outcome := func(res *interp.Result, err error) string {
			var lim *interp.LimitError
			if errors.As(err, &lim) {
				return lim.Limit
			}
			if err != nil {
				return err.Error()
			}
			return res.Rules[0].Outputs[0].Value.Exact()
		}
		inputs, err := prog.BindRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		var reused interp.Result
		got := []string{outcome(prog.Eval(context.Background(), rec))}
		for range 3 { // the first into a new Result, then into the one kept
			got = append(got, outcome(&reused, prog.EvalInto(context.Background(), inputs, &reused)))
		}
		want := []string{tt.want, tt.want, tt.want, tt.want}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("MaxSteps %d: Eval, EvalInto ×3 (-want +got):\n%s", tt.maxSteps, diff)
		}
	}
}

// TestMaxIntegerDigits: every number computed is below 10^MaxIntegerDigits
// in absolute value, small limits (where a 64-bit magnitude may be out of
// range) and the default of 30 (where only a number past 64 bits can be).
func TestMaxIntegerDigits(t *testing.T) {
	const policy = `输入
  甲：数值
  乙：数值
结束
积 = 甲 * 乙
差 = 甲 - 乙
`
	for _, tt := range []struct {
		digits int
		a, b   string
		want   string // 积 and 差, or the error
	}{
		{6, "12345", "10", "123450 12335"},
		{6, "123456", "10", "数值超出允许范围（绝对值须小于 1000000）"},
		{6, "-999999", "1", "数值超出允许范围（绝对值须小于 1000000）"},
		{6, "0.5", "0.25", "0.125 0.25"},
		{19, "10000000000", "1000000000", "数值超出允许范围（绝对值须小于 10000000000000000000）"},
		{19, "999999999", "1000000000", "999999999000000000 -1"},
		{0, "1000000000000000", "1000000000000000", "数值超出允许范围（绝对值须小于 1000000000000000000000000000000）"},
		{0, "100000000000000", "1000000000000000", "100000000000000000000000000000 -900000000000000"},
		{0, "18446744073709551615", "-1", "-18446744073709551615 18446744073709551616"},
	} {
		prog, err := zhengce.CompileWith("digits.zc", []byte(policy), zhengce.Options{Limits: zhengce.Limits{MaxIntegerDigits: tt.digits}})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		res, err := prog.Eval(context.Background(), zhengce.Record{"甲": tt.a, "乙": tt.b})
		if err != nil {
			var le *lang.Error
			if !errors.As(err, &le) {
				t.Fatalf("%d digits, %s and %s: %v", tt.digits, tt.a, tt.b, err)
			}
			got = le.Zh
		} else {
			got = res.Defs[0].Value.Exact() + " " + res.Defs[1].Value.Exact()
		}
		if got != tt.want {
			t.Errorf("%d digits, %s and %s: got %q, want %q", tt.digits, tt.a, tt.b, got, tt.want)
		}
	}
}
