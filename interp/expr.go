package interp

import (
	"context"
	"fmt"

	"github.com/zhengce/zhengce/lang"
)

// This file compiles expressions into closures over a frame: names,
// calls, 按…取 tables, 对每个 lists and 如果; arithmetic and comparison of
// numbers are in numeric.go and compare.go, tables by range in tiers.go.

// splitOr lists the cases joined by 或 at the top of e.
func splitOr(e lang.Expr) []lang.Expr {
	if b, ok := e.(*lang.Binary); ok && b.Op == lang.OpOr {
		return append(splitOr(b.X), splitOr(b.Y)...)
	}
	return []lang.Expr{e}
}

// splitAnd lists the conditions joined by 且 at the top of e.
func splitAnd(e lang.Expr) []lang.Expr {
	if b, ok := e.(*lang.Binary); ok && b.Op == lang.OpAnd {
		return append(splitAnd(b.X), splitAnd(b.Y)...)
	}
	return []lang.Expr{e}
}

func (c *compiler) conjunct(e lang.Expr) conjunct {
	src := c.checked.File.Src
	if b, ok := e.(*lang.Binary); ok && b.Op.IsComparison() {
		cj := conjunct{expr: e, text: spanText(src, e.Span()), isCompared: true, x: c.expr(b.X), y: c.expr(b.Y), xExpr: b.X, yExpr: b.Y,
			xText: spanText(src, b.X.Span()), yText: spanText(src, b.Y.Span()), compare: comparison(b.Op), op: b.Op}
		if c.numericExpr(b.X) && c.numericExpr(b.Y) {
			cj.test = c.numTest(b.X, b.Y, b.Op)
			cj.xKind, cj.yKind = c.checked.Types[b.X].Kind, c.checked.Types[b.Y].Kind
		}
		return cj
	}
	return conjunct{expr: e, text: spanText(src, e.Span()), holds: c.condition(e)}
}

// condition is a 是否 condition of a rule or a 其中. The commonest
// (规上工业企业: a 是否 input) is read in place, with no call.
type condition struct {
	flag int    // the slot of the 是否 input the condition is, or −1
	fn   boolFn // the condition, for every other case
}

func (c *compiler) condition(e lang.Expr) condition {
	cd := condition{flag: -1, fn: c.cond(e)}
	if where, i, ok := c.slotOf(e); ok && where == slotInput {
		cd.flag = i
	}
	return cd
}

// eval says whether the condition holds, as its boolFn does.
func (cd *condition) eval(f *frame) (bool, bool) {
	if f.trace == nil {
		if v, ok := cd.inPlace(f.inputs); ok {
			return v, true
		}
	}
	return cd.fn(f)
}

// inPlace returns the 是否 input the condition is, read in place; ok is
// false for any other condition, and for an input that is not a 是否,
// which the boolFn reports. A tracer must see the input read: call it
// only without one.
func (cd *condition) inPlace(inputs []Value) (held, ok bool) {
	if cd.flag >= 0 && inputs[cd.flag].kind == lang.KindBool {
		return inputs[cd.flag].b, true
	}
	return false, false
}

func constant(v Value) evalFn { return func(*frame) (Value, error) { return v, nil } }

func (c *compiler) expr(e lang.Expr) evalFn {
	switch e := e.(type) {
	case *lang.NumberLit:
		return constant(numeric(e.Type, e.Value))
	case *lang.BoolLit:
		return constant(Bool(e.Value))
	case *lang.StringLit:
		return constant(Text(e.Value))
	case *lang.DateLit:
		return constant(DateValue(e.Value))
	case *lang.SharesLit:
		return constant(Shares(e.Parts))
	case *lang.AsOf:
		return func(f *frame) (Value, error) { return DateValue(f.asOf), nil }
	case *lang.Ref:
		s := c.checked.Uses[e]
		i := s.Index
		switch s.Kind {
		case lang.SymInput:
			p, want := c.prog, c.prog.inputKinds[i]
			return func(f *frame) (Value, error) {
				if f.trace != nil {
					f.trace.inputs[i] = true
				}
				v := &f.inputs[i]
				if !fits(v, want) {
					return Value{}, p.badInput(i, v)
				}
				return *v, nil
			}
		case lang.SymParam:
			if p := c.prog; p.paramPeriods[i] != nil {
				return func(f *frame) (Value, error) {
					if f.trace != nil {
						f.trace.params[i] = true
					}
					return p.paramAt(i, f.asOf), nil
				}
			}
			v := c.prog.params[i]
			return func(f *frame) (Value, error) {
				if f.trace != nil {
					f.trace.params[i] = true
				}
				return v, nil
			}
		case lang.SymDef:
			return func(f *frame) (Value, error) {
				if f.trace != nil {
					f.trace.defs[i] = true
				}
				return f.defs[i], nil
			}
		case lang.SymField:
			depth := s.Rule
			return func(f *frame) (Value, error) { return f.items[depth].list()[i], nil }
		default:
			return func(f *frame) (Value, error) { return f.outputs[i].Value, nil }
		}
	case *lang.Selector:
		return c.selector(e)
	case *lang.Lookup:
		return c.lookup(e)
	case *lang.Each:
		return c.each(e, false)
	case *lang.ListLit:
		return c.listLit(e)
	case *lang.Call:
		return c.call(e)
	case *lang.Unary:
		if e.Op == lang.OpNot {
			return c.condValue(e)
		}
		return c.numValue(e)
	case *lang.Binary:
		return c.binary(e)
	case *lang.If:
		cond, then, els := c.expr(e.Cond), c.expr(e.Then), c.expr(e.Else)
		t := c.checked.Types[e]
		condText := spanText(c.checked.File.Src, e.Cond.Span())
		return func(f *frame) (Value, error) {
			v, err := cond(f)
			if err != nil || v.IsNA() {
				return v, err
			}
			took := v.b
			if took {
				v, err = then(f)
			} else {
				v, err = els(f)
			}
			if t.IsNumeric() {
				v.kind = t.Kind // 如果 … 那么 100万元 否则 0: the result is 金额
			}
			if f.trace != nil && err == nil {
				f.trace.note(stepBranch(condText, took, v))
			}
			return v, err
		}
	}
	panic(fmt.Sprintf("interp: unexpected expression %T", e))
}

