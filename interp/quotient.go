package interp

import (
	"math/bits"

	"github.com/zhengce/zhengce/lang"
)

// A quotient of two slots compared with a constant (研发投入 / 主营业务收入
// 超过 3.5%) is the commonest test of a share in the seed policies. Its
// quotient is rounded to maxScale places, which costs two hardware
// divisions; quotientTest decides the comparison by multiplying instead,
// and divides only when the quotient is worded.
//
// For a ≥ 0, b > 0 and k ≥ 0, with a, b and k of scales sa, sb and sk,
// the quotient q = a/b differs from k by (a − k·b)/b, and a − k·b is a
// multiple of 10^−s, s = max(sa, sk+sb). So when q ≠ k, |q − k| ≥ 10^−s/b,
// which is more than half a unit of the last place kept, ½·10^−maxScale,
// whenever b < 2·10^(maxScale−s): then q rounded to maxScale places
// compares with k as q does, and q compares with k as a with k·b. Rows
// outside these bounds (signs, sizes, a quotient near the magnitude limit)
// take the test that divides.

// quotientTest compares the quotient of two slots (a slotSlot shape) with
// a constant k.
type quotientTest struct {
	sh      shape
	k       num
	holds   [3]bool // whether the comparison holds when cmpNum(a/b, k) is −1, 0, 1
	left    bool    // the quotient is on the left
	digits  int     // Limits.MaxIntegerDigits
	divides testFn
}

// quotientTestOf returns the test of e (a quotient) against the constant
// k, or nil when e is not a quotient of two slots or k is not a
// non-negative number of at most maxScale places that fits 64 bits.
// divides is the test that divides, for the rows the other cannot decide.
func (c *compiler) quotientTestOf(e lang.Expr, k num, left bool, holds [3]bool, divides testFn) testFn {
	q, ok := e.(*lang.Binary)
	if !ok || q.Op != lang.OpDiv || k.dec != nil || k.hi != 0 || k.neg() || k.scale() > maxScale {
		return nil
	}
	sh := c.shapeOf(q.X, q.Y)
	if sh.kind != slotSlot {
		return nil
	}
	t := &quotientTest{sh: sh, k: k, holds: orient(holds, left), left: left, digits: c.prog.magnitude.digits, divides: divides}
	return func(f *frame, m *miss) bool {
		x, y := f.slot(t.sh.where, t.sh.i), f.slot(t.sh.w2, t.sh.i2)
		if f.trace == nil && numericKind(x.kind) && numericKind(y.kind) {
			a, b := x.n(), y.n()
			if r, ok := t.compare(a, b); ok {
				if t.holds[r+1] {
					return true
				}
				m.setQuotient(a, b, t.k, t.left)
				return false
			}
		}
		return t.divides(f, m)
	}
}

// compare returns the comparison of a/b, rounded as divNum rounds it, with
// the constant; ok is false when it cannot be decided without dividing.
func (t *quotientTest) compare(a, b num) (r int, ok bool) {
	if a.dec != nil || b.dec != nil || a.hi|b.hi != 0 || a.sc&negBit|b.sc&negBit != 0 || b.lo == 0 {
		return 0, false
	}
	sa, sb := a.scale(), b.scale()
	sk := t.k.scale()
	s := max(sa, sk+sb)
	// q rounded compares as q does: b < 2·10^(maxScale−s)
	if e := maxScale - s + sb; e < 0 || e < 19 && b.lo >= 2*pow10[e] {
		return 0, false
	}
	// within the magnitude limit, rounded, as divNum's result is checked:
	// q < 10^(digits−1), that is a·10^sb < b·10^(sa+digits−1); never past
	// it when a/b < 2^64·10^(sb−sa) is below that
	if sb-sa > t.digits-21 {
		if x, fits := scaleUp(u128{lo: a.lo}, sb); !fits {
			return 0, false
		} else if lim, fits := scaleUp(u128{lo: b.lo}, sa+t.digits-1); fits && cmp128(x, lim) >= 0 {
			return 0, false // (a limit past 128 bits is above x)
		}
	}
	// a against k·b, both at scale s
	x, fits := times10(a.lo, s-sa)
	if !fits {
		return 0, false
	}
	var kb u128
	kb.hi, kb.lo = bits.Mul64(t.k.lo, b.lo)
	if n := s - sk - sb; n > 0 {
		if kb, fits = scaleUp(kb, n); !fits {
			return 0, false
		}
	}
	return cmp128(x, kb), true
}

// times10 returns x·10^n, n ≥ 0, multiplying once when 10^n fits 64 bits.
func times10(x uint64, n int) (r u128, ok bool) {
	if n < len(pow10) {
		r.hi, r.lo = bits.Mul64(x, pow10[n])
		return r, true
	}
	return scaleUp(u128{lo: x}, n)
}
