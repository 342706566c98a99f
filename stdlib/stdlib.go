// Package stdlib holds the built-in functions of the language, each with its
// Chinese and English names, its type rule for the checker and its exact
// implementation.
package stdlib

import (
	"errors"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// Function is a built-in function: what the checker needs and what the
// interpreter runs.
type Function struct {
	lang.Builtin
	Call interp.Func
	// SkipsNA marks the aggregates: 不适用 arguments are left out (the
	// result is 不适用 only when every argument is). Other functions give
	// 不适用 when any argument is.
	SkipsNA bool
	// Fold lets the interpreter compute the aggregate itself (see
	// interp.Fold); Call must agree with it.
	Fold interp.Fold
	// Picks: the result is one of the arguments (see interp.Builtin).
	Picks bool
	// Doc describes the function in Chinese, with an example.
	Doc string
}

// Functions returns the built-in functions. The slice is new on every call.
func Functions() []Function {
	return []Function{
		{
			Builtin: lang.Builtin{Names: []string{"min", "最小", "最小值", "孰低"}, MinArgs: 1, MaxArgs: -1, Result: listOr(numericArgs)},
			Call:    skipNA(minMax(-1), stillNA),
			SkipsNA: true,
			Picks:   true,
			Doc:     "最小值：min(增量 * 10%, 200万) 取两者中较小的一个。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"max", "最大", "最大值", "孰高"}, MinArgs: 1, MaxArgs: -1, Result: listOr(numericArgs)},
			Call:    skipNA(minMax(1), stillNA),
			SkipsNA: true,
			Picks:   true,
			Doc:     "最大值：max(a, b, c)。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"round", "四舍五入"}, MinArgs: 1, MaxArgs: 2, Result: roundArgs},
			Call:    rounding(func(d decimal.Decimal, p int32) decimal.Decimal { return d.Round(p) }),
			Doc:     "四舍五入(x, 位数)：逢五进位、远离零，2.5 → 3，−2.5 → −3；位数缺省为 0，可为负（-4 即到万位）。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"floor", "向下取整"}, MinArgs: 1, MaxArgs: 2, Result: roundArgs},
			Call:    rounding(func(d decimal.Decimal, p int32) decimal.Decimal { return d.RoundFloor(p) }),
			Doc:     "向下取整(x, 位数)：取不大于 x 的数，2.7 → 2，−2.1 → −3。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"ceil", "向上取整"}, MinArgs: 1, MaxArgs: 2, Result: roundArgs},
			Call:    rounding(func(d decimal.Decimal, p int32) decimal.Decimal { return d.RoundCeil(p) }),
			Doc:     "向上取整(x, 位数)：取不小于 x 的数，2.1 → 3，−2.7 → −2。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"abs", "绝对值"}, MinArgs: 1, MaxArgs: 1, Result: numericArgs},
			Call: func(args []interp.Value) (interp.Value, error) {
				return withDecimal(args[0], args[0].Decimal().Abs()), nil
			},
			Doc: "绝对值(x)。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"sum", "合计", "求和"}, MinArgs: 1, MaxArgs: -1, Result: listOr(numericArgs)},
			SkipsNA: true,
			Fold:    interp.FoldSum,
			Call: skipNA(func(args []interp.Value) (interp.Value, error) {
				// the interpreter gives the sum the call's type (widestType)
				total := interp.Int(0)
				for _, a := range args {
					total = total.Add(a)
				}
				return total, nil
			}, zero),
			Doc: "合计(a, b, …)：各项之和；不适用的项不计入，没有可计的项时为 0。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"count", "计数"}, MinArgs: 1, MaxArgs: -1, Result: countArgs},
			SkipsNA: true,
			Fold:    interp.FoldCount,
			Call: skipNA(func(args []interp.Value) (interp.Value, error) {
				n := int64(0)
				for _, a := range args {
					if a.Kind() != lang.KindBool || a.Truth() {
						n++ // a true condition, or an item of a list
					}
				}
				return interp.Int(n), nil
			}, zero),
			Doc: "计数(条件1, 条件2, …)：成立的条件个数；计数(列表) 是列表的项数。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"any", "任一"}, MinArgs: 1, MaxArgs: -1, Result: listOr(boolArgs(lang.Bool))},
			SkipsNA: true,
			Fold:    interp.FoldAny,
			Call: skipNA(func(args []interp.Value) (interp.Value, error) {
				for _, a := range args {
					if a.Truth() {
						return interp.Bool(true), nil
					}
				}
				return interp.Bool(false), nil
			}, stillNA),
			Doc: "任一(条件1, 条件2, …)：至少一个成立。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"all", "全部"}, MinArgs: 1, MaxArgs: -1, Result: listOr(boolArgs(lang.Bool))},
			SkipsNA: true,
			Fold:    interp.FoldAll,
			Call: skipNA(func(args []interp.Value) (interp.Value, error) {
				for _, a := range args {
					if !a.Truth() {
						return interp.Bool(false), nil
					}
				}
				return interp.Bool(true), nil
			}, stillNA),
			Doc: "全部(条件1, 条件2, …)：全部成立。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"pow", "乘方"}, MinArgs: 2, MaxArgs: 2, Result: roundArgs},
			Call:    power,
			Doc:     "乘方(x, n)：x 的 n 次方，n 为 0 到 100 的整数，结果精确。“三年年均增长30%”即 第三年 ≥ 基期 × 乘方(1 + 30%, 3)。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"addyears", "加年"}, MinArgs: 2, MaxArgs: 2, Result: addYearsArgs},
			Call:    addYears,
			Doc:     "加年(日期, n)：n 年之后的同月同日；2月29日加到平年为2月28日。“满1年”即 评估日期 >= 加年(起始日期, 1)。",
		},
		{
			Builtin: lang.Builtin{Names: []string{"share", "分摊"}, MinArgs: 3, MaxArgs: 3, Result: shareArgs},
			Call:    share,
			Doc:     "分摊(总额, 5∶2, 第几方)：按比例把总额分给各方，精确到分，各方之和恰等于总额（余下的分按尾数从大到小补足）。",
		},
	}
}

// Builtins returns the checker's view of the functions.
func Builtins(fs []Function) []lang.Builtin {
	out := make([]lang.Builtin, len(fs))
	for i, f := range fs {
		out[i] = f.Builtin
	}
	return out
}

// Funcs returns the implementations of the functions, index for index.
func Funcs(fs []Function) []interp.Builtin {
	out := make([]interp.Builtin, len(fs))
	for i, f := range fs {
		out[i] = interp.Builtin{Call: f.Call, SkipsNA: f.SkipsNA, Fold: f.Fold, Picks: f.Picks}
	}
	return out
}

// skipNA wraps an aggregate so that it sees the items of list arguments
// in their place, and only the values that are not 不适用; when none is
// left, the result is none(args).
func skipNA(f interp.Func, none func(args []interp.Value) interp.Value) interp.Func {
	// plain reports whether vs holds no list and no 不适用: then they are
	// passed on as they are, without a copy
	plain := func(vs []interp.Value) bool {
		for _, v := range vs {
			if v.IsNA() || v.Kind() == lang.KindList {
				return false
			}
		}
		return len(vs) > 0
	}
	return func(args []interp.Value) (interp.Value, error) {
		if plain(args) {
			return f(args)
		}
		if len(args) == 1 && args[0].Kind() == lang.KindList && plain(args[0].Items()) {
			return f(args[0].Items())
		}
		kept := make([]interp.Value, 0, len(args))
		for _, a := range args {
			items := []interp.Value{a}
			if a.Kind() == lang.KindList {
				items = a.Items()
			}
			for _, it := range items {
				if !it.IsNA() {
					kept = append(kept, it)
				}
			}
		}
		if len(kept) == 0 {
			if len(args) == 1 && args[0].Kind() == lang.KindList {
				return none([]interp.Value{interp.NA("列表中没有可计的项")}), nil
			}
			return none(args), nil
		}
		return f(kept)
	}
}

// listOr lets an aggregate take lists: a list counts as its items' type.
func listOr(check func([]lang.Type) (lang.Type, *lang.ArgError)) func([]lang.Type) (lang.Type, *lang.ArgError) {
	return func(args []lang.Type) (lang.Type, *lang.ArgError) {
		flat := make([]lang.Type, len(args))
		for i, t := range args {
			if t.Kind == lang.KindList {
				if t.Rec != nil {
					return lang.Invalid, &lang.ArgError{Arg: i, Zh: "记录的列表不能直接求和或比较；请用“对每个”取出其中的值", En: "a list of records cannot be summed or compared; take its values with 对每个"}
				}
				t = t.ElemType()
			}
			flat[i] = t
		}
		return check(flat)
	}
}

// countArgs: conditions, or lists of anything.
func countArgs(args []lang.Type) (lang.Type, *lang.ArgError) {
	for i, t := range args {
		if t != lang.Bool && t.Kind != lang.KindList {
			return lang.Invalid, &lang.ArgError{Arg: i, Zh: "第 " + itoa(i+1) + " 个参数应为是否（真/假）或列表，这里是" + t.String(), En: "argument " + itoa(i+1) + " must be true or false, or a list, not " + t.English()}
		}
	}
	return lang.Num, nil
}

// stillNA: 最大, 最小, 任一 and 全部 of nothing applicable are 不适用.
func stillNA(args []interp.Value) interp.Value { return args[0] }

// zero: 合计 and 计数 of nothing applicable are 0.
func zero([]interp.Value) interp.Value { return interp.Int(0) }

func numericArgs(args []lang.Type) (lang.Type, *lang.ArgError) {
	for i, t := range args {
		if !t.IsNumeric() {
			return lang.Invalid, &lang.ArgError{Arg: i, Zh: "第 " + itoa(i+1) + " 个参数应为数值，这里是" + t.String(), En: "argument " + itoa(i+1) + " must be a number, not " + t.English()}
		}
	}
	return widestType(args), nil
}

func roundArgs(args []lang.Type) (lang.Type, *lang.ArgError) {
	if _, err := numericArgs(args); err != nil {
		return lang.Invalid, err
	}
	return args[0], nil
}

func boolArgs(result lang.Type) func([]lang.Type) (lang.Type, *lang.ArgError) {
	return func(args []lang.Type) (lang.Type, *lang.ArgError) {
		for i, t := range args {
			if t != lang.Bool {
				return lang.Invalid, &lang.ArgError{Arg: i, Zh: "第 " + itoa(i+1) + " 个参数应为是否（真/假），这里是" + t.String(), En: "argument " + itoa(i+1) + " must be true or false, not " + t.English()}
			}
		}
		return result, nil
	}
}

func shareArgs(args []lang.Type) (lang.Type, *lang.ArgError) {
	switch {
	case !args[0].IsNumeric():
		return lang.Invalid, &lang.ArgError{Arg: 0, Zh: "第 1 个参数应为金额", En: "argument 1 must be an amount"}
	case args[1] != lang.Shares:
		return lang.Invalid, &lang.ArgError{Arg: 1, Zh: "第 2 个参数应为比例，如 5∶2", En: "argument 2 must be a ratio such as 5:2"}
	case !args[2].IsNumeric():
		return lang.Invalid, &lang.ArgError{Arg: 2, Zh: "第 3 个参数应为第几方（1、2…）", En: "argument 3 must be which party (1, 2, …)"}
	}
	return args[0], nil
}

func addYearsArgs(args []lang.Type) (lang.Type, *lang.ArgError) {
	if args[0] != lang.DateT {
		return lang.Invalid, &lang.ArgError{Arg: 0, Zh: "第 1 个参数应为日期", En: "argument 1 must be a date"}
	}
	if !args[1].IsNumeric() {
		return lang.Invalid, &lang.ArgError{Arg: 1, Zh: "第 2 个参数应为年数", En: "argument 2 must be a number of years"}
	}
	return lang.DateT, nil
}

// wholeNumber reads an integer argument within [lo, hi].
func wholeNumber(v interp.Value, lo, hi int64) (int64, bool) {
	d := v.Decimal()
	if !d.IsInteger() || d.LessThan(decimal.NewFromInt(lo)) || d.GreaterThan(decimal.NewFromInt(hi)) {
		return 0, false
	}
	return d.IntPart(), true
}

func power(args []interp.Value) (interp.Value, error) {
	n, ok := wholeNumber(args[1], 0, 100)
	if !ok {
		return interp.Value{}, errors.New("指数应为 0 到 100 之间的整数")
	}
	result := decimal.NewFromInt(1)
	for i := int64(0); i < n; i++ {
		result = result.Mul(args[0].Decimal())
	}
	return withDecimal(args[0], result), nil
}

func addYears(args []interp.Value) (interp.Value, error) {
	n, ok := wholeNumber(args[1], -1000, 1000)
	if !ok {
		return interp.Value{}, errors.New("年数应为 -1000 到 1000 之间的整数")
	}
	d := args[0].Date()
	d.Year += int(n)
	if d.Month == 2 && d.Day == 29 && !(d.Year%4 == 0 && (d.Year%100 != 0 || d.Year%400 == 0)) {
		d.Day = 28
	}
	return interp.DateValue(d), nil
}

// widestType is the type of a result that mixes these numeric types.
func widestType(ts []lang.Type) lang.Type {
	best := lang.Ratio
	for _, t := range ts {
		switch {
		case t == lang.Money:
			return lang.Money
		case t == lang.Num:
			best = lang.Num
		}
	}
	return best
}

// withDecimal returns a value of v's type holding d.
func withDecimal(v interp.Value, d decimal.Decimal) interp.Value {
	switch v.Kind() {
	case lang.KindMoney:
		return interp.Money(d)
	case lang.KindRatio:
		return interp.Ratio(d)
	}
	return interp.Number(d)
}

func minMax(sign int) interp.Func {
	return func(args []interp.Value) (interp.Value, error) {
		best := args[0]
		for _, a := range args[1:] {
			if a.Cmp(best) == sign {
				best = a
			}
		}
		// the interpreter gives the result the call's type (金额 when any argument is)
		return best, nil
	}
}

var errPlaces = errors.New("位数应为 -20 到 20 之间的整数")

func rounding(round func(decimal.Decimal, int32) decimal.Decimal) interp.Func {
	return func(args []interp.Value) (interp.Value, error) {
		places := int32(0)
		if len(args) == 2 {
			p := args[1].Decimal()
			if !p.IsInteger() || p.Abs().GreaterThan(decimal.NewFromInt(20)) {
				return interp.Value{}, errPlaces
			}
			places = int32(p.IntPart())
		}
		return withDecimal(args[0], round(args[0].Decimal(), places)), nil
	}
}

// share splits total in the given proportions, to the fen, so that the
// shares add up to the total exactly: each party first gets its share
// rounded down to the fen, and the fen left over go one each to the parties
// whose shares were cut the most (the earlier party first on a tie).
func share(args []interp.Value) (interp.Value, error) {
	total, parts, which := args[0].Decimal(), args[1].Parts(), args[2].Decimal()
	if !which.IsInteger() || which.LessThan(decimal.NewFromInt(1)) || which.GreaterThan(decimal.NewFromInt(int64(len(parts)))) {
		return interp.Value{}, errors.New("第几方应为 1 到 " + itoa(len(parts)) + " 之间的整数")
	}
	shares := interp.Split(total, parts)
	return withDecimal(args[0], shares[which.IntPart()-1]), nil
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }
