package zhengce_test

import (
	"context"
	"os"
	"testing"

	"github.com/zhengce/zhengce"
)

// benchPolicy compiles the quickstart policy and a record that takes its
// capped branch.
func benchPolicy(b *testing.B) (*zhengce.Program, zhengce.Record) {
	src, err := os.ReadFile("examples/quickstart/研发投入补助.zc")
	if err != nil {
		b.Fatal(err)
	}
	prog, err := zhengce.Compile("研发投入补助.zc", src)
	if err != nil {
		b.Fatal(err)
	}
	rec := zhengce.Record{"规上工业企业": "是", "研发投入": "5000万", "上年研发投入": "2000万", "主营业务收入": "8亿", "承诺年均增长率": "30%"}
	return prog, rec
}

// BenchmarkEval is one record through the quickstart policy, explanations off.
// Compare it across commits with benchstat to see what the explanation
// machinery costs when it is off.
func BenchmarkEval(b *testing.B) {
	prog, rec := benchPolicy(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := prog.Eval(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvalExplained is the same with the explanation recorded.
func BenchmarkEvalExplained(b *testing.B) {
	prog, rec := benchPolicy(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := prog.EvalExplained(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
}