func (c *compiler) call(e *lang.Call) evalFn {
	b := c.funcs[c.checked.Calls[e]]
	fn, skipsNA := b.Call, b.SkipsNA
	args := make([]evalFn, len(e.Args))
	for i, a := range e.Args {
		args[i] = c.expr(a)
	}
	pos := e.Pos
	name := e.Fn.Text
	check := c.prog.checkMagnitude
	t := c.checked.Types[e]
	// 最小 and 最大 (孰低, 孰高) say in an explanation which value they took
	picks := b.Picks
	argTexts := make([]string, len(e.Args))
	for i, a := range e.Args {
		argTexts[i] = spanText(c.checked.File.Src, a.Span())
	}
	return func(f *frame) (Value, error) {
		// the arguments go on the frame's stack; a call among them may grow
		// it, which leaves vals in the old array, still valid
		base := len(f.args)
		for range args {
			f.args = append(f.args, Value{})
		}
		vals := f.args[base : base+len(args)]
		defer func() { f.args = f.args[:base] }()
		for i, a := range args {
			v, err := a(f)
			if err != nil {
				return Value{}, err
			}
			if v.IsNA() && !skipsNA {
				return v, nil
			}
			vals[i] = v
		}
		v, err := fn(vals)
		if err != nil {
			return Value{}, &lang.Error{Pos: pos, Zh: fmt.Sprintf("函数“%s”：%v", name, err), En: fmt.Sprintf("function %q: %v", name, err)}
		}
		if t.IsNumeric() && v.Type().IsNumeric() {
			v.kind = t.Kind // 合计 over nothing is 0 of the call's type
		}
		if f.trace != nil && picks && len(vals) > 1 {
			c.notePick(f, name, argTexts, vals, v)
		}
		return v, check(v, pos)
	}
}

// notePick explains a 最小 or 最大 (孰低, 孰高) of several values: which one
// was taken, and what the others were.
func (c *compiler) notePick(f *frame, name string, texts []string, vals []Value, v Value) {
	taken := 0
	for i, a := range vals {
		if !a.IsNA() && a.Equal(v) {
			taken = i
			break
		}
	}
	f.trace.note(stepPicked(name, texts, vals, taken))
}

// checkMagnitude reports a number too large for the configured limit.
func (p *Program) checkMagnitude(v Value, pos lang.Pos) error {
	if v.Type().IsNumeric() && !p.magnitude.within(v.n()) {
		return p.outOfRange(pos, v.n())
	}
	return nil
}

// outOfRange is the error of a number n at pos that the limits do not
// allow: too large, or with too many decimal places.
func (p *Program) outOfRange(pos lang.Pos, n num) error {
	if n.dec != nil && places(*n.dec) > MaxFractionDigits {
		return &lang.Error{Pos: pos,
			Zh: fmt.Sprintf("数值的小数超过 %d 位：请用 四舍五入(…, 位数) 取到需要的位数", MaxFractionDigits),
			En: fmt.Sprintf("the number has more than %d decimal places: round it with round(…, places)", MaxFractionDigits)}
	}
	return &lang.Error{Pos: pos,
		Zh: fmt.Sprintf("数值超出允许范围（绝对值须小于 %s）", p.maxAbs),
		En: fmt.Sprintf("number out of range (its absolute value must be below %s)", p.maxAbs)}
}

func (c *compiler) selector(e *lang.Selector) evalFn {
	s := c.checked.Selected[e]
	r, i := s.Rule, s.Index
	name := e.Rule.Text
	if s.Kind == lang.SymApplies {
		return func(f *frame) (Value, error) { return Bool(f.res.Rules[r].Applies), nil }
	}
	na := naOf(msgRuleNA(name))
	return func(f *frame) (Value, error) {
		rr := &f.res.Rules[r]
		if !rr.Applies {
			return na, nil
		}
		return rr.outputs[i].Value, nil
	}
}

