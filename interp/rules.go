package interp

import "github.com/zhengce/zhengce/lang"

// This file evaluates a rule: its body compiled into steps (conditions,
// 其中, outputs, the 台账 and the dates that qualify), tested to the first
// failure in the steady state, and every condition for near misses.

// evalRule evaluates rule i into f.res.Rules[i], in place: its conditions,
// 其中 and outputs, in the order they are written; whether it applies, and
// when it does not, why (rr.why).
func (p *Program) evalRule(f *frame, i int) error {
	r := &p.rules[i]
	var outside *Reason
	if r.outside != nil || f.otherDate {
		outside = r.outsideOn(f.asOf, p.asOf)
	}
	if outside == nil && f.denied != nil {
		outside = f.denied[i]
	}
	if outside == nil && f.missing != nil {
		if names := f.lacking(p.reads.rules[i]); len(names) > 0 {
			outside = &Reason{Pos: r.rule.Name.Pos, Kind: ReasonData, Note: insufficient(names).Why()}
		}
	}
	return p.runRule(f, &r.body, &f.res.Rules[i], outside)
}

// ruleBody is a rule's body compiled into steps, one per item, and the
// conjuncts of its conditions. The conditions' step is condStep, or nil
// where they are tested by testToFailure alone (EvalInto's steady state).
type ruleBody struct {
	steps     []bodyStep
	conjuncts []conjunct
}

// runRule evaluates a rule's body into rr: each step in order, a nil step
// being the conditions, tested up to the first that fails. A rule outside
// its validity (outside, not nil) is not evaluated.
func (p *Program) runRule(f *frame, b *ruleBody, rr *RuleResult, outside *Reason) error {
	// field by field, keeping the storage of the last evaluation into rr
	rr.Applies, rr.Outputs = false, nil
	if f.clearExtras {
		rr.Failures, rr.Notes, rr.Explanation = nil, nil, nil
	}
	if rr.Exceptions != nil {
		rr.exceptions, rr.Exceptions = rr.exceptions[:0], nil
	}
	if outside != nil {
		rr.why.set(nil, outside)
		return nil
	}
	f.outputs = rr.outputs
	for _, step := range b.steps {
		var goOn bool
		var err error
		if step == nil {
			goOn, err = p.testToFailure(f, b.conjuncts, rr)
		} else {
			goOn, err = step(f, rr)
		}
		if !goOn || err != nil {
			if len(rr.exceptions) > 0 {
				rr.Exceptions = rr.exceptions
			}
			return err
		}
	}
	if len(rr.exceptions) > 0 {
		rr.Exceptions = rr.exceptions
	}
	rr.Applies, rr.Outputs = true, rr.outputs // rr.why is not read while it applies
	return nil
}

// bodyStep is one item of a rule's body, compiled: the rule's conditions,
// a 其中, or an output. It reports whether the evaluation of the rule goes
// on; when it does not and there is no error, the rule does not apply and
// rr.why says why.
type bodyStep func(f *frame, rr *RuleResult) (goOn bool, err error)

// bodySteps compiles the body of rule r into steps, so that evaluating a
// rule is a call per item, each with what it needs at hand.
func (p *Program) bodySteps(r *compiledRule) []bodyStep {
	var steps []bodyStep
	for k := range r.byDate { // before anything: is the qualifying event in the period?
		steps = append(steps, r.byDate[k].step)
	}
	steps = append(steps, r.ledgerSteps...) // then: was it paid before?
	for _, item := range r.rule.Body {
		switch item.Kind {
		case lang.BodyCond:
			steps = append(steps, p.condStep(r))
		case lang.BodyException:
			x := &r.exceptions[item.Index]
			steps = append(steps, func(f *frame, rr *RuleResult) (bool, error) { return true, p.exception(f, x, rr) })
		case lang.BodyOutput:
			steps = append(steps, p.outputStep(&r.outputs[item.Index], item.Index))
		}
	}
	return steps
}

// condStep compiles the conditions of rule r: in the common case they are
// tested up to the first that fails, which is recorded to be worded when
// asked; near misses and explanations test them through testAll.
func (p *Program) condStep(r *compiledRule) bodyStep {
	return func(f *frame, rr *RuleResult) (bool, error) {
		if f.allCond || f.trace != nil {
			return p.testAll(f, r, rr)
		}
		return p.testToFailure(f, r.conjuncts, rr)
	}
}

