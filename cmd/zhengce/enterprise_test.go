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
		"就高不重复（科技奖励）：同一企业已按第 3 项申报的“省奖励”给予 1500000元，高于本项的 1000000元",
		"上限“每家企业”额度 2000000元，同一企业此前各项已用 1800000元：本项原为 600000元，削减 400000元，给予 200000元",
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
