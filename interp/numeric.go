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

// isNumeric reports whether e is of a numeric type.
func (c *compiler) isNumeric(e lang.Expr) bool { return c.checked.Types[e].IsNumeric() }

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
				if !isNumeric(v.kind) {
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

// foldOf returns the fold of the function e calls, or FoldNone.
func (c *compiler) foldOf(e *lang.Call) Fold {
	if i, ok := c.checked.Calls[e]; ok && i < len(c.funcs) {
		return c.funcs[i].Fold
	}
	return FoldNone
}

// foldBool compiles a call of 任一 (FoldAny) or 全部 (FoldAll) over 是否s
// and lists of them, 不适用 skipped. Every argument is evaluated, as for a
// call. When no 是否 is had, the function's Call decides, through the
// call's Value.
func (c *compiler) foldBool(e *lang.Call, fold Fold) boolFn {
	args := c.foldArgs(e, fold)
	call := c.expr(e)
	all := fold == FoldAll
	return func(f *frame) (bool, bool) {
		if f.trace != nil {
			return f.boolOf(call(f)) // explained as the call is
		}
		had, result := false, all // all: true until a false; any: false until a true
		for i := range args {
			a := &args[i]
			if a.list != nil {
				l, err := a.list(f)
				if err != nil {
					f.err = err
					return false, false
				}
				items := l.list()
				for j := range items {
					if it := &items[j]; it.kind != lang.KindNA {
						had = true
						if it.b != all {
							result = !all
						}
					}
				}
				continue
			}
			b, ok := a.cond(f)
			if !ok {
				if f.err != nil {
					return false, false
				}
				continue // 不适用
			}
			had = true
			if b != all {
				result = !all
			}
		}
		if !had {
			return f.boolOf(call(f))
		}
		return result, true
	}
}

// foldArg is one argument of a fold, compiled for what it is: a list,
// whose items are read in place, or a number (合计) or a 是否 (计数, 任一,
// 全部), as the functions' argument types allow.
type foldArg struct {
	list evalFn
	num  numFn
	cond boolFn
}

// foldArgs compiles the arguments of a fold.
func (c *compiler) foldArgs(e *lang.Call, fold Fold) []foldArg {
	args := make([]foldArg, len(e.Args))
	for i, a := range e.Args {
		switch {
		case c.checked.Types[a].Kind == lang.KindList:
			args[i].list = c.expr(a)
		case fold == FoldSum:
			args[i].num = c.num(a)
		default:
			args[i].cond = c.cond(a)
		}
	}
	return args
}

// fold compiles a call of 合计 or 计数 into a fold over its arguments,
// lists flattened and 不适用 skipped, as the functions' Calls do.
func (c *compiler) fold(e *lang.Call, fold Fold) numFn {
	args := c.foldArgs(e, fold)
	p, pos := c.prog, e.Pos
	return func(f *frame) (num, bool) {
		var total num
		count := uint64(0)
		for i := range args {
			a := &args[i]
			switch {
			case a.list != nil:
				l, err := a.list(f)
				if err != nil {
					f.err = err
					return num{}, false
				}
				items := l.list()
				for j := range items {
					it := &items[j]
					switch {
					case it.kind == lang.KindNA:
					case fold == FoldSum:
						total = addNum(total, it.n(), false)
					case it.kind != lang.KindBool || it.b:
						count++
					}
				}
			case a.num != nil:
				n, ok := a.num(f)
				if !ok {
					if f.err != nil {
						return num{}, false
					}
					continue // 不适用
				}
				total = addNum(total, n, false)
			default:
				b, ok := a.cond(f)
				if !ok && f.err != nil {
					return num{}, false
				}
				if ok && b {
					count++
				}
			}
		}
		if fold == FoldCount {
			total = fixed(u128{lo: count}, 0, false)
		}
		if !p.magnitude.within(total) {
			f.err = p.outOfRange(pos, total)
			return num{}, false
		}
		return total, true
	}
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
			if !isNumeric(v.kind) {
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
			if isNumeric(x.kind) && isNumeric(y.kind) && f.trace == nil {
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
	if isNumeric(x.kind) && isNumeric(y.kind) {
		return x.n(), y.n(), true
	}
	if !isNumeric(x.kind) {
		f.notNumber(p, x, sh.where, sh.i)
		if f.err == nil && sh.w2 == slotInput && !isNumeric(y.kind) {
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

// miss is what a comparison's test leaves in the frame when it returns
// false: its sides, and whether both were had (ok false: an error or
// 不适用, in frame.err or frame.na).
type miss struct {
	x, y num
	ok   bool
	// a quotient left undivided (quotientTest): 1, x is x/den; 2, y is y/den
	quot uint8
	den  num
}

// setQuotient records the sides of a failed comparison of the quotient
// a/b with k (on the left when left), leaving the division to sides.
func (m *miss) setQuotient(a, b, k num, left bool) {
	if left {
		m.set(a, k, true)
		m.quot = 1
	} else {
		m.set(k, a, true)
		m.quot = 2
	}
	m.den = b
}

// sides returns the sides of the comparison that failed, dividing a
// quotient left undivided.
func (m *miss) sides() (x, y num) {
	switch m.quot {
	case 1:
		m.x = divNum(m.x, m.den)
	case 2:
		m.y = divNum(m.y, m.den)
	}
	m.quot = 0
	return m.x, m.y
}

// set records the sides x and y, field by field, straight into m: a miss
// written as one composite value is built on the stack and then copied,
// and reading back the stack's narrow stores as wide words stalls (a
// twelfth of 枣庄第3条's time, when most rows fail a comparison).
func (m *miss) set(x, y num, ok bool) {
	m.x.lo, m.x.hi, m.x.dec, m.x.sc = x.lo, x.hi, x.dec, x.sc
	m.y.lo, m.y.hi, m.y.dec, m.y.sc = y.lo, y.hi, y.dec, y.sc
	m.ok, m.quot = ok, 0
}

// constCmp compares numbers with a constant k. It keeps k's magnitude at
// every scale up to maxScale where it fits 64 bits, so that a fixed number
// of another scale (money, 2 places, against 500万元; a quotient, 20,
// against 3.5%; a ratio written 0.3 against 30%) is compared without
// scaling either. Below k's own scale, mags holds k's magnitude cut to that
// scale, and bit s of cut says digits were cut off: a number of scale s is
// then never equal to k, and is smaller than it when its magnitude is at
// most mags[s].
type constCmp struct {
	k    num
	neg  bool
	sign uint8  // negBit when k is negative
	fits uint32 // bit s: k's magnitude at scale s fits 64 bits, in mags[s]
	cut  uint32 // bit s: mags[s] is k's magnitude with digits cut off
	// read at s&31 once fits has bit s, so that reading it needs no bounds
	// check and quick can be inlined (maxScale < 32)
	mags [32]uint64
}

// constCmp's bit set and table hold every scale up to maxScale.
var _ [31 - maxScale]struct{}

func newConstCmp(k num) *constCmp {
	c := &constCmp{k: k, neg: k.neg(), sign: k.sc & negBit}
	if k.dec != nil {
		return c
	}
	for s := k.scale(); s <= maxScale; s++ {
		if m, ok := scaleUp(k.mag(), s-k.scale()); ok && m.hi == 0 {
			c.mags[s], c.fits = m.lo, c.fits|1<<s
		}
	}
	if k.hi == 0 {
		m, cut := k.lo, false
		for s := k.scale() - 1; s >= 0; s-- {
			cut = cut || m%10 != 0
			m /= 10
			c.mags[s], c.fits = m, c.fits|1<<s
			if cut {
				c.cut |= 1 << s
			}
		}
	}
	return c
}

// quick returns cmpNum(a, k) for a number of the same sign as k, at a
// scale where k fits 64 bits; ok is false for any other, which cmpNum
// compares. It calls nothing, so that it can be inlined where numbers are
// compared with constants.
func (c *constCmp) quick(a num) (r int, ok bool) {
	s := a.sc &^ negBit
	if a.dec != nil || a.hi != 0 || c.fits>>s&1 == 0 || a.sc&negBit != c.sign {
		return 0, false
	}
	if m := c.mags[s&31]; a.lo != m || c.cut>>s&1 != 0 {
		r = 1
		if a.lo <= m != c.neg { // the larger magnitude is the smaller number
			r = -1
		}
	}
	return r, true
}

// testFn says whether a comparison of numbers holds; when it does not, it
// writes the sides into *m.
type testFn func(f *frame, m *miss) bool

// slotTest compares a slot's number with a constant: a slotConst shape
// (研发投入 超过 500万元) or a constSlot one.
type slotTest struct {
	kc    *constCmp
	holds [3]bool // whether the comparison holds when cmpNum(slot, k) is −1, 0, 1
	sh    shape
	p     *Program
}

// newSlotTest returns the test of a slotConst or constSlot shape, for a
// comparison that holds as holds says.
func newSlotTest(sh shape, holds [3]bool, p *Program) *slotTest {
	return &slotTest{kc: newConstCmp(sh.k), holds: orient(holds, sh.kind == slotConst), sh: sh, p: p}
}

// orient returns holds, which says whether a comparison holds when
// cmpNum of its left and right sides is −1, 0 or 1, as indexed by the
// comparison of a number with the constant: holds itself when the number is
// on the left, mirrored when the constant is.
func orient(holds [3]bool, numberLeft bool) [3]bool {
	if numberLeft {
		return holds
	}
	return [3]bool{holds[2], holds[1], holds[0]}
}

// slotTestOf returns the test of x op y when it compares a slot with a
// constant, or nil.
func (c *compiler) slotTestOf(x, y lang.Expr, op lang.BinOp) *slotTest {
	if sh := c.shapeOf(x, y); sh.kind == slotConst || sh.kind == constSlot {
		return newSlotTest(sh, outcomes(op), c.prog)
	}
	return nil
}

// missed records the sides of the comparison that failed for a.
func (t *slotTest) missed(m *miss, a num) {
	if t.sh.kind == slotConst {
		m.set(a, t.kc.k, true)
	} else {
		m.set(t.kc.k, a, true)
	}
}

// test is the whole comparison, for any slot and frame.
func (t *slotTest) test(f *frame, m *miss) bool {
	if f.trace != nil {
		t.sh.mark(f)
	}
	v := f.slot(t.sh.where, t.sh.i)
	if !isNumeric(v.kind) {
		f.notNumber(t.p, v, t.sh.where, t.sh.i)
		*m = miss{}
		return false
	}
	a := v.n()
	r, quick := t.kc.quick(a)
	if !quick {
		r = cmpNum(a, t.kc.k)
	}
	if t.holds[r+1] {
		return true
	}
	t.missed(m, a)
	return false
}

// numTest compiles a comparison of numbers into one closure that says
// whether it holds, leaving its sides in *m when it does not: a rule's
// condition is a chain of these, and the sides are made into Values and
// worded only when the rule's Reason is asked for.
func (c *compiler) numTest(x, y lang.Expr, op lang.BinOp) testFn {
	holds := outcomes(op)
	sh := c.shapeOf(x, y)
	xn, yn, k, p := sh.x, sh.y, sh.k, c.prog
	switch sh.kind {
	case slotConst, constSlot:
		t := newSlotTest(sh, holds, p)
		// everything t needs is behind one pointer, read where it is used:
		// captured variables are all read on entry
		return func(f *frame, m *miss) bool {
			if v := f.slot(t.sh.where, t.sh.i); f.trace == nil && isNumeric(v.kind) {
				a := v.n()
				if r, ok := t.kc.quick(a); ok {
					if t.holds[r+1] {
						return true
					}
					t.missed(m, a)
					return false
				}
			}
			return t.test(f, m)
		}
	case fnConst, constFn:
		kc, sign, fn, fnExpr := newConstCmp(k), 1, xn, x
		if sh.kind == constFn {
			sign, fn, fnExpr = -1, yn, y
		}
		divides := func(f *frame, m *miss) bool {
			if f.trace != nil {
				sh.mark(f)
			}
			a, ok := fn(f)
			if ok {
				r, quick := kc.quick(a)
				if !quick {
					r = cmpNum(a, k)
				}
				if holds[sign*r+1] {
					return true
				}
			}
			if sign < 0 {
				m.set(k, a, ok)
			} else {
				m.set(a, k, ok)
			}
			return false
		}
		if t := c.quotientTestOf(fnExpr, k, sign > 0, holds, divides); t != nil {
			return t
		}
		return divides
	case slotSlot:
		return func(f *frame, m *miss) bool {
			var a, b num
			ok := false
			if x, y := f.slot(sh.where, sh.i), f.slot(sh.w2, sh.i2); isNumeric(x.kind) && isNumeric(y.kind) && f.trace == nil {
				a, b, ok = x.n(), y.n(), true
			} else {
				a, b, ok = sh.slots(f, p)
			}
			if ok && holds[cmpNum(a, b)+1] {
				return true
			}
			m.set(a, b, ok)
			return false
		}
	}
	return func(f *frame, m *miss) bool {
		a, b, ok := both(f, xn, yn)
		if ok && holds[cmpNum(a, b)+1] {
			return true
		}
		m.set(a, b, ok)
		return false
	}
}

// comparison returns the test of a comparison of values of one type.
func comparison(op lang.BinOp) func(a, b Value) bool {
	cmp := func(a, b Value) int {
		if a.kind == lang.KindDate {
			return cmpInt(a.dateKey(), b.dateKey())
		}
		return cmpNum(a.n(), b.n())
	}
	switch op {
	case lang.OpEq:
		return func(a, b Value) bool { return a.Equal(b) }
	case lang.OpNe:
		return func(a, b Value) bool { return !a.Equal(b) }
	case lang.OpLt:
		return func(a, b Value) bool { return cmp(a, b) < 0 }
	case lang.OpLe:
		return func(a, b Value) bool { return cmp(a, b) <= 0 }
	case lang.OpGt:
		return func(a, b Value) bool { return cmp(a, b) > 0 }
	}
	return func(a, b Value) bool { return cmp(a, b) >= 0 }
}

func (c *compiler) binary(e *lang.Binary) evalFn {
	switch {
	case e.Op == lang.OpAnd || e.Op == lang.OpOr || e.Op.IsComparison() && c.isNumeric(e.X) && c.isNumeric(e.Y):
		return c.condValue(e)
	case e.Op.IsComparison():
		x, y := c.expr(e.X), c.expr(e.Y)
		cmp := comparison(e.Op)
		return func(f *frame) (Value, error) {
			a, err := x(f)
			if err != nil {
				return Value{}, err
			}
			b, err := y(f)
			if err != nil {
				return Value{}, err
			}
			if a.IsNA() {
				return a, nil
			}
			if b.IsNA() {
				return b, nil
			}
			return Bool(cmp(a, b)), nil
		}
	}
	return c.numValue(e)
}

// boolFn evaluates a condition. It returns ok false when the value is
// 不适用 or evaluation failed, as numFn does.
type boolFn func(f *frame) (value, ok bool)

// cond compiles a condition. Names, comparisons of numbers, 且, 或 and 不
// are compiled to boolFns directly; anything else through its Value
// closure.
func (c *compiler) cond(e lang.Expr) boolFn {
	switch e := e.(type) {
	case *lang.Ref:
		s := c.checked.Uses[e]
		i := s.Index
		switch s.Kind {
		case lang.SymInput:
			p := c.prog
			return func(f *frame) (bool, bool) {
				if f.trace != nil {
					f.trace.inputs[i] = true
				}
				v := &f.inputs[i]
				if v.kind != lang.KindBool {
					f.err = p.badInput(i, v)
					return false, false
				}
				return v.b, true
			}
		case lang.SymField:
			depth := s.Rule
			return func(f *frame) (bool, bool) { return f.heldBool(&f.items[depth].list()[i]) }
		case lang.SymDef:
			return func(f *frame) (bool, bool) {
				if f.trace != nil {
					f.trace.defs[i] = true
				}
				return f.heldBool(&f.defs[i])
			}
		case lang.SymOutput:
			return func(f *frame) (bool, bool) { return f.heldBool(&f.outputs[i].Value) }
		}
	case *lang.Binary:
		switch {
		case e.Op.IsComparison() && c.isNumeric(e.X) && c.isNumeric(e.Y):
			test := c.numTest(e.X, e.Y, e.Op)
			return func(f *frame) (bool, bool) {
				m := &f.scratch // not on the stack: a testFn's argument escapes
				if test(f, m) {
					return true, true
				}
				return false, m.ok
			}
		case e.Op == lang.OpAnd || e.Op == lang.OpOr:
			x, y := c.cond(e.X), c.cond(e.Y)
			settles := e.Op == lang.OpOr // the value that settles the answer
			return func(f *frame) (bool, bool) {
				v, ok := x(f)
				if !ok || v == settles {
					return v, ok
				}
				return y(f)
			}
		}
	case *lang.Call:
		if fold := c.foldOf(e); fold == FoldAny || fold == FoldAll {
			return c.foldBool(e, fold)
		}
	case *lang.Unary:
		if e.Op == lang.OpNot {
			x := c.cond(e.X)
			return func(f *frame) (bool, bool) {
				v, ok := x(f)
				return !v, ok
			}
		}
	}
	ev := c.expr(e)
	return func(f *frame) (bool, bool) { return f.boolOf(ev(f)) }
}

// boolOf returns the 是否 an evaluation gave, or false, with the error or
// the 不适用 in the frame.
func (f *frame) boolOf(v Value, err error) (bool, bool) {
	if err != nil {
		f.err = err
		return false, false
	}
	if v.kind == lang.KindNA {
		f.na = v
		return false, false
	}
	return v.b, true
}

// condValue compiles a condition into a Value closure by way of its boolFn.
func (c *compiler) condValue(e lang.Expr) evalFn { return boolValue(c.cond(e)) }

// boolValue turns a boolFn into a Value closure.
func boolValue(test boolFn) evalFn {
	return func(f *frame) (Value, error) {
		v, ok := test(f)
		if !ok {
			return f.fail()
		}
		return Bool(v), nil
	}
}

func cmpInt(x, y int64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
