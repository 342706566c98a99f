package interp

import (
	"context"
	"slices"

	"github.com/zhengce/zhengce/lang"
)

// This file holds the state of one evaluation (frame) and what it records
// for an explanation (tracer).

// frame is the state of one evaluation. Frames are kept in a pool and
// reused, so their slices are allocated once per program and goroutine.
type frame struct {
	prog        *Program
	res         *Result // being evaluated into
	ctx         context.Context
	asOf        lang.Date
	inputs      []Value
	defs        []Value
	outputs     []Output  // of the rule being evaluated
	denied      []*Reason // by rule: why a 不予支持 covers it in this evaluation, or nil
	missing     []bool    // by input: holds no value (partial data); nil when every input has one
	items       []Value   // the records 对每个 is visiting, innermost last
	na          Value     // the 不适用 a numFn returned false for
	scratch     miss      // the sides a test leaves, where they are not kept
	err         error     // the error a numFn returned false for
	args        []Value   // arguments of the calls being made and items of lists being built, a stack
	arena       []Value   // lists built by this evaluation, when the frame belongs to res
	refs        []ref     // and what their Values point to
	steps       int       // steps left before Limits.MaxSteps
	trace       *tracer   // nil unless an explanation was asked for
	allCond     bool      // test every condition of a rule, for near misses
	clearExtras bool      // clear the rules' Failures, Notes and Explanation (Result.extras)
	otherDate   bool      // asOf is not the program's date
}

// newFrame returns a frame for p with its slices allocated.
func (p *Program) newFrame() *frame {
	return &frame{prog: p, defs: make([]Value, len(p.defs))}
}

// listValue returns the list of items, with its ref from the frame's
// arena when the frame belongs to the Result, as alloc does for items.
func (f *frame) listValue(elem lang.Kind, items []Value) Value {
	if f.res.frame != f {
		return List(elem, items)
	}
	// growing leaves earlier refs in the old array, still valid
	f.refs = append(f.refs, ref{items: items})
	return Value{kind: lang.KindList, elem: elem, ref: &f.refs[len(f.refs)-1]}
}

// alloc returns n zero Values for a list built during evaluation: from the
// frame's arena when the frame belongs to the Result (EvalInto), whose next
// evaluation may reuse the lists this one built; otherwise newly made.
func (f *frame) alloc(n int) []Value {
	if f.res.frame != f {
		return make([]Value, n)
	}
	start := len(f.arena)
	// growing leaves earlier blocks in the old array, still valid
	f.arena = slices.Grow(f.arena, n)[:start+n]
	block := f.arena[start : start+n : start+n]
	clear(block)
	return block
}

// tracer records, as evaluation runs, what an explanation needs: the inputs
// each definition or rule read and the caps, floors and table rows that
// decided its values.
type tracer struct {
	steps  []Message
	inputs []bool // input slots read by the current definition or rule
	params []bool // parameters read
	defs   []bool // definitions read
}

func (t *tracer) note(m Message) { t.steps = append(t.steps, m) }

// take returns what was recorded since the last take, and forgets it.
func (t *tracer) take() (steps []Message, inputs, params, defs []int) {
	steps, t.steps = t.steps, nil
	collect := func(used []bool) []int {
		var out []int
		for i, u := range used {
			if u {
				out = append(out, i)
				used[i] = false
			}
		}
		return out
	}
	return steps, collect(t.inputs), collect(t.params), collect(t.defs)
}

// step counts one step of evaluation, and every 1024 steps looks whether
// the context is done.
func (f *frame) step() error {
	f.steps--
	if f.steps < 0 {
		return &LimitError{Limit: "MaxSteps", Zh: "求值步数超过限制（每条记录的定义、规则与列表项之和）", En: "evaluation took more steps than the limit allows (definitions, rules and list items per record)"}
	}
	if f.steps%1024 == 0 && f.ctx != nil {
		return f.ctx.Err()
	}
	return nil
}
