package lang

import (
	"fmt"
	"slices"
)

// This file checks what settles what rules pay: 就高不重复 groups, caps,
// exclusions, budgets and quotas, and the order they settle in.

// namedRules resolves the rules a statement names, reporting names that
// are not rules.
func (c *checker) namedRules(names []Name) []int {
	var idx []int
	for _, n := range names {
		s, ok := c.prog.Symbols[n.Key]
		if !ok || s.Kind != SymRule {
			c.errorf(n.Pos, "没有名为“%[1]s”的规则", "there is no rule named %[1]q", n.Text)
			continue
		}
		idx = append(idx, s.Rule)
	}
	return idx
}

// ledger finds the 台账 input: one at most.
func (c *checker) ledger() int {
	found := -1
	for i, in := range c.prog.Inputs {
		if in.Type.Rec == LedgerRecord {
			if found >= 0 {
				c.errorf(in.Name.Pos, "政策只能有一个台账输入，已有“%[1]s”", "a policy has one 台账 (ledger) input at most; %[1]q is one", c.prog.Inputs[found].Name.Text)
				continue
			}
			found = i
			c.used[c.prog.Symbols[in.Name.Key]] = true // read by the words that use it
		}
	}
	return found
}

// needLedger reports a word that reads the 台账 in a policy without one.
func (c *checker) needLedger(pos Pos, word string) {
	if c.prog.Ledger < 0 {
		c.errorf(pos, "“%[1]s”要看企业以往的兑现：请声明一个台账输入，如“输入 已兑现：台账”（每项：年度、事项、兑现额）",
			"%[1]s reads what the enterprise was paid before: declare a 台账 (ledger) input, such as 输入 已兑现：台账 (each item: 年度, 事项, 兑现额)", word)
	}
}

// checkLimit checks cap i: its rules must pay money (when it names none, it
// takes every rule that pays), and its 额度 is an amount.
func (c *checker) checkLimit(i int, l *Limit) {
	p := c.prog
	if len(l.Rules) == 0 {
		var paying []int
		for _, r := range p.LimitRules[i] {
			if p.Pays[r] >= 0 {
				paying = append(paying, r)
			}
		}
		p.LimitRules[i] = paying
	}
	for k, r := range p.LimitRules[i] {
		if p.Pays[r] < 0 {
			c.errorf(l.Rules[k].Pos, "上限限制的是给予的金额，规则“%[1]s”没有给予金额", "a cap limits amounts paid; rule %[1]q pays no money", p.Rules[r].Name.Text)
		}
	}
	if l.Amount != nil {
		c.wantNumeric(l.Amount, "上限的额度应为金额，这里是%[1]s", "the limit of a cap must be an amount, not %[2]s")
	}
	if l.Scope != "" {
		c.needLedger(l.Name.Pos, l.Scope+"最高")
	}
}

// settleStages orders the statements that settle what rules pay, by key:
// a cap on one rule is part of that rule's amount, so it comes first (1);
// then the 就高不重复 groups, which compare what rules pay (2); then the
// caps on several rules, a cap whose rules hold all of another's after
// that other (3 and on: 3 plus the number of caps nested in it).
func settleStages(p *Program) map[string]int {
	stage := map[string]int{}
	for _, g := range p.Groups {
		stage[g.Name.Key] = GroupStage
	}
	for i, l := range p.Limits {
		stage[l.Name.Key] = p.LimitStage(i)
	}
	return stage
}

// GroupStage is the settling stage of every 就高不重复 group: after the caps
// on one rule, before the caps on several (see LimitStage).
const GroupStage = 2

// LimitStage is the settling stage of cap i: 1 for a cap on one rule, which
// settles before the groups; 3 and on for a cap on several, 3 plus the
// number of caps on several whose rules it holds all of. Statements settle
// in stage order; of one stage, in the order written.
func (p *Program) LimitStage(i int) int {
	rules := p.LimitRules[i]
	if len(rules) == 1 {
		return 1
	}
	nested := 0
	for j, other := range p.LimitRules {
		if j != i && len(other) > 1 && len(other) < len(rules) && containsAll(rules, other) {
			nested++
		}
	}
	return GroupStage + 1 + nested
}

