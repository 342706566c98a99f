package zhengce_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// progGen builds a well-typed policy from fuzz bytes: every choice reads a
// byte, and running out of bytes picks the simplest form, so every input
// gives a program the checker must accept.
type progGen struct {
	data []byte
	pos  int
}

func (g *progGen) pick(n int) int {
	if g.pos >= len(g.data) || n <= 1 {
		return 0
	}
	b := int(g.data[g.pos])
	g.pos++
	return b % n
}

var cmpWords = []string{">", ">=", "<", "<=", "=", "≠", "超过", "不低于", "不足", "不超过", "等于", "达到", "未满", "以上", "以内"}

// literal is a number literal: an amount when money is set, else a count
// or a ratio.
func (g *progGen) literal(money bool) string {
	whole := g.pick(256) * g.pick(256)
	if money {
		if g.pick(2) == 0 {
			return fmt.Sprintf("%d.%02d元", whole, g.pick(100))
		}
		return fmt.Sprintf("%d万元", g.pick(1000))
	}
	switch g.pick(4) {
	case 0:
		return fmt.Sprintf("%d%%", g.pick(201))
	case 1:
		return fmt.Sprintf("%d‰", g.pick(1000))
	case 2:
		return fmt.Sprintf("-%d", whole)
	}
	return fmt.Sprint(whole)
}

// num is a numeric expression of either kind.
func (g *progGen) num(depth int) string { return g.typed(depth, g.pick(2) == 0) }

// typed is a numeric expression that is an amount when money is set, else
// a count or a ratio: amounts add only to amounts.
func (g *progGen) typed(depth int, money bool) string {
	if depth <= 0 {
		if money {
			return []string{"甲额", "乙额", g.literal(true)}[g.pick(3)]
		}
		return []string{"比率", "件数", g.literal(false)}[g.pick(3)]
	}
	d := depth - 1
	same := func() string { return g.typed(d, money) }
	switch k := g.pick(12); k {
	case 0, 1:
		return "(" + same() + []string{" + ", " - "}[k] + same() + ")"
	case 2:
		return "(" + same() + " × " + g.typed(d, false) + ")"
	case 3:
		if !money && g.pick(2) == 0 {
			return "(" + g.typed(d, true) + " ÷ " + g.typed(d, true) + ")" // a ratio
		}
		return "(" + same() + " ÷ " + g.typed(d, false) + ")"
	case 4, 5:
		return "(" + same() + []string{" 最高 ", " 最低 "}[k-4] + g.num(d) + ")"
	case 6:
		return "最大(" + same() + ", " + same() + ")"
	case 7:
		return fmt.Sprintf("四舍五入(%s, %d)", same(), g.pick(5)-2)
	case 8:
		return "(如果 " + g.cond(d) + " 那么 " + same() + " 否则 " + same() + ")"
	case 9:
		return "(按 类别 取 { \"甲\"：" + same() + "，\"乙\"：" + same() + " })"
	case 10:
		if money {
			return "合计(对每个 项目 如果 " + g.itemCond() + "：金额项 × 比率)"
		}
		return "计数(对每个 项目 如果 " + g.itemCond() + "：金额项)"
	}
	return "绝对值(" + same() + ")"
}

func (g *progGen) itemCond() string {
	if g.pick(2) == 0 {
		return "合格"
	}
	w := cmpWords[g.pick(len(cmpWords)-2)] // not the postfix 以上/以内
	return "金额项 " + w + " " + g.literal(true)
}

func (g *progGen) cond(depth int) string {
	if depth <= 0 {
		return []string{"标志", "类别 = \"甲\"", "日期项 < 2025-06-15", "非 标志"}[g.pick(4)]
	}
	d := depth - 1
	switch g.pick(5) {
	case 0:
		w := cmpWords[g.pick(len(cmpWords))]
		if w == "以上" || w == "以内" {
			return "(" + g.num(d) + " 在 " + g.num(d) + " " + w + ")"
		}
		return "(" + g.num(d) + " " + w + " " + g.num(d) + ")"
	case 1:
		return "(" + g.cond(d) + " 且 " + g.cond(d) + ")"
	case 2:
		return "(" + g.cond(d) + " 或 " + g.cond(d) + ")"
	case 3:
		return "任一(对每个 项目：合格)"
	}
	return "非 " + g.cond(d)
}

