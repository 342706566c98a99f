package bench

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/shopspring/decimal"
)

// OPA/Rego, the policy engine a Go developer might pick: the same rules as
// Rego modules, prepared once; each row's input is converted to an
// ast.Value outside the timed loop. Rego's numbers are arbitrary-precision
// decimals, but its division and arithmetic on non-integers go through
// big.Float, so results are checked like the float engines'.

// opaQuery prepares query against module.
func opaQuery(b testing.TB, module, query string) rego.PreparedEvalQuery {
	pq, err := rego.New(rego.Query(query), rego.Module("bench.rego", module)).PrepareForEval(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return pq
}

// opaInput converts a row to Rego's input: numbers as exact decimal text.
func opaInput(b testing.TB, x map[string]any) ast.Value {
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		b.Fatal(err)
	}
	return v
}

// opaEval evaluates pq for one input and returns the query's value.
func opaEval(b testing.TB, pq rego.PreparedEvalQuery, input ast.Value) any {
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		b.Fatal(err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		b.Fatalf("unexpected result %v", rs)
	}
	return rs[0].Expressions[0].Value
}

// opaAmount reads a Rego number result: −1 when the rule does not apply.
func opaAmount(v any) (float64, bool) {
	n, _ := v.(json.Number)
	d, err := decimal.NewFromString(string(n))
	if err != nil {
		return 0, false
	}
	f, _ := d.Float64()
	return f, !d.IsNegative()
}

// timeOPA times one evaluation per row.
func timeOPA(b *bench, pq rego.PreparedEvalQuery, inputs []ast.Value) {
	b.timeRows(func(i int) {
		if _, err := pq.Eval(ctx, rego.EvalParsedInput(inputs[i])); err != nil {
			b.Fatal(err)
		}
	})
}

const rego3 = `package zz
default result := -1
result := min([(input.rd - input.prev) * 0.1, 2000000]) if {
	input.gs
	input.promise >= 0.3
	input.rd / input.rev > 0.035
	input.rd - input.prev > 0
}`

const rego19 = `package rz
threshold := 1000000 if { input.emerging } else := 2000000
rate := 0.3 if { input.emerging } else := 0.2
default result := -1
result := min([input.total * rate, 2000000]) if {
	input.open
	input.total >= threshold
}`

const rego14 = `package rz
each := [min([p.cost * 0.2, 1000000]) | some p in input.projects; p.paid >= 500000; not p.supported]
default result := -1
result := min([sum(each), 2000000]) if { count(each) > 0 }`

// runOPA prepares module's query, converts each row's input, checks the
// results against the exact amounts (−1 means the rule does not apply), and
// times the evaluations.
func runOPA(b *bench, module, query string, input func(i int) map[string]any, exact func(i int) (decimal.Decimal, bool)) {
	pq := opaQuery(b, module, query)
	inputs := make([]ast.Value, rows)
	var off floatOff
	for i := range inputs {
		inputs[i] = opaInput(b, input(i))
		got, ok := opaAmount(opaEval(b, pq, inputs[i]))
		want, wantOK := exact(i)
		off.check(want, wantOK, got, ok)
	}
	timeOPA(b, pq, inputs)
	off.report(b)
}

func benchOPA3(b *bench, data []row3) {
	runOPA(b, rego3, "data.zz.result", func(i int) map[string]any {
		x := &data[i]
		return map[string]any{"gs": x.gs, "rd": json.Number(x.rd.String()), "prev": json.Number(x.prev.String()),
			"rev": json.Number(x.rev.String()), "promise": json.Number(x.prom.String())}
	}, func(i int) (decimal.Decimal, bool) { return hand3(&data[i]) })
}

func benchOPA19(b *bench, data []row19) {
	runOPA(b, rego19, "data.rz.result", func(i int) map[string]any {
		x := &data[i]
		return map[string]any{"open": x.open, "emerging": x.emerging, "total": json.Number(x.total.String())}
	}, func(i int) (decimal.Decimal, bool) { return hand19(&data[i]) })
}

