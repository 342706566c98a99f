package main

import (
	"encoding/json"
	stdhtml "html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// TestCompare: raising 补助比例 from 10% to 15% over the quickstart data.
// By hand: the base pays 200万 (capped) + 40万 + 200万 (capped) = 440万;
// at 15% 枣庄新材料 gets 400万 × 15% = 60万 and the two capped stay at
// 200万: 460万, +20万, one enterprise gains.
func TestCompare(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut := zc(t, "compare", "../../examples/quickstart/研发投入补助.zc", "--set", "补助比例=15%",
		"--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称", "--report", report)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, s := range []string{
		"总成本（元） 4,400,000.00 4,600,000.00 +200,000.00",
		"受益 1 家，受损 0 家，新获得 0 家，不再获得 0 家，不变 6 家",
		"3 枣庄新材料 400,000.00 600,000.00 +200,000.00",
	} {
		if !containsSpaced(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	html, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"<td>总成本</td><td>4,400,000.00</td><td>4,600,000.00</td><td>+200,000.00</td>",
		`<p id="counts">受益 1 家，受损 0 家，新获得 0 家，不再获得 0 家，不变 6 家</p>`, `<svg id="chart"`} {
		if !strings.Contains(stdhtml.UnescapeString(string(html)), s) {
			t.Errorf("report lacks %q", s)
		}
	}
	if strings.Contains(string(html), "<script") || strings.Contains(string(html), "http") {
		t.Errorf("the report must be self-contained: no scripts, no remote resources")
	}
}

// TestCompareTwoFiles: a reform written as its own file. Reform A lowers
// 占比门槛 to 3% and the cap to 150万. By hand: 鲁南机床 300万 → 150万
// (loses); 枣庄新材料 40万 (same); 薛城电子 3.5% > 3%, 增量 200万 → 20万
// (newly qualifies); 峄城装备 200万 → 150万 (loses); total 360万, −80万.
// Reform B raises 承诺增长下限 to 35%: 鲁南机床 promised 30% and drops
// out; 枣庄新材料 (35%) and 峄城装备 (40%) stay; total 240万, −200万.
func TestCompareTwoFiles(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../examples/quickstart/研发投入补助.zc")
	if err != nil {
		t.Fatal(err)
	}
	reform := strings.NewReplacer("参数 占比门槛 = 3.5%", "参数 占比门槛 = 3%", "参数 补助上限 = 200万元", "参数 补助上限 = 150万元").Replace(string(src))
	path := writeFile(t, dir, "改革.zc", reform)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"compare", "../../examples/quickstart/研发投入补助.zc", path},
			[]string{"总成本（元） 4,400,000.00 3,600,000.00 -800,000.00", "受益 0 家，受损 2 家，新获得 1 家，不再获得 0 家，不变 4 家"}},
		{[]string{"compare", "../../examples/quickstart/研发投入补助.zc", "--set", "承诺增长下限=35%"},
			[]string{"总成本（元） 4,400,000.00 2,400,000.00 -2,000,000.00", "受益 0 家，受损 0 家，新获得 0 家，不再获得 1 家，不变 6 家"}},
	}
	for _, tt := range tests {
		code, out, errOut := zc(t, append(tt.args, "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称")...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, s := range tt.want {
			if !containsSpaced(out, s) {
				t.Errorf("output lacks %q:\n%s", s, out)
			}
		}
	}
}

