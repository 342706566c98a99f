package interp

import (
	"context"
	"fmt"

	"github.com/zhengce/zhengce/lang"
)

// Inputs lists the inputs the policy reads, in declaration order.
func (p *Program) Inputs() []*lang.Input { return p.inputs }

// AsOf is the date a record is evaluated on when it gives none of its own:
// Options.AsOf, or the day the program was compiled.
func (p *Program) AsOf() lang.Date { return p.asOf }

// FirstYear is the year the policy came into force (its earliest 有效期),
// or 0 when it has none: a 台账's items are of that year or later.
func (p *Program) FirstYear() int { return p.firstYear }

// Checked returns the checked program p was compiled from.
func (p *Program) Checked() *lang.Program { return p.checked }

// Eval evaluates the policy for one record. A field that is missing or not of
// its input's type is a *FieldError; an error in evaluation (division by
// zero, a number out of range) is a *lang.Error with the position of the
// expression. Eval returns ctx.Err() if ctx is done.
func (p *Program) Eval(ctx context.Context, rec Record) (res *Result, err error) {
	return p.EvalWith(ctx, rec, EvalOptions{})
}

// the numeric kinds are consecutive: these fail to compile otherwise
var _ = [1]struct{}{}[lang.KindNumber-lang.KindMoney-1]
var _ = [1]struct{}{}[lang.KindRatio-lang.KindNumber-1]

// EvalInputs evaluates the policy for values already read into input slots,
// one per input in the order of Inputs, and maybe the record's own date in
// the slot after them (a Binder with a 评估日期 column writes it). A value
// not of its input's type (Binder never makes one) is reported as a
// *FieldError where the evaluation reads it; an input left without a value
// (a Binder's *DataError) leaves what reads it 数据不足.
func (p *Program) EvalInputs(ctx context.Context, inputs []Value) (res *Result, err error) {
	defer Recovered(&err)
	m := mode{asOf: p.dateFor(inputs, lang.Date{})}
	res, err = p.evalWith(ctx, inputs, m)
	if missingMet(err) {
		m.missing = p.missingInputs(inputs)
		res, err = p.evalWith(ctx, inputs, m)
	}
	return res, err
}

// EvalOptions configure one evaluation.
type EvalOptions struct {
	// AsOf is the evaluation date of a record that gives none of its own
	// (an input declared 评估日期 = 申报日期, or a 评估日期 field): for
	// validity periods, parameters that change by date and 评估日期 in
	// expressions. The zero Date means Options.AsOf, or, when that too is
	// unset, the day of the call (not of Compile: a server that runs for a
	// week answers each day with that day).
	AsOf lang.Date
	// Explain records how each definition and rule reached its value:
	// Result.DefSteps and RuleResult.Explanation.
	Explain bool
	// AllConditions tests every condition of each rule, not only up to the
	// first that fails, so that RuleResult.Failures can tell a near miss
	// (one condition short, with the gap) from a rule far off.
	AllConditions bool
}

// EvalWith is Eval with options. A record some of whose fields are missing
// or bad is still evaluated: the rules that read those fields do not apply
// (数据不足, naming them), the others do as they would, and the error is a
// *DataError naming every such field, returned beside the Result.
func (p *Program) EvalWith(ctx context.Context, rec Record, opts EvalOptions) (res *Result, err error) {
	defer Recovered(&err)
	inputs, dataErr := p.bind(rec)
	if inputs == nil {
		return nil, dataErr
	}
	m := mode{asOf: p.dateFor(inputs, opts.AsOf), allCond: opts.AllConditions}
	if opts.Explain {
		m.trace = &tracer{inputs: make([]bool, len(inputs)), params: make([]bool, len(p.params)), defs: make([]bool, len(p.defs))}
	}
	// with fields missing, evaluate as if none were: only when the
	// evaluation meets one is the record evaluated again, knowing which
	// are missing, so that 数据不足 is said only where a missing value
	// mattered (a sum of rules outside their validity is 0 all the same)
	res, err = p.evalWith(ctx, inputs, m)
	if missingMet(err) {
		m.missing = p.missingInputs(inputs)
		if opts.Explain {
			m.trace = &tracer{inputs: make([]bool, len(inputs)), params: make([]bool, len(p.params)), defs: make([]bool, len(p.defs))}
		}
		res, err = p.evalWith(ctx, inputs, m)
	}
	if err != nil {
		return nil, err
	}
	return res, dataErr
}

