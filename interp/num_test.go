package interp

import (
	"math"
	"math/big"
	"math/rand"
	"strconv"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// randomFixed draws numbers that stress the fixed form: small amounts,
// magnitudes near the 64- and 127-bit limits, every scale up to maxScale,
// both signs.
func randomFixed(r *rand.Rand) num {
	var mag u128
	switch r.Intn(7) {
	case 0:
		mag.lo = uint64(r.Int63n(1000))
	case 1:
		mag.lo = uint64(r.Int63n(1e9))
	case 2:
		mag.lo = math.MaxInt64 - uint64(r.Int63n(1000))
	case 3:
		mag.lo = r.Uint64()
	case 4:
		mag = u128{hi: uint64(r.Int63n(1 << 62)), lo: r.Uint64()}
	case 5:
		mag = u128{hi: 1<<63 - 1 - uint64(r.Int63n(1000)), lo: r.Uint64()}
	default:
		mag.lo = pow10[r.Intn(20)] * uint64(r.Int63n(10))
	}
	return fixed(mag, r.Intn(maxScale+1), r.Intn(2) == 0)
}

// TestFixedAgainstDecimal checks every fixed-form operation against
// shopspring/decimal on the same operands: the fast path must give the
// same number, whether it stayed fixed or fell back.
func TestFixedAgainstDecimal(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	type op struct {
		name  string
		fixed func(a, b num) num
		dec   func(a, b decimal.Decimal) decimal.Decimal
	}
	ops := []op{
		{"+", func(a, b num) num { return addNum(a, b, false) }, decimal.Decimal.Add},
		{"-", func(a, b num) num { return addNum(a, b, true) }, decimal.Decimal.Sub},
		{"*", mulNum, decimal.Decimal.Mul},
		{"/", divNum, func(a, b decimal.Decimal) decimal.Decimal { return a.DivRound(b, DivisionPlaces) }},
		{"round2", func(a, _ num) num { return roundNum(a, 2) }, func(a, _ decimal.Decimal) decimal.Decimal { return a.Round(2) }},
		{"round0", func(a, _ num) num { return roundNum(a, 0) }, func(a, _ decimal.Decimal) decimal.Decimal { return a.Round(0) }},
		{"neg", func(a, _ num) num { return negNum(a) }, func(a, _ decimal.Decimal) decimal.Decimal { return a.Neg() }},
	}
	stayedFixed := map[string]int{}
	for i := 0; i < 20000; i++ {
		a, b := randomFixed(r), randomFixed(r)
		da, db := a.decimal(), b.decimal()
		for _, o := range ops {
			if o.name == "/" && b.isZero() {
				continue
			}
			got := o.fixed(a, b)
			want := o.dec(da, db)
			if !got.decimal().Equal(want) {
				t.Fatalf("%s %s %s: fixed path gives %s, decimal gives %s", da, o.name, db, got.decimal(), want)
			}
			if got.dec == nil {
				stayedFixed[o.name]++
				if !got.mag().fits() || got.scale() > maxScale || got.neg() && got.isZero() {
					t.Fatalf("%s %s %s: fixed result out of form: %+v", da, o.name, db, got)
				}
			}
		}
		if got, want := cmpNum(a, b), da.Cmp(db); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", da, db, got, want)
		}
		if got, want := numString(a), da.String(); got != want {
			t.Fatalf("numString(%+v) = %q, want %q", a, got, want)
		}
		for _, digits := range []int{3, 12, 19, 30, 40} {
			if got, want := newMagnitudeLimit(digits).within(a), da.Abs().LessThan(decimal.New(1, int32(digits))); got != want {
				t.Fatalf("within(%s) of 10^%d = %v", da, digits, got)
			}
		}
	}
	// the fast path must carry most of the work, or it is not one
	for _, o := range ops {
		if stayedFixed[o.name] < 2000 {
			t.Errorf("%s stayed fixed only %d times in 20000", o.name, stayedFixed[o.name])
		}
	}
}

