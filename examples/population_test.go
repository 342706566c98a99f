package examples

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// evalAll evaluates records on 2025-09-01 and settles budgets and quotas.
func evalAll(t *testing.T, path string, recs []zhengce.Record) (*zhengce.Program, []*interp.Result) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := zhengce.CompileWith(path, src, zhengce.Options{AsOf: lang.Date{Year: 2025, Month: 9, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var results []*interp.Result
	for _, r := range recs {
		res, err := prog.Eval(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	prog.ApplyPopulation(results)
	return prog, results
}

// ruleOutcome is the first output of the named rule, or "不适用：reason".
func ruleOutcome(res *interp.Result, rule string) string {
	for _, r := range res.Rules {
		if r.Name == rule {
			if !r.Applies {
				return "不适用：" + r.Reason().String()
			}
			return r.Outputs[0].Value.Exact()
		}
	}
	return "no such rule"
}

// outputOf is the named output of the named rule, or "不适用".
func outputOf(res *interp.Result, rule, output string) string {
	for _, r := range res.Rules {
		if r.Name != rule {
			continue
		}
		for _, o := range r.Outputs {
			if o.Name == output {
				return o.Value.Exact()
			}
		}
		return "不适用"
	}
	return "no such rule"
}

const specialFund = "zaozhuang-2025-measures/专项与评选.zc"

func fundRecord(amount string) zhengce.Record {
	return zhengce.Record{"申报枣庄好成果": "否", "成果评审得分": "0", "入选可持续发展科技专项": "是", "专项核定资助金额": amount}
}

// TestBudgetScalesProRata: 第14条, 1000万元 a year.
func TestBudgetScalesProRata(t *testing.T) {
	tests := []struct {
		name    string
		amounts []string
		want    []string
	}{
		// 1250万 asked: every amount × 1000/1250 = 80%, exactly.
		{"1250万元 asked", []string{"500万", "300万", "250万", "150万", "50万"},
			[]string{"4000000", "2400000", "2000000", "1200000", "400000"}},
		// 3000万 asked: a third each, 3333333.333…; rounded down to the fen
		// they add to 9999999.99, and the fen left goes to the first.
		{"three equal claims", []string{"1000万", "1000万", "1000万"},
			[]string{"3333333.34", "3333333.33", "3333333.33"}},
		// within the budget: nothing changes
		{"within budget", []string{"600万", "400万"}, []string{"6000000", "4000000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var recs []zhengce.Record
			for _, a := range tt.amounts {
				recs = append(recs, fundRecord(a))
			}
			_, results := evalAll(t, specialFund, recs)
			var got []string
			for _, res := range results {
				got = append(got, ruleOutcome(res, "可持续发展科技专项资助"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestQuotaKeepsTheBest: 第13条, 30 a year. 32 applicants: 28 with scores
// 100 down to 73, then three tied at 70 and one at 60; one record does not
// apply and takes no place. The tie at the cut is broken by input order.
func TestQuotaKeepsTheBest(t *testing.T) {
	var recs []zhengce.Record
	score := func(i int) int {
		switch {
		case i < 28:
			return 100 - i
		case i < 31:
			return 70
		}
		return 60
	}
	for i := 0; i < 32; i++ {
		recs = append(recs, zhengce.Record{"申报枣庄好成果": "是", "成果评审得分": fmt.Sprint(score(i)),
			"入选可持续发展科技专项": "否", "专项核定资助金额": "0"})
	}
	recs = append(recs, zhengce.Record{"申报枣庄好成果": "否", "成果评审得分": "99", "入选可持续发展科技专项": "否", "专项核定资助金额": "0"})
	_, results := evalAll(t, specialFund, recs)
	kept := 0
	for _, res := range results {
		if ruleOutcome(res, "枣庄好成果") == "枣庄好成果" {
			kept++
		}
	}
	got := []string{
		ruleOutcome(results[29], "枣庄好成果"),
		ruleOutcome(results[30], "枣庄好成果"),
		ruleOutcome(results[31], "枣庄好成果"),
		ruleOutcome(results[32], "枣庄好成果"),
	}
	want := []string{
		"枣庄好成果",
		// 70 ties with the 30th, who applied earlier: 先到先得, as the file declares
		"不适用：评选“年度枣庄好成果”（2025 年）名额 30 名，按“成果评审得分”（70）排第 31 名；与名额内最后一名同分，按申报先后（先到先得）在后",
		"不适用：评选“年度枣庄好成果”（2025 年）名额 30 名，按“成果评审得分”（60）排第 32 名",
		"不适用：不满足“申报枣庄好成果”（申报枣庄好成果 为 否）",
	}
	if kept != 30 {
		t.Errorf("%d kept, want 30", kept)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestRiskReserve: 日照 第9條, a 1000万元 reserve. Six projects each capped
// at 200万元 ask for 1200万元; each gets 1000/1200 of 200万元 =
// 1666666.666…元: rounded down, 1666666.66 × 6 = 9999999.96, and the four fen
// left go to the first four (equal remainders, earlier first).
func TestRiskReserve(t *testing.T) {
	var recs []zhengce.Record
	for i := 0; i < 6; i++ {
		recs = append(recs, zhengce.Record{"新兴或未来产业领域项目": "是", "首轮投资": "是", "符合尽职免责条件": "是",
			"首轮实际投资额": "2000万", "投资损失": "1500万", "初创期或成长期科技型中小企业": "否", "科技创新贷款本金": "0"})
	}
	_, results := evalAll(t, "rizhao-2025-implementation-rules/風險準備金與再貸款.zc", recs)
	var got []string
	for _, res := range results {
		got = append(got, ruleOutcome(res, "投資損失補償"))
	}
	want := []string{"1666666.67", "1666666.67", "1666666.67", "1666666.67", "1666666.66", "1666666.66"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := results[0].Rules[0].Notes; len(n) != 1 || n[0].Zh != "预算“股權投資風險準備金”总额 1000万元，全体申请合计 1200万元，按约 83.33% 的比例压减（原为 200万元）" {
		t.Errorf("note: %q", n)
	}
}

// TestScriptsMeet: rules in one script over data headed in the other.
// 枣庄 (Simplified rules) over Traditional headers: 鲁南机床 (5000万 −
// 2000万) × 10% = 300万, capped at 200万; 枣庄新材料 400万 × 10% = 40万.
// 日照 (Traditional rules) over Simplified headers: 日照新材料 100万 × 20% =
// 20万 from the city; 东港电子 300万 × 20% = 60万, but 45万 already paid
// this year leaves 5万.
func TestScriptsMeet(t *testing.T) {
	tests := []struct {
		policy, data, rule, output string
		want                       []string
	}{
		{"zaozhuang-2025-measures/研发投入.zc", "zaozhuang-2025-measures/研发投入-繁体表头.csv", "研发投入增量补助", "补助", []string{"2000000", "400000"}},
		{"rizhao-2025-implementation-rules/創新券.zc", "rizhao-2025-implementation-rules/創新券.csv", "創新券使用方補助", "市級補助", []string{"200000", "200000", "50000"}},
	}
	for _, tt := range tests {
		r, closer, err := data.Open(tt.data)
		if err != nil {
			t.Fatal(err)
		}
		var recs []zhengce.Record
		for {
			row, err := r.Next()
			if err != nil {
				break
			}
			recs = append(recs, row.Record)
		}
		closer.Close()
		_, results := evalAll(t, tt.policy, recs)
		var got []string
		for _, res := range results {
			got = append(got, outputOf(res, tt.rule, tt.output))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s over %s (-want +got):\n%s", tt.policy, tt.data, diff)
		}
	}
}

// TestQuotaRanksNotApplicableLast: a record whose ranking value is 不适用
// takes part but comes after every record with a value, whatever its place
// in the input; equal values go by input order.
func TestQuotaRanksNotApplicableLast(t *testing.T) {
	const policy = `
输入
  申报：是否
  有评分：是否
  得分：数值
结束
规则 评分
  条件 有评分
  值 = 得分
结束
规则 入选
  条件 申报
  称号 = "入选"
结束
评选 年度评选
  名额 = 3
  排序 评分.值
  规则 入选
结束
`
	path := filepath.Join(t.TempDir(), "评选.zc")
	if err := os.WriteFile(path, []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	rows := []struct{ scored, score string }{
		{"否", "0"}, // 不适用, first in the input
		{"是", "80"},
		{"是", "90"},
		{"否", "0"},  // 不适用
		{"是", "80"}, // ties the second record, later
		{"是", "70"},
	}
	var recs []zhengce.Record
	for _, r := range rows {
		recs = append(recs, zhengce.Record{"申报": "是", "有评分": r.scored, "得分": r.score})
	}
	_, results := evalAll(t, path, recs)
	var got []string
	for _, res := range results {
		got = append(got, ruleOutcome(res, "入选"))
	}
	want := []string{
		"不适用：评选“年度评选”名额 3 名，按“评分.值”（不适用）排第 5 名",
		"入选",
		"入选",
		"不适用：评选“年度评选”名额 3 名，按“评分.值”（不适用）排第 6 名",
		"入选",
		"不适用：评选“年度评选”名额 3 名，按“评分.值”（70）排第 4 名",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
