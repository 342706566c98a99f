package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
)

// specBlock returns the code block of the language reference that
// contains every one of marks.
func specBlock(t *testing.T, marks ...string) string {
	t.Helper()
	ref, err := os.ReadFile("../../spec/README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range strings.Split(string(ref), "```")[1:] {
		if !strings.HasPrefix(part, "zc\n") {
			continue
		}
		found := true
		for _, m := range marks {
			found = found && strings.Contains(part, m)
		}
		if found {
			return strings.TrimPrefix(part, "zc\n")
		}
	}
	t.Fatalf("no zc block of spec/README.md holds %q", marks)
	return ""
}

// TestMatchPaysWhatTheRuleGives runs the reference's 其中 example (揭榜挂帅
// 支持) through match. A 新兴产业 project of 150万元: the 其中 lowers the
// 门槛 to 100万元 and raises the share to 30%, so the rule pays 150万元 ×
// 30% = 45万元. The 门槛 (100万元) is a working value: before what a rule
// pays was declared, match added it in and printed 1450000元.
func TestMatchPaysWhatTheRuleGives(t *testing.T) {
	dir := t.TempDir()
	policy := writeFile(t, dir, "揭榜.zc", specBlock(t, "规则 揭榜挂帅支持", "其中 新兴或未来产业"))
	data := writeFile(t, dir, "d.csv", "企业,项目科技投入总额,新兴或未来产业\n甲,150万元,是\n乙,150万元,否\n")
	code, out, errOut := zc(t, "match", policy, "--data", data, "--id", "企业", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []struct {
		ID        string `json:"id"`
		Qualified []struct {
			Rule, Amount string
			PaidOutput   string `json:"paid_output"`
		} `json:"qualified"`
		Near []struct{ Rule string } `json:"near"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	type qualified struct{ ID, Rule, Amount, PaidOutput string }
	var got []qualified
	for _, r := range rows {
		for _, q := range r.Qualified {
			got = append(got, qualified{r.ID, q.Rule, q.Amount, q.PaidOutput})
		}
	}
	want := []qualified{{"甲", "揭榜挂帅支持", "450000", "支持"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("qualified (-want +got):\n%s", diff)
	}
	// 乙 (not 新兴产业): 150万元 is under the general 门槛 of 200万元, one
	// condition short: a near miss
	if len(rows) != 2 || len(rows[1].Near) != 1 || rows[1].Near[0].Rule != "揭榜挂帅支持" {
		t.Errorf("乙 should be a near miss: %s", out)
	}
}

// capPolicy pays two rules under a cap on what one enterprise receives in
// all, the cap being a parameter.
const capPolicy = `参数 年度上限 = 100万元
输入 服务费用：金额
输入 研发费用：金额
规则 创新券补助
  条件 服务费用 超过 0
  补助 = 服务费用 * 20%
结束
规则 研发补助
  条件 研发费用 超过 500万元
  补助 = 研发费用 * 10%
结束
上限 年度补助上限
  依据 "某区若干措施" "第10条" "同一企业每年最高补助100万元"
  规则 创新券补助，研发补助
  额度 = 年度上限
结束
`

// TestCompareLoweredCap lowers the cap from 100万元 to 60万元. By hand
// (创新券 20% of 服务费用, 研发 10% of 研发费用 over 500万元, paid in that
// order up to the cap):
//
//	A 100万, 600万:   20 + 60 =  80 → 80;  at 60: 20 + 40 = 60   (−20)
//	B 300万, 1000万:  60 + 100 = 160 → 100 (60 + 40); at 60: 60 + 0 (−40)
//	C 0, 400万:       nothing either way (400万 is not over 500万)
//	D 50万, 0:        10 → 10 either way
//	E 0, 800万:       80 → 80; at 60: 60                        (−20)
//	F 250万, 2000万:  50 + 200 = 250 → 100 (50 + 50); at 60: 50 + 10 (−40)
//
// Total 370万 → 250万 (−120万); 创新券 140万 both times; 研发 230万 → 110万;
// four lose, two do not change. Before the cap was a statement, it could
// only be written as a definition that capped a displayed sum: compare saw
// no change at all.
func TestCompareLoweredCap(t *testing.T) {
	dir := t.TempDir()
	policy := writeFile(t, dir, "cap.zc", capPolicy)
	data := writeFile(t, dir, "d.csv", "企业,服务费用,研发费用\nA,100万,600万\nB,300万,1000万\nC,0,400万\nD,50万,0\nE,0,800万\nF,250万,2000万\n")
	code, out, errOut := zc(t, "compare", policy, "--set", "年度上限=60万元", "--data", data, "--id", "企业", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got zhengce.ComparisonJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	got.Base, got.Reform = "", ""
	want := zhengce.ComparisonJSON{Rows: 6,
		Total: zhengce.CostJSON{Base: "3700000", Reform: "2500000", Change: "-1200000"},
		Rules: []zhengce.CostJSON{{Name: "创新券补助", Base: "1400000", Reform: "1400000", Change: "0"},
			{Name: "研发补助", Base: "2300000", Reform: "1100000", Change: "-1200000"}},
		Counts: map[string]int{"gain": 0, "lose": 4, "new": 0, "drop": 0, "same": 2},
		Largest: []zhengce.ChangeJSON{{Row: 3, ID: "B", Base: "1000000", Reform: "600000", Change: "-400000"},
			{Row: 7, ID: "F", Base: "1000000", Reform: "600000", Change: "-400000"},
			{Row: 2, ID: "A", Base: "800000", Reform: "600000", Change: "-200000"},
			{Row: 6, ID: "E", Base: "800000", Reform: "600000", Change: "-200000"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCompareTotalIsWhatRunPays: for random enterprises, the total cost
// compare reports, under the base and under the reform, is the sum of what
// run says each enterprise is paid. The policy has a cap, a 就高不重复 group
// and a rule with a working amount beside the one it pays, so that a total
// computed any other way than from what rules pay would differ.
func TestCompareTotalIsWhatRunPays(t *testing.T) {
	dir := t.TempDir()
	policy := writeFile(t, dir, "p.zc", capPolicy+`输入 国家奖：金额
输入 省奖：金额
规则 国家奖励
  条件 国家奖 超过 0
  基数 = 国家奖 * 2
  给予 奖励 = 国家奖
结束
规则 省奖励
  条件 省奖 超过 0
  奖励 = 省奖 * 50%
结束
就高不重复 奖励
  规则 国家奖励，省奖励
结束
`)
	r := rand.New(rand.NewPCG(3, 14))
	amount := func() string {
		if r.IntN(3) == 0 {
			return "0"
		}
		return fmt.Sprintf("%d.%02d", r.IntN(30_000_000), r.IntN(100))
	}
	var b strings.Builder
	b.WriteString("企业,服务费用,研发费用,国家奖,省奖\n")
	for i := range 200 {
		fmt.Fprintf(&b, "E%d,%s,%s,%s,%s\n", i, amount(), amount(), amount(), amount())
	}
	data := writeFile(t, dir, "d.csv", b.String())

	runTotal := func(sets ...string) decimal.Decimal {
		args := []string{"run", policy, "--data", data, "--format", "json"}
		for _, s := range sets {
			args = append(args, "--set", s)
		}
		code, out, errOut := zc(t, args...)
		if code != exitOK {
			t.Fatalf("run: exit %d: %s", code, errOut)
		}
		var rows []struct{ Total string }
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, row := range rows {
			sum = sum.Add(decimal.RequireFromString(row.Total))
		}
		return sum
	}
	code, out, errOut := zc(t, "compare", policy, "--set", "年度上限=60万元", "--data", data, "--format", "json")
	if code != exitOK {
		t.Fatalf("compare: exit %d: %s", code, errOut)
	}
	var got zhengce.ComparisonJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	base, reform := runTotal(), runTotal("年度上限=60万元")
	if got.Total.Base != base.String() || got.Total.Reform != reform.String() {
		t.Errorf("compare says %s → %s; run pays %s → %s", got.Total.Base, got.Total.Reform, base, reform)
	}
	if base.Equal(reform) {
		t.Errorf("the lower cap changed nothing (%s): the data does not test the cap", base)
	}
}
