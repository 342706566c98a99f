package data

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFraction checks that a reader opened by Open tells how far through
// its file it is: 0 before the first row, 1 at the end.
func TestFraction(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("企业名称,研发投入\n")
	for i := 0; i < 20000; i++ {
		csv.WriteString("某某科技有限公司,1234567.89\n")
	}
	tests := []struct {
		name, file, text string
		rows             int
	}{
		{"CSV", "a.csv", csv.String(), 20000},
		{"JSON Lines", "a.jsonl", strings.Repeat(`{"x": 1}`+"\n", 50000), 50000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			r, closer, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer closer.Close()
			var got []float64
			rows := 0
			for {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows++
				if rows == 1 || rows == tt.rows/2 {
					got = append(got, Fraction(r))
				}
			}
			got = append(got, Fraction(r))
			if rows != tt.rows {
				t.Fatalf("read %d rows, want %d", rows, tt.rows)
			}
			// Reads are buffered, so the share runs a little ahead of the
			// rows: it only has to be in (0, 1) midway and 1 at the end.
			if got[0] <= 0 || got[0] >= 0.5 || got[1] <= 0.3 || got[1] >= 1 {
				t.Errorf("fractions after the first and middle rows = %v, want in (0, 0.5) and (0.3, 1)", got[:2])
			}
			if diff := cmp.Diff(1.0, got[2]); diff != "" {
				t.Errorf("fraction at the end (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFractionUnknown checks that a reader not opened from a file says -1.
func TestFractionUnknown(t *testing.T) {
	if diff := cmp.Diff(-1.0, Fraction(nil)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
