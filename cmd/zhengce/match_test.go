package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
)

// TestMatch: qualified rules by amount, near misses with the gap in the
// words of the text, and a policy whose data is missing. By hand: 薛城电子
// has 700万 / 2亿 = 3.5%, exactly the threshold 超过 excludes, and 5% − 3.5%
// = 1.5 points short of 重点支持; 滕州化工 promised 25%, 5 points short.
func TestMatch(t *testing.T) {
	base := []string{"match", "../../examples/zaozhuang-2025-measures/研发投入.zc", "--data", "../../examples/zaozhuang-2025-measures/研发投入.csv", "--id", "企业名称", "--as-of", "2025-07-01"}
	tests := []struct {
		selectID string
		want     []string
	}{
		{"鲁南机床", []string{"  可享受：", "    研发投入增量补助：200万元（枣庄2025若干措施 第3条）", "    研发投入强度重点支持：重点支持 土地供应、能耗指标、项目申报、平台建设（枣庄2025若干措施 第3条）"}},
		{"薛城电子", []string{"  差一点：",
			"    研发投入增量补助：不满足“研发投入占比 超过 占比门槛”（研发投入占比 为 3.5%，占比门槛 为 3.5%）——恰在门槛上，须超过（不含本数）",
			"    研发投入强度重点支持：不满足“研发投入占比 超过 重点支持门槛”（研发投入占比 为 3.5%，重点支持门槛 为 5%）——还差 1.5 个百分点以上"}},
		{"滕州化工", []string{"    研发投入增量补助：不满足“承诺年均增长率 不低于 承诺增长下限”（承诺年均增长率 为 25%，承诺增长下限 为 30%）——还差 5 个百分点"}},
	}
	for _, tt := range tests {
		code, out, errOut := zc(t, append(base, "--select", tt.selectID)...)
		if code != exitOK {
			t.Errorf("%s: exit %d %s", tt.selectID, code, errOut)
		}
		rest := out
		for _, line := range tt.want {
			i := strings.Index(rest, line+"\n")
			if i < 0 {
				t.Errorf("%s: missing or out of order %q\n%s", tt.selectID, line, out)
				break
			}
			rest = rest[i:]
		}
	}
	// a second policy the data does not fit: said per enterprise, exit 1
	code, out, _ := zc(t, "match", "../../examples/zaozhuang-2025-measures/研发投入.zc", "../../examples/zaozhuang-2025-measures/创新券.zc",
		"--data", "../../examples/zaozhuang-2025-measures/研发投入.csv", "--id", "企业名称", "--select", "鲁南机床", "--as-of", "2025-07-01")
	if code != exitData || !strings.Contains(out, "  数据不足：../../examples/zaozhuang-2025-measures/创新券.zc：缺少 4 项输入：“科技型中小微企业或创业团队”、“使用省创新券”、“创新券服务费用”、“本年已获市级创新券补助”\n") || !strings.Contains(out, "研发投入增量补助：200万元") {
		t.Errorf("two policies: exit %d\n%s", code, out)
	}
}

// TestNearMissesAreFeasible: match offers a near miss only where the
// enterprise could meet the condition, and gives the gap as data. By hand:
// 甲 (营收 1.5亿) is far above 不满2000万元 — not told to shrink; 乙 has no
// loans — not told to come to have a bad loan; 丙's 研发强度 3% is 0.5 of a
// point short of 超过 3.5% (the bound itself not enough); 丁's is at 3.5%
// exactly, which 超过 does not include.
func TestNearMissesAreFeasible(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", `输入 营业收入：金额
输入 不良本金：金额
输入 研发强度：比例
规则 小微补助
  条件 营业收入 不满 2000万元
  补助 = 10万元
结束
规则 风险补偿
  条件 不良本金 超过 0
  补偿 = 不良本金 * 35%
结束
规则 研发补助
  条件 研发强度 超过 3.5%
  补助 = 20万元
结束
`)
	data := writeFile(t, dir, "d.csv", "企业,营业收入,不良本金,研发强度\n甲,1.5亿,0,5%\n丙,1000万,0,3%\n丁,1000万,0,3.5%\n")
	code, out, errOut := zc(t, "match", pol, "--data", data, "--id", "企业", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []struct {
		ID   string
		Near []struct {
			Rule      string
			Shortfall *zhengce.ShortfallJSON
		}
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, r := range rows {
		for _, n := range r.Near {
			s := n.Rule
			if sf := n.Shortfall; sf != nil {
				s += fmt.Sprintf(" %s %s→%s inclusive=%v %s", sf.Field, sf.Value, sf.Needed, sf.Inclusive, sf.Direction)
			}
			got[r.ID] = append(got[r.ID], s)
		}
	}
	want := map[string][]string{
		"丙": {"研发补助 研发强度 0.03→0.035 inclusive=false up"},
		"丁": {"研发补助 研发强度 0.035→0.035 inclusive=false up"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("near misses (-want +got):\n%s", diff)
	}
}
