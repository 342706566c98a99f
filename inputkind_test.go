package zhengce_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// TestInputOfTheWrongKind: a Value given for an input that is not of its
// type is reported, naming the input, where the evaluation reads it (a
// comparison, arithmetic, a 是否, a text); an input no rule reads for the
// record is not looked at. Both EvalInputs and EvalInto say the same.
func TestInputOfTheWrongKind(t *testing.T) {
	prog, err := zhengce.Compile("kinds.zc", []byte(`
输入
  规上工业企业：是否
  研发投入：金额
  上年研发投入：金额
  行业：文本
结束
规则 增量补助
  条件 规上工业企业 且 研发投入 超过 500万元
  补助 = (研发投入 - 上年研发投入) 最高 200万元
结束
规则 行业奖励
  条件 行业 等于 "制造业"
  奖励 = 10万元
结束
`))
	if err != nil {
		t.Fatal(err)
	}
	money := func(s string) interp.Value { return interp.Money(decimal.RequireFromString(s)) }
	good := []interp.Value{interp.Bool(true), money("6000000"), money("1000000"), interp.Text("制造业")}
	with := func(i int, v interp.Value) []interp.Value {
		in := append([]interp.Value(nil), good...)
		in[i] = v
		return in
	}
	tests := []struct {
		name   string
		inputs []interp.Value
		field  string // the input reported, or "" for no error
	}{
		{"all of their kinds", good, ""},
		{"a number for money is a number", with(1, interp.Number(decimal.NewFromInt(6000000))), ""},
		{"text for a 是否", with(0, interp.Text("是")), "规上工业企业"},
		{"text compared with a threshold", with(1, interp.Text("600万")), "研发投入"},
		{"a 是否 in arithmetic", with(2, interp.Bool(true)), "上年研发投入"},
		{"money compared with text", with(3, money("1")), "行业"},
		{"a missing value", with(2, interp.Value{}), "上年研发投入"},
		// 规上工业企业 is false: 上年研发投入 is never read
		{"not read", []interp.Value{interp.Bool(false), money("6000000"), interp.Text("x"), interp.Text("制造业")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got [2]string
			_, err := prog.EvalInputs(context.Background(), tt.inputs)
			got[0] = reported(err)
			var res interp.Result
			got[1] = reported(prog.EvalInto(context.Background(), tt.inputs, &res))
			if diff := cmp.Diff([2]string{tt.field, tt.field}, got); diff != "" {
				t.Errorf("(-want +got) EvalInputs, EvalInto:\n%s", diff)
			}
		})
	}
}

// reported returns the input a FieldError names, "" for no error, or the
// error itself for another error.
func reported(err error) string {
	if err == nil {
		return ""
	}
	var fe *interp.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return "other: " + err.Error()
}
