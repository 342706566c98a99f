package lang

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// This file gives each expression its type: names, calls, tables (by
// category or range), lists, arithmetic and comparison.

// lookup finds what a name refers to.
func (c *checker) lookup(n Name) *Symbol {
	for i := len(c.fields) - 1; i >= 0; i-- {
		if s, ok := c.fields[i][n.Key]; ok {
			return s
		}
	}
	if s, ok := c.scope[n.Key]; ok {
		return s
	}
	if s, ok := c.prog.Symbols[n.Key]; ok && s.Kind != SymRule && s.Kind != SymGroup && s.Kind != SymPopulation {
		return s
	}
	return nil
}

func (c *checker) expr(e Expr) Type {
	t := c.expr1(e)
	c.prog.Types[e] = t
	return t
}

func (c *checker) expr1(e Expr) Type {
	switch e := e.(type) {
	case *NumberLit:
		return e.Type
	case *BoolLit:
		return Bool
	case *StringLit:
		return Text
	case *DateLit:
		return DateT
	case *SharesLit:
		return Shares
	case *AsOf:
		if k := c.constant; k != nil {
			c.errorf(e.Pos, "%[1]s在求值任何记录之前就已确定，不能用“评估日期”", "%[2]s is fixed before any record is evaluated; it cannot use 评估日期 (the evaluation date)", k.zh, k.en)
			return Invalid
		}
		return DateT
	case *Ref:
		return c.ref(e)
	case *Selector:
		if k := c.constant; k != nil {
			c.errorf(e.Pos, "%[1]s在求值任何记录之前就已确定，不能用规则“%[3]s”的结果", "%[2]s is fixed before any record is evaluated; it cannot use the result of rule %[3]q", k.zh, k.en, e.Rule.Text)
			return Invalid
		}
		return c.selector(e)
	case *Lookup:
		return c.lookupTable(e)
	case *Each:
		return c.each(e)
	case *ListLit:
		c.errorf(e.Pos, "列表只能写在测试数据中", "a list can be written out only in test data")
		return Invalid
	case *Call:
		return c.call(e)
	case *Unary:
		t := c.expr(e.X)
		switch {
		case t == Invalid:
			return Invalid
		case e.Op == OpNeg && t.IsNumeric():
			return t
		case e.Op == OpNot && t == Bool:
			return Bool
		case e.Op == OpNeg:
			c.errorf(e.Pos, "负号只能用于数值，这里是%[1]s", "minus needs a number, not %[2]s", t, t.English())
		default:
			c.errorf(e.Pos, "“非”只能用于是否（真/假），这里是%[1]s", "not needs true or false, not %[2]s", t, t.English())
		}
		return Invalid
	case *Binary:
		return c.binary(e)
	case *If:
		ct := c.expr(e.Cond)
		if ct != Bool && ct != Invalid {
			c.errorf(e.Cond.Position(), "“如果”后的条件应为是否（真/假），实际是%[1]s", "the condition after 如果 (if) must be true or false, not %[2]s", ct, ct.English())
		}
		a, b := c.expr(e.Then), c.expr(e.Else)
		switch {
		case a == Invalid || b == Invalid:
			return Invalid
		case a == b:
			return a
		case a.IsNumeric() && b.IsNumeric():
			return numericResult(OpAdd, a, b)
		}
		c.errorf(e.Else.Position(), "“那么”与“否则”两个分支的类型不同：%[1]s 与 %[2]s", "the two branches differ in type: %[3]s and %[4]s", a, b, a.English(), b.English())
		return Invalid
	}
	panic(fmt.Sprintf("lang: unexpected expression %T", e))
}

