package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
)

const datedPolicy = `有效期 2025年1月1日 至 2028年6月15日
参数 补助比例 = 10% 自 2025年1月1日，15% 自 2026年1月1日
输入 研发投入增量：金额
规则 研发补助
  补助 = 研发投入增量 * 补助比例
结束
`

// TestRecordsCarryTheirDates: a 评估日期 column gives each row its own
// date, over --as-of; a parameter that changes by date takes the value in
// force then, and explain says which. By hand: 1000万元 × 10% (2025) =
// 100万元, × 15% (2026) = 150万元; 2028-06-16 is after the validity; the
// row without a date takes --as-of, 2026-03-01: 150万元.
func TestRecordsCarryTheirDates(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", datedPolicy)
	data := writeFile(t, dir, "d.csv", "企业,研发投入增量,评估日期\n甲,1000万元,2025-07-01\n乙,1000万元,2026-07-01\n丙,1000万元,2028-06-16\n丁,1000万元,\n")
	code, out, errOut := zc(t, "run", pol, "--data", data, "--id", "企业", "--as-of", "2026-03-01", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []struct {
		ID    string
		AsOf  string `json:"as_of"`
		Total string
		Rules []struct{ Reason string }
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.ID+" "+r.AsOf+" "+r.Total+" "+r.Rules[0].Reason)
	}
	want := []string{
		"甲 2025-07-01 1000000 ",
		"乙 2026-07-01 1500000 ",
		"丙 2028-06-16 0 不在有效期内：有效期 2025年1月1日 至 2028年6月15日，评估日期为 2028年6月16日",
		"丁 2026-03-01 1500000 ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, out, _ = zc(t, "explain", pol, "--data", data, "--id", "企业", "--select", "乙")
	for _, s := range []string{"评估日期：2026年7月1日", "参数：补助比例（自 2026年1月1日 起） = 15%"} {
		if !strings.Contains(out, s) {
			t.Errorf("explain lacks %q:\n%s", s, out)
		}
	}
}

// TestCompareTwoDates: the same policy on two dates. By hand, 2025-06-01
// at 10%: 100万元 + 50万元 = 150万元; 2026-06-01 at 15%: 150万元 + 75万元 =
// 225万元, +75万元, both gain.
func TestCompareTwoDates(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", datedPolicy)
	data := writeFile(t, dir, "d.csv", "企业,研发投入增量\n甲,1000万元\n乙,500万元\n")
	code, out, errOut := zc(t, "compare", pol, "--as-of", "2025-06-01", "--reform-as-of", "2026-06-01", "--data", data, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got zhengce.ComparisonJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(zhengce.CostJSON{Base: "1500000", Reform: "2250000", Change: "750000"}, got.Total); diff != "" || got.Counts["gain"] != 2 {
		t.Errorf("(-want +got):\n%s\ncounts %v", diff, got.Counts)
	}
}
