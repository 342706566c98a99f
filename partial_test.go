package zhengce_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// TestPartialData: a record with missing or bad fields is evaluated; only
// what reads them (directly, or through a definition or another rule) is
// 数据不足, naming every such field; the error names every bad field, and
// comes beside the Result. Eval and Binder+EvalInto say the same.
func TestPartialData(t *testing.T) {
	const src = `输入
  研发投入：金额
  上年研发投入：金额
  服务费用：金额
  失信：是否
结束
增量 = 研发投入 - 上年研发投入
规则 研发补助
  补助 = 增量 * 10%
结束
规则 创新券
  补助 = 服务费用 * 20%
结束
规则 配套
  条件 研发补助.适用
  奖励 = 1万元
结束
`
	tests := []struct {
		name   string
		extra  string // appended to src
		cols   []string
		cells  []string
		want   map[string]string
		fields []string
	}{
		{"one bad field: the rules that read it, and the one that reads them, are 数据不足",
			"", []string{"研发投入", "上年研发投入", "服务费用", "失信"}, []string{"很多", "100万元", "50万元", "否"},
			map[string]string{"研发补助": "不适用：数据不足：缺少或无法读取“研发投入”", "配套": "不适用：数据不足：缺少或无法读取“研发投入”", "创新券": "100000"},
			[]string{"研发投入"}},
		{"two fields, one missing, one bad: both named, in the order of the inputs",
			"", []string{"研发投入", "服务费用", "失信"}, []string{"", "50万元", "否"},
			map[string]string{"研发补助": "不适用：数据不足：缺少或无法读取“研发投入”、“上年研发投入”", "配套": "不适用：数据不足：缺少或无法读取“研发投入”、“上年研发投入”", "创新券": "100000"},
			[]string{"研发投入", "上年研发投入"}},
		{"an exclusion that cannot be told: nothing it covers is paid",
			"不予支持 负面清单\n  条件 失信\n结束\n", []string{"研发投入", "上年研发投入", "服务费用", "失信"}, []string{"300万元", "100万元", "50万元", "不知道"},
			map[string]string{
				"研发补助": "不适用：不予支持（负面清单）：无法判断是否符合“失信”：数据不足：缺少或无法读取“失信”",
				"配套":   "不适用：不予支持（负面清单）：无法判断是否符合“失信”：数据不足：缺少或无法读取“失信”",
				"创新券":  "不适用：不予支持（负面清单）：无法判断是否符合“失信”：数据不足：缺少或无法读取“失信”"},
			[]string{"失信"}},
		{"a cap whose limit cannot be had: the rules it caps are not paid",
			"上限 合计上限\n  规则 创新券\n  额度 = 研发投入 * 1%\n结束\n", []string{"研发投入", "上年研发投入", "服务费用", "失信"}, []string{"?", "100万元", "50万元", "否"},
			map[string]string{"研发补助": "不适用：数据不足：缺少或无法读取“研发投入”", "配套": "不适用：数据不足：缺少或无法读取“研发投入”",
				"创新券": "不适用：上限“合计上限”的额度无法得出：数据不足：缺少或无法读取“研发投入”"},
			[]string{"研发投入"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := zhengce.Compile("p.zc", []byte(src+tt.extra))
			if err != nil {
				t.Fatal(err)
			}
			rec := zhengce.Record{}
			for i, c := range tt.cols {
				rec[c] = tt.cells[i]
			}
			outcomes := func(res *interp.Result) map[string]string {
				m := map[string]string{}
				for i := range res.Rules {
					m[res.Rules[i].Name] = outcomeOf(res, i)
				}
				return m
			}
			fieldsOf := func(err error) []string {
				var de *interp.DataError
				if !errors.As(err, &de) {
					t.Fatalf("got %v, want a *DataError", err)
				}
				var names []string
				for _, f := range de.Fields {
					names = append(names, f.Field)
				}
				return names
			}
			res, err := prog.Eval(context.Background(), rec)
			if res == nil {
				t.Fatalf("no result: %v", err)
			}
			if diff := cmp.Diff(tt.want, outcomes(res)); diff != "" {
				t.Errorf("Eval (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.fields, fieldsOf(err)); diff != "" {
				t.Errorf("Eval's error (-want +got):\n%s", diff)
			}
			inputs, err := prog.Binder(tt.cols).BindInto(tt.cells, nil)
			if diff := cmp.Diff(tt.fields, fieldsOf(err)); diff != "" {
				t.Errorf("BindInto's error (-want +got):\n%s", diff)
			}
			var into interp.Result
			for range 2 {
				if err := prog.EvalInto(context.Background(), inputs, &into); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, outcomes(&into)); diff != "" {
				t.Errorf("EvalInto (-want +got):\n%s", diff)
			}
		})
	}
}
