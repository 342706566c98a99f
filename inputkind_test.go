package zhengce_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
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
		// partial data, not an error: what reads it is 数据不足 (below)
		{"a missing value", with(2, interp.Value{}), ""},
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
	// a missing value leaves the rule that reads it 数据不足 and the other
	// rule evaluated, through both
	inputs := with(2, interp.Value{})
	first, err := prog.EvalInputs(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	var into interp.Result
	for range 2 { // a new Result, then its steady state
		if err := prog.EvalInto(context.Background(), inputs, &into); err != nil {
			t.Fatal(err)
		}
	}
	for _, res := range []*interp.Result{first, &into} {
		got := []string{res.Rules[0].Reason().String(), outcomeOf(res, 1)}
		want := []string{"数据不足：缺少或无法读取“上年研发投入”", "100000"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("partial data (-want +got):\n%s", diff)
		}
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

// listInputsPolicy has a list of records and a list of amounts as inputs.
const listInputsPolicy = `
输入
  横向项目：列表（项目名称：文本，实际支付金额：金额，已获支持：是否）
  各年研发投入：列表（年度：数值，研发投入：金额）
结束
规则 产学研
  各项目支持 = 对每个 横向项目 如果 实际支付金额 达到 50万元 且 非 已获支持：实际支付金额 * 20% 最高 100万元
  条件 计数(各项目支持) 超过 0
  支持 = 合计(各项目支持) 最高 200万元
结束
规则 研发
  投入 = 对每个 各年研发投入：研发投入
  条件 合计(投入) 超过 0
  补助 = 合计(投入) * 10%
结束
`

// TestMalformedListInputs: lists an embedder builds with interp.List and
// interp.RecordValue are checked against the input's type before the
// evaluation reads their items by field; they used to index past the end
// of a short record. EvalInputs and EvalInto say the same.
func TestMalformedListInputs(t *testing.T) {
	prog, err := zhengce.Compile("lists.zc", []byte(listInputsPolicy))
	if err != nil {
		t.Fatal(err)
	}
	money := func(n int64) interp.Value { return interp.Money(decimal.NewFromInt(n)) }
	project := func(fields ...interp.Value) interp.Value { return interp.RecordValue(fields) }
	good := project(interp.Text("甲"), money(600000), interp.Bool(false))
	year := func(y int64, amount interp.Value) interp.Value { return project(interp.Int(y), amount) }
	amounts := interp.List(lang.KindRecord, []interp.Value{year(2024, money(100)), year(2025, money(200))})
	tests := []struct {
		name            string
		projects, years interp.Value
		want            string // the error, or the two amounts
	}{
		{"well formed", interp.List(lang.KindRecord, []interp.Value{good}), amounts, "120000 30"},
		{"a number where money is asked is a number", interp.List(lang.KindRecord, []interp.Value{
			project(interp.Text("甲"), interp.Int(600000), interp.Bool(false))}), amounts, "120000 30"},
		{"a record short of a field", interp.List(lang.KindRecord, []interp.Value{good, project(interp.Text("乙"))}), amounts,
			"输入“横向项目”：第 2 项应是有 3 个字段的记录"},
		{"an item that is not a record", interp.List(lang.KindRecord, []interp.Value{money(1)}), amounts,
			"输入“横向项目”：第 1 项应是有 3 个字段的记录"},
		{"a field of another type", interp.List(lang.KindRecord, []interp.Value{
			project(interp.Text("甲"), interp.Text("60万"), interp.Bool(false))}), amounts,
			"输入“横向项目”：第 1 项的“实际支付金额”的类型是文本"},
		{"a missing field", interp.List(lang.KindRecord, []interp.Value{
			project(interp.Text("甲"), money(1), interp.Value{})}), amounts,
			"输入“横向项目”：第 1 项的“已获支持”的类型是无效"},
		{"text in the second list", interp.List(lang.KindRecord, []interp.Value{good}),
			interp.List(lang.KindRecord, []interp.Value{year(2024, money(1)), year(2025, interp.Text("x"))}),
			"输入“各年研发投入”：第 2 项的“研发投入”的类型是文本"},
		{"the records of another list", interp.List(lang.KindRecord, []interp.Value{good}),
			interp.List(lang.KindRecord, []interp.Value{good}),
			"输入“各年研发投入”：第 1 项应是有 2 个字段的记录"},
		{"a list of amounts, not of records", interp.List(lang.KindRecord, []interp.Value{good}),
			interp.List(lang.KindMoney, []interp.Value{money(1)}),
			"输入“各年研发投入”：第 1 项应是有 2 个字段的记录"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs := []interp.Value{tt.projects, tt.years}
			outcome := func(res *interp.Result, err error) string {
				if err != nil {
					return err.Error()
				}
				return res.Rules[0].Outputs[1].Value.Exact() + " " + res.Rules[1].Outputs[1].Value.Exact()
			}
			res, err := prog.EvalInputs(context.Background(), inputs)
			var into interp.Result
			errInto := prog.EvalInto(context.Background(), inputs, &into)
			got := [2]string{outcome(res, err), outcome(&into, errInto)}
			if diff := cmp.Diff([2]string{tt.want, tt.want}, got); diff != "" {
				t.Errorf("(-want +got) EvalInputs, EvalInto:\n%s", diff)
			}
		})
	}
}

// FuzzEvalInputs: no value an embedder can build, given for a list input,
// may panic the evaluation. The fuzzer's bytes spell a tree of values.
func FuzzEvalInputs(f *testing.F) {
	prog, err := zhengce.Compile("lists.zc", []byte(listInputsPolicy))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{7, 3, 5, 0, 1, 2, 7, 1, 1})
	f.Add([]byte{6, 2, 1, 1, 6, 0})
	f.Add([]byte{7, 2, 5, 3, 0, 1, 2, 5, 1, 0})
	f.Fuzz(func(t *testing.T, spec []byte) {
		defer failIfCostly(t, len(spec))()
		b := &valueBuilder{spec: spec}
		inputs := []interp.Value{b.value(0), b.value(0)}
		res, err := prog.EvalInputs(context.Background(), inputs)
		if err == nil {
			for i := range res.Rules {
				_ = res.Rules[i].Reason()
			}
		}
		var into interp.Result
		_ = prog.EvalInto(context.Background(), inputs, &into)
	})
}

