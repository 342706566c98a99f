package examples

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// TestRizhaoOneEnterpriseIsPaidItsHighest: 日照 末段 “同一企業符合以上多項
// 支持政策標準的，按照‘就高、不重復’原則予以補助” across an enterprise's
// applications (one row each, 末段.csv), worked by hand from the text:
//
//   - 日照海工装备 applies four times: 創新券 100万元 × 20% = 20万元 (第5條);
//     橫向 60万 × 20% = 12万 and 600万 × 20% = 120万 → 100万 (每項最高),
//     112万元 (第14條); 揭榜掛帥 1000万 × 20% = 200万元 (第19條, 最高200万);
//     重大科技創新專項 核定 300万元 (第17條). Only the highest is paid: 300万元,
//     not the 632万元 of all four.
//   - 岚山氢能: 揭榜掛帥, 新興產業 500万 × 30% = 150万元; and 省財政貼息 on
//     30万元 of interest, 40% = 12万元, which the city's 就高 does not take
//     (it is the province's money): 162万元.
//   - 莒县检测: 創新券 300万 × 20% = 60万, 每年最高50万元: 50万元.
func TestRizhaoOneEnterpriseIsPaidItsHighest(t *testing.T) {
	const dir = "rizhao-2025-implementation-rules"
	sources, err := zhengce.ReadFolder(dir, zhengce.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := zhengce.CompileSources(sources, zhengce.Options{AsOf: lang.Date{Year: 2025, Month: 9, Day: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if key := prog.Checked().File.EnterpriseKey; key != "統一社會信用代碼" {
		t.Fatalf("the folder groups enterprises by %q", key)
	}
	reader, closer, err := data.Open(dir + "/末段.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	var names []string
	var results []*interp.Result
	byEnterprise := map[string][]*interp.Result{}
	for {
		row, err := reader.Next()
		if err == io.EOF {
			break
		}
		if err != nil || row.Err != nil {
			t.Fatal(err, row.Err)
		}
		res, err := prog.Eval(context.Background(), row.Record)
		var de *interp.DataError
		if err != nil && !(errors.As(err, &de) && de.Incomplete()) {
			t.Fatalf("row %d: %v", row.Num, err)
		}
		name := row.Record["企业名称"].(string)
		names = append(names, name)
		results = append(results, res)
		code := row.Record["统一社会信用代码"].(string)
		byEnterprise[code] = append(byEnterprise[code], res)
	}
	for _, rs := range byEnterprise {
		prog.SettleEnterprise(rs)
	}
	prog.ApplyPopulation(results)

	sums := map[string]decimal.Decimal{}
	for i, res := range results {
		sums[names[i]] = sums[names[i]].Add(res.Total().Decimal())
	}
	paid := map[string]string{}
	for name, sum := range sums {
		paid[name] = sum.String()
	}
	want := map[string]string{"日照海工装备": "3000000", "岚山氢能": "1620000", "莒县检测": "500000"}
	if diff := cmp.Diff(want, paid); diff != "" {
		t.Errorf("paid by enterprise (-want +got):\n%s", diff)
	}
	// the three set aside say which application was paid instead
	for row, rule := range map[int]string{0: "創新券使用方補助", 1: "產學研橫向項目支持", 2: "揭榜掛帥支持"} {
		got := ruleOutcome(results[row], rule)
		if !strings.Contains(got, "同一企业已按第 4 项申报的“重大科技創新專項”给予 300万元") {
			t.Errorf("row %d %s: %s", row+2, rule, got)
		}
	}
}
