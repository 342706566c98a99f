package zhengce_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

func date(y, m, d int) lang.Date { return lang.Date{Year: y, Month: m, Day: d} }

// outcomeOf says what rule r gives: its paid amount, or why not.
func outcomeOf(res *interp.Result, r int) string {
	rr := &res.Rules[r]
	if v, ok := rr.Paid(); ok {
		return v.Exact()
	}
	if rr.Applies {
		return "applies"
	}
	return "不适用：" + rr.Reason().String()
}

// TestEvaluationDates: a record's date is its own where it has one, else
// the call's, else Options.AsOf; validity, dated parameters and 评估日期
// follow it.
func TestEvaluationDates(t *testing.T) {
	const valid = "有效期 2025年6月15日 至 2028年6月15日\n输入 增量：金额\n规则 补助规则\n  补助 = 增量 * 10%\n结束\n"
	tests := []struct {
		name    string
		src     string
		compile lang.Date // Options.AsOf
		call    lang.Date // EvalOptions.AsOf
		rec     zhengce.Record
		want    string
		asOf    lang.Date
	}{
		{"the call's date", valid, lang.Date{}, date(2028, 6, 16), zhengce.Record{"增量": "100"},
			"不适用：不在有效期内：有效期 2025年6月15日 至 2028年6月15日，评估日期为 2028年6月16日", date(2028, 6, 16)},
		{"the call's date over Options.AsOf", valid, date(2026, 1, 1), date(2028, 6, 16), zhengce.Record{"增量": "100"},
			"不适用：不在有效期内：有效期 2025年6月15日 至 2028年6月15日，评估日期为 2028年6月16日", date(2028, 6, 16)},
		{"Options.AsOf when the call gives none", valid, date(2026, 1, 1), lang.Date{}, zhengce.Record{"增量": "100"}, "10", date(2026, 1, 1)},
		{"the record's 评估日期 over the call's", valid, date(2026, 1, 1), date(2028, 6, 16), zhengce.Record{"增量": "100", "评估日期": "2025-06-15"}, "10", date(2025, 6, 15)},
		{"a blank 评估日期 leaves the call's", valid, lang.Date{}, date(2026, 2, 1), zhengce.Record{"增量": "100", "评估日期": ""}, "10", date(2026, 2, 1)},
		{"a declared input over everything", "输入 申报日期：日期\n评估日期 = 申报日期\n" + valid, date(2026, 1, 1), date(2026, 1, 1),
			zhengce.Record{"增量": "100", "申报日期": "2025-06-14", "评估日期": "2026-01-01"},
			"不适用：不在有效期内：有效期 2025年6月15日 至 2028年6月15日，评估日期为 2025年6月14日", date(2025, 6, 14)},
		{"a dated parameter, first period", "参数 补助比例 = 10% 自 2025年1月1日，15% 自 2026年1月1日\n输入 增量：金额\n规则 r\n  补助 = 增量 * 补助比例\n结束\n",
			lang.Date{}, date(2025, 12, 31), zhengce.Record{"增量": "100"}, "10", date(2025, 12, 31)},
		{"a dated parameter, second period from its first day", "参数 补助比例 = 10% 自 2025年1月1日，15% 自 2026年1月1日\n输入 增量：金额\n规则 r\n  补助 = 增量 * 补助比例\n结束\n",
			lang.Date{}, date(2026, 1, 1), zhengce.Record{"增量": "100"}, "15", date(2026, 1, 1)},
		{"a dated parameter before its first period", "参数 补助比例 = 10% 自 2025年1月1日\n输入 增量：金额\n规则 r\n  补助 = 增量 * 补助比例\n结束\n",
			lang.Date{}, date(2024, 12, 31), zhengce.Record{"增量": "100"}, "不适用：无法得出“补助”：参数“补助比例”在 2024年12月31日 尚无值：自 2025年1月1日 起为 10%", date(2024, 12, 31)},
		{"validity by the date of the event, recognised in December 2024, paid in 2025",
			"输入 认定日期：日期\n规则 r\n  有效期 2022年1月1日 至 2024年12月31日 按 认定日期\n  奖励 = 10万元\n结束\n",
			lang.Date{}, date(2025, 3, 1), zhengce.Record{"认定日期": "2024-12-20"}, "100000", date(2025, 3, 1)},
		{"validity by the date of the event, recognised in 2021",
			"输入 认定日期：日期\n规则 r\n  有效期 2022年1月1日 至 2024年12月31日 按 认定日期\n  奖励 = 10万元\n结束\n",
			lang.Date{}, date(2025, 3, 1), zhengce.Record{"认定日期": "2021-11-01"}, "不适用：不在有效期内：有效期 2022年1月1日 至 2024年12月31日，认定日期为 2021年11月1日", date(2025, 3, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := zhengce.CompileWith("d.zc", []byte(tt.src), zhengce.Options{AsOf: tt.compile})
			if err != nil {
				t.Fatal(err)
			}
			res, err := prog.EvalWith(context.Background(), tt.rec, interp.EvalOptions{AsOf: tt.call})
			if err != nil {
				t.Fatal(err)
			}
			type got struct {
				Outcome string
				AsOf    lang.Date
			}
			if diff := cmp.Diff(got{tt.want, tt.asOf}, got{outcomeOf(res, 0), res.AsOf}); diff != "" {
				t.Errorf("Eval (-want +got):\n%s", diff)
			}
			// EvalInto, which a batch uses, takes the record's own date the
			// same way (the call's date is Options.AsOf there)
			if tt.call == (lang.Date{}) || tt.call == tt.compile {
				inputs, err := prog.BindRecord(tt.rec)
				if err != nil {
					t.Fatal(err)
				}
				var into interp.Result
				for range 2 {
					if err := prog.EvalInto(context.Background(), inputs, &into); err != nil {
						t.Fatal(err)
					}
				}
				if diff := cmp.Diff(got{tt.want, tt.asOf}, got{outcomeOf(&into, 0), into.AsOf}); diff != "" {
					t.Errorf("EvalInto (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestDatedParameterErrors: a dated parameter's periods are in order, each
// dated; constants fixed before any record cannot use one.
func TestDatedParameterErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"periods out of order", "参数 补助比例 = 15% 自 2026年1月1日，10% 自 2025年1月1日\n", "不晚于前一个值的 2026年1月1日"},
		{"a period without a date", "参数 补助比例 = 10% 自 2025年1月1日，15%\n", "每个值都要写明自哪一天起"},
		{"two types", "参数 补助比例 = 10% 自 2025年1月1日，\"高\" 自 2026年1月1日\n", "各个值类型应相同"},
		{"a parameter from a dated one", "参数 补助比例 = 10% 自 2025年1月1日\n参数 双倍 = 补助比例 * 2\n", "不能用随日期变化的参数“补助比例”"},
		{"a budget from a dated one", "参数 总 = 100元 自 2025年1月1日\n输入 a：金额\n规则 r\n  补助 = a\n结束\n预算 b\n  总额 = 总\n  规则 r\n结束\n", "不能用随日期变化的参数“总”"},
		{"the date from an input that is not a date", "输入 申报：文本\n评估日期 = 申报\n", "评估日期应取自一个日期输入"},
		{"validity by something not a date", "输入 a：金额\n规则 r\n  有效期 2022年1月1日 至 2024年12月31日 按 a\n  补助 = a\n结束\n", "有效期按“a”判断，它应是日期"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := zhengce.Compile("d.zc", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}
