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
