package interp

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zhengce/zhengce/internal/jsonshape"
	"github.com/zhengce/zhengce/lang"
)

// This file reads a record into input slots: a map of fields (bind), or
// the cells of a table row by column (Binder), each by its input's type and
// the unit its column gives, collecting every field that is missing or bad.

// BindRecord reads a record's values into input slots, for EvalInto, with
// the errors Eval gives for the same record.
func (p *Program) BindRecord(rec Record) ([]Value, error) { return p.bind(rec) }

// bind reads a record's values into input slots.
func (p *Program) bind(rec Record) ([]Value, error) {
	inputs := make([]Value, len(p.inputs))
	keys := make([]string, 0, len(rec))
	for k := range rec {
		keys = append(keys, k)
	}
	sort.Strings(keys)                    // the same record gives the same error, whatever map order
	from := make([]string, len(p.inputs)) // the key each input was read from
	var bad []badField
	for _, k := range keys {
		i, unit, badUnit, ok := p.column(k)
		if !ok {
			if p.isDateField(k) && rec[k] != nil && rec[k] != "" && len(inputs) == len(p.inputs) {
				d, err := p.recordDate(rec[k])
				if err != nil { // without its date, nothing of the record can be told
					return nil, &DataError{Fields: []*FieldError{err}}
				}
				inputs = append(inputs, d) // the slot after the inputs: the record's own date
			}
			continue
		}
		in := p.inputs[i]
		if from[i] != "" {
			// 研发投入 and 研發投入 are one name: two columns for one input
			return nil, &FieldError{Field: in.Name.Text, Column: k,
				Zh: fmt.Sprintf("数据中“%[1]s”与“%[2]s”两列都是输入“%[3]s”，不知用哪一列", from[i], k, in.Name.Text),
				En: fmt.Sprintf("the columns %[1]q and %[2]q are both input %[3]q; which one is meant?", from[i], k, in.Name.Text)}
		}
		from[i] = k
		var v Value
		var err error
		switch text, isText := cellText(rec[k]); {
		case badUnit != nil:
			err = badUnit
		case !unit.plain() && isText:
			v, err = readInUnit(in.Type, text, unit)
		default:
			v, err = p.read(in.Type, rec[k])
		}
		if err = p.checkValue(v, err); err != nil {
			bad = append(bad, badField{i, columnError(in, k, rec[k], err)})
			continue // the slot stays empty: what reads it is 数据不足
		}
		inputs[i] = v
	}
	return p.complete(inputs, bad)
}

// badField is an input whose value could not be read, and why.
type badField struct {
	slot int
	err  *FieldError
}

// DateField is the field (and column) that gives a record its own
// evaluation date, when the policy declares no input for it: test
// --export-data writes it beside each case.
const DateField = "评估日期"

// isDateField reports whether a field of the data is the record's own
// evaluation date: named 评估日期 (or asof), when the policy does not
// name an input for the date itself.
func (p *Program) isDateField(name string) bool {
	if p.asOfInput >= 0 || !p.usesDate {
		return false
	}
	key := lang.FoldName(name)
	return key == DateField || strings.EqualFold(key, "asof")
}

// recordDate reads a record's own evaluation date.
func (p *Program) recordDate(x any) (Value, *FieldError) {
	v, err := fromGo(lang.DateT, x)
	if err != nil {
		return Value{}, &FieldError{Field: DateField, Column: DateField, Value: lang.Clip(fmt.Sprint(x)),
			Zh: fmt.Sprintf("评估日期：%s", localized(err, lang.Chinese)), En: fmt.Sprintf("evaluation date: %s", localized(err, lang.English))}
	}
	return v, nil
}

// read reads a value given for an input of type t, as fromGo does, but a
// list written as JSON text is looked over first: one with more items than
// MaxListItems, or nested too deep, is refused before it is decoded.
func (p *Program) read(t lang.Type, x any) (Value, error) {
	if s, ok := x.(string); ok && t.Kind == lang.KindList {
		if pr := jsonshape.Check(s, p.limits.MaxListItems, MaxListDepth); pr != nil {
			return Value{}, shapeError(pr, p.limits.MaxListItems)
		}
	}
	return fromGo(t, x)
}

// MaxListDepth bounds how deeply the JSON of a list may nest: a list of
// records is two levels.
const MaxListDepth = lang.MaxListDepth

