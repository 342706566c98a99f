package lang

import "strings"

// This file checks a rule: its outputs, its conditions, and what it pays
// (给予, or its one amount, or 不给予资金).

func (c *checker) checkRule(i int, r *Rule) {
	c.validityBy(r.Validity)
	if r.Once {
		c.needLedger(r.Name.Pos, "一次性")
	}
	if r.Consecutive != nil {
		c.needLedger(r.Consecutive.Position(), "最多连续")
		c.constant = &constConsecutive
		c.wantNumeric(r.Consecutive, "“最多连续”的年数应为数值，这里是%[1]s", "the years of 最多连续 must be a number, not %[2]s")
		c.constant = nil
	}
	c.scope = c.prog.RuleScopes[i]
	defer func() { c.scope = nil }()
	c.allowed = func(s *Symbol) bool { return s.Kind != SymOutput || s.Rule == i }
	defer func() { c.allowed = nil }()
	if len(r.Outputs) == 0 {
		c.errorf(r.Name.Pos, "规则“%s”没有输出；请写出它给予什么，如：补助 = …", "rule %q has no output; say what it grants, e.g. 补助 = …", r.Name.Text)
	}
	isBool := func(e Expr, zh, en string) {
		if t := c.expr(e); t != Bool && t != Invalid {
			c.errorf(e.Position(), zh+"应为是否（真/假），实际是%[1]s", en+" must be true or false, not %[2]s", t, t.English())
		}
	}
	// in the order written: a condition or an exception sees the outputs above it
	for _, item := range r.Body {
		switch item.Kind {
		case BodyCond:
			isBool(r.Cond, "规则的条件", "the condition of a rule")
		case BodyException:
			x := r.Exceptions[item.Index]
			isBool(x.Cond, "“其中”的条件", "the condition after 其中")
			for _, a := range x.Assigns {
				target, ok := c.scope[a.Name.Key]
				if !ok {
					c.errorf(a.Name.Pos, "“其中”只能改写本规则前面已定义的输出，“%[1]s”不是", "其中 can only override an output defined above it; %[1]q is not one", a.Name.Text)
					c.expr(a.Value)
					continue
				}
				c.prog.Overrides[a] = target
				if t := c.expr(a.Value); !fits(t, target.Type) {
					c.errorf(a.Value.Position(), "“%[1]s”是%[2]s，这里给了%[3]s", "%[1]q is %[4]s, but this gives %[5]s", a.Name.Text, target.Type, t, target.Type.English(), t.English())
				}
			}
		case BodyOutput:
			o := r.Outputs[item.Index]
			t := c.expr(o.Value)
			if prev, ok := c.scope[o.Name.Key]; ok {
				c.errorf(o.Name.Pos, "规则“%s”的输出“%s”重复定义，首次定义在 %s", "rule %q defines %q twice; first at %s", r.Name.Text, o.Name.Text, prev.Name.Pos)
				continue
			}
			c.scope[o.Name.Key] = &Symbol{Kind: SymOutput, Name: o.Name, Type: t, Index: item.Index, Rule: i}
		}
	}
	c.resolvePays(i, r)
}

// resolvePays decides what rule i pays: the output written 给予, which must
// be an amount; else its only 金额 output; else nothing. A rule with two
// or more 金额 outputs and none written 给予 is an error: which of them is
// paid, and which are working values (门槛, 基数), the drafter must say.
func (c *checker) resolvePays(i int, r *Rule) {
	if r.NoFunds != nil {
		if r.Pays >= 0 {
			c.errorf(r.Outputs[r.Pays].Name.Pos, "规则“%[1]s”写了“不给予资金”，不能再“给予”金额", "rule %[1]q says \"不给予资金\" (nofunds); it cannot also pay an amount", r.Name.Text)
		}
		return
	}
	if r.Pays >= 0 {
		o := r.Outputs[r.Pays]
		if t := c.prog.Types[o.Value]; t != Money && t != Invalid {
			c.errorf(o.Name.Pos, "“给予”的应是金额，“%[1]s”是%[2]s", "what a rule pays must be an amount; %[1]q is %[3]s", o.Name.Text, t, t.English())
			return
		}
		c.prog.Pays[i] = r.Pays
		return
	}
	var money []int
	for k, o := range r.Outputs {
		if c.prog.Types[o.Value] == Money {
			money = append(money, k)
		}
	}
	switch len(money) {
	case 0:
	case 1:
		c.prog.Pays[i] = money[0]
	default:
		var names []string
		for _, k := range money {
			names = append(names, r.Outputs[k].Name.Text)
		}
		last := r.Outputs[money[len(money)-1]].Name.Text
		c.errorf(r.Name.Pos, "规则“%[1]s”有 %[2]d 个金额输出（%[3]s），不知给予的是哪一个：请在给予的金额前写“给予”，如“给予 %[4]s = …”；其余的是计算用的中间值，不会给予",
			"rule %[1]q has %[2]d amounts (%[5]s) and does not say which it pays: write pay before it, as in \"pay %[4]s = …\"; the others are working values, never paid",
			r.Name.Text, len(money), strings.Join(names, "、"), last, strings.Join(names, ", "))
	}
}
