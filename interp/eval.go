package interp

import (
	"context"
	"fmt"
	"slices"

	"github.com/zhengce/zhengce/internal/jsonshape"

	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/zhengce/zhengce/lang"
)

// Result is what a policy yields for one record.
type Result struct {
	// Defs are the top-level definitions, in source order.
	Defs []Output
	// DefSteps explain each definition, by name, when the evaluation was
	// asked to explain (EvalExplained); nil otherwise.
	DefSteps map[string]Explanation
	// AsOf is the date the record was evaluated on: its own, or the
	// caller's, or today (see EvalOptions.AsOf).
	AsOf lang.Date
	// Rules are the rules, in source order.
	Rules []RuleResult
	// Denials are the cases the policy excludes (不予支持) that the record
	// met; their rules do not apply.
	Denials []Denial
	// Limits say what each cap (上限) did, in source order.
	Limits []LimitResult
	// ranks holds each 评选's ranking value for this record.
	ranks []Value
	// frame is the evaluation state EvalInto keeps for the next
	// evaluation into this Result.
	frame *frame
	// extras is set when a rule's Failures, Notes or Explanation may be
	// set: the next evaluation into the Result clears them.
	extras bool
	prog   *Program // whose evaluation res holds
}

// Output is a named value.
type Output struct {
	Name  string // as written in the policy
	Value Value
}

// RuleResult is the outcome of one rule for one record.
type RuleResult struct {
	// Applies is false when the rule's condition does not hold; then
	// Outputs is empty and the method Reason says why.
	Applies bool
	Outputs []Output
	// Exceptions lists the 其中 that applied, by their conditions as
	// written.
	Exceptions []string

	// storage kept for the next evaluation into the same Result (EvalInto),
	// with what every evaluation writes above, together in memory
	outputs    []Output // all the rule's outputs, evaluated in place
	exceptions []string
	why        why // why the rule does not apply

	Name  string
	Cites []string
	// Failures lists every condition that failed, when the evaluation
	// tested them all (EvalMatch); one failure makes a near miss.
	Failures []*Reason
	// Notes explain changes made over all records: budget scaling.
	Notes []Message
	// Explanation is filled by EvalExplained.
	Explanation *Explanation

	reason Reason // the Reason worded in place
	pays   int    // the output the rule pays, or −1
}

// why records why a rule does not apply. A comparison of numbers that
// failed keeps itself and its two numbers, and is worded only when Reason
// is called: a caller that wants only the amounts does not pay for the
// words. Any other cause is worded at once.
type why struct {
	reason *Reason   // worded, or nil
	c      *conjunct // the condition that was false: a comparison, on the numbers in miss
	miss   miss
}

// set records that the rule does not apply because condition c was false
// (the caller has written miss for a comparison), or for reason.
func (w *why) set(c *conjunct, reason *Reason) { w.c, w.reason = c, reason }

// Reason says why the rule does not apply: the first condition that failed
// (with the values it read), the validity period, 就高不重复, a quota; nil
// when the rule applies. It is worded on the first call, into storage of rr
// (no allocation when rr is reused by EvalInto: call it on the Result's own
// element, &res.Rules[i], not on a copy), and so, like the rest of a Result,
// is for one goroutine at a time.
func (rr *RuleResult) Reason() *Reason {
	if rr.Applies {
		return nil
	}
	if c := rr.why.c; c != nil {
		if c.isCompared {
			x, y := rr.why.miss.sides()
			c.word(&rr.reason, x.value(c.xKind), y.value(c.yKind), false)
		} else {
			c.wordFalse(&rr.reason)
		}
		rr.why.set(nil, &rr.reason)
	}
	return rr.why.reason
}

// Explanation says how a value was reached, recorded by the evaluation
// that computed it: the inputs read, with their values, and the caps,
// floors, table rows and lists that decided it.
type Explanation struct {
	Inputs []Output // inputs read
	Params []Output // parameters read
	Defs   []Output // definitions used, with the values they had
	Steps  []Message
}

// ReasonKind says what kind of cause a Reason gives.
type ReasonKind uint8

// The kinds of reasons a rule does not apply.
const (
	ReasonCondition ReasonKind = iota // a condition of the rule failed
	ReasonValidity                    // the evaluation date is outside the rule's 有效期
	ReasonOutput                      // an output could not be had (不适用)
	ReasonExclusive                   // another rule of its 就高不重复 group pays more
	ReasonQuota                       // it did not rank within its 评选's 名额
	ReasonLimit                       // its 上限's limit could not be had
	ReasonDenied                      // the record is a case the policy excludes (不予支持)
	ReasonData                        // a field it reads is missing or bad (数据不足)
	ReasonLedger                      // the 台账 shows it paid before (一次性, 最多连续)
)

// Reason says why a rule does not apply: the first condition joined by 且
// that failed, as written, and the values it compared; or another cause,
// which Kind names.
type Reason struct {
	Pos       lang.Pos
	Kind      ReasonKind
	Condition string   // as written: "研发投入占比 超过 3.5%"
	Values    []Output // the named values the condition read, with their values
	// Note says why a value was 不适用, when that is the cause, or why
	// the rule was set aside (就高不重复, a cap, a quota, the 台账); for
	// ReasonDenied it names the exclusion.
	Note Message
	// Unknown, for ReasonDenied, says why whether the case holds could not
	// be told.
	Unknown Message
	// Gap says how far a failed comparison is from holding, in the words
	// of the text: 还差 0.4 个百分点. EvalMatch and EvalExplained fill it;
	// it is empty when it cannot be said.
	Gap Message
	// Shortfall is the same as data, for a comparison of numbers.
	Shortfall *Shortfall
}

// Shortfall is how far a failed comparison of a value with what it must
// reach is from holding: the value's name and value, the bound, whether
// the bound itself is enough (达到, 不超过) or not (超过, 低于), and whether
// the value must rise to it (Up) or fall.
type Shortfall struct {
	Field         string
	Value, Needed Value
	Inclusive     bool
	Up            bool
}

