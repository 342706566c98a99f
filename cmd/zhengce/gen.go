package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

const genUsageZh = `用法：zhengce gen 政策.zc -n 行数 [--seed 种子]

按政策文件的输入写出虚构企业的 CSV 数据，用于测算与基准测试：金额按对数正态分布（多数企业几百万元，
少数上亿），比例在 0–40% 之间，是否约七成为是，文本取政策中出现过的类别，日期在近五年内，列表为
0–4 项的 JSON 数组。同一种子得到同一份数据。
`

const genUsageEn = `Usage: zhengce gen POLICY.zc -n ROWS [--seed SEED]

Write fictional enterprises as CSV with the policy's inputs, for estimates and
benchmarks: amounts log-normal (most a few million yuan, a few hundreds of
millions), ratios between 0 and 40%, yes about 70% of the time, text from the
categories the policy mentions, dates within five years, lists of 0–4 items
as JSON. The same seed gives the same data.
`

func (c *cli) gen(args []string) int {
	fs := c.flags("gen", genUsageZh, genUsageEn)
	n := fs.IntP("rows", "n", 1000, c.say("行数", "number of rows"))
	seed := fs.Uint64("seed", 1, c.say("随机种子", "random seed"))
	asOf := fs.String("as-of", "", c.say("评估日期（默认今天）：台账中的年度不晚于这一年", "date of evaluation (default today): no year of a ledger is later"))
	perEnterprise := fs.Int("per-enterprise", 0, c.say("每家企业的申报记录数：写出“统一社会信用代码”列，同一企业的各条记录相邻（按该列排序）", "records per enterprise: write a column of unified social credit codes, an enterprise's records together (sorted by it)"))
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	switch {
	case fs.NArg() != 1:
		return c.usageError("gen", "要给出一份政策，如 zhengce gen 政策.zc -n 1000", "give one policy, as in zhengce gen policy.zc -n 1000")
	case *n < 0:
		return c.usageError("gen", "-n 应为 0 或正数，这里是 %d", "-n must be 0 or more, not %d", *n)
	case *perEnterprise < 0:
		return c.usageError("gen", "--per-enterprise 应为 0 或正数，这里是 %d", "--per-enterprise must be 0 or more, not %d", *perEnterprise)
	}
	var opts zhengce.Options
	if !c.parseAsOf(*asOf, &opts) {
		return exitUsage
	}
	prog, code := c.load(fs.Arg(0), opts)
	if prog == nil {
		return code
	}
	// the text categories the policy compares with or looks up
	categories := textLiterals(prog.Checked().File)
	g := generator{r: rand.New(rand.NewPCG(*seed, 2025)), categories: categories, rules: ruleNames(prog)}
	g.lastYear = prog.AsOf().Year
	g.firstYear = prog.FirstYear()
	if g.firstYear == 0 || g.firstYear > g.lastYear {
		g.firstYear = g.lastYear - 2
	}
	w := bufio.NewWriterSize(c.stdout, 1<<16)
	cw := csv.NewWriter(w)
	header := []string{"企业名称"}
	if *perEnterprise > 0 {
		header = append(header, "统一社会信用代码")
	}
	for _, in := range prog.Inputs() {
		header = append(header, in.Name.Text)
	}
	cw.Write(header)
	row := make([]string, len(header))
	first := len(header) - len(prog.Inputs()) // where the inputs begin
	for i := 0; i < *n; i++ {
		row[0] = fmt.Sprintf("企业%07d", i+1)
		if *perEnterprise > 0 {
			e := i / *perEnterprise
			row[0] = fmt.Sprintf("企业%07d", e+1)
			row[1] = fmt.Sprintf("91370400MA%08d", e+1) // sorted as text, as the records are
		}
		for j, in := range prog.Inputs() {
			row[first+j] = g.value(in.Type)
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := w.Flush(); err != nil {
		c.errorf("%v", "%v", c.message(err))
		return exitData
	}
	return exitOK
}

// generator makes the cells of random records.
type generator struct {
	r          *rand.Rand
	categories []string // the texts the policy compares with
	rules      []string // the policy's rules, the matters of a 台账
	// the years a 台账's items may be of
	firstYear, lastYear int
}

// value makes one cell of type t.
func (g *generator) value(t lang.Type) string {
	r, categories := g.r, g.categories
	if t.Rec == lang.LedgerRecord { // items of the policy's years, for its rules
		var items []string
		for k := r.IntN(3); k > 0 && len(g.rules) > 0; k-- {
			year := g.firstYear + r.IntN(g.lastYear-g.firstYear+1)
			paid := math.Exp(r.NormFloat64() + math.Log(3e5))
			items = append(items, fmt.Sprintf(`{"年度": %d, "事项": %q, "兑现额": "%.2f"}`, year, g.rules[r.IntN(len(g.rules))], paid))
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	switch t.Kind {
	case lang.KindMoney:
		// log-normal around 5 million yuan, to the fen
		v := math.Exp(r.NormFloat64()*1.2 + math.Log(5e6))
		return fmt.Sprintf("%.2f", math.Min(v, 5e10))
	case lang.KindNumber:
		return fmt.Sprint(r.IntN(500))
	case lang.KindRatio:
		return fmt.Sprintf("%.2f%%", r.Float64()*40)
	case lang.KindBool:
		if r.IntN(10) < 7 {
			return "是"
		}
		return "否"
	case lang.KindText:
		if len(categories) == 0 || r.IntN(5) == 0 {
			return "无"
		}
		return categories[r.IntN(len(categories))]
	case lang.KindDate:
		return fmt.Sprintf("%d-%02d-%02d", 2021+r.IntN(5), 1+r.IntN(12), 1+r.IntN(28))
	case lang.KindList:
		var items []string
		for k := r.IntN(5); k > 0; k-- {
			var fields []string
			for _, f := range t.Rec.Fields {
				fields = append(fields, fmt.Sprintf("%q: %q", f.Name.Text, g.value(f.Type)))
			}
			items = append(items, "{"+strings.Join(fields, ", ")+"}")
		}
		return "[" + strings.Join(items, ", ") + "]"
	}
	return ""
}

// textLiterals lists the quoted texts of a policy's expressions, in order
// and without repeats: the categories its data may hold.
func textLiterals(f *lang.File) []string {
	var out []string
	seen := map[string]bool{"无": true}
	visit := func(e lang.Expr) {
		lang.Inspect(e, func(e lang.Expr) {
			if s, ok := e.(*lang.StringLit); ok && !seen[s.Value] {
				seen[s.Value] = true
				out = append(out, s.Value)
			}
		})
	}
	for _, st := range f.Stmts {
		switch st := st.(type) {
		case *lang.Assign:
			visit(st.Value)
		case *lang.Rule:
			if st.Cond != nil {
				visit(st.Cond)
			}
			for _, o := range st.Outputs {
				visit(o.Value)
			}
		}
	}
	return out
}
