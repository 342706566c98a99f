package lang

import (
	"strings"

	"github.com/shopspring/decimal"
)

// MaxListDepth bounds how deeply the JSON of a list may nest (a list of
// records is two levels), and DefaultMaxListItems how many items a list
// may have unless the limits say otherwise: data is checked against them
// before it is decoded.
const (
	MaxListDepth        = 64
	DefaultMaxListItems = 100_000
)

// UnitScale reads a unit of data (a column's heading, an input's
// declaration) for a value of kind k: the number a bare figure is
// multiplied by. For 金额: 元, 千元, 万元, 亿元; for 比例: % (0.01) or ‰;
// for 数值 a counting word (家, 人, 项), maybe after 千, 万 or 亿, which
// then multiply. ok is false when the unit cannot be of kind k.
func UnitScale(k Kind, unit string) (scale decimal.Decimal, ok bool) {
	u := strings.Map(fold, strings.TrimSpace(unit))
	switch k {
	case KindMoney:
		switch u {
		case "元":
			return decimal.New(1, 0), true
		case "千元":
			return decimal.New(1, 3), true
		case "万元":
			return decimal.New(1, 4), true
		case "亿元":
			return decimal.New(1, 8), true
		}
	case KindRatio:
		switch u {
		case "%", "百分比", "百分数":
			return decimal.New(1, -2), true
		case "‰", "千分比":
			return decimal.New(1, -3), true
		}
	case KindNumber:
		if u == "" || strings.ContainsAny(u, "元%‰") {
			return decimal.Decimal{}, false
		}
		switch {
		case strings.HasPrefix(u, "亿"):
			return decimal.New(1, 8), true
		case strings.HasPrefix(u, "万"):
			return decimal.New(1, 4), true
		case strings.HasPrefix(u, "千"):
			return decimal.New(1, 3), true
		}
		return decimal.New(1, 0), true
	}
	return decimal.Decimal{}, false
}
