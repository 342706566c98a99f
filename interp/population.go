package interp

import (
	"fmt"
	"slices"
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
// A budget adds up what its rules pay over all records. When they
// ask for more than its 总额, each amount is scaled by 总额 ÷ demand: rounded
// down to the fen, with the fen left over given one each to the amounts
// rounded down the most (the earlier on a tie), so that the amounts add up
// to the total exactly.
func (p *Program) ApplyPopulation(results []*Result) {
	t := p.NewTally()
	for _, res := range results {
		t.Add(res)
	}
	s := t.Settle()
	for i, res := range results {
		p.ApplySettlement(i, res, s)
	}
}

// Tally gathers, record by record in input order, what budgets and quotas
// need, so that a stream of records can be settled without keeping their
// results: for each quota the records whose rules apply, with their rank
// value; for each budget the amounts its rules would pay. It keeps 16
// bytes per candidate and per amount (an entry), and nothing for other
// records.
type Tally struct {
	p       *Program
	n       int // records added
	quotas  [][]entry
	budgets []budgetSettlement
	big     []num // the numbers entries do not hold in place
}

// entry is a record's number in a quota's running (its rank value) or in a
// budget (an amount it asks for): 16 bytes, for there may be millions. A
// fixed number whose magnitude fits 64 bits is held in place; any other is
// appended to the tally's big numbers, and lo is its index there.
type entry struct {
	rec int32
	na  bool  // the number is 不适用 (a rank value only)
	sc  uint8 // as num.sc, or bigEntry
	lo  uint64
}

// bigEntry is the sc of an entry whose number is in the big numbers.
const bigEntry = 0xff

// entryOf makes the entry of record rec's number n.
func entryOf(rec int, na bool, n num, big *[]num) entry {
	if n.dec == nil && n.hi == 0 {
		return entry{rec: int32(rec), na: na, sc: n.sc, lo: n.lo}
	}
	*big = append(*big, n)
	return entry{rec: int32(rec), na: na, sc: bigEntry, lo: uint64(len(*big) - 1)}
}

// num returns e's number, with big the numbers entries do not hold.
func (e entry) num(big []num) num {
	if e.sc == bigEntry {
		return big[e.lo]
	}
	return num{lo: e.lo, sc: e.sc}
}

// NewTally starts a tally for p.
func (p *Program) NewTally() *Tally {
	return &Tally{p: p, quotas: make([][]entry, len(p.quotas)), budgets: make([]budgetSettlement, len(p.budgets))}
}

// Add counts the next record's result: nil for a record that failed, which
// takes no part.
func (t *Tally) Add(res *Result) {
	rec := t.n
	t.n++
	if res == nil {
		return
	}
	p := t.p
	for qi, q := range p.quotas {
		for _, r := range q.rules {
			if res.Rules[r].Applies {
				v := &res.ranks[qi]
				t.quotas[qi] = append(t.quotas[qi], entryOf(rec, v.IsNA(), v.n(), &t.big))
				break
			}
		}
	}
	for bi, b := range p.budgets {
		// a rule is in one budget or quota at most (the checker sees to
		// it), so a quota's decision never touches a budget's amounts
		bs := &t.budgets[bi]
		for _, r := range b.rules {
			if v, ok := res.Rules[r].Paid(); ok {
				bs.asked = append(bs.asked, entryOf(rec, false, v.n(), &t.big))
			}
		}
	}
}

// Settlement is the decision of the budgets and quotas over all records:
// which records lose a quota's rules, with their rank, and what each
// budgeted amount becomes. The notes are worded when it is applied.
type Settlement struct {
	quotas  []quotaSettlement
	budgets []budgetSettlement
	big     []num // the numbers the entries do not hold
}

// quotaSettlement is a quota's candidates, best first, and the place of
// each one that did not make it.
type quotaSettlement struct {
	ranked []entry
	place  []int32 // by record: its place in ranked, from 1, when it did not make it; else 0
}

// budgetSettlement is a budget's amounts in record order, and what each
// became when the budget was short.
type budgetSettlement struct {
	asked         []entry // by record, ascending
	scaled        []num   // nil when the budget was enough
	demand, ratio decimal.Decimal
}

// Settle decides the quotas, then the budgets.
func (t *Tally) Settle() *Settlement {
	p := t.p
	s := &Settlement{quotas: make([]quotaSettlement, len(p.quotas)), budgets: t.budgets, big: t.big}
	for qi, q := range p.quotas {
		cands := t.quotas[qi]
		// best first; stable, so a tie goes to the earlier record
		slices.SortStableFunc(cands, func(a, b entry) int {
			if a.na || b.na {
				return cmpBool(a.na, b.na) // 不适用 last
			}
			return cmpNum(b.num(t.big), a.num(t.big))
		})
		qs := quotaSettlement{ranked: cands}
		if len(cands) > q.count {
			// 4 bytes a record, where a map of the records left out took
			// some 50 when nearly all are
			qs.place = make([]int32, t.n)
			for k := q.count; k < len(cands); k++ {
				qs.place[cands[k].rec] = int32(k + 1)
			}
		}
		s.quotas[qi] = qs
	}
	for bi, b := range p.budgets {
		bs := &s.budgets[bi]
		demand := num{}
		for _, e := range bs.asked {
			demand = addNum(demand, e.num(t.big), false)
		}
		bs.demand = demand.decimal()
		if !bs.demand.GreaterThan(b.total) || !bs.demand.IsPositive() {
			continue
		}
		// the amounts as numbers, only for a budget that is short
		asked := make([]num, len(bs.asked))
		for k, e := range bs.asked {
			asked[k] = e.num(t.big)
		}
		var ok bool
		if bs.scaled, ok = splitFixed(fromDecimal(b.total), asked); !ok {
			values := make([]decimal.Decimal, len(asked))
			for k, v := range asked {
				values[k] = v.decimal()
			}
			bs.scaled = make([]num, len(values))
			for k, d := range splitDecimal(b.total, values) {
				bs.scaled[k] = fromDecimal(d)
			}
		}
		bs.ratio = b.total.DivRound(bs.demand, 4).Shift(2)
	}
	return s
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// ApplySettlement changes the result of record rec (its place in input
// order) as the settlement decided.
func (p *Program) ApplySettlement(rec int, res *Result, s *Settlement) {
	if res == nil {
		return
	}
	for qi := range p.quotas {
		qs := &s.quotas[qi]
		if rec < 0 || rec >= len(qs.place) || qs.place[rec] == 0 {
			continue
		}
		k := int(qs.place[rec]) - 1
		q := &p.quotas[qi]
		for _, r := range q.rules {
			rr := &res.Rules[r]
			if !rr.Applies {
				continue
			}
			rr.Applies, rr.Outputs = false, nil
			rank := NA("")
			if c := qs.ranked[k]; !c.na {
				rank = c.num(s.big).value(q.rankKind)
			}
			rr.why.set(nil, &Reason{Kind: ReasonQuota, Note: fmt.Sprintf("评选“%s”名额 %d 名，按“%s”（%s）排第 %d 名", q.name, q.count, q.rankText, rank, k+1)})
		}
	}
	for bi, b := range p.budgets {
		bs := &s.budgets[bi]
		if bs.scaled == nil {
			continue // the budget was enough
		}
		// the record's amounts, found by binary search in record order
		k := sort.Search(len(bs.asked), func(i int) bool { return int(bs.asked[i].rec) >= rec })
		for _, r := range b.rules {
			rr := &res.Rules[r]
			if _, ok := rr.Paid(); ok && k < len(bs.asked) && int(bs.asked[k].rec) == rec {
				rr.Outputs[rr.pays].Value = bs.scaled[k].value(lang.KindMoney)
				res.extras = true
				rr.Notes = append(rr.Notes, fmt.Sprintf("预算“%s”总额 %s元，全体申请合计 %s元，按约 %s%% 的比例压减（原为 %s元）",
					b.name, b.total, bs.demand, bs.ratio, numString(bs.asked[k].num(s.big))))
				k++
			}
		}
	}
}
