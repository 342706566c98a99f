package zhengce_test

import (
	"context"
	"fmt"
	"log"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// Compile a policy once, then evaluate it for each enterprise.
func ExampleCompile() {
	src := []byte(`
输入 研发投入增量：金额
规则 研发投入增量补助
  依据 "枣庄2025若干措施 第3条" "按照研发投入增量的10%给予最高200万元的补助"
  补助 = 研发投入增量的10%最高200万元
结束
`)
	policy, err := zhengce.Compile("补助.zc", src)
	if err != nil {
		log.Fatal(lang.FormatErrors(err, src, lang.Chinese))
	}
	for _, increase := range []string{"1500万元", "3000万元"} {
		res, err := policy.Eval(context.Background(), zhengce.Record{"研发投入增量": increase})
		if err != nil {
			log.Fatal(err)
		}
		r := res.Rules[0]
		fmt.Println(increase, r.Name, r.Outputs[0].Value)
	}
	// Output:
	// 1500万元 研发投入增量补助 150万元
	// 3000万元 研发投入增量补助 200万元
}

// A rule whose condition fails says which condition and what the values were.
func ExampleProgram_Eval_notApplicable() {
	src := []byte(`
输入 研发投入占比：比例
规则 研发补助
  条件 研发投入占比超过3.5%
  补助 = 10万元
结束
`)
	policy, err := zhengce.Compile("补助.zc", src)
	if err != nil {
		log.Fatal(err)
	}
	res, err := policy.Eval(context.Background(), zhengce.Record{"研发投入占比": "3.1%"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Rules[0].Applies)
	fmt.Println(res.Rules[0].Reason())
	// Output:
	// false
	// 不满足“研发投入占比超过3.5%”（研发投入占比 为 3.1%）
}

// Syntax and type errors carry a position and are shown with the line and
// a caret.
func ExampleCompile_errors() {
	src := []byte("输入 研发投入：金额\n补助 = 研发投人 * 10%\n")
	_, err := zhengce.Compile("补助.zc", src)
	fmt.Println(lang.FormatErrors(err, src, lang.Chinese))
	// Output:
	// 补助.zc:2:6: 未定义的名称“研发投人”；是否想写“研发投入”？
	//   补助 = 研发投人 * 10%
	//          ^
}

func ExampleEval() {
	v, err := zhengce.Eval(context.Background(), "0.1 + 0.2 = 0.3")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v)
	// Output: 是
}

// For many records, bind the columns once and evaluate every row into one
// reused Result: after the first rows, this allocates nothing. Each goroutine
// keeps its own slots and Result.
func ExampleProgram_EvalInto() {
	src := []byte(`
输入
  研发投入：金额
  上年研发投入：金额
结束
规则 研发投入增量补助
  条件 研发投入 - 上年研发投入 超过 0
  补助 = (研发投入 - 上年研发投入) * 10% 最高 200万元
结束
`)
	policy, err := zhengce.Compile("补助.zc", src)
	if err != nil {
		log.Fatal(err)
	}
	binder := policy.Binder([]string{"企业", "研发投入", "上年研发投入"})
	rows := [][]string{{"甲", "5000万", "2000万"}, {"乙", "800万", "900万"}, {"丙", "很多", "1"}}
	var inputs []zhengce.Value
	var res zhengce.Result
	for _, row := range rows {
		if inputs, err = binder.BindInto(row, inputs); err != nil {
			fmt.Println(row[0], err)
			continue
		}
		if err := policy.EvalInto(context.Background(), inputs, &res); err != nil {
			fmt.Println(row[0], err)
			continue
		}
		if r := res.Rules[0]; r.Applies {
			fmt.Println(row[0], r.Outputs[0].Value)
		} else {
			fmt.Println(row[0], r.Reason())
		}
	}
	// Output:
	// 甲 200万元
	// 乙 不满足“研发投入 - 上年研发投入 超过 0”（研发投入 - 上年研发投入 为 -100万元）
	// 丙 输入“研发投入”：“很多”不是金额
}
