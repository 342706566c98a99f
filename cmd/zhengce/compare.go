package main

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

const compareUsageZh = `用法：zhengce compare 基准.zc [改革.zc] --data 数据文件 [--set 参数=值…] [--report 报告.html]

政策调整对比：同一批企业在基准与改革两种政策下的总成本、各规则成本、受益与受损的企业数、
新获得与不再获得的企业数、变化最大的企业。只给一个政策文件时，改革即该文件加上 --set 的参数。
--report 写出一个自包含的 HTML 页面（表格与金额分布图），可直接在浏览器中打开。
`

const compareUsageEn = `Usage: zhengce compare BASE.zc [REFORM.zc] --data FILE [--set NAME=VALUE…] [--report report.html]

Compare a policy and a reform over the same enterprises: total cost, cost per
rule, how many gain, lose, newly qualify or drop out, and the largest changes.
With one policy file the reform is that file with the --set overrides.
--report writes a self-contained HTML page with the tables and a chart of the
distribution of amounts.
`

// comparison is what compare computes.
type comparison struct {
	zhengce.Comparison
	// Bins count the enterprises paid something, by amount; Zero those
	// paid nothing, under the base and the reform
	Bins []bin
	Zero [2]int
	// Partial counts the rows evaluated in part (data missing or bad):
	// counted, but the rules that read the bad fields did not apply
	Partial int
	// RuleChart is each rule's cost; ChangeChart each enterprise's gain
	// or loss (the largest 30)
	RuleChart, ChangeChart *hbarChart
	// Loc is the reader's language, for the words the charts carry
	Loc lang.Locale
}

// bin is one bar pair of the distribution chart.
type bin struct {
	Label        string
	Base, Reform int
}

func (c *cli) compare(args []string) int {
	fs := c.flags("compare", compareUsageZh, compareUsageEn)
	dataPath := fs.String("data", "", c.say("数据文件", "data file"))
	idCol := fs.String("id", "", c.say("用来标识每家企业的列", "column that identifies each enterprise"))
	report := fs.String("report", "", c.say("把对比写成 HTML 报告", "write the comparison as an HTML report"))
	ef := c.addEvalFlags(fs, "改革方案的参数，如 --set 补助比例=15%（可重复）", "a parameter of the reform, e.g. --set rate=15% (repeatable)")
	reformAsOf := fs.String("reform-as-of", "", c.say("改革方案的评估日期（默认与 --as-of 相同）：比较同一政策在两个日期的成本", "date of evaluation of the reform (default --as-of): compare a policy on two dates"))
	format := fs.String("format", "text", c.say("输出格式：text 或 json", "output format: text or json"))
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if *format != "text" && *format != "json" {
		c.errorf("--format 的值“%s”不可用：可用 text 或 json", "--format %q is not available: use text or json", *format)
		return exitUsage
	}
	switch {
	case fs.NArg() == 0 || fs.NArg() > 2:
		return c.usageError("compare", "要给出基准政策，与改革政策或 --set，如 zhengce compare 基准.zc 改革.zc --data 数据.csv", "give the base policy and a reform policy or --set, as in zhengce compare base.zc reform.zc --data data.csv")
	case *dataPath == "":
		return c.usageError("compare", "缺少 --data：两种政策下要比较的企业", "--data is missing: the enterprises to compare under both")
	case fs.NArg() == 1 && len(*ef.sets) == 0 && *reformAsOf == "":
		return c.usageError("compare", "只给了基准政策：请再给改革政策文件，或 --set 参数=值，或 --reform-as-of 日期", "only the base is given: add a reform policy, --set NAME=VALUE or --reform-as-of DATE")
	}
	opts, stop, ok := c.options(ef)
	defer stop()
	if !ok {
		return exitUsage
	}
	params := opts.Params
	opts.Params = nil
	basePath, reformPath := fs.Arg(0), fs.Arg(fs.NArg()-1)
	base, code := c.load(basePath, opts)
	if base == nil {
		return code
	}
	reformOpts := opts
	reformOpts.Params = params
	if !c.parseAsOf(*reformAsOf, &reformOpts) {
		return exitUsage
	}
	reform, code := c.load(reformPath, reformOpts)
	if reform == nil {
		return code
	}
	rows, isArray, code := c.readRows(*dataPath, *ef.encoding)
	if rows == nil && code != exitOK {
		return code
	}
	cols := rowColumns(rows)
	if !c.columnOfFlag("--id", *idCol, cols) {
		return exitUsage
	}
	baseGroup, ok := c.enterpriseOf(base, *ef.enterprise, cols)
	if !ok {
		return exitUsage
	}
	reformGroup := baseGroup
	if enterpriseColumn(reform, *ef.enterprise) != enterpriseColumn(base, *ef.enterprise) {
		reformGroup, _ = c.enterpriseOf(reform, *ef.enterprise, cols)
	}

	reformName := reformPath
	if fs.NArg() == 1 {
		var changes []string
		changes = append(changes, *ef.sets...)
		if *reformAsOf != "" {
			changes = append(changes, c.say("评估日期 ", "as of ")+*reformAsOf)
		}
		reformName = basePath + " + " + strings.Join(changes, c.say("，", ", "))
	}
	reportBad := c.reportRow(rows, isArray)
	erred := map[int]bool{} // rows with bad data: failed, or evaluated in part
	badRow := func(i int, err error) { erred[i] = true; reportBad(i, err) }
	baseRes := c.evalAll(base, rows, baseGroup, base.Eval, badRow)
	reformRes := c.evalAll(reform, rows, reformGroup, reform.Eval, badRow)
	nums, ids := make([]int, len(rows)), make([]string, len(rows))
	for i, row := range rows {
		nums[i] = row.Num
		if *idCol != "" {
			ids[i] = zhengce.FieldText(row.Record, *idCol)
		}
	}
	cmp := comparison{Comparison: *zhengce.Compare(baseRes, reformRes, nums, ids), Loc: c.loc}
	cmp.Base, cmp.Reform = basePath, reformName
	cmp.Partial = len(erred) - cmp.Failed
	cmp.chart(baseRes, reformRes, func(i int) string {
		if ids[i] != "" {
			return ids[i]
		}
		return rows[i].LabelIn(isArray, c.loc == lang.English)
	})
	if *format == "json" {
		c.writeComparisonJSON(&cmp)
	} else {
		c.writeComparison(&cmp)
	}
	if *report != "" {
		f, err := createPrivate(*report)
		if err == nil {
			err = inLanguage(reportTemplate, c.loc).Execute(f, &cmp)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			c.errorf("无法写出报告：%v", "cannot write the report: %v", c.message(err))
			return exitData
		}
	}
	if cmp.Failed > 0 || len(erred) > 0 {
		return exitData
	}
	return exitOK
}

