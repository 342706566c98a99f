package zhengce_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

// TestResultJSON: a result's JSON form carries the exact amounts as
// strings, the paid output, the reason a rule does not apply, in either
// language; a record decoded by data.DecodeObject keeps exact numbers.
func TestResultJSON(t *testing.T) {
	src, err := os.ReadFile("examples/quickstart/研发投入补助.zc")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := zhengce.CompileWith("研发投入补助.zc", src, zhengce.Options{AsOf: lang.Date{Year: 2025, Month: 7, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	type rule struct {
		Applies            bool
		Paid, Output, Kind string
	}
	for _, tt := range []struct {
		name, record string
		loc          zhengce.Locale
		total        string
		rule         rule
		reasonHas    string
	}{
		// 增量 1234.5678万 − 1000万 = 234.5678万元 = 2,345,678元; ×10% = 234,567.8元, under 200万
		{"paid, exact", `{"规上工业企业": true, "研发投入": 12345678, "上年研发投入": 10000000, "主营业务收入": 100000000, "承诺年均增长率": "30%"}`, lang.Chinese,
			"234567.8", rule{true, "234567.8", "补助", ""}, ""},
		// 占比 3,000,000 / 100,000,000 = 3% is not above 3.5%
		{"not applicable, in English", `{"规上工业企业": true, "研发投入": 3000000, "上年研发投入": 1000000, "主营业务收入": 100000000, "承诺年均增长率": "30%"}`, lang.English,
			"0", rule{false, "", "", "condition"}, "3.5%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := data.DecodeObject([]byte(tt.record))
			if err != nil {
				t.Fatal(err)
			}
			res, err := prog.Eval(context.Background(), rec)
			j := zhengce.ResultJSON(res, err, tt.loc)
			b, _ := json.Marshal(j)
			var back struct {
				Total string
				Rules []struct {
					Applies    bool
					Paid       string
					PaidOutput string `json:"paid_output"`
					Kind       string `json:"reason_kind"`
					Reason     string
				}
			}
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			got := rule{back.Rules[0].Applies, back.Rules[0].Paid, back.Rules[0].PaidOutput, back.Rules[0].Kind}
			if diff := cmp.Diff(tt.rule, got); diff != "" || back.Total != tt.total {
				t.Errorf("total %s, want %s; rule (-want +got):\n%s\n%s", back.Total, tt.total, diff, b)
			}
			if !strings.Contains(back.Rules[0].Reason, tt.reasonHas) {
				t.Errorf("reason %q lacks %q", back.Rules[0].Reason, tt.reasonHas)
			}
		})
	}
}

// TestFloatRefused: a record decoded by a plain encoding/json holds
// float64, which is refused with a message that says how to keep numbers
// exact.
func TestFloatRefused(t *testing.T) {
	src, _ := os.ReadFile("examples/quickstart/研发投入补助.zc")
	prog, err := zhengce.Compile("研发投入补助.zc", src)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	json.Unmarshal([]byte(`{"规上工业企业": true, "研发投入": 0.1, "上年研发投入": 0, "主营业务收入": 1, "承诺年均增长率": "30%"}`), &rec)
	_, err = prog.Eval(context.Background(), rec)
	for _, want := range []string{"UseNumber", "data.DecodeObject"} {
		if msg := zhengce.ErrorText(err, lang.Chinese); !strings.Contains(msg, want) {
			t.Errorf("message %q does not name %s", msg, want)
		}
	}
}