// TestFixedCases pins down cases by hand: the places of quotients, the
// fallback on overflow and the return to the fixed form.
func TestFixedCases(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name      string
		got       num
		want      string
		wantFixed bool
	}{
		{"terminating quotient keeps its places", divNum(fromDecimal(d("50000000")), fromDecimal(d("800000000"))), "0.0625", true},
		{"quotient to 20 places", divNum(fromDecimal(d("1")), fromDecimal(d("30"))), "0.03333333333333333333", true},
		{"quotient rounds half away from zero", divNum(fromDecimal(d("-2")), fromDecimal(d("3"))), "-0.66666666666666666667", true},
		{"growth rate to 20 places stays fixed", addNum(divNum(fromDecimal(d("36761575.21")), fromDecimal(d("6347391.38"))), fixed64(1, 0), true), "4.79160366978977748178", true},
		{"quotient of amounts with different places", divNum(fromDecimal(d("100")), fromDecimal(d("0.5"))), "200", true},
		{"beyond 64 bits stays fixed", addNum(fixed64(math.MaxInt64, 0), fixed64(1, 0), false), "9223372036854775808", true},
		{"beyond 127 bits falls back", addNum(fixed(u128{hi: 1<<63 - 1, lo: math.MaxUint64}, 0, false), fixed64(1, 0), false), "170141183460469231731687303715884105728", false},
		{"decimal result fitting again is fixed", addNum(fromDecimal(d("170141183460469231731687303715884105728")), fixed64(-9, 0), false), "170141183460469231731687303715884105719", true},
		{"small result of a big operand is fixed", addNum(fromDecimal(d("10000000000000000000000")), fromDecimal(d("-9999999999999999999999")), false), "1", true},
		{"product beyond 20 places drops trailing zeros", mulNum(fixed64(5, 20), fixed64(20, 1)), "0.0000000000000000001", true},
		{"product beyond 20 places falls back", mulNum(fixed64(5, 20), fixed64(3, 1)), "0.000000000000000000015", false},
		{"money rounds half away from zero", roundNum(fromDecimal(d("-0.125")), 2), "-0.13", true},
		{"negative zero is zero", negNum(fixed64(0, 3)), "0", true},
	}
	for _, tt := range tests {
		got := struct {
			S     string
			Fixed bool
		}{numString(tt.got), tt.got.dec == nil}
		want := struct {
			S     string
			Fixed bool
		}{tt.want, tt.wantFixed}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestFixedAllocatesNothing: arithmetic on amounts that fit costs no
// allocation.
func TestFixedAllocatesNothing(t *testing.T) {
	a, b := fixed64(5000000000, 2), fixed64(35, 3)
	allocs := testing.AllocsPerRun(100, func() {
		v := mulNum(addNum(a, b, true), b)
		v = divNum(v, a)
		v = roundNum(v, 2)
		_ = cmpNum(v, b)
	})
	if allocs != 0 {
		t.Errorf("fixed arithmetic allocates %v times", allocs)
	}
}

// TestParsePlainAgreesWithParseCell: the quick reading of plain cells gives
// what lang.ParseCell gives, and leaves everything else to it.
func TestParsePlainAgreesWithParseCell(t *testing.T) {
	cells := []string{"0", "7", "007", "-0", "-5", "123456789012345678", "1234567890123456789",
		"0.035", "3.5%", "-3.5%", "30%", "100%", "1.", ".5", "1.2.3", "-", "%", "1,234", "200万", "１２", "+5",
		"0.00000000000000000001", "0.000000000000000000001", "1e5", "5-", "12%%"}
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 2000; i++ {
		n := r.Int63n(1e12)
		s := strconv.FormatInt(n, 10)
		if p := r.Intn(len(s) + 1); p > 0 && p < len(s) {
			s = s[:p] + "." + s[p:]
		}
		if r.Intn(3) == 0 {
			s = "-" + s
		}
		if r.Intn(3) == 0 {
			s += "%"
		}
		cells = append(cells, s)
	}
	for _, cell := range cells {
		for _, percent := range []bool{false, true} {
			got, ok := parsePlain(cell, percent)
			if !ok {
				continue
			}
			want, written, err := lang.ParseCell(cell)
			if err != nil {
				t.Fatalf("parsePlain(%q) read %s, ParseCell fails: %v", cell, got.decimal(), err)
			}
			if !percent && written == lang.Ratio {
				t.Fatalf("parsePlain(%q) read a percentage where none is allowed", cell)
			}
			if !got.decimal().Equal(want) {
				t.Fatalf("parsePlain(%q) = %s, ParseCell = %s", cell, got.decimal(), want)
			}
		}
	}
	// the common cells must take the quick path
	for _, cell := range []string{"50000000", "1234.56", "-5", "3.5%"} {
		if _, ok := parsePlain(cell, true); !ok {
			t.Errorf("parsePlain(%q) left it to ParseCell", cell)
		}
	}
}

// TestFromDecimalRoundTrip: every decimal comes back unchanged from the
// form it is held in, and takes the fixed form exactly when it fits.
func TestFromDecimalRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	limit := new(big.Int).Lsh(big.NewInt(1), 127)
	for i := 0; i < 20000; i++ {
		c := new(big.Int).Rand(r, new(big.Int).Lsh(big.NewInt(1), uint(r.Intn(140))))
		if r.Intn(2) == 0 {
			c.Neg(c)
		}
		exp := int32(r.Intn(31) - 25)
		d := decimal.NewFromBigInt(c, exp)
		n := fromDecimal(d)
		if !n.decimal().Equal(d) {
			t.Fatalf("fromDecimal(%s) holds %s", d, n.decimal())
		}
		scaled := new(big.Int).Abs(c)
		if exp > 0 {
			scaled.Mul(scaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil))
		}
		fits := exp >= -maxScale && scaled.Cmp(limit) < 0
		if got := n.dec == nil; got != fits {
			t.Fatalf("fromDecimal(%s): fixed = %v, want %v", d, got, fits)
		}
	}
}

