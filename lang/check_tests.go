package lang

// This file checks the test cases written in a policy (测试 … 结束).

// checkTest checks a test case: its data names inputs and its values are
// constants of the inputs' types; each expectation names a rule, a rule's
// output or a definition.
func (c *checker) checkTest(t *Test) {
	constant := func(e Expr, want Type, what string) {
		if l, ok := e.(*ListLit); ok && want.Rec != nil {
			c.listLiteral(l, want, what)
			c.prog.Types[e] = want
			return
		}
		if !isConstant(e) {
			c.errorf(e.Position(), "测试中“%[1]s”的值须为常数", "the value of %[1]q in a test must be a constant", what)
			return
		}
		got := c.expr(e)
		if !fits(got, want) {
			c.errorf(e.Position(), "“%[1]s”是%[2]s，这里给了%[3]s", "%[1]q is %[4]s, but the test gives %[5]s", what, want, got, want.English(), got.English())
		}
	}
	for _, g := range t.Given {
		s, ok := c.prog.Symbols[g.Name.Key]
		if !ok || s.Kind != SymInput {
			c.errorf(g.Name.Pos, "测试数据中的“%[1]s”不是输入", "%[1]q in the test data is not an input", g.Name.Text)
			continue
		}
		constant(g.Value, s.Type, g.Name.Text)
	}
	for _, x := range t.Expects {
		if x.Total {
			if x.Value == nil || x.Field != nil {
				c.errorf(x.Pos, "“给予合计”要写成“期望 给予合计 = 金额”", "write the total paid as 期望 给予合计 = AMOUNT (expect totalpaid = AMOUNT)")
			} else {
				constant(x.Value, Money, "给予合计")
			}
			continue
		}
		s, ok := c.prog.Symbols[x.Name.Key]
		switch {
		case !ok || (s.Kind != SymRule && s.Kind != SymDef):
			c.errorf(x.Name.Pos, "没有名为“%[1]s”的规则或定义", "there is no rule or definition named %[1]q", x.Name.Text)
		case s.Kind == SymDef && x.Field != nil:
			c.errorf(x.Field.Pos, "“%[1]s”是定义，没有输出", "%[1]q is a definition; it has no outputs", x.Name.Text)
		case s.Kind == SymDef && x.Value != nil:
			constant(x.Value, s.Type, x.Name.Text)
		case s.Kind == SymRule && x.Field != nil:
			out, ok := c.prog.RuleScopes[s.Rule][x.Field.Key]
			if !ok {
				c.errorf(x.Field.Pos, "规则“%[1]s”没有名为“%[2]s”的输出", "rule %[1]q has no output named %[2]q", x.Name.Text, x.Field.Text)
			} else if x.Value != nil {
				constant(x.Value, out.Type, x.Name.Text+"."+x.Field.Text)
			}
		case s.Kind == SymRule && x.Value != nil:
			c.errorf(x.Pos, "请写出规则“%[1]s”的哪一个输出，如 %[1]s.补助", "say which output of rule %[1]q, e.g. %[1]s.补助", x.Name.Text)
		}
	}
}
