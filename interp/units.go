package interp

import (
	"encoding/json"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file holds the units of data columns. A number in a cell that
// carries no unit of its own is read in the unit its column's heading
// gives (研发投入（万元）: 1500 is 1500万元; 占比(%): 25 is 25%); a heading
// with a unit that cannot be read as the input's type is an error for the
// column, never a number read as yuan. A bare number in a 比例 column
// without a unit is a fraction when it is below 1 (0.035 is 3.5%); 1 and
// above is an error asking whether a percent sign is missing (25 would be
// 2500%), unless Options.BareRatios says how such columns are written.

// BareRatios says how a bare number (no % or ‰) in a 比例 field is read.
type BareRatios uint8

const (
	// BareRatiosChecked: below 1 a fraction (0.035 is 3.5%); 1 and above
	// an error, as a percent sign is most likely missing.
	BareRatiosChecked BareRatios = iota
	// BareRatiosPercent: every bare number is in percent (25 is 25%).
	BareRatiosPercent
	// BareRatiosFraction: every bare number is a fraction (1.5 is 150%).
	BareRatiosFraction
)

// cellUnit is how the bare numbers of one column are read.
type cellUnit struct {
	scale  decimal.Decimal // multiplies a bare number; zero means 1
	ratios BareRatios      // for a 比例 column
}

// splitHeading separates a column heading into the name and the unit in
// brackets at its end: 研发投入（万元） → 研发投入, 万元. Without brackets at
// the end, the unit is "".
func splitHeading(h string) (name, unit string) {
	h = strings.TrimSpace(h)
	for _, br := range [][2]string{{"（", "）"}, {"(", ")"}, {"[", "]"}, {"【", "】"}} {
		if !strings.HasSuffix(h, br[1]) {
			continue
		}
		open := strings.LastIndex(h, br[0])
		if open <= 0 {
			continue
		}
		return strings.TrimSpace(h[:open]), strings.TrimSpace(h[open+len(br[0]) : len(h)-len(br[1])])
	}
	return h, ""
}

// headingUnit reads the unit a heading (or the input's declaration) gives
// input in: lang.UnitScale.
func headingUnit(in *lang.Input, unit string) (cellUnit, *Message) {
	scale, ok := lang.UnitScale(in.Type.Kind, unit)
	if !ok {
		return cellUnit{}, msgf("列名中的单位“%[1]s”不能换算成%[2]s", "the unit %[1]q in the column's heading cannot be read as %[3]s", unit, in.Type, in.Type.English())
	}
	u := cellUnit{scale: scale}
	if in.Type.Kind == lang.KindRatio {
		u.ratios = BareRatiosPercent
	}
	return u, nil
}

// readInUnit reads a cell for input type t in the column's unit u: a number
// that carries no unit of its own is multiplied by the unit's scale; one
// that does (200万, 200万元, 5%) is read as written, not scaled again.
func readInUnit(t lang.Type, s string, u cellUnit) (Value, error) {
	if !t.IsNumeric() || u.scale.IsZero() {
		return parseValue(t, s, u.ratios)
	}
	if strings.ContainsAny(s, "元万萬亿億千%％‰") { // the cell's own unit: read as written
		return parseValue(t, s, BareRatiosFraction)
	}
	d, _, err := lang.ParseCell(trimCell(s))
	if err != nil {
		return parseValue(t, s, u.ratios) // (its error)
	}
	return numeric(t, d.Mul(u.scale)), nil
}

// bareRatio reads d, a bare number given for a 比例, as ratios says.
func bareRatio(s string, d decimal.Decimal, ratios BareRatios) (decimal.Decimal, *Message) {
	switch ratios {
	case BareRatiosPercent:
		return d.Shift(-2), nil
	case BareRatiosFraction:
		return d, nil
	}
	if d.Abs().LessThan(decimal.New(1, 0)) {
		return d, nil
	}
	s = lang.Clip(strings.TrimSpace(s))
	return d, msgf("“%[1]s”没有百分号：是 %[1]s%% 吗？比例请写作 %[1]s%%（小于 1 的小数如 0.035 读作 3.5%%；整列都是百分数时，可在列名后注明“（%%）”）",
		"%[1]q has no percent sign: is it %[1]s%%? Write a ratio as %[1]s%% (a fraction below 1 such as 0.035 reads as 3.5%%; when the whole column is in percent, head it with (%%))", s)
}

// column matches a data column (or a record's key) to an input: by its
// name, Simplified or Traditional, or by the name before a unit in
// brackets. It returns the input's slot, how the column's bare numbers are
// read, and an error when its unit cannot be the input's.
func (p *Program) column(name string) (slot int, u cellUnit, bad *Message, ok bool) {
	if slot, ok = p.inputName[name]; !ok {
		slot, ok = p.inputKey[lang.FoldName(name)]
	}
	if !ok {
		base, unit := splitHeading(name)
		if unit == "" {
			return -1, cellUnit{}, nil, false
		}
		if slot, ok = p.inputKey[lang.FoldName(base)]; !ok {
			return -1, cellUnit{}, nil, false
		}
		u, bad = headingUnit(p.inputs[slot], unit)
		return slot, u, bad, true
	}
	if in := p.inputs[slot]; in.Unit != "" { // 输入 研发投入（万元）：金额
		u, bad = headingUnit(in, in.Unit)
		return slot, u, bad, true
	}
	if p.inputs[slot].Type.Kind == lang.KindRatio {
		u.ratios = p.bareRatios
	}
	return slot, u, nil, true
}

// plain reports whether u reads a column as ParseValue does.
func (u cellUnit) plain() bool { return u.scale.IsZero() && u.ratios == BareRatiosChecked }

// cellText is the text of a record's value when it is given as text (a
// cell, or a JSON number), for reading in a column's unit.
func cellText(x any) (string, bool) {
	switch x := x.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	}
	return "", false
}

// ColumnSlot returns the slot of the input a data column is read into, as
// a Binder matches them: by name (Simplified or Traditional), or by the name
// before a unit in brackets (研发投入（万元）); and, when the unit cannot be
// read as the input's type, why (every row's value in that column is an
// error).
func (p *Program) ColumnSlot(name string) (slot int, ok bool, badUnit *Message) {
	slot, _, badUnit, ok = p.column(name)
	return slot, ok, badUnit
}
