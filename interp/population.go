package interp

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// HasPopulationSteps reports whether the policy has budgets or quotas,
// which need every record's result before they can be settled.
func (p *Program) HasPopulationSteps() bool { return len(p.budgets)+len(p.quotas) > 0 }

// ApplyPopulation settles the quotas (评选) and then the budgets (预算) over
// the results of all records, in input order; a nil result (a record that
// failed) takes no part. It changes the results in place.
//
// A quota keeps its rules for the records that rank highest by its 排序
// value, as many as its 名额; a tie is broken by input order. For the other
// records the rules do not apply, and the reason gives the rank.
//
// A budget adds up the 金额 outputs of its rules over all records. When they
// ask for more than its 总额, each amount is scaled by 总额 ÷ demand: rounded
// down to the fen, with the fen left over given one each to the amounts
// rounded down the most (the earlier on a tie), so that the amounts add up
// to the total exactly.
func (p *Program) ApplyPopulation(results []*Result) {
	for qi := range p.quotas {
		p.applyQuota(qi, results)
	}
	for bi := range p.budgets {
		p.applyBudget(&p.budgets[bi], results)
	}
}

func (p *Program) applyQuota(qi int, results []*Result) {
	q := &p.quotas[qi]
	type candidate struct {
		rec  int
		rank Value
	}
	var cands []candidate
	for i, res := range results {
		if res == nil {
			continue
		}
		for _, r := range q.rules {
			if res.Rules[r].Applies {
				cands = append(cands, candidate{i, res.ranks[qi]})
				break
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i].rank, cands[j].rank
		if a.IsNA() || b.IsNA() {
			return !a.IsNA() && b.IsNA()
		}
		return a.num.GreaterThan(b.num)
	})
	for k, c := range cands {
		if k < q.count {
			continue
		}
		for _, r := range q.rules {
			rr := &results[c.rec].Rules[r]
			if !rr.Applies {
				continue
			}
			rr.Applies, rr.Outputs = false, nil
			rr.Reason = &Reason{Note: fmt.Sprintf("评选“%s”名额 %d 名，按“%s”（%s）排第 %d 名", q.name, q.count, q.rankText, c.rank, k+1)}
		}
	}
}

func (p *Program) applyBudget(b *compiledBudget, results []*Result) {
	type amount struct {
		rec, rule, out int
	}
	var amounts []amount
	var values []decimal.Decimal
	demand := decimal.Zero
	for i, res := range results {
		if res == nil {
			continue
		}
		for _, r := range b.rules {
			rr := &res.Rules[r]
			if !rr.Applies {
				continue
			}
			for j, o := range p.rules[r].outputs {
				if o.typ == lang.Money && !rr.Outputs[j].Value.IsNA() {
					amounts = append(amounts, amount{i, r, j})
					values = append(values, rr.Outputs[j].Value.num)
					demand = demand.Add(rr.Outputs[j].Value.num)
				}
			}
		}
	}
	if !demand.GreaterThan(b.total) || !demand.IsPositive() {
		return
	}
	scaled := Split(b.total, values)
	ratio := b.total.DivRound(demand, 4).Shift(2)
	for k, a := range amounts {
		rr := &results[a.rec].Rules[a.rule]
		rr.Outputs[a.out].Value = Money(scaled[k])
		rr.Notes = append(rr.Notes, fmt.Sprintf("预算“%s”总额 %s元，全体申请合计 %s元，按约 %s%% 的比例压减（原为 %s元）",
			b.name, b.total, demand, ratio, values[k]))
	}
}
