package interp

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// Value is a value of the language. The zero Value is invalid.
//
// A number is held in the fixed form (lo, hi, sc) when it fits,
// otherwise as a decimal behind ref; see num.go. A date is held in lo as
// yyyymmdd. Shares are a list of numbers. A text and the items of a list
// are held behind ref too, so that a Value is four words, two to a cache
// line: inputs, outputs and the items of lists are copied and read as
// Values everywhere, and numbers are most of them.
type Value struct {
	kind   lang.Kind
	elem   lang.Kind // of a list of values
	sc     uint8     // a fixed number's scale and sign, as in num
	b      bool
	lo, hi uint64 // a fixed number's magnitude; lo also holds a date
	ref    *ref   // a text, the items of a list, a number that does not fit the fixed form; nil otherwise
}

// ref is what a Value holds behind a pointer. It is never changed once
// made, so Values that share one are copies of one value.
type ref struct {
	s     string           // a text, or the reason of 不适用
	en    string           // the reason of 不适用 in English
	items []Value          // of a list or shares, or the fields of a record
	dec   *decimal.Decimal // a number that does not fit the fixed form
}

// text returns the text v holds: a text's value, an NA's reason.
func (v *Value) text() string {
	if v.ref == nil {
		return ""
	}
	return v.ref.s
}

// list returns the items of a list or shares, or the fields of a record.
func (v *Value) list() []Value {
	if v.ref == nil {
		return nil
	}
	return v.ref.items
}

// List returns a list of values of kind elem.
func List(elem lang.Kind, items []Value) Value {
	return Value{kind: lang.KindList, elem: elem, ref: &ref{items: items}}
}

// RecordValue returns a record with the given field values, in the order of its
// type's fields.
func RecordValue(fields []Value) Value { return Value{kind: lang.KindRecord, ref: &ref{items: fields}} }

// Items returns the items of a list, or the fields of a record.
func (v Value) Items() []Value { return v.list() }

// Money returns an amount in yuan.
func Money(d decimal.Decimal) Value { return fromDecimal(d).value(lang.KindMoney) }

// Number returns a plain number.
func Number(d decimal.Decimal) Value { return fromDecimal(d).value(lang.KindNumber) }

// Int returns the whole number n, without allocating.
func Int(n int64) Value { return fixed64(n, 0).value(lang.KindNumber) }

// Ratio returns a ratio: Ratio(0.1) is 10%.
func Ratio(d decimal.Decimal) Value { return fromDecimal(d).value(lang.KindRatio) }

// Bool returns 是 (true) or 否 (false).
func Bool(b bool) Value { return Value{kind: lang.KindBool, b: b} }

// Text returns a text value.
func Text(s string) Value { return Value{kind: lang.KindText, ref: &ref{s: s}} }

// DateValue returns a date.
func DateValue(d lang.Date) Value {
	return Value{kind: lang.KindDate, lo: uint64(int64(d.Year)*10000 + int64(d.Month)*100 + int64(d.Day))}
}

// Shares returns a ratio of shares such as 5∶2.
func Shares(parts []decimal.Decimal) Value {
	items := make([]Value, len(parts))
	for i, p := range parts {
		items[i] = Number(p)
	}
	return Value{kind: lang.KindShares, ref: &ref{items: items}}
}

// NA returns 不适用 with its reason: the value of an output of a rule that
// does not apply, or of a category missing from a table. Arithmetic and
// comparisons on NA give NA; a condition that is NA does not hold.
func NA(reason string) Value { return Value{kind: lang.KindNA, ref: &ref{s: reason, en: reason}} }

// naOf is 不适用 with its reason in both languages.
func naOf(why Message) Value { return Value{kind: lang.KindNA, ref: &ref{s: why.Zh, en: why.En}} }

// Why is the reason v is 不适用, in both languages (empty for other values).
func (v Value) Why() Message {
	if v.kind != lang.KindNA || v.ref == nil {
		return Message{}
	}
	return Message{Zh: v.ref.s, En: v.ref.en}
}

// IsNA reports whether v is 不适用.
func (v Value) IsNA() bool { return v.kind == lang.KindNA }

// numeric returns a numeric value of type t.
func numeric(t lang.Type, d decimal.Decimal) Value { return fromDecimal(d).value(t.Kind) }

// Kind returns the kind of v.
func (v Value) Kind() lang.Kind { return v.kind }

