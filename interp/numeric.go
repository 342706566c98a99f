package interp

import "github.com/zhengce/zhengce/lang"

// numFn evaluates a numeric expression. It returns false when the value is
// 不适用 or evaluation failed; the frame then holds the NA value (f.na) or
// the error (f.err). Numbers travel in registers, not as Values, so
// arithmetic on inputs costs a few instructions per node.
type numFn func(f *frame) (num, bool)

// fail is what a Value closure's caller gets from a numFn that returned
// false: the error, or the NA value.
func (f *frame) fail() (Value, error) {
	if err := f.err; err != nil {
		f.err = nil
		return Value{}, err
	}
	return f.na, nil
}

// numOf turns a Value closure's result into a numFn's.
func (f *frame) numOf(v Value, err error) (num, bool) {
	if err != nil {
		f.err = err
		return num{}, false
	}
	return f.held(&v)
}

// heldBool returns the 是否 *v holds, or false, with *v in the frame, when
// it is 不适用.
func (f *frame) heldBool(v *Value) (bool, bool) {
	if v.kind == lang.KindNA {
		f.na = *v
		return false, false
	}
	return v.b, true
}

// held returns the number *v holds, or false, with *v in the frame, when it
// is 不适用.
func (f *frame) held(v *Value) (num, bool) {
	if v.kind == lang.KindNA {
		f.na = *v
		return num{}, false
	}
	return v.n(), true
}

// numValue compiles a numeric expression into a Value closure by way of its
// numFn.
func (c *compiler) numValue(e lang.Expr) evalFn { return valueOf(c.num(e), c.checked.Types[e].Kind) }

// valueOf turns a numFn into a Value closure giving numbers of kind k.
func valueOf(n numFn, k lang.Kind) evalFn {
	return func(f *frame) (Value, error) {
		x, ok := n(f)
		if !ok {
			return f.fail()
		}
		return x.value(k), nil
	}
}

// numericExpr reports whether e is of a numeric type.
func (c *compiler) numericExpr(e lang.Expr) bool { return c.checked.Types[e].IsNumeric() }

// num compiles a numeric expression. Literals, names, arithmetic, caps and
// floors are compiled to numFns directly; anything else (calls, tables,
// rule outputs, 如果) through its Value closure.
func (c *compiler) num(e lang.Expr) numFn {
	switch e := e.(type) {
	case *lang.NumberLit:
		n := fromDecimal(e.Value)
		return func(*frame) (num, bool) { return n, true }
	case *lang.Ref:
		if where, i, ok := c.slotOf(e); ok {
			p := c.prog
			return func(f *frame) (num, bool) {
				if f.trace != nil {
					f.markSlot(where, i)
				}
				v := f.slot(where, i)
				if !numericKind(v.kind) {
					return f.notNumber(p, v, where, i)
				}
				return v.n(), true
			}
		}
		s := c.checked.Uses[e]
		i := s.Index
		switch s.Kind {
		case lang.SymParam:
			if c.prog.paramPeriods[i] != nil { // by date: through its Value
				break
			}
			v := c.prog.params[i].n()
			return func(f *frame) (num, bool) {
				if f.trace != nil {
					f.trace.params[i] = true
				}
				return v, true
			}
		case lang.SymField:
			depth := s.Rule // of the record 对每个 is visiting
			return func(f *frame) (num, bool) { return f.held(&f.items[depth].list()[i]) }
		}
	case *lang.Unary:
		if e.Op != lang.OpNot {
			x := c.num(e.X)
			return func(f *frame) (num, bool) {
				n, ok := x(f)
				if !ok {
					return n, false
				}
				return negNum(n), true
			}
		}
	case *lang.Binary:
		if !e.Op.IsComparison() && e.Op != lang.OpAnd && e.Op != lang.OpOr {
			return c.arithmetic(e)
		}
	case *lang.Call:
		if fold := c.foldOf(e); fold == FoldSum || fold == FoldCount {
			return c.fold(e, fold)
		}
	}
	ev := c.expr(e)
	return func(f *frame) (num, bool) { return f.numOf(ev(f)) }
}