// Feasible reports whether the shortfall is one an enterprise could make
// up, so that a match may offer it as a near miss: the value must rise to a
// bound above zero from a value above zero. An enterprise is not told to
// shrink (不满2000万元 to one of 1.5亿元), nor to come to have what it has
// none of (不良贷款 超过 0 to one with no loans).
func (s *Shortfall) Feasible() bool {
	return s != nil && s.Up && s.Needed.Decimal().IsPositive() && s.Value.Decimal().IsPositive()
}

// String says the reason in Chinese: 不满足“研发投入占比 超过 3.5%”（研发投入占比 为 3.1%）.
func (r *Reason) String() string { return r.Message(lang.Chinese) }

// Message says the reason in the given locale. The nil Reason, which
// RuleResult.Reason gives for a rule that applies, says nothing.
func (r *Reason) Message(loc lang.Locale) string {
	if r == nil {
		return ""
	}
	var vals []string
	for _, v := range r.Values {
		if loc == lang.English {
			vals = append(vals, v.Name+" is "+v.Value.Text(loc))
		} else {
			vals = append(vals, v.Name+" 为 "+v.Value.Text(loc))
		}
	}
	note, unknown := r.Note.Text(loc), r.Unknown.Text(loc)
	if r.Kind == ReasonDenied {
		switch {
		case unknown != "" && loc == lang.English:
			return fmt.Sprintf("excluded (%s): cannot tell whether %q holds: %s", note, r.Condition, unknown)
		case unknown != "":
			return fmt.Sprintf("不予支持（%s）：无法判断是否符合“%s”：%s", note, r.Condition, unknown)
		case loc == lang.English:
			s := fmt.Sprintf("excluded (%s): %s", note, r.Condition)
			if len(vals) > 0 {
				s += " (" + strings.Join(vals, ", ") + ")"
			}
			return s
		}
		s := fmt.Sprintf("不予支持（%s）：符合“%s”", note, r.Condition)
		if len(vals) > 0 {
			s += "（" + strings.Join(vals, "，") + "）"
		}
		return s
	}
	if r.Condition == "" {
		return note
	}
	if note != "" {
		vals = append(vals, note)
	}
	if loc == lang.English {
		s := fmt.Sprintf("condition not met: %s", r.Condition)
		if len(vals) > 0 {
			s += " (" + strings.Join(vals, ", ") + ")"
		}
		return s
	}
	s := fmt.Sprintf("不满足“%s”", r.Condition)
	if len(vals) > 0 {
		s += "（" + strings.Join(vals, "，") + "）"
	}
	return s
}

// Inputs lists the inputs the policy reads, in declaration order.
func (p *Program) Inputs() []*lang.Input { return p.inputs }

// AsOf is the date a record is evaluated on when it gives none of its own:
// Options.AsOf, or the day the program was compiled.
func (p *Program) AsOf() lang.Date { return p.asOf }

// FirstYear is the year the policy came into force (its earliest 有效期),
// or 0 when it has none: a 台账's items are of that year or later.
func (p *Program) FirstYear() int { return p.firstYear }

// Checked returns the checked program p was compiled from.
func (p *Program) Checked() *lang.Program { return p.checked }

// Eval evaluates the policy for one record. A field that is missing or not of
// its input's type is a *FieldError; an error in evaluation (division by
// zero, a number out of range) is a *lang.Error with the position of the
// expression. Eval returns ctx.Err() if ctx is done.
func (p *Program) Eval(ctx context.Context, rec Record) (res *Result, err error) {
	return p.EvalWith(ctx, rec, EvalOptions{})
}

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
const MaxListDepth = 64

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
	case isNumeric(v.kind) && !p.magnitude.within(v.n()):
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

// isNumeric says whether values of kind k are numbers: 金额, 数值 and 比例,
// which are consecutive kinds, so one comparison tells.
func isNumeric(k lang.Kind) bool { return k-lang.KindMoney <= lang.KindRatio-lang.KindMoney }

// the numeric kinds are consecutive: these fail to compile otherwise
var _ = [1]struct{}{}[lang.KindNumber-lang.KindMoney-1]
var _ = [1]struct{}{}[lang.KindRatio-lang.KindNumber-1]

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

// EvalInputs evaluates the policy for values already read into input slots,
// one per input in the order of Inputs, and maybe the record's own date in
// the slot after them (a Binder with a 评估日期 column writes it). A value
// not of its input's type (Binder never makes one) is reported as a
// *FieldError where the evaluation reads it; an input left without a value
// (a Binder's *DataError) leaves what reads it 数据不足.
func (p *Program) EvalInputs(ctx context.Context, inputs []Value) (res *Result, err error) {
	defer Recovered(&err)
	m := mode{asOf: p.dateFor(inputs, lang.Date{})}
	res, err = p.evalWith(ctx, inputs, m)
	if missingMet(err) {
		m.missing = p.missingInputs(inputs)
		res, err = p.evalWith(ctx, inputs, m)
	}
	return res, err
}

// EvalAt is Eval with asOf as the evaluation date of a record that gives
// none of its own (see EvalOptions.AsOf).
func (p *Program) EvalAt(ctx context.Context, rec Record, asOf lang.Date) (*Result, error) {
	return p.EvalWith(ctx, rec, EvalOptions{AsOf: asOf})
}

// EvalOptions configure one evaluation.
type EvalOptions struct {
	// AsOf is the evaluation date of a record that gives none of its own
	// (an input declared 评估日期 = 申报日期, or a 评估日期 field): for
	// validity periods, parameters that change by date and 评估日期 in
	// expressions. The zero Date means Options.AsOf, or, when that too is
	// unset, the day of the call (not of Compile: a server that runs for a
	// week answers each day with that day).
	AsOf lang.Date
	// Explain records how each definition and rule reached its value:
	// Result.DefSteps and RuleResult.Explanation.
	Explain bool
	// AllConditions tests every condition of each rule, not only up to the
	// first that fails, so that RuleResult.Failures can tell a near miss
	// (one condition short, with the gap) from a rule far off.
	AllConditions bool
}

