package lang

// Kind is the kind of a value.
type Kind uint8

// The kinds of values. Money, Number and Ratio are the numeric kinds: all are
// exact decimals and mix in arithmetic; the kind decides how a value is
// shown and whether it is rounded to the fen on output.
const (
	KindInvalid Kind = iota
	KindMoney        // 金额, in yuan
	KindNumber       // 数值
	KindRatio        // 比例: 10% is 0.1
	KindBool         // 是否
	KindText         // 文本
	KindDate         // 日期
	KindShares       // 份额: a ratio such as 5∶2
	KindNA           // 不适用: the value of an output of a rule that does not apply
	KindList         // 列表: of records (an input) or of values (对每个 …)
	KindRecord       // one item of a list of records
)

var kindNames = [...][2]string{
	KindInvalid: {"无效", "invalid"},
	KindMoney:   {"金额", "money"},
	KindNumber:  {"数值", "number"},
	KindRatio:   {"比例", "ratio"},
	KindBool:    {"是否", "bool"},
	KindText:    {"文本", "text"},
	KindDate:    {"日期", "date"},
	KindShares:  {"份额", "shares"},
	KindNA:      {"不适用", "not applicable"},
	KindList:    {"列表", "list"},
	KindRecord:  {"记录", "record"},
}

// Type is the type of an expression. A list holds records of type Rec, or
// values of kind Elem.
type Type struct {
	Kind Kind
	Elem Kind
	Rec  *RecordType
}

// RecordType is the type of the items of a list input: its fields.
type RecordType struct {
	Fields []Field
}

// Field is one field of a record type.
type Field struct {
	Name Name
	Type Type
}

// FieldIndex returns the index of the field with the given key, or -1.
func (r *RecordType) FieldIndex(key string) int {
	for i, f := range r.Fields {
		if f.Name.Key == key {
			return i
		}
	}
	return -1
}

// ListOf returns the type of a list of values of type t.
func ListOf(t Type) Type { return Type{Kind: KindList, Elem: t.Kind} }

// ElemType returns the type of a list's items.
func (t Type) ElemType() Type {
	if t.Rec != nil {
		return Type{Kind: KindRecord, Rec: t.Rec}
	}
	return Type{Kind: t.Elem}
}

// Types of the built-in kinds.
var (
	Invalid = Type{Kind: KindInvalid}
	Money   = Type{Kind: KindMoney}
	Num     = Type{Kind: KindNumber}
	Ratio   = Type{Kind: KindRatio}
	Bool    = Type{Kind: KindBool}
	Text    = Type{Kind: KindText}
	DateT   = Type{Kind: KindDate}
	Shares  = Type{Kind: KindShares}
)

// String names t in Chinese.
func (t Type) String() string {
	if t.Kind == KindList && t.Rec == nil && t.Elem != KindInvalid {
		return kindNamesOf(t.Elem)[0] + "列表"
	}
	return kindNamesOf(t.Kind)[0]
}

// English names t in English.
func (t Type) English() string {
	if t.Kind == KindList && t.Rec == nil && t.Elem != KindInvalid {
		return "list of " + kindNamesOf(t.Elem)[1]
	}
	return kindNamesOf(t.Kind)[1]
}

// kindNamesOf returns the Chinese and English names of k; a Go program can
// make a Kind that is none of the kinds, which is named 无效 / invalid.
func kindNamesOf(k Kind) [2]string {
	if int(k) >= len(kindNames) {
		k = KindInvalid
	}
	return kindNames[k]
}

// IsNumeric reports whether t is 金额, 数值 or 比例.
func (t Type) IsNumeric() bool {
	return t.Kind == KindMoney || t.Kind == KindNumber || t.Kind == KindRatio
}

// fits reports whether a value of type got may stand where want is
// expected: the same type, or both numeric (金额, 数值 and 比例 mix). An
// Invalid type fits anything, so that one mistake is reported once.
func fits(got, want Type) bool {
	return got == Invalid || want == Invalid || got == want || (got.IsNumeric() && want.IsNumeric())
}

// typeByKeyword maps the canonical type keywords to types.
var typeByKeyword = map[string]Type{
	"金额": Money, "数值": Num, "比例": Ratio, "是否": Bool, "文本": Text, "日期": DateT, "台账": Ledger,
}

// Ledger is the type of a 台账: what an enterprise has been paid before,
// one item per payment: the year, the rule or clause (事项: a rule's name
// or one of its 依据), the amount.
var Ledger = Type{Kind: KindList, Rec: LedgerRecord}

// LedgerRecord is the record type of a 台账's items.
var LedgerRecord = &RecordType{Fields: []Field{
	{Name: Name{Text: "年度", Key: "年度"}, Type: Num},
	{Name: Name{Text: "事项", Key: "事项"}, Type: Text},
	{Name: Name{Text: "兑现额", Key: "兑现额"}, Type: Money},
}}

// The fields of a 台账's items, by index.
const (
	LedgerYear = iota
	LedgerMatter
	LedgerAmount
)

// numericResult is the kind of a+b, a-b, a*b or a/b for numeric a, b:
// money stays money (金额×比例 is 金额), money/money is a ratio (研发投入 /
// 主营业务收入 is a 比例), and ratios combine to ratios.
func numericResult(op BinOp, a, b Type) Type {
	switch op {
	case OpDiv:
		if a == Money && b == Money {
			return Ratio
		}
		if a == Money {
			return Money
		}
		if a == Ratio && b == Ratio {
			return Ratio
		}
		return Num
	case OpCap, OpFloor:
		return a
	}
	switch {
	case a == Money || b == Money:
		return Money
	case a == Num || b == Num:
		return Num
	}
	return Ratio
}
