package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	_, gen, _ := zc(t, "gen", policy, "-n", "3000", "--seed", "9")
	// spoil a few rows so that errors interleave with results
	lines := strings.Split(gen, "\n")
	for i := 5; i < len(lines)-1; i += 997 {
		lines[i] = strings.Replace(lines[i], ",是,", ",也许,", 1)
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
