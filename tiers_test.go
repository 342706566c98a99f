package zhengce_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
)

// TestTiersAndBrackets: tables by range and brackets, worked by hand.
func TestTiersAndBrackets(t *testing.T) {
	const src = `输入 研发费用：金额
输入 占比：比例
参数 高档 = 1000万元
档次 = 按 研发费用 取 { 高档以上：20万元，500万元至高档（不含）：10万元 }
超额 = 按 研发费用 分段 { 超过100万元部分：10% }
累进 = 按 研发费用 分段累进 { 1000万元以下部分：5%，1000万元（不含）至5000万元（含）部分：3%，超过5000万元部分：1% }
强度 = 按 占比 取 { 5%以上："重点"，3%（不含）至5%（不含）："一般" }
`
	prog, err := zhengce.Compile("t.zc", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ 研发费用, 占比, want string }{
		// 高档 is 1000万: 以上 includes it
		{"1000万元", "5%", "200000 900000 500000 重点"},
		// 100万 above 100万 at 10%; 999万 in the middle tier; 999万 × 5%
		{"999万元", "4%", "100000 899000 499500 一般"},
		// 1500万: 1000万×5% + 500万×3% = 65万
		{"1500万元", "3.01%", "200000 1400000 650000 一般"},
		// 6000万: 50万 + 4000万×3% + 1000万×1% = 180万; 3% is not above 3%
		{"6000万元", "3%", "200000 5900000 1800000 不适用"},
		// nothing above 100万: 0; below every tier: 不适用
		{"80万元", "1%", "不适用 0 40000 不适用"},
		{"0元", "0", "不适用 0 0 不适用"},
	}
	for _, tt := range tests {
		res, err := prog.Eval(context.Background(), zhengce.Record{"研发费用": tt.研发费用, "占比": tt.占比})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range res.Defs {
			if d.Value.IsNA() {
				got = append(got, "不适用")
				continue
			}
			got = append(got, d.Value.Exact())
		}
		if diff := cmp.Diff(tt.want, strings.Join(got, " ")); diff != "" {
			t.Errorf("%s, %s (-want +got):\n%s", tt.研发费用, tt.占比, diff)
		}
	}
	// a parameter set from outside may make the tiers wrong: Compile says so
	_, err = zhengce.CompileWith("t.zc", []byte(src), zhengce.Options{Params: map[string]string{"高档": "400万元"}})
	if err == nil || !strings.Contains(err.Error(), "“500万元至高档（不含）”是空的范围") {
		t.Errorf("高档 = 400万: %v", err)
	}
	// the explanation gives each bracket
	res, err := prog.EvalWith(context.Background(), zhengce.Record{"研发费用": "1500万元", "占比": "4%"}, zhengce.EvalOptions{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	steps := ""
	for _, st := range res.DefSteps["累进"].Steps {
		steps += st.Zh
	}
	if want := "按 研发费用 1500万元 分段：1000万元以下部分 1000万元 × 5% = 50万元；1000万元（不含）至5000万元（含）部分 500万元 × 3% = 15万元；合计 65万元"; !strings.Contains(steps, want) {
		t.Errorf("explanation: %s", steps)
	}
}

// TestTierErrors: what the checker and Compile say of ranges that cannot be.
func TestTierErrors(t *testing.T) {
	tests := []struct{ name, table, want string }{
		{"a gap", "{ 100万元至200万元：1元，300万元以上：2元 }", "“100万元至200万元”与“300万元以上”之间有空档：200万元 至 300万元 不在任何一档"},
		{"neither includes 500万", "{ 不满500万元：1元，超过500万元：2元 }", "500万元 不在任何一档：“不满500万元”与“超过500万元”都不包括本数"},
		{"an empty range", "{ 300万元至200万元：1元 }", "“300万元至200万元”是空的范围"},
		{"ranges and categories mixed", "{ 500万元以下：1元，\"国家级\"：2元 }", "表中或都写范围"},
		{"a bound of another type", "{ 5%以上：1元 }", "界限的类型应为金额，这里是比例"},
		{"a bound that is not a constant", "{ 研发费用以上：1元 }", "分档的界限只能由常数和参数算出"},
		{"contradicting words", "{ 超过500万元（含）：1元 }", "“超过”“低于”不包括本数，与“（含）”矛盾"},
	}
	for _, tt := range tests {
		_, err := zhengce.Compile("t.zc", []byte("输入 研发费用：金额\nx = 按 研发费用 取 "+tt.table+"\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
	_, err := zhengce.Compile("t.zc", []byte("输入 研发费用：金额\nx = 按 研发费用 分段 { 1000万元以下部分：5元 }\n"))
	if err == nil || !strings.Contains(err.Error(), "分段累进的各段应写比例") {
		t.Errorf("a bracket of an amount: %v", err)
	}
}
