package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDocumentFolder: a document's several files are one policy: a group
// in one file names rules of the others, an input declared in two files is
// one input, each file keeps its own 有效期 and test data, and errors name
// the file and its own lines. By hand: 甲 pays 30% of 100万 = 30万, 乙
// pays 50万; 就高不重复 keeps 乙. On 2027-01-01 乙's file has ended (有效期
// to 2026-12-31), so 甲 is paid.
func TestDocumentFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "文件")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "甲.zc", "输入 费用：金额\n规则 甲\n  补助 = 费用 * 30%\n结束\n测试 \"甲\"\n  数据 费用 = 100万元\n  评估日期 2027-01-01\n  期望 甲.补助 = 30万元\n结束\n")
	writeFile(t, dir, "乙.zc", "有效期 2025年1月1日 至 2026年12月31日\n输入 费用：金额\n规则 乙\n  补助 = 50万元\n结束\n测试 \"乙\"\n  数据 费用 = 1元\n  评估日期 2026-01-01\n  期望 乙.补助 = 50万元\n结束\n")
	writeFile(t, dir, "末段.zc", "就高不重复 企业就高\n  规则 甲，乙\n结束\n测试 \"就高\"\n  数据 费用 = 100万元\n  评估日期 2026-01-01\n  期望 甲 不适用 \"已按“乙”给予\"\n结束\n")
	data := writeFile(t, t.TempDir(), "d.csv", "费用,评估日期\n100万元,2026-01-01\n100万元,2027-01-01\n")
	code, out, errOut := zc(t, "run", dir, "--data", data, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []struct{ Total string }
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]struct{ Total string }{{"500000"}, {"300000"}}, rows); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	code, out, _ = zc(t, "test", dir)
	if code != exitOK || !strings.Contains(out, "3 个文件：3 个测试通过，0 个失败") {
		t.Errorf("test: exit %d\n%s", code, out)
	}
	// an error names its file and its own line
	writeFile(t, dir, "乙.zc", "输入 费用：金额\n规则 乙\n  补助 = 费用 * 未定义\n结束\n")
	_, _, errOut = zc(t, "check", dir)
	if want := filepath.Join(dir, "乙.zc") + ":3:13: 未定义的名称“未定义”"; !strings.Contains(errOut, want) {
		t.Errorf("check: want %q in:\n%s", want, errOut)
	}
}