// EvalWith is Eval with options. A record some of whose fields are missing
// or bad is still evaluated: the rules that read those fields do not apply
// (数据不足, naming them), the others do as they would, and the error is a
// *DataError naming every such field, returned beside the Result.
func (p *Program) EvalWith(ctx context.Context, rec Record, opts EvalOptions) (res *Result, err error) {
	defer Recovered(&err)
	inputs, dataErr := p.bind(rec)
	if inputs == nil {
		return nil, dataErr
	}
	m := mode{asOf: p.dateFor(inputs, opts.AsOf), allCond: opts.AllConditions}
	if opts.Explain {
		m.trace = &tracer{inputs: make([]bool, len(inputs)), params: make([]bool, len(p.params)), defs: make([]bool, len(p.defs))}
	}
	// with fields missing, evaluate as if none were: only when the
	// evaluation meets one is the record evaluated again, knowing which
	// are missing, so that 数据不足 is said only where a missing value
	// mattered (a sum of rules outside their validity is 0 all the same)
	res, err = p.evalWith(ctx, inputs, m)
	if missingMet(err) {
		m.missing = p.missingInputs(inputs)
		if opts.Explain {
			m.trace = &tracer{inputs: make([]bool, len(inputs)), params: make([]bool, len(p.params)), defs: make([]bool, len(p.defs))}
		}
		res, err = p.evalWith(ctx, inputs, m)
	}
	if err != nil {
		return nil, err
	}
	return res, dataErr
}

// mode is how one evaluation runs: on which date, whether it records an
// explanation or tests every condition, and which inputs have no value.
type mode struct {
	asOf    lang.Date
	trace   *tracer
	allCond bool
	missing []bool // by input; nil when every input has a value
}

// dateFor returns the evaluation date of the record in inputs: its own
// (the input declared 评估日期 = …, else its 评估日期 field, in the slot
// after the inputs), else given, else Options.AsOf, else today.
func (p *Program) dateFor(inputs []Value, given lang.Date) lang.Date {
	if !p.usesDate {
		return p.asOf // nothing reads it
	}
	if i := p.asOfInput; i >= 0 && i < len(inputs) && inputs[i].kind == lang.KindDate {
		return inputs[i].Date()
	}
	if n := len(p.inputs); len(inputs) > n && inputs[n].kind == lang.KindDate {
		return inputs[n].Date()
	}
	if given != (lang.Date{}) {
		return given
	}
	if p.asOfToday {
		return today()
	}
	return p.asOf
}

// EvalMatch is EvalWith with AllConditions.
func (p *Program) EvalMatch(ctx context.Context, rec Record) (*Result, error) {
	return p.EvalWith(ctx, rec, EvalOptions{AllConditions: true})
}

// EvalExplained is EvalWith with Explain. Eval itself records nothing.
func (p *Program) EvalExplained(ctx context.Context, rec Record) (*Result, error) {
	return p.EvalWith(ctx, rec, EvalOptions{Explain: true})
}

func (p *Program) evalAt(ctx context.Context, inputs []Value, asOf lang.Date) (*Result, error) {
	return p.evalWith(ctx, inputs, mode{asOf: asOf})
}

