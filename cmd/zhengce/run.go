package main

import (
	"io"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

const runUsageZh = `用法：zhengce run 政策.zc --data 数据文件 [选项]

对数据文件（.csv 带表头、.json 对象数组、.jsonl 每行一个对象）中的每一家企业
求值，每行输入输出一行结果。出错的行会报告行号、列名和原因，其余行照常求值。
`

const runUsageEn = `Usage: zhengce run POLICY.zc --data FILE [options]

Evaluate the policy for every record of FILE (.csv with a header row, .json
array of objects, .jsonl one object per line): one result row per input row.
A row with bad data is reported with its row, column and reason; the other
rows are still evaluated.
`

// rowResult is the outcome for one input row.
type rowResult struct {
	row data.Row
	id  string
	res *zhengce.Result
	err error
}

func (c *cli) run(args []string) int { return c.evaluate(args, false) }

const explainUsageZh = `用法：zhengce explain 政策.zc --data 数据文件 [选项]

逐家企业、逐条规则说明结果从何而来：依据的条款、读入的数据、哪个上限或下限起了作用、
按哪一类取值、预算压减与就高不重复；不适用的写明哪一条件不满足及实际的值。
说明由计算金额的同一次求值记录，不另算一遍。--select 只看一家企业。
`

const explainUsageEn = `Usage: zhengce explain POLICY.zc --data FILE [options]

For each enterprise and rule, say where the result came from: the clause,
the data read, which cap or floor bound, which table row was taken, budget
scaling and exclusions; for a rule that does not apply, the failed condition
and the actual values. The explanation is recorded by the same evaluation
that computes the amounts. --select shows one enterprise.
`

func (c *cli) explain(args []string) int { return c.evaluate(args, true) }

// evaluate is run, or explain when explain is set.
func (c *cli) evaluate(args []string, explain bool) int {
	name, usageZh, usageEn, defaultFormat := "run", runUsageZh, runUsageEn, "table"
	if explain {
		name, usageZh, usageEn, defaultFormat = "explain", explainUsageZh, explainUsageEn, "text"
	}
	fs := c.flags(name, usageZh, usageEn)
	dataPath := fs.String("data", "", c.say("数据文件（.csv、.json、.jsonl 或 .xlsx）", "data file (.csv, .json, .jsonl or .xlsx)"))
	format := fs.String("format", defaultFormat, c.say("输出格式：table、csv 或 json（explain：text 或 json）", "output format: table, csv or json (explain: text or json)"))
	selectID := fs.String("select", "", c.say("只看这一家企业（--id 列中的值）", "show only this enterprise (a value of the --id column)"))
	idCol := fs.String("id", "", c.say("用来标识每家企业的列（如 企业名称）", "column that identifies each enterprise (e.g. the enterprise's name)"))
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), c.say("并行求值的数目", "number of parallel evaluators"))
	ef := c.addEvalFlags(fs)
	logPath := fs.String("log", "", c.say("把每条结果记为决定，存入这个决定日志（SQLite 文件；与 zhengce serve 的相同）", "record each result as a decision in this decision log (an SQLite file, as zhengce serve keeps)"))
	if explain {
		fs.MarkHidden("log")
	}
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file (for developers)")
	memProfile := fs.String("memprofile", "", "write an allocation profile to this file at the end (for developers)")
	fs.MarkHidden("cpuprofile")
	fs.MarkHidden("memprofile")
	fs.MarkHidden("memprofile")
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			c.errorf("无法写入 CPU 剖析文件：%v", "cannot write the CPU profile: %v", c.message(err))
			return exitUsage
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		defer func() {
			if f, err := os.Create(*memProfile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	switch {
	case fs.NArg() == 0:
		return c.usageError(fs.Name(), "要给出政策文件（或文件夹）与 --data 数据文件，如 zhengce %s 政策.zc --data 数据.csv", "give a policy file (or folder) and --data, as in zhengce %s policy.zc --data data.csv", fs.Name())
	case fs.NArg() > 1 && *dataPath == "":
		return c.usageError(fs.Name(), "数据文件要写在 --data 之后：zhengce %s %s --data %s", "the data file follows --data: zhengce %s %s --data %s", fs.Name(), fs.Arg(0), fs.Arg(1))
	case fs.NArg() > 1:
		return c.usageError(fs.Name(), "只能给一份政策（文件或文件夹），多给了“%s”", "give one policy (a file or a folder); %q is one too many", fs.Arg(1))
	case *dataPath == "":
		return c.usageError(fs.Name(), "缺少 --data：要求值的数据文件（.csv、.json、.jsonl 或 .xlsx）", "--data is missing: the data file to evaluate (.csv, .json, .jsonl or .xlsx)")
	}
	if *selectID != "" && *idCol == "" {
		c.errorf("--select 要和 --id 一起用：--id 指明哪一列是企业的标识", "--select needs --id, the column that identifies each enterprise")
		return exitUsage
	}
	switch {
	case !explain && (*format == "table" || *format == "csv" || *format == "json"):
	case explain && (*format == "text" || *format == "json"):
	default:
		c.errorf("--format 的值“%s”不可用", "--format %q is not available here", *format)
		return exitUsage
	}
	if *logPath != "" && len(*ef.sets) > 0 {
		return c.usageError(fs.Name(), "--log 与 --set 不能同时用：决定按政策文件的原文作出，才能重算", "--log and --set do not go together: a decision is made by the policy as written, so that it can be re-run")
	}
	opts, stop, ok := c.options(ef)
	defer stop()
	if !ok {
		return exitUsage
	}
	var prog *zhengce.Program
	var code int
	var decided *decisionSource
	if *logPath != "" && !explain {
		decided, code = c.loadForDecisions(fs.Arg(0), opts)
		if decided == nil {
			return code
		}
		prog = decided.prog
	} else if prog, code = c.load(fs.Arg(0), opts); prog == nil {
		return code
	}
	if !explain && *selectID == "" && decided == nil {
		return c.stream(prog, streamOptions{dataPath: *dataPath, encoding: *ef.encoding, format: *format, idCol: *idCol, groupCol: *ef.enterprise, workers: *workers, quiet: *ef.quiet})
	}
	reader, closer, err := data.OpenWith(*dataPath, data.Options{Encoding: *ef.encoding})
	if err != nil {
		c.errorf("无法读取数据：%v", "cannot read the data: %v", c.message(err))
		return exitUsage
	}
	defer closer.Close()
	var absent absentInputs
	groupCol, ok := c.enterpriseOf(prog, *ef.enterprise, reader.Columns())
	if !ok {
		return exitUsage
	}
	if cols := reader.Columns(); cols != nil {
		if !c.columnOfFlag("--id", *idCol, cols) {
			return exitUsage
		}
		absent = c.warnMissingColumns(prog, cols)
	}

	var results []rowResult
	for {
		row, err := reader.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.errorf("数据文件无法继续读取：%v", "the data file cannot be read further: %v", c.message(err))
			return exitData
		}
		if c.ctx.Err() != nil {
			c.errorf("超过时限（--timeout），已停止：前 %d 行已求值", "time limit (--timeout) reached: stopped after %d rows", len(results))
			return exitData
		}
		r := rowResult{row: row}
		if *idCol != "" {
			r.id = zhengce.FieldText(row.Record, *idCol)
		}
		switch {
		case row.Err != nil:
			r.err = row.Err
		case explain:
			r.res, r.err = prog.EvalWith(c.ctx, row.Record, zhengce.EvalOptions{Explain: true})
		default:
			r.res, r.err = prog.Eval(c.ctx, row.Record)
		}
		results = append(results, r)
	}

	// enterprises are settled across their records, then budgets and quotas
	// over all records
	all := make([]*zhengce.Result, len(results))
	records := make([]zhengce.Record, len(results))
	for i, r := range results {
		all[i], records[i] = r.res, r.row.Record
	}
	zhengce.SettleBatch(prog, records, all, groupCol)
	if decided != nil {
		if code := c.recordDecisions(*logPath, decided, results, groupCol, *idCol); code != exitOK {
			return code
		}
	}
	if *selectID != "" {
		// budgets and quotas were settled over every row; show only one
		var kept []rowResult
		for _, r := range results {
			if lang.FoldName(r.id) == lang.FoldName(*selectID) {
				kept = append(kept, r)
			}
		}
		if len(kept) == 0 {
			c.errorf("没有“%s”为“%s”的记录", "no record has %q = %q", *idCol, *selectID)
			return exitUsage
		}
		results = kept
	}

	cols := outputColumns(prog)
	switch {
	case explain && *format == "text":
		c.writeExplanations(results, reader.IsArray())
	case *format == "table":
		c.writeTable(results, cols, *idCol, reader.IsArray())
	case *format == "csv":
		c.writeCSV(results, cols, *idCol, ruleNames(prog))
	case *format == "json":
		c.writeJSON(results, *idCol)
	}
	tally := rowTally{total: len(results)}
	for _, r := range results {
		if r.err != nil {
			f := c.rowFault(r.row.LabelIn(reader.IsArray(), c.loc == lang.English), r.err, absent)
			tally.count(f)
			io.WriteString(c.stderr, f.line)
		}
	}
	return c.summarize(tally)
}
