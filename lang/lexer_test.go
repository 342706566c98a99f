package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// words lexes src and returns each token as Kind:Canon, without the final
// EOL and EOF.
func words(t *testing.T, src string, names ...string) []string {
	t.Helper()
	toks, err := Lex("t.zc", []byte(src), names)
	if err != nil {
		t.Fatalf("Lex(%q): %v", src, err)
	}
	var out []string
	for _, tok := range toks {
		if tok.Kind == TokEOF {
			break
		}
		out = append(out, tok.Kind.String()+":"+tok.Canon)
	}
	if n := len(out); n > 0 && out[n-1] == "EOL:\n" {
		out = out[:n-1]
	}
	return out
}

func TestLexSegmentsHanRuns(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "declared name, keyword and amount without spaces",
			src:  "输入 研发投入：金额\n条件 研发投入超过500万元",
			want: []string{"Keyword:输入", "Ident:研发投入", "Punct::", "Keyword:金额", "EOL:\n",
				"Keyword:条件", "Ident:研发投入", "Keyword:>", "Number:500万元"},
		},
		{
			name: "的 before a number multiplies",
			src:  "输入 增量：金额\nx = 增量的10%最高200万元",
			want: []string{"Keyword:输入", "Ident:增量", "Punct::", "Keyword:金额", "EOL:\n",
				"Ident:x", "Punct:=", "Ident:增量", "Keyword:*", "Number:10%", "Keyword:最高", "Number:200万元"},
		},
		{
			name: "的 inside a name is part of the name",
			src:  "输入 企业的收入：金额\nx = 企业的收入",
			want: []string{"Keyword:输入", "Ident:企业的收入", "Punct::", "Keyword:金额", "EOL:\n",
				"Ident:x", "Punct:=", "Ident:企业的收入"},
		},
		{
			name: "a declared name that contains keywords wins over splitting",
			src:  "输入 是否高新技术企业：是否\n输入 在职人数：数值\nx = 是否高新技术企业且在职人数不少于50",
			want: []string{"Keyword:输入", "Ident:是否高新技术企业", "Punct::", "Keyword:是否", "EOL:\n",
				"Keyword:输入", "Ident:在职人数", "Punct::", "Keyword:数值", "EOL:\n",
				"Ident:x", "Punct:=", "Ident:是否高新技术企业", "Keyword:且", "Ident:在职人数", "Keyword:>=", "Number:50"},
		},
		{
			name: "postfix 以上 after an amount",
			src:  "输入 营收：金额\nx = 营收2000万元以上",
			want: []string{"Keyword:输入", "Ident:营收", "Punct::", "Keyword:金额", "EOL:\n",
				"Ident:x", "Punct:=", "Ident:营收", "Number:2000万元", "Keyword:以上"},
		},
		{
			name: "an undeclared name stays one word, for the checker to report",
			src:  "x = 研发投人超过5",
			want: []string{"Ident:x", "Punct:=", "Ident:研发投人", "Keyword:>", "Number:5"},
		},
		{
			name: "a name with digits wins over name + number",
			src:  "输入 研发投入：金额\n输入 研发投入2024：金额\nx = 研发投入2024超过研发投入",
			want: []string{"Keyword:输入", "Ident:研发投入", "Punct::", "Keyword:金额", "EOL:\n",
				"Keyword:输入", "Ident:研发投入2024", "Punct::", "Keyword:金额", "EOL:\n",
				"Ident:x", "Punct:=", "Ident:研发投入2024", "Keyword:>", "Ident:研发投入"},
		},
		{
			name: "ASCII words are not split",
			src:  "rd_spend = brand and x2",
			want: []string{"Ident:rd_spend", "Punct:=", "Ident:brand", "Keyword:且", "Ident:x2"},
		},
		{
			name: "built-in names split like declared ones",
			src:  "x = 四舍五入(1.25, 1)",
			want: []string{"Ident:x", "Punct:=", "Ident:四舍五入", "Punct:(", "Number:1.25", "Punct:,", "Number:1", "Punct:)"},
		},
		{
			name: "comments",
			src:  "x = 1 # 注释：超过\ny = 2 // 注释",
			want: []string{"Ident:x", "Punct:=", "Number:1", "EOL:\n", "Ident:y", "Punct:=", "Number:2"},
		},
		{
			name: "strings in three kinds of quotes keep their text",
			src:  `依据 "甲" “乙 超过” 「丙」`,
			want: []string{"Keyword:依据", "String:甲", "String:乙 超过", "String:丙"},
		},
		{
			name: "dates and ratios",
			src:  "x = 2025年6月15日 + 2025-06-15 + 5∶2 + 3:2:1",
			want: []string{"Ident:x", "Punct:=", "Date:2025年6月15日", "Punct:+", "Date:2025-06-15",
				"Punct:+", "Ratio:5:2", "Punct:+", "Ratio:3:2:1"},
		},
		{
			name: "subtraction is not a date",
			src:  "x = 2025 - 06 - 15",
			want: []string{"Ident:x", "Punct:=", "Number:2025", "Punct:-", "Number:06", "Punct:-", "Number:15"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, words(t, tt.src, "四舍五入")); diff != "" {
				t.Errorf("tokens (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLexFullWidthForms(t *testing.T) {
	half := words(t, "x = (12 + 3.5) * 4 / 2 - 1 >= 10% , a <= b ; c != d : e < f > g = h")
	full := words(t, "x ＝ （１２ ＋ ３．５） ＊ ４ ／ ２ － １ ＞＝ １０％ ， a ＜＝ b ； c ！＝ d ： e ＜ f ＞ g ＝ h")
	if diff := cmp.Diff(half, full); diff != "" {
		t.Errorf("full-width differs from ASCII (-ascii +full):\n%s", diff)
	}
	signs := words(t, "x = 6 × 2 ÷ 3 ≥ 1 且 a ≤ b 且 c ≠ d")
	ascii := words(t, "x = 6 * 2 / 3 >= 1 且 a <= b 且 c != d")
	if diff := cmp.Diff(ascii, signs); diff != "" {
		t.Errorf("× ÷ ≥ ≤ ≠ differ from ASCII (-ascii +signs):\n%s", diff)
	}
}

func TestLexKeywordSpellings(t *testing.T) {
	// Every spelling, Simplified, Traditional and English, maps to its canonical form.
	tests := map[string]string{
		"不低于": ">=", "不少于": ">=", "不小于": ">=", "达到": ">=", "達到": ">=",
		"超过": ">", "超過": ">", "高于": ">", "高於": ">", "大于": ">", "多于": ">",
		"不超过": "<=", "不超過": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=",
		"低于": "<", "小于": "<", "少于": "<", "不足": "<", "不满": "<", "不滿": "<", "未满": "<", "未达到": "<", "未達到": "<",
		"等于": "==", "不等于": "!=",
		"以上": "以上", "以下": "以下", "以内": "以下", "以內": "以下",
		"且": "且", "并且": "且", "並且": "且", "而且": "且", "and": "且",
		"或": "或", "或者": "或", "or": "或",
		"非": "非", "不是": "非", "not": "非",
		"是": "真", "真": "真", "true": "真", "否": "假", "假": "假", "false": "假",
		"如果": "如果", "if": "如果", "那么": "那么", "那麼": "那么", "then": "那么", "否则": "否则", "否則": "否则", "else": "否则",
		"最高": "最高", "最多": "最高", "最低": "最低", "最少": "最低",
		"规则": "规则", "規則": "规则", "rule": "规则", "输入": "输入", "輸入": "输入", "input": "输入",
		"参数": "参数", "參數": "参数", "结束": "结束", "結束": "结束", "end": "结束",
		"金额": "金额", "金額": "金额", "数值": "数值", "數值": "数值",
	}
	for word, want := range tests {
		got := words(t, "x "+word+" y")
		if len(got) != 3 || got[1] != "Keyword:"+want {
			t.Errorf("%q: got %v, want keyword %q", word, got, want)
		}
	}
}

func TestLexTraditionalNamesFold(t *testing.T) {
	toks, err := Lex("t.zc", []byte("輸入 研發投入：金額\n補助 = 研发投入"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var idents [][2]string
	for _, tok := range toks {
		if tok.Kind == TokIdent {
			idents = append(idents, [2]string{tok.Text, tok.Canon})
		}
	}
	want := [][2]string{{"研發投入", "研发投入"}, {"補助", "补助"}, {"研发投入", "研发投入"}}
	if diff := cmp.Diff(want, idents); diff != "" {
		t.Errorf("identifiers (-want +got):\n%s", diff)
	}
}

func TestLexReportsAmbiguity(t *testing.T) {
	// 研发投入超过5 reads as 研发投入 / 超过 / 5 or as 研发 / 投入超过 / 5:
	// both use three words, so Lex must not guess.
	src := "输入 研发投入：金额\n输入 研发：金额\n输入 投入超过：金额\nx = 研发投入超过5"
	_, err := Lex("t.zc", []byte(src), nil)
	if err == nil {
		t.Fatal("Lex accepted an ambiguous run")
	}
	list := err.(ErrorList)
	e := list[0]
	if e.Pos.Line != 4 || e.Pos.Col != 5 {
		t.Errorf("position %v, want 4:5", e.Pos)
	}
	for _, want := range []string{"两种读法", "研发 投入超过 5", "研发投入 超过 5", "空格"} {
		if !strings.Contains(e.Zh, want) {
			t.Errorf("message %q lacks %q", e.Zh, want)
		}
	}
	// With a space the drafter says which reading is meant.
	if _, err := Lex("t.zc", []byte(strings.Replace(src, "x = 研发投入超过5", "x = 研发投入 超过5", 1)), nil); err != nil {
		t.Errorf("spaced form still rejected: %v", err)
	}
}

func TestLexLineJoining(t *testing.T) {
	got := words(t, "x = 如果 a\n  那么 1\n  否则 2\ny = (1 +\n 2)\n\n\nz = 3")
	want := []string{"Ident:x", "Punct:=", "Keyword:如果", "Ident:a", "Keyword:那么", "Number:1", "Keyword:否则", "Number:2", "EOL:\n",
		"Ident:y", "Punct:=", "Punct:(", "Number:1", "Punct:+", "Number:2", "Punct:)", "EOL:\n",
		"Ident:z", "Punct:=", "Number:3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
}

func TestLexErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		zh, en    string
	}{
		{"x = \"abc", 1, 5, "缺少结尾的引号", "missing its closing quote"},
		{"x = 1 @ 2", 1, 7, "无法识别的字符 “@”", "unexpected character '@'"},
		{"x = 1\ny = “补助", 2, 5, "缺少结尾的引号 ”", "closing quote"},
		{"x = 1\n\xff", 2, 1, "不是有效的 UTF-8", "not valid UTF-8"},
	}
	for _, tt := range tests {
		_, err := Lex("t.zc", []byte(tt.src), nil)
		list, ok := err.(ErrorList)
		if !ok || len(list) == 0 {
			t.Errorf("Lex(%q) = %v, want an error", tt.src, err)
			continue
		}
		e := list[0]
		if e.Pos.Line != tt.line || e.Pos.Col != tt.col || !strings.Contains(e.Zh, tt.zh) || !strings.Contains(e.En, tt.en) {
			t.Errorf("Lex(%q): %d:%d %q / %q; want %d:%d containing %q / %q", tt.src, e.Pos.Line, e.Pos.Col, e.Zh, e.En, tt.line, tt.col, tt.zh, tt.en)
		}
	}
}