func (g *progGen) program() (string, zhengce.Record) {
	var b strings.Builder
	b.WriteString("输入\n  甲额：金额\n  乙额：金额\n  比率：比例\n  件数：数值\n  标志：是否\n  类别：文本\n  日期项：日期\n")
	b.WriteString("  项目：列表（金额项：金额，合格：是否）\n结束\n")
	depth := 1 + g.pick(4)
	for i := 0; i < 1+g.pick(4); i++ {
		fmt.Fprintf(&b, "定义%d = %s\n", i, g.num(depth))
	}
	// now and then a long chain and deep brackets, within the limits
	if g.pick(4) == 0 {
		n := 1 + g.pick(200)
		fmt.Fprintf(&b, "长链 = %s%s\n", strings.Repeat("件数 + ", n), "1")
		k := 1 + g.pick(90)
		fmt.Fprintf(&b, "深括号 = %s件数%s\n", strings.Repeat("(", k), strings.Repeat(" + 1)", k))
	}
	rules := 1 + g.pick(3)
	for i := 0; i < rules; i++ {
		fmt.Fprintf(&b, "规则 规则%d\n  条件 %s\n", i, g.cond(depth))
		if g.pick(2) == 0 { // an amount beside the one paid: a working value
			fmt.Fprintf(&b, "  门槛 = (%s) * 1元\n  给予 补助 = (%s) * 1元\n结束\n", g.num(depth), g.num(depth))
		} else {
			fmt.Fprintf(&b, "  补助 = (%s) * 1元\n结束\n", g.num(depth))
		}
	}
	fmt.Fprintf(&b, "合计补助 = 合计(规则0.补助)\n")
	if rules > 1 && g.pick(2) == 0 {
		b.WriteString("就高不重复 就高\n  规则 规则0，规则1\n结束\n")
	}
	if g.pick(2) == 0 {
		fmt.Fprintf(&b, "上限 合计上限\n  额度 = (%s) * 1元\n结束\n", g.num(depth))
	}
	if g.pick(3) == 0 {
		fmt.Fprintf(&b, "不予支持 负面清单\n  条件 %s\n", g.cond(depth))
		if rules > 1 && g.pick(2) == 0 {
			b.WriteString("  规则 规则1\n")
		}
		b.WriteString("结束\n")
	}
	if rules > 2 && g.pick(2) == 0 {
		fmt.Fprintf(&b, "预算 专项\n  总额 = %d万元\n  规则 规则2\n结束\n", g.pick(1000))
	}
	items := "["
	for i := 0; i < g.pick(4); i++ {
		if i > 0 {
			items += ","
		}
		items += fmt.Sprintf(`{"金额项": "%s", "合格": "%s"}`, strings.TrimSuffix(g.literal(true), "元"), []string{"是", "否"}[g.pick(2)])
	}
	items += "]"
	rec := zhengce.Record{
		"甲额": g.literal(true), "乙额": fmt.Sprint(g.pick(1000)), "比率": fmt.Sprintf("%d%%", g.pick(300)),
		"件数": fmt.Sprint(g.pick(50)), "标志": []string{"是", "否"}[g.pick(2)], "类别": []string{"甲", "乙", "丙"}[g.pick(3)],
		"日期项": []string{"2025-06-14", "2025-06-15", "2025-06-16"}[g.pick(3)], "项目": items,
	}
	// amounts in the record must read back as 金额: drop % and ‰ there
	for _, k := range []string{"甲额"} {
		if s := rec[k].(string); strings.HasSuffix(s, "%") || strings.HasSuffix(s, "‰") {
			rec[k] = strings.TrimRight(s, "%‰")
		}
	}
	return b.String(), rec
}

// summary renders everything a result says, or its error, for comparing
// two evaluations.
func summary(res *interp.Result, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	var b strings.Builder
	for _, d := range res.Defs {
		fmt.Fprintf(&b, "%s=%s;", d.Name, d.Value.Exact())
	}
	for _, r := range res.Rules {
		fmt.Fprintf(&b, "%s:%v", r.Name, r.Applies)
		for _, o := range r.Outputs {
			fmt.Fprintf(&b, ",%s=%s(%s)", o.Name, o.Value.Exact(), o.Value.Type())
		}
		if r.Reason() != nil {
			b.WriteString("," + r.Reason().String() + ",gap=" + r.Reason().Gap.Zh)
		}
		fmt.Fprintf(&b, ",exceptions=%q,notes=%q;", r.Exceptions, r.Notes)
	}
	fmt.Fprintf(&b, "total=%s", res.Total().Exact())
	for _, d := range res.Denials {
		fmt.Fprintf(&b, ";denied=%s:%s", d.Name, d.Reason)
	}
	for _, l := range res.Limits {
		fmt.Fprintf(&b, ";limit=%s:%s/%s/%s", l.Name, l.Limit.Exact(), l.Asked.Exact(), l.Paid.Exact())
	}
	return b.String()
}

// FuzzWellTyped generates well-typed programs and data from the fuzz bytes
// (deep brackets, long chains, lookups, lists, groups, caps, exclusions
// and budgets among them): each must compile, evaluate without panicking
// (errors such as division by zero are fine), and give the same result
// twice, through Eval and EvalInto alike. .ci/run fuzzes it for a while.
func FuzzWellTyped(f *testing.F) {
	for _, seed := range []string{"", "\x01\x02\x03\x04\x05", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8", "zhengce 政策 fuzz seed 0123456789",
		"\x00\x03\x07\x00\x01\x02\x00\x00\x00\x00\x00\x00", "\x04\x00\xc8\x59\x02\x00\x01\x01\x00\x00\x01\x00\x00\x00\x01\x00\x01"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, rec := (&progGen{data: data}).program()
		defer failIfCostly(t, len(src))()
		prog, err := zhengce.Compile("gen.zc", []byte(src))
		if err != nil {
			t.Fatalf("a well-typed program was rejected: %v\n%s", err, src)
		}
		first := summary(prog.Eval(context.Background(), rec))
		second := summary(prog.Eval(context.Background(), rec))
		if first != second {
			t.Fatalf("two evaluations differ:\n%s\n%s\n%s", first, second, src)
		}
		// EvalInto into one Result three times: the first evaluation
		// readies it, the others take the steady state's shorter paths
		inputs, err := prog.BindRecord(rec)
		if err != nil {
			return // Eval reported it
		}
		var res interp.Result
		for n := 0; n < 3; n++ {
			var got string
			if err := prog.EvalInto(context.Background(), inputs, &res); err != nil {
				got = summary(nil, err)
			} else {
				got = summary(&res, nil)
			}
			if got != first {
				t.Fatalf("EvalInto (evaluation %d) differs from Eval:\n%s\n%s\n%s", n+1, first, got, src)
			}
		}
	})
}
