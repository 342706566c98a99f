package interp

import (
	"github.com/zhengce/zhengce/lang"
)

// This file holds what acts on rules after they are evaluated, per record:
// what a rule pays, 就高不重复 groups, caps (上限) and the cases a policy
// excludes (不予支持), which act before the rules they cover.

// Paid returns the amount the rule pays (its output written 给予, or its
// only 金额 output), after every 就高不重复, cap and budget: false when the
// rule does not apply or pays no money.
func (rr *RuleResult) Paid() (Value, bool) {
	if !rr.Applies || rr.pays < 0 {
		return Value{}, false
	}
	return rr.Outputs[rr.pays].Value, true
}

// PaidOutput returns the name of the output the rule pays, or "" for a
// rule that pays no money.
func (rr *RuleResult) PaidOutput() string {
	if rr.pays < 0 || rr.pays >= len(rr.outputs) {
		return ""
	}
	return rr.outputs[rr.pays].Name
}

// Total returns what the policy pays the record in all: the sum of what
// the rules that apply pay, after every 就高不重复, cap and budget.
func (res *Result) Total() Value {
	var sum num
	for i := range res.Rules {
		if v, ok := res.Rules[i].Paid(); ok {
			sum = addNum(sum, v.n(), false)
		}
	}
	return sum.value(lang.KindMoney)
}

// Denial is a case the policy excludes (不予支持) that the record met: the
// rules it covers do not apply.
type Denial struct {
	Name   string
	Cites  []string
	Reason *Reason // the case met, with the values it read
	Rules  []string
}

// LimitResult is what a cap (上限) did for the record: what its rules
// asked for in all, the limit, and what they were paid.
type LimitResult struct {
	Name  string
	Cites []string
	// Most and Before, for 累计最高 and 每年最高: the most the text allows,
	// and what the 台账 shows its rules paid before (in all, or in the
	// record's year); Limit is then what was left. Invalid otherwise.
	Most, Before Value
	Limit        Value // the 额度, 0 when it was negative
	Asked        Value // what the rules would have paid without the cap
	Paid         Value // what they are paid
}

// compiledLimit is a 上限: what its rules pay, in the order listed, is
// cut so that together they pay no more than amount.
type compiledLimit struct {
	name   string
	cites  []string
	pos    lang.Pos
	amount numFn
	rules  []int
	scope  string   // "累计", "每年" (the 台账's payments are subtracted), or ""
	keys   []string // the 事项 of the 台账 that are its rules' (matchKeys)
}

// compiledDeny is a 不予支持: when any of its cases holds, its rules do
// not apply.
type compiledDeny struct {
	name  string
	text  string // the condition as written
	cites []string
	cases []conjunct // joined by 或 in the text
	rules []int
}

// evalGroup applies 就高不重复: of the group's rules that apply, the one that
// pays the most (the earlier-listed on a tie) keeps applying, and the
// others are set aside with the reason.
func (p *Program) evalGroup(f *frame, g int) {
	rules := p.checked.GroupRules[g]
	amount := func(r int) num {
		v, _ := f.res.Rules[r].Paid()
		return v.n()
	}
	best := -1
	var bestAmount num
	for _, r := range rules {
		if !f.res.Rules[r].Applies {
			continue
		}
		if a := amount(r); best < 0 || cmpNum(a, bestAmount) > 0 {
			best, bestAmount = r, a
		}
	}
	group := p.checked.Groups[g]
	if best >= 0 && f.missing != nil {
		// partial data: the rules that could not be told took no part
		unknown := 0
		for _, r := range rules {
			if len(f.lacking(p.reads.rules[r])) > 0 {
				unknown++
			}
		}
		if unknown > 0 {
			rr := &f.res.Rules[best]
			rr.Notes = append(rr.Notes, msgGroupUnknown(group.Name.Text, unknown))
			f.res.extras = true
		}
	}
	for _, r := range rules {
		if r == best || !f.res.Rules[r].Applies {
			continue
		}
		own := amount(r)
		rr := &f.res.Rules[r]
		rr.Applies, rr.Outputs, rr.exceptions, rr.Exceptions = false, nil, rr.exceptions[:0], nil
		rr.why.set(nil, &Reason{Pos: group.Name.Pos, Kind: ReasonExclusive, Note: msgExclusive(group.Name.Text, p.rules[best].rule.Name.Text, bestAmount, own)})
	}
}