// both evaluates the two sides of a binary expression. As for every
// operator, an error on either side wins over 不适用, and the left side's
// 不适用 over the right's.
func both(f *frame, x, y numFn) (a, b num, ok bool) {
	if a, ok = x(f); ok {
		b, ok = y(f)
		return a, b, ok
	}
	return a, b, rightAfterFailure(f, y)
}

// constNum returns the value of a number literal or a parameter, known
// when the program is compiled; param is the parameter's index, or -1.
func (c *compiler) constNum(e lang.Expr) (n num, param int, ok bool) {
	switch e := e.(type) {
	case *lang.NumberLit:
		return fromDecimal(e.Value), -1, true
	case *lang.Ref:
		if s := c.checked.Uses[e]; s.Kind == lang.SymParam && c.prog.paramPeriods[s.Index] == nil {
			return c.prog.params[s.Index].n(), s.Index, true
		}
	}
	return num{}, -1, false
}

// rightAfterFailure evaluates the right side when the left gave no number,
// so that an error there is still reported; it always returns false.
func rightAfterFailure(f *frame, y numFn) bool {
	if f.err != nil {
		return false
	}
	na := f.na
	if _, ok := y(f); !ok && f.err != nil {
		return false
	}
	f.na = na
	return false
}

// arithmetic compiles + − × ÷ 最高 最低. The operation is one closure per
// shape of its operands (see shapeOf): a name or a constant is read in
// place, so that (5000 - 企业数) 最低 0 is two closure calls, not six.
func (c *compiler) arithmetic(e *lang.Binary) numFn {
	op := &arith{op: e.Op, pos: e.OpPos, kind: c.checked.Types[e].Kind, p: c.prog, word: e.Word,
		src: c.checked.File.Src, xSpan: e.X.Span(), ySpan: e.Y.Span()}
	sh := c.shapeOf(e.X, e.Y)
	x, y, k, p := sh.x, sh.y, sh.k, c.prog
	switch sh.kind {
	case slotConst, constSlot:
		slotLeft := sh.kind == slotConst
		return func(f *frame) (num, bool) {
			if f.trace != nil {
				sh.mark(f)
			}
			v := f.slot(sh.where, sh.i)
			if !numericKind(v.kind) {
				return f.notNumber(p, v, sh.where, sh.i)
			}
			if slotLeft {
				return op.apply(f, v.n(), k)
			}
			return op.apply(f, k, v.n())
		}
	case slotSlot:
		return func(f *frame) (num, bool) {
			x, y := f.slot(sh.where, sh.i), f.slot(sh.w2, sh.i2)
			if numericKind(x.kind) && numericKind(y.kind) && f.trace == nil {
				return op.apply(f, x.n(), y.n())
			}
			a, b, ok := sh.slots(f, p)
			if !ok {
				return a, false
			}
			return op.apply(f, a, b)
		}
	case fnConst, constFn:
		fn, fnLeft := x, sh.kind == fnConst
		if !fnLeft {
			fn = y
		}
		if fnLeft && (e.Op == lang.OpCap || e.Op == lang.OpFloor) {
			return boundByConst(op, fn, k, sh)
		}
		return func(f *frame) (num, bool) {
			if f.trace != nil {
				sh.mark(f)
			}
			n, ok := fn(f)
			if !ok {
				return n, false
			}
			if fnLeft {
				return op.apply(f, n, k)
			}
			return op.apply(f, k, n)
		}
	}
	return func(f *frame) (num, bool) {
		a, b, ok := both(f, x, y)
		if !ok {
			return a, false
		}
		return op.apply(f, a, b)
	}
}

// boundByConst compiles x 最高 k or x 最低 k (op) for a constant k
// (补助 = 增量 * 10% 最高 200万元): x compared with k inline, where
// constCmp.quick can, rather than through apply and cmpNum.
func boundByConst(op *arith, x numFn, k num, sh shape) numFn {
	kc := newConstCmp(k)
	over := 1 // 最高: x is kept unless it is over k
	if op.op == lang.OpFloor {
		over = -1 // 最低: unless it is under k
	}
	return func(f *frame) (num, bool) {
		if f.trace != nil {
			sh.mark(f)
		}
		n, ok := x(f)
		if !ok {
			return n, false
		}
		if r, quick := kc.quick(n); quick && f.trace == nil { // a bound taken is noted when tracing
			if r == over {
				return k, true
			}
			return n, true
		}
		return op.apply(f, n, k)
	}
}