// containsAll reports whether every element of sub is in set.
func containsAll(set, sub []int) bool {
	for _, x := range sub {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

// waitsFor reports whether the declaration key, which uses a rule that
// settler settles, must come after settler: a settler waits only for those
// of an earlier stage (a cap for a group), anything else for those that do
// not settle it too (a rule of a group does not wait for its own group).
func (c *checker) waitsFor(key, settler string) bool {
	if settler == key {
		return false
	}
	if own := c.stage[key]; own > 0 {
		return c.stage[settler] < own
	}
	for _, s := range c.settlers[key] {
		if s == settler {
			return false
		}
	}
	return true
}

// ruleIndexes resolves the rules a budget or quota names.
func (c *checker) ruleIndexes(names []Name, owner Name) []int {
	idx := c.namedRules(names)
	if len(names) == 0 {
		c.errorf(owner.Pos, "“%[1]s”没有列出规则；请写“规则 规则名”", "%[1]q names no rules; write 规则 followed by rule names", owner.Text)
	}
	return idx
}

// checkPopulation checks the budgets and quotas, and that nothing else uses
// the outputs of their rules, which change after each record is evaluated.
func (c *checker) checkPopulation() {
	p := c.prog
	owner := map[int]string{} // rule index → budget or quota name
	claim := func(rules []int, name Name) {
		for _, r := range rules {
			if prev, ok := owner[r]; ok {
				c.errorf(name.Pos, "规则“%[1]s”已属于“%[2]s”；一条规则只能属于一个预算或评选", "rule %[1]q already belongs to %[2]q; a rule takes part in one budget or selection at most", p.Rules[r].Name.Text, prev)
			}
			owner[r] = name.Text
		}
	}
	for _, b := range p.Budgets {
		rules := c.ruleIndexes(b.Rules, b.Name)
		for _, r := range rules {
			if p.Pays[r] < 0 {
				c.errorf(b.Name.Pos, "预算要分配金额，规则“%[1]s”没有给予金额", "a budget shares amounts; rule %[1]q pays no money", p.Rules[r].Name.Text)
			}
		}
		claim(rules, b.Name)
		p.BudgetRules = append(p.BudgetRules, rules)
		if b.Total == nil {
			c.errorf(b.Name.Pos, "预算“%[1]s”缺少“总额 = …”", "budget %[1]q lacks 总额 = …", b.Name.Text)
			continue
		}
		c.constant = &constTotal
		c.wantNumeric(b.Total, "预算总额应为金额，这里是%[1]s", "a budget's total must be an amount, not %[2]s")
		c.constant = nil
	}
	for _, q := range p.Quotas {
		rules := c.ruleIndexes(q.Rules, q.Name)
		claim(rules, q.Name)
		p.QuotaRules = append(p.QuotaRules, rules)
		if q.Count == nil || q.Rank == nil {
			c.errorf(q.Name.Pos, "评选“%[1]s”须写明“名额 = …”与“排序 …”", "selection %[1]q needs 名额 = … and 排序 …", q.Name.Text)
			continue
		}
		c.constant = &constQuota
		c.wantNumeric(q.Count, "名额应为数值，这里是%[1]s", "a quota must be a number, not %[2]s")
		c.constant = nil
		for _, r := range q.Ranks {
			c.wantNumeric(r, "排序应为数值（大者在前），这里是%[1]s", "the ranking must be a number (higher first), not %[2]s")
		}
		if !q.FirstCome {
			c.prog.Warnings = append(c.prog.Warnings, &Error{Pos: q.Name.Pos, Warning: true,
				Zh: fmt.Sprintf("评选“%s”没有写明同分时谁先：原文另有规定的，在“排序”后写出下一个比较的值；按申报的先后的，写“先到先得”", q.Name.Text),
				En: fmt.Sprintf("selection %q does not say who goes first on a tie: where the text says, write the next value to compare after 排序 (rank); where it is first come, write 先到先得 (firstcome)", q.Name.Text)})
		}
	}
	if len(owner) == 0 {
		return
	}
	// a quota decides over all records whether its rules apply; a group
	// or a cap decides per record, and cannot wait for it
	for _, set := range []struct {
		rules [][]int
		names func(int) Name
	}{{p.GroupRules, func(i int) Name { return p.Groups[i].Name }}, {p.LimitRules, func(i int) Name { return p.Limits[i].Name }}} {
		for i, rules := range set.rules {
			for _, r := range rules {
				for _, q := range p.Quotas {
					if owner[r] == q.Name.Text {
						c.errorf(set.names(i).Pos, "规则“%[1]s”属于评选“%[2]s”，是否适用要在全体数据上才能确定；“%[3]s”在每条记录上就要确定，不能包含它",
							"rule %[1]q belongs to the selection %[2]q, which decides over all records whether it applies; %[3]q decides per record and cannot include it",
							p.Rules[r].Name.Text, q.Name.Text, set.names(i).Text)
					}
				}
			}
		}
	}
	// whatever is evaluated per record must not use these rules' outputs
	for _, st := range p.Order {
		var exprs []Expr
		switch st := st.(type) {
		case *Assign:
			exprs = []Expr{st.Value}
		case *Rule:
			if st.Cond != nil {
				exprs = append(exprs, st.Cond)
			}
			for _, o := range st.Outputs {
				exprs = append(exprs, o.Value)
			}
		case *Limit:
			if st.Amount != nil {
				exprs = append(exprs, st.Amount)
			}
		case *Deny:
			if st.Cond != nil {
				exprs = append(exprs, st.Cond)
			}
		}
		for _, e := range exprs {
			Inspect(e, func(e Expr) {
				if sel, ok := e.(*Selector); ok {
					if s := p.Symbols[sel.Rule.Key]; s != nil && s.Kind == SymRule {
						if name, ok := owner[s.Rule]; ok {
							c.errorf(sel.Pos, "规则“%[1]s”属于“%[2]s”，其结果要在全体数据求值后才确定，这里不能引用", "rule %[1]q belongs to %[2]q, whose results are settled only after all records; it cannot be used here", sel.Rule.Text, name)
						}
					}
				}
			})
		}
	}
}