// mode is how one evaluation runs: on which date, whether it records an
// explanation or tests every condition, and which inputs have no value.
type mode struct {
	asOf    lang.Date
	trace   *tracer
	allCond bool
	missing []bool // by input; nil when every input has a value
}

// dateFor returns the evaluation date of the record in inputs: its own
// (the input declared 评估日期 = …, else its 评估日期 field, in the slot
// after the inputs), else given, else Options.AsOf, else today.
func (p *Program) dateFor(inputs []Value, given lang.Date) lang.Date {
	if !p.usesDate {
		return p.asOf // nothing reads it
	}
	if i := p.asOfInput; i >= 0 && i < len(inputs) && inputs[i].kind == lang.KindDate {
		return inputs[i].Date()
	}
	if n := len(p.inputs); len(inputs) > n && inputs[n].kind == lang.KindDate {
		return inputs[n].Date()
	}
	if given != (lang.Date{}) {
		return given
	}
	if p.asOfToday {
		return today()
	}
	return p.asOf
}

func (p *Program) evalAt(ctx context.Context, inputs []Value, asOf lang.Date) (*Result, error) {
	return p.evalWith(ctx, inputs, mode{asOf: asOf})
}

func (p *Program) evalWith(ctx context.Context, inputs []Value, m mode) (*Result, error) {
	res := &Result{}
	p.prepare(res)
	f, _ := p.frames.Get().(*frame)
	if f == nil {
		f = p.newFrame()
	}
	err := p.evalFrame(ctx, f, inputs, m, res)
	f.ctx, f.inputs, f.res, f.missing = nil, nil, nil, nil // not kept alive by the pool
	p.frames.Put(f)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// EvalInto is EvalInputs that writes the result into res, reusing the
// storage res holds from an earlier evaluation (its outputs, reasons, the
// lists 对每个 builds, and the evaluation frame): evaluating every record
// into the same Result allocates nothing once that storage has grown, except
// for the few reasons worded anew (就高不重复's, an output that cannot be
// had). A failed comparison is worded only when RuleResult.Reason is
// called. The next EvalInto into res overwrites what it holds, values included;
// copy what must outlive it. On an error, res holds nothing of use. A Result
// is for one goroutine at a time.
func (p *Program) EvalInto(ctx context.Context, inputs []Value, res *Result) error {
	f := res.frame
	// otherDay: the record's date is not p.asOf
	otherDay := false
	if p.datePerRecord || len(inputs) != len(p.inputs) { // (a 评估日期 column is the slot after the inputs)
		otherDay = p.dateFor(inputs, lang.Date{}) != p.asOf
	}
	if f == nil || f.prog != p { // (res.prog is set with res.frame)
		f = p.newFrame()
		res.frame = f // kept for the next evaluation into res
		p.prepare(res)
		return p.evalFrameMissing(ctx, f, inputs, p.dateFor(inputs, lang.Date{}), res)
	}
	// The steady state: only what changes from one record to the next is
	// written. A kept frame is used by EvalInto alone, so it has no tracer,
	// tests conditions up to the first failure, and is on p's date; the
	// stacks of 对每个 and calls are empty after every evaluation.
	var done <-chan struct{}
	if len(p.listInputs) > 0 || len(inputs) != len(p.inputs) || otherDay {
		var err error
		if done, err = p.begin(ctx, inputs); err != nil {
			return err
		}
	} else if done = ctx.Done(); done != nil { // as begin does, with nothing else to check
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	f.ctx, f.inputs, f.res, f.steps, f.err = ctx, inputs, res, p.limits.MaxSteps, nil
	if otherDay || f.otherDate { // the date differs from the program's now, or did last time
		asOf := p.dateFor(inputs, lang.Date{})
		f.asOf, f.otherDate, res.AsOf = asOf, otherDay, asOf
	}
	if len(f.arena) > 0 || len(f.refs) > 0 {
		f.arena, f.refs = f.arena[:0], f.refs[:0]
	}
	f.clearExtras, res.extras = res.extras, false
	if p.onlyRules && done == nil && f.steps >= len(p.order) && !otherDay {
		// rules alone, a context that is never done and steps enough for
		// all: evalSteps with nothing to look at between the rules
		f.steps -= len(p.order)
		rules := res.Rules
		for k := range p.steady {
			st := &p.steady[k]
			if err := p.runRule(f, &st.body, &rules[st.rule], st.outside); err != nil {
				if missingMet(err) {
					res.extras = res.extras || f.clearExtras // what the last record wrote is still to clear
					return p.evalFrameMissing(ctx, f, inputs, f.asOf, res)
				}
				return err
			}
		}
		if res.DefSteps != nil || len(res.ranks) > 0 {
			res.DefSteps, res.ranks = nil, res.ranks[:0]
		}
		return nil
	}
	err := p.evalSteps(f, done, nil)
	if missingMet(err) {
		res.extras = res.extras || f.clearExtras // what the last record wrote is still to clear
		return p.evalFrameMissing(ctx, f, inputs, f.asOf, res)
	}
	return err
}

// evalFrameMissing evaluates into res with frame f, as EvalInto does when
// it starts a Result or meets an input with no value: then again, knowing
// which inputs are missing, so that what reads them is 数据不足.
func (p *Program) evalFrameMissing(ctx context.Context, f *frame, inputs []Value, asOf lang.Date, res *Result) error {
	err := p.evalFrame(ctx, f, inputs, mode{asOf: asOf}, res)
	if missingMet(err) {
		res.extras = res.extras || f.clearExtras
		err = p.evalFrame(ctx, f, inputs, mode{asOf: asOf, missing: p.missingInputs(inputs)}, res)
	}
	f.missing = nil
	return err
}

// evalFrame evaluates the policy for inputs into res, with frame f, in
// mode m.
func (p *Program) evalFrame(ctx context.Context, f *frame, inputs []Value, m mode, res *Result) error {
	done, err := p.begin(ctx, inputs)
	if err != nil {
		return err
	}
	asOf, trace, allCond := m.asOf, m.trace, m.allCond
	f.ctx, f.asOf, f.inputs, f.trace, f.allCond, f.res, f.missing = ctx, asOf, inputs, trace, allCond, res, m.missing
	f.otherDate = asOf != p.asOf
	res.AsOf = asOf
	f.steps = p.limits.MaxSteps
	f.items, f.args, f.outputs, f.err = f.items[:0], f.args[:0], nil, nil
	f.arena, f.refs = f.arena[:0], f.refs[:0]
	// what only near misses, explanations and Settle write, cleared only
	// when an earlier evaluation into res wrote it
	f.clearExtras, res.extras = res.extras, allCond || trace != nil
	var rec *recorder
	if trace != nil {
		rec = newRecorder(p, trace)
	}
	err = p.evalSteps(f, done, rec)
	f.trace = nil
	return err
}

// begin checks that an evaluation can start: one value per input, and ctx
// not done. done is nil for a context that is never done: no checks then.
func (p *Program) begin(ctx context.Context, inputs []Value) (done <-chan struct{}, err error) {
	if len(inputs) != len(p.inputs) && len(inputs) != len(p.inputs)+1 { // (+1: the record's own date)
		return nil, fmt.Errorf("interp: %d input values for %d inputs", len(inputs), len(p.inputs))
	}
	for _, i := range p.listInputs {
		if err := p.checkList(i, &inputs[i]); err != nil {
			return nil, err
		}
	}
	done = ctx.Done()
	if done != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return done, nil
}

// checkList reports list input i when its items are not of the input's
// type (an embedder can build any list with List and RecordValue; the
// evaluation reads the items by their declared fields) or are more than
// MaxListItems. A value that is not a list is reported where it is read.
func (p *Program) checkList(i int, v *Value) error {
	if v.kind != lang.KindList {
		return nil
	}
	in, items := p.inputs[i], v.list()
	if err := p.checkValue(*v, nil); err != nil {
		return fieldError(in, nil, err)
	}
	rec := in.Type.Rec // a list input is a list of records
	if rec == nil {
		return nil
	}
	kinds := p.fieldKinds[i]
	for k := range items {
		it := &items[k]
		var fields []Value
		if it.kind == lang.KindRecord {
			fields = it.list()
		}
		if it.kind != lang.KindRecord || len(fields) != len(kinds) {
			return fieldError(in, nil, msgf("第 %[1]d 项应是有 %[2]d 个字段的记录", "item %[1]d should be a record of %[2]d fields", k+1, len(rec.Fields)))
		}
		for j := range fields {
			if field := &fields[j]; field.kind != kinds[j] && !(numericKind(kinds[j]) && numericKind(field.kind)) {
				return fieldError(in, nil, msgf("第 %[1]d 项的“%[2]s”的类型是%[3]s", "item %[1]d, field %[2]q, is of type %[4]s",
					k+1, rec.Fields[j].Name.Text, field.Type(), field.Type().English()))
			}
		}
	}
	return nil
}

// fits reports whether v is a value of kind k: numbers of any numeric kind
// fit a numeric kind, as an input read as a number does.
func fits(v *Value, k lang.Kind) bool {
	return v.kind == k || numericKind(k) && numericKind(v.kind)
}

// finish copies the definitions into res and records each 评选's ranking
// value.
func (p *Program) finish(f *frame, res *Result) error {
	for n, i := range p.defsInSource {
		res.Defs[n] = Output{Name: p.defs[i].name.Text, Value: f.defs[i]}
	}
	res.ranks = res.ranks[:0]
	for qi, q := range p.quotas {
		if names := f.lacking(p.reads.quotas[qi]); len(names) > 0 {
			for range q.ranks {
				res.ranks = append(res.ranks, insufficient(names))
			}
			continue
		}
		for _, rank := range q.ranks {
			v, err := rank(f)
			if err != nil {
				return err
			}
			res.ranks = append(res.ranks, v)
		}
	}
	return nil
}

// evalSteps evaluates the definitions and rules of p in order, looking
// between rules whether done is closed (nil: never), then finishes. rec,
// when not nil, records how each was reached, for an evaluation with Explain.
func (p *Program) evalSteps(f *frame, done <-chan struct{}, rec *recorder) error {
	if len(p.denies) > 0 {
		clear(f.denied)
		f.res.Denials = f.res.Denials[:0]
	}
	for k := range p.order {
		st := &p.order[k]
		if err := f.step(); err != nil {
			return err
		}
		switch st.kind {
		case stepGroup:
			p.evalGroup(f, st.i)
		case stepLimit:
			if err := p.evalLimit(f, st.i); err != nil {
				return err
			}
		case stepDeny:
			if err := p.evalDeny(f, st.i); err != nil {
				return err
			}
		case stepDef:
			d := &p.defs[st.i]
			if f.missing != nil {
				if names := f.lacking(p.reads.defs[st.i]); len(names) > 0 {
					f.defs[st.i] = insufficient(names)
					continue
				}
			}
			v, err := d.value(f)
			if err != nil {
				return err
			}
			f.defs[st.i] = store(f, d.typ, v)
			if rec != nil {
				rec.defSteps[d.name.Text] = rec.explain(p, f)
			}
		default:
			if done != nil {
				select {
				case <-done:
					return f.ctx.Err()
				default:
				}
			}
			if err := p.evalRule(f, st.i); err != nil {
				return err
			}
			if rec != nil {
				e := rec.explain(p, f)
				rec.ruleSteps[st.i] = &e
			}
		}
	}
	if rec != nil {
		f.res.DefSteps = rec.defSteps
		for i, e := range rec.ruleSteps {
			f.res.Rules[i].Explanation = e
		}
	} else if f.res.DefSteps != nil {
		f.res.DefSteps = nil
	}
	return p.finish(f, f.res)
}

// recorder collects the explanations of an evaluation's definitions and
// rules from its tracer.
type recorder struct {
	trace     *tracer
	defSteps  map[string]Explanation
	ruleSteps []*Explanation
}

func newRecorder(p *Program, trace *tracer) *recorder {
	return &recorder{trace: trace, defSteps: map[string]Explanation{}, ruleSteps: make([]*Explanation, len(p.rules))}
}

// explain takes what the tracer recorded since the last step.
func (r *recorder) explain(p *Program, f *frame) Explanation {
	steps, ins, params, defs := r.trace.take()
	e := Explanation{Steps: steps}
	for _, i := range ins {
		e.Inputs = append(e.Inputs, Output{Name: p.inputs[i].Name.Text, Value: f.inputs[i]})
	}
	for _, i := range params {
		name := p.checked.Params[i].Name.Text
		if from, dated := p.paramFrom(i, f.asOf); dated {
			name += "（自 " + from.Chinese() + " 起）" // which of its values, and since when
		}
		e.Params = append(e.Params, Output{Name: name, Value: p.paramAt(i, f.asOf)})
	}
	for _, i := range defs {
		e.Defs = append(e.Defs, Output{Name: p.defs[i].name.Text, Value: f.defs[i]})
	}
	return e
}

// prepare readies res to receive an evaluation of p: the rules' outputs
// are evaluated in place, into storage made once (with the outputs' names)
// for all the rules and kept for the next evaluation into res.
func (p *Program) prepare(res *Result) {
	res.prog = p
	res.Defs = resize(res.Defs, len(p.defsInSource))
	res.ranks = res.ranks[:0]
	res.Rules = make([]RuleResult, len(p.rules))
	n := 0
	for _, r := range p.rules {
		n += len(r.outputs)
	}
	store := make([]Output, n)
	for i, r := range p.rules {
		outs := store[:len(r.outputs):len(r.outputs)]
		store = store[len(r.outputs):]
		for j, o := range r.outputs {
			outs[j].Name = o.name.Text
		}
		rr := &res.Rules[i]
		rr.Name, rr.Cites, rr.outputs, rr.pays = r.rule.Name.Text, r.rule.Cites, outs, r.pays
	}
	res.Limits = resize(res.Limits, len(p.limits2))
}

// resize returns s with length n, reusing its array when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// store rounds money to the fen when it is stored under a name, and each
// amount of a list of money; a list whose amounts need rounding is copied
// into storage from f.
func store(f *frame, t lang.Type, v Value) Value {
	switch {
	case v.IsNA():
	case t == lang.Money:
		v = toFen(v.n()).value(lang.KindMoney)
	case t.Kind == lang.KindList && t.Elem == lang.KindMoney:
		for _, it := range v.list() {
			if !it.IsNA() && (it.big() || it.sc&^negBit > MoneyPlaces) {
				items := f.alloc(len(v.list()))
				for i, it := range v.list() {
					items[i] = store(f, lang.Money, it)
				}
				v = f.listValue(v.elem, items)
				break
			}
		}
	}
	return v
}

// toFen rounds money to the fen, calling roundNum only when there is
// rounding to do (small enough to be inlined).
func toFen(n num) num {
	if n.dec != nil || n.scale() > MoneyPlaces {
		return roundNum(n, MoneyPlaces)
	}
	return n
}

// storeNum is store for a number of kind k, written into a slot of a rule's
// outputs.
func storeNum(dst *Value, k lang.Kind, n num) {
	if k == lang.KindMoney {
		n = toFen(n)
	}
	dst.setNum(k, n)
}
