package interp

import (
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file words a condition that fails: which condition, the values it
// read, and how far it is from holding (the gap, as words and as data).

// check evaluates one condition; when it fails, it writes the reason into
// into and returns it. The gap is worded only for near misses and
// explanations (EvalWith with AllConditions or Explain).
func (p *Program) check(f *frame, c *conjunct, into *Reason) (*Reason, error) {
	if !c.isCompared {
		v, ok := c.holds.eval(f)
		if ok && v {
			return nil, nil
		}
		if err := f.err; err != nil {
			f.err = nil
			return nil, err
		}
		if ok {
			c.wordFalse(into)
			return into, nil
		}
		*into = Reason{Pos: c.expr.Position(), Condition: c.text, Values: into.Values[:0], Note: f.na.Why()}
		return into, nil
	}
	if c.test != nil {
		// numbers: no Value is made unless the condition fails
		m := &f.scratch // not on the stack: a testFn's argument escapes
		if c.test(f, m) {
			return nil, nil
		}
		if m.ok {
			x, y := m.sides()
			c.word(into, x.value(c.xKind), y.value(c.yKind), f.allCond || f.trace != nil)
			return into, nil
		}
	}
	return p.failedOnNA(f, c, into)
}

// failedOnNA says why comparison c did not hold when a side gave no number
// (an error, or 不适用), or when it does not compare numbers: the sides are
// evaluated again as Values to see which.
func (p *Program) failedOnNA(f *frame, c *conjunct, into *Reason) (*Reason, error) {
	if err := f.err; err != nil {
		f.err = nil
		return nil, err
	}
	a, b, err := c.sides(f)
	if err != nil {
		return nil, err
	}
	if !a.IsNA() && !b.IsNA() && c.compare(a, b) {
		return nil, nil
	}
	c.word(into, a, b, f.allCond || f.trace != nil)
	return into, nil
}

// wordFalse writes into why condition c, not a comparison, failed: it was
// false.
func (c *conjunct) wordFalse(into *Reason) {
	*into = Reason{Pos: c.expr.Position(), Condition: c.text, Values: into.Values[:0]}
	switch e := c.expr.(type) {
	case *lang.Ref:
		into.Values = append(into.Values, Output{Name: e.Name.Text, Value: Bool(false)})
	case *lang.Unary: // 非 已获财政资助 fails when it is 是: say so
		if ref, isRef := e.X.(*lang.Ref); isRef && e.Op == lang.OpNot {
			into.Values = append(into.Values, Output{Name: ref.Name.Text, Value: Bool(true)})
		}
	}
}

// word writes into why comparison c failed with sides a and b, and how far
// it is from holding when withGap.
func (c *conjunct) word(into *Reason, a, b Value, withGap bool) {
	*into = Reason{Pos: c.expr.Position(), Condition: c.text, Values: into.Values[:0]}
	if !a.IsNA() && !b.IsNA() && withGap {
		into.Gap = gap(c.op, a, b)
		into.Shortfall = c.shortfall(a, b)
	}
	if a.IsNA() {
		into.Note = a.Why()
	}
	if b.IsNA() {
		into.Note = b.Why()
	}
	c.values(into, a, b)
}

// values appends to into the sides a and b of comparison c that are named
// values (not literals, not 不适用), as the condition read them.
func (c *conjunct) values(into *Reason, a, b Value) {
	if !a.IsNA() && !isLiteral(c.xExpr) {
		into.Values = append(into.Values, Output{Name: c.xText, Value: a})
	}
	if !b.IsNA() && !isLiteral(c.yExpr) {
		into.Values = append(into.Values, Output{Name: c.yText, Value: b})
	}
}

// shortfall describes the failed comparison a op b as data, the named
// side as the value and the other as the bound; nil when it is not a
// comparison of numbers by size.
func (c *conjunct) shortfall(a, b Value) *Shortfall {
	if !a.Type().IsNumeric() || !b.Type().IsNumeric() {
		return nil
	}
	op, field := c.op, c.xText
	if isLiteral(c.xExpr) && !isLiteral(c.yExpr) { // 3.5% 不超过 占比: the name on the right
		a, b, field = b, a, c.yText
		op = map[lang.BinOp]lang.BinOp{lang.OpGt: lang.OpLt, lang.OpGe: lang.OpLe, lang.OpLt: lang.OpGt, lang.OpLe: lang.OpGe}[op]
	}
	switch op {
	case lang.OpGt, lang.OpGe, lang.OpLt, lang.OpLe:
	default:
		return nil
	}
	return &Shortfall{Field: field, Value: a, Needed: b, Inclusive: op == lang.OpGe || op == lang.OpLe, Up: op == lang.OpGt || op == lang.OpGe}
}

// gap says how far a failed comparison a op b is from holding: for 超过 and
// 不低于, how much a is short of b; for 低于 and 不超过, how much it is over.
// Ratios are in percentage points, money in yuan.
func gap(op lang.BinOp, a, b Value) Message {
	if !a.Type().IsNumeric() || !b.Type().IsNumeric() {
		return Message{}
	}
	var d decimal.Decimal
	up := true
	switch op {
	case lang.OpGt, lang.OpGe:
		d = b.Decimal().Sub(a.Decimal())
	case lang.OpLt, lang.OpLe:
		d, up = a.Decimal().Sub(b.Decimal()), false
	default:
		return Message{}
	}
	strict := op == lang.OpGt || op == lang.OpLt // 超过/低于 do not include the bound
	if d.IsZero() && strict {
		if op == lang.OpGt {
			return say("恰在门槛上，须超过（不含本数）", "exactly at the bound, which must be exceeded")
		}
		return say("恰在门槛上，须低于（不含本数）", "exactly at the bound, which must be gone below")
	}
	var amount Message
	switch {
	case a.kind == lang.KindRatio || b.kind == lang.KindRatio:
		amount = say("%s 个百分点", "%s percentage points", d.Shift(2).String())
	case a.kind == lang.KindMoney || b.kind == lang.KindMoney:
		amount = Message{Zh: MoneyText(d, lang.Chinese), En: MoneyText(d, lang.English)}
	default:
		amount = Message{Zh: d.String(), En: d.String()}
	}
	switch {
	case up && strict:
		return say("还差 %s以上", "more than %s short", amount)
	case up:
		return say("还差 %s", "%s short", amount)
	case strict:
		return say("超出 %s以上", "more than %s over", amount)
	}
	return say("超出 %s", "%s over", amount)
}

func isLiteral(e lang.Expr) bool {
	switch e.(type) {
	case *lang.NumberLit, *lang.BoolLit, *lang.StringLit, *lang.DateLit, *lang.SharesLit:
		return true
	}
	return false
}

func spanText(src []byte, s lang.Span) string {
	if s.Start < 0 || s.End > len(src) || s.Start > s.End {
		return ""
	}
	return string(src[s.Start:s.End])
}
