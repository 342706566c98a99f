package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// This file writes explanations for people: each record's date, its
// definitions and rules with what they read and the steps that decided
// them, the caps and what was paid.

// writeExplanations prints, for each row, each definition and rule with how
// it reached its value, or why it does not apply.
func (c *cli) writeExplanations(results []rowResult, isArray bool) {
	for n, r := range results {
		if n > 0 {
			fmt.Fprintln(c.stdout)
		}
		label := r.row.LabelIn(isArray, c.loc == lang.English)
		if r.id != "" {
			label += c.say("（"+r.id+"）", " ("+r.id+")")
		}
		fmt.Fprintln(c.stdout, label)
		if r.res == nil {
			fmt.Fprintf(c.stdout, "  %s%s\n", c.say("错误：", "error: "), c.message(r.err))
			continue
		}
		if r.err != nil { // partial data: what reads a missing or bad field is 数据不足
			label := c.say("数据有误：", "data errors: ")
			if de := (*zhengce.DataError)(nil); errors.As(r.err, &de) && de.Incomplete() {
				label = c.say("数据不全：", "incomplete data: ")
			}
			fmt.Fprintf(c.stdout, "  %s%s\n", label, c.message(r.err))
		}
		fmt.Fprintf(c.stdout, "  %s%s\n", c.say("评估日期：", "evaluated as of "), c.date(r.res.AsOf))
		for _, d := range r.res.Denials {
			fmt.Fprintf(c.stdout, "  %s%s\n", d.Reason.Message(c.loc), c.say("：以下规则均不适用——", ": so none of these rules applies: ")+strings.Join(d.Rules, c.say("、", ", ")))
		}
		for _, d := range r.res.Defs {
			fmt.Fprintf(c.stdout, "  %s = %s\n", d.Name, c.human(d.Value))
			if e, ok := r.res.DefSteps[d.Name]; ok {
				c.writeSteps(&e, "    ")
			}
		}
		var lacking []string // the rules 数据不足, said together
		for i := range r.res.Rules {
			rr := &r.res.Rules[i]
			if why := rr.Reason(); !rr.Applies && why != nil && why.Kind == zhengce.ReasonData && r.err != nil {
				lacking = append(lacking, rr.Name)
				continue
			}
			cite := ""
			if len(rr.Cites) > 0 {
				cite = c.say("（依据：", "(source: ") + strings.Join(rr.Cites, " ") + c.say("）", ")")
			}
			fmt.Fprintf(c.stdout, c.say("  【%s】%s\n", "  [%s] %s\n"), rr.Name, cite)
			if !rr.Applies {
				fmt.Fprintf(c.stdout, "    %s%s\n", c.say("不适用：", "does not apply: "), rr.Reason().Message(c.loc))
			} else {
				var outs []string
				for _, o := range rr.Outputs {
					outs = append(outs, o.Name+" = "+c.human(o.Value))
				}
				fmt.Fprintf(c.stdout, "    %s%s\n", c.say("适用：", "applies: "), strings.Join(outs, c.say("，", ", ")))
			}
			c.writeSteps(rr.Explanation, "    ")
			for _, x := range rr.Exceptions {
				fmt.Fprintf(c.stdout, "    %s%s\n", c.say("按其中：", "exception: "), x)
			}
			for _, note := range rr.Notes {
				fmt.Fprintf(c.stdout, "    %s\n", note.Text(c.loc))
			}
		}
		if len(lacking) > 0 {
			fmt.Fprintf(c.stdout, c.say("  数据不足（读取的输入缺少）的规则：%s\n", "  rules with insufficient data (an input they read is missing): %s\n"), strings.Join(lacking, c.say("、", ", ")))
		}
		for _, l := range r.res.Limits {
			before := ""
			if l.Most.IsValid() {
				before = fmt.Sprintf(c.say("最高 %s，台账中已兑现 %s，", "at most %s, the ledger shows %s paid before, "), c.human(l.Most), c.human(l.Before))
			}
			fmt.Fprintf(c.stdout, c.say("  【上限 %s】%s额度 %s，各规则合计 %s，给予 %s\n", "  [cap %s] %slimit %s, the rules ask %s in all, paid %s\n"), l.Name, before, c.human(l.Limit), c.human(l.Asked), c.human(l.Paid))
		}
		if r.res.Total().Decimal().IsZero() && !pays(r.res) {
			continue
		}
		fmt.Fprintf(c.stdout, c.say("  给予合计：%s\n", "  paid in all: %s\n"), c.human(r.res.Total()))
	}
}

// pays reports whether any rule of the result's policy pays money.
func pays(res *zhengce.Result) bool {
	for i := range res.Rules {
		if res.Rules[i].PaidOutput() != "" {
			return true
		}
	}
	return false
}

func (c *cli) writeSteps(e *zhengce.Explanation, indent string) {
	if e == nil {
		return
	}
	for _, group := range []struct {
		zh, en string
		outs   []zhengce.Output
	}{{"读入：", "read: ", e.Inputs}, {"参数：", "parameters: ", e.Params}, {"用到：", "uses: ", e.Defs}} {
		if len(group.outs) == 0 {
			continue
		}
		var parts []string
		for _, o := range group.outs {
			parts = append(parts, o.Name+" = "+c.human(o.Value))
		}
		fmt.Fprintf(c.stdout, "%s%s%s\n", indent, c.say(group.zh, group.en), strings.Join(parts, c.say("，", ", ")))
	}
	for _, s := range e.Steps {
		fmt.Fprintf(c.stdout, "%s%s\n", indent, s.Text(c.loc))
	}
}