// valueBuilder makes a value from bytes: each byte picks a kind, lists and
// records take a count of items from the next byte.
type valueBuilder struct {
	spec []byte
	at   int
}

func (b *valueBuilder) next() byte {
	if b.at >= len(b.spec) {
		return 0
	}
	b.at++
	return b.spec[b.at-1]
}

func (b *valueBuilder) value(depth int) interp.Value {
	switch k := b.next() % 9; {
	case k == 1:
		return interp.Money(decimal.New(int64(b.next())*100003, -int32(b.next()%4)))
	case k == 2:
		return interp.Bool(b.next()%2 == 0)
	case k == 3:
		return interp.Text(string(rune('甲' + rune(b.next()%4))))
	case k == 4:
		return interp.Int(int64(int8(b.next())))
	case k == 5:
		return interp.NA("无")
	case (k == 6 || k == 7) && depth < 3:
		items := make([]interp.Value, b.next()%5)
		for i := range items {
			items[i] = b.value(depth + 1)
		}
		if k == 6 {
			return interp.List(lang.Kind(b.next()%12), items)
		}
		return interp.RecordValue(items)
	case k == 8:
		return interp.Ratio(decimal.New(int64(b.next()), -2))
	}
	return interp.Value{}
}

// TestListItemKeys: a list item's keys are read as its fields whether
// spelt as in the policy or otherwise (Traditional characters, full-width
// digits); two keys that are one field are an error naming both, the same
// whatever the map's order, not a silent choice of one.
func TestListItemKeys(t *testing.T) {
	const policy = `输入 项目：列表（名称：文本，支付额：金额）
合计支付 = 合计(对每个 项目：支付额)
`
	prog, err := zhengce.Compile("keys.zc", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		items string
		want  string // the sum, or the error
	}{
		{`[{"名称": "甲", "支付额": "10"}, {"名稱": "乙", "支付額": "5"}]`, "15"},
		{`[{"名称": "甲", "支付额": "10", "备注": "不是字段"}]`, "10"},
		{`[{"名称": "甲", "支付额": "10", "支付額": "20"}]`, `输入“项目”：第 1 项的“支付額”与“支付额”都是字段“支付额”，不知用哪一个`},
		{`[{"名称": "甲", "支付额": "1"}, {"名稱": "乙", "名称": "丙", "支付额": "2"}]`, `输入“项目”：第 2 项的“名称”与“名稱”都是字段“名称”，不知用哪一个`},
		{`[{"名称": "甲", "支付额": "十元", "支付額": "5"}]`, `输入“项目”：第 1 项的“支付額”与“支付额”都是字段“支付额”，不知用哪一个`},
	} {
		for range 10 { // map order varies from run to run
			got := ""
			res, err := prog.Eval(context.Background(), zhengce.Record{"项目": tt.items})
			if err != nil {
				got = err.Error()
			} else {
				got = res.Defs[0].Value.Exact()
			}
			if got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.items, got, tt.want)
				break
			}
		}
	}
}

// TestListItemErrorsInFieldOrder: an item with several bad values is
// reported by its first field in the record's order, every time, and a
// bad value before a missing field.
func TestListItemErrorsInFieldOrder(t *testing.T) {
	const policy = `输入 项目：列表（支付额：金额，占比：比例，入选：是否）
合计支付 = 合计(对每个 项目：支付额)
`
	prog, err := zhengce.Compile("order.zc", []byte(policy))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ items, want string }{
		{`[{"入选": "也许", "占比": "很多", "支付额": "十元"}]`, `输入“项目”：第 1 项的“支付额”：`},
		{`[{"入选": "也许", "占比": "很多", "支付额": "10"}]`, `输入“项目”：第 1 项的“占比”：`},
		{`[{"入选": "也许", "支付额": "10"}]`, `输入“项目”：第 1 项的“入选”：`},
		{`[{"入选": "是", "支付额": "10"}]`, `输入“项目”：第 1 项缺少“占比”`},
	} {
		for range 10 { // map order varies from run to run
			_, err := prog.Eval(context.Background(), zhengce.Record{"项目": tt.items})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want %s…", tt.items, err, tt.want)
				break
			}
		}
	}
}
