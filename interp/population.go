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
	facts := make([]PopulationFacts, len(results))
	for i, res := range results {
		facts[i] = p.Facts(res)
	}
	s := p.Settle(facts)
	for i, res := range results {
		p.ApplySettlement(i, res, s)
	}
}

// PopulationFacts is what budgets and quotas need of one record's result:
// for each quota whether its rules apply and the record's rank value, for
// each budget the 金额 outputs of its rules that apply. A nil result (a
// failed record) has none.
type PopulationFacts struct {
	valid   bool
	inQuota []bool
	ranks   []Value
	amounts [][]decimal.Decimal // per budget, in the order of its rules' outputs
}

// Facts extracts what budgets and quotas need from one record's result, so
// that a stream of records can be settled without keeping the results.
func (p *Program) Facts(res *Result) PopulationFacts {
	if res == nil {
		return PopulationFacts{}
	}
	f := PopulationFacts{valid: true, ranks: append([]Value(nil), res.ranks...), inQuota: make([]bool, len(p.quotas)), amounts: make([][]decimal.Decimal, len(p.budgets))}
	for qi, q := range p.quotas {
		for _, r := range q.rules {
			if res.Rules[r].Applies {
				f.inQuota[qi] = true
			}
		}
	}
	for bi, b := range p.budgets {
		for _, r := range b.rules {
			rr := &res.Rules[r]
			if !rr.Applies {
				continue
			}
			for j, o := range p.rules[r].outputs {
				if o.typ == lang.Money && !rr.Outputs[j].Value.IsNA() {
					f.amounts[bi] = append(f.amounts[bi], rr.Outputs[j].Value.decimal())
				}
			}
		}
	}
	return f
}

// Settlement is the decision of the budgets and quotas over all records:
// which records lose a quota's rules (with their rank), and what each
// budgeted amount becomes.
type Settlement struct {
	dropped map[int][]quotaDrop // record → quotas it did not make
	scaled  map[int][][]decimal.Decimal
	notes   map[int][][]string
}

type quotaDrop struct {
	quota int
	rank  int
	value Value
}

// Settle decides the quotas, then the budgets, over the facts of all
// records in input order.
func (p *Program) Settle(facts []PopulationFacts) *Settlement {
	s := &Settlement{dropped: map[int][]quotaDrop{}, scaled: map[int][][]decimal.Decimal{}, notes: map[int][][]string{}}
	for qi := range p.quotas {
		q := &p.quotas[qi]
		type candidate struct {
			rec  int
			rank Value
		}
		var cands []candidate
		for i, f := range facts {
			if f.valid && f.inQuota[qi] {
				cands = append(cands, candidate{i, f.ranks[qi]})
			}
		}
		sort.SliceStable(cands, func(i, j int) bool {
			a, b := cands[i].rank, cands[j].rank
			if a.IsNA() || b.IsNA() {
				return !a.IsNA() && b.IsNA()
			}
			return cmpNum(a.n(), b.n()) > 0
		})
		for k, c := range cands {
			if k >= q.count {
				s.dropped[c.rec] = append(s.dropped[c.rec], quotaDrop{quota: qi, rank: k + 1, value: c.rank})
			}
		}
	}
	for bi := range p.budgets {
		b := &p.budgets[bi]
		var owners []int
		var values []decimal.Decimal
		demand := decimal.Zero
		for i, f := range facts {
			// a rule is in one budget or quota at most (the checker sees to
			// it), so a quota's decision never touches a budget's amounts
			if !f.valid {
				continue
			}
			for _, v := range f.amounts[bi] {
				owners = append(owners, i)
				values = append(values, v)
				demand = demand.Add(v)
			}
		}
		if !demand.GreaterThan(b.total) || !demand.IsPositive() {
			continue
		}
		scaled := Split(b.total, values)
		ratio := b.total.DivRound(demand, 4).Shift(2)
		for k, rec := range owners {
			if s.scaled[rec] == nil {
				s.scaled[rec] = make([][]decimal.Decimal, len(p.budgets))
				s.notes[rec] = make([][]string, len(p.budgets))
			}
			s.scaled[rec][bi] = append(s.scaled[rec][bi], scaled[k])
			s.notes[rec][bi] = append(s.notes[rec][bi], fmt.Sprintf("预算“%s”总额 %s元，全体申请合计 %s元，按约 %s%% 的比例压减（原为 %s元）",
				b.name, b.total, demand, ratio, values[k]))
		}
	}
	return s
}

// ApplySettlement changes the result of record rec (its place in input
// order) as the settlement decided.
func (p *Program) ApplySettlement(rec int, res *Result, s *Settlement) {
	if res == nil {
		return
	}
	for _, d := range s.dropped[rec] {
		q := &p.quotas[d.quota]
		for _, r := range q.rules {
			rr := &res.Rules[r]
			if !rr.Applies {
				continue
			}
			rr.Applies, rr.Outputs = false, nil
			rr.Reason = &Reason{Note: fmt.Sprintf("评选“%s”名额 %d 名，按“%s”（%s）排第 %d 名", q.name, q.count, q.rankText, d.value, d.rank)}
		}
	}
	scaled, ok := s.scaled[rec]
	if !ok {
		return
	}
	for bi, b := range p.budgets {
		k := 0
		for _, r := range b.rules {
			rr := &res.Rules[r]
			if !rr.Applies {
				continue
			}
			for j, o := range p.rules[r].outputs {
				if o.typ == lang.Money && !rr.Outputs[j].Value.IsNA() && k < len(scaled[bi]) {
					rr.Outputs[j].Value = Money(scaled[bi][k])
					rr.Notes = append(rr.Notes, s.notes[rec][bi][k])
					k++
				}
			}
		}
	}
}
