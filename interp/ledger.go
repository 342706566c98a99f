package interp

import (
	"slices"

	"github.com/zhengce/zhengce/lang"
)

// This file holds the 台账: what an enterprise has been paid before, one
// item per payment (年度, 事项, 兑现额), and the words that read it: 一次性
// (not if paid before), 最多连续 N年 (not after N years in a row), and the
// caps 累计最高 and 每年最高 (the limit less what was paid, in all or in
// the record's year). An item is matched to a rule by 事项: the rule's
// name, or one of its 依据 (such as 第14条).

// matchKeys lists the keys an item's 事项 may have to be rule r's.
func matchKeys(r *lang.Rule) []string {
	keys := []string{r.Name.Key}
	for _, c := range r.Cites {
		keys = append(keys, lang.FoldName(c))
	}
	return keys
}

// ledgerItem is one payment of the 台账.
type ledgerItem struct {
	year   int64
	matter string // folded
	amount num
}

// ledgerItems reads the 台账 of this evaluation, checking each item's year:
// after the year of the evaluation date, or before the policy came into
// force, is an error naming the item.
func (p *Program) ledgerItems(f *frame) ([]ledgerItem, error) {
	v := &f.inputs[p.ledger]
	if v.kind != lang.KindList {
		return nil, p.badInput(p.ledger, v)
	}
	in := p.inputs[p.ledger]
	items := make([]ledgerItem, 0, len(v.list()))
	for k, it := range v.list() {
		fields := it.list()
		yn := fields[lang.LedgerYear].n()
		year := yn.decimal()
		if !year.IsInteger() {
			return nil, fieldError(in, nil, msgf("第 %[1]d 项的年度“%[2]s”不是整数", "item %[1]d: the year %[2]s is not a whole number", k+1, year))
		}
		y := year.IntPart()
		if y > int64(f.asOf.Year) {
			return nil, fieldError(in, nil, msgf("第 %[1]d 项的年度 %[2]d 晚于评估日期（%[3]s）", "item %[1]d: the year %[2]d is after the evaluation date (%[4]s)", k+1, y, f.asOf.Chinese(), f.asOf))
		}
		if p.firstYear > 0 && y < int64(p.firstYear) {
			return nil, fieldError(in, nil, msgf("第 %[1]d 项的年度 %[2]d 早于政策施行的 %[3]d 年", "item %[1]d: the year %[2]d is before the policy came into force in %[3]d", k+1, y, p.firstYear))
		}
		items = append(items, ledgerItem{year: y, matter: lang.FoldName(fields[lang.LedgerMatter].text()), amount: fields[lang.LedgerAmount].n()})
	}
	if f.trace != nil {
		f.trace.inputs[p.ledger] = true
	}
	return items, nil
}

// onceStep compiles 一次性 for rule r: it does not apply when the ledger
// shows it paid.
func (p *Program) onceStep(keys []string) bodyStep {
	return func(f *frame, rr *RuleResult) (bool, error) {
		items, err := p.ledgerItems(f)
		if err != nil {
			return false, err
		}
		for _, it := range items {
			if slices.Contains(keys, it.matter) {
				rr.why.set(nil, &Reason{Kind: ReasonLedger, Note: msgOnce(it.year, it.amount)})
				return false, nil
			}
		}
		return true, nil
	}
}

// consecutiveStep compiles 最多连续 n年 for a rule: it does not apply when
// the ledger shows it paid in each of the n years before the year of the
// evaluation date.
func (p *Program) consecutiveStep(keys []string, n int64) bodyStep {
	return func(f *frame, rr *RuleResult) (bool, error) {
		items, err := p.ledgerItems(f)
		if err != nil {
			return false, err
		}
		paid := map[int64]bool{}
		for _, it := range items {
			if slices.Contains(keys, it.matter) {
				paid[it.year] = true
			}
		}
		run := int64(0) // the years in a row, to the year before
		for y := int64(f.asOf.Year) - 1; paid[y]; y-- {
			run++
		}
		if run >= n {
			last := int64(f.asOf.Year) - 1
			rr.why.set(nil, &Reason{Kind: ReasonLedger, Note: msgConsecutive(run, last-run+1, last, n)})
			return false, nil
		}
		return true, nil
	}
}

// ledgerUsed returns what the ledger shows the rules of cap k paid: in all
// (累计), or in the year of the evaluation date (每年).
func (p *Program) ledgerUsed(f *frame, k int) (num, error) {
	l := &p.limits2[k]
	items, err := p.ledgerItems(f)
	if err != nil {
		return num{}, err
	}
	var used num
	for _, it := range items {
		if slices.Contains(l.keys, it.matter) && (l.scope != "每年" || it.year == int64(f.asOf.Year)) {
			used = addNum(used, it.amount, false)
		}
	}
	return used, nil
}
