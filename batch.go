package zhengce

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file evaluates a batch of records as one population, as run, match
// and compare do over a file and the service over a posted batch: each
// record alone, then each enterprise's records together, then budgets and
// quotas over all.

// FieldText is the value of rec's field col (its name folded across
// Traditional and Simplified and widths) as text, or "".
func FieldText(rec Record, col string) string {
	key := lang.FoldName(col)
	for k, v := range rec {
		if lang.FoldName(k) == key {
			if v == nil {
				return ""
			}
			return fmt.Sprint(v)
		}
	}
	return ""
}

// EvalBatch evaluates records as one population with opts: errs[i] is
// record i's error (its result is nil if it could not be evaluated at all,
// or holds what could be when it was evaluated in part). enterprise is
// the column whose value tells an enterprise's records apart ("" for the
// policy's own 同一企业 column, if any).
func EvalBatch(ctx context.Context, prog *Program, records []Record, enterprise string, opts EvalOptions) (results []*Result, errs []error) {
	results, errs = make([]*Result, len(records)), make([]error, len(records))
	for i, rec := range records {
		if err := ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		results[i], errs[i] = prog.EvalWith(ctx, rec, opts)
	}
	if enterprise == "" {
		enterprise = prog.Checked().File.EnterpriseKey
	}
	SettleBatch(prog, records, results, enterprise)
	return results, errs
}

// SettleBatch settles results of records evaluated one by one: each
// enterprise's records together (by the column col, in input order; they
// need not be adjacent; a record without a value is an enterprise of its
// own), then budgets and quotas over the whole batch. A nil result is left
// out.
func SettleBatch(prog *Program, records []Record, results []*Result, col string) {
	if col != "" {
		var order []string
		byKey := map[string][]*Result{}
		for i, rec := range records {
			key := strings.TrimSpace(FieldText(rec, col))
			if key == "" {
				continue
			}
			if _, ok := byKey[key]; !ok {
				order = append(order, key)
			}
			byKey[key] = append(byKey[key], results[i])
		}
		for _, key := range order {
			prog.SettleEnterprise(byKey[key])
		}
	}
	prog.ApplyPopulation(results)
}

// Comparison is what a reform changes over a population: the cost in all
// and by rule, how many enterprises gain or lose, the largest changes.
// Costs are what is paid after 就高不重复, caps and budgets.
type Comparison struct {
	Base, Reform           string
	Rows                   int
	Failed                 int // records left out: either side could not evaluate them
	BaseTotal, ReformTotal decimal.Decimal
	Rules                  []RuleCost
	Gain, Lose, New, Drop  int
	Same                   int
	Largest                []Change // at most 10, largest change first
}

// RuleCost is one rule's cost under the base and the reform.
type RuleCost struct {
	Name         string
	Base, Reform decimal.Decimal
}

// Change is one enterprise's amount under the base and the reform.
type Change struct {
	Row          int
	ID           string
	Base, Reform decimal.Decimal
}