// shapeError says why JSON text was refused before it was decoded.
func shapeError(pr *jsonshape.Problem, maxItems int) *Message {
	if pr.TooDeep {
		return msgf("JSON 嵌套超过 %[1]d 层", "the JSON nests more than %[1]d levels deep", MaxListDepth)
	}
	return msgf("列表超过 %[1]d 项的限制（MaxListItems）", "the list has more than the limit of %[1]d items (MaxListItems)", maxItems)
}

// checkValue applies the list-length limit to a value just read.
func (p *Program) checkValue(v Value, err error) error {
	switch {
	case err != nil:
		return err
	case v.kind == lang.KindList && len(v.list()) > p.limits.MaxListItems:
		return msgf("列表有 %[1]d 项，超过 %[2]d 项的限制（MaxListItems）", "the list has %[1]d items, more than the limit of %[2]d (MaxListItems)", len(v.list()), p.limits.MaxListItems)
	case numericKind(v.kind) && !p.magnitude.within(v.n()):
		return p.numberOutOfRange(v.n())
	}
	return nil
}

// numberOutOfRange says why a number read from data is outside the limits.
func (p *Program) numberOutOfRange(n num) *Message {
	if n.dec != nil && places(*n.dec) > MaxFractionDigits {
		return msgf("数值的小数超过 %[1]d 位", "the number has more than %[1]d decimal places", MaxFractionDigits)
	}
	return msgf("数值超出允许范围（绝对值须小于 %[1]s）", "number out of range (its absolute value must be below %[1]s)", p.maxAbs)
}

// columnError names the data's column when it is spelt otherwise than the
// input (研發投入增量 in the data, 研发投入增量 in the policy).
func columnError(in *lang.Input, column string, given any, err error) *FieldError {
	fe := fieldError(in, given, err)
	fe.Column = column
	if column != in.Name.Text {
		fe.Zh = fmt.Sprintf("列“%s”：%s", column, fe.Zh)
		fe.En = fmt.Sprintf("column %q: %s", column, fe.En)
	}
	return fe
}

// complete reports every input left without a value, with the inputs
// that could not be read (bad), in the order of the inputs: a *DataError,
// beside inputs still fit to evaluate what reads none of them.
func (p *Program) complete(inputs []Value, bad []badField) ([]Value, error) {
	for i := range p.inputs {
		if !inputs[i].IsValid() && !slices.ContainsFunc(bad, func(b badField) bool { return b.slot == i }) {
			bad = append(bad, badField{i, fieldError(p.inputs[i], nil, ErrMissing)})
		}
	}
	if len(bad) == 0 {
		return inputs, nil
	}
	slices.SortStableFunc(bad, func(a, b badField) int { return a.slot - b.slot })
	de := &DataError{}
	for _, b := range bad {
		de.Fields = append(de.Fields, b.err)
	}
	return inputs, de
}

// badInput reports input i, whose value v is not of the input's type: an
// input is checked where the evaluation reads it, so that a record pays
// only for the inputs its rules read (as CEL checks its variables).
func (p *Program) badInput(i int, v *Value) *FieldError {
	if !v.IsValid() { // partial data, met where the evaluation did not expect it
		fe := fieldError(p.inputs[i], nil, ErrMissing)
		fe.late = true
		return fe
	}
	return fieldError(p.inputs[i], v.Exact(), msgf("值的类型是%[1]s", "the value is of type %[2]s", v.Type(), v.Type().English()))
}

// missingMet reports whether err is an evaluation meeting an input with no
// value: the record is then evaluated again knowing which are missing.
func missingMet(err error) bool {
	fe, ok := err.(*FieldError)
	return ok && fe.late
}

// numericKind says whether values of kind k are numbers: 金额, 数值 and 比例,
// which are consecutive kinds, so one comparison tells.
func numericKind(k lang.Kind) bool { return k-lang.KindMoney <= lang.KindRatio-lang.KindMoney }

func fieldError(in *lang.Input, given any, err error) *FieldError {
	value := ""
	switch g := given.(type) {
	case nil:
	case string:
		value = lang.Clip(g) // a cell of a hundred megabytes is not copied whole
	default:
		value = lang.Clip(fmt.Sprint(given))
	}
	if err == ErrMissing {
		return &FieldError{Field: in.Name.Text, Value: value, Missing: true,
			Zh: fmt.Sprintf("缺少输入“%s”（%s）", in.Name.Text, in.Type),
			En: fmt.Sprintf("missing input %q (%s)", in.Name.Text, in.Type.English())}
	}
	return &FieldError{Field: in.Name.Text, Value: value,
		Zh: fmt.Sprintf("输入“%s”：%s", in.Name.Text, localized(err, lang.Chinese)),
		En: fmt.Sprintf("input %q: %s", in.Name.Text, localized(err, lang.English))}
}

