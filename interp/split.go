package interp

import "github.com/shopspring/decimal"

// Split divides total in the proportions parts, to the fen, so that the
// results add up to total exactly (largest remainder method).
func Split(total decimal.Decimal, parts []decimal.Decimal) []decimal.Decimal {
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
	// stable: on equal remainders the earlier party comes first
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && rem[order[j]].GreaterThan(rem[order[j-1]]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	for k := int64(0); k < left; k++ {
		i := order[int(k)%len(order)]
		out[i] = out[i].Add(step)
	}
	for i := range out {
		out[i] = out[i].Shift(-2)
	}
	return out
}
