package interp

import "github.com/zhengce/zhengce/lang"

// This file compiles comparisons. Every comparison of numbers comes to
// cmpNum (num.go): the tiers here only choose how the two sides are had —
// a constant side (constCmp, checked once at Compile), input slots read
// in place (slotTest), or the general numFns (numTest) — and what a
// failure records for its wording (miss). TestConstCmpAgreesWithCmpNum,
// TestQuotientCompareAgreesWithDividing and the module's
// TestComparisonTiersAgree check each tier against exact arithmetic.

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
	if !numericKind(v.kind) {
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
			if v := f.slot(t.sh.where, t.sh.i); f.trace == nil && numericKind(v.kind) {
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
			if x, y := f.slot(sh.where, sh.i), f.slot(sh.w2, sh.i2); numericKind(x.kind) && numericKind(y.kind) && f.trace == nil {
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
	case e.Op == lang.OpAnd || e.Op == lang.OpOr || e.Op.IsComparison() && c.numericExpr(e.X) && c.numericExpr(e.Y):
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
		case e.Op.IsComparison() && c.numericExpr(e.X) && c.numericExpr(e.Y):
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
