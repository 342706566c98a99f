package zhengce_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// paidSummary is what a record is paid: each rule's paid amount (or why it
// does not apply), the notes, and the total.
type paidSummary struct {
	Rules map[string]string
	Notes []string
	Total string
}

func paidOf(res *interp.Result) paidSummary {
	s := paidSummary{Rules: map[string]string{}, Total: res.Total().Exact()}
	for i := range res.Rules {
		rr := &res.Rules[i]
		switch v, ok := rr.Paid(); {
		case ok:
			s.Rules[rr.Name] = v.Exact()
		case rr.Applies:
			s.Rules[rr.Name] = "pays nothing"
		default:
			s.Rules[rr.Name] = "不适用：" + rr.Reason().String()
		}
		for _, n := range rr.Notes {
			s.Notes = append(s.Notes, n.Zh)
		}
	}
	return s
}

// TestWhatRulesPay: what a rule pays, and what groups, caps and exclusions
// make of it, one record at a time. Every amount is worked by hand in the
// case's name or comment.
func TestWhatRulesPay(t *testing.T) {
	const twoRules = `输入 a：金额
输入 b：金额
规则 甲
  条件 a 超过 0
  补助 = a
结束
规则 乙
  条件 b 超过 0
  补助 = b
结束
`
	tests := []struct {
		name, src string
		rec       zhengce.Record
		want      paidSummary
	}{
		{"a working amount is never paid: 门槛 200万 and 支持 20% of 500万 = 100万",
			`输入 投入：金额
规则 揭榜
  门槛 = 200万元
  条件 投入 不低于 门槛
  给予 支持 = 投入 * 20%
结束
`, zhengce.Record{"投入": "500万元"},
			paidSummary{Rules: map[string]string{"揭榜": "1000000"}, Total: "1000000"}},
		{"a rule with no money pays nothing",
			`输入 强度：比例
规则 重点支持
  条件 强度 超过 5%
  事项 = "土地供应"
结束
`, zhengce.Record{"强度": "6%"},
			paidSummary{Rules: map[string]string{"重点支持": "pays nothing"}, Total: "0"}},
		{"不给予资金: an amount that is not a payment (视同利润 36万) is not in the total, 10% of 100万 is",
			`输入 成本：金额
输入 投入：金额
规则 视同利润
  不给予资金
  视同利润额 = 成本
结束
规则 补助
  补助额 = 投入 * 10%
结束
`, zhengce.Record{"成本": "360000", "投入": "1000000"},
			paidSummary{Rules: map[string]string{"视同利润": "pays nothing", "补助": "100000"}, Total: "100000"}},
		{"cap in the order listed: 甲 60 + 乙 70 under 100 → 甲 60, 乙 40",
			twoRules + "上限 合计上限\n  规则 甲，乙\n  额度 = 100元\n结束\n", zhengce.Record{"a": "60", "b": "70"},
			paidSummary{Rules: map[string]string{"甲": "60", "乙": "40"}, Total: "100",
				Notes: []string{"上限“合计上限”额度 100.00元：本规则原为 70.00元，削减 30.00元，给予 40.00元"}}},
		{"the order listed, not the order written: 乙 first takes 70, 甲 gets 30",
			twoRules + "上限 合计上限\n  规则 乙，甲\n  额度 = 100元\n结束\n", zhengce.Record{"a": "60", "b": "70"},
			paidSummary{Rules: map[string]string{"甲": "30", "乙": "70"}, Total: "100",
				Notes: []string{"上限“合计上限”额度 100.00元：本规则原为 60.00元，削减 30.00元，给予 30.00元"}}},
		{"a cap the first rule uses up: 甲 120 → 100, 乙 0 and still applies",
			twoRules + "上限 合计上限\n  额度 = 100元\n结束\n", zhengce.Record{"a": "120", "b": "5"},
			paidSummary{Rules: map[string]string{"甲": "100", "乙": "0"}, Total: "100",
				Notes: []string{"上限“合计上限”额度 100.00元：本规则原为 120.00元，削减 20.00元，给予 100.00元", "上限“合计上限”额度 100.00元已用完：本规则原为 5.00元，给予 0.00元"}}},
		{"under the cap nothing changes: 30 + 40 < 100",
			twoRules + "上限 合计上限\n  额度 = 100元\n结束\n", zhengce.Record{"a": "30", "b": "40"},
			paidSummary{Rules: map[string]string{"甲": "30", "乙": "40"}, Total: "70"}},
		{"a cap from the data, negative: nothing is left (200 − 250 → 0)",
			twoRules + "输入 已获：金额\n上限 累计\n  额度 = 200元 - 已获\n结束\n", zhengce.Record{"a": "30", "b": "40", "已获": "250"},
			paidSummary{Rules: map[string]string{"甲": "0", "乙": "0"}, Total: "0",
				Notes: []string{"上限“累计”额度 0.00元已用完：本规则原为 30.00元，给予 0.00元", "上限“累计”额度 0.00元已用完：本规则原为 40.00元，给予 0.00元"}}},
		{"a cap that cannot be had: its rules do not apply",
			twoRules + "规则 丙\n  条件 a 超过 1000\n  额度值 = a\n结束\n上限 合计上限\n  规则 甲，乙\n  额度 = 丙.额度值\n结束\n", zhengce.Record{"a": "30", "b": "40"},
			paidSummary{Rules: map[string]string{
				"甲": "不适用：上限“合计上限”的额度无法得出：规则“丙”不适用",
				"乙": "不适用：上限“合计上限”的额度无法得出：规则“丙”不适用",
				"丙": "不适用：不满足“a 超过 1000”（a 为 30.00元）"}, Total: "0"}},
		{"a repayment takes nothing from the cap: −50 passes, 80 + 30 → 80 + 20",
			`输入 a：金额
输入 b：金额
输入 c：金额
规则 退还
  补助 = -c
结束
规则 甲
  补助 = a
结束
规则 乙
  补助 = b
结束
上限 合计上限
  规则 退还，甲，乙
  额度 = 100元
结束
`, zhengce.Record{"a": "80", "b": "30", "c": "50"},
			paidSummary{Rules: map[string]string{"退还": "-50", "甲": "80", "乙": "20"}, Total: "50",
				Notes: []string{"上限“合计上限”额度 100.00元：本规则原为 30.00元，削减 10.00元，给予 20.00元"}}},
		{"就高不重复 compares what rules pay, not their working amounts: 甲 pays 50 (基数 1000), 乙 pays 60",
			`输入 a：金额
规则 甲
  基数 = a * 100
  给予 补助 = a
结束
规则 乙
  补助 = a + 10元
结束
就高不重复 组
  规则 甲，乙
结束
`, zhengce.Record{"a": "50"},
			paidSummary{Rules: map[string]string{"甲": "不适用：就高不重复（组）：已按“乙”给予 60.00元，高于本规则的 50.00元", "乙": "60"}, Total: "60"}},
		{"a group, then a cap on what is left: 甲 90 beats 乙 70; 甲 90 + 丙 40 under 100 → 90 + 10",
			twoRules + "输入 c：金额\n规则 丙\n  补助 = c\n结束\n就高不重复 组\n  规则 甲，乙\n结束\n上限 合计上限\n  额度 = 100元\n结束\n",
			zhengce.Record{"a": "90", "b": "70", "c": "40"},
			paidSummary{Rules: map[string]string{"甲": "90", "乙": "不适用：就高不重复（组）：已按“甲”给予 90.00元，高于本规则的 70.00元", "丙": "10"}, Total: "100",
				Notes: []string{"上限“合计上限”额度 100.00元：本规则原为 40.00元，削减 30.00元，给予 10.00元"}}},
		{"a cap on one rule comes before the group: 甲 90 capped to 50 loses to 乙 70, though its cap is written after the group",
			twoRules + "就高不重复 组\n  规则 甲，乙\n结束\n上限 甲自己\n  规则 甲\n  额度 = 50元\n结束\n",
			zhengce.Record{"a": "90", "b": "70"},
			paidSummary{Rules: map[string]string{"甲": "不适用：就高不重复（组）：已按“乙”给予 70.00元，高于本规则的 50.00元", "乙": "70"}, Total: "70",
				Notes: []string{"上限“甲自己”额度 50.00元：本规则原为 90.00元，削减 40.00元，给予 50.00元"}}},
		{"nested caps, the outer written first: 甲 90 capped to 50 by its own, then 甲 50 + 乙 70 under 100 → 50 + 50",
			twoRules + "上限 两条\n  规则 甲，乙\n  额度 = 100元\n结束\n上限 甲自己\n  规则 甲\n  额度 = 50元\n结束\n",
			zhengce.Record{"a": "90", "b": "70"},
			paidSummary{Rules: map[string]string{"甲": "50", "乙": "50"}, Total: "100",
				Notes: []string{"上限“甲自己”额度 50.00元：本规则原为 90.00元，削减 40.00元，给予 50.00元", "上限“两条”额度 100.00元：本规则原为 70.00元，削减 20.00元，给予 50.00元"}}},
		{"an excluded enterprise is paid nothing, with the case met",
			twoRules + "输入 失信：是否\n不予支持 负面清单\n  条件 失信\n结束\n", zhengce.Record{"a": "60", "b": "70", "失信": "是"},
			paidSummary{Rules: map[string]string{"甲": "不适用：不予支持（负面清单）：符合“失信”（失信 为 是）", "乙": "不适用：不予支持（负面清单）：符合“失信”（失信 为 是）"}, Total: "0"}},
		{"an exclusion that names a rule covers that rule only; the case read with its values",
			twoRules + "输入 欠税：金额\n不予支持 欠税企业\n  条件 欠税 超过 0\n  规则 乙\n结束\n", zhengce.Record{"a": "60", "b": "70", "欠税": "5"},
			paidSummary{Rules: map[string]string{"甲": "60", "乙": "不适用：不予支持（欠税企业）：符合“欠税 超过 0”（欠税 为 5.00元）"}, Total: "60"}},
		{"not excluded: the rules pay",
			twoRules + "输入 失信：是否\n不予支持 负面清单\n  条件 失信\n结束\n", zhengce.Record{"a": "60", "b": "70", "失信": "否"},
			paidSummary{Rules: map[string]string{"甲": "60", "乙": "70"}, Total: "130"}},
		{"whether excluded cannot be told: nothing is paid",
			twoRules + "规则 登记\n  条件 a 超过 1000\n  失信 = 是\n结束\n不予支持 负面清单\n  条件 登记.失信\n  规则 甲，乙\n结束\n", zhengce.Record{"a": "60", "b": "70"},
			paidSummary{Rules: map[string]string{
				"甲":  "不适用：不予支持（负面清单）：无法判断是否符合“登记.失信”：规则“登记”不适用",
				"乙":  "不适用：不予支持（负面清单）：无法判断是否符合“登记.失信”：规则“登记”不适用",
				"登记": "不适用：不满足“a 超过 1000”（a 为 60.00元）"}, Total: "0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := zhengce.Compile("p.zc", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			res, err := prog.Eval(context.Background(), tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, paidOf(res)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// the same through EvalInto, twice into one Result: what the
			// first evaluation wrote must not leak into the second
			inputs, err := prog.BindRecord(tt.rec)
			if err != nil {
				t.Fatal(err)
			}
			var reused interp.Result
			for range 2 {
				if err := prog.EvalInto(context.Background(), inputs, &reused); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, paidOf(&reused)); diff != "" {
				t.Errorf("EvalInto (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWhatRulesPayErrors: a rule must say which amount it pays, and what
// caps and exclusions name must make sense.
func TestWhatRulesPayErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"two amounts, none written 给予", "输入 a：金额\n规则 r\n  门槛 = 1元\n  补助 = a\n结束\n",
			"p.zc:2:4: 规则“r”有 2 个金额输出（门槛、补助），不知给予的是哪一个：请在给予的金额前写“给予”，如“给予 补助 = …”；其余的是计算用的中间值，不会给予"},
		{"给予 twice", "输入 a：金额\n规则 r\n  给予 甲 = a\n  给予 乙 = a\n结束\n",
			"p.zc:4:6: 规则“r”已给予“甲”；一条规则只给予一个金额，其余的输出不写“给予”"},
		{"不给予资金 and 给予", "输入 a：金额\n规则 r\n  不给予资金\n  给予 x = a\n结束\n", "p.zc:4:6: 规则“r”写了“不给予资金”，不能再“给予”金额"},
		{"不给予资金 in a group", "输入 a：金额\n规则 r\n  不给予资金\n  x = a\n结束\n规则 s\n  y = a\n结束\n就高不重复 g\n  规则 r，s\n结束\n",
			"p.zc:10:6: 就高不重复要比较金额，规则“r”没有给予金额"},
		{"给予 a ratio", "规则 r\n  给予 比率 = 10%\n结束\n", "p.zc:2:6: “给予”的应是金额，“比率”是比例"},
		{"a cap on a rule that pays nothing", "输入 a：比例\n规则 r\n  达标 = a 超过 1%\n结束\n上限 c\n  规则 r\n  额度 = 1元\n结束\n",
			"p.zc:6:6: 上限限制的是给予的金额，规则“r”没有给予金额"},
		{"a cap without a limit", "输入 a：金额\n规则 r\n  补助 = a\n结束\n上限 c\n  规则 r\n结束\n", "p.zc:5:4: 上限“c”缺少“额度 = …”"},
		{"a cap whose limit is not an amount", "输入 a：金额\n规则 r\n  补助 = a\n结束\n上限 c\n  额度 = 是\n结束\n", "p.zc:6:8: 上限的额度应为金额，这里是是否"},
		{"an exclusion without a condition", "输入 a：金额\n规则 r\n  补助 = a\n结束\n不予支持 d\n  规则 r\n结束\n", "p.zc:5:6: 不予支持“d”缺少“条件 …”：写明哪些情形不予支持"},
		{"an exclusion naming no rule", "输入 a：是否\n规则 r\n  补助 = 1元\n结束\n不予支持 d\n  条件 a\n  规则 s\n结束\n", "p.zc:7:6: 没有名为“s”的规则"},
		{"an exclusion that reads a rule it covers", "输入 a：金额\n规则 r\n  补助 = a\n结束\n不予支持 d\n  条件 r.补助 超过 0\n结束\n", "定义循环引用"},
		{"a rule in a quota and a cap", "输入 a：金额\n规则 r\n  补助 = a\n结束\n评选 q\n  名额 = 1\n  排序 a\n  规则 r\n结束\n上限 c\n  额度 = 1元\n结束\n",
			"p.zc:10:4: 规则“r”属于评选“q”，是否适用要在全体数据上才能确定；“c”在每条记录上就要确定，不能包含它"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := zhengce.Compile("p.zc", []byte(tt.src))
			if err == nil {
				t.Fatal("compiled")
			}
			got := err.Error()
			if len(tt.want) < 20 {
				if !contains(got, tt.want) {
					t.Errorf("got %q, want it to contain %q", got, tt.want)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub))
}

// panicking is a context whose every method panics: it stands for a defect
// met during evaluation.
type panicking struct{ context.Context }

func (panicking) Err() error            { panic("boom") }
func (panicking) Done() <-chan struct{} { panic("boom") }

// TestPanicsAreErrors: a defect met while evaluating does not bring down
// the program that embeds zhengce: it is an *InternalError.
func TestPanicsAreErrors(t *testing.T) {
	prog, err := zhengce.Compile("p.zc", []byte("输入 a：金额\n规则 r\n  补助 = a\n结束\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = prog.Eval(panicking{context.Background()}, zhengce.Record{"a": "1"})
	var ie *zhengce.InternalError
	if !errors.As(err, &ie) || ie.Value != "boom" || ie.Stack == "" {
		t.Errorf("got %v", err)
	}
}
