package zhengce_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// TestEvalIntoAgreesWithEval evaluates every example's data twice: with Eval,
// a fresh result per record, and with EvalInto, one result reused record
// after record (its storage and the lists it builds recycled). The two
// must say the same, record for record.
func TestEvalIntoAgreesWithEval(t *testing.T) {
	policies, _ := filepath.Glob("examples/*/*.zc")
	compared := 0
	for _, path := range policies {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := zhengce.CompileWith(path, src, zhengce.Options{AsOf: lang.Date{Year: 2025, Month: 9, Day: 1}})
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(path, ".zc")
		dataFiles, _ := filepath.Glob(base + "*.csv")
		jsonFiles, _ := filepath.Glob(base + "*.json")
		for _, file := range append(dataFiles, jsonFiles...) {
			reader, closer, err := data.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			var reused interp.Result
			for {
				row, err := reader.Next()
				if err == io.EOF {
					break
				}
				if err != nil || row.Err != nil {
					continue
				}
				want, wantErr := prog.Eval(context.Background(), row.Record)
				inputs, bindErr := prog.BindRecord(row.Record)
				if bindErr != nil {
					if wantErr == nil {
						t.Errorf("%s %d: BindRecord fails (%v) where Eval does not", file, row.Num, bindErr)
					}
					continue
				}
				gotErr := prog.EvalInto(context.Background(), inputs, &reused)
				if (wantErr == nil) != (gotErr == nil) {
					t.Errorf("%s %d: Eval error %v, EvalInto error %v", file, row.Num, wantErr, gotErr)
					continue
				}
				if wantErr != nil {
					continue
				}
				if diff := cmp.Diff(summary(want, nil), summary(&reused, nil)); diff != "" {
					t.Errorf("%s %d (-Eval +EvalInto):\n%s", file, row.Num, diff)
				}
				compared++
			}
			closer.Close()
		}
	}
	t.Logf("%d records compared", compared)
	if compared < 100 {
		t.Errorf("only %d records compared", compared)
	}
}
