package interp

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/internal/jsonshape"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// Record is one enterprise's data: field name → value. Names match the
// policy's inputs whether written in Simplified or Traditional characters.
// A value may be a string, read by the field's type ("200万元", "3.5%",
// "是", "2025-06-15"), or a Go value: decimal.Decimal, int, int64, bool,
// lang.Date, time.Time or Value. float64 is refused: it is not exact.
type Record = map[string]any

// ErrMissing says a value is absent or blank.
var ErrMissing error = &Message{Zh: "缺少值", En: "missing value"}

// localized returns err's message in loc, when err is a Message.
func localized(err error, loc lang.Locale) string {
	var m *Message
	if loc == lang.English && errors.As(err, &m) {
		return m.En
	}
	return err.Error()
}

// FieldError is a value of a record that cannot be used: missing, blank, or
// not of the field's type.
type FieldError struct {
	Field  string // the input's name as the policy declares it
	Column string // the name the data gives it, if the data has it
	Value  string // the value as given, if any
	Zh     string
	En     string
	// Missing: no value was given (the data has no such field, or it is
	// empty), as against a value that cannot be read.
	Missing bool
	// late: an input with no value, met by an evaluation not told of it
	// (EvalInto): the record is evaluated again as partial data
	late bool
}

func (e *FieldError) Error() string { return e.Zh }

// Message returns the message in the given locale.
func (e *FieldError) Message(loc lang.Locale) string {
	if loc == lang.English {
		return e.En
	}
	return e.Zh
}

var boolWords = map[string]bool{
	"是": true, "否": false, "真": true, "假": false, "有": true, "无": false,
	"true": true, "false": false, "yes": true, "no": false, "y": true, "n": false,
	"1": true, "0": false, "√": true, "×": false,
}

// ParseValue reads text as a value of type t. Blank text is ErrMissing:
// a blank is never taken for 0. A bare number for a 比例 below 1 is a
// fraction; 1 and above is an error (see BareRatios).
func ParseValue(t lang.Type, s string) (Value, error) {
	return parseValue(t, s, BareRatiosChecked)
}

// parseValue is ParseValue reading a bare number for a 比例 as ratios says.
func parseValue(t lang.Type, s string, ratios BareRatios) (Value, error) {
	var v Value
	if ratios == BareRatiosChecked && readPlain(&v, t, s) {
		return v, nil
	}
	s = trimCell(s)
	if s == "" {
		return Value{}, ErrMissing
	}
	switch t.Kind {
	case lang.KindMoney, lang.KindNumber, lang.KindRatio:
		d, written, err := lang.ParseCell(s)
		if err != nil {
			return Value{}, msgf("“%[1]s”不是%[2]s", "%[1]q is not %[3]s", lang.Clip(s), t, t.English())
		}
		if written == lang.Ratio && t.Kind != lang.KindRatio {
			return Value{}, msgf("“%[1]s”是百分比，而这里要%[2]s", "%[1]q is a percentage, but %[3]s is needed", lang.Clip(s), t, t.English())
		}
		if written == lang.Num && t.Kind == lang.KindRatio {
			var m *Message
			if d, m = bareRatio(s, d, ratios); m != nil {
				return Value{}, m
			}
		}
		return numeric(t, d), nil
	case lang.KindBool:
		if b, ok := boolWords[s]; ok { // 是, 否, 1, 0 as they are
			return Bool(b), nil
		}
		if b, ok := boolWords[strings.ToLower(lang.FoldName(s))]; ok {
			return Bool(b), nil
		}
		return Value{}, msgf("“%[1]s”不是“是”或“否”", "%[1]q is not yes or no", lang.Clip(s))
	case lang.KindText:
		return Text(s), nil
	case lang.KindList:
		// a list in a CSV cell is written as JSON: [{"项目名称": "甲", …}]
		if pr := jsonshape.Check(s, DefaultMaxListItems, MaxListDepth); pr != nil {
			return Value{}, shapeError(pr, DefaultMaxListItems)
		}
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		var items []any
		if err := dec.Decode(&items); err != nil {
			return Value{}, msgf("“%[1]s”不是 JSON 数组（列表写作 [{\"字段\": 值, …}, …]）", "%[1]q is not a JSON array (write a list as [{\"field\": value, …}, …])", lang.Clip(s))
		}
		return fromGo(t, items)
	case lang.KindDate:
		if d, ok := lang.ParseDate(s); ok {
			return DateValue(d), nil
		}
		return Value{}, msgf("“%[1]s”不是日期（应写作 2025-06-15 或 2025年6月15日）", "%[1]q is not a date (write 2025-06-15 or 2025年6月15日)", lang.Clip(s))
	}
	return Value{}, msgf("无法读取类型为%[1]s的值", "cannot read a value of type %[2]s", t, t.English())
}

