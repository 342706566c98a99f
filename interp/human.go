package interp

import (
	"strings"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file formats values for people. Exact (and JSON, CSV) keeps the
// machine's form, 2000000 and 0.035; what a person reads says 200万元,
// 285,714.29元 and 3.5%. Every amount shown to a person goes through
// MoneyText, so that one rule decides how it looks.

var (
	wan = decimal.New(1, 4) // 万
	yi  = decimal.New(1, 8) // 亿
)

// MoneyText formats an amount for people. In Chinese, an amount of 1万 or
// more that is a whole number of 百元 reads in 万元 as policy texts write
// it (200万元, 12.5万元, 2469.12万元), of 1亿 or more and a whole number of
// 百万 in 亿元 (20亿元); any other with separators and two decimals
// (285,714.29元, 0.00元). An amount finer than the fen (a working value,
// before a stored amount is rounded) keeps every digit (33.333元): the
// explanation must show why 3 × 33.333 is 100 and 3 × 33.33 is 99.99. In
// English: 2,000,000.00 yuan.
func MoneyText(d decimal.Decimal, loc lang.Locale) string {
	places := int32(MoneyPlaces)
	if fine := -d.Exponent(); fine > places && !d.Round(MoneyPlaces).Equal(d) {
		places = fine // (trailing zeros are dropped below)
	}
	if loc == lang.English {
		return trimZeros(grouped(d, places), MoneyPlaces) + " yuan"
	}
	abs := d.Abs()
	switch {
	case places == MoneyPlaces && abs.GreaterThanOrEqual(yi) && isWhole(d.Shift(-6)):
		return d.Div(yi).String() + "亿元"
	case places == MoneyPlaces && abs.GreaterThanOrEqual(wan) && isWhole(d.Shift(-2)):
		return d.Div(wan).String() + "万元"
	}
	return trimZeros(grouped(d, places), MoneyPlaces) + "元"
}

// trimZeros drops the trailing zeros of s's decimals beyond the first keep.
func trimZeros(s string, keep int) string {
	point := strings.IndexByte(s, '.')
	if point < 0 {
		return s
	}
	end := len(s)
	for end > point+1+keep && s[end-1] == '0' {
		end--
	}
	return s[:end]
}

// MoneyFigure formats an amount for a table's column of amounts, whose
// heading gives the unit: separators and two decimals (2,000,000.00), the
// same for every row so that the column reads down.
func MoneyFigure(d decimal.Decimal) string { return grouped(d.Round(MoneyPlaces), MoneyPlaces) }

func isWhole(d decimal.Decimal) bool { return d.Equal(d.Truncate(0)) }

// grouped writes d with places decimals and a comma every three digits of
// its whole part.
func grouped(d decimal.Decimal, places int32) string {
	s := d.StringFixed(places)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Text formats v for people, in loc: amounts by MoneyText, ratios as
// percentages (3.5%), 是/否 (yes/no in English), 不适用 (n/a), lists item by
// item; text and dates as they are.
func (v Value) Text(loc lang.Locale) string {
	switch v.kind {
	case lang.KindMoney:
		return MoneyText(v.Decimal(), loc)
	case lang.KindRatio:
		return v.Decimal().Shift(2).String() + "%"
	case lang.KindBool:
		if loc == lang.English {
			if v.b {
				return "yes"
			}
			return "no"
		}
	case lang.KindNA:
		if loc == lang.English {
			return "n/a"
		}
	case lang.KindList, lang.KindRecord:
		parts := make([]string, len(v.list()))
		for i, it := range v.list() {
			parts[i] = it.Text(loc)
		}
		if v.kind == lang.KindRecord {
			return "(" + strings.Join(parts, ", ") + ")"
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return v.Exact()
}

// String is Text in Chinese: how a value reads in explanations, reasons
// and messages.
func (v Value) String() string { return v.Text(lang.Chinese) }

// moneyZh is an amount of the evaluation's own reckoning as a Chinese note
// or reason says it.
func moneyZh(n num) string { return MoneyText(n.decimal(), lang.Chinese) }