// evalAll evaluates every row with eval (the program's Eval, or EvalWith testing every condition)
// and settles budgets and quotas over the results. A row that cannot be
// read or evaluated has a nil result and, when failed is not nil, is passed
// to it by index.
func (c *cli) evalAll(prog *zhengce.Program, rows []data.Row, groupCol string, eval func(context.Context, zhengce.Record) (*zhengce.Result, error), failed func(i int, err error)) []*zhengce.Result {
	out := make([]*zhengce.Result, len(rows))
	for i, row := range rows {
		err := row.Err
		if err == nil {
			out[i], err = eval(c.ctx, row.Record)
		}
		if err != nil && failed != nil {
			failed(i, err)
		}
	}
	records := make([]zhengce.Record, len(rows))
	for i, row := range rows {
		records[i] = row.Record
	}
	zhengce.SettleBatch(prog, records, out, groupCol)
	return out
}

// enterpriseColumn is the column that tells an enterprise's records apart:
// the flag's, or the policy's (同一企业 按 …), or "".
func enterpriseColumn(prog *zhengce.Program, flag string) string {
	if flag != "" {
		return flag
	}
	return prog.Checked().File.EnterpriseKey
}

// enterpriseOf is enterpriseColumn checked against the data's columns
// (nil for JSON, which has none to check): a misspelt --enterprise is an
// error; a policy's 同一企业 column the data lacks is a warning, and each
// record is then an enterprise of its own.
func (c *cli) enterpriseOf(prog *zhengce.Program, flag string, cols []string) (string, bool) {
	col := enterpriseColumn(prog, flag)
	if col == "" || cols == nil {
		return col, true
	}
	if flag != "" {
		return col, c.columnOfFlag("--enterprise", col, cols)
	}
	for _, have := range cols {
		if lang.FoldName(have) == lang.FoldName(col) {
			return col, true
		}
	}
	c.errorf("政策按“%s”认同一企业，数据没有这一列：每条记录按一家企业计算", "the policy tells enterprises apart by %q, a column the data does not have: each record counts as an enterprise of its own", col)
	return "", true
}

// reportRow prints a row that could not be evaluated on stderr: once,
// though both policies fail on it, unless they fail for different reasons.
func (c *cli) reportRow(rows []data.Row, isArray bool) func(i int, err error) {
	said := map[int]string{}
	return func(i int, err error) {
		msg := c.message(err)
		if said[i] == msg {
			return
		}
		said[i] = msg
		fmt.Fprintf(c.stderr, c.say("%s：%s\n", "%s: %s\n"), rows[i].LabelIn(isArray, c.loc == lang.English), msg)
	}
}