var (
	sinkNum num
	sinkInt int
)

// BenchmarkNumOps times the fixed-form operations on amounts of a policy.
func BenchmarkNumOps(b *testing.B) {
	x, y := fixed64(50000000, 0), fixed64(800000000, 0)
	rate, threshold := fixed64(1, 1), fixed64(35, 3)
	b.Run("sub", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sinkNum = addNum(x, y, true)
		}
	})
	b.Run("mul", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sinkNum = mulNum(x, rate)
		}
	})
	b.Run("div", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sinkNum = divNum(x, y)
		}
	})
	q := divNum(x, y)
	b.Run("cmp", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sinkInt = cmpNum(q, threshold)
		}
	})
}

// TestSplitFixedAgreesWithDecimal: the whole-number split gives what the
// decimal one gives, share for share, and adds up to the total.
func TestSplitFixedAgreesWithDecimal(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	fixedCount := 0
	for i := 0; i < 3000; i++ {
		total := decimal.New(r.Int63n(1e12)-1e11, -int32(r.Intn(4)))
		parts := make([]decimal.Decimal, 1+r.Intn(8))
		nums := make([]num, len(parts))
		for k := range parts {
			parts[k] = decimal.New(r.Int63n(1e9), -int32(r.Intn(5)))
			if r.Intn(4) == 0 {
				parts[k] = parts[k-k] // equal parts: ties go to the earlier
			}
			nums[k] = fromDecimal(parts[k])
		}
		want := splitDecimal(total, parts)
		got, ok := splitFixed(fromDecimal(total), nums)
		if !ok {
			continue
		}
		fixedCount++
		sum := decimal.Zero
		for k := range want {
			if !got[k].decimal().Equal(want[k]) {
				t.Fatalf("split %s by %v: share %d is %s, decimal says %s", total, parts, k, got[k].decimal(), want[k])
			}
			sum = sum.Add(want[k])
		}
		if !sum.Equal(total.Round(2)) {
			t.Fatalf("split %s by %v adds up to %s", total, parts, sum)
		}
	}
	if fixedCount < 2000 {
		t.Errorf("the whole-number split took only %d of 3000", fixedCount)
	}
}

