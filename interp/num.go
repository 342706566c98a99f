package interp

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// Numbers are held in one of two forms, which give the same results.
//
// A fixed number keeps its digits in an int64 and its scale beside them:
// its value is fx × 10^−scale, with scale at most maxScale. Sums,
// differences, products, comparisons, rounding and the quotients of policy
// amounts fit, and cost no allocation.
//
// A number that does not fit (more than 18 digits, or a quotient whose 20
// places do not fit) is held in a decimal.Decimal. Every fixed operation
// checks for overflow before it could happen and then falls back to
// decimal: it never wraps. A decimal result that fits is made fixed again,
// so one long intermediate does not slow what follows.

// num is a number in either form, as the numeric closures pass it: small
// enough to travel in registers.
type num struct {
	fx    int64
	dec   *decimal.Decimal
	scale uint8
}

// n returns the number a numeric Value holds.
func (v Value) n() num { return num{fx: v.fx, dec: v.dec, scale: v.scale} }

// value returns n as a Value of kind k.
func (n num) value(k lang.Kind) Value { return Value{kind: k, fx: n.fx, dec: n.dec, scale: n.scale} }

// maxScale is the most decimal places a fixed number keeps: those of a
// quotient.
const maxScale = DivisionPlaces

// pow10 holds 10^0 … 10^18, the powers of ten that fit an int64.
var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// uabs returns |x|, right for math.MinInt64 too.
func uabs(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// signed returns u with the sign of neg, or false if it does not fit. The
// fixed form never holds math.MinInt64, so negation never overflows.
func signed(u uint64, neg bool) (int64, bool) {
	if u > math.MaxInt64 {
		return 0, false
	}
	if neg {
		return -int64(u), true
	}
	return int64(u), true
}

// scaleUp returns x × 10^n, or false if it does not fit.
func scaleUp(x int64, n int) (int64, bool) {
	for n > 0 {
		k := min(n, 18)
		hi, lo := bits.Mul64(uabs(x), uint64(pow10[k]))
		if hi != 0 {
			return 0, false
		}
		var ok bool
		if x, ok = signed(lo, x < 0); !ok {
			return 0, false
		}
		n -= k
	}
	return x, true
}

// fixed returns the number fx × 10^−scale.
func fixed(fx int64, scale int) num { return num{fx: fx, scale: uint8(scale)} }

// fromDecimal returns d as a number, in the fixed form when it fits.
func fromDecimal(d decimal.Decimal) num {
	exp := int(d.Exponent())
	if exp >= -maxScale && d.NumDigits() <= 18 {
		c := d.CoefficientInt64()
		if exp <= 0 {
			return fixed(c, -exp)
		}
		if c, ok := scaleUp(c, exp); ok {
			return fixed(c, 0)
		}
	}
	return num{dec: &d}
}

// decimal returns a number as a decimal. For a fixed number it allocates.
func (v num) decimal() decimal.Decimal {
	if v.dec != nil {
		return *v.dec
	}
	return decimal.New(v.fx, -int32(v.scale))
}

// align returns a's and b's digits at their common scale, or false if one
// does not fit.
func align(a, b num) (x, y int64, scale int, ok bool) {
	x, y, sa, sb := a.fx, b.fx, int(a.scale), int(b.scale)
	switch {
	case sa < sb:
		x, ok = scaleUp(x, sb-sa)
		return x, y, sb, ok
	case sb < sa:
		y, ok = scaleUp(y, sa-sb)
		return x, y, sa, ok
	}
	return x, y, sa, true
}

// addNum returns a + b, or a − b when sub is set.
func addNum(a, b num, sub bool) num {
	if a.dec == nil && b.dec == nil {
		if x, y, s, ok := align(a, b); ok {
			if sub {
				y = -y
			}
			r := x + y
			// no overflow: the signs differ, or the sum has theirs
			if ((x >= 0) != (y >= 0) || (r >= 0) == (x >= 0)) && r != math.MinInt64 {
				return fixed(r, s)
			}
		}
	}
	if sub {
		return fromDecimal(a.decimal().Sub(b.decimal()))
	}
	return fromDecimal(a.decimal().Add(b.decimal()))
}

// mulNum returns a × b.
func mulNum(a, b num) num {
	if a.dec == nil && b.dec == nil {
		hi, lo := bits.Mul64(uabs(a.fx), uabs(b.fx))
		s := int(a.scale) + int(b.scale)
		for hi == 0 && s > maxScale && lo%10 == 0 {
			lo /= 10
			s--
		}
		if hi == 0 && s <= maxScale {
			if r, ok := signed(lo, (a.fx < 0) != (b.fx < 0)); ok {
				return fixed(r, s)
			}
		}
	}
	return fromDecimal(a.decimal().Mul(b.decimal()))
}

// isZero reports whether a number is 0.
func (v num) isZero() bool {
	if v.dec != nil {
		return v.dec.IsZero()
	}
	return v.fx == 0
}

// divNum returns a ÷ b to DivisionPlaces places, rounded half away from
// zero; b is not 0.
func divNum(a, b num) num {
	if a.dec == nil && b.dec == nil {
		if q, s, ok := divFixed(a.fx, int(a.scale), b.fx, int(b.scale)); ok {
			return fixed(q, s)
		}
	}
	return fromDecimal(a.decimal().DivRound(b.decimal(), DivisionPlaces))
}

// divFixed divides x × 10^−sx by y × 10^−sy by long division in base
// 10^k: it stops when the remainder is 0 (an exact quotient keeps only
// the places it needs) or at maxScale places, rounding on the remainder.
func divFixed(x int64, sx int, y int64, sy int) (int64, int, bool) {
	neg := (x < 0) != (y < 0)
	ux, uy := uabs(x), uabs(y)
	q, r := ux/uy, ux%uy
	// q has places sx − sy; extend it to at most maxScale places
	places := sx - sy
	for r != 0 && places < maxScale {
		k := min(maxScale-places, 18)
		hi, lo := bits.Mul64(r, uint64(pow10[k]))
		var d uint64
		d, r = bits.Div64(hi, lo, uy) // hi < uy because r < uy and 10^k < 2^64
		qh, ql := bits.Mul64(q, uint64(pow10[k]))
		sum, carry := bits.Add64(ql, d, 0)
		if qh != 0 || carry != 0 {
			return 0, 0, false
		}
		q, places = sum, places+k
	}
	if r != 0 {
		// half away from zero: r ≥ uy − r, without overflowing 2r
		if r >= uy-r {
			q++
			if q == 0 {
				return 0, 0, false
			}
		}
	} else {
		// drop the trailing zeros: eight at a time, then four, two, one
		for places >= 8 && q%1e8 == 0 {
			q /= 1e8
			places -= 8
		}
		if places >= 4 && q%1e4 == 0 {
			q /= 1e4
			places -= 4
		}
		if places >= 2 && q%100 == 0 {
			q /= 100
			places -= 2
		}
		if places >= 1 && q%10 == 0 {
			q /= 10
			places--
		}
	}
	if places < 0 {
		if q > math.MaxInt64 {
			return 0, 0, false
		}
		shifted, ok := scaleUp(int64(q), -places)
		if !ok {
			return 0, 0, false
		}
		q, places = uint64(shifted), 0
	}
	v, ok := signed(q, neg)
	return v, places, ok
}

// cmpNum compares two numbers: −1, 0 or +1.
func cmpNum(a, b num) int {
	if a.dec != nil || b.dec != nil {
		return a.decimal().Cmp(b.decimal())
	}
	x, y, sa, sb := a.fx, b.fx, int(a.scale), int(b.scale)
	if sa < sb {
		var ok bool
		if x, ok = scaleUp(x, sb-sa); !ok {
			// |a| scaled exceeds every int64, so exceeds |b|
			return sign(a.fx)
		}
	} else if sb < sa {
		var ok bool
		if y, ok = scaleUp(y, sa-sb); !ok {
			return -sign(b.fx)
		}
	}
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func sign(x int64) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}

// negNum returns −v.
func negNum(v num) num {
	if v.dec != nil {
		d := v.dec.Neg()
		return num{dec: &d}
	}
	return fixed(-v.fx, int(v.scale))
}

// roundNum rounds v to places decimal places, half away from zero:
// 0.125 → 0.13, −0.125 → −0.13.
func roundNum(v num, places int) num {
	if v.dec == nil && places >= 0 {
		if int(v.scale) <= places {
			return v
		}
		if n := int(v.scale) - places; n <= 18 {
			d := uint64(pow10[n])
			u := uabs(v.fx)
			q, r := u/d, u%d
			if r >= d-r {
				q++ // q < 2^63 / 10, so this fits
			}
			x, _ := signed(q, v.fx < 0)
			return fixed(x, places)
		}
	}
	return fromDecimal(v.decimal().Round(int32(places)))
}

// absLessThanPow10 reports whether |v| < 10^digits.
func absLessThanPow10(v num, digits int) bool {
	if v.dec == nil {
		n := digits + int(v.scale)
		if n > 18 {
			return true // |fx| < 2^63 < 10^19
		}
		return uabs(v.fx) < uint64(pow10[n])
	}
	return v.dec.Abs().LessThan(decimal.New(1, int32(digits)))
}

// appendNum appends a number as a plain decimal without trailing zeros, as
// decimal.Decimal.String writes it: 1234.5, −0.035, 2000000.
func appendNum(buf []byte, v num) []byte {
	if v.dec != nil {
		return append(buf, v.dec.String()...)
	}
	if v.fx == 0 {
		return append(buf, '0')
	}
	if v.fx < 0 {
		buf = append(buf, '-')
	}
	start := len(buf)
	buf = strconv.AppendUint(buf, uabs(v.fx), 10)
	scale := int(v.scale)
	if scale == 0 {
		return buf
	}
	digits := buf[start:]
	// trim trailing zeros of the fraction
	for scale > 0 && len(digits) > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		scale--
	}
	if scale == 0 {
		return buf[:start+len(digits)]
	}
	if n := len(digits); n > scale {
		// 12345 scale 2 → 123.45
		buf = append(buf[:start+n], 0)
		copy(buf[start+n-scale+1:], buf[start+n-scale:start+n])
		buf[start+n-scale] = '.'
		return buf
	}
	// 35 scale 3 → 0.035: move the digits right, and write 0.0 before them
	n := len(digits)
	lead := 2 + scale - n
	for i := 0; i < lead; i++ {
		buf = append(buf[:start+n+i], '0')
	}
	copy(buf[start+lead:], buf[start:start+n])
	for i := start; i < start+lead; i++ {
		buf[i] = '0'
	}
	buf[start+1] = '.'
	return buf
}

// numString formats a number as appendNum does.
func numString(v num) string {
	var b [32]byte
	return string(appendNum(b[:0], v))
}