// TestCompareAndMatchReportBadRows: a row whose 研发投入占比 is not a number
// is named by both commands, and the other rows are still evaluated. By
// hand, at 10%: A gets 1500万 × 10% = 150万, C is capped at 200万; at 20%
// A gets 300万 → 200万: the total rises from 350万 to 400万.
func TestCompareAndMatchReportBadRows(t *testing.T) {
	dir := t.TempDir()
	policy := writeFile(t, dir, "p.zc", testPolicy)
	csv := writeFile(t, dir, "d.csv", "企业,研发投入增量,研发投入占比\nA,15000000,5%\nB,20000000,很多\nC,30000000,6%\n")

	code, out, errOut := zc(t, "compare", policy, "--set", "补助比例=20%", "--data", csv, "--id", "企业")
	if code != exitData {
		t.Errorf("compare: exit %d, want %d", code, exitData)
	}
	if n := strings.Count(errOut, "第 3 行："); n != 1 {
		t.Errorf("compare: row 3 reported %d times, want once though both policies fail on it:\n%s", n, errOut)
	}
	if !containsSpaced(out, "总成本（元） 3,500,000.00 4,000,000.00 +500,000.00") {
		t.Errorf("compare: the good rows are not all counted:\n%s", out)
	}
	// a JSON array's records are records, not lines
	jsonData := writeFile(t, dir, "d.json", `[{"企业":"A","研发投入增量":"15000000","研发投入占比":"5%"},{"企业":"B","研发投入增量":"20000000","研发投入占比":"很多"}]`)
	if _, _, errOut := zc(t, "compare", policy, "--set", "补助比例=20%", "--data", jsonData, "--id", "企业"); strings.Count(errOut, "第 2 条记录：") != 1 {
		t.Errorf("compare: the bad JSON record is not named once as 第 2 条记录:\n%s", errOut)
	}

	code, out, _ = zc(t, "match", policy, "--data", csv, "--id", "企业", "--format", "json")
	if code != exitData {
		t.Errorf("match: exit %d, want %d", code, exitData)
	}
	var rows []struct {
		Row       int
		ID        string
		Qualified []struct{ Rule string }
		Errors    []string
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("match JSON: %v\n%s", err, out)
	}
	type summary struct {
		ID        string
		Qualified int
		Errors    int
	}
	var got []summary
	for _, r := range rows {
		got = append(got, summary{r.ID, len(r.Qualified), len(r.Errors)})
	}
	want := []summary{{"A", 1, 0}, {"B", 0, 1}, {"C", 1, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("match (-want +got):\n%s\n%s", diff, out)
	}
}

// containsSpaced reports whether s holds want, any run of spaces in either
// matching any other: an aligned table's padding depends on its widest cell.
func containsSpaced(s, want string) bool {
	squeeze := regexp.MustCompile(` +`)
	return strings.Contains(squeeze.ReplaceAllString(s, " "), squeeze.ReplaceAllString(want, " "))
}

// TestCharts: the axes of the report's charts are round numbers of 万元
// that include 0 and every value; losses go left of 0.
func TestCharts(t *testing.T) {
	wanOf := func(s string) decimal.Decimal {
		d, _ := decimal.NewFromString(s)
		return d.Mul(decimal.NewFromInt(10_000))
	}
	for _, tt := range []struct {
		name   string
		values []string // 万元
		ticks  []string
	}{
		// largest 460: a quarter is 115, rounded up to a step of 200
		{"costs", []string{"440", "460"}, []string{"0", "200", "400", "600"}},
		// from −12 to 20: span 32, a quarter 8, a step of 10
		{"gains and losses", []string{"20", "-12"}, []string{"-20", "-10", "0", "10", "20"}},
		{"small amounts", []string{"0.35"}, []string{"0", "0.1", "0.2", "0.3", "0.4"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var labels []string
			var values [][]decimal.Decimal
			for _, v := range tt.values {
				labels = append(labels, v)
				values = append(values, []decimal.Decimal{wanOf(v)})
			}
			ch := newHBarChart(labels, values, []string{"base"}, []string{"基准"}, lang.Chinese)
			var ticks []string
			for _, tk := range ch.Ticks {
				ticks = append(ticks, tk.Label)
			}
			if diff := cmp.Diff(tt.ticks, ticks); diff != "" {
				t.Errorf("ticks (-want +got):\n%s", diff)
			}
			for i, row := range ch.Rows {
				bar := row.Bars[0]
				if neg := values[i][0].IsNegative(); neg != (bar.X < ch.ZeroX) || bar.X < ch.Left || bar.X+bar.W > ch.Right {
					t.Errorf("%s: bar from %d to %d; zero at %d, plot %d–%d", row.Label, bar.X, bar.X+bar.W, ch.ZeroX, ch.Left, ch.Right)
				}
			}
		})
	}
}