func (c *checker) ref(e *Ref) Type {
	s := c.lookup(e.Name)
	if s == nil {
		if _, ok := c.builtinByKey[e.Name.Key]; ok {
			c.errorf(e.Pos, "“%s”是函数，调用时要加括号，如 %s(…)", "%q is a function; call it with parentheses: %s(…)", e.Name.Text, e.Name.Text)
			return Invalid
		}
		if r, ok := c.prog.Symbols[e.Name.Key]; ok && r.Kind == SymRule {
			c.errorf(e.Pos, "“%[1]s”是规则的名称，不是数值；要用它的输出请写“%[1]s.输出名”", "%[1]q is a rule, not a value; write %[1]s.OUTPUT for one of its outputs", e.Name.Text)
			return Invalid
		}
		if hint := c.suggest(e.Name); hint != "" {
			c.errorf(e.Pos, "未定义的名称“%[1]s”；是否想写“%[2]s”？", "undefined name %[1]q; did you mean %[2]q?", e.Name.Text, hint)
		} else {
			c.errorf(e.Pos, "未定义的名称“%s”；请先用“输入”声明或给它赋值", "undefined name %q; declare it with 输入 (input) or assign it", e.Name.Text)
		}
		return Invalid
	}
	if k := c.constant; k != nil && s.Kind != SymParam {
		c.errorf(e.Pos, "%[1]s只能由常数和参数算出，不能用“%[3]s”", "%[2]s may use only constants and parameters, not %[3]q", k.zh, k.en, e.Name.Text)
		return Invalid
	}
	if k := c.constant; k != nil && c.dated[s.Name.Key] {
		c.errorf(e.Pos, "%[1]s在求值任何记录之前就已确定，不能用随日期变化的参数“%[3]s”", "%[2]s is fixed before any record is evaluated; it cannot use %[3]q, which changes by date", k.zh, k.en, e.Name.Text)
		return Invalid
	}
	if c.allowed != nil && !c.allowed(s) {
		c.errorf(e.Pos, "规则输出“%s”只能在它的规则内使用", "the rule output %q can be used only inside its rule", e.Name.Text)
		return Invalid
	}
	c.used[s] = true
	c.prog.Uses[e] = s
	return s.Type
}

func (c *checker) selector(e *Selector) Type {
	s, ok := c.prog.Symbols[e.Rule.Key]
	if !ok || s.Kind != SymRule {
		c.errorf(e.Pos, "没有名为“%s”的规则", "there is no rule named %q", e.Rule.Text)
		return Invalid
	}
	if e.IsApplies() {
		c.prog.Selected[e] = &Symbol{Kind: SymApplies, Name: e.Rule, Type: Bool, Rule: s.Rule}
		return Bool
	}
	out, ok := c.prog.RuleScopes[s.Rule][e.Field.Key]
	if !ok {
		c.errorf(e.Field.Pos, "规则“%[1]s”没有名为“%[2]s”的输出", "rule %[1]q has no output named %[2]q", e.Rule.Text, e.Field.Text)
		return Invalid
	}
	c.prog.Selected[e] = out
	return out.Type
}

// lookupTable checks 按 key 取 { k: v, … }: keys are constants of the key's
// type, written once each; values share a type.
func (c *checker) lookupTable(e *Lookup) Type {
	ranges := 0
	for _, en := range e.Entries {
		if en.Range != nil {
			ranges++
		}
	}
	if ranges > 0 || e.Brackets {
		return c.rangeTable(e, ranges)
	}
	kt := c.expr(e.Key)
	var vt Type
	seen := map[string]bool{}
	for i, en := range e.Entries {
		t := c.expr(en.Key)
		if !isConstant(en.Key) {
			c.errorf(en.Key.Position(), "表中的类别须为常数，如 \"国家级\" 或 1", "the categories of a table must be constants, such as \"国家级\" or 1")
		} else if !fits(t, kt) {
			c.errorf(en.Key.Position(), "类别的类型应为%[1]s，这里是%[2]s", "categories must be %[3]s, not %[4]s", kt, t, kt.English(), t.English())
		}
		text := string(c.prog.File.Src[en.Key.Span().Start:en.Key.Span().End])
		if seen[text] {
			c.errorf(en.Key.Position(), "类别 %[1]s 重复", "category %[1]s appears twice", text)
		}
		seen[text] = true
		v := c.expr(en.Value)
		var ok bool
		if vt, ok = c.tableValue(i, vt, v, en.Value); !ok {
			return Invalid
		}
	}
	if len(e.Entries) == 0 {
		c.errorf(e.Pos, "表是空的", "the table is empty")
		return Invalid
	}
	return vt
}

