package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testBuiltins stands in for stdlib (which imports this package).
var testBuiltins = []Builtin{
	{Names: []string{"min", "最小"}, MinArgs: 1, MaxArgs: -1, Result: func(ts []Type) (Type, *ArgError) {
		for i, t := range ts {
			if !t.IsNumeric() {
				return Invalid, &ArgError{Arg: i, Zh: "应为数值", En: "must be a number"}
			}
		}
		return ts[0], nil
	}},
	{Names: []string{"round", "四舍五入"}, MinArgs: 1, MaxArgs: 2, Result: func(ts []Type) (Type, *ArgError) { return ts[0], nil }},
}

func compile(src string) (*Program, error) {
	f, err := Parse("t.zc", []byte(src), BuiltinNames(testBuiltins))
	if err != nil {
		return nil, err
	}
	return Check(f, testBuiltins)
}

func TestErrorsHavePositionAndMessage(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		line, col int
		zh, en    string
	}{
		{"syntax: missing else", "x = 如果 1 > 0 那么 1", 1, 18, "应为“否则”", `expected "else"`},
		{"syntax: unclosed paren", "x = (1 + 2", 1, 11, "应为“）”", `expected ")"`},
		{"syntax: rule without end", "规则 甲\n  x = 1\n", 2, 8, "应为“结束”", `expected "end"`},
		{"syntax: missing operand", "x = 1 +", 1, 8, "应为表达式", "expected an expression"},
		{"unknown name with suggestion", "输入 研发投入：金额\nx = 研发投人 * 2", 2, 5, "未定义的名称“研发投人”；是否想写“研发投入”", `undefined name "研发投人"; did you mean "研发投入"`},
		// a declared name with a character too many, before or after: one
		// unknown name, not the declared one beside a stray character
		{"declared name and an extra character", "输入 投入：金额\nx = 投入甲 * 2", 2, 5, "未定义的名称“投入甲”；是否想写“投入”", `undefined name "投入甲"; did you mean "投入"`},
		{"an extra character and a declared name", "输入 投入：金额\nx = 新投入 * 2", 2, 5, "未定义的名称“新投入”；是否想写“投入”", `undefined name "新投入"; did you mean "投入"`},
		{"unknown name, Traditional spelling of a typo", "输入 研发投入：金额\nx = 研發投人 * 2", 2, 5, "是否想写“研发投入”", "did you mean"},
		{"unknown name without suggestion", "x = 营业收入", 1, 5, "未定义的名称“营业收入”", "undefined name"},
		{"unknown function", "x = mni(1, 2)", 1, 5, "未知的函数“mni”；是否想写“min”", `unknown function "mni"; did you mean "min"`},
		{"wrong argument count", "x = 四舍五入(1, 2, 3)", 1, 5, "需要 1 到 2 个参数，这里给了 3 个", "takes 1 to 2 arguments, got 3"},
		{"bad argument type", "x = min(1, 是)", 1, 12, "函数“min”：应为数值", "must be a number"},
		{"adding 是否 to 金额", "输入 a：金额\n输入 b：是否\nx = a + b", 3, 5, "无法将金额与是否相加", "cannot add money and bool"},
		{"comparing text with a number", "x = \"甲\" 超过 5", 1, 5, "无法用“超过”比较文本与数值", `cannot compare text with number using "超过"`},
		{"condition is not 是否", "输入 a：金额\n规则 甲\n 条件 a\n 补助 = 1\n结束", 3, 5, "条件应为是否", "must be true or false"},
		{"branches differ", "x = 如果 是 那么 1 否则 \"无\"", 1, 18, "两个分支的类型不同：数值 与 文本", "branches differ in type: number and text"},
		{"duplicate definition", "x = 1\nx = 2", 2, 1, "名称“x”重复定义，首次定义在 t.zc:1:1", "defined twice"},
		{"Traditional and Simplified are one name", "補助 = 1\n补助 = 2", 2, 1, "重复定义", "defined twice"},
		{"circular definition", "a = b + 1\nb = a + 1", 1, 1, "定义循环引用：a → b → a", "circular definition: a → b → a"},
		{"parameter uses an input", "输入 a：金额\n参数 p = a * 2", 2, 8, "参数只能由常数和参数算出", "only constants and parameters"},
		{"shadowing a built-in", "min = 1", 1, 1, "是内置函数的名称", "built-in function"},
		{"function used without call", "x = min + 1", 1, 5, "是函数，调用时要加括号", "call it with parentheses"},
		{"rule without output", "规则 甲\n 条件 是\n结束", 1, 4, "没有输出", "has no output"},
		{"rule output outside its rule", "规则 甲\n 补助 = 1\n结束\nx = 补助", 4, 5, "未定义的名称“补助”", "undefined name"},
		{"nonexistent date", "x = 2025年2月30日", 1, 5, "日期“2025年2月30日”不存在", "no such date"},
		{"exception gives the wrong type", "输入 a：是否\n规则 甲\n  门槛 = 100万元\n  其中 a：门槛 = \"高\"\n  补助 = 门槛\n结束", 4, 13, "“门槛”是金额，这里给了文本", `"门槛" is money, but this gives text`},
		{"table categories of two types", "输入 k：文本\nx = 按 k 取 { \"一等奖\"：1，5万元：3 }", 2, 21, "类别的类型应为文本，这里是金额", "categories must be text, not money"},
		{"test data of the wrong type", "输入 a：金额\n规则 甲\n  补助 = a\n结束\n测试 \"t\"\n  数据 a = \"多\"\n  期望 甲.补助 = 1\n结束", 6, 10, "“a”是金额，这里给了文本", `"a" is money, but the test gives text`},
		{"test expects the wrong type", "输入 a：金额\n规则 甲\n  补助 = a\n结束\n测试 \"t\"\n  数据 a = 1\n  期望 甲.补助 = 是\n结束", 7, 13, "是金额，这里给了是否", "but the test gives bool"},
		{"money, number and ratio mix in test data", "输入 a：金额\n规则 甲\n  补助 = a\n结束\n测试 \"t\"\n  数据 a = 50%\n  期望 甲.补助 = 是\n结束", 7, 13, "是金额，这里给了是否", "but the test gives bool"},
		{"keyword as a name", "规则 甲\n  比例 = 20%\n  补助 = 1\n结束", 2, 3, "“比例”是关键字，不能用作名称", "is a keyword and cannot be a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compile(tt.src)
			list, ok := err.(ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			e := list[0]
			got := []any{e.Pos.Line, e.Pos.Col, strings.Contains(e.Zh, tt.zh), strings.Contains(e.En, tt.en)}
			want := []any{tt.line, tt.col, true, true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error %s: %q / %q\n(-want +got):\n%s", e.Pos, e.Zh, e.En, diff)
			}
		})
	}
}

