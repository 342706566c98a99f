package zhengce_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// TestLedger: what the 台账 shows paid before, read by 每年最高, 累计最高,
// 一次性 and 最多连续; its items are checked against the evaluation date
// and the policy's start. Amounts by hand in each name.
func TestLedger(t *testing.T) {
	const src = `有效期 自 2023年1月1日 起
输入 费用：金额
输入 已兑现：台账
规则 创新券
  依据 "某区措施" "第9条"
  补助 = 费用 * 20%
结束
上限 创新券每年
  规则 创新券
  每年最高 50万元
结束
`
	ledger := func(items ...string) string { return "[" + strings.Join(items, ",") + "]" }
	item := func(year, matter, amount string) string {
		return `{"年度": ` + year + `, "事项": "` + matter + `", "兑现额": "` + amount + `"}`
	}
	tests := []struct {
		name    string
		ledger  string
		want    string
		wantErr string
	}{
		{"nothing before: 200万 × 20% = 40万, under 50万", ledger(), "400000", ""},
		{"this year 30万 by its clause: 50 − 30 = 20万 left", ledger(item("2026", "第9条", "30万元")), "200000", ""},
		{"last year's 45万 does not count for this year", ledger(item("2025", "创新券", "45万元")), "400000", ""},
		{"another rule's payment this year does not count", ledger(item("2026", "研发补助", "45万元")), "400000", ""},
		{"this year already 60万: nothing left", ledger(item("2026", "创新券", "60万元")), "0", ""},
		{"an item after the evaluation year", ledger(item("2027", "创新券", "1万元")), "", "第 1 项的年度 2027 晚于评估日期"},
		{"an item before the policy", ledger(item("2026", "创新券", "1万元"), item("2022", "创新券", "1万元")), "", "第 2 项的年度 2022 早于政策施行的 2023 年"},
	}
	prog, err := zhengce.Compile("l.zc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := prog.EvalWith(context.Background(), zhengce.Record{"费用": "200万元", "已兑现": tt.ledger, "评估日期": "2026-06-01"}, interp.EvalOptions{})
			got, gotErr := "", ""
			if err != nil {
				gotErr = err.Error()
			} else {
				got = outcomeOf(res, 0)
			}
			if tt.wantErr != "" && strings.Contains(gotErr, tt.wantErr) {
				gotErr = tt.wantErr
			}
			if diff := cmp.Diff([2]string{tt.want, tt.wantErr}, [2]string{got, gotErr}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []struct{ src, want string }{
		{"输入 a：金额\n规则 r\n  一次性\n  补助 = a\n结束\n", "请声明一个台账输入"},
		{"输入 a：台账\n输入 b：台账\n", "只能有一个台账输入"},
		{"输入 a：台账\n输入 x：金额\n规则 r\n  最多连续 0年\n  补助 = x\n结束\n", "“最多连续”的年数应为正整数"},
	} {
		if _, err := zhengce.Compile("l.zc", []byte(bad.src)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: got %v, want %q", bad.src, err, bad.want)
		}
	}
}