// trimCell is strings.TrimSpace, quick when there is nothing to trim.
func trimCell(s string) string {
	if s == "" {
		return s
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !unicode.IsSpace(first) && !unicode.IsSpace(last) {
		return s
	}
	return strings.TrimSpace(s)
}

// readPlain reads a cell for a numeric type t into *dst, quickly, when it
// is a plain number (see parsePlain), and reports whether it was. It writes
// in place: a 64-byte Value returned through ParseValue's path costs as much
// again as the reading.
func readPlain(dst *Value, t lang.Type, s string) bool {
	if !t.IsNumeric() {
		return false
	}
	n, ok := parsePlain(s, t.Kind == lang.KindRatio)
	if !ok {
		return false
	}
	if t.Kind == lang.KindRatio && !strings.HasSuffix(s, "%") && cmpNum(n.withSign(false), fixed64(1, 0)) >= 0 {
		return false // a bare 1 or more: ParseValue says what is wrong
	}
	*dst = n.value(t.Kind)
	return true
}

// parsePlain reads the common cells quickly and without allocating: an
// optional minus, at most 18 digits with an optional decimal point between
// them, and, when percent is set, an optional % after them. Anything else
// (units, separators, full-width digits) is left to lang.ParseCell, which
// reads it to the same value.
func parsePlain(s string, percent bool) (num, bool) {
	neg := false
	if len(s) > 0 && s[0] == '-' {
		neg, s = true, s[1:]
	}
	scale := 0
	if percent && len(s) > 0 && s[len(s)-1] == '%' {
		scale, s = 2, s[:len(s)-1]
	}
	// the integer digits, then maybe a point between digits and the
	// fraction's: one tight loop each, as almost every cell is digits
	digits := len(s)
	var fx int64
	i := 0
	for ; i < len(s); i++ {
		d := s[i] - '0'
		if d > 9 {
			break
		}
		fx = fx*10 + int64(d)
	}
	if i < len(s) {
		if s[i] != '.' || i == 0 || i == len(s)-1 {
			return num{}, false
		}
		digits--
		scale += len(s) - i - 1
		for i++; i < len(s); i++ {
			d := s[i] - '0'
			if d > 9 {
				return num{}, false
			}
			fx = fx*10 + int64(d)
		}
	}
	if digits == 0 || digits > 18 {
		return num{}, false
	}
	if scale > maxScale {
		return num{}, false
	}
	if neg {
		fx = -fx
	}
	return fixed64(fx, scale), true
}

// fromGo converts a Go value given for an input of type t.
func fromGo(t lang.Type, x any) (Value, error) {
	wrong := func() (Value, error) {
		return Value{}, msgf("%[1]T 类型的值不能作为%[2]s", "a %[1]T cannot be used as %[3]s", x, t, t.English())
	}
	switch x := x.(type) {
	case nil:
		return Value{}, ErrMissing
	case string:
		return ParseValue(t, x)
	case Value:
		if x.Type() == t || (x.Type().IsNumeric() && t.IsNumeric()) {
			return numericOr(t, x), nil
		}
		return wrong()
	case decimal.Decimal:
		if t.IsNumeric() {
			return numeric(t, x), nil
		}
	case int:
		if t.IsNumeric() {
			return numeric(t, decimal.NewFromInt(int64(x))), nil
		}
	case int64:
		if t.IsNumeric() {
			return numeric(t, decimal.NewFromInt(x)), nil
		}
	case bool:
		if t == lang.Bool {
			return Bool(x), nil
		}
	case lang.Date:
		if t == lang.DateT {
			return DateValue(x), nil
		}
	case time.Time:
		if t == lang.DateT {
			return DateValue(lang.Date{Year: x.Year(), Month: int(x.Month()), Day: x.Day()}), nil
		}
	case []any:
		if t.Rec != nil {
			return listFromGo(t.Rec, x)
		}
	case json.Number:
		return ParseValue(t, x.String())
	case float32, float64:
		return Value{}, msgf("浮点数 %[1]v 不精确；请以字符串、json.Number 或 decimal.Decimal 传入（从 JSON 读入时用 json.Decoder 的 UseNumber，或 data.DecodeObject）", "the float %[1]v is not exact; pass a string, a json.Number or a decimal.Decimal (when reading JSON, use json.Decoder.UseNumber, or data.DecodeObject)", x)
	}
	return wrong()
}

// listFromGo reads a list of records: each item an object whose keys name
// the record's fields (Simplified or Traditional). Every field must be there.
func listFromGo(rec *lang.RecordType, xs []any) (Value, error) {
	items := make([]Value, 0, len(xs))
	for n, x := range xs {
		obj, ok := x.(map[string]any)
		if !ok {
			return Value{}, msgf("第 %[1]d 项不是对象", "item %[1]d is not an object", n+1)
		}
		// the key each field is read from, as bind has for inputs: 名称 and
		// 名稱 are one name, and which to read would depend on the map's
		// order, so two keys for one field are an error
		var few [16]string
		keyOf := few[:0]
		if len(rec.Fields) > len(few) {
			keyOf = make([]string, 0, len(rec.Fields))
		}
		keyOf = keyOf[:len(rec.Fields)]
		for k := range obj {
			i := fieldOf(rec, k) // a key that names a field is never ""
			if i < 0 {
				continue
			}
			if keyOf[i] != "" {
				keys := keysOf(rec, obj, i)
				return Value{}, msgf("第 %[1]d 项的“%[2]s”与“%[3]s”都是字段“%[4]s”，不知用哪一个", "item %[1]d: %[2]q and %[3]q are both field %[4]q; which one is meant?",
					n+1, keys[0], keys[1], rec.Fields[i].Name.Text)
			}
			keyOf[i] = k
		}
		// the values in the fields' order, so that the same item always
		// gives the same error; a bad value is reported before a missing one
		fields := make([]Value, len(rec.Fields))
		for i, k := range keyOf {
			if k == "" {
				continue
			}
			v, err := fromGo(rec.Fields[i].Type, obj[k])
			if err != nil {
				return Value{}, msgf("第 %[1]d 项的“%[2]s”：%[3]s", "item %[1]d, %[2]q: %[4]s", n+1, rec.Fields[i].Name.Text, localized(err, lang.Chinese), localized(err, lang.English))
			}
			fields[i] = v
		}
		for i := range fields {
			if !fields[i].IsValid() {
				return Value{}, msgf("第 %[1]d 项缺少“%[2]s”", "item %[1]d lacks %[2]q", n+1, rec.Fields[i].Name.Text)
			}
		}
		items = append(items, RecordValue(fields))
	}
	return List(lang.KindRecord, items), nil
}

func numericOr(t lang.Type, v Value) Value {
	if t.IsNumeric() {
		v.kind = t.Kind
	}
	return v
}

// fieldOf returns the field of rec that the data key k names, spelt as the
// field is or alike once folded (研發投入 for 研发投入), or −1.
func fieldOf(rec *lang.RecordType, k string) int {
	for i, f := range rec.Fields {
		if f.Name.Text == k {
			return i
		}
	}
	return rec.FieldIndex(lang.FoldName(k))
}

// keysOf returns the keys of obj that name field i, sorted.
func keysOf(rec *lang.RecordType, obj map[string]any, i int) []string {
	var keys []string
	for k := range obj {
		if fieldOf(rec, k) == i {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
