package zhengce_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// TestConstantsKnownBeforeRecords: a parameter, a budget's total and a
// quota are fixed before any record is evaluated. Each case used to panic
// Compile (a rule's result read with no record), to pay 0元 (a table
// lookup that missed), to read 0000-00-00 as the date, or to accept a
// negative total; each is now an error at the expression, in both
// languages.
func TestConstantsKnownBeforeRecords(t *testing.T) {
	const rule = "输入 投入：金额\n规则 r\n  补助 = 投入\n结束\n"
	tests := []struct {
		name, src string
		want      string // file:line:col: message
	}{
		{"a budget total reads a rule", rule + "预算 b\n  总额 = r.补助\n  规则 r\n结束\n",
			"p.zc:6:8: 预算总额在求值任何记录之前就已确定，不能用规则“r”的结果"},
		{"a budget total asks whether a rule applies", rule + "预算 b\n  总额 = 如果 r.适用 那么 1元 否则 2元\n  规则 r\n结束\n",
			"p.zc:6:11: 预算总额在求值任何记录之前就已确定，不能用规则“r”的结果"},
		{"a quota reads a rule", rule + "评选 q\n  名额 = r.补助 / 1元\n  排序 投入\n  规则 r\n结束\n",
			"p.zc:6:8: 名额在求值任何记录之前就已确定，不能用规则“r”的结果"},
		{"a parameter asks whether a rule applies", rule + "参数 p = r.适用\n",
			"p.zc:5:8: 参数在求值任何记录之前就已确定，不能用规则“r”的结果"},
		{"a parameter reads an input", rule + "参数 p = 投入 * 2\n",
			"p.zc:5:8: 参数只能由常数和参数算出，不能用“投入”"},
		{"a budget total reads the evaluation date", rule + "预算 b\n  总额 = 如果 评估日期 > 2025-01-01 那么 1元 否则 1000元\n  规则 r\n结束\n",
			"p.zc:6:11: 预算总额在求值任何记录之前就已确定，不能用“评估日期”"},
		{"a parameter reads the evaluation date", rule + "参数 年份 = 评估日期\n",
			"p.zc:5:9: 参数在求值任何记录之前就已确定，不能用“评估日期”"},
		{"a parameter's lookup misses", "参数 等级 = \"省级\"\n参数 补助比例 = 按 等级 取 {\"国家级\"：30%，\"市级\"：10%}\n" + rule,
			"p.zc:2:11: 参数“补助比例”无法得出：等级 为“省级”，不在表中（国家级、市级）"},
		{"a negative budget total", rule + "预算 b\n  总额 = -100元\n  规则 r\n结束\n",
			"p.zc:6:8: 预算“b”的总额是 -100.00元，不能为负数"},
		{"a negative total from a parameter", "参数 总额度 = 100元 - 200元\n" + rule + "预算 b\n  总额 = 总额度\n  规则 r\n结束\n",
			"p.zc:7:8: 预算“b”的总额是 -100.00元，不能为负数"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := zhengce.Compile("p.zc", []byte(tt.src))
			got := "no error"
			if list, ok := err.(lang.ErrorList); ok && len(list) > 0 {
				got = list[0].Pos.String() + ": " + list[0].Zh
				if list[0].En == "" {
					t.Errorf("no English message")
				}
			} else if e, ok := err.(*lang.Error); ok {
				got = e.Pos.String() + ": " + e.Zh
				if e.En == "" {
					t.Errorf("no English message")
				}
			} else if err != nil {
				got = "not a lang error: " + err.Error()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
