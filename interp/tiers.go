package interp

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file holds tables by range: tiers (按 研发费用 取 { 1000万元以上：
// 20万元，500万元至1000万元（不含）：10万元 }), where a value falls in one
// range and takes its row, and brackets (按 研发费用 分段 { 1000万元以下部分：
// 5%，超过1000万元部分：3% }), where each range's part of the value is
// taken at its rate and the parts are summed. The bounds are constants, so
// the ranges are put in order, and checked for overlaps and gaps, once, at
// Compile: a value that two rows claim, or that no row between two others
// claims, is an error in the policy, not a guess at run time.

// tier is one row of a table by range, its bounds known.
type tier struct {
	lo, hi         decimal.Decimal
	hasLo, hasHi   bool
	loIncl, hiIncl bool
	text           string
	pos            lang.Pos
	value          evalFn
}

// contains reports whether x is in the tier's range.
func (t *tier) contains(x decimal.Decimal) bool {
	if t.hasLo {
		if c := x.Cmp(t.lo); c < 0 || (c == 0 && !t.loIncl) {
			return false
		}
	}
	if t.hasHi {
		if c := x.Cmp(t.hi); c > 0 || (c == 0 && !t.hiIncl) {
			return false
		}
	}
	return true
}

// tiers evaluates the bounds of e's rows and puts them in order, lowest
// first; overlapping rows, and gaps between rows, are errors.
func (c *compiler) tiers(e *lang.Lookup) []tier {
	var ts []tier
	for _, en := range e.Entries {
		r := en.Range
		t := tier{loIncl: r.LoIncl, hiIncl: r.HiIncl, text: r.Text, pos: r.Pos, value: c.expr(en.Value)}
		for _, b := range []struct {
			e   lang.Expr
			d   *decimal.Decimal
			has *bool
		}{{r.Lo, &t.lo, &t.hasLo}, {r.Hi, &t.hi, &t.hasHi}} {
			if b.e == nil {
				continue
			}
			v, err := c.constant(b.e, "分档的界限", "the bound of a tier")
			if err != nil {
				c.errs = append(c.errs, err)
				continue
			}
			*b.d, *b.has = v.Decimal(), true
		}
		if t.hasLo && t.hasHi && (t.lo.GreaterThan(t.hi) || (t.lo.Equal(t.hi) && !(t.loIncl && t.hiIncl))) {
			c.errs = append(c.errs, &lang.Error{Pos: t.pos, Zh: fmt.Sprintf("“%s”是空的范围：下限不低于上限", t.text), En: fmt.Sprintf("%q is an empty range: its lower bound is not below its upper", t.text)})
		}
		ts = append(ts, t)
	}
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := &ts[i], &ts[j]
		switch {
		case !a.hasLo || !b.hasLo:
			return !a.hasLo && b.hasLo
		case !a.lo.Equal(b.lo):
			return a.lo.LessThan(b.lo)
		}
		return a.loIncl && !b.loIncl
	})
	for i := 1; i < len(ts); i++ {
		a, b := &ts[i-1], &ts[i]
		bound := func(d decimal.Decimal) string { return boundText(d, c.checked.Types[e.Key], lang.Chinese) }
		boundEn := func(d decimal.Decimal) string { return boundText(d, c.checked.Types[e.Key], lang.English) }
		switch {
		case !a.hasHi && a.hasLo && b.hasLo:
			// 1000万元以上：20万元，500万元以上：10万元 — the lower tier ends
			// where the higher begins, which the text leaves unsaid
			fix := fmt.Sprintf("%s至%s（不含）", bound(a.lo), bound(b.lo))
			if !b.loIncl {
				fix = fmt.Sprintf("%s至%s（含）", bound(a.lo), bound(b.lo))
			}
			c.errs = append(c.errs, &lang.Error{Pos: a.pos, Zh: fmt.Sprintf("“%s”与“%s”重叠：一个数只能落在一档；若“%s”指到下一档为止，请写成“%s”", a.text, b.text, a.text, fix),
				En: fmt.Sprintf("%q and %q overlap: a number falls in one tier only; if %q ends where the next tier begins, write %q", a.text, b.text, a.text, fix)})
		case !a.hasHi || !b.hasLo:
			c.errs = append(c.errs, &lang.Error{Pos: b.pos, Zh: fmt.Sprintf("“%s”与“%s”重叠：一个数只能落在一档", a.text, b.text), En: fmt.Sprintf("%q and %q overlap: a number falls in one tier only", a.text, b.text)})
		case a.hi.GreaterThan(b.lo):
			c.errs = append(c.errs, &lang.Error{Pos: b.pos, Zh: fmt.Sprintf("“%s”与“%s”重叠：%s 至 %s 同在两档", a.text, b.text, bound(b.lo), bound(a.hi)), En: fmt.Sprintf("%q and %q overlap: %s to %s is in both", a.text, b.text, boundEn(b.lo), boundEn(a.hi))})
		case a.hi.LessThan(b.lo):
			c.errs = append(c.errs, &lang.Error{Pos: b.pos, Zh: fmt.Sprintf("“%s”与“%s”之间有空档：%s 至 %s 不在任何一档", a.text, b.text, bound(a.hi), bound(b.lo)), En: fmt.Sprintf("a gap between %q and %q: %s to %s is in no tier", a.text, b.text, boundEn(a.hi), boundEn(b.lo))})
		case a.hiIncl && b.loIncl:
			c.errs = append(c.errs, &lang.Error{Pos: b.pos, Zh: fmt.Sprintf("%s 恰在两档之间：“%s”与“%s”都包括本数（民法典第一千二百五十九条：以上、以下、以内包括本数）；请写明哪一档“（不含）”", bound(b.lo), a.text, b.text),
				En: fmt.Sprintf("%s is in two tiers: %q and %q both include it (Civil Code art. 1259: \"以上\", \"以下\" and \"以内\" include the number); mark one of them \"（不含）\"", boundEn(b.lo), a.text, b.text)})
		case !a.hiIncl && !b.loIncl:
			c.errs = append(c.errs, &lang.Error{Pos: b.pos, Zh: fmt.Sprintf("%s 不在任何一档：“%s”与“%s”都不包括本数", bound(b.lo), a.text, b.text), En: fmt.Sprintf("%s is in no tier: neither %q nor %q includes it", boundEn(b.lo), a.text, b.text)})
		}
	}
	return ts
}