// FuzzFixedAgainstDecimal checks every operation of the fixed form against
// shopspring/decimal on operands the fuzzer chooses: any magnitude below
// 2^127, any scale up to maxScale, either sign.
func FuzzFixedAgainstDecimal(f *testing.F) {
	f.Add(uint64(5000000000), uint64(0), uint8(2), false, uint64(35), uint64(0), uint8(3), false)
	f.Add(uint64(math.MaxUint64), uint64(1<<63-1), uint8(0), true, uint64(3), uint64(0), uint8(20), false)
	f.Add(uint64(1), uint64(0), uint8(20), false, uint64(7), uint64(0), uint8(1), true)
	f.Fuzz(func(t *testing.T, alo, ahi uint64, asc uint8, aneg bool, blo, bhi uint64, bsc uint8, bneg bool) {
		a := fixed(u128{hi: ahi &^ (1 << 63), lo: alo}, int(asc%(maxScale+1)), aneg)
		b := fixed(u128{hi: bhi &^ (1 << 63), lo: blo}, int(bsc%(maxScale+1)), bneg)
		da, db := a.decimal(), b.decimal()
		check := func(op string, got num, want decimal.Decimal) {
			if !got.decimal().Equal(want) {
				t.Fatalf("%s %s %s: fixed path gives %s, decimal gives %s", da, op, db, got.decimal(), want)
			}
			if got.dec == nil && (!got.mag().fits() || got.scale() > maxScale || got.neg() && got.isZero()) {
				t.Fatalf("%s %s %s: result out of form: %+v", da, op, db, got)
			}
		}
		check("+", addNum(a, b, false), da.Add(db))
		check("-", addNum(a, b, true), da.Sub(db))
		check("*", mulNum(a, b), da.Mul(db))
		if !b.isZero() {
			check("/", divNum(a, b), da.DivRound(db, DivisionPlaces))
		}
		check("round2", roundNum(a, 2), da.Round(2))
		check("neg", negNum(a), da.Neg())
		if got, want := cmpNum(a, b), da.Cmp(db); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", da, db, got, want)
		}
		if got, want := numString(a), da.String(); got != want {
			t.Fatalf("numString(%+v) = %q, want %q", a, got, want)
		}
		if got := fromDecimal(da); !got.decimal().Equal(da) {
			t.Fatalf("fromDecimal(%s) holds %s", da, got.decimal())
		}
	})
}