// tableValue is the type of a table's values after row i, whose value
// (x) has type v: numbers of several kinds combine as a sum does; any
// other difference is reported, and not ok.
func (c *checker) tableValue(i int, vt, v Type, x Expr) (Type, bool) {
	switch {
	case i == 0 || vt == Invalid:
		return v, true
	case v == Invalid:
		return vt, true
	case v.IsNumeric() && vt.IsNumeric():
		return numericResult(OpAdd, vt, v), true
	case v != vt:
		c.errorf(x.Position(), "表中各项的值类型不同：%[1]s 与 %[2]s", "the values of a table differ in type: %[3]s and %[4]s", vt, v, vt.English(), v.English())
		return Invalid, false
	}
	return vt, true
}

// rangeTable checks a table by ranges (按 研发费用 取 { 1000万元以上：20万元 })
// or brackets (按 研发费用 分段 { 1000万元以下部分：5% }): the key is a
// number, every row a range whose bounds are constants of the key's type;
// a bracket's values are rates, and it gives the key's type.
func (c *checker) rangeTable(e *Lookup, ranges int) Type {
	kt := c.expr(e.Key)
	if kt != Invalid && !kt.IsNumeric() {
		c.errorf(e.Key.Position(), "按范围分档，“按”后应为数值，这里是%[1]s", "tiers by range need a number after 按, not %[2]s", kt, kt.English())
		kt = Invalid
	}
	if ranges != len(e.Entries) || ranges == 0 {
		c.errorf(e.Pos, "表中或都写范围（如“1000万元以上”），或都写类别（如“国家级”），不能混写", "a table's rows are all ranges (1000万元以上) or all categories (国家级), not both")
		return Invalid
	}
	var vt Type
	for i, en := range e.Entries {
		c.constant = &constBound
		for _, b := range []Expr{en.Range.Lo, en.Range.Hi} {
			if b == nil {
				continue
			}
			if t := c.expr(b); t != Invalid && kt != Invalid && t != kt && !(t == Num && kt == Money) {
				c.errorf(b.Position(), "界限的类型应为%[1]s，这里是%[2]s", "a bound must be %[3]s, not %[4]s", kt, t, kt.English(), t.English())
			}
		}
		c.constant = nil
		v := c.expr(en.Value)
		if e.Brackets && v != Invalid && v != Ratio && v != Num {
			c.errorf(en.Value.Position(), "分段累进的各段应写比例，如“5%%”，这里是%[1]s", "each bracket's value must be a rate such as 5%%, not %[2]s", v, v.English())
			continue
		}
		var ok bool
		if vt, ok = c.tableValue(i, vt, v, en.Value); !ok {
			return Invalid
		}
	}
	if kt == Invalid || vt == Invalid {
		return Invalid
	}
	if e.Brackets {
		return kt // the parts of the key, each by its rate
	}
	return vt
}