// boundText writes a bound as the key's type reads: 1000万元, 5%.
func boundText(d decimal.Decimal, t lang.Type, loc lang.Locale) string {
	return numeric(t, d).Text(loc)
}

// rangeLookup compiles a table by range: the row whose range holds the key,
// or, for brackets, the sum of each range's part of the key at its rate.
func (c *compiler) rangeLookup(e *lang.Lookup) evalFn {
	key := c.expr(e.Key)
	ts := c.tiers(e)
	t := c.checked.Types[e]
	kt := c.checked.Types[e.Key]
	src := c.checked.File.Src
	keyText := string(src[e.Key.Span().Start:e.Key.Span().End])
	if e.Brackets {
		return func(f *frame) (Value, error) {
			k, err := key(f)
			if err != nil || k.IsNA() {
				return k, err
			}
			x := k.Decimal()
			sum := decimal.Zero
			var parts []Message
			for i := range ts {
				b := &ts[i]
				lo := decimal.Zero
				if b.hasLo {
					lo = b.lo
				}
				top := x
				if b.hasHi && b.hi.LessThan(top) {
					top = b.hi
				}
				part := top.Sub(lo)
				if !part.IsPositive() {
					continue
				}
				rate, err := b.value(f)
				if err != nil || rate.IsNA() {
					return rate, err
				}
				amount := part.Mul(rate.Decimal())
				sum = sum.Add(amount)
				if f.trace != nil {
					parts = append(parts, stepBracket(b.text, numeric(kt, part), rate, numeric(t, amount)))
				}
			}
			v := numeric(t, sum)
			if f.trace != nil {
				f.trace.note(stepBrackets(keyText, k, parts, v))
			}
			return v, nil
		}
	}
	var ranges []string
	for i := range ts {
		ranges = append(ranges, ts[i].text)
	}
	return func(f *frame) (Value, error) {
		k, err := key(f)
		if err != nil || k.IsNA() {
			return k, err
		}
		x := k.Decimal()
		for i := range ts {
			if !ts[i].contains(x) {
				continue
			}
			v, err := ts[i].value(f)
			if t.IsNumeric() && !v.IsNA() {
				v.kind = t.Kind
			}
			if f.trace != nil && err == nil {
				f.trace.note(stepTier(keyText, k, ts[i].text, v))
			}
			return v, err
		}
		return naOf(msgNoTier(keyText, k, list(ranges))), nil
	}
}