// Compare compares the results of the same records under a base and a
// reform; rows[i] and ids[i] name record i (ids may be nil).
func Compare(base, reform []*Result, rows []int, ids []string) *Comparison {
	cmp := &Comparison{Rows: len(base)}
	ruleIndex := map[string]int{}
	addRule := func(name string, amount decimal.Decimal, reform bool) {
		i, ok := ruleIndex[name]
		if !ok {
			i = len(cmp.Rules)
			ruleIndex[name] = i
			cmp.Rules = append(cmp.Rules, RuleCost{Name: name})
		}
		if reform {
			cmp.Rules[i].Reform = cmp.Rules[i].Reform.Add(amount)
		} else {
			cmp.Rules[i].Base = cmp.Rules[i].Base.Add(amount)
		}
	}
	var changes []Change
	for i := range base {
		if base[i] == nil || reform[i] == nil {
			cmp.Failed++
			continue
		}
		b, bq := PolicyAmount(base[i], func(n string, a decimal.Decimal) { addRule(n, a, false) })
		r, rq := PolicyAmount(reform[i], func(n string, a decimal.Decimal) { addRule(n, a, true) })
		cmp.BaseTotal, cmp.ReformTotal = cmp.BaseTotal.Add(b), cmp.ReformTotal.Add(r)
		switch {
		case !bq && rq:
			cmp.New++
		case bq && !rq:
			cmp.Drop++
		case r.GreaterThan(b):
			cmp.Gain++
		case r.LessThan(b):
			cmp.Lose++
		default:
			cmp.Same++
		}
		ch := Change{Row: rows[i], Base: b, Reform: r}
		if ids != nil {
			ch.ID = ids[i]
		}
		changes = append(changes, ch)
	}
	sort.SliceStable(changes, func(a, b int) bool {
		da, db := changes[a].Reform.Sub(changes[a].Base).Abs(), changes[b].Reform.Sub(changes[b].Base).Abs()
		return da.GreaterThan(db)
	})
	for _, ch := range changes {
		if len(cmp.Largest) == 10 || ch.Reform.Equal(ch.Base) {
			break
		}
		cmp.Largest = append(cmp.Largest, ch)
	}
	return cmp
}

// PolicyAmount returns what the policy pays the record in all (after every
// 就高不重复, cap and budget), telling what each rule that applies pays to
// perRule (0 for a rule that pays no money), and reports whether any rule
// applied.
func PolicyAmount(res *Result, perRule func(string, decimal.Decimal)) (decimal.Decimal, bool) {
	any := false
	for i := range res.Rules {
		rr := &res.Rules[i]
		if !rr.Applies {
			continue
		}
		any = true
		paid := decimal.Zero
		if v, ok := rr.Paid(); ok {
			paid = v.Decimal()
		}
		perRule(rr.Name, paid)
	}
	return res.Total().Decimal(), any
}

// ComparisonJSON is a comparison as spec/json.md writes it: exact amounts
// as strings.
type ComparisonJSON struct {
	Base    string         `json:"base"`
	Reform  string         `json:"reform"`
	Rows    int            `json:"rows"`
	Failed  int            `json:"failed"`
	Total   CostJSON       `json:"total"`
	Rules   []CostJSON     `json:"rules"`
	Counts  map[string]int `json:"counts"`
	Largest []ChangeJSON   `json:"largest"`
}

// CostJSON is a cost under the base and the reform, and the change.
type CostJSON struct {
	Name   string `json:"name,omitempty"`
	Base   string `json:"base"`
	Reform string `json:"reform"`
	Change string `json:"change"`
}

// ChangeJSON is one enterprise among the largest changes.
type ChangeJSON struct {
	Row    int    `json:"row"`
	ID     string `json:"id,omitempty"`
	Base   string `json:"base"`
	Reform string `json:"reform"`
	Change string `json:"change"`
}

// JSON is the comparison in its JSON form.
func (cmp *Comparison) JSON() ComparisonJSON {
	cost := func(name string, base, reform decimal.Decimal) CostJSON {
		return CostJSON{Name: name, Base: base.String(), Reform: reform.String(), Change: reform.Sub(base).String()}
	}
	out := ComparisonJSON{Base: cmp.Base, Reform: cmp.Reform, Rows: cmp.Rows, Failed: cmp.Failed,
		Total:   cost("", cmp.BaseTotal, cmp.ReformTotal),
		Rules:   []CostJSON{},
		Counts:  map[string]int{"gain": cmp.Gain, "lose": cmp.Lose, "new": cmp.New, "drop": cmp.Drop, "same": cmp.Same},
		Largest: []ChangeJSON{}}
	for _, r := range cmp.Rules {
		out.Rules = append(out.Rules, cost(r.Name, r.Base, r.Reform))
	}
	for _, ch := range cmp.Largest {
		out.Largest = append(out.Largest, ChangeJSON{Row: ch.Row, ID: ch.ID, Base: ch.Base.String(), Reform: ch.Reform.String(), Change: ch.Reform.Sub(ch.Base).String()})
	}
	return out
}
