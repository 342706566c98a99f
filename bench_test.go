package zhengce_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// benchPolicy compiles the quickstart policy and a record that takes its
// capped branch.
func benchPolicy(b *testing.B) (*zhengce.Program, zhengce.Record) {
	src, err := os.ReadFile("examples/quickstart/研发投入补助.zc")
	if err != nil {
		b.Fatal(err)
	}
	prog, err := zhengce.CompileWith("研发投入补助.zc", src, zhengce.Options{AsOf: lang.Date{Year: 2025, Month: 9, Day: 1}})
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
		if _, err := prog.EvalWith(ctx, rec, zhengce.EvalOptions{Explain: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompile10000Lines parses and checks a policy of about 10 000
// lines: the 济宁 document's 19 rules, repeated under new names until the
// file is that long.
func BenchmarkCompile10000Lines(b *testing.B) {
	src := longPolicy(b, 10000)
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := zhengce.Compile("long.zc", src); err != nil {
			b.Fatal(err)
		}
	}
}

// longPolicy repeats the rules of 年度目標.zc, renamed, to about n lines.
func longPolicy(b *testing.B, n int) []byte {
	src, err := os.ReadFile("examples/jining-2025-opinions/年度目標.zc")
	if err != nil {
		b.Fatal(err)
	}
	text := string(src)
	head := text[:strings.Index(text, "\n規則 ")+1]
	var rules []string
	for _, block := range strings.Split(text[len(head):], "\n規則 ")[0:] {
		if strings.HasPrefix(block, "規則 ") {
			block = block[len("規則 "):]
		}
		if end := strings.Index(block, "\n結束"); end >= 0 && !strings.Contains(block[:end], "測試") {
			rules = append(rules, block[:end])
		}
	}
	var out strings.Builder
	out.WriteString(head)
	for round := 1; strings.Count(out.String(), "\n") < n; round++ {
		for _, r := range rules {
			name, body, _ := strings.Cut(r, "\n")
			fmt.Fprintf(&out, "\n規則 %s之%d\n%s\n結束\n", name, round, body)
		}
	}
	if _, err := zhengce.Compile("long.zc", []byte(out.String())); err != nil {
		b.Fatal(err)
	}
	return []byte(out.String())
}
