package zhengce_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// reasonPolicy has a condition on a 是否, comparisons of numbers (and of
// quotients, which EvalInto divides only when the reason is worded), and a
// 就高不重复 group, so that a rule stops applying for each kind of cause.
const reasonPolicy = `
输入
  规上工业企业：是否
  研发投入：金额
  上年研发投入：金额
  主营业务收入：金额
结束
规则 占比奖励
  条件 研发投入 / 主营业务收入 超过 3.5% 且 1% 低于 上年研发投入 / 主营业务收入
  奖励 = 5万元
结束
规则 增量补助
  条件 规上工业企业 且 研发投入 超过 500万元 且 研发投入 - 上年研发投入 超过 0
  补助 = (研发投入 - 上年研发投入) * 10% 最高 200万元
结束
规则 基础奖励
  条件 研发投入 达到 100万元
  奖励 = 10万元
结束
就高不重复 研发类
  规则 增量补助，基础奖励
结束
`

// TestReasonWordedWhenAsked: EvalInto records why a rule does not apply,
// and Reason words it when called; record after record into one Result,
// each Reason must be the one Eval gives for that record, and calling
// Reason twice must give the same words.
func TestReasonWordedWhenAsked(t *testing.T) {
	prog, err := zhengce.Compile("reasons.zc", []byte(reasonPolicy))
	if err != nil {
		t.Fatal(err)
	}
	records := []zhengce.Record{
		{"规上工业企业": "否", "研发投入": "600万元", "上年研发投入": "100万元", "主营业务收入": "1亿元"},   // the 是否 is false
		{"规上工业企业": "是", "研发投入": "400万元", "上年研发投入": "100万元", "主营业务收入": "3亿元"},   // a threshold is missed; 400/30000 ≤ 3.5%
		{"规上工业企业": "是", "研发投入": "600万元", "上年研发投入": "700万元", "主营业务收入": "1亿元"},   // the increase is not positive
		{"规上工业企业": "是", "研发投入": "900万元", "上年研发投入": "100万元", "主营业务收入": "1.5亿元"}, // applies: 基础奖励 is set aside; 100/15000 not over 1%
		{"规上工业企业": "是", "研发投入": "50万元", "上年研发投入": "100万元", "主营业务收入": "7000万元"}, // neither applies
		{"规上工业企业": "是", "研发投入": "600万元", "上年研发投入": "599万元", "主营业务收入": "3亿元"},   // 增量补助 1000元 < 10万元: set aside
		{"规上工业企业": "是", "研发投入": "350万元", "上年研发投入": "200万元", "主营业务收入": "1亿元"},   // 3.5% exactly: not over it
		{"规上工业企业": "是", "研发投入": "1万元", "上年研发投入": "1万元", "主营业务收入": "3元"},        // a quotient of 3334 and more
	}
	reasons := func(res *interp.Result) []string {
		var out []string
		for i := range res.Rules {
			rr := &res.Rules[i]
			if r := rr.Reason(); r != nil {
				if again := rr.Reason(); again.String() != r.String() {
					t.Errorf("%s: Reason says %q, then %q", rr.Name, r, again)
				}
				out = append(out, rr.Name+"："+r.String())
			} else {
				out = append(out, rr.Name+"：适用")
			}
		}
		return out
	}
	var reused interp.Result
	for _, rec := range records {
		want, err := prog.Eval(context.Background(), rec)
		if err != nil {
			t.Fatal(err)
		}
		inputs, err := prog.BindRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := prog.EvalInto(context.Background(), inputs, &reused); err != nil {
			t.Fatal(err)
		}
		w := reasons(want)
		if diff := cmp.Diff(w, reasons(&reused)); diff != "" {
			t.Errorf("%v (-Eval +EvalInto):\n%s", rec, diff)
		}
		// an explained evaluation words each failure as it happens: the words worded
		// later must be the same
		explained, err := prog.EvalWith(context.Background(), rec, zhengce.EvalOptions{Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(reasons(explained), w); diff != "" {
			t.Errorf("%v (-worded at once +worded when asked):\n%s", rec, diff)
		}
		if len(w) != 3 {
			t.Fatalf("%v: %d rules", rec, len(w))
		}
	}
	// the words themselves: the 是否 that was false, a quotient not over
	// its threshold
	res, _ := prog.Eval(context.Background(), records[0])
	if got, want := res.Rules[1].Reason().String(), "不满足“规上工业企业”（规上工业企业 为 否）"; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	// 400万 / 3亿 = 1/75 = 0.0133…, kept to 20 places: 1.333333333333333333%
	res, _ = prog.Eval(context.Background(), records[1])
	if got, want := res.Rules[0].Reason().String(), "不满足“研发投入 / 主营业务收入 超过 3.5%”（研发投入 / 主营业务收入 为 1.333333333333333333%）"; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
}

// TestEvalIntoDoesNotWordReasons: a record whose rule fails on numbers
// costs no allocation under EvalInto, and neither does wording its reason
// into the storage the Result keeps.
func TestEvalIntoDoesNotWordReasons(t *testing.T) {
	prog, err := zhengce.Compile("reasons.zc", []byte(reasonPolicy))
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := prog.BindRecord(zhengce.Record{"规上工业企业": "是", "研发投入": "400万元", "上年研发投入": "100万元", "主营业务收入": "3亿元"})
	if err != nil {
		t.Fatal(err)
	}
	var res interp.Result
	ctx := context.Background()
	if err := prog.EvalInto(ctx, inputs, &res); err != nil {
		t.Fatal(err)
	}
	res.Rules[0].Reason() // the storage for the words is made once
	res.Rules[1].Reason()
	allocs := testing.AllocsPerRun(100, func() {
		if err := prog.EvalInto(ctx, inputs, &res); err != nil {
			t.Fatal(err)
		}
		if res.Rules[0].Reason() == nil || res.Rules[1].Reason() == nil { // a quotient, a threshold
			t.Fatal("no reason")
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per evaluation and reason, want 0", allocs)
	}
}