// each compiles 对每个. When its list is stored under a name (stored),
// money is rounded to the fen as each amount is made, so that store finds
// nothing to round and does not copy the list; an explanation shows the
// amounts before rounding, so a traced evaluation leaves them to store.
func (c *compiler) each(e *lang.Each, stored bool) evalFn {
	list := c.expr(e.List)
	elem := c.checked.Types[e].Elem
	var value evalFn
	var number numFn // the value, when it is a number (of the list's kind)
	if (lang.Type{Kind: elem}).IsNumeric() {
		number = c.num(e.Value)
	} else {
		value = c.expr(e.Value)
	}
	round := stored && elem == lang.KindMoney
	var where boolFn
	if e.Where != nil {
		where = c.cond(e.Where)
	}
	listName := e.List.Name.Text
	return func(f *frame) (Value, error) {
		l, err := list(f)
		if err != nil {
			return Value{}, err
		}
		// the items are gathered on the frame's stack, then copied to a
		// block of their own
		base := len(f.args)
		f.items = append(f.items, Value{})
		defer func() { f.items, f.args = f.items[:len(f.items)-1], f.args[:base] }()
		for _, item := range l.list() {
			if err := f.step(); err != nil {
				return Value{}, err
			}
			f.items[len(f.items)-1] = item
			if where != nil {
				if holds, ok := where(f); !ok || !holds {
					if !ok && f.err != nil {
						err := f.err
						f.err = nil
						return Value{}, err
					}
					continue // a condition that does not hold, or is 不适用
				}
			}
			var v Value
			if number != nil {
				n, ok := number(f)
				if ok {
					if round && f.trace == nil {
						n = toFen(n)
					}
					f.args = append(f.args, n.value(elem))
					continue
				}
				v, err = f.fail()
			} else {
				v, err = value(f)
			}
			if err != nil {
				return Value{}, err
			}
			f.args = append(f.args, v)
		}
		out := f.alloc(len(f.args) - base)
		copy(out, f.args[base:])
		if f.trace != nil {
			f.trace.note(stepEach(listName, len(l.list()), len(out), List(elem, out)))
		}
		return f.listValue(elem, out), nil
	}
}

// listLit compiles records written out in test data; their field values
// are constants, placed in the order of the record type's fields.
func (c *compiler) listLit(e *lang.ListLit) evalFn {
	rec := c.checked.Types[e].Rec
	var items []Value
	for _, r := range e.Items {
		fields := make([]Value, len(rec.Fields))
		for _, fv := range r.Fields {
			i := rec.FieldIndex(fv.Name.Key)
			v, err := c.expr(fv.Value)(&frame{ctx: context.Background()})
			if err != nil {
				v = NA(err.Error())
			}
			fields[i] = numericOr(rec.Fields[i].Type, v)
		}
		items = append(items, RecordValue(fields))
	}
	return constant(List(lang.KindRecord, items))
}

func (c *compiler) lookup(e *lang.Lookup) evalFn {
	if e.Brackets || (len(e.Entries) > 0 && e.Entries[0].Range != nil) {
		return c.rangeLookup(e)
	}
	key := c.expr(e.Key)
	t := c.checked.Types[e]
	keys := make([]Value, len(e.Entries))
	vals := make([]evalFn, len(e.Entries))
	var names []string
	for i, en := range e.Entries {
		// the checker made sure keys are constants: evaluate them once
		k, err := c.expr(en.Key)(&frame{ctx: context.Background()})
		if err != nil {
			k = NA(err.Error())
		}
		keys[i], vals[i] = k, c.expr(en.Value)
		names = append(names, k.String())
	}
	src := c.checked.File.Src
	keyText := string(src[e.Key.Span().Start:e.Key.Span().End])
	return func(f *frame) (Value, error) {
		k, err := key(f)
		if err != nil || k.IsNA() {
			return k, err
		}
		for i := range keys {
			if keys[i].Equal(k) {
				v, err := vals[i](f)
				if t.IsNumeric() && !v.IsNA() {
					v.kind = t.Kind
				}
				if f.trace != nil && err == nil {
					f.trace.note(stepLookup(keyText, k, v))
				}
				return v, err
			}
		}
		return naOf(msgNotInTable(keyText, k, list(names))), nil
	}
}

// CompileExpr compiles a lone expression checked by lang.CheckExpr into a
// function that evaluates it.
func CompileExpr(checked *lang.Program, e lang.Expr, funcs []Builtin, limits Limits) (func(context.Context) (Value, error), error) {
	p, err := Compile(checked, funcs, Options{Limits: limits})
	if err != nil {
		return nil, err
	}
	fn := (&compiler{prog: p, checked: checked, funcs: funcs}).expr(e)
	return func(ctx context.Context) (Value, error) {
		if err := ctx.Err(); err != nil {
			return Value{}, err
		}
		return fn(&frame{ctx: ctx, asOf: p.asOf, steps: p.limits.MaxSteps})
	}, nil
}