func benchOPA14(b *bench, data []row14) {
	runOPA(b, rego14, "data.rz.result", func(i int) map[string]any {
		projects := []any{}
		for _, p := range data[i].projects {
			projects = append(projects, map[string]any{"paid": json.Number(p.paid.String()), "cost": json.Number(p.cost.String()), "supported": p.supported})
		}
		return map[string]any{"projects": projects}
	}, func(i int) (decimal.Decimal, bool) { return hand14(&data[i]) })
}

// regoJining writes the 32 outputs as Rego rules o0 … o31 and the result
// as their array: a 是否 as true if … else false, a number as its value.
func regoJining() string {
	var b strings.Builder
	b.WriteString("package jn\n")
	var names []string
	for k, e := range jRego {
		name := fmt.Sprintf("o%d", k)
		names = append(names, name)
		if e.isBool {
			fmt.Fprintf(&b, "%s := true if { %s } else := false\n", name, e.src)
		} else {
			fmt.Fprintf(&b, "%s := %s\n", name, e.src)
		}
	}
	fmt.Fprintf(&b, "result := [%s]\n", strings.Join(names, ", "))
	return b.String()
}

// jRego are the 32 outputs of 济宁 in Rego.
var jRego = []struct {
	isBool bool
	src    string
}{
	{true, "input.hitech >= input.base * 2"},
	{false, "max([input.base * 2 - input.hitech, 0])"},
	{true, "input.scale >= 5000"},
	{false, "max([5000 - input.scale, 0])"},
	{true, "input.quality >= 2000"},
	{false, "max([2000 - input.quality, 0])"},
	{false, "input.rd / input.rdPrev - 1"},
	{true, "input.rd / input.rdPrev - 1 >= 0.1"},
	{false, "input.mfg - input.mfgPrev"},
	{true, "input.mfg - input.mfgPrev >= 0.01"},
	{true, "input.industry >= 1000000000000"},
	{true, "input.smart >= 30"},
	{false, "max([30 - input.smart, 0])"},
	{true, "input.green >= 20"},
	{false, "max([20 - input.green, 0])"},
	{true, "input.intl >= 5"},
	{true, "input.major >= 10"},
	{true, "input.prov >= 60"},
	{false, "max([60 - input.prov, 0])"},
	{true, "input.city >= 100"},
	{true, "input.top >= 5"},
	{true, "input.team >= 10"},
	{true, "input.leader >= 30"},
	{true, "input.top >= 5; input.team >= 10; input.leader >= 30"},
	{true, "input.iur >= 100"},
	{true, "input.school >= 10"},
	{true, "input.publish >= 200"},
	{true, "input.managers > 600"},
	{true, "input.carriers >= 10"},
	{true, "input.loans >= 2000000000"},
	{false, "max([2000000000 - input.loans, 0])"},
	{true, "input.credit >= 200"},
}

func benchOPAJining(b *bench, data []rowJ) {
	pq := opaQuery(b, regoJining(), "data.jn.result")
	inputs := make([]ast.Value, rows)
	off := 0
	var want [32]jOut
	for i, x := range data {
		m := map[string]any{}
		for k, name := range jVars {
			m[name] = json.Number(x.in[k].String())
		}
		inputs[i] = opaInput(b, m)
		got := opaEval(b, pq, inputs[i]).([]any)
		handJ(&data[i], &want)
		for k, w := range want {
			if w.isBool && got[k] != w.b {
				off++
				break
			}
			if !w.isBool {
				d, err := decimal.NewFromString(string(got[k].(json.Number)))
				if err != nil || !d.Round(4).Equal(w.d.Round(4)) {
					off++
					break
				}
			}
		}
	}
	timeOPA(b, pq, inputs)
	b.ReportMetric(float64(off)/rows, "float-off/row")
}
