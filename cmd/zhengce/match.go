package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

const matchUsageZh = `用法：zhengce match 政策.zc… --data 数据文件 [选项]

精准匹配：对每家企业，列出它符合的规则与金额（按金额从高到低），以及“差一点”的规则——
只差一个条件的，写明差在哪里、差多少（如“还差 0.4 个百分点以上”）。可同时给多个政策文件。
`

const matchUsageEn = `Usage: zhengce match POLICY.zc… --data FILE [options]

For each enterprise, the rules it qualifies for with their amounts (highest
first), and the near misses: rules that fail on one condition only, with the
gap. Several policy files may be given.
`

func (c *cli) match(args []string) int {
	fs := c.flags("match", matchUsageZh, matchUsageEn)
	dataPath := fs.String("data", "", c.say("数据文件（.csv、.json、.jsonl 或 .xlsx）", "data file (.csv, .json, .jsonl or .xlsx)"))
	idCol := fs.String("id", "", c.say("用来标识每家企业的列", "column that identifies each enterprise"))
	selectID := fs.String("select", "", c.say("只看这一家企业（--id 列中的值）", "show only this enterprise (a value of the --id column)"))
	format := fs.String("format", "text", c.say("输出格式：text 或 json", "output format: text or json"))
	ef := c.addEvalFlags(fs)
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	switch {
	case fs.NArg() == 0:
		return c.usageError("match", "要给出政策文件与 --data 数据文件，如 zhengce match 政策.zc --data 数据.csv", "give policy files and --data, as in zhengce match policy.zc --data data.csv")
	case *dataPath == "":
		return c.usageError("match", "缺少 --data：要匹配的企业数据", "--data is missing: the enterprises to match")
	case *format != "text" && *format != "json":
		return c.usageError("match", "--format 的值“%s”不可用：可用 text 或 json", "--format %q is not available: use text or json", *format)
	case *selectID != "" && *idCol == "":
		return c.usageError("match", "--select 要和 --id 一起用：--id 指明哪一列是企业的标识", "--select needs --id, the column that identifies each enterprise")
	}
	opts, stop, ok := c.options(ef)
	defer stop()
	if !ok {
		return exitUsage
	}
	var progs []*zhengce.Program
	for _, path := range fs.Args() {
		prog, code := c.load(path, opts)
		if prog == nil {
			return code
		}
		progs = append(progs, prog)
	}
	rows, isArray, code := c.readRows(*dataPath, *ef.encoding)
	if rows == nil && code != exitOK {
		return code
	}
	cols := rowColumns(rows)
	if !c.columnOfFlag("--id", *idCol, cols) {
		return exitUsage
	}

	out := make([]zhengce.MatchJSON, len(rows))
	for i, row := range rows {
		out[i] = zhengce.MatchJSON{Row: row.Num, Qualified: []zhengce.MatchedJSON{}, Near: []zhengce.NearMissJSON{}}
		if *idCol != "" {
			out[i].ID = zhengce.FieldText(row.Record, *idCol)
		}
	}
	for pi, prog := range progs {
		name := fs.Arg(pi)
		groupCol, ok := c.enterpriseOf(prog, *ef.enterprise, cols)
		if !ok {
			return exitUsage
		}
		results := c.evalAll(prog, rows, groupCol, func(ctx context.Context, rec zhengce.Record) (*zhengce.Result, error) {
			return prog.EvalWith(ctx, rec, zhengce.EvalOptions{AllConditions: true})
		}, func(i int, err error) {
			out[i].Errors = append(out[i].Errors, name+"："+c.message(err))
		})
		for i, res := range results {
			if res != nil {
				out[i].AddMatch(name, res, c.loc)
			}
		}
	}
	if *selectID != "" {
		var kept []zhengce.MatchJSON
		for _, r := range out {
			if lang.FoldName(r.ID) == lang.FoldName(*selectID) {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	if *format == "json" {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(out)
	} else {
		c.writeMatches(out, isArray)
	}
	for _, r := range out {
		if len(r.Errors) > 0 {
			return exitData
		}
	}
	return exitOK
}

func (c *cli) writeMatches(rows []zhengce.MatchJSON, isArray bool) {
	for n, r := range rows {
		if n > 0 {
			fmt.Fprintln(c.stdout)
		}
		label := data.Row{Num: r.Row}.LabelIn(isArray, c.loc == lang.English)
		if r.ID != "" {
			label += c.say("（"+r.ID+"）", " ("+r.ID+")")
		}
		fmt.Fprintln(c.stdout, label)
		for _, e := range r.Errors {
			fmt.Fprintf(c.stdout, "  %s%s\n", c.say("数据不足：", "incomplete data: "), e)
		}
		for _, d := range r.Denied {
			fmt.Fprintf(c.stdout, "  %s\n", d.Reason)
		}
		if len(r.Qualified) > 0 {
			fmt.Fprintln(c.stdout, c.say("  可享受：", "  qualifies for:"))
		}
		for _, m := range r.Qualified {
			var outs []string
			for _, o := range m.Outputs {
				if o.Type == lang.Money.English() {
					continue
				}
				outs = append(outs, o.Name+" "+strings.Trim(string(o.Value), `"`))
			}
			line := fmt.Sprintf("    %s：%s", m.Rule, zhengce.MoneyText(m.AmountValue(), c.loc))
			if m.PaidOutput == "" && len(outs) > 0 {
				line = fmt.Sprintf("    %s：%s", m.Rule, strings.Join(outs, "，"))
			}
			cites := m.Cites
			if len(cites) > 2 {
				cites = cites[:2] // the document and the article; JSON has the quote
			}
			fmt.Fprintf(c.stdout, "%s（%s）\n", line, strings.Join(cites, " "))
			for _, n := range m.Notes {
				fmt.Fprintf(c.stdout, "      %s\n", n)
			}
		}
		if len(r.Near) > 0 {
			fmt.Fprintln(c.stdout, c.say("  差一点：", "  near misses:"))
		}
		for _, m := range r.Near {
			gap := ""
			if m.Gap != "" {
				gap = "——" + m.Gap
			}
			fmt.Fprintf(c.stdout, "    %s：%s%s\n", m.Rule, m.Reason, gap)
		}
	}
}
