package interp

import (
	"github.com/zhengce/zhengce/lang"
)

// This file settles an enterprise: the records of one enterprise (its
// applications: one row per project, per 申报事项) after each has been
// evaluated. 就高不重复 and caps (上限) speak of the enterprise, not of one
// application: "同一企业符合多项…就高、不重复", "每家企业最高200万元".
// Evaluating a record settles its own rules; SettleEnterprise settles them
// across the enterprise's records, before budgets and quotas settle them
// across all enterprises.

// SettleEnterprise applies the policy's 就高不重复 groups and caps across
// the results of one enterprise's records, in input order; a nil result (a
// record that failed) takes no part. It changes the results in place.
//
// Of a group's rules that apply in any of the records, the one that pays
// the most keeps applying (on a tie, the earlier record, then the rule
// listed first); the others do not apply, and the reason names the record
// and rule that was paid. A cap's limit (as the enterprise's first record
// with its rules computes it) bounds what its rules pay across the records:
// paid in record order, and in the order listed within a record, until the
// limit is reached.
func (p *Program) SettleEnterprise(results []*Result) {
	if len(results) < 2 {
		return // one record: evaluating it settled it
	}
	// The groups first: each record's own settling has already capped its
	// rules by their caps on one rule, and of a group's rules in all the
	// records only one is paid, so a cap on one rule bounds that one alone.
	// Then the caps, in the order a record settles them.
	for g := range p.checked.Groups {
		p.settleGroupAcross(results, g)
	}
	for _, k := range p.capsByStage {
		p.settleLimitAcross(results, k)
	}
}

// paidBy is a rule of one of an enterprise's records and what it pays.
type paidBy struct {
	rec, rule int
	amount    num
}

func (p *Program) settleGroupAcross(results []*Result, g int) {
	var all []paidBy
	best := -1
	for k, res := range results {
		if res == nil {
			continue
		}
		for _, r := range p.checked.GroupRules[g] {
			if v, ok := res.Rules[r].Paid(); ok {
				all = append(all, paidBy{k, r, v.n()})
				if best < 0 || cmpNum(v.n(), all[best].amount) > 0 {
					best = len(all) - 1
				}
			}
		}
	}
	if best < 0 {
		return
	}
	won, group := all[best], p.checked.Groups[g]
	for i, pb := range all {
		if i == best {
			continue
		}
		rr := &results[pb.rec].Rules[pb.rule]
		rr.Applies, rr.Outputs, rr.exceptions, rr.Exceptions = false, nil, rr.exceptions[:0], nil
		results[pb.rec].extras = true
		rr.why.set(nil, &Reason{Pos: group.Name.Pos, Kind: ReasonExclusive, Note: msgExclusiveAcross(group.Name.Text, won.rec+1, p.rules[won.rule].rule.Name.Text, won.amount, pb.amount)})
	}
}

func (p *Program) settleLimitAcross(results []*Result, k int) {
	l := &p.limits2[k]
	var limit num
	found := false
	for _, res := range results {
		if res != nil && res.Limits[k].Limit.IsValid() && !res.Limits[k].Limit.IsNA() {
			limit, found = res.Limits[k].Limit.n(), true
			break
		}
	}
	if !found {
		return // no record computed the limit: each record's own rules already say why
	}
	left := limit
	for _, res := range results {
		if res == nil {
			continue
		}
		lr := &res.Limits[k]
		var paid num
		for _, r := range l.rules {
			rr := &res.Rules[r]
			v, ok := rr.Paid()
			if !ok {
				continue
			}
			n := v.n()
			if n.neg() || n.isZero() {
				continue
			}
			if cmpNum(n, left) <= 0 {
				left = addNum(left, n, true)
				paid = addNum(paid, n, false)
				continue
			}
			rr.Outputs[rr.pays].Value.setNum(lang.KindMoney, left)
			res.extras = true
			if left.isZero() {
				rr.Notes = append(rr.Notes, msgCapSpentAcross(l.name, limit, n))
			} else {
				rr.Notes = append(rr.Notes, msgCapCutAcross(l.name, limit, addNum(limit, left, true), n, addNum(n, left, true), left))
			}
			paid = addNum(paid, left, false)
			left = num{}
		}
		lr.Paid = paid.value(lang.KindMoney)
	}
}
