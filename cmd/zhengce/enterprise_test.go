package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// enterprisePolicy pays each application (a project) 20% of what it cost,
// at most 100万元 a project and 200万元 an enterprise (日照 第14条), and
// the national and provincial awards are 就高不重复 for the enterprise.
const enterprisePolicy = `同一企业 按 "统一社会信用代码"
输入 项目支付额：金额
输入 国家奖：金额
输入 省奖：金额
规则 产学研支持
  条件 项目支付额 达到 50万元
  支持 = 项目支付额 * 20% 最高 100万元
结束
上限 每家企业
  依据 "日照实施细则" "第14条" "每家企业最高200万元"
  规则 产学研支持
  额度 = 200万元
结束
规则 国家奖励
  条件 国家奖 超过 0
  奖励 = 国家奖
结束
规则 省奖励
  条件 省奖 超过 0
  奖励 = 省奖 * 50%
结束
就高不重复 科技奖励
  规则 国家奖励，省奖励
结束
`

// TestEnterpriseAcrossApplications: the cap and 就高不重复 act on the
// enterprise, across its applications. By hand:
//
//	A's projects: 600万 → 100万 (the project cap), 400万 → 80万, 300万 → 60万:
//	  240万 asked, the enterprise cap 200万: 100 + 80 + 20 (cut by 40万).
//	A's awards: 国家奖 100万 on row 2, 省奖 300万 on row 4 (→ 150万): the
//	  provincial 150万 is higher, so row 2's national award is set aside.
//	B: one project of 50万 → 10万, under every cap.
func TestEnterpriseAcrossApplications(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", enterprisePolicy)
	data := writeFile(t, dir, "d.csv", "统一社会信用代码,项目支付额,国家奖,省奖\n"+
		"A,600万元,100万元,0\n"+
		"A,400万元,0,0\n"+
		"A,300万元,0,300万元\n"+
		"B,50万元,0,0\n")
	want := []string{
		// row 2's national award is set aside: the enterprise's provincial one is higher
		"A 产学研支持=1000000 国家奖励=不适用 省奖励=不适用 total=1000000",
		"A 产学研支持=800000 国家奖励=不适用 省奖励=不适用 total=800000",
		"A 产学研支持=200000 国家奖励=不适用 省奖励=1500000 total=1700000",
		"B 产学研支持=100000 国家奖励=不适用 省奖励=不适用 total=100000",
	}
	// streamed (run, sorted data), and all at once (explain)
	for _, cmd := range []string{"run", "explain"} {
		code, out, errOut := zc(t, cmd, pol, "--data", data, "--id", "统一社会信用代码", "--format", "json")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", cmd, code, errOut)
		}
		var rows []struct {
			ID    string
			Total string
			Rules []struct {
				Name string
				Paid *string
			}
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			line := r.ID
			for _, rr := range r.Rules {
				paid := "不适用"
				if rr.Paid != nil {
					paid = *rr.Paid
				}
				line += " " + rr.Name + "=" + paid
			}
			got = append(got, line+" total="+r.Total)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", cmd, diff)
		}
	}
	_, out, _ := zc(t, "explain", pol, "--data", data, "--id", "统一社会信用代码", "--select", "A")
	for _, s := range []string{
		"就高不重复（科技奖励）：同一企业已按第 3 项申报的“省奖励”给予 150万元，高于本项的 100万元",
		"上限“每家企业”额度 200万元，同一企业此前各项已用 180万元：本项原为 60万元，削减 40万元，给予 20万元",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("explain lacks %q:\n%s", s, out)
		}
	}
}

// TestEnterpriseDataMustBeSorted: streaming keeps one enterprise in memory
// at a time, so an enterprise's records must be together: data out of
// order is an error saying how to sort, not a silent wrong cap.
func TestEnterpriseDataMustBeSorted(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", enterprisePolicy)
	data := writeFile(t, dir, "d.csv", "统一社会信用代码,项目支付额,国家奖,省奖\nA,600万元,0,0\nB,50万元,0,0\nA,400万元,0,0\n")
	code, _, errOut := zc(t, "run", pol, "--data", data, "--format", "csv")
	if code != exitData || !strings.Contains(errOut, "数据没有按“统一社会信用代码”排序：第 4 行的“A”排在第 3 行的“B”之后") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestEnterpriseCapOnOneRuleAndTheGroup: a cap on one rule of a 就高不重复
// group, across an enterprise's records. Each record settles its own first
// (the cap before the group); across the records, of the group's rules
// only one is paid, so the cap bounds that one alone. By hand, 甲 at most
// 50万元 an enterprise:
//
//	A: 甲 80万 → 50万 by its cap, 乙 70万: 乙 is the higher, A is paid 70万
//	   (not the 50万 of 甲, had the group compared 甲's 80万 before its cap).
//	B: 甲 30万 and 甲 60万 (→ 50万), 乙 45万: 甲's 50万 alone is the highest,
//	   B is paid 50万 (not 乙's 45万, had the cap counted 甲's 30万 first).
func TestEnterpriseCapOnOneRuleAndTheGroup(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", `同一企业 按 "统一社会信用代码"
输入 甲额：金额
输入 乙额：金额
规则 甲
  条件 甲额 超过 0
  补助 = 甲额
结束
规则 乙
  条件 乙额 超过 0
  补助 = 乙额
结束
就高不重复 组
  规则 甲，乙
结束
上限 甲每家企业
  规则 甲
  额度 = 50万元
结束
`)
	data := writeFile(t, dir, "d.csv", "统一社会信用代码,甲额,乙额\nA,80万元,0\nA,0,70万元\nB,30万元,0\nB,60万元,0\nB,0,45万元\n")
	code, out, errOut := zc(t, "run", pol, "--data", data, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []struct{ Total string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Total)
	}
	if diff := cmp.Diff([]string{"0", "700000", "0", "500000", "0"}, got); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
}
