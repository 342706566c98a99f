package interp

import (
	"math/bits"
	"sort"

	"github.com/shopspring/decimal"
)

// Split divides total in the proportions parts, to the fen, so that the
// results add up to total exactly (largest remainder method): each part
// first gets its share rounded toward zero to the fen, and the fen left over
// go one each to the parts whose shares were cut the most, the earlier part
// first on a tie.
func Split(total decimal.Decimal, parts []decimal.Decimal) []decimal.Decimal {
	nums := make([]num, len(parts))
	for i, p := range parts {
		nums[i] = fromDecimal(p)
	}
	if shares, ok := splitFixed(fromDecimal(total), nums); ok {
		out := make([]decimal.Decimal, len(shares))
		for i, s := range shares {
			out[i] = s.decimal()
		}
		return out
	}
	return splitDecimal(total, parts)
}

// splitFixed is Split in whole numbers: the fen to divide times each part,
// divided by the sum of the parts, with the exact remainders ranked. It
// returns false when a number does not fit 64 bits, a part is negative or
// they add up to 0; splitDecimal then does the work.
func splitFixed(total num, parts []num) ([]num, bool) {
	if total.dec != nil || len(parts) == 0 {
		return nil, false
	}
	rounded := roundNum(total, MoneyPlaces)
	fenMag, ok := scaleUp(rounded.mag(), MoneyPlaces-rounded.scale())
	if !ok || fenMag.hi != 0 {
		return nil, false
	}
	fen, neg := fenMag.lo, total.neg()
	scale := 0
	for _, p := range parts {
		if p.dec != nil || p.neg() {
			return nil, false
		}
		scale = max(scale, p.scale())
	}
	whole := make([]uint64, len(parts))
	var sum uint64
	for i, p := range parts {
		w, ok := scaleUp(p.mag(), scale-p.scale())
		if !ok || w.hi != 0 {
			return nil, false
		}
		var carry uint64
		if sum, carry = bits.Add64(sum, w.lo, 0); carry != 0 {
			return nil, false
		}
		whole[i] = w.lo
	}
	if sum == 0 {
		return nil, false
	}
	shares := make([]uint64, len(parts))
	rem := make([]uint64, len(parts))
	given := uint64(0)
	for i, w := range whole {
		hi, lo := bits.Mul64(fen, w)
		q, r := divmod64(u128{hi, lo}, sum) // q ≤ fen, since w ≤ sum
		shares[i], rem[i] = q.lo, r
		given += q.lo
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for k := uint64(0); k < fen-given; k++ { // fewer fen left than parts
		shares[order[k]]++
	}
	out := make([]num, len(parts))
	for i, s := range shares {
		out[i] = fixed(u128{lo: s}, MoneyPlaces, neg)
	}
	return out, true
}

// splitDecimal is Split in decimal, for numbers the fixed form cannot hold.
func splitDecimal(total decimal.Decimal, parts []decimal.Decimal) []decimal.Decimal {
	sum := decimal.Zero
	for _, p := range parts {
		sum = sum.Add(p)
	}
	fen := total.Shift(2).Round(0) // whole fen to divide
	out := make([]decimal.Decimal, len(parts))
	rem := make([]decimal.Decimal, len(parts))
	given := decimal.Zero
	for i, p := range parts {
		exact := fen.Mul(p).DivRound(sum, 30)
		if total.IsNegative() {
			out[i] = exact.RoundCeil(0)
		} else {
			out[i] = exact.RoundFloor(0)
		}
		rem[i] = exact.Sub(out[i]).Abs()
		given = given.Add(out[i])
	}
	left := fen.Sub(given).IntPart()
	step := decimal.NewFromInt(1)
	if left < 0 {
		step, left = step.Neg(), -left
	}
	order := make([]int, len(parts))
	for i := range order {
		order[i] = i
	}
	// largest remainder first; stable, so on equal remainders the earlier
	// party comes first
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]].GreaterThan(rem[order[b]]) })
	for k := int64(0); k < left; k++ {
		i := order[int(k)%len(order)]
		out[i] = out[i].Add(step)
	}
	for i := range out {
		out[i] = out[i].Shift(-2)
	}
	return out
}
