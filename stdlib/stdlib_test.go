package stdlib

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/interp"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestSplit(t *testing.T) {
	tests := []struct {
		total string
		parts []string
		want  []string
	}{
		{"100", []string{"5", "2"}, []string{"71.43", "28.57"}},
		{"1", []string{"1", "1", "1"}, []string{"0.34", "0.33", "0.33"}},
		{"0.02", []string{"1", "1", "1"}, []string{"0.01", "0.01", "0"}},
		{"-1", []string{"1", "1", "1"}, []string{"-0.34", "-0.33", "-0.33"}},
		{"350", []string{"65", "35"}, []string{"227.5", "122.5"}},
	}
	for _, tt := range tests {
		var parts []decimal.Decimal
		for _, p := range tt.parts {
			parts = append(parts, dec(p))
		}
		var got []string
		for _, d := range interp.Split(dec(tt.total), parts) {
			got = append(got, d.String())
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Split(%s, %v) (-want +got):\n%s", tt.total, tt.parts, diff)
		}
	}
}

// TestSplitAddsUp checks that the shares always add up to the total, to the
// fen, and that no share is more than a fen from its exact value.
func TestSplitAddsUp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	fen := dec("0.01")
	for i := 0; i < 2000; i++ {
		total := decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -2)
		parts := make([]decimal.Decimal, 1+r.IntN(5))
		sum := decimal.Zero
		for j := range parts {
			parts[j] = decimal.NewFromInt(1 + r.Int64N(100))
			sum = sum.Add(parts[j])
		}
		shares := interp.Split(total, parts)
		got := decimal.Zero
		for j, s := range shares {
			got = got.Add(s)
			exact := total.Mul(parts[j]).DivRound(sum, 20)
			if s.Sub(exact).Abs().GreaterThanOrEqual(fen) {
				t.Fatalf("Split(%s, %v): share %d = %s, exact %s", total, parts, j, s, exact)
			}
		}
		if !got.Equal(total) {
			t.Fatalf("Split(%s, %v) = %v, adds up to %s", total, parts, shares, got)
		}
	}
}
