package interp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

// This file holds partial data: a record some of whose fields are missing
// or bad. Only what reads one of them (a definition, a rule, a cap, an
// exclusion, a ranking) is left undecided, 数据不足, naming the fields;
// everything else is evaluated. Which inputs each part reads, through the
// definitions and rules it uses, is worked out once, at Compile.

// DataError is what is wrong with a record's fields: every field that is
// missing or cannot be read, not only the first. The record is evaluated
// all the same; the rules that read those fields do not apply (数据不足).
type DataError struct {
	Fields []*FieldError
}

func (e *DataError) Error() string { return e.Message(lang.Chinese) }

// Incomplete reports whether the record's only fault is fields with no
// value: none was given a value that cannot be read.
func (e *DataError) Incomplete() bool {
	return !slices.ContainsFunc(e.Fields, func(f *FieldError) bool { return !f.Missing })
}

// namesShown is how many missing fields a message names before "等".
const namesShown = 5

// Message says what is wrong with the record's fields, in the given
// locale: each value that cannot be read, then the fields with no value,
// by name (the first few, when there are many).
func (e *DataError) Message(loc lang.Locale) string {
	var parts, missing []string
	var only *FieldError
	for _, f := range e.Fields {
		if f.Missing {
			missing, only = append(missing, f.Field), f
			continue
		}
		parts = append(parts, f.Message(loc))
	}
	switch {
	case len(missing) == 1:
		parts = append(parts, only.Message(loc))
	case len(missing) > 1:
		shown := missing[:min(len(missing), namesShown)]
		if loc == lang.English {
			more := ""
			if len(missing) > len(shown) {
				more = ", …"
			}
			parts = append(parts, fmt.Sprintf("%d inputs missing: \"%s\"%s", len(missing), strings.Join(shown, `", "`), more))
		} else {
			more := ""
			if len(missing) > len(shown) {
				more = "等"
			}
			parts = append(parts, fmt.Sprintf("缺少 %d 项输入：“%s”%s", len(missing), strings.Join(shown, "”、“"), more))
		}
	}
	if loc == lang.English {
		return strings.Join(parts, "; ")
	}
	return strings.Join(parts, "；")
}

// Unwrap gives the fields' errors, for errors.As.
func (e *DataError) Unwrap() []error {
	errs := make([]error, len(e.Fields))
	for i, f := range e.Fields {
		errs[i] = f
	}
	return errs
}

// readSets records which input slots each part of the program reads,
// directly or through the definitions and rules it uses.
type readSets struct {
	defs, rules, limits, denies, quotas [][]int
}

// computeReadSets works out the read sets of every part of p.
func (p *Program) computeReadSets() {
	ch := p.checked
	rs := &readSets{defs: make([][]int, len(p.defs)), rules: make([][]int, len(p.rules))}
	state := map[any]int{} // 1: being worked out, 2: done
	var ofExprs func(es []lang.Expr) []int
	var ofDef func(i int) []int
	var ofRule func(i int) []int
	ofDef = func(i int) []int {
		if state[&rs.defs[i]] == 0 {
			state[&rs.defs[i]] = 1
			rs.defs[i] = ofExprs([]lang.Expr{ch.Defs[i].Value})
			state[&rs.defs[i]] = 2
		}
		return rs.defs[i]
	}
	ofRule = func(i int) []int {
		if state[&rs.rules[i]] == 0 { // the checker has refused cycles: 1 is never met again
			state[&rs.rules[i]] = 1
			r := ch.Rules[i]
			var es []lang.Expr
			if r.Cond != nil {
				es = append(es, r.Cond)
			}
			for _, o := range r.Outputs {
				es = append(es, o.Value)
			}
			for _, x := range r.Exceptions {
				es = append(es, x.Cond)
				for _, a := range x.Assigns {
					es = append(es, a.Value)
				}
			}
			for _, v := range []*lang.Validity{r.File.Validity, r.Validity} {
				if v != nil && v.By != nil {
					es = append(es, v.By)
				}
			}
			rs.rules[i] = ofExprs(es)
			if (r.Once || r.Consecutive != nil) && ch.Ledger >= 0 {
				rs.rules[i] = append(rs.rules[i], ch.Ledger)
			}
			state[&rs.rules[i]] = 2
		}
		return rs.rules[i]
	}
	ofExprs = func(es []lang.Expr) []int {
		var set []int
		for _, e := range es {
			lang.Inspect(e, func(e lang.Expr) {
				switch e := e.(type) {
				case *lang.Ref:
					switch s := ch.Uses[e]; {
					case s == nil:
					case s.Kind == lang.SymInput:
						set = append(set, s.Index)
					case s.Kind == lang.SymDef:
						set = append(set, ofDef(s.Index)...)
					}
				case *lang.Selector:
					if s := ch.Selected[e]; s != nil {
						set = append(set, ofRule(s.Rule)...)
					}
				}
			})
		}
		slices.Sort(set)
		return slices.Compact(set)
	}
	for i := range p.defs {
		ofDef(i)
	}
	for i := range p.rules {
		ofRule(i)
	}
	for _, l := range ch.Limits {
		var es []lang.Expr
		if l.Amount != nil {
			es = append(es, l.Amount)
		}
		set := ofExprs(es)
		if l.Scope != "" && ch.Ledger >= 0 {
			set = append(set, ch.Ledger)
		}
		rs.limits = append(rs.limits, set)
	}
	for _, d := range ch.Denies {
		rs.denies = append(rs.denies, ofExprs([]lang.Expr{d.Cond}))
	}
	for _, q := range ch.Quotas {
		rs.quotas = append(rs.quotas, ofExprs(q.Ranks))
	}
	p.reads = rs
}

// lacking names the inputs of set that are missing in this evaluation, or
// is "" when none is (or the evaluation knows of none missing).
func (f *frame) lacking(set []int) quoted {
	if f.missing == nil {
		return nil
	}
	var names quoted
	for _, i := range set {
		if f.missing[i] {
			names = append(names, f.prog.inputs[i].Name.Text)
		}
	}
	return names
}

// insufficient is the 不适用 of what reads the missing inputs names.
func insufficient(names quoted) Value { return naOf(msgInsufficient(list(names))) }

// missingInputs marks the inputs of a record that hold no value.
func (p *Program) missingInputs(inputs []Value) []bool {
	missing := make([]bool, len(p.inputs))
	for i := range p.inputs {
		missing[i] = !inputs[i].IsValid()
	}
	return missing
}
