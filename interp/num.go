package interp

import (
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// Numbers are held in one of two forms, which give the same results.
//
// A fixed number keeps its digits as a 128-bit magnitude with a sign, and
// its scale beside them: its value is ±(hi·2^64 + lo) × 10^−scale, with the
// magnitude below 2^127 and the scale at most maxScale. Sums, differences,
// products, comparisons, rounding and the quotients of policy amounts fit,
// and cost no allocation; when the high word is 0, the cheaper 64-bit
// instructions do the work.
//
// A number that does not fit (more than 38 digits, more than 20 places, or
// a divisor of more than 64 bits) is held in a decimal.Decimal. Every
// fixed operation checks for overflow before it could happen and then
// falls back to decimal: it never wraps. A decimal result that fits is made
// fixed again, so one long intermediate does not slow what follows.

// num is a number in either form, as the numeric closures pass it: small
// enough to travel in registers.
type num struct {
	lo, hi uint64 // the magnitude of a fixed number
	dec    *decimal.Decimal
	sc     uint8 // the scale, and the sign in the top bit: four words in all, so two nums and more pass in registers
}

const negBit = 0x80

func (n num) scale() int { return int(n.sc &^ negBit) }

func (n num) neg() bool { return n.sc&negBit != 0 }

// withSign returns n with its sign set to negative or not.
func (n num) withSign(negative bool) num {
	n.sc &^= negBit
	if negative {
		n.sc |= negBit
	}
	return n
}

// n returns the number a numeric Value holds.
func (v *Value) n() num {
	n := num{lo: v.lo, hi: v.hi, sc: v.sc}
	if v.ref != nil {
		n.dec = v.ref.dec
	}
	return n
}

// big reports whether a numeric Value holds a number that does not fit the
// fixed form.
func (v *Value) big() bool { return v.ref != nil && v.ref.dec != nil }

// value returns n as a Value of kind k.
func (n num) value(k lang.Kind) Value {
	v := Value{kind: k, lo: n.lo, hi: n.hi, sc: n.sc}
	if n.dec != nil {
		v.ref = &ref{dec: n.dec}
	}
	return v
}

// setNum makes *v the number n of kind k. It writes only the fields of a
// number, for a slot that holds numbers only (a rule's numeric output), and
// clears the rest only when they hold something.
func (v *Value) setNum(k lang.Kind, n num) {
	if v.ref != nil || v.b || v.elem != 0 {
		*v = Value{}
	}
	v.kind, v.lo, v.hi, v.sc = k, n.lo, n.hi, n.sc
	if n.dec != nil {
		v.ref = &ref{dec: n.dec}
	}
}

// setBool makes *v the 是否 b, writing as setNum does.
func (v *Value) setBool(b bool) {
	if v.ref != nil || v.elem != 0 {
		*v = Value{}
	}
	v.kind, v.b, v.lo, v.hi, v.sc = lang.KindBool, b, 0, 0, 0
}

// maxScale is the most decimal places a fixed number keeps: those of a
// quotient.
const maxScale = DivisionPlaces

// pow10 holds 10^0 … 10^19, the powers of ten that fit a uint64.
var pow10 = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// u128 is an unsigned 128-bit integer. The fixed form keeps it below 2^127.
type u128 struct{ hi, lo uint64 }

func (x u128) fits() bool { return x.hi < 1<<63 }

func (x u128) isZero() bool { return x.hi == 0 && x.lo == 0 }

func cmp128(x, y u128) int {
	switch {
	case x.hi < y.hi || x.hi == y.hi && x.lo < y.lo:
		return -1
	case x == y:
		return 0
	}
	return 1
}

// add128 returns x + y, or false if the sum reaches 2^127.
func add128(x, y u128) (u128, bool) {
	lo, carry := bits.Add64(x.lo, y.lo, 0)
	hi, carry := bits.Add64(x.hi, y.hi, carry)
	r := u128{hi, lo}
	return r, carry == 0 && r.fits()
}

// sub128 returns x − y for x ≥ y.
func sub128(x, y u128) u128 {
	lo, borrow := bits.Sub64(x.lo, y.lo, 0)
	hi, _ := bits.Sub64(x.hi, y.hi, borrow)
	return u128{hi, lo}
}

// mul64 returns x × m, or false if the product reaches 2^127.
func mul64(x u128, m uint64) (u128, bool) {
	h1, lo := bits.Mul64(x.lo, m)
	h2, l2 := bits.Mul64(x.hi, m)
	hi, carry := bits.Add64(h1, l2, 0)
	r := u128{hi, lo}
	return r, h2 == 0 && carry == 0 && r.fits()
}

// scaleUp returns x × 10^n, or false if it reaches 2^127.
func scaleUp(x u128, n int) (u128, bool) {
	for n > 0 {
		k := min(n, 19)
		var ok bool
		if x, ok = mul64(x, pow10[k]); !ok {
			return x, false
		}
		n -= k
	}
	return x, true
}

// divmod64 returns x ÷ d and x mod d, for d > 0.
func divmod64(x u128, d uint64) (u128, uint64) {
	if x.hi == 0 {
		return u128{lo: x.lo / d}, x.lo % d
	}
	qh, r := x.hi/d, x.hi%d
	ql, r := bits.Div64(r, x.lo, d)
	return u128{qh, ql}, r
}

func (n num) mag() u128 { return u128{n.hi, n.lo} }

// fixed returns the number ±mag × 10^−scale; −0 is 0.
func fixed(mag u128, scale int, neg bool) num {
	sc := uint8(scale)
	if neg && !mag.isZero() {
		sc |= negBit
	}
	return num{lo: mag.lo, hi: mag.hi, sc: sc}
}

// fixed64 returns the number x × 10^−scale.
func fixed64(x int64, scale int) num {
	if x < 0 {
		return fixed(u128{lo: uint64(-x)}, scale, true) // right for math.MinInt64 too
	}
	return fixed(u128{lo: uint64(x)}, scale, false)
}

// fromDecimal returns d as a number, in the fixed form when it fits.
func fromDecimal(d decimal.Decimal) num {
	exp := int(d.Exponent())
	if exp < -maxScale {
		return num{dec: &d}
	}
	var mag u128
	neg := d.Sign() < 0
	if digits := d.NumDigits(); digits <= 18 {
		c := d.CoefficientInt64()
		if c < 0 {
			c = -c
		}
		mag = u128{lo: uint64(c)}
	} else if digits <= 39 {
		c := d.Coefficient()
		c.Abs(c)
		if c.BitLen() > 127 {
			return num{dec: &d}
		}
		mag = u128{hi: new(big.Int).Rsh(c, 64).Uint64(), lo: c.Uint64()}
	} else {
		return num{dec: &d}
	}
	if exp > 0 {
		var ok bool
		if mag, ok = scaleUp(mag, exp); !ok {
			return num{dec: &d}
		}
		exp = 0
	}
	return fixed(mag, -exp, neg)
}

// decimal returns a number as a decimal. For a fixed number it allocates.
func (n num) decimal() decimal.Decimal {
	if n.dec != nil {
		return *n.dec
	}
	if n.hi == 0 && n.lo <= math.MaxInt64 {
		x := int64(n.lo)
		if n.neg() {
			x = -x
		}
		return decimal.New(x, -int32(n.scale()))
	}
	b := new(big.Int).SetUint64(n.hi)
	b.Lsh(b, 64).Or(b, new(big.Int).SetUint64(n.lo))
	if n.neg() {
		b.Neg(b)
	}
	return decimal.NewFromBigInt(b, -int32(n.scale()))
}

// align returns a's and b's magnitudes at their common scale, or false if
// one does not fit.
func align(a, b num) (x, y u128, scale int, ok bool) {
	x, y, sa, sb := a.mag(), b.mag(), a.scale(), b.scale()
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
		bneg := b.neg() != sub
		if a.hi|b.hi == 0 && a.sc&^negBit == b.sc&^negBit && a.neg() == bneg {
			// the common case: one sign, 64 bits, one scale
			if s, carry := bits.Add64(a.lo, b.lo, 0); carry == 0 {
				return fixed(u128{lo: s}, a.scale(), a.neg())
			}
		}
		if x, y, s, ok := align(a, b); ok {
			if a.neg() == bneg {
				if r, ok := add128(x, y); ok {
					return fixed(r, s, a.neg())
				}
			} else if cmp128(x, y) >= 0 {
				return fixed(sub128(x, y), s, a.neg())
			} else {
				return fixed(sub128(y, x), s, bneg)
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
	if a.dec == nil && b.dec == nil && (a.hi == 0 || b.hi == 0) {
		x, m := a.mag(), b.lo
		if a.hi == 0 {
			x, m = b.mag(), a.lo
		}
		if p, ok := mul64(x, m); ok {
			s := a.scale() + b.scale()
			for s > maxScale && p.lo%10 == 0 && p.hi == 0 {
				p.lo /= 10
				s--
			}
			if s <= maxScale {
				return fixed(p, s, a.neg() != b.neg())
			}
		}
	}
	return fromDecimal(a.decimal().Mul(b.decimal()))
}

// isZero reports whether a number is 0.
func (n num) isZero() bool {
	if n.dec != nil {
		return n.dec.IsZero()
	}
	return n.hi|n.lo == 0
}

// divNum returns a ÷ b to DivisionPlaces places, rounded half away from
// zero; b is not 0.
func divNum(a, b num) num {
	if a.dec == nil && b.dec == nil && b.hi == 0 {
		if q, s, ok := divFixed(a.mag(), a.scale(), b.lo, b.scale()); ok {
			return fixed(q, s, a.neg() != b.neg())
		}
	}
	return fromDecimal(a.decimal().DivRound(b.decimal(), DivisionPlaces))
}

// divFixed divides x × 10^−sx by y × 10^−sy by long division in base
// 10^k: it stops when the remainder is 0 (an exact quotient keeps only
// the places it needs) or at maxScale places, rounding half away from zero
// on the remainder.
func divFixed(x u128, sx int, y uint64, sy int) (u128, int, bool) {
	q, r := divmod64(x, y)
	// q has places sx − sy; extend it to at most maxScale places
	places := sx - sy
	for r != 0 && places < maxScale {
		k := min(maxScale-places, 19)
		hi, lo := bits.Mul64(r, pow10[k])
		var d uint64
		d, r = bits.Div64(hi, lo, y) // hi < y because r < y
		var ok bool
		if q, ok = mul64(q, pow10[k]); !ok {
			return q, 0, false
		}
		if q, ok = add128(q, u128{lo: d}); !ok {
			return q, 0, false
		}
		places += k
	}
	if r != 0 {
		if r >= y-r { // r ≥ y/2, without overflowing 2r
			var ok bool
			if q, ok = add128(q, u128{lo: 1}); !ok {
				return q, 0, false
			}
		}
	} else if q.hi == 0 {
		// drop the trailing zeros: eight at a time, then four, two, one
		for places >= 8 && q.lo%1e8 == 0 {
			q.lo /= 1e8
			places -= 8
		}
		for _, k := range [...]int{4, 2, 1} {
			if places >= k && q.lo%pow10[k] == 0 {
				q.lo /= pow10[k]
				places -= k
			}
		}
	}
	if places < 0 {
		var ok bool
		if q, ok = scaleUp(q, -places); !ok {
			return q, 0, false
		}
		places = 0
	}
	return q, places, true
}

// cmpNum compares two numbers: −1, 0 or +1.
func cmpNum(a, b num) int {
	if a.dec != nil || b.dec != nil {
		return a.decimal().Cmp(b.decimal())
	}
	if b.lo|b.hi == 0 { // against 0 (超过 0), whatever the scales
		switch {
		case a.lo|a.hi == 0:
			return 0
		case a.neg():
			return -1
		}
		return 1
	}
	if a.neg() != b.neg() {
		if a.neg() {
			return -1 // −0 is never held
		}
		return 1
	}
	sign := 1
	if a.neg() {
		sign = -1
	}
	if a.hi|b.hi == 0 && a.sc&^negBit == b.sc&^negBit {
		switch {
		case a.lo < b.lo:
			return -sign
		case a.lo > b.lo:
			return sign
		}
		return 0
	}
	x, y, sa, sb := a.mag(), b.mag(), a.scale(), b.scale()
	var ok bool
	if sa < sb {
		if x, ok = scaleUp(x, sb-sa); !ok {
			return sign // |a| scaled exceeds 2^127, so exceeds |b|
		}
	} else if sb < sa {
		if y, ok = scaleUp(y, sa-sb); !ok {
			return -sign
		}
	}
	return sign * cmp128(x, y)
}

// negNum returns −v.
func negNum(v num) num {
	if v.dec != nil {
		d := v.dec.Neg()
		return num{dec: &d}
	}
	if !v.isZero() {
		v.sc ^= negBit
	}
	return v
}

// roundNum rounds v to places decimal places, half away from zero:
// 0.125 → 0.13, −0.125 → −0.13.
func roundNum(v num, places int) num {
	if v.dec == nil && places >= 0 {
		if v.scale() <= places {
			return v
		}
		if n := v.scale() - places; n <= 19 {
			d := pow10[n]
			q, r := divmod64(v.mag(), d)
			if r >= d-r {
				q, _ = add128(q, u128{lo: 1}) // q < 2^127 / 10, so this fits
			}
			return fixed(q, places, v.neg())
		}
	}
	return fromDecimal(v.decimal().Round(int32(places)))
}

// magnitudeLimit is the bound Limits.MaxIntegerDigits puts on numbers:
// 10^digits, kept for every scale of the fixed form.
type magnitudeLimit struct {
	digits int
	max    decimal.Decimal
	mags   [maxScale + 1]u128 // 10^digits at each scale
	all    [maxScale + 1]bool // every fixed number of that scale is below it
}

func newMagnitudeLimit(digits int) *magnitudeLimit {
	m := &magnitudeLimit{digits: digits, max: decimal.New(1, int32(digits))}
	for sc := range m.mags {
		lim, ok := scaleUp(u128{lo: 1}, digits+sc)
		m.mags[sc], m.all[sc] = lim, !ok
	}
	return m
}

// MaxFractionDigits bounds the decimal places of every number computed.
// Division keeps DivisionPlaces; multiplication adds its operands' places,
// so without a bound a few lines of x = x * x double a number's digits at
// each step until arithmetic takes minutes. No policy needs more than a
// few: 100 is five quotients multiplied together.
const MaxFractionDigits = 100

// within reports whether |n| is below the limit and n has no more than
// MaxFractionDigits places. A fixed number has at most maxScale places.
func (m *magnitudeLimit) within(n num) bool {
	if n.dec != nil {
		return n.dec.Abs().LessThan(m.max) && places(*n.dec) <= MaxFractionDigits
	}
	s := n.scale()
	return m.all[s] || cmp128(n.mag(), m.mags[s]) < 0
}

// appendNum appends a number as a plain decimal without trailing zeros, as
// decimal.Decimal.String writes it: 1234.5, −0.035, 2000000.
func appendNum(buf []byte, v num) []byte {
	if v.dec != nil {
		return append(buf, v.dec.String()...)
	}
	if v.isZero() {
		return append(buf, '0')
	}
	if v.neg() {
		buf = append(buf, '-')
	}
	start := len(buf)
	if v.hi == 0 {
		buf = strconv.AppendUint(buf, v.lo, 10)
	} else {
		// the magnitude is below 2^127, so its quotient by 10^19 fits 64 bits
		q, r := divmod64(v.mag(), pow10[19])
		buf = strconv.AppendUint(buf, q.lo, 10)
		var low [19]byte
		for i := 18; i >= 0; i-- {
			low[i] = byte('0' + r%10)
			r /= 10
		}
		buf = append(buf, low[:]...)
	}
	scale := v.scale()
	if scale == 0 {
		return buf
	}
	digits := buf[start:]
	// trim trailing zeros of the fraction
	for scale > 0 && digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
		scale--
	}
	n := len(digits)
	if scale == 0 {
		return buf[:start+n]
	}
	if n > scale {
		// 12345 scale 2 → 123.45
		buf = append(buf[:start+n], 0)
		copy(buf[start+n-scale+1:], buf[start+n-scale:start+n])
		buf[start+n-scale] = '.'
		return buf
	}
	// 35 scale 3 → 0.035: move the digits right, and write 0.0 before them
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
	var b [48]byte
	return string(appendNum(b[:0], v))
}

// places returns the decimal places of d, not counting trailing zeros: 1.50
// has one. Zeros are counted off only when the places seem too many, so
// the common case costs one comparison.
func places(d decimal.Decimal) int {
	p := -int(d.Exponent())
	if p <= MaxFractionDigits {
		return max(p, 0)
	}
	c := new(big.Int).Set(d.Coefficient())
	ten, r := big.NewInt(10), new(big.Int)
	for p > 0 && c.Sign() != 0 {
		if c.QuoRem(c, ten, r); r.Sign() != 0 {
			break
		}
		p--
	}
	return p
}