// testToFailure tests conjuncts up to the first that fails, which is
// recorded in rr.why to be worded when asked.
func (p *Program) testToFailure(f *frame, conjuncts []conjunct, rr *RuleResult) (bool, error) {
	w := &rr.why
	for j := range conjuncts {
		c := &conjuncts[j]
		if c.test != nil {
			if c.test(f, &w.miss) {
				continue
			}
			if w.miss.ok {
				w.set(c, nil) // worded when asked
				return false, nil
			}
		} else if !c.isCompared {
			v, ok := c.holds.inPlace(f.inputs) // (no tracer here)
			if !ok {
				v, ok = c.holds.fn(f)
			}
			if ok && v {
				continue
			}
			if ok {
				w.set(c, nil)
				return false, nil
			}
		}
		reason, err := p.check(f, c, &rr.reason)
		if err != nil {
			return false, err
		}
		if reason != nil {
			w.set(nil, reason)
			return false, nil
		}
	}
	return true, nil
}

// steadyRule is a rule as EvalInto evaluates it in the steady state of a
// policy of rules alone, where a frame has no tracer, tests conditions up
// to the first failure and is on the program's date: its body with nil
// for the conditions (tested by testToFailure, with no step of their own),
// and why it is out of force on that date, or nil.
type steadyRule struct {
	rule    int
	body    ruleBody
	outside *Reason
}

func (p *Program) steadyRule(i int) steadyRule {
	r := &p.rules[i]
	st := steadyRule{rule: i, body: ruleBody{steps: make([]bodyStep, len(r.body.steps)), conjuncts: r.conjuncts}, outside: r.outside}
	first := len(r.byDate) + len(r.ledgerSteps) // the body's steps come after the validities by date and the 台账's
	copy(st.body.steps, r.body.steps[:first])
	for k, item := range r.rule.Body {
		if item.Kind != lang.BodyCond {
			st.body.steps[first+k] = r.body.steps[first+k]
		}
	}
	return st
}

// outputStep compiles output o of a rule, written into slot idx: a number
// (money rounded to the fen) or a 是否 straight into the slot, anything
// else, or a value that cannot be had, through output.
func (p *Program) outputStep(o *compiledDef, idx int) bodyStep {
	switch num, cond, test, k := o.num, o.cond, o.test, o.typ.Kind; {
	case o.konst != nil:
		return func(f *frame, rr *RuleResult) (bool, error) {
			o.konst.set(f, &f.outputs[idx].Value)
			return true, nil
		}
	case num != nil:
		round := k == lang.KindMoney // to the fen, as storeNum does, without its call
		return func(f *frame, rr *RuleResult) (bool, error) {
			if n, ok := num(f); ok {
				if round {
					n = toFen(n)
				}
				f.outputs[idx].Value.setNum(k, n)
				return true, nil
			}
			return p.output(f, o, idx, &rr.why)
		}
	case o.atFen:
		return func(f *frame, rr *RuleResult) (bool, error) {
			v, err := o.value(f)
			if err != nil {
				return false, err
			}
			if f.trace == nil && !v.IsNA() {
				f.outputs[idx].Value = v // each amount already to the fen
				return true, nil
			}
			return p.stored(f, o, idx, v, &rr.why)
		}
	case o.slotTest != nil:
		t := o.slotTest
		return func(f *frame, rr *RuleResult) (bool, error) {
			if v := f.slot(t.sh.where, t.sh.i); f.trace == nil && numericKind(v.kind) {
				if r, ok := t.kc.quick(v.n()); ok { // the test inlined, as the slot is read in place
					f.outputs[idx].Value.setBool(t.holds[r+1])
					return true, nil
				}
			}
			return p.testOutput(f, o, idx, rr)
		}
	case test != nil:
		return func(f *frame, rr *RuleResult) (bool, error) { return p.testOutput(f, o, idx, rr) }
	case cond != nil:
		return func(f *frame, rr *RuleResult) (bool, error) {
			if b, ok := cond(f); ok {
				f.outputs[idx].Value.setBool(b)
				return true, nil
			}
			return p.output(f, o, idx, &rr.why)
		}
	}
	return func(f *frame, rr *RuleResult) (bool, error) { return p.output(f, o, idx, &rr.why) }
}

// testOutput evaluates output o, a comparison of numbers, into slot idx.
func (p *Program) testOutput(f *frame, o *compiledDef, idx int, rr *RuleResult) (bool, error) {
	m := &f.scratch // not on the stack: a testFn's argument escapes
	if o.test(f, m) {
		f.outputs[idx].Value.setBool(true)
		return true, nil
	}
	if m.ok { // written whenever the test fails
		f.outputs[idx].Value.setBool(false)
		return true, nil
	}
	return p.output(f, o, idx, &rr.why)
}

