package interp

import (
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
// values, as many as its 名额: by the first value, a tie by the next, and a
// tie on all of them by input order (which the policy declares with 先到先
// 得). For the other records the rules do not apply, and the reason gives
// the rank. A quota written 每年 has its 名额 for each year, among the
// records evaluated in that year.
//
// A budget adds up what its rules pay over all records (over each year's,
// for 每年). When they ask for more than its 总额, each amount is scaled by
// 总额 ÷ demand: rounded down to the fen, with the fen left over given one
// each to the amounts rounded down the most (the earlier on a tie), so
// that the amounts add up to the total exactly.
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
// values; for each budget the amounts its rules would pay. It keeps 16
// bytes per candidate and per amount (an entry), and the ranking values
// after the first, and nothing for other records.
type Tally struct {
	p       *Program
	n       int // records added
	quotas  [][]entry
	more    [][]num // per quota: each candidate's ranking values after the first, in a row
	budgets []budgetSettlement
	big     []num // the numbers entries do not hold in place
}

// entry is a record's number in a quota's running (its first rank value) or
// in a budget (an amount it asks for), and the year of its evaluation: 16
// bytes, for there may be millions. A fixed number whose magnitude fits 64
// bits is held in place; any other is appended to the tally's big numbers,
// and lo is its index there.
type entry struct {
	rec  int32
	na   bool  // the number is 不适用 (a rank value only)
	sc   uint8 // as num.sc, or bigEntry
	year int16 // of the record's evaluation date, for 每年
	lo   uint64
}

// bigEntry is the sc of an entry whose number is in the big numbers.
const bigEntry = 0xff

// entryOf makes the entry of record rec's number n, evaluated in year.
func entryOf(rec int, na bool, n num, year int, big *[]num) entry {
	if n.dec == nil && n.hi == 0 {
		return entry{rec: int32(rec), na: na, sc: n.sc, lo: n.lo, year: int16(year)}
	}
	*big = append(*big, n)
	return entry{rec: int32(rec), na: na, sc: bigEntry, lo: uint64(len(*big) - 1), year: int16(year)}
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
	return &Tally{p: p, quotas: make([][]entry, len(p.quotas)), more: make([][]num, len(p.quotas)), budgets: make([]budgetSettlement, len(p.budgets))}
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
	year := res.AsOf.Year
	for qi, q := range p.quotas {
		for _, r := range q.rules {
			if res.Rules[r].Applies {
				ranks := res.ranks[q.rankAt : q.rankAt+len(q.ranks)]
				t.quotas[qi] = append(t.quotas[qi], entryOf(rec, ranks[0].IsNA(), ranks[0].n(), year, &t.big))
				for _, v := range ranks[1:] {
					t.more[qi] = append(t.more[qi], v.n()) // 不适用 is 0 there: the first value decides the 不适用
				}
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
				bs.asked = append(bs.asked, entryOf(rec, false, v.n(), year, &t.big))
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

// quotaSettlement is a quota's candidates, best first (each year's apart,
// for 每年), and the place of each one that did not make it.
type quotaSettlement struct {
	ranked []entry
	place  []int32 // by record: its place in its year's running, from 1, when it did not make it; else 0
	tied   []bool  // by record: it lost a tie on every ranking value to an earlier record
}

// budgetSettlement is a budget's amounts in record order, and what each
// became when the budget (its year's, for 每年) was short.
type budgetSettlement struct {
	asked  []entry // by record, ascending
	scaled []num   // nil when no year was short
	years  map[int16]*budgetYear
}

// budgetYear is a budget's demand in one year (the only one, but for 每年),
// and the ratio it was scaled by.
type budgetYear struct {
	demand, ratio decimal.Decimal
	short         bool
}

// Settle decides the quotas, then the budgets.
func (t *Tally) Settle() *Settlement {
	p := t.p
	s := &Settlement{quotas: make([]quotaSettlement, len(p.quotas)), budgets: t.budgets, big: t.big}
	for qi, q := range p.quotas {
		s.quotas[qi] = t.settleQuota(qi, &q)
	}
	for bi, b := range p.budgets {
		t.settleBudget(&s.budgets[bi], &b)
	}
	return s
}

func (t *Tally) settleQuota(qi int, q *compiledQuota) quotaSettlement {
	cands := t.quotas[qi]
	extra := len(q.ranks) - 1
	// each candidate's ordinal, for its ranking values after the first
	order := make([]int32, len(cands))
	for k := range order {
		order[k] = int32(k)
	}
	cmpMore := func(a, b int32) int {
		for j := range extra {
			if c := cmpNum(t.more[qi][int(b)*extra+j], t.more[qi][int(a)*extra+j]); c != 0 {
				return c
			}
		}
		return 0
	}
	byRank := func(a, b int32) int {
		ea, eb := cands[a], cands[b]
		if q.yearly && ea.year != eb.year {
			return int(ea.year) - int(eb.year)
		}
		if ea.na || eb.na {
			return cmpBool(ea.na, eb.na) // 不适用 last
		}
		if c := cmpNum(eb.num(t.big), ea.num(t.big)); c != 0 {
			return c
		}
		return cmpMore(a, b)
	}
	// best first; stable, so a tie on everything goes to the earlier record
	slices.SortStableFunc(order, byRank)
	qs := quotaSettlement{ranked: make([]entry, len(cands))}
	for k, o := range order {
		qs.ranked[k] = cands[o]
	}
	place := 0
	for k := range order {
		if k > 0 && (!q.yearly || cands[order[k]].year == cands[order[k-1]].year) {
			place++
		} else {
			place = 1 // a year's running starts
		}
		if place <= q.count {
			continue
		}
		if qs.place == nil {
			// 4 bytes a record, where a map of the records left out took
			// some 50 when nearly all are
			qs.place, qs.tied = make([]int32, t.n), make([]bool, t.n)
		}
		rec := cands[order[k]].rec
		qs.place[rec] = int32(place)
		// the last one in, when it ties with this one on every value
		last := order[k-(place-q.count)]
		qs.tied[rec] = byRank(last, order[k]) == 0
	}
	return qs
}

func (t *Tally) settleBudget(bs *budgetSettlement, b *compiledBudget) {
	bs.years = map[int16]*budgetYear{}
	yearOf := func(e entry) int16 {
		if b.yearly {
			return e.year
		}
		return 0
	}
	demand := map[int16]num{}
	for _, e := range bs.asked {
		demand[yearOf(e)] = addNum(demand[yearOf(e)], e.num(t.big), false)
	}
	for y, d := range demand {
		by := &budgetYear{demand: d.decimal()}
		bs.years[y] = by
		if !by.demand.GreaterThan(b.total) || !by.demand.IsPositive() {
			continue
		}
		by.short = true
		by.ratio = b.total.DivRound(by.demand, 4).Shift(2)
		// the year's amounts as numbers, only for a budget that is short
		var idx []int
		var asked []num
		for k, e := range bs.asked {
			if yearOf(e) == y {
				idx, asked = append(idx, k), append(asked, e.num(t.big))
			}
		}
		scaled, ok := splitFixed(fromDecimal(b.total), asked)
		if !ok {
			values := make([]decimal.Decimal, len(asked))
			for k, v := range asked {
				values[k] = v.decimal()
			}
			scaled = make([]num, len(values))
			for k, d := range splitDecimal(b.total, values) {
				scaled[k] = fromDecimal(d)
			}
		}
		if bs.scaled == nil {
			bs.scaled = make([]num, len(bs.asked))
		}
		for k, i := range idx {
			bs.scaled[i] = scaled[k]
		}
	}
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
		place := int(qs.place[rec])
		q := &p.quotas[qi]
		for _, r := range q.rules {
			rr := &res.Rules[r]
			if !rr.Applies {
				continue
			}
			rr.Applies, rr.Outputs = false, nil
			rank := NA("")
			if v := res.ranks[q.rankAt]; !v.IsNA() {
				rank = v
			}
			year := 0
			if q.yearly {
				year = res.AsOf.Year
			}
			rr.why.set(nil, &Reason{Kind: ReasonQuota, Note: msgQuota(q.name, year, q.count, q.rankText, rank, place, qs.tied[rec])})
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
				y := int16(0)
				if b.yearly {
					y = bs.asked[k].year
				}
				if by := bs.years[y]; by.short {
					rr.Outputs[rr.pays].Value = bs.scaled[k].value(lang.KindMoney)
					res.extras = true
					year := 0
					if b.yearly {
						year = int(y)
					}
					rr.Notes = append(rr.Notes, msgBudgetScaled(b.name, year, b.total, by.demand, by.ratio, bs.asked[k].num(s.big)))
				}
				k++
			}
		}
	}
}
