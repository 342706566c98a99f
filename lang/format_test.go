package lang

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"indent blocks and continued lines",
			"规则 补助\n条件 规上\n且 占比 > 3%\n      补助 = 投入 * 10%\n 结束\n",
			"规则 补助\n  条件 规上\n    且 占比 > 3%\n  补助 = 投入 * 10%\n结束\n"},
		{"one space between words, full-width punctuation",
			"参数   上限=200万元\n输入 甲:金额,乙:是否\nx = 最大(1,2)\n",
			"参数 上限=200万元\n输入 甲：金额，乙：是否\nx = 最大（1，2）\n"},
		{"an input block aligned after the ：, comments after the longest line",
			"输入\n  研发投入:金额 # 当年\n  承诺年均增长率：比例\n  规上：是否    # 统计口径\n结束\n",
			"输入\n  研发投入：      金额  # 当年\n  承诺年均增长率：比例\n  规上：          是否  # 统计口径\n结束\n"},
		{"comments and one blank line kept, trailing space dropped",
			"# 第3条   \n\n\n\n政策 \"某\"  \n# 说明\n",
			"# 第3条\n\n政策 \"某\"\n# 说明\n"},
		{"规则 inside a group is a clause, not a block",
			"就高不重复 末段\n规则 甲，乙\n结束\n规则 甲\n补助 = 1元\n结束\n",
			"就高不重复 末段\n  规则 甲，乙\n结束\n规则 甲\n  补助 = 1元\n结束\n"},
		{"strings and numbers as written",
			"规则 r\n  依据 \"文件\" \"按照研发投入增量的10%给予最高200万元的补助\"\n  补助 = 1200万元 * 10%\n结束\n",
			"规则 r\n  依据 \"文件\" \"按照研发投入增量的10%给予最高200万元的补助\"\n  补助 = 1200万元 * 10%\n结束\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			checkFormatted(t, tt.in, got)
		})
	}
}

// checkFormatted checks that formatting src as got kept the program (the
// same tokens, in their canonical forms, on the same lines' order) and that
// got is its own format.
func checkFormatted(t *testing.T, src string, got []byte) {
	t.Helper()
	type tok struct {
		Kind  TokenKind
		Canon string
	}
	canon := func(b []byte) []tok {
		toks, err := Lex("", b, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []tok
		for _, x := range toks {
			out = append(out, tok{x.Kind, x.Canon})
		}
		return out
	}
	if diff := cmp.Diff(canon([]byte(src)), canon(got)); diff != "" {
		t.Errorf("formatting changed the tokens (-before +after):\n%s", diff)
	}
	again, err := Format(got)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(got), string(again)); diff != "" {
		t.Errorf("formatting twice is not formatting once (-once +twice):\n%s", diff)
	}
}
