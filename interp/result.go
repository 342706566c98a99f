package interp

import (
	"fmt"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

// This file holds what an evaluation gives: the result of a record, of
// each rule, and why a rule does not apply (Reason), in both languages.

// Result is what a policy yields for one record.
type Result struct {
	// Defs are the top-level definitions, in source order.
	Defs []Output
	// DefSteps explain each definition, by name, when the evaluation was
	// asked to explain (EvalOptions.Explain); nil otherwise.
	DefSteps map[string]Explanation
	// AsOf is the date the record was evaluated on: its own, or the
	// caller's, or today (see EvalOptions.AsOf).
	AsOf lang.Date
	// Rules are the rules, in source order.
	Rules []RuleResult
	// Denials are the cases the policy excludes (不予支持) that the record
	// met; their rules do not apply.
	Denials []Denial
	// Limits say what each cap (上限) did, in source order.
	Limits []LimitResult
	// ranks holds each 评选's ranking value for this record.
	ranks []Value
	// frame is the evaluation state EvalInto keeps for the next
	// evaluation into this Result.
	frame *frame
	// extras is set when a rule's Failures, Notes or Explanation may be
	// set: the next evaluation into the Result clears them.
	extras bool
	prog   *Program // whose evaluation res holds
}

// Output is a named value.
type Output struct {
	Name  string // as written in the policy
	Value Value
}

// RuleResult is the outcome of one rule for one record.
type RuleResult struct {
	// Applies is false when the rule's condition does not hold; then
	// Outputs is empty and the method Reason says why.
	Applies bool
	Outputs []Output
	// Exceptions lists the 其中 that applied, by their conditions as
	// written.
	Exceptions []string

	// storage kept for the next evaluation into the same Result (EvalInto),
	// with what every evaluation writes above, together in memory
	outputs    []Output // all the rule's outputs, evaluated in place
	exceptions []string
	why        why // why the rule does not apply

	Name  string
	Cites []string
	// Failures lists every condition that failed, when the evaluation
	// tested them all (EvalOptions.AllConditions); one failure makes a near miss.
	Failures []*Reason
	// Notes explain changes made over all records: budget scaling.
	Notes []Message
	// Explanation is filled when EvalOptions.Explain is set.
	Explanation *Explanation

	reason Reason // the Reason worded in place
	pays   int    // the output the rule pays, or −1
}

// why records why a rule does not apply. A comparison of numbers that
// failed keeps itself and its two numbers, and is worded only when Reason
// is called: a caller that wants only the amounts does not pay for the
// words. Any other cause is worded at once.
type why struct {
	reason *Reason   // worded, or nil
	c      *conjunct // the condition that was false: a comparison, on the numbers in miss
	miss   miss
}

// set records that the rule does not apply because condition c was false
// (the caller has written miss for a comparison), or for reason.
func (w *why) set(c *conjunct, reason *Reason) { w.c, w.reason = c, reason }

// Reason says why the rule does not apply: the first condition that failed
// (with the values it read), the validity period, 就高不重复, a quota; nil
// when the rule applies. It is worded on the first call, into storage of rr
// (no allocation when rr is reused by EvalInto: call it on the Result's own
// element, &res.Rules[i], not on a copy), and so, like the rest of a Result,
// is for one goroutine at a time.
func (rr *RuleResult) Reason() *Reason {
	if rr.Applies {
		return nil
	}
	if c := rr.why.c; c != nil {
		if c.isCompared {
			x, y := rr.why.miss.sides()
			c.word(&rr.reason, x.value(c.xKind), y.value(c.yKind), false)
		} else {
			c.wordFalse(&rr.reason)
		}
		rr.why.set(nil, &rr.reason)
	}
	return rr.why.reason
}

// Explanation says how a value was reached, recorded by the evaluation
// that computed it: the inputs read, with their values, and the caps,
// floors, table rows and lists that decided it.
type Explanation struct {
	Inputs []Output // inputs read
	Params []Output // parameters read
	Defs   []Output // definitions used, with the values they had
	Steps  []Message
}

// ReasonKind says what kind of cause a Reason gives.
type ReasonKind uint8

// The kinds of reasons a rule does not apply.
const (
	ReasonCondition ReasonKind = iota // a condition of the rule failed
	ReasonValidity                    // the evaluation date is outside the rule's 有效期
	ReasonOutput                      // an output could not be had (不适用)
	ReasonExclusive                   // another rule of its 就高不重复 group pays more
	ReasonQuota                       // it did not rank within its 评选's 名额
	ReasonLimit                       // its 上限's limit could not be had
	ReasonDenied                      // the record is a case the policy excludes (不予支持)
	ReasonData                        // a field it reads is missing or bad (数据不足)
	ReasonLedger                      // the 台账 shows it paid before (一次性, 最多连续)
)

// Reason says why a rule does not apply: the first condition joined by 且
// that failed, as written, and the values it compared; or another cause,
// which Kind names.
type Reason struct {
	Pos       lang.Pos
	Kind      ReasonKind
	Condition string   // as written: "研发投入占比 超过 3.5%"
	Values    []Output // the named values the condition read, with their values
	// Note says why a value was 不适用, when that is the cause, or why
	// the rule was set aside (就高不重复, a cap, a quota, the 台账); for
	// ReasonDenied it names the exclusion.
	Note Message
	// Unknown, for ReasonDenied, says why whether the case holds could not
	// be told.
	Unknown Message
	// Gap says how far a failed comparison is from holding, in the words
	// of the text: 还差 0.4 个百分点. AllConditions and Explain fill it;
	// it is empty when it cannot be said.
	Gap Message
	// Shortfall is the same as data, for a comparison of numbers.
	Shortfall *Shortfall
}

// Shortfall is how far a failed comparison of a value with what it must
// reach is from holding: the value's name and value, the bound, whether
// the bound itself is enough (达到, 不超过) or not (超过, 低于), and whether
// the value must rise to it (Up) or fall.
type Shortfall struct {
	Field         string
	Value, Needed Value
	Inclusive     bool
	Up            bool
}

// Feasible reports whether the shortfall is one an enterprise could make
// up, so that a match may offer it as a near miss: the value must rise to a
// bound above zero from a value above zero. An enterprise is not told to
// shrink (不满2000万元 to one of 1.5亿元), nor to come to have what it has
// none of (不良贷款 超过 0 to one with no loans).
func (s *Shortfall) Feasible() bool {
	return s != nil && s.Up && s.Needed.Decimal().IsPositive() && s.Value.Decimal().IsPositive()
}

// String says the reason in Chinese: 不满足“研发投入占比 超过 3.5%”（研发投入占比 为 3.1%）.
func (r *Reason) String() string { return r.Message(lang.Chinese) }

// Message says the reason in the given locale. The nil Reason, which
// RuleResult.Reason gives for a rule that applies, says nothing.
func (r *Reason) Message(loc lang.Locale) string {
	if r == nil {
		return ""
	}
	var vals []string
	for _, v := range r.Values {
		if loc == lang.English {
			vals = append(vals, v.Name+" is "+v.Value.Text(loc))
		} else {
			vals = append(vals, v.Name+" 为 "+v.Value.Text(loc))
		}
	}
	note, unknown := r.Note.Text(loc), r.Unknown.Text(loc)
	if r.Kind == ReasonDenied {
		switch {
		case unknown != "" && loc == lang.English:
			return fmt.Sprintf("excluded (%s): cannot tell whether %q holds: %s", note, r.Condition, unknown)
		case unknown != "":
			return fmt.Sprintf("不予支持（%s）：无法判断是否符合“%s”：%s", note, r.Condition, unknown)
		case loc == lang.English:
			s := fmt.Sprintf("excluded (%s): %s", note, r.Condition)
			if len(vals) > 0 {
				s += " (" + strings.Join(vals, ", ") + ")"
			}
			return s
		}
		s := fmt.Sprintf("不予支持（%s）：符合“%s”", note, r.Condition)
		if len(vals) > 0 {
			s += "（" + strings.Join(vals, "，") + "）"
		}
		return s
	}
	if r.Condition == "" {
		return note
	}
	if note != "" {
		vals = append(vals, note)
	}
	if loc == lang.English {
		s := fmt.Sprintf("condition not met: %s", r.Condition)
		if len(vals) > 0 {
			s += " (" + strings.Join(vals, ", ") + ")"
		}
		return s
	}
	s := fmt.Sprintf("不满足“%s”", r.Condition)
	if len(vals) > 0 {
		s += "（" + strings.Join(vals, "，") + "）"
	}
	return s
}