// Binder reads the rows of a table into input slots: the columns are matched
// to inputs once, so each row costs only the parsing of its cells.
type Binder struct {
	p       *Program
	columns []string
	slots   []int      // column → input slot, or -1
	units   []cellUnit // column → how its bare numbers are read
	badUnit []*Message // column → why its heading's unit cannot be read, or nil
	unbound []int      // the slots no column is read into
	dup     error      // two columns for one input
	dateCol int        // the column of the records' own evaluation date (评估日期), or −1
}

// Binder matches the columns of a table (Simplified or Traditional) to the
// policy's inputs.
func (p *Program) Binder(columns []string) *Binder {
	b := &Binder{p: p, columns: columns, slots: make([]int, len(columns)), units: make([]cellUnit, len(columns)), badUnit: make([]*Message, len(columns)), dateCol: -1}
	from := make([]string, len(p.inputs))
	for c, name := range columns {
		b.slots[c] = -1
		i, unit, bad, ok := p.column(name)
		b.units[c], b.badUnit[c] = unit, bad
		if !ok {
			if p.isDateField(name) && b.dateCol < 0 {
				b.dateCol = c
			}
			continue
		}
		if from[i] != "" && b.dup == nil {
			in := p.inputs[i]
			b.dup = &FieldError{Field: in.Name.Text, Column: name,
				Zh: fmt.Sprintf("数据中“%[1]s”与“%[2]s”两列都是输入“%[3]s”，不知用哪一列", from[i], name, in.Name.Text),
				En: fmt.Sprintf("the columns %[1]q and %[2]q are both input %[3]q; which one is meant?", from[i], name, in.Name.Text)}
		}
		from[i] = name
		b.slots[c] = i
	}
	for i, name := range from {
		if name == "" {
			b.unbound = append(b.unbound, i)
		}
	}
	return b
}

// Bind reads one row's cells, column by column, into input slots; the
// errors are those Eval gives for the same data.
func (b *Binder) Bind(cells []string) ([]Value, error) {
	return b.BindInto(cells, nil)
}

// BindInto is Bind that reads into inputs, reusing its array when it is
// large enough, so that binding row after row allocates nothing for the
// slots.
func (b *Binder) BindInto(cells []string, inputs []Value) ([]Value, error) {
	if b.dup != nil {
		return nil, b.dup
	}
	p := b.p
	n := len(p.inputs)
	if b.dateCol >= 0 {
		n++ // the slot after the inputs: the record's own date
	}
	inputs = resize(inputs, n)
	if b.dateCol >= 0 {
		inputs[len(p.inputs)] = Value{}
		if b.dateCol < len(cells) && trimCell(cells[b.dateCol]) != "" {
			d, err := p.recordDate(cells[b.dateCol])
			if err != nil { // without its date, nothing of the record can be told
				return nil, &DataError{Fields: []*FieldError{err}}
			}
			inputs[len(p.inputs)] = d
		}
	}
	var bad []badField
	// every slot is written below, not cleared first and then written
	for _, slot := range b.unbound {
		inputs[slot] = Value{}
	}
	for c, slot := range b.slots {
		if slot < 0 {
			continue
		}
		if c >= len(cells) {
			inputs[slot] = Value{}
			continue
		}
		in := p.inputs[slot]
		unit := &b.units[c]
		if p.plainFits && unit.plain() && b.badUnit[c] == nil && readPlain(&inputs[slot], in.Type, cells[c]) {
			continue // the common plain number, without ParseValue's copies
		}
		var v Value
		var err error
		switch {
		case b.badUnit[c] != nil:
			err = b.badUnit[c]
		case unit.plain():
			v, err = p.read(in.Type, cells[c])
		default:
			v, err = readInUnit(in.Type, cells[c], *unit)
		}
		if err = p.checkValue(v, err); err != nil {
			inputs[slot] = Value{} // what reads it is 数据不足
			bad = append(bad, badField{slot, columnError(in, b.columns[c], cells[c], err)})
			continue
		}
		inputs[slot] = v
	}
	return p.complete(inputs, bad)
}

// InputSlot returns the slot of the input named name (Simplified or
// Traditional), for EvalInputs.
func (p *Program) InputSlot(name string) (int, bool) {
	i, ok := p.inputKey[lang.FoldName(name)]
	return i, ok
}
