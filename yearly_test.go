package zhengce_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// TestYearlyBudgetAndQuota: 每年 gives a budget its total, and a quota its
// places, for each year apart; a second ranking value decides a tie on the
// first. By hand:
//
//	budget 100万元 a year: 2025 asks 60 + 60 = 120万 → 50万 each (× 100/120);
//	2026 asks 80万 → paid in full.
//	quota 1 a year, by 评分 then 研发投入: 2025's two score 90; 研发投入
//	500万 beats 300万, so the second record wins though it came later.
func TestYearlyBudgetAndQuota(t *testing.T) {
	prog, err := zhengce.Compile("y.zc", []byte(`输入 申请额：金额
输入 评分：数值
输入 研发投入：金额
规则 资助
  资助额 = 申请额
结束
预算 专项
  总额 = 100万元
  每年
  规则 资助
结束
规则 表扬
  称号 = "绩效突出"
结束
评选 年度评选
  名额 = 1
  每年
  排序 评分，研发投入
  先到先得
  规则 表扬
结束
`))
	if err != nil {
		t.Fatal(err)
	}
	recs := []zhengce.Record{
		{"申请额": "60万元", "评分": "90", "研发投入": "300万元", "评估日期": "2025-05-01"},
		{"申请额": "60万元", "评分": "90", "研发投入": "500万元", "评估日期": "2025-06-01"},
		{"申请额": "80万元", "评分": "70", "研发投入": "100万元", "评估日期": "2026-05-01"},
	}
	var results []*interp.Result
	for _, rec := range recs {
		res, err := prog.Eval(context.Background(), rec)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	prog.ApplyPopulation(results)
	var got []string
	for _, res := range results {
		got = append(got, outcomeOf(res, 0)+" / "+outcomeOf(res, 1))
	}
	want := []string{
		"500000 / 不适用：评选“年度评选”（2025 年）名额 1 名，按“评分”（90）排第 2 名",
		"500000 / applies",
		"800000 / applies",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
