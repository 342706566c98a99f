package zhengce_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// TestTheTextsOwnWording: what the trials of issue 14 wrote, the way the
// text says it, works (values worked by hand).
func TestTheTextsOwnWording(t *testing.T) {
	const src = `输入 占比：比例
输入 设备投资额：金额
输入 贷款利息：金额
输入 研发费用（万元）：金额
参数 研发补助比例 = 10%
达标 = 占比 达到 10% 以上
含本数 = 占比 达到10%（含）以上
不含本数 = 占比 在 10%（不含）以上
超过五千万 = 研发费用 超过 5000万元（不含）
贴息 = 设备投资额 * 10% 与 贷款利息 孰低
贴息二 = 孰低(设备投资额 * 10%, 贷款利息)
较高 = 设备投资额 * 10% 与 贷款利息 孰高
补助 = 研发费用的研发补助比例
规则 研发补助
  依据 "某细则" "末段" "按照“就高、不重复”原则予以补助"
  依据 「某细则」 「第3条」 「所称「研发费用」，指……」
  给予 研发补助额 = 补助
结束
`
	prog, err := zhengce.Compile("w.zc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// 10% exactly: 达到…以上 and （含） include it, （不含） does not; the
	// 研发费用 column is in 万元 as declared: 6000 is 6000万元
	res, err := prog.Eval(context.Background(), zhengce.Record{"占比": "10%", "设备投资额": "300万元", "贷款利息": "25万元", "研发费用": "6000"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range res.Defs {
		got[d.Name] = d.Value.Exact()
	}
	want := map[string]string{"达标": "是", "含本数": "是", "不含本数": "否", "超过五千万": "是",
		"贴息": "250000", "贴息二": "250000", "较高": "300000", "补助": "6000000"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if cites := prog.Checked().Rules[0].Cites; cites[2] != "按照“就高、不重复”原则予以补助" || cites[5] != "所称「研发费用」，指……" {
		t.Errorf("quotes inside quotes: %q", cites)
	}
}

// grammarNotation is what a parser's grammar writes and a drafter should
// never read: repetition marks and nested brackets of alternatives.
var grammarNotation = regexp.MustCompile(`[+*?|]|\(\(|<[a-z]+>|\bG[A-Z]`)

// TestSyntaxErrorsSpeakPlainly: no error a drafter reads shows the
// grammar's notation, and the English has no Chinese beyond what the file
// itself says (its names and words, quoted).
func TestSyntaxErrorsSpeakPlainly(t *testing.T) {
	broken := []string{
		"输入 研发费用 金额\n",
		"x = 如果 1 > 0 那么 1\n",
		"x = (1 + 2\n",
		"规则 甲\n  x = 1\n",
		"x = 占比 达到 10% 以下\n",
		"x = 按 a 取 { \n",
		"输入 a：金额\nx = a 与 1元\n",
		"x = 1 +\n",
		"测试 \"t\"\n  期望\n结束\n",
		"上限 c\n  额度\n结束\n",
	}
	quoted := regexp.MustCompile(`"[^"]*"|“[^”]*”`)
	for _, src := range broken {
		_, err := zhengce.Compile("b.zc", []byte(src))
		list, ok := err.(lang.ErrorList)
		if !ok {
			t.Errorf("%q: %v", src, err)
			continue
		}
		for _, e := range list {
			for _, msg := range []string{e.Zh, e.En} {
				if unquoted := quoted.ReplaceAllString(msg, ""); grammarNotation.MatchString(unquoted) {
					t.Errorf("%q: the message shows grammar notation: %s", src, msg)
				}
			}
			for _, r := range quoted.ReplaceAllString(e.En, "") {
				if unicode.Is(unicode.Han, r) {
					t.Errorf("%q: Chinese in the English message: %s", src, e.En)
					break
				}
			}
			if !strings.ContainsFunc(e.Zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("%q: the Chinese message has no Chinese: %s", src, e.Zh)
			}
		}
	}
}

// TestExplanationsSayWhichSide: an explanation says which branch of 如果
// was taken, which side of 孰低 and 最小 and by how much, and the value a
// failed 非 X read. By hand: 100万 × 40% = 40万 against 35万: the latter,
// 5万 apart; 最小 of 100万, 35万 and 30万 is 30万.
func TestExplanationsSayWhichSide(t *testing.T) {
	prog, err := zhengce.Compile("x.zc", []byte(`输入 a：金额
输入 b：金额
输入 直管：是否
输入 已获：是否
规则 甲
  条件 非 已获
  给予 补助 = (a * (如果 直管 那么 60% 否则 40%)) 与 b 孰低
  二 = 最小(a, b, 30万元)
结束
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := prog.EvalWith(context.Background(), zhengce.Record{"a": "100万元", "b": "35万元", "直管": "否", "已获": "否"}, zhengce.EvalOptions{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"如果“直管”为 否：取“否则”后的 40%",
		"“a * (如果 直管 那么 60% 否则 40%)”与“b”孰低：前者 40万元，后者 35万元，取后者（相差 5万元）",
		"最小：取“30万元” 30万元（a 为 100万元，b 为 35万元）",
	}
	var got []string
	for _, st := range res.Rules[0].Explanation.Steps {
		got = append(got, st.Zh)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("steps (-want +got):\n%s", diff)
	}
	res, err = prog.Eval(context.Background(), zhengce.Record{"a": "100万元", "b": "35万元", "直管": "否", "已获": "是"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rules[0].Reason().String(); got != "不满足“非 已获”（已获 为 是）" {
		t.Errorf("reason: %s", got)
	}
}
