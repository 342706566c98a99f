package lang

import (
	"errors"
	"strings"

	"github.com/shopspring/decimal"
)

var (
	tenThousand   = decimal.NewFromInt(10_000)
	hundredMillon = decimal.NewFromInt(100_000_000)
	thousand      = decimal.NewFromInt(1000)
)

// errBadNumber is returned for text that is not a number.
var errBadNumber = errors.New("not a number")

// MaxNumberLength bounds, in bytes, the text of a number, in a policy or in
// a data cell: longer text is not read as a number at all, so that a cell
// of a million digits (or of 万 after 万) costs nothing to refuse. The
// longest amount written with separators and units, 999,999,999,999,999,
// 999,999,999,999.99元, is 43 bytes.
const MaxNumberLength = 100

// ParseNumber reads a number as the language writes it, and returns its exact
// value and type: 1500 and 2倍 are 数值, 3.5% and 5‰ are 比例 (0.035,
// 0.005), and an amount with 元 (200万元) is 金额. 万 (萬), 亿 (億) and 千
// multiply. Full-width digits and Traditional characters are accepted.
func ParseNumber(s string) (decimal.Decimal, Type, error) {
	if len(s) > 3*MaxNumberLength { // folding keeps or shortens: check before it
		return decimal.Zero, Invalid, errBadNumber
	}
	return parseNumber(strings.Map(fold, s), false)
}

// ParseCell reads a number from a data cell. Besides what ParseNumber takes,
// it allows blanks around the number, a leading sign and thousands
// separators (1,234,567.89).
func ParseCell(s string) (decimal.Decimal, Type, error) {
	if len(s) > 3*MaxNumberLength { // folding keeps or shortens: check before it
		return decimal.Zero, Invalid, errBadNumber
	}
	s = strings.TrimSpace(strings.Map(fold, s))
	return parseNumber(s, true)
}

func parseNumber(s string, cell bool) (decimal.Decimal, Type, error) {
	if len(s) > MaxNumberLength {
		return decimal.Zero, Invalid, errBadNumber
	}
	neg := false
	if cell {
		if rest, ok := strings.CutPrefix(s, "-"); ok {
			neg, s = true, strings.TrimSpace(rest)
		} else if rest, ok := strings.CutPrefix(s, "+"); ok {
			s = strings.TrimSpace(rest)
		}
	}
	// split the digits from the units
	i := 0
	sawDigit, sawPoint := false, false
	var digits strings.Builder
	for i < len(s) {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			digits.WriteByte(c)
		case c == '.' && !sawPoint && sawDigit:
			sawPoint = true
			digits.WriteByte(c)
		case c == ',' && cell && sawDigit && !sawPoint:
			// a thousands separator: exactly three digits follow it
			isD := func(j int) bool { return j < len(s) && s[j] >= '0' && s[j] <= '9' }
			if !isD(i+1) || !isD(i+2) || !isD(i+3) || isD(i+4) {
				return decimal.Zero, Invalid, errBadNumber
			}
		default:
			goto units
		}
		i++
	}
units:
	if !sawDigit || strings.HasSuffix(digits.String(), ".") {
		return decimal.Zero, Invalid, errBadNumber
	}
	v, err := decimal.NewFromString(digits.String())
	if err != nil {
		return decimal.Zero, Invalid, errBadNumber
	}
	t := Num
	rest := strings.TrimSpace(s[i:])
	for {
		switch {
		case strings.HasPrefix(rest, "万"):
			v = v.Mul(tenThousand)
		case strings.HasPrefix(rest, "亿"):
			v = v.Mul(hundredMillon)
		case strings.HasPrefix(rest, "千"):
			v = v.Mul(thousand)
		default:
			goto suffix
		}
		rest = rest[len("万"):] // all three are three bytes in UTF-8
	}
suffix:
	switch rest {
	case "":
	case "元":
		t = Money
	case "%":
		v, t = v.Shift(-2), Ratio
	case "‰":
		v, t = v.Shift(-3), Ratio
	case "倍", "年":
	default:
		return decimal.Zero, Invalid, errBadNumber
	}
	if neg {
		v = v.Neg()
	}
	return v, t, nil
}