func (p *Program) evalWith(ctx context.Context, inputs []Value, m mode) (*Result, error) {
	res := &Result{}
	p.prepare(res)
	f, _ := p.frames.Get().(*frame)
	if f == nil {
		f = p.newFrame()
	}
	err := p.evalFrame(ctx, f, inputs, m, res)
	f.ctx, f.inputs, f.res, f.missing = nil, nil, nil, nil // not kept alive by the pool
	p.frames.Put(f)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// EvalInto is EvalInputs that writes the result into res, reusing the
// storage res holds from an earlier evaluation (its outputs, reasons, the
// lists 对每个 builds, and the evaluation frame): evaluating every record
// into the same Result allocates nothing once that storage has grown, except
// for the few reasons worded anew (就高不重复's, an output that cannot be
// had). A failed comparison is worded only when RuleResult.Reason is
// called. The next EvalInto into res overwrites what it holds, values included;
// copy what must outlive it. On an error, res holds nothing of use. A Result
// is for one goroutine at a time.
func (p *Program) EvalInto(ctx context.Context, inputs []Value, res *Result) error {
	f := res.frame
	// otherDay: the record's date is not p.asOf
	otherDay := false
	if p.datePerRecord || len(inputs) != len(p.inputs) { // (a 评估日期 column is the slot after the inputs)
		otherDay = p.dateFor(inputs, lang.Date{}) != p.asOf
	}
	if f == nil || f.prog != p { // (res.prog is set with res.frame)
		f = p.newFrame()
		res.frame = f // kept for the next evaluation into res
		p.prepare(res)
		return p.evalFrameMissing(ctx, f, inputs, p.dateFor(inputs, lang.Date{}), res)
	}
	// The steady state: only what changes from one record to the next is
	// written. A kept frame is used by EvalInto alone, so it has no tracer,
	// tests conditions up to the first failure, and is on p's date; the
	// stacks of 对每个 and calls are empty after every evaluation.
	var done <-chan struct{}
	if len(p.listInputs) > 0 || len(inputs) != len(p.inputs) || otherDay {
		var err error
		if done, err = p.begin(ctx, inputs); err != nil {
			return err
		}
	} else if done = ctx.Done(); done != nil { // as begin does, with nothing else to check
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	f.ctx, f.inputs, f.res, f.steps, f.err = ctx, inputs, res, p.limits.MaxSteps, nil
	if otherDay || f.otherDate { // the date differs from the program's now, or did last time
		asOf := p.dateFor(inputs, lang.Date{})
		f.asOf, f.otherDate, res.AsOf = asOf, otherDay, asOf
	}
	if len(f.arena) > 0 || len(f.refs) > 0 {
		f.arena, f.refs = f.arena[:0], f.refs[:0]
	}
	f.clearExtras, res.extras = res.extras, false
	if p.onlyRules && done == nil && f.steps >= len(p.order) && !otherDay {
		// rules alone, a context that is never done and steps enough for
		// all: evalSteps with nothing to look at between the rules
		f.steps -= len(p.order)
		rules := res.Rules
		for k := range p.steady {
			st := &p.steady[k]
			if err := p.runRule(f, &st.body, &rules[st.rule], st.outside); err != nil {
				if missingMet(err) {
					res.extras = res.extras || f.clearExtras // what the last record wrote is still to clear
					return p.evalFrameMissing(ctx, f, inputs, f.asOf, res)
				}
				return err
			}
		}
		if res.DefSteps != nil || len(res.ranks) > 0 {
			res.DefSteps, res.ranks = nil, res.ranks[:0]
		}
		return nil
	}
	err := p.evalSteps(f, done, nil)
	if missingMet(err) {
		res.extras = res.extras || f.clearExtras // what the last record wrote is still to clear
		return p.evalFrameMissing(ctx, f, inputs, f.asOf, res)
	}
	return err
}

// evalFrameMissing evaluates into res with frame f, as EvalInto does when
// it starts a Result or meets an input with no value: then again, knowing
// which inputs are missing, so that what reads them is 数据不足.
func (p *Program) evalFrameMissing(ctx context.Context, f *frame, inputs []Value, asOf lang.Date, res *Result) error {
	err := p.evalFrame(ctx, f, inputs, mode{asOf: asOf}, res)
	if missingMet(err) {
		res.extras = res.extras || f.clearExtras
		err = p.evalFrame(ctx, f, inputs, mode{asOf: asOf, missing: p.missingInputs(inputs)}, res)
	}
	f.missing = nil
	return err
}

// evalFrame evaluates the policy for inputs into res, with frame f, in
// mode m.
func (p *Program) evalFrame(ctx context.Context, f *frame, inputs []Value, m mode, res *Result) error {
	done, err := p.begin(ctx, inputs)
	if err != nil {
		return err
	}
	asOf, trace, allCond := m.asOf, m.trace, m.allCond
	f.ctx, f.asOf, f.inputs, f.trace, f.allCond, f.res, f.missing = ctx, asOf, inputs, trace, allCond, res, m.missing
	f.otherDate = asOf != p.asOf
	res.AsOf = asOf
	f.steps = p.limits.MaxSteps
	f.items, f.args, f.outputs, f.err = f.items[:0], f.args[:0], nil, nil
	f.arena, f.refs = f.arena[:0], f.refs[:0]
	// what only near misses, explanations and Settle write, cleared only
	// when an earlier evaluation into res wrote it
	f.clearExtras, res.extras = res.extras, allCond || trace != nil
	var rec *recorder
	if trace != nil {
		rec = newRecorder(p, trace)
	}
	err = p.evalSteps(f, done, rec)
	f.trace = nil
	return err
}

// begin checks that an evaluation can start: one value per input, and ctx
// not done. done is nil for a context that is never done: no checks then.
func (p *Program) begin(ctx context.Context, inputs []Value) (done <-chan struct{}, err error) {
	if len(inputs) != len(p.inputs) && len(inputs) != len(p.inputs)+1 { // (+1: the record's own date)
		return nil, fmt.Errorf("interp: %d input values for %d inputs", len(inputs), len(p.inputs))
	}
	for _, i := range p.listInputs {
		if err := p.checkList(i, &inputs[i]); err != nil {
			return nil, err
		}
	}
	done = ctx.Done()
	if done != nil {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return done, nil
}

// checkList reports list input i when its items are not of the input's
// type (an embedder can build any list with List and RecordValue; the
// evaluation reads the items by their declared fields) or are more than
// MaxListItems. A value that is not a list is reported where it is read.
func (p *Program) checkList(i int, v *Value) error {
	if v.kind != lang.KindList {
		return nil
	}
	in, items := p.inputs[i], v.list()
	if err := p.checkValue(*v, nil); err != nil {
		return fieldError(in, nil, err)
	}
	rec := in.Type.Rec // a list input is a list of records
	if rec == nil {
		return nil
	}
	kinds := p.fieldKinds[i]
	for k := range items {
		it := &items[k]
		var fields []Value
		if it.kind == lang.KindRecord {
			fields = it.list()
		}
		if it.kind != lang.KindRecord || len(fields) != len(kinds) {
			return fieldError(in, nil, msgf("第 %[1]d 项应是有 %[2]d 个字段的记录", "item %[1]d should be a record of %[2]d fields", k+1, len(rec.Fields)))
		}
		for j := range fields {
			if field := &fields[j]; field.kind != kinds[j] && !(isNumeric(kinds[j]) && isNumeric(field.kind)) {
				return fieldError(in, nil, msgf("第 %[1]d 项的“%[2]s”的类型是%[3]s", "item %[1]d, field %[2]q, is of type %[4]s",
					k+1, rec.Fields[j].Name.Text, field.Type(), field.Type().English()))
			}
		}
	}
	return nil
}

// fits reports whether v is a value of kind k: numbers of any numeric kind
// fit a numeric kind, as an input read as a number does.
func fits(v *Value, k lang.Kind) bool {
	return v.kind == k || isNumeric(k) && isNumeric(v.kind)
}

// finish copies the definitions into res and records each 评选's ranking
// value.
func (p *Program) finish(f *frame, res *Result) error {
	for n, i := range p.defsInSource {
		res.Defs[n] = Output{Name: p.defs[i].name.Text, Value: f.defs[i]}
	}
	res.ranks = res.ranks[:0]
	for qi, q := range p.quotas {
		if names := f.lacking(p.reads.quotas[qi]); len(names) > 0 {
			for range q.ranks {
				res.ranks = append(res.ranks, insufficient(names))
			}
			continue
		}
		for _, rank := range q.ranks {
			v, err := rank(f)
			if err != nil {
				return err
			}
			res.ranks = append(res.ranks, v)
		}
	}
	return nil
}

// evalSteps evaluates the definitions and rules of p in order, looking
// between rules whether done is closed (nil: never), then finishes. rec,
// when not nil, records how each was reached, for EvalExplained.
func (p *Program) evalSteps(f *frame, done <-chan struct{}, rec *recorder) error {
	if len(p.denies) > 0 {
		clear(f.denied)
		f.res.Denials = f.res.Denials[:0]
	}
	for k := range p.order {
		st := &p.order[k]
		if err := f.step(); err != nil {
			return err
		}
		switch st.kind {
		case stepGroup:
			p.evalGroup(f, st.i)
		case stepLimit:
			if err := p.evalLimit(f, st.i); err != nil {
				return err
			}
		case stepDeny:
			if err := p.evalDeny(f, st.i); err != nil {
				return err
			}
		case stepDef:
			d := &p.defs[st.i]
			if f.missing != nil {
				if names := f.lacking(p.reads.defs[st.i]); len(names) > 0 {
					f.defs[st.i] = insufficient(names)
					continue
				}
			}
			v, err := d.value(f)
			if err != nil {
				return err
			}
			f.defs[st.i] = store(f, d.typ, v)
			if rec != nil {
				rec.defSteps[d.name.Text] = rec.explain(p, f)
			}
		default:
			if done != nil {
				select {
				case <-done:
					return f.ctx.Err()
				default:
				}
			}
			if err := p.evalRule(f, st.i); err != nil {
				return err
			}
			if rec != nil {
				e := rec.explain(p, f)
				rec.ruleSteps[st.i] = &e
			}
		}
	}
	if rec != nil {
		f.res.DefSteps = rec.defSteps
		for i, e := range rec.ruleSteps {
			f.res.Rules[i].Explanation = e
		}
	} else if f.res.DefSteps != nil {
		f.res.DefSteps = nil
	}
	return p.finish(f, f.res)
}

// recorder collects the explanations of an evaluation's definitions and
// rules from its tracer.
type recorder struct {
	trace     *tracer
	defSteps  map[string]Explanation
	ruleSteps []*Explanation
}

func newRecorder(p *Program, trace *tracer) *recorder {
	return &recorder{trace: trace, defSteps: map[string]Explanation{}, ruleSteps: make([]*Explanation, len(p.rules))}
}

// explain takes what the tracer recorded since the last step.
func (r *recorder) explain(p *Program, f *frame) Explanation {
	steps, ins, params, defs := r.trace.take()
	e := Explanation{Steps: steps}
	for _, i := range ins {
		e.Inputs = append(e.Inputs, Output{Name: p.inputs[i].Name.Text, Value: f.inputs[i]})
	}
	for _, i := range params {
		name := p.checked.Params[i].Name.Text
		if from, dated := p.paramFrom(i, f.asOf); dated {
			name += "（自 " + from.Chinese() + " 起）" // which of its values, and since when
		}
		e.Params = append(e.Params, Output{Name: name, Value: p.paramAt(i, f.asOf)})
	}
	for _, i := range defs {
		e.Defs = append(e.Defs, Output{Name: p.defs[i].name.Text, Value: f.defs[i]})
	}
	return e
}

// prepare readies res to receive an evaluation of p: the rules' outputs
// are evaluated in place, into storage made once (with the outputs' names)
// for all the rules and kept for the next evaluation into res.
func (p *Program) prepare(res *Result) {
	res.prog = p
	res.Defs = resize(res.Defs, len(p.defsInSource))
	res.ranks = res.ranks[:0]
	res.Rules = make([]RuleResult, len(p.rules))
	n := 0
	for _, r := range p.rules {
		n += len(r.outputs)
	}
	store := make([]Output, n)
	for i, r := range p.rules {
		outs := store[:len(r.outputs):len(r.outputs)]
		store = store[len(r.outputs):]
		for j, o := range r.outputs {
			outs[j].Name = o.name.Text
		}
		rr := &res.Rules[i]
		rr.Name, rr.Cites, rr.outputs, rr.pays = r.rule.Name.Text, r.rule.Cites, outs, r.pays
	}
	res.Limits = resize(res.Limits, len(p.limits2))
}

// resize returns s with length n, reusing its array when it is large enough.
func resize[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:n]
	}
	return make([]T, n)
}

// store rounds money to the fen when it is stored under a name, and each
// amount of a list of money; a list whose amounts need rounding is copied
// into storage from f.
func store(f *frame, t lang.Type, v Value) Value {
	switch {
	case v.IsNA():
	case t == lang.Money:
		v = toFen(v.n()).value(lang.KindMoney)
	case t.Kind == lang.KindList && t.Elem == lang.KindMoney:
		for _, it := range v.list() {
			if !it.IsNA() && (it.big() || it.sc&^negBit > MoneyPlaces) {
				items := f.alloc(len(v.list()))
				for i, it := range v.list() {
					items[i] = store(f, lang.Money, it)
				}
				v = f.listValue(v.elem, items)
				break
			}
		}
	}
	return v
}

// toFen rounds money to the fen, calling roundNum only when there is
// rounding to do (small enough to be inlined).
func toFen(n num) num {
	if n.dec != nil || n.scale() > MoneyPlaces {
		return roundNum(n, MoneyPlaces)
	}
	return n
}

// storeNum is store for a number of kind k, written into a slot of a rule's
// outputs.
func storeNum(dst *Value, k lang.Kind, n num) {
	if k == lang.KindMoney {
		n = toFen(n)
	}
	dst.setNum(k, n)
}

// evalRule evaluates rule i into f.res.Rules[i], in place: its conditions,
// 其中 and outputs, in the order they are written; whether it applies, and
// when it does not, why (rr.why).
func (p *Program) evalRule(f *frame, i int) error {
	r := &p.rules[i]
	var outside *Reason
	if r.outside != nil || f.otherDate {
		outside = r.outsideOn(f.asOf, p.asOf)
	}
	if outside == nil && f.denied != nil {
		outside = f.denied[i]
	}
	if outside == nil && f.missing != nil {
		if names := f.lacking(p.reads.rules[i]); len(names) > 0 {
			outside = &Reason{Pos: r.rule.Name.Pos, Kind: ReasonData, Note: insufficient(names).Why()}
		}
	}
	return p.runRule(f, &r.body, &f.res.Rules[i], outside)
}

// ruleBody is a rule's body compiled into steps, one per item, and the
// conjuncts of its conditions. The conditions' step is condStep, or nil
// where they are tested by testToFailure alone (EvalInto's steady state).
type ruleBody struct {
	steps     []bodyStep
	conjuncts []conjunct
}

// runRule evaluates a rule's body into rr: each step in order, a nil step
// being the conditions, tested up to the first that fails. A rule outside
// its validity (outside, not nil) is not evaluated.
func (p *Program) runRule(f *frame, b *ruleBody, rr *RuleResult, outside *Reason) error {
	// field by field, keeping the storage of the last evaluation into rr
	rr.Applies, rr.Outputs = false, nil
	if f.clearExtras {
		rr.Failures, rr.Notes, rr.Explanation = nil, nil, nil
	}
	if rr.Exceptions != nil {
		rr.exceptions, rr.Exceptions = rr.exceptions[:0], nil
	}
	if outside != nil {
		rr.why.set(nil, outside)
		return nil
	}
	f.outputs = rr.outputs
	for _, step := range b.steps {
		var goOn bool
		var err error
		if step == nil {
			goOn, err = p.testToFailure(f, b.conjuncts, rr)
		} else {
			goOn, err = step(f, rr)
		}
		if !goOn || err != nil {
			if len(rr.exceptions) > 0 {
				rr.Exceptions = rr.exceptions
			}
			return err
		}
	}
	if len(rr.exceptions) > 0 {
		rr.Exceptions = rr.exceptions
	}
	rr.Applies, rr.Outputs = true, rr.outputs // rr.why is not read while it applies
	return nil
}

// bodyStep is one item of a rule's body, compiled: the rule's conditions,
// a 其中, or an output. It reports whether the evaluation of the rule goes
// on; when it does not and there is no error, the rule does not apply and
// rr.why says why.
type bodyStep func(f *frame, rr *RuleResult) (goOn bool, err error)

// bodySteps compiles the body of rule r into steps, so that evaluating a
// rule is a call per item, each with what it needs at hand.
func (p *Program) bodySteps(r *compiledRule) []bodyStep {
	var steps []bodyStep
	for k := range r.byDate { // before anything: is the qualifying event in the period?
		steps = append(steps, r.byDate[k].step)
	}
	steps = append(steps, r.ledgerSteps...) // then: was it paid before?
	for _, item := range r.rule.Body {
		switch item.Kind {
		case lang.BodyCond:
			steps = append(steps, p.condStep(r))
		case lang.BodyException:
			x := &r.exceptions[item.Index]
			steps = append(steps, func(f *frame, rr *RuleResult) (bool, error) { return true, p.exception(f, x, rr) })
		case lang.BodyOutput:
			steps = append(steps, p.outputStep(&r.outputs[item.Index], item.Index))
		}
	}
	return steps
}

// condStep compiles the conditions of rule r: in the common case they are
// tested up to the first that fails, which is recorded to be worded when
// asked; near misses and explanations test them through testAll.
func (p *Program) condStep(r *compiledRule) bodyStep {
	return func(f *frame, rr *RuleResult) (bool, error) {
		if f.allCond || f.trace != nil {
			return p.testAll(f, r, rr)
		}
		return p.testToFailure(f, r.conjuncts, rr)
	}
}

// testToFailure tests conjuncts up to the first that fails, which is
// recorded in rr.why to be worded when asked.
func (p *Program) testToFailure(f *frame, conjuncts []conjunct, rr *RuleResult) (bool, error) {
	w := &rr.why
	for j := range conjuncts {
		c := &conjuncts[j]
		if c.test != nil {
			if c.test(f, &w.miss) {
				continue
			}
			if w.miss.ok {
				w.set(c, nil) // worded when asked
				return false, nil
			}
		} else if !c.isCompared {
			v, ok := c.holds.inPlace(f.inputs) // (no tracer here)
			if !ok {
				v, ok = c.holds.fn(f)
			}
			if ok && v {
				continue
			}
			if ok {
				w.set(c, nil)
				return false, nil
			}
		}
		reason, err := p.check(f, c, &rr.reason)
		if err != nil {
			return false, err
		}
		if reason != nil {
			w.set(nil, reason)
			return false, nil
		}
	}
	return true, nil
}

// steadyRule is a rule as EvalInto evaluates it in the steady state of a
// policy of rules alone, where a frame has no tracer, tests conditions up
// to the first failure and is on the program's date: its body with nil
// for the conditions (tested by testToFailure, with no step of their own),
// and why it is out of force on that date, or nil.
type steadyRule struct {
	rule    int
	body    ruleBody
	outside *Reason
}

func (p *Program) steadyRule(i int) steadyRule {
	r := &p.rules[i]
	st := steadyRule{rule: i, body: ruleBody{steps: make([]bodyStep, len(r.body.steps)), conjuncts: r.conjuncts}, outside: r.outside}
	first := len(r.byDate) + len(r.ledgerSteps) // the body's steps come after the validities by date and the 台账's
	copy(st.body.steps, r.body.steps[:first])
	for k, item := range r.rule.Body {
		if item.Kind != lang.BodyCond {
			st.body.steps[first+k] = r.body.steps[first+k]
		}
	}
	return st
}

// outputStep compiles output o of a rule, written into slot idx: a number
// (money rounded to the fen) or a 是否 straight into the slot, anything
// else, or a value that cannot be had, through output.
func (p *Program) outputStep(o *compiledDef, idx int) bodyStep {
	switch num, cond, test, k := o.num, o.cond, o.test, o.typ.Kind; {
	case o.konst != nil:
		return func(f *frame, rr *RuleResult) (bool, error) {
			o.konst.set(f, &f.outputs[idx].Value)
			return true, nil
		}
	case num != nil:
		round := k == lang.KindMoney // to the fen, as storeNum does, without its call
		return func(f *frame, rr *RuleResult) (bool, error) {
			if n, ok := num(f); ok {
				if round {
					n = toFen(n)
				}
				f.outputs[idx].Value.setNum(k, n)
				return true, nil
			}
			return p.output(f, o, idx, &rr.why)
		}
	case o.atFen:
		return func(f *frame, rr *RuleResult) (bool, error) {
			v, err := o.value(f)
			if err != nil {
				return false, err
			}
			if f.trace == nil && !v.IsNA() {
				f.outputs[idx].Value = v // each amount already to the fen
				return true, nil
			}
			return p.stored(f, o, idx, v, &rr.why)
		}
	case o.slotTest != nil:
		t := o.slotTest
		return func(f *frame, rr *RuleResult) (bool, error) {
			if v := f.slot(t.sh.where, t.sh.i); f.trace == nil && isNumeric(v.kind) {
				if r, ok := t.kc.quick(v.n()); ok { // the test inlined, as the slot is read in place
					f.outputs[idx].Value.setBool(t.holds[r+1])
					return true, nil
				}
			}
			return p.testOutput(f, o, idx, rr)
		}
	case test != nil:
		return func(f *frame, rr *RuleResult) (bool, error) { return p.testOutput(f, o, idx, rr) }
	case cond != nil:
		return func(f *frame, rr *RuleResult) (bool, error) {
			if b, ok := cond(f); ok {
				f.outputs[idx].Value.setBool(b)
				return true, nil
			}
			return p.output(f, o, idx, &rr.why)
		}
	}
	return func(f *frame, rr *RuleResult) (bool, error) { return p.output(f, o, idx, &rr.why) }
}

// testOutput evaluates output o, a comparison of numbers, into slot idx.
func (p *Program) testOutput(f *frame, o *compiledDef, idx int, rr *RuleResult) (bool, error) {
	m := &f.scratch // not on the stack: a testFn's argument escapes
	if o.test(f, m) {
		f.outputs[idx].Value.setBool(true)
		return true, nil
	}
	if m.ok { // written whenever the test fails
		f.outputs[idx].Value.setBool(false)
		return true, nil
	}
	return p.output(f, o, idx, &rr.why)
}

// outsideOn returns why the rule is outside its validity on asOf, or nil;
// progAsOf is the program's date, on which r.outside has the answer.
func (r *compiledRule) outsideOn(asOf, progAsOf lang.Date) *Reason {
	if asOf == progAsOf {
		return r.outside
	}
	for _, v := range r.validity {
		if reason := outsideValidity(v, asOf); reason != nil {
			return reason
		}
	}
	return nil
}

// testAll tests the conditions of rule r for a near miss or an
// explanation: every one of them (allCond), or up to the first that fails,
// each worded with its gap. It reports whether they all held.
func (p *Program) testAll(f *frame, r *compiledRule, rr *RuleResult) (bool, error) {
	held := true
	for j := range r.conjuncts {
		into := &rr.reason // written in place
		if f.allCond {
			into = new(Reason) // kept among the failures
		}
		reason, err := p.check(f, &r.conjuncts[j], into)
		if err != nil {
			return false, err
		}
		if reason == nil {
			continue
		}
		if held {
			held = false
			rr.why.set(nil, reason)
		}
		if !f.allCond {
			return false, nil
		}
		rr.Failures = append(rr.Failures, reason)
	}
	return held, nil
}

// exception applies 其中 x when its condition holds: its overrides
// replace outputs defined above it.
func (p *Program) exception(f *frame, x *compiledException, rr *RuleResult) error {
	holds, ok := x.cond.eval(f)
	if !ok && f.err != nil {
		err := f.err
		f.err = nil
		return err
	}
	if !ok || !holds {
		return nil
	}
	rr.exceptions = append(rr.exceptions, x.text)
	for i := range x.overrides {
		o := &x.overrides[i]
		if o.konst != nil {
			o.konst.set(f, &f.outputs[o.output].Value)
			continue
		}
		if o.num != nil {
			if n, ok := o.num(f); ok {
				storeNum(&f.outputs[o.output].Value, o.typ.Kind, n)
				continue
			}
		}
		nv, err := o.value(f)
		if err != nil {
			return err
		}
		f.outputs[o.output].Value = store(f, o.typ, numericOr(o.typ, nv))
	}
	return nil
}

// output evaluates output o of a rule into slot idx when its numFn or
// boolFn gave no value, or it has neither; it reports whether the value
// was had. An output that cannot be had (a category missing from a table,
// a rule it needs that does not apply) makes the rule not apply, and w
// says why.
func (p *Program) output(f *frame, o *compiledDef, idx int, w *why) (bool, error) {
	var v Value
	var err error
	if o.num != nil || o.cond != nil {
		v, err = f.fail()
	} else {
		v, err = o.value(f)
	}
	if err != nil {
		return false, err
	}
	return p.stored(f, o, idx, v, w)
}

// stored writes v, the value of output o, into slot idx as store keeps it;
// a value that cannot be had (不适用) leaves the rule not applying, w
// saying why.
func (p *Program) stored(f *frame, o *compiledDef, idx int, v Value, w *why) (bool, error) {
	if v.IsNA() {
		w.set(nil, &Reason{Pos: o.name.Pos, Kind: ReasonOutput, Note: msgOutputNA(o.name.Text, v.Why())})
		return false, nil
	}
	f.outputs[idx].Value = store(f, o.typ, v)
	return true, nil
}

// byValidity is a validity tested on a date of the record (有效期 … 按 认定
// 日期), compiled into a step of its rule's body.
type byValidity struct {
	v    *lang.Validity
	step bodyStep
}

// byValidityStep compiles validity v, tested on the date date gives.
func byValidityStep(v *lang.Validity, date evalFn) bodyStep {
	return func(f *frame, rr *RuleResult) (bool, error) {
		d, err := date(f)
		if err != nil {
			return false, err
		}
		if d.IsNA() {
			rr.why.set(nil, &Reason{Pos: v.Pos, Kind: ReasonValidity, Note: msgValidityUnknown(d.Why())})
			return false, nil
		}
		if reason := outsideValidityOf(v, d.Date(), v.By.Name.Text); reason != nil {
			rr.why.set(nil, reason)
			return false, nil
		}
		return true, nil
	}
}

// outsideValidity returns why asOf lies outside v, or nil.
func outsideValidity(v *lang.Validity, asOf lang.Date) *Reason {
	return outsideValidityOf(v, asOf, "评估日期")
}

// outsideValidityOf returns why date, named what, lies outside v, or nil.
func outsideValidityOf(v *lang.Validity, asOf lang.Date, what string) *Reason {
	if (v.From == nil || v.From.Compare(asOf) <= 0) && (v.Until == nil || asOf.Compare(*v.Until) <= 0) {
		return nil
	}
	return &Reason{Pos: v.Pos, Kind: ReasonValidity, Note: msgOutsideValidity(v, what, asOf)}
}

// check evaluates one condition; when it fails, it writes the reason into
// into and returns it. The gap is worded only for near misses and
// explanations (EvalMatch, EvalExplained).
func (p *Program) check(f *frame, c *conjunct, into *Reason) (*Reason, error) {
	if !c.isCompared {
		v, ok := c.holds.eval(f)
		if ok && v {
			return nil, nil
		}
		if err := f.err; err != nil {
			f.err = nil
			return nil, err
		}
		if ok {
			c.wordFalse(into)
			return into, nil
		}
		*into = Reason{Pos: c.expr.Position(), Condition: c.text, Values: into.Values[:0], Note: f.na.Why()}
		return into, nil
	}
	if c.test != nil {
		// numbers: no Value is made unless the condition fails
		m := &f.scratch // not on the stack: a testFn's argument escapes
		if c.test(f, m) {
			return nil, nil
		}
		if m.ok {
			x, y := m.sides()
			c.word(into, x.value(c.xKind), y.value(c.yKind), f.allCond || f.trace != nil)
			return into, nil
		}
	}
	return p.failedOnNA(f, c, into)
}

// failedOnNA says why comparison c did not hold when a side gave no number
// (an error, or 不适用), or when it does not compare numbers: the sides are
// evaluated again as Values to see which.
func (p *Program) failedOnNA(f *frame, c *conjunct, into *Reason) (*Reason, error) {
	if err := f.err; err != nil {
		f.err = nil
		return nil, err
	}
	a, err := c.x(f)
	if err != nil {
		return nil, err
	}
	b, err := c.y(f)
	if err != nil {
		return nil, err
	}
	if !a.IsNA() && !b.IsNA() && c.compare(a, b) {
		return nil, nil
	}
	c.word(into, a, b, f.allCond || f.trace != nil)
	return into, nil
}

// wordFalse writes into why condition c, not a comparison, failed: it was
// false.
func (c *conjunct) wordFalse(into *Reason) {
	*into = Reason{Pos: c.expr.Position(), Condition: c.text, Values: into.Values[:0]}
	switch e := c.expr.(type) {
	case *lang.Ref:
		into.Values = append(into.Values, Output{Name: e.Name.Text, Value: Bool(false)})
	case *lang.Unary: // 非 已获财政资助 fails when it is 是: say so
		if ref, isRef := e.X.(*lang.Ref); isRef && e.Op == lang.OpNot {
			into.Values = append(into.Values, Output{Name: ref.Name.Text, Value: Bool(true)})
		}
	}
}

// word writes into why comparison c failed with sides a and b, and how far
// it is from holding when withGap.
func (c *conjunct) word(into *Reason, a, b Value, withGap bool) {
	*into = Reason{Pos: c.expr.Position(), Condition: c.text, Values: into.Values[:0]}
	if !a.IsNA() && !b.IsNA() && withGap {
		into.Gap = gap(c.op, a, b)
		into.Shortfall = c.shortfall(a, b)
	}
	if a.IsNA() {
		into.Note = a.Why()
	}
	if b.IsNA() {
		into.Note = b.Why()
	}
	c.values(into, a, b)
}

// values appends to into the sides a and b of comparison c that are named
// values (not literals, not 不适用), as the condition read them.
func (c *conjunct) values(into *Reason, a, b Value) {
	if !a.IsNA() && !isLiteral(c.xExpr) {
		into.Values = append(into.Values, Output{Name: c.xText, Value: a})
	}
	if !b.IsNA() && !isLiteral(c.yExpr) {
		into.Values = append(into.Values, Output{Name: c.yText, Value: b})
	}
}

// shortfall describes the failed comparison a op b as data, the named
// side as the value and the other as the bound; nil when it is not a
// comparison of numbers by size.
func (c *conjunct) shortfall(a, b Value) *Shortfall {
	if !a.Type().IsNumeric() || !b.Type().IsNumeric() {
		return nil
	}
	op, field := c.op, c.xText
	if isLiteral(c.xExpr) && !isLiteral(c.yExpr) { // 3.5% 不超过 占比: the name on the right
		a, b, field = b, a, c.yText
		op = map[lang.BinOp]lang.BinOp{lang.OpGt: lang.OpLt, lang.OpGe: lang.OpLe, lang.OpLt: lang.OpGt, lang.OpLe: lang.OpGe}[op]
	}
	switch op {
	case lang.OpGt, lang.OpGe, lang.OpLt, lang.OpLe:
	default:
		return nil
	}
	return &Shortfall{Field: field, Value: a, Needed: b, Inclusive: op == lang.OpGe || op == lang.OpLe, Up: op == lang.OpGt || op == lang.OpGe}
}

// gap says how far a failed comparison a op b is from holding: for 超过 and
// 不低于, how much a is short of b; for 低于 and 不超过, how much it is over.
// Ratios are in percentage points, money in yuan.
func gap(op lang.BinOp, a, b Value) Message {
	if !a.Type().IsNumeric() || !b.Type().IsNumeric() {
		return Message{}
	}
	var d decimal.Decimal
	up := true
	switch op {
	case lang.OpGt, lang.OpGe:
		d = b.Decimal().Sub(a.Decimal())
	case lang.OpLt, lang.OpLe:
		d, up = a.Decimal().Sub(b.Decimal()), false
	default:
		return Message{}
	}
	strict := op == lang.OpGt || op == lang.OpLt // 超过/低于 do not include the bound
	if d.IsZero() && strict {
		if op == lang.OpGt {
			return say("恰在门槛上，须超过（不含本数）", "exactly at the bound, which must be exceeded")
		}
		return say("恰在门槛上，须低于（不含本数）", "exactly at the bound, which must be gone below")
	}
	var amount Message
	switch {
	case a.kind == lang.KindRatio || b.kind == lang.KindRatio:
		amount = say("%s 个百分点", "%s percentage points", d.Shift(2).String())
	case a.kind == lang.KindMoney || b.kind == lang.KindMoney:
		amount = Message{Zh: MoneyText(d, lang.Chinese), En: MoneyText(d, lang.English)}
	default:
		amount = Message{Zh: d.String(), En: d.String()}
	}
	switch {
	case up && strict:
		return say("还差 %s以上", "more than %s short", amount)
	case up:
		return say("还差 %s", "%s short", amount)
	case strict:
		return say("超出 %s以上", "more than %s over", amount)
	}
	return say("超出 %s", "%s over", amount)
}

func isLiteral(e lang.Expr) bool {
	switch e.(type) {
	case *lang.NumberLit, *lang.BoolLit, *lang.StringLit, *lang.DateLit, *lang.SharesLit:
		return true
	}
	return false
}

func spanText(src []byte, s lang.Span) string {
	if s.Start < 0 || s.End > len(src) || s.Start > s.End {
		return ""
	}
	return string(src[s.Start:s.End])
}