func TestFormatErrorsPlacesCaretByDisplayWidth(t *testing.T) {
	src := "输入 研发投入：金额\n补助 = 研发投人 * 10%"
	_, err := compile(src)
	got := FormatErrors(err, []byte(src), Chinese)
	// 补助 is two Han characters (four columns), then " = " (three).
	want := "t.zc:2:6: 未定义的名称“研发投人”；是否想写“研发投入”？\n" +
		"  补助 = 研发投人 * 10%\n" +
		"         ^"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FormatErrors (-want +got):\n%s", diff)
	}
	gotEn := FormatErrors(err, []byte(src), English)
	if !strings.HasPrefix(gotEn, "t.zc:2:6: undefined name \"研发投人\"; did you mean \"研发投入\"?\n") {
		t.Errorf("English message: %q", gotEn)
	}
}

func TestUnusedInputIsAWarning(t *testing.T) {
	prog, err := compile("输入 a：金额\n输入 b：金额\nx = a")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range prog.Warnings {
		got = append(got, w.Pos.String()+" "+w.Zh)
	}
	want := []string{"t.zc:2:4 输入“b”没有被使用"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	if prog.Warnings.Err() != nil {
		t.Errorf("warnings alone must not be an error")
	}
}

func TestDefinitionsAreOrderedByDependency(t *testing.T) {
	prog, err := compile("c = b * 2\nb = a + 1\na = 1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range prog.Defs {
		got = append(got, d.Name.Text)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestTypes(t *testing.T) {
	tests := []struct {
		expr string
		want Type
	}{
		{"200万元", Money}, {"200万", Num}, {"10%", Ratio}, {"5‰", Ratio}, {"2倍", Num},
		{"200万元 * 10%", Money}, {"200万元 / 100万元", Ratio}, {"200万元 / 2", Money},
		{"10% * 10%", Ratio}, {"1 + 10%", Num}, {"200万元 最高 100", Money},
		{"1 > 0", Bool}, {"\"甲\"", Text}, {"2025-01-01", DateT}, {"5∶2", Shares},
		{"如果 是 那么 1元 否则 0", Money},
	}
	for _, tt := range tests {
		f, e, err := ParseExpr("t", []byte(tt.expr), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		prog, err := CheckExpr(f, e, nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if got := prog.Types[e]; got != tt.want {
			t.Errorf("type of %s = %s, want %s", tt.expr, got, tt.want)
		}
	}
}