// each checks 对每个 list 如果 where：value; inside, the fields of the list's
// records are names.
func (c *checker) each(e *Each) Type {
	lt := c.expr(e.List)
	if lt == Invalid {
		return Invalid
	}
	if lt.Rec == nil {
		c.errorf(e.List.Pos, "“%[1]s”不是记录的列表；“对每个”后应为列表输入的名称", "%[1]q is not a list of records; 对每个 takes the name of a list input", e.List.Name.Text)
		return Invalid
	}
	s := c.prog.Uses[e.List]
	scope := map[string]*Symbol{}
	for i, f := range s.Type.Rec.Fields {
		scope[f.Name.Key] = &Symbol{Kind: SymField, Name: f.Name, Type: f.Type, Index: i, Rule: len(c.fields)}
	}
	c.fields = append(c.fields, scope)
	defer func() { c.fields = c.fields[:len(c.fields)-1] }()
	if e.Where != nil {
		if t := c.expr(e.Where); t != Bool && t != Invalid {
			c.errorf(e.Where.Position(), "“对每个 … 如果”后的条件应为是否，实际是%[1]s", "the condition after 对每个 … 如果 must be true or false, not %[2]s", t, t.English())
		}
	}
	t := c.expr(e.Value)
	switch t.Kind {
	case KindInvalid:
		return Invalid
	case KindList, KindRecord, KindShares, KindNA:
		c.errorf(e.Value.Position(), "“对每个”的每一项应为一个值，这里是%[1]s", "each item of 对每个 must be a single value, not %[2]s", t, t.English())
		return Invalid
	}
	return ListOf(t)
}

// listLiteral checks records written out for a list input of type want.
func (c *checker) listLiteral(e *ListLit, want Type, what string) {
	for i, r := range e.Items {
		seen := map[string]bool{}
		for _, f := range r.Fields {
			j := want.Rec.FieldIndex(f.Name.Key)
			if j < 0 {
				c.errorf(f.Name.Pos, "“%[1]s”的记录没有“%[2]s”这一项", "the records of %[1]q have no field %[2]q", what, f.Name.Text)
				continue
			}
			seen[f.Name.Key] = true
			ft := want.Rec.Fields[j].Type
			if !isConstant(f.Value) {
				c.errorf(f.Value.Position(), "测试数据中的值须为常数", "values in test data must be constants")
			} else if t := c.expr(f.Value); !fits(t, ft) {
				c.errorf(f.Value.Position(), "“%[1]s”是%[2]s，这里给了%[3]s", "%[1]q is %[4]s, but this gives %[5]s", f.Name.Text, ft, t, ft.English(), t.English())
			}
		}
		for _, fd := range want.Rec.Fields {
			if !seen[fd.Name.Key] {
				c.errorf(r.Pos, "“%[1]s”第 %[2]d 条记录缺少“%[3]s”", "record %[2]d of %[1]q lacks %[3]q", what, i+1, fd.Name.Text)
			}
		}
	}
}

// isConstant reports whether e is a literal, possibly negated.
func isConstant(e Expr) bool {
	switch e := e.(type) {
	case *NumberLit, *StringLit, *BoolLit, *DateLit:
		return true
	case *Unary:
		return e.Op == OpNeg && isConstant(e.X)
	}
	return false
}

