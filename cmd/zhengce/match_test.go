package main

import (
	"strings"
	"testing"
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