// outsideOn returns why the rule is outside its validity on asOf, or nil;
// progAsOf is the program's date, on which r.outside has the answer.
func (r *compiledRule) outsideOn(asOf, progAsOf lang.Date) *Reason {
	if asOf == progAsOf {
		return r.outside
	}
	for _, v := range r.validity {
		if reason := outsideValidity(v, asOf); reason != nil {
			return reason
		}
	}
	return nil
}

// testAll tests the conditions of rule r for a near miss or an
// explanation: every one of them (allCond), or up to the first that fails,
// each worded with its gap. It reports whether they all held.
func (p *Program) testAll(f *frame, r *compiledRule, rr *RuleResult) (bool, error) {
	held := true
	for j := range r.conjuncts {
		into := &rr.reason // written in place
		if f.allCond {
			into = new(Reason) // kept among the failures
		}
		reason, err := p.check(f, &r.conjuncts[j], into)
		if err != nil {
			return false, err
		}
		if reason == nil {
			continue
		}
		if held {
			held = false
			rr.why.set(nil, reason)
		}
		if !f.allCond {
			return false, nil
		}
		rr.Failures = append(rr.Failures, reason)
	}
	return held, nil
}

// exception applies 其中 x when its condition holds: its overrides
// replace outputs defined above it.
func (p *Program) exception(f *frame, x *compiledException, rr *RuleResult) error {
	holds, ok := x.cond.eval(f)
	if !ok && f.err != nil {
		err := f.err
		f.err = nil
		return err
	}
	if !ok || !holds {
		return nil
	}
	rr.exceptions = append(rr.exceptions, x.text)
	for i := range x.overrides {
		o := &x.overrides[i]
		if o.konst != nil {
			o.konst.set(f, &f.outputs[o.output].Value)
			continue
		}
		if o.num != nil {
			if n, ok := o.num(f); ok {
				storeNum(&f.outputs[o.output].Value, o.typ.Kind, n)
				continue
			}
		}
		nv, err := o.value(f)
		if err != nil {
			return err
		}
		f.outputs[o.output].Value = store(f, o.typ, numericOr(o.typ, nv))
	}
	return nil
}

// output evaluates output o of a rule into slot idx when its numFn or
// boolFn gave no value, or it has neither; it reports whether the value
// was had. An output that cannot be had (a category missing from a table,
// a rule it needs that does not apply) makes the rule not apply, and w
// says why.
func (p *Program) output(f *frame, o *compiledDef, idx int, w *why) (bool, error) {
	var v Value
	var err error
	if o.num != nil || o.cond != nil {
		v, err = f.fail()
	} else {
		v, err = o.value(f)
	}
	if err != nil {
		return false, err
	}
	return p.stored(f, o, idx, v, w)
}

// stored writes v, the value of output o, into slot idx as store keeps it;
// a value that cannot be had (不适用) leaves the rule not applying, w
// saying why.
func (p *Program) stored(f *frame, o *compiledDef, idx int, v Value, w *why) (bool, error) {
	if v.IsNA() {
		w.set(nil, &Reason{Pos: o.name.Pos, Kind: ReasonOutput, Note: msgOutputNA(o.name.Text, v.Why())})
		return false, nil
	}
	f.outputs[idx].Value = store(f, o.typ, v)
	return true, nil
}

// byValidity is a validity tested on a date of the record (有效期 … 按 认定
// 日期), compiled into a step of its rule's body.
type byValidity struct {
	v    *lang.Validity
	step bodyStep
}

// byValidityStep compiles validity v, tested on the date date gives.
func byValidityStep(v *lang.Validity, date evalFn) bodyStep {
	return func(f *frame, rr *RuleResult) (bool, error) {
		d, err := date(f)
		if err != nil {
			return false, err
		}
		if d.IsNA() {
			rr.why.set(nil, &Reason{Pos: v.Pos, Kind: ReasonValidity, Note: msgValidityUnknown(d.Why())})
			return false, nil
		}
		if reason := outsideValidityOf(v, d.Date(), v.By.Name.Text); reason != nil {
			rr.why.set(nil, reason)
			return false, nil
		}
		return true, nil
	}
}

// outsideValidity returns why asOf lies outside v, or nil.
func outsideValidity(v *lang.Validity, asOf lang.Date) *Reason {
	return outsideValidityOf(v, asOf, "评估日期")
}

// outsideValidityOf returns why date, named what, lies outside v, or nil.
func outsideValidityOf(v *lang.Validity, asOf lang.Date, what string) *Reason {
	if (v.From == nil || v.From.Compare(asOf) <= 0) && (v.Until == nil || asOf.Compare(*v.Until) <= 0) {
		return nil
	}
	return &Reason{Pos: v.Pos, Kind: ReasonValidity, Note: msgOutsideValidity(v, what, asOf)}
}