// suggest returns the visible name closest to n, if one is close enough.
func (c *checker) suggest(n Name) string {
	best, bestDist := "", 1<<30
	try := func(key, text string) {
		d := editDistance([]rune(n.Key), []rune(key))
		limit := max(1, len([]rune(n.Key))/3)
		if d <= limit && d < bestDist {
			best, bestDist = text, d
		}
	}
	for k, s := range c.scope {
		try(k, s.Name.Text)
	}
	for k, s := range c.prog.Symbols {
		if s.Kind != SymRule {
			try(k, s.Name.Text)
		}
	}
	for i, b := range c.prog.Builtins {
		_ = i
		for _, name := range b.Names {
			try(strings.Map(fold, name), name)
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost one.
func editDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func (c *checker) call(e *Call) Type {
	var args []Type
	bad := false
	for _, a := range e.Args {
		t := c.expr(a)
		bad = bad || t == Invalid
		args = append(args, t)
	}
	i, ok := c.builtinByKey[e.Fn.Key]
	if !ok {
		if hint := c.suggest(e.Fn); hint != "" {
			c.errorf(e.Pos, "未知的函数“%[1]s”；是否想写“%[2]s”？", "unknown function %[1]q; did you mean %[2]q?", e.Fn.Text, hint)
		} else {
			c.errorf(e.Pos, "未知的函数“%s”", "unknown function %q", e.Fn.Text)
		}
		return Invalid
	}
	b := c.prog.Builtins[i]
	c.prog.Calls[e] = i
	if len(args) < b.MinArgs || (b.MaxArgs >= 0 && len(args) > b.MaxArgs) {
		want := fmt.Sprint(b.MinArgs)
		switch {
		case b.MaxArgs < 0:
			want = fmt.Sprintf("至少 %d", b.MinArgs)
		case b.MaxArgs != b.MinArgs:
			want = fmt.Sprintf("%d 到 %d", b.MinArgs, b.MaxArgs)
		}
		wantEn := strings.NewReplacer("至少", "at least", "到", "to").Replace(want)
		c.errorf(e.Pos, "函数“%[1]s”需要 %[2]s 个参数，这里给了 %[3]d 个", "function %[1]q takes %[4]s arguments, got %[3]d", e.Fn.Text, want, len(args), wantEn)
		return Invalid
	}
	if bad {
		return Invalid
	}
	t, aerr := b.Result(args)
	if aerr != nil {
		pos := e.Pos
		if aerr.Arg >= 0 && aerr.Arg < len(e.Args) {
			pos = e.Args[aerr.Arg].Position()
		}
		c.errs = append(c.errs, &Error{Pos: pos, Zh: fmt.Sprintf("函数“%s”：%s", e.Fn.Text, aerr.Zh), En: fmt.Sprintf("function %q: %s", e.Fn.Text, aerr.En)})
		return Invalid
	}
	return t
}

var opNames = map[BinOp][2]string{
	OpAdd: {"相加", "add"}, OpSub: {"相减", "subtract"}, OpMul: {"相乘", "multiply"}, OpDiv: {"相除", "divide"},
	OpCap: {"取最高限额", "cap"}, OpFloor: {"取最低限额", "floor"},
}

func (c *checker) binary(e *Binary) Type {
	a, b := c.expr(e.X), c.expr(e.Y)
	if a == Invalid || b == Invalid {
		return Invalid
	}
	switch {
	case e.Op == OpAnd || e.Op == OpOr:
		for _, side := range []struct {
			t Type
			x Expr
		}{{a, e.X}, {b, e.Y}} {
			if side.t != Bool {
				c.errorf(side.x.Position(), "“%[1]s”两边应为是否（真/假），这里是%[2]s", "both sides of %[1]q must be true or false; this is %[3]s", e.Word, side.t, side.t.English())
				return Invalid
			}
		}
		return Bool
	case e.Op.IsComparison():
		ok := (a.IsNumeric() && b.IsNumeric()) || (a == b && (a == DateT || ((a == Text || a == Bool || a == Shares) && (e.Op == OpEq || e.Op == OpNe))))
		if !ok {
			c.errorf(e.Pos, "无法用“%[1]s”比较%[2]s与%[3]s", "cannot compare %[4]s with %[5]s using %[1]q", e.Word, a, b, a.English(), b.English())
			return Invalid
		}
		c.warnBareRatio(e.X, b)
		c.warnBareRatio(e.Y, a)
		return Bool
	}
	if !a.IsNumeric() || !b.IsNumeric() {
		names := opNames[e.Op]
		c.errorf(e.Pos, "无法将%[1]s与%[2]s%[3]s（“%[4]s”）", "cannot %[5]s %[6]s and %[7]s (%[4]q)", a, b, names[0], e.Word, names[1], a.English(), b.English())
		return Invalid
	}
	if (e.Op == OpAdd || e.Op == OpSub) && (a == Money) != (b == Money) {
		// 研发费用 + 员工人数: an amount and a count, or a ratio, do not add
		other, x := b, e.Y
		if b == Money {
			other, x = a, e.X
		}
		names := opNames[e.Op]
		hint, hintEn := "", ""
		if lit, ok := x.(*NumberLit); ok {
			hint, hintEn = fmt.Sprintf("；若是金额，请写“%s元”", lit.Value), fmt.Sprintf("; if it is an amount, write \"%s元\"", lit.Value)
		}
		c.errorf(e.Pos, "无法将金额与%[1]s%[2]s（“%[3]s”）：金额只能与金额相加减%[4]s", "cannot %[5]s an amount and %[6]s (%[3]q): amounts add only to amounts%[7]s",
			other, names[0], e.Word, hint, names[1], other.English(), hintEn)
		return Invalid
	}
	return numericResult(e.Op, a, b)
}

// warnBareRatio warns when x, compared with a 比例, is a bare number of 1
// or more: 占比 超过 3.5 compares with 350%, most likely meant as 3.5%.
func (c *checker) warnBareRatio(x Expr, other Type) {
	lit, ok := x.(*NumberLit)
	if !ok || other != Ratio || c.prog.Types[x] != Num || lit.Value.Abs().LessThan(decimal.New(1, 0)) {
		return
	}
	c.prog.Warnings = append(c.prog.Warnings, &Error{Pos: x.Position(), Warning: true,
		Zh: fmt.Sprintf("比例与 %[1]s 比较：%[1]s 即 %[2]s%%；若是百分数，请写“%[1]s%%”", lit.Value.String(), lit.Value.Shift(2).String()),
		En: fmt.Sprintf("a ratio compared with %[1]s: %[1]s is %[2]s%%; if a percentage is meant, write %[1]s%%", lit.Value.String(), lit.Value.Shift(2).String())})
}

// Inspect calls f for e and every expression inside it, parents first.
func Inspect(e Expr, f func(Expr)) {
	f(e)
	switch e := e.(type) {
	case *Call:
		for _, a := range e.Args {
			Inspect(a, f)
		}
	case *Unary:
		Inspect(e.X, f)
	case *Binary:
		Inspect(e.X, f)
		Inspect(e.Y, f)
	case *If:
		Inspect(e.Cond, f)
		Inspect(e.Then, f)
		Inspect(e.Else, f)
	case *Lookup:
		Inspect(e.Key, f)
		for _, en := range e.Entries {
			if en.Range != nil {
				for _, b := range []Expr{en.Range.Lo, en.Range.Hi} {
					if b != nil {
						Inspect(b, f)
					}
				}
			} else {
				Inspect(en.Key, f)
			}
			Inspect(en.Value, f)
		}
	case *Each:
		Inspect(e.List, f)
		if e.Where != nil {
			Inspect(e.Where, f)
		}
		Inspect(e.Value, f)
	}
}

// InspectAll calls Inspect with f on every expression the program
// evaluates for a record: the parameters (each period's value), the
// definitions, the rules' conditions, outputs and exceptions, and the
// conditions of the cases it excludes.
func (p *Program) InspectAll(f func(Expr)) {
	visit := func(e Expr) {
		if e != nil {
			Inspect(e, f)
		}
	}
	for _, par := range p.Params {
		visit(par.Value)
		for _, per := range par.Periods {
			visit(per.Value)
		}
	}
	for _, d := range p.Defs {
		visit(d.Value)
	}
	for _, r := range p.Rules {
		visit(r.Cond)
		for _, o := range r.Outputs {
			visit(o.Value)
		}
		for _, ex := range r.Exceptions {
			visit(ex.Cond)
			for _, a := range ex.Assigns {
				visit(a.Value)
			}
		}
	}
	for _, d := range p.Denies {
		visit(d.Cond)
	}
}

// wantNumeric checks e and reports it at its position when it is not a
// number; zh and en say so, with the type as %[1]s and %[2]s.
func (c *checker) wantNumeric(e Expr, zh, en string) {
	if t := c.expr(e); t != Invalid && !t.IsNumeric() {
		c.errorf(e.Position(), zh, en, t, t.English())
	}
}