// TestConstCmpAgreesWithCmpNum: a comparison with a constant kept at every
// scale, where it answers, says what cmpNum says, for constants and numbers of every sign,
// scale and size, and for the decimal form.
func TestConstCmpAgreesWithCmpNum(t *testing.T) {
	r := rand.New(rand.NewSource(9))
	consts := []num{{}, fromDecimal(decimal.RequireFromString("0.035")), fromDecimal(decimal.RequireFromString("-5000000")),
		fromDecimal(decimal.RequireFromString("2000000")), fromDecimal(decimal.New(1, 40)), fromDecimal(decimal.RequireFromString("0.00000000000000000001")),
		fromDecimal(decimal.New(30, -2)), fromDecimal(decimal.New(-3500, -5)), fromDecimal(decimal.New(1234567, -3))} // 30%: 0.30, met by 0.3
	for i := 0; i < 200; i++ {
		consts = append(consts, randomFixed(r))
	}
	compared := 0
	for _, k := range consts {
		kc := newConstCmp(k)
		values := []num{k, negNum(k), {}}
		for j := 0; j < 100; j++ {
			values = append(values, randomFixed(r))
		}
		if k.dec == nil && k.hi == 0 && k.lo > 0 && k.scale() < maxScale { // its neighbours at a finer scale
			up, _ := scaleUp(k.mag(), 1)
			values = append(values, fixed(u128{lo: up.lo + 1}, k.scale()+1, k.neg()), fixed(u128{lo: up.lo - 1}, k.scale()+1, k.neg()))
		}
		if k.dec == nil && k.hi == 0 { // k cut to each coarser scale, and its neighbours there
			m := k.lo
			for s := k.scale() - 1; s >= 0; s-- {
				m /= 10
				values = append(values, fixed(u128{lo: m}, s, k.neg()), fixed(u128{lo: m + 1}, s, k.neg()), fixed(u128{lo: m - 1}, s, k.neg()))
			}
		}
		for _, a := range values {
			got, ok := kc.quick(a)
			if !ok {
				continue // left to cmpNum
			}
			if want := cmpNum(a, k); got != want {
				t.Fatalf("quick(%s, %s) = %d, cmpNum says %d", numString(a), numString(k), got, want)
			}
			compared++
		}
	}
	// of the 20 000 or so pairs drawn, those of one sign whose magnitudes
	// fit 64 bits at the number's scale
	if compared < 1000 {
		t.Errorf("quick answered only %d comparisons", compared)
	}
	t.Logf("%d comparisons answered by quick", compared)
}

// TestEntryHoldsEveryNumber: a tally's 16-byte entry gives back the number
// it was made from, whether held in place (a 64-bit magnitude, of either
// sign and any scale) or among the big numbers.
func TestEntryHoldsEveryNumber(t *testing.T) {
	r := rand.New(rand.NewSource(16))
	nums := []num{{}, fixed64(-1, 0), fixed64(1, 20), fixed(u128{lo: math.MaxUint64}, 2, true),
		fixed(u128{hi: 1}, 0, false), fromDecimal(decimal.New(-7, 40)), fromDecimal(decimal.RequireFromString("-0.035"))}
	for range 300 {
		nums = append(nums, randomFixed(r))
	}
	var big []num
	var entries []entry
	for i, n := range nums {
		entries = append(entries, entryOf(i, i%7 == 3, n, 0, &big))
	}
	inPlace := 0
	for i, e := range entries {
		if got := e.num(big); cmpNum(got, nums[i]) != 0 || got.scale() != nums[i].scale() {
			t.Fatalf("entry %d: %s, want %s", i, numString(got), numString(nums[i]))
		}
		if int(e.rec) != i || e.na != (i%7 == 3) {
			t.Fatalf("entry %d: record %d, na %v", i, e.rec, e.na)
		}
		if e.sc != bigEntry {
			inPlace++
		}
	}
	if inPlace == 0 || inPlace == len(nums) {
		t.Errorf("%d of %d numbers held in place: the test should have both kinds", inPlace, len(nums))
	}
	if unsafe.Sizeof(entry{}) != 16 {
		t.Errorf("an entry is %d bytes, want 16", unsafe.Sizeof(entry{}))
	}
}

// TestValueIsFourWords: a Value is 32 bytes, two to a cache line, and a
// number too big for the fixed form, held behind ref, still reads back.
func TestValueIsFourWords(t *testing.T) {
	if size := unsafe.Sizeof(Value{}); size != 32 {
		t.Errorf("a Value is %d bytes, want 32", size)
	}
	for _, s := range []string{"1e40", "-123456789012345678901234567890.5", "0.035", "0"} {
		d := decimal.RequireFromString(s)
		v := fromDecimal(d).value(lang.KindMoney)
		if got := v.Decimal(); !got.Equal(d) {
			t.Errorf("%s read back as %s", s, got)
		}
		var slot Value
		slot.setNum(lang.KindMoney, v.n())
		if got := slot.Decimal(); !got.Equal(d) || slot.big() != v.big() {
			t.Errorf("%s set into a slot: %s (big %v, want %v)", s, got, slot.big(), v.big())
		}
	}
}
