package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDeterministicOutput runs every example data file twice through run in
// each format: the bytes must be identical. Records are Go maps, whose
// order differs from run to run, so this also checks that nothing in the
// output follows map order.
func TestDeterministicOutput(t *testing.T) {
	files, _ := filepath.Glob("../../examples/*/*.*")
	runs := 0
	for _, data := range files {
		ext := filepath.Ext(data)
		if ext != ".csv" && ext != ".json" {
			continue
		}
		base := strings.TrimSuffix(data, ext)
		policy := ""
		for p := base; policy == "" && p != ""; {
			if _, err := os.Stat(p + ".zc"); err == nil {
				policy = p + ".zc"
			} else if i := strings.LastIndex(p, "-"); i > 0 {
				p = p[:i]
			} else {
				p = ""
			}
		}
		if policy == "" {
			continue
		}
		for _, format := range []string{"table", "csv", "json"} {
			args := []string{"run", policy, "--data", data, "--format", format, "--as-of", "2025-09-01"}
			_, first, firstErr := zc(t, args...)
			_, second, secondErr := zc(t, args...)
			if first != second || firstErr != secondErr {
				t.Errorf("%s over %s (%s): two runs differ", policy, data, format)
			}
			runs++
		}
	}
	if runs < 60 {
		t.Errorf("only %d runs: the example data was not found", runs)
	}
}

// TestSameOutputWhateverTheWorkers: the streaming run writes results in
// input order, so 1, 2 and 7 workers give the same bytes, errors included.
func TestSameOutputWhateverTheWorkers(t *testing.T) {
	dir := t.TempDir()
	policy := "../../examples/zaozhuang-2025-measures/研发投入.zc"
	_, gen, _ := zc(t, "gen", policy, "-n", "3000", "--seed", "9", "--as-of", "2025-09-01")
	// spoil a few rows so that errors interleave with results
	lines := strings.Split(gen, "\n")
	for i := 5; i < len(lines)-1; i += 997 {
		cells := strings.SplitN(lines[i], ",", 3) // 企业名称, 规上工业企业, the rest
		lines[i] = cells[0] + ",也许," + cells[2]
	}
	data := writeFile(t, dir, "gen.csv", strings.Join(lines, "\n"))
	for _, format := range []string{"csv", "json"} {
		var first, firstErr string
		for _, workers := range []string{"1", "2", "7"} {
			_, out, errOut := zc(t, "run", policy, "--data", data, "--format", format, "--workers", workers, "--id", "企业名称", "--as-of", "2025-09-01")
			if workers == "1" {
				first, firstErr = out, errOut
				if !strings.Contains(errOut, "失败 4 行") {
					t.Errorf("the spoiled rows did not fail: %s", errOut)
				}
				continue
			}
			if out != first || errOut != firstErr {
				t.Errorf("%s with %s workers differs from 1 worker", format, workers)
			}
		}
	}
}

// TestStreamingSettlesBudgetsAndQuotas: a policy with a budget and a quota
// streamed in two passes. By hand: three claims of 1000万 on a 1000万
// budget get a third each, 3333333.33 rounded down, the leftover fen to the
// first; of the scores 90, 95, 90 with two places, 95 and the first 90 keep
// their place, the second 90 ranks third.
func TestStreamingSettlesBudgetsAndQuotas(t *testing.T) {
	dir := t.TempDir()
	policy := writeFile(t, dir, "p.zc", `输入 申请额：金额
输入 评分：数值
规则 资助
  条件 申请额 超过 0
  资助额 = 申请额
结束
预算 专项资金
  总额 = 1000万元
  规则 资助
结束
规则 表扬
  条件 评分 超过 0
  称号 = "绩效突出"
结束
评选 年度评选
  名额 = 2
  排序 评分
  先到先得
  规则 表扬
结束
`)
	data := writeFile(t, dir, "d.csv", "单位,申请额,评分\n甲,1000万,90\n乙,1000万,95\n丙,1000万,90\n")
	want := "行,单位,资助,表扬,资助.适用,资助.原因,表扬.适用,表扬.原因,错误\n" +
		"2,甲,3333333.34,绩效突出,是,,是,,\n" +
		"3,乙,3333333.33,绩效突出,是,,是,,\n" +
		"4,丙,3333333.33,不适用,是,,否,评选“年度评选”名额 2 名，按“评分”（90）排第 3 名；与名额内最后一名同分，按申报先后（先到先得）在后,\n"
	for _, workers := range []string{"1", "2"} {
		_, out, errOut := zc(t, "run", policy, "--data", data, "--format", "csv", "--id", "单位", "--workers", workers)
		if diff := cmp.Diff(want, out); diff != "" {
			t.Errorf("workers %s (-want +got):\n%s%s", workers, diff, errOut)
		}
	}
}
