package interp

import (
	"context"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

// TestResult is the outcome of one test case written in the policy.
type TestResult struct {
	Name     string
	Pos      lang.Pos
	Failures []Message // empty when the test passed
	// Inputs are the test's data, one value per input in the order of
	// Program.Inputs (nil when the data was incomplete), and AsOf its date.
	Inputs []Value
	AsOf   lang.Date
	// File is the file of the policy the test is written in.
	File string
	// Dated: AsOf was set, by the test or by Options.AsOf, not taken
	// from the clock.
	Dated bool
}

// Passed reports whether every expectation held.
func (r TestResult) Passed() bool { return len(r.Failures) == 0 }

// RunTests runs the test cases written in the policy (测试 … 结束).
func (p *Program) RunTests(ctx context.Context) []TestResult {
	var results []TestResult
	for _, t := range p.checked.File.Tests {
		results = append(results, p.runTest(ctx, t))
	}
	return results
}

func (p *Program) runTest(ctx context.Context, t *lang.Test) TestResult {
	res := TestResult{Name: t.Name, Pos: t.Pos}
	fail := func(m Message) { res.Failures = append(res.Failures, m) }
	c := &compiler{prog: p, checked: p.checked}
	constant := func(e lang.Expr) Value {
		v, err := c.expr(e)(&frame{ctx: ctx})
		if err != nil {
			fail(errText(err))
		}
		return v
	}
	inputs := make([]Value, len(p.inputs))
	for _, g := range append(append([]*lang.Assign(nil), t.File.TestDefaults...), t.Given...) {
		i := p.inputKey[g.Name.Key]
		inputs[i] = numericOr(p.inputs[i].Type, constant(g.Value))
	}
	// a test gives the inputs its own file declares; those of the policy's
	// other files it may leave out, and what reads them is 数据不足
	for _, key := range t.File.Inputs {
		if i := p.inputKey[key]; !inputs[i].IsValid() {
			fail(say("测试数据缺少输入“%s”", "the test's data lacks input %q", p.inputs[i].Name.Text))
		}
	}
	if len(res.Failures) > 0 {
		return res
	}
	res.File = t.File.Name
	asOf, dated := p.asOf, !p.asOfToday
	if t.AsOf != nil {
		asOf, dated = *t.AsOf, true
	}
	if i := p.asOfInput; i >= 0 { // the record's own date, from its input
		asOf, dated = p.dateFor(inputs, asOf), true
	}
	res.Inputs, res.AsOf, res.Dated = inputs, asOf, dated
	// the inputs of the policy's other files a test leaves out: as Eval
	// does, what needs them is 数据不足
	out, err := p.evalWith(ctx, inputs, mode{asOf: asOf})
	if missingMet(err) {
		out, err = p.evalWith(ctx, inputs, mode{asOf: asOf, missing: p.missingInputs(inputs)})
	}
	if err != nil {
		fail(say("求值出错：%s", "the evaluation failed: %s", errText(err)))
		return res
	}
	for _, x := range t.Expects {
		p.checkExpect(out, x, constant, fail)
	}
	return res
}

// checkExpect compares one expectation with the result.
func (p *Program) checkExpect(out *Result, x *lang.Expect, constant func(lang.Expr) Value, fail func(Message)) {
	if x.Total {
		if got, want := out.Total(), constant(x.Value); !got.Equal(want) {
			fail(say("期望 给予合计 = %s，实际 %s", "expected the total paid to be %s, got %s", want, got))
		}
		return
	}
	s := p.checked.Symbols[x.Name.Key]
	if s.Kind == lang.SymDef {
		got := out.Defs[p.sourceIndex(x.Name.Key)].Value
		if want := constant(x.Value); !got.Equal(want) {
			fail(say("期望 %s = %s，实际 %s", "expected %s = %s, got %s", x.Name.Text, want, describe(got)))
		}
		return
	}
	r := &out.Rules[s.Rule]
	switch {
	case x.NA:
		if r.Applies {
			fail(say("期望“%s”不适用，实际适用（%s）", "expected %q not to apply; it applies (%s)", x.Name.Text, outputsText(r.Outputs)))
		} else if why := r.Reason().String(); x.Reason != "" && !strings.Contains(lang.FoldName(why), lang.FoldName(x.Reason)) {
			fail(say("期望“%s”不适用的原因含“%s”，实际原因：%s", "expected the reason %q does not apply to contain %q; the reason is: %s", x.Name.Text, x.Reason, reasonText{r.Reason()}))
		}
	case !r.Applies:
		fail(say("期望“%s”适用，实际不适用：%s", "expected %q to apply; it does not: %s", x.Name.Text, reasonText{r.Reason()}))
	case x.Field != nil && x.Value != nil:
		for _, o := range r.Outputs {
			if lang.FoldName(o.Name) == x.Field.Key {
				if want := constant(x.Value); !o.Value.Equal(want) {
					fail(say("期望 %s.%s = %s，实际 %s", "expected %s.%s = %s, got %s", x.Name.Text, x.Field.Text, want, o.Value))
				}
			}
		}
	}
}

// sourceIndex is the place of definition key among Result.Defs.
func (p *Program) sourceIndex(key string) int {
	for n, i := range p.defsInSource {
		if p.defs[i].name.Key == key {
			return n
		}
	}
	return -1
}

// describe is a value for a failure: 不适用 with its reason.
func describe(v Value) Message {
	if v.IsNA() {
		return say("不适用（%s）", "n/a (%s)", v.Why())
	}
	return say("%s", "%s", v)
}

// outputsText lists outputs for a failure.
func outputsText(outs []Output) Message {
	var zh, en []string
	for _, o := range outs {
		zh = append(zh, o.Name+" = "+o.Value.Text(lang.Chinese))
		en = append(en, o.Name+" = "+o.Value.Text(lang.English))
	}
	return Message{Zh: strings.Join(zh, "，"), En: strings.Join(en, ", ")}
}

// reasonText is a Reason as an argument of a message.
type reasonText struct{ r *Reason }

func (t reasonText) Text(loc lang.Locale) string { return t.r.Message(loc) }