// histogram counts amounts into n equal bins from 0 to the largest amount.
func histogram(base, reform []decimal.Decimal, n int) []bin {
	top := decimal.Zero
	for _, a := range append(append([]decimal.Decimal(nil), base...), reform...) {
		top = decimal.Max(top, a)
	}
	if !top.IsPositive() {
		return nil
	}
	width := top.DivRound(decimal.NewFromInt(int64(n)), 2)
	bins := make([]bin, n)
	for i := range bins {
		lo := width.Mul(decimal.NewFromInt(int64(i)))
		bins[i].Label = wan(lo) + "–" + wan(lo.Add(width))
	}
	place := func(a decimal.Decimal) int {
		i := int(a.Div(width).IntPart())
		return min(max(i, 0), n-1)
	}
	for _, a := range base {
		bins[place(a)].Base++
	}
	for _, a := range reform {
		bins[place(a)].Reform++
	}
	return bins
}

// wan writes an amount in 万 (ten thousands) for people: two decimals,
// thousands separated (1,234.50), the unit left to the heading or axis.
func wan(d decimal.Decimal) string { return zhengce.MoneyFigure(d.Shift(-4)) }

// amountFor writes an amount for a reader in a sentence: 12.50万元, or
// 125,000.00 yuan.
func amountFor(d decimal.Decimal, loc lang.Locale) string {
	if loc == lang.English {
		return figure(d) + " yuan"
	}
	return wan(d) + "万元"
}

// figure formats an amount in a column headed by its unit.
func figure(d decimal.Decimal) string { return zhengce.MoneyFigure(d) }

// signedChange formats the change from base to reform, signed: +30,000.00.
func signedChange(base, reform decimal.Decimal) string {
	d := reform.Sub(base)
	if d.IsPositive() {
		return "+" + figure(d)
	}
	return figure(d)
}

func (c *cli) writeComparison(cmp *comparison) {
	w := c.stdout
	fmt.Fprintf(w, c.say("基准：%s\n改革：%s\n企业：%d 家\n\n", "base: %s\nreform: %s\nenterprises: %d\n\n"), cmp.Base, cmp.Reform, cmp.Rows)
	rows := [][]string{{c.say("", ""), c.say("基准", "base"), c.say("改革", "reform"), c.say("变化", "change")}}
	rows = append(rows, []string{c.say("总成本（元）", "total cost (yuan)"), figure(cmp.BaseTotal), figure(cmp.ReformTotal), signedChange(cmp.BaseTotal, cmp.ReformTotal)})
	for _, r := range cmp.Rules {
		rows = append(rows, []string{r.Name, figure(r.Base), figure(r.Reform), signedChange(r.Base, r.Reform)})
	}
	writeAligned(w, rows)
	fmt.Fprintf(w, c.say("\n受益 %d 家，受损 %d 家，新获得 %d 家，不再获得 %d 家，不变 %d 家\n", "\n%d gain, %d lose, %d newly qualify, %d drop out, %d unchanged\n"),
		cmp.Gain, cmp.Lose, cmp.New, cmp.Drop, cmp.Same)
	if len(cmp.Largest) > 0 {
		fmt.Fprintln(w, c.say("\n变化最大的企业：", "\nlargest changes:"))
		rows = [][]string{{c.say("行", "row"), c.say("企业", "id"), c.say("基准（元）", "base (yuan)"), c.say("改革（元）", "reform (yuan)"), c.say("变化（元）", "change (yuan)")}}
		for _, ch := range cmp.Largest {
			rows = append(rows, []string{fmt.Sprint(ch.Row), ch.ID, figure(ch.Base), figure(ch.Reform), signedChange(ch.Base, ch.Reform)})
		}
		writeAligned(w, rows)
	}
}

// reportTemplate is the HTML report: self-contained, no scripts or remote
// resources, the chart as inline SVG.
var reportTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"say":    sayChinese,
	"change": func(reform, base decimal.Decimal) string { return signedChange(base, reform) },
	"figure": figure,
	"wan":    wan,
	"barX":   func(i int) int { return 60 + i*80 },
	"barH":   barHeight,
	"barY":   func(n, total int) int { return 230 - barHeight(n, total) },
	"plus":   func(a, b int) int { return a + b },
	"count":  tallest,
	"half":   func(n int) int { return n / 2 },
}).ParseFS(templates, "report.html.tmpl"))

// templates holds the HTML report, self-contained: no scripts, no remote
// resources (the intranet has none).
//
//go:embed report.html.tmpl
var templates embed.FS

// tallest is the largest count of any bar, which fills the chart's height.
func tallest(bins []bin) int {
	n := 0
	for _, b := range bins {
		n = max(n, b.Base, b.Reform)
	}
	return n
}

// barHeight is the height in pixels of a bar of n out of the tallest total.
func barHeight(n, total int) int {
	if total == 0 {
		return 0
	}
	return n * 200 / total
}

func (c *cli) writeComparisonJSON(cmp *comparison) {
	out := cmp.JSON()
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}