// arith is an arithmetic operation, applied to its operands' numbers.
type arith struct {
	op   lang.BinOp
	pos  lang.Pos
	kind lang.Kind // of the result
	p    *Program
	word string // the operator as written, for division by zero
	// the operands as written, for explanations: spans of src, cut only
	// when an explanation needs them (a chain of n operations would hold
	// text quadratic in n)
	src          []byte
	xSpan, ySpan lang.Span
}

// apply computes a op b, within the magnitude limit.
func (o *arith) apply(f *frame, a, b num) (num, bool) {
	var r num
	switch o.op {
	case lang.OpAdd:
		r = addNum(a, b, false)
	case lang.OpSub:
		r = addNum(a, b, true)
	case lang.OpMul:
		r = mulNum(a, b)
	case lang.OpDiv:
		if b.isZero() {
			f.err = &lang.Error{Pos: o.pos, Zh: "除数为零：“" + o.word + "”右边的值是 0", En: "division by zero: the right side of " + o.word + " is 0"}
			return num{}, false
		}
		r = divNum(a, b)
	default:
		return o.bound(f, a, b), true
	}
	if !o.p.magnitude.within(r) {
		f.err = o.p.outOfRange(o.pos, r)
		return num{}, false
	}
	return r, true
}

// bound applies 最高 (a cap: the smaller side) or 最低 (a floor: the larger).
func (o *arith) bound(f *frame, a, b num) num {
	keep := -1
	if o.op == lang.OpFloor {
		keep = 1
	}
	takesB := cmpNum(a, b) == -keep
	if f.trace != nil && (o.word == "孰低" || o.word == "孰高") {
		// A 与 B 孰低: say both, which was taken, and by how much
		diff := addNum(a, b, true)
		if diff.neg() {
			diff = diff.withSign(false)
		}
		f.trace.note(stepSides(spanText(o.src, o.xSpan), spanText(o.src, o.ySpan), o.word, a.value(o.kind), b.value(o.kind), takesB, diff.value(o.kind)))
	}
	if !takesB {
		return a
	}
	if f.trace != nil && o.word != "孰低" && o.word != "孰高" {
		f.trace.note(stepCapped(spanText(o.src, o.xSpan), a.value(o.kind), o.op == lang.OpFloor, spanText(o.src, o.ySpan), b.value(o.kind)))
	}
	return b
}

// shapeKind says how the operands of a binary operation are read.
type shapeKind uint8

const (
	fnFn      shapeKind = iota // two numFns
	slotConst                  // a slot and a constant: 研发投入 超过 500万元
	constSlot                  // a constant and a slot: 5000 - 企业数
	slotSlot                   // two slots: 研发投入 / 主营业务收入
	fnConst                    // a numFn and a constant: (研发投入 - 上年研发投入) * 10%
	constFn                    // a constant and a numFn
)

// slotKind says where a name's value is: the slots an operation reads in
// place, with no call.
type slotKind uint8

const (
	slotInput  slotKind = iota // an input
	slotDef                    // a definition
	slotOutput                 // an output of the rule being evaluated, defined above
)

// slot returns the Value in slot i of the given kind.
func (f *frame) slot(where slotKind, i int) *Value {
	switch where {
	case slotInput:
		return &f.inputs[i]
	case slotDef:
		return &f.defs[i]
	}
	return &f.outputs[i].Value
}

// markSlot records, for an explanation, that slot i was read: an input or
// a definition (a rule's own outputs are not listed).
func (f *frame) markSlot(where slotKind, i int) {
	switch where {
	case slotInput:
		f.trace.inputs[i] = true
	case slotDef:
		f.trace.defs[i] = true
	}
}

