package main

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"testing"
)

// TestJSONSchemaIsDocumented collects every object key that run, explain and
// match emit over the examples, and checks that spec/json.md documents it.
func TestJSONSchemaIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../spec/json.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z_]+)`").FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = true
	}
	runs := [][]string{
		{"run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助-含错误行.csv", "--id", "企业名称"},
		{"explain", "../../examples/rizhao-2025-implementation-rules/產學研合作.zc", "--data", "../../examples/rizhao-2025-implementation-rules/產學研合作.json", "--id", "企业名称", "--as-of", "2025-09-01"},
		{"explain", "../../examples/rizhao-2025-implementation-rules/揭榜掛帥.zc", "--data", "../../examples/rizhao-2025-implementation-rules/揭榜掛帥.csv", "--as-of", "2025-09-01"},
		{"explain", "../../examples/rizhao-2025-implementation-rules/風險準備金與再貸款.zc", "--data", "../../examples/rizhao-2025-implementation-rules/風險準備金與再貸款.csv", "--as-of", "2025-09-01"},
		{"match", "../../examples/zaozhuang-2025-measures/研发投入.zc", "../../examples/zaozhuang-2025-measures/创新券.zc", "--data", "../../examples/zaozhuang-2025-measures/研发投入.csv", "--id", "企业名称", "--as-of", "2025-07-01"},
	}
	dir := t.TempDir()
	naPolicy := writeFile(t, dir, "na.zc", "输入 a：金额\n规则 甲\n  条件 a 超过 0\n  补助 = a\n结束\nx = 甲.补助\n")
	naData := writeFile(t, dir, "na.csv", "a\n0\n5\n")
	runs = append(runs, []string{"run", naPolicy, "--data", naData})
	capped := writeFile(t, dir, "cap.zc", `输入 a：金额
输入 失信：是否
规则 甲
  补助 = a
结束
规则 乙
  奖励 = a * 2
结束
上限 合计最高
  额度 = 100元
结束
不予支持 负面清单
  条件 失信
结束
`)
	cappedData := writeFile(t, dir, "cap.csv", "a,失信\n80,否\n10,是\n")
	runs = append(runs, []string{"run", capped, "--data", cappedData}, []string{"match", capped, "--data", cappedData},
		[]string{"compare", "../../examples/quickstart/研发投入补助.zc", "--set", "补助比例=15%", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称"})
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				seen[k] = true
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, args := range runs {
		_, out, _ := zc(t, append(args, "--format", "json")...)
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		walk(v)
	}
	var missing []string
	for k := range seen {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("fields emitted but not documented in spec/json.md: %v", missing)
	}
	for _, k := range []string{"row", "rules", "applies", "explanation", "steps", "qualified", "near", "gap", "error", "notes", "exceptions", "na",
		"paid", "paid_output", "total", "denied", "limits", "reason_kind", "counts", "largest", "change"} {
		if !seen[k] {
			t.Errorf("the examples never produced %q: the test no longer covers it", k)
		}
	}
}
