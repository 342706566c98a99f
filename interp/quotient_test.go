package interp

import (
	"math"
	"math/rand"
	"testing"
)

// TestQuotientCompareAgreesWithDividing: wherever quotientTest decides a
// comparison without dividing, it says what dividing says (divNum, then
// cmpNum with the constant), and the quotient is within the magnitude
// limit, as arith checks it. The numbers include quotients a unit of the
// last place either side of the constant, denominators at the bound past
// which rounding could decide, and a limit of few digits.
func TestQuotientCompareAgreesWithDividing(t *testing.T) {
	r := rand.New(rand.NewSource(35))
	consts := []num{fixed64(35, 3), fixed64(30, 2), fixed64(0, 0), fixed64(1, 0), fixed64(123456789, 20), fixed64(5, 1)}
	decided := 0
	for _, digits := range []int{30, 22, 21, 6, 1} {
		limit := newMagnitudeLimit(digits)
		for _, k := range consts {
			qt := &quotientTest{k: k, digits: digits}
			var pairs [][2]num
			for range 400 {
				pairs = append(pairs, [2]num{randomFixed(r), randomFixed(r)})
			}
			for range 400 { // a = k·b, and a unit either side, at the finest scale
				b := fixed64(1+r.Int63n(1e12), r.Intn(5))
				kb := mulNum(k, b)
				unit := fixed64(1, kb.scale())
				pairs = append(pairs, [2]num{kb, b}, [2]num{addNum(kb, unit, false), b}, [2]num{addNum(kb, unit, true), b})
			}
			for sa := 0; sa <= maxScale; sa++ { // the largest quotients of each pair of scales
				for sb := 0; sb <= maxScale; sb++ {
					pairs = append(pairs, [2]num{fixed(u128{lo: math.MaxUint64 - uint64(r.Intn(1000))}, sa, false), fixed64(1+r.Int63n(9), sb)})
				}
			}
			for e := 0; e <= 19; e++ { // denominators about the bound 2·10^e
				for _, d := range []int64{-1, 0, 1} {
					if e < 19 {
						b := fixed(u128{lo: uint64(int64(2*pow10[e]) + d)}, r.Intn(3), false)
						pairs = append(pairs, [2]num{addNum(mulNum(k, b), fixed64(d, maxScale), false), b})
					}
				}
			}
			for _, p := range pairs {
				a, b := p[0], p[1]
				got, ok := qt.compare(a, b)
				if !ok {
					continue
				}
				decided++
				q := divNum(a, b)
				if !limit.within(q) {
					t.Fatalf("digits %d: %s / %s decided, but the quotient %s is past the limit", digits, numString(a), numString(b), numString(q))
				}
				if want := cmpNum(q, k); got != want {
					t.Fatalf("%s / %s against %s: %d, dividing says %d (quotient %s)", numString(a), numString(b), numString(k), got, want, numString(q))
				}
			}
		}
	}
	if decided < 5000 {
		t.Errorf("compare decided only %d comparisons", decided)
	}
	t.Logf("%d comparisons decided without dividing", decided)
}

// FuzzQuotientCompare: for any a, b and k of 64-bit magnitude, any scales
// and a magnitude limit of 1 to 40 digits, quotientTest decides a/b
// against k only as dividing would, and constCmp.quick compares a with k
// as cmpNum does.
func FuzzQuotientCompare(f *testing.F) {
	f.Add(uint64(4000000), uint8(0), uint64(300000000), uint8(2), uint64(35), uint8(3), false, uint8(30))
	f.Add(uint64(math.MaxUint64), uint8(0), uint64(1), uint8(20), uint64(0), uint8(0), false, uint8(21))
	f.Add(uint64(3), uint8(1), uint64(30), uint8(2), uint64(30), uint8(2), true, uint8(1))
	f.Fuzz(func(t *testing.T, alo uint64, asc uint8, blo uint64, bsc uint8, klo uint64, ksc uint8, aneg bool, digits uint8) {
		a := fixed(u128{lo: alo}, int(asc%(maxScale+1)), aneg)
		b := fixed(u128{lo: blo}, int(bsc%(maxScale+1)), false)
		k := fixed(u128{lo: klo}, int(ksc%(maxScale+1)), false)
		d := 1 + int(digits%40)
		if r, ok := newConstCmp(k).quick(a); ok && r != cmpNum(a, k) {
			t.Fatalf("quick(%s, %s) = %d, cmpNum says %d", numString(a), numString(k), r, cmpNum(a, k))
		}
		qt := &quotientTest{k: k, digits: d}
		r, ok := qt.compare(a, b)
		if !ok {
			return
		}
		q := divNum(a, b)
		if !newMagnitudeLimit(d).within(q) {
			t.Fatalf("digits %d: %s / %s decided, but the quotient %s is past the limit", d, numString(a), numString(b), numString(q))
		}
		if want := cmpNum(q, k); r != want {
			t.Fatalf("%s / %s against %s: %d, dividing says %d (quotient %s)", numString(a), numString(b), numString(k), r, want, numString(q))
		}
	})
}
