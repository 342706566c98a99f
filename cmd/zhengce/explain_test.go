package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExplain checks explanations of capped, uncapped, inapplicable, looked-up
// and budget-scaled results. Amounts by hand: see each case.
func TestExplain(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // lines that must appear, in this order
	}{
		{"capped: (5000万 − 2000万) × 10% = 300万 > 200万",
			[]string{"explain", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称", "--select", "鲁南机床"},
			[]string{
				"第 2 行（鲁南机床）",
				"  研发投入增量 = 3000万元",
				"    读入：研发投入 = 5000万元，上年研发投入 = 2000万元",
				"  【研发投入增量补助】（依据：枣庄2025若干措施 第3条 按照研发投入增量的10%给予最高200万元的补助）",
				"    适用：补助 = 200万元",
				"    用到：研发投入增量 = 3000万元，研发投入占比 = 6.25%",
				"    按“研发投入增量 * 补助比例”计 300万元，超过最高“补助上限” 200万元，取 200万元",
			}},
		{"under the cap: 400万 × 10% = 40万, no cap line",
			[]string{"explain", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称", "--select", "枣庄新材料"},
			[]string{"    适用：补助 = 40万元", "    用到：研发投入增量 = 400万元，研发投入占比 = 6%"}},
		{"not applicable: 3.5% is not 超过 3.5%",
			[]string{"explain", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称", "--select", "薛城电子"},
			[]string{"    不适用：不满足“研发投入占比超过占比门槛”（研发投入占比 为 3.5%，占比门槛 为 3.5%）"}},
		{"table row and two-level caps over a list",
			[]string{"explain", "../../examples/rizhao-2025-implementation-rules/產學研合作.zc", "--data", "../../examples/rizhao-2025-implementation-rules/產學研合作.json", "--id", "企业名称", "--select", "岚山新材", "--as-of", "2025-09-01"},
			[]string{
				"    适用：",
				"    按“實際發生費用 * 20%”计 160万元，超过最高“100萬元” 100万元，取 100万元",
				"    对每个 橫向項目：共 3 项，计入 3 项，得 [100万元, 100万元, 100万元]",
				"    按“合計（各項目支持）”计 300万元，超过最高“200萬元” 200万元，取 200万元",
			}},
		{"excluded by 就高不重复: 二等奖 100万 kept, the provincial 30万 × 50% = 15万 set aside",
			[]string{"explain", "../../examples/rizhao-2025-implementation-rules", "--data", "../../examples/rizhao-2025-implementation-rules/科技獎勵.csv", "--id", "单位名称", "--select", "岚山钢研", "--as-of", "2025-09-01"},
			[]string{
				"  【國家科學技術獎獎勵】",
				"    适用：獎勵 = 100万元",
				"    按 國家科學技術獎等級“二等奖”取 100万元",
				"    就高不重复（以上多項支持政策）：组中另有 18 条规则数据不足，未参与比较；数据补全后结果可能不同",
				"  【山東省科學技術獎獎勵】",
				"    不适用：就高不重复（以上多項支持政策）：已按“國家科學技術獎獎勵”给予 100万元，高于本规则的 15万元",
			}},
		{"budget scaling: 1200万 asked of a 1000万 reserve",
			[]string{"explain", "../../examples/rizhao-2025-implementation-rules/風險準備金與再貸款.zc", "--data", "../../examples/rizhao-2025-implementation-rules/風險準備金與再貸款.csv", "--id", "项目", "--select", "海洋氢能", "--as-of", "2025-09-01"},
			[]string{"    适用：補償 = 1,666,666.67元", "    预算“股權投資風險準備金”总额 1000万元，全体申请合计 1200万元，按约 83.33% 的比例压减（原为 200万元）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, out, errOut := zc(t, tt.args...)
			rest := out
			for _, line := range tt.want {
				i := strings.Index(rest, line)
				if i < 0 {
					t.Fatalf("missing or out of order: %q\n%s%s", line, out, errOut)
				}
				rest = rest[i+len(line):]
			}
		})
	}
}

// TestExplainJSON: the explanation in JSON carries inputs, parameters,
// definitions used and steps.
func TestExplainJSON(t *testing.T) {
	_, out, _ := zc(t, "explain", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv",
		"--id", "企业名称", "--select", "鲁南机床", "--format", "json")
	var rows []struct {
		Rules []struct {
			Explanation struct {
				Inputs []struct{ Name string } `json:"inputs"`
				Params []struct{ Name string } `json:"params"`
				Uses   []struct{ Name string } `json:"uses"`
				Steps  []string                `json:"steps"`
			} `json:"explanation"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	e := rows[0].Rules[0].Explanation
	got := []int{len(e.Inputs), len(e.Params), len(e.Uses), len(e.Steps)}
	if diff := cmp.Diff([]int{2, 4, 2, 1}, got); diff != "" {
		t.Errorf("counts of inputs, params, uses, steps (-want +got):\n%s\n%s", diff, out)
	}
}
