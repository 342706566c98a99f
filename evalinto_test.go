package zhengce_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
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
	folders, _ := filepath.Glob("examples/*")
	compared, partial := 0, 0
	for _, dir := range folders {
		sources, err := zhengce.ReadFolder(dir, zhengce.Limits{})
		if err != nil || len(sources) == 0 {
			continue // a file, or a folder of no policy
		}
		prog, err := zhengce.CompileSources(sources, zhengce.Options{AsOf: lang.Date{Year: 2025, Month: 9, Day: 1}})
		if err != nil {
			t.Fatal(err)
		}
		dataFiles, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		jsonFiles, _ := filepath.Glob(filepath.Join(dir, "*.json"))
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
				var de *interp.DataError
				if bindErr != nil && !errors.As(bindErr, &de) {
					if wantErr == nil {
						t.Errorf("%s %d: BindRecord fails (%v) where Eval does not", file, row.Num, bindErr)
					}
					continue
				}
				gotErr := prog.EvalInto(context.Background(), inputs, &reused)
				if want == nil { // the record cannot be evaluated (a 台账 item of a later year): both say why
					if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
						t.Errorf("%s %d: Eval error %v, EvalInto error %v", file, row.Num, wantErr, gotErr)
					}
					continue
				}
				if fmt.Sprint(bindErr) != fmt.Sprint(wantErr) {
					t.Errorf("%s %d: Eval says %v of the data, BindRecord %v", file, row.Num, wantErr, bindErr)
				}
				if gotErr != nil {
					t.Errorf("%s %d: EvalInto error %v", file, row.Num, gotErr)
					continue
				}
				if diff := cmp.Diff(summary(want, nil), summary(&reused, nil)); diff != "" {
					t.Errorf("%s %d (-Eval +EvalInto):\n%s", file, row.Num, diff)
				}
				compared++
				if de != nil {
					partial++
				}
			}
			closer.Close()
		}
	}
	t.Logf("%d records compared, %d of them partial", compared, partial)
	if compared < 100 || partial < 20 {
		t.Errorf("only %d records compared, %d of them partial", compared, partial)
	}
}