// shape is the operands of a binary operation, compiled by shape: a
// constant (a number or a parameter) and a name (an input, a definition,
// an output of the rule) are read in place.
type shape struct {
	kind      shapeKind
	x, y      numFn    // the numFns of the sides that are not read in place
	k         num      // the constant side
	where, w2 slotKind // where the slots are (w2: the right one, for slotSlot)
	i, i2     int      // the slots' indexes
	param     int      // the constant's parameter index, or −1
}

// slotOf returns where the value of e is, when e names an input, a
// definition or an output of the rule being evaluated.
func (c *compiler) slotOf(e lang.Expr) (slotKind, int, bool) {
	if ref, ok := e.(*lang.Ref); ok {
		switch s := c.checked.Uses[ref]; s.Kind {
		case lang.SymInput:
			return slotInput, s.Index, true
		case lang.SymDef:
			return slotDef, s.Index, true
		case lang.SymOutput:
			return slotOutput, s.Index, true
		}
	}
	return 0, 0, false
}

func (c *compiler) shapeOf(x, y lang.Expr) shape {
	slot := c.slotOf
	if k, param, ok := c.constNum(y); ok {
		if where, i, ok := slot(x); ok {
			return shape{kind: slotConst, k: k, where: where, i: i, param: param}
		}
		return shape{kind: fnConst, x: c.num(x), k: k, param: param}
	}
	if k, param, ok := c.constNum(x); ok {
		if where, i, ok := slot(y); ok {
			return shape{kind: constSlot, k: k, where: where, i: i, param: param}
		}
		return shape{kind: constFn, y: c.num(y), k: k, param: param}
	}
	if where, i, ok := slot(x); ok {
		if w2, i2, ok := slot(y); ok {
			return shape{kind: slotSlot, where: where, i: i, w2: w2, i2: i2, param: -1}
		}
	}
	return shape{kind: fnFn, x: c.num(x), y: c.num(y), param: -1}
}

// notNumber reports why slot i, holding v, gave no number: an input not
// of its type (in f.err), or 不适用 (in f.na: a definition or output, which
// the checker has typed, holds a number or 不适用).
func (f *frame) notNumber(p *Program, v *Value, where slotKind, i int) (num, bool) {
	if where == slotInput {
		f.err = p.badInput(i, v)
	} else {
		f.na = *v
	}
	return num{}, false
}

// slots reads the two slots of a slotSlot shape, as both evaluates two
// sides: an error on either wins over 不适用, the left's 不适用 over the
// right's.
func (sh *shape) slots(f *frame, p *Program) (a, b num, ok bool) {
	if f.trace != nil {
		sh.mark(f)
	}
	x, y := f.slot(sh.where, sh.i), f.slot(sh.w2, sh.i2)
	if numericKind(x.kind) && numericKind(y.kind) {
		return x.n(), y.n(), true
	}
	if !numericKind(x.kind) {
		f.notNumber(p, x, sh.where, sh.i)
		if f.err == nil && sh.w2 == slotInput && !numericKind(y.kind) {
			f.err = p.badInput(sh.i2, y) // an error on the right wins over 不适用
		}
		return a, b, false
	}
	f.notNumber(p, y, sh.w2, sh.i2)
	return a, b, false
}

// mark records, for an explanation, the inputs, definitions and parameter
// the shape reads in place.
func (sh *shape) mark(f *frame) {
	switch sh.kind {
	case slotConst, constSlot:
		f.markSlot(sh.where, sh.i)
	case slotSlot:
		f.markSlot(sh.where, sh.i)
		f.markSlot(sh.w2, sh.i2)
	}
	if sh.param >= 0 {
		f.trace.params[sh.param] = true
	}
}

// outcomes says whether a comparison op holds when cmpNum returns −1, 0
// and 1, at indexes 0, 1 and 2.
func outcomes(op lang.BinOp) [3]bool {
	switch op {
	case lang.OpEq:
		return [3]bool{false, true, false}
	case lang.OpNe:
		return [3]bool{true, false, true}
	case lang.OpLt:
		return [3]bool{true, false, false}
	case lang.OpLe:
		return [3]bool{true, true, false}
	case lang.OpGt:
		return [3]bool{false, false, true}
	}
	return [3]bool{false, true, true} // OpGe
}

// constCmp's bit set and table hold every scale up to maxScale.
var _ [31 - maxScale]struct{}
