package zhengce_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

const unitsPolicy = `输入 研发投入：金额
输入 占比：比例
输入 人数：数值
x = 研发投入
y = 占比
z = 人数
`

// TestUnitsOfColumns: a number in a cell is read in the unit its column's
// heading gives, and a 比例 without a percent sign is never silently a
// hundred times too large. Each way of reading (a record's keys; a table's
// columns through a Binder) says the same.
func TestUnitsOfColumns(t *testing.T) {
	tests := []struct {
		name    string
		heading []string
		cells   []string
		ratios  interp.BareRatios
		want    string // x y z, or the error
	}{
		{"no units: yuan, a fraction below 1, a count", []string{"研发投入", "占比", "人数"}, []string{"1500", "0.035", "12"}, 0, "1500 0.035 12"},
		{"万元 in the heading: 1500 is 1500万元", []string{"研发投入（万元）", "占比", "人数"}, []string{"1500", "3.5%", "12"}, 0, "15000000 0.035 12"},
		{"a cell with its own unit is read as written, not scaled again", []string{"研发投入（万元）", "占比", "人数"}, []string{"200万", "3.5%", "12"}, 0, "2000000 0.035 12"},
		{"亿元 and 千元, half-width brackets", []string{"研发投入(亿元)", "占比", "人数(千人)"}, []string{"1.5", "5%", "3"}, 0, "150000000 0.05 3000"},
		{"(%) in the heading: 25 is 25%", []string{"研发投入", "占比（%）", "人数"}, []string{"1", "25", "1"}, 0, "1 0.25 1"},
		{"a bare 25 with no unit is an error, not 2500%", []string{"研发投入", "占比", "人数"}, []string{"1", "25", "1"}, 0,
			"输入“占比”：“25”没有百分号：是 25% 吗？"},
		{"a bare 1 is 100% or 1%: an error", []string{"研发投入", "占比", "人数"}, []string{"1", "1", "1"}, 0, "“1”没有百分号"},
		{"--bare-ratio percent", []string{"研发投入", "占比", "人数"}, []string{"1", "25", "1"}, interp.BareRatiosPercent, "1 0.25 1"},
		{"--bare-ratio fraction: 1.5 is 150%", []string{"研发投入", "占比", "人数"}, []string{"1", "1.5", "1"}, interp.BareRatiosFraction, "1 1.5 1"},
		{"a unit that is not money is an error for the column", []string{"研发投入（美元）", "占比", "人数"}, []string{"1500", "5%", "1"}, 0,
			"列名中的单位“美元”不能换算成金额"},
		{"% on an amount is an error", []string{"研发投入（%）", "占比", "人数"}, []string{"1500", "5%", "1"}, 0, "单位“%”不能换算成金额"},
	}
	for _, tt := range tests {
		prog, err := zhengce.CompileWith("u.zc", []byte(unitsPolicy), zhengce.Options{BareRatios: tt.ratios})
		if err != nil {
			t.Fatal(err)
		}
		rec := zhengce.Record{}
		for i, h := range tt.heading {
			rec[h] = tt.cells[i]
		}
		res, err := prog.Eval(context.Background(), rec)
		got := defsOrError(res, err)
		inputs, bindErr := prog.Binder(tt.heading).Bind(tt.cells)
		var fromTable string
		if bindErr != nil {
			fromTable = defsOrError(nil, bindErr)
		} else {
			res2, err2 := prog.EvalInputs(context.Background(), inputs)
			fromTable = defsOrError(res2, err2)
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if diff := cmp.Diff(got, fromTable); diff != "" && bindErr == nil {
			t.Errorf("%s: a record and a table differ (-record +table):\n%s", tt.name, diff)
		}
		if bindErr != nil && !strings.Contains(fromTable, tt.want) {
			t.Errorf("%s: the table gives %q, want %q", tt.name, fromTable, tt.want)
		}
	}
}

// defsOrError is the definitions "x y z" exactly, or the error.
func defsOrError(res *interp.Result, err error) string {
	if err != nil {
		return err.Error()
	}
	var parts []string
	for _, d := range res.Defs {
		parts = append(parts, d.Value.Exact())
	}
	return strings.Join(parts, " ")
}

// TestAmountsAddOnlyToAmounts: 研发费用 + 员工人数 is a type error, and a
// ratio compared with a bare 3.5 is warned of (3.5 is 350%).
func TestAmountsAddOnlyToAmounts(t *testing.T) {
	_, err := zhengce.Compile("p.zc", []byte("输入 研发费用：金额\n输入 员工人数：数值\nx = 研发费用 + 员工人数\n"))
	if err == nil || !strings.Contains(err.Error(), "p.zc:3:5: 无法将金额与数值相加（“+”）：金额只能与金额相加减") {
		t.Errorf("金额 + 数值: %v", err)
	}
	_, err = zhengce.Compile("p.zc", []byte("输入 研发费用：金额\nx = 研发费用 - 100\n"))
	if err == nil || !strings.Contains(err.Error(), "；若是金额，请写“100元”") {
		t.Errorf("金额 - 100: %v", err)
	}
	// a count with a ratio is fine: 1 + 增长率
	if _, err := zhengce.Compile("p.zc", []byte("输入 增长率：比例\nx = 乘方(1 + 增长率, 3)\n")); err != nil {
		t.Errorf("1 + 增长率: %v", err)
	}
	prog, err := zhengce.Compile("p.zc", []byte("输入 占比：比例\nx = 占比 超过 3.5\ny = 占比 超过 0.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	var warnings []string
	for _, w := range prog.Checked().Warnings {
		warnings = append(warnings, w.Error())
	}
	want := []string{"p.zc:2:11: 比例与 3.5 比较：3.5 即 350%；若是百分数，请写“3.5%”"}
	if diff := cmp.Diff(want, warnings); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}
