package zhengce_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
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
	if !errors.As(err, &fe) || !strings.Contains(fe.Zh, "列表有 101 项，超过 100 项的限制") {
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