// Type returns the type of v. For a list of records, the record type is
// not known to the value; only its kind.
func (v Value) Type() lang.Type { return lang.Type{Kind: v.kind, Elem: v.elem} }

// Decimal returns the value of a numeric v.
func (v Value) Decimal() decimal.Decimal { return v.n().decimal() }

// Add returns the sum of two numeric values, of v's kind.
func (v Value) Add(w Value) Value { return addNum(v.n(), w.n(), false).value(v.kind) }

// Cmp compares two numeric values: −1 if v < w, 0 if equal, +1 if v > w.
func (v Value) Cmp(w Value) int { return cmpNum(v.n(), w.n()) }

// Truth returns the value of a 是否 v.
func (v Value) Truth() bool { return v.b }

// Str returns the value of a text v, or the reason of an NA v.
func (v Value) Str() string { return v.text() }

// Date returns the value of a date v.
func (v Value) Date() lang.Date {
	key := v.dateKey()
	y, md := key/10000, key%10000
	if md < 0 { // a year before 0
		y, md = y-1, md+10000
	}
	return lang.Date{Year: int(y), Month: int(md / 100), Day: int(md % 100)}
}

// dateKey returns a date as yyyymmdd, which orders dates.
func (v Value) dateKey() int64 { return int64(v.lo) }

// Parts returns the parts of a shares v.
func (v Value) Parts() []decimal.Decimal {
	parts := make([]decimal.Decimal, len(v.list()))
	for i, it := range v.list() {
		parts[i] = it.Decimal()
	}
	return parts
}

// IsValid reports whether v holds a value.
func (v Value) IsValid() bool { return v.kind != lang.KindInvalid }

// Exact formats v without loss: numbers as plain decimals (10% is "0.1"),
// booleans as 是/否, dates as 2025-06-15.
func (v Value) Exact() string {
	switch v.kind {
	case lang.KindMoney, lang.KindNumber, lang.KindRatio:
		return numString(v.n())
	case lang.KindBool:
		if v.b {
			return "是"
		}
		return "否"
	case lang.KindText:
		return v.text()
	case lang.KindDate:
		return v.Date().String()
	case lang.KindNA:
		return "不适用"
	case lang.KindList, lang.KindRecord:
		parts := make([]string, len(v.list()))
		for i, it := range v.list() {
			parts[i] = it.Exact()
		}
		if v.kind == lang.KindRecord {
			return "(" + strings.Join(parts, ", ") + ")"
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case lang.KindShares:
		parts := make([]string, len(v.list()))
		for i, p := range v.list() {
			parts[i] = p.Exact()
		}
		return strings.Join(parts, "∶")
	}
	return ""
}

// AppendExact appends Exact's text to buf; for numbers, booleans, text and
// 不适用 it allocates nothing.
func (v Value) AppendExact(buf []byte) []byte {
	switch v.kind {
	case lang.KindMoney, lang.KindNumber, lang.KindRatio:
		return appendNum(buf, v.n())
	case lang.KindBool:
		if v.b {
			return append(buf, "是"...)
		}
		return append(buf, "否"...)
	case lang.KindText:
		return append(buf, v.text()...)
	case lang.KindNA:
		return append(buf, "不适用"...)
	}
	return append(buf, v.Exact()...)
}

// Equal reports whether v and w are the same value. Numbers are compared by
// value whatever their kind: 0.1 == 10%. Text is compared after folding
// Traditional to Simplified characters and full-width to ASCII.
func (v Value) Equal(w Value) bool {
	if v.Type().IsNumeric() && w.Type().IsNumeric() {
		return cmpNum(v.n(), w.n()) == 0
	}
	if v.kind != w.kind {
		return false
	}
	switch v.kind {
	case lang.KindBool:
		return v.b == w.b
	case lang.KindText:
		// 一等獎 and 一等奖 are the same category
		a, b := v.text(), w.text()
		return a == b || lang.FoldName(a) == lang.FoldName(b)
	case lang.KindDate:
		return v.lo == w.lo
	case lang.KindList, lang.KindRecord, lang.KindShares:
		vs, ws := v.list(), w.list()
		if len(vs) != len(ws) {
			return false
		}
		for i := range vs {
			if !vs[i].Equal(ws[i]) {
				return false
			}
		}
		return true
	}
	return true
}

// GoString helps tests print values.
func (v Value) GoString() string { return fmt.Sprintf("interp.Value(%s %s)", v.Type(), v.Exact()) }
