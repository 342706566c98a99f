package zhengce_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// allocated runs f and returns the bytes it allocated: the measure of cost
// these tests bound, which a loaded machine does not change.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// hostileSources are the classes of policy text an attacker or a careless
// drafter writes to crash, stall or exhaust a compiler: each must give an
// error (or compile) at a cost linear in its size, within the bound.
func hostileSources() []struct {
	name, src, wantErr string
	maxAlloc           uint64
} {
	return []struct {
		name, src, wantErr string
		maxAlloc           uint64
	}{
		{"5 000 nested 按…取 (30 000 was a fatal stack overflow)", "输入 k：文本\nx = " + strings.Repeat(`按 k 取 {"a"：`, 5000) + "1" + strings.Repeat("}", 5000),
			"嵌套过深", 64 << 20},
		{"30 000 nested 按…取: too many words before the nesting counts", "输入 k：文本\nx = " + strings.Repeat(`按 k 取 {"a"：`, 30000) + "1" + strings.Repeat("}", 30000),
			"政策文件过大", 128 << 20},
		{"2 000 nested 对每个", "输入 l：列表（v：数值）\nx = " + strings.Repeat("合计(对每个 l：", 2000) + "v" + strings.Repeat(")", 2000),
			"嵌套过深", 16 << 20},
		{"an operator chain of 40 000 terms (was 3.3 GB)", "x = " + strings.Repeat("1 + ", 39999) + "1",
			"", 400 << 20},
		{"500 000 definitions (was over 5 GB)", func() string {
			var b strings.Builder
			for i := range 500_000 {
				fmt.Fprintf(&b, "d%d = %d\n", i, i)
			}
			return b.String()
		}(), "政策文件过大：超过 100000 个词", 128 << 20},
		{"100 000 negations", "x = " + strings.Repeat("非 ", 100_000) + "是", "政策文件过大", 64 << 20},
		{"a number of 10 000 digits", "x = " + strings.Repeat("9", 10_000), "数字过长", 8 << 20},
		{"a number of 31 integer digits", "x = 1" + strings.Repeat("0", 30), "数值超出允许范围", 8 << 20},
		{"万 after 万", "x = 1" + strings.Repeat("万", 40), "数字过长", 8 << 20},
		{"digits doubled at each step (ran for minutes)", func() string {
			var b strings.Builder
			b.WriteString("参数 a0 = 1.1\n")
			for i := 1; i <= 22; i++ {
				fmt.Fprintf(&b, "参数 a%d = a%d * a%d\n", i, i-1, i-1)
			}
			return b.String()
		}(), "数值的小数超过 100 位", 8 << 20},
	}
}

// TestHostileSources: each class of hostile text is refused (or compiled)
// with the error its class deserves, allocating no more than its bound.
func TestHostileSources(t *testing.T) {
	for _, tt := range hostileSources() {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			bytes := allocated(func() { _, err = zhengce.Compile("h.zc", []byte(tt.src)) })
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("%v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
			if bytes > tt.maxAlloc {
				t.Errorf("allocated %d MB, more than %d MB", bytes>>20, tt.maxAlloc>>20)
			}
		})
	}
}

// TestHostileCells: a cell of five million list items, or of a million
// digits, is refused before it is decoded.
func TestHostileCells(t *testing.T) {
	prog, err := zhengce.Compile("c.zc", []byte("输入 项目：列表（金额项：金额）\n输入 额：金额\n合计金额 = 合计(对每个 项目：金额项) + 额\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		rec     zhengce.Record
		wantErr string
	}{
		{"a list of 5 000 000 items (was 3.4 GB)", zhengce.Record{"项目": "[" + strings.Repeat(`{"金额项":1},`, 5_000_000) + `{"金额项":1}]`, "额": "1"}, "列表超过 100000 项的限制"},
		{"a number of a million digits", zhengce.Record{"项目": "[]", "额": strings.Repeat("9", 1_000_000)}, "不是金额"},
		{"a number of 31 integer digits", zhengce.Record{"项目": "[]", "额": "1" + strings.Repeat("0", 30)}, "数值超出允许范围"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			bytes := allocated(func() { _, err = prog.Eval(context.Background(), tt.rec) })
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %v, want %q", err, tt.wantErr)
			}
			// the message quotes the cell clipped, not whole
			if err != nil && len(err.Error()) > 400 {
				t.Errorf("the message is %d bytes long", len(err.Error()))
			}
			if bytes > 16<<20 {
				t.Errorf("allocated %d MB", bytes>>20)
			}
		})
	}
}

// BenchmarkHostileCost compiles each class at growing sizes: the cost per
// unit of size (ns/op divided by the size) stays flat when it is linear.
//
//	go test -run NONE -bench HostileCost -benchmem
func BenchmarkHostileCost(b *testing.B) {
	classes := []struct {
		name string
		src  func(n int) string
	}{
		{"chain", func(n int) string { return "x = " + strings.Repeat("1 + ", n-1) + "1" }},
		{"definitions", func(n int) string {
			var s strings.Builder
			for i := range n {
				fmt.Fprintf(&s, "d%d = %d\n", i, i)
			}
			return s.String()
		}},
		{"nesting", func(n int) string {
			return "x = " + strings.Repeat("(", min(n, lang.MaxNesting)) + "1" + strings.Repeat(")", min(n, lang.MaxNesting)) + strings.Repeat(" + 1", n)
		}},
	}
	for _, cl := range classes {
		for _, n := range []int{1000, 4000, 16000} {
			src := []byte(cl.src(n))
			b.Run(fmt.Sprintf("%s/n=%d", cl.name, n), func(b *testing.B) {
				for b.Loop() {
					zhengce.Compile("b.zc", src)
				}
			})
		}
	}
}