// evalLimit applies cap k: its rules that apply are paid in the order
// listed until their amounts reach the limit; the rule that crosses it is
// paid what is left, and those after it nothing, each with a note. A
// negative amount (a repayment) takes nothing from the limit. A limit that
// cannot be had (不适用) leaves its rules not applying: paying them
// without knowing the cap could pay too much.
func (p *Program) evalLimit(f *frame, k int) error {
	l := &p.limits2[k]
	res := f.res
	lr := &res.Limits[k]
	*lr = LimitResult{Name: l.name, Cites: l.cites}
	var limit num
	ok := false
	if names := f.lacking(p.reads.limits[k]); len(names) > 0 {
		f.na = insufficient(names) // what the limit reads is missing: as if it were 不适用
	} else {
		limit, ok = l.amount(f)
	}
	if !ok {
		v, err := f.fail()
		if err != nil {
			return err
		}
		for _, r := range l.rules {
			rr := &res.Rules[r]
			if rr.Applies {
				rr.Applies, rr.Outputs = false, nil
				rr.why.set(nil, &Reason{Pos: l.pos, Kind: ReasonLimit, Note: msgCapUnknown(l.name, v.Why())})
			}
		}
		lr.Limit, lr.Asked, lr.Paid = NA(v.Str()), Money0(), Money0()
		return nil
	}
	limit = toFen(limit)
	if l.scope != "" { // 累计最高, 每年最高: less what was paid before
		used, err := p.ledgerUsed(f, k)
		if err != nil {
			return err
		}
		lr.Before, lr.Most = used.value(lang.KindMoney), limit.value(lang.KindMoney)
		limit = addNum(limit, used, true)
	}
	if limit.neg() {
		limit = num{}
	}
	left := limit
	var asked, paid num
	for _, r := range l.rules {
		rr := &res.Rules[r]
		v, ok := rr.Paid()
		if !ok {
			continue
		}
		n := v.n()
		if n.neg() || n.isZero() {
			continue
		}
		asked = addNum(asked, n, false)
		if cmpNum(n, left) <= 0 {
			left = addNum(left, n, true)
			paid = addNum(paid, n, false)
			continue
		}
		rr.Outputs[rr.pays].Value.setNum(lang.KindMoney, left)
		res.extras = true
		if left.isZero() {
			rr.Notes = append(rr.Notes, msgCapSpent(l.name, limit, n))
		} else {
			rr.Notes = append(rr.Notes, msgCapCut(l.name, limit, n, addNum(n, left, true), left))
		}
		paid = addNum(paid, left, false)
		left = num{}
	}
	lr.Limit, lr.Asked, lr.Paid = limit.value(lang.KindMoney), asked.value(lang.KindMoney), paid.value(lang.KindMoney)
	return nil
}

// Money0 is 0元.
func Money0() Value { return num{}.value(lang.KindMoney) }

// evalDeny decides exclusion k: when any of its cases holds, or cannot be
// told (不适用: paying then could pay an excluded enterprise), the rules it
// covers will not apply, with the case as the reason.
func (p *Program) evalDeny(f *frame, k int) error {
	d := &p.denies[k]
	var reason *Reason
	if f.missing != nil {
		if names := f.lacking(p.reads.denies[k]); len(names) > 0 { // cannot tell: not paid
			reason = &Reason{Pos: d.cases[0].expr.Position(), Kind: ReasonDenied, Condition: d.text, Note: Message{Zh: d.name, En: d.name}, Unknown: insufficient(names).Why()}
		}
	}
	for j := 0; j < len(d.cases) && reason == nil; j++ {
		held, err := p.denyCase(f, &d.cases[j], d.name)
		if err != nil {
			return err
		}
		if held != nil {
			reason = held
			break
		}
	}
	if reason == nil {
		return nil
	}
	if f.denied == nil {
		f.denied = make([]*Reason, len(p.rules))
	}
	den := Denial{Name: d.name, Cites: d.cites, Reason: reason}
	for _, r := range d.rules {
		if f.denied[r] == nil {
			f.denied[r] = reason
		}
		den.Rules = append(den.Rules, p.rules[r].rule.Name.Text)
	}
	f.res.Denials = append(f.res.Denials, den)
	return nil
}

// denyCase tests one case of exclusion name: the reason when it holds or
// cannot be told, nil when it does not hold.
func (p *Program) denyCase(f *frame, c *conjunct, name string) (*Reason, error) {
	reason := &Reason{Pos: c.expr.Position(), Kind: ReasonDenied, Condition: c.text, Note: Message{Zh: name, En: name}}
	if !c.isCompared {
		held, ok := c.holds.eval(f)
		switch {
		case ok && !held:
			return nil, nil
		case ok:
			if ref, isRef := c.expr.(*lang.Ref); isRef {
				reason.Values = append(reason.Values, Output{Name: ref.Name.Text, Value: Bool(true)})
			}
			return reason, nil
		}
		if err := f.err; err != nil {
			f.err = nil
			return nil, err
		}
		reason.Unknown = f.na.Why()
		return reason, nil
	}
	a, b, err := c.sides(f)
	if err != nil {
		return nil, err
	}
	switch {
	case a.IsNA():
		reason.Unknown = a.Why()
	case b.IsNA():
		reason.Unknown = b.Why()
	case !c.compare(a, b):
		return nil, nil
	default:
		c.values(reason, a, b)
	}
	return reason, nil
}
