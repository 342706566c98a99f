package interp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// TestMoneyText: amounts as a person reads them, one rule everywhere.
func TestMoneyText(t *testing.T) {
	tests := []struct{ amount, zh, en, figure string }{
		{"2000000", "200万元", "2,000,000.00 yuan", "2,000,000.00"},
		{"125000", "12.5万元", "125,000.00 yuan", "125,000.00"},
		{"24691200", "2469.12万元", "24,691,200.00 yuan", "24,691,200.00"},
		{"2000000000", "20亿元", "2,000,000,000.00 yuan", "2,000,000,000.00"},
		{"123456789", "123,456,789.00元", "123,456,789.00 yuan", "123,456,789.00"}, // not a whole number of 百元
		{"285714.29", "285,714.29元", "285,714.29 yuan", "285,714.29"},
		{"10000", "1万元", "10,000.00 yuan", "10,000.00"},
		{"9999", "9,999.00元", "9,999.00 yuan", "9,999.00"},
		{"0", "0.00元", "0.00 yuan", "0.00"},
		{"-1000000", "-100万元", "-1,000,000.00 yuan", "-1,000,000.00"},
		{"-50", "-50.00元", "-50.00 yuan", "-50.00"},
		{"33.333", "33.333元", "33.333 yuan", "33.33"},                                    // finer than the fen: every digit
		{"1666666.666667", "1,666,666.666667元", "1,666,666.666667 yuan", "1,666,666.67"}, // (the figure rounds)
		{"100.50", "100.50元", "100.50 yuan", "100.50"},
	}
	for _, tt := range tests {
		d := decimal.RequireFromString(tt.amount)
		got := []string{MoneyText(d, lang.Chinese), MoneyText(d, lang.English), MoneyFigure(d)}
		if diff := cmp.Diff([]string{tt.zh, tt.en, tt.figure}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.amount, diff)
		}
	}
}
