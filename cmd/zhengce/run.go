package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
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
	res *interp.Result
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
	enterprise := fs.String("enterprise", "", c.say("同一企业的各条申报记录在这一列上的值相同（如 统一社会信用代码）：就高不重复与上限按企业计算；缺省为政策中“同一企业 按 …”所写的列",
		"column whose value is the same for an enterprise's records (e.g. the unified social credit code): exclusive groups and caps act per enterprise; default: the column the policy names (enterprise by …)"))
	sets := fs.StringArray("set", nil, c.say("改变参数而不改文件，如 --set 补助比例=15%（可重复）", "override a parameter, e.g. --set rate=15% (repeatable)"))
	maxSteps := fs.Int("max-steps", interp.DefaultMaxSteps, c.say("每条记录最多求值的步数（定义、规则与列表项）", "most evaluation steps per record (definitions, rules, list items)"))
	maxList := fs.Int("max-list", interp.DefaultMaxListItems, c.say("列表输入最多的项数", "most items in a list input"))
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), c.say("并行求值的数目", "number of parallel evaluators"))
	quiet := fs.Bool("quiet", false, c.say("不显示进度", "no progress display"))
	encoding := fs.String("encoding", "auto", c.say("文本数据的编码：auto（不是 UTF-8 即按 GBK 读）、utf-8 或 gbk", "encoding of text data: auto (GBK when not UTF-8), utf-8 or gbk"))
	timeout := fs.Duration("timeout", 0, c.say("整个运行的时限，如 30s；0 为不限", "time limit for the whole run, e.g. 30s; 0 for none"))
	bareRatio := c.bareRatioFlag(fs)
	asOf := fs.String("as-of", "", c.say("评估日期，用于规则的有效期（默认今天），如 2025-07-01", "date of evaluation, for the rules' periods of validity (default today), e.g. 2025-07-01"))
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
	params, ok := c.parseSets(*sets)
	if !ok {
		return exitUsage
	}
	opts := zhengce.Options{Params: params, Limits: zhengce.Limits{MaxSteps: *maxSteps, MaxListItems: *maxList}}
	if *timeout > 0 {
		ctx, cancel := context.WithTimeout(c.ctx, *timeout)
		defer cancel()
		c.ctx = ctx
	}
	if !c.parseAsOf(*asOf, &opts) || !c.parseBareRatio(*bareRatio, &opts) {
		return exitUsage
	}
	prog, code := c.load(fs.Arg(0), opts)
	if prog == nil {
		return code
	}
	groupCol := enterpriseColumn(prog, *enterprise)
	if !explain && *selectID == "" {
		return c.stream(prog, streamOptions{dataPath: *dataPath, encoding: *encoding, format: *format, idCol: *idCol, groupCol: groupCol, workers: *workers, quiet: *quiet})
	}
	reader, closer, err := data.OpenWith(*dataPath, data.Options{Encoding: *encoding})
	if err != nil {
		c.errorf("无法读取数据：%v", "cannot read the data: %v", c.message(err))
		return exitUsage
	}
	defer closer.Close()
	var absent absentInputs
	if cols := reader.Columns(); cols != nil {
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
			r.id = lookupID(row.Record, *idCol)
		}
		switch {
		case row.Err != nil:
			r.err = row.Err
		case explain:
			r.res, r.err = prog.EvalExplained(c.ctx, row.Record)
		default:
			r.res, r.err = prog.Eval(c.ctx, row.Record)
		}
		results = append(results, r)
	}

	// enterprises are settled across their records, then budgets and quotas
	// over all records
	all := make([]*interp.Result, len(results))
	rows := make([]data.Row, len(results))
	for i, r := range results {
		all[i], rows[i] = r.res, r.row
	}
	settleEnterprises(prog, rows, all, groupCol)
	prog.ApplyPopulation(all)
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

func lookupID(rec interp.Record, col string) string {
	key := lang.FoldName(col)
	for k, v := range rec {
		if lang.FoldName(k) == key {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// message formats an evaluation error in the user's language.
func (c *cli) message(err error) string {
	var fe *interp.FieldError
	var le *lang.Error
	var lim *interp.LimitError
	var ie *interp.InternalError
	var de *interp.DataError
	switch {
	case errors.As(err, &de):
		return de.Message(c.loc)
	case errors.As(err, &ie):
		return c.say("内部错误（zhengce 自身的缺陷，请报告给开发者）：", "internal error (a defect of zhengce itself, please report it): ") + fmt.Sprint(ie.Value)
	case errors.As(err, &fe):
		return fe.Message(c.loc)
	case errors.As(err, &le):
		return le.Pos.String() + ": " + le.Message(c.loc)
	case errors.As(err, &lim):
		return c.say(lim.Zh, lim.En)
	}
	var both interface{ Text(lang.Locale) string } // an interp.Message
	if errors.As(err, &both) {
		return both.Text(c.loc)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return c.pathError(pe)
	}
	return err.Error()
}

// pathError says what the system said of a file, in the user's language.
func (c *cli) pathError(pe *fs.PathError) string {
	switch {
	case errors.Is(pe.Err, fs.ErrNotExist):
		return fmt.Sprintf(c.say("找不到文件“%s”", "no such file: %q"), pe.Path)
	case errors.Is(pe.Err, fs.ErrPermission):
		return fmt.Sprintf(c.say("没有权限打开“%s”", "no permission to open %q"), pe.Path)
	case errors.Is(pe.Err, syscall.EISDIR):
		return fmt.Sprintf(c.say("“%s”是文件夹，这里要一个文件", "%q is a folder; a file is needed here"), pe.Path)
	}
	return fmt.Sprintf(c.say("无法打开“%s”（%v）", "cannot open %q (%v)"), pe.Path, pe.Err)
}

// column is one output column: a definition, an output of a rule, or what
// the policy pays in all.
type column struct {
	header string
	rule   int // index of the rule, or -1 for a definition or the total
	index  int // index of the definition or of the rule's output
	total  bool
	money  bool // its values are amounts: a table gives the unit in the heading
}

// totalHeader heads the column of what the policy pays a record in all.
const totalHeader = "给予合计"

func outputColumns(prog *zhengce.Program) []column {
	var cols []column
	ch := prog.Checked()
	i := 0
	for _, st := range ch.File.Stmts {
		if a, ok := st.(*lang.Assign); ok {
			if s := ch.Symbols[a.Name.Key]; s != nil && s.Kind == lang.SymDef {
				cols = append(cols, column{header: a.Name.Text, rule: -1, index: i, money: ch.Types[a.Value].Kind == lang.KindMoney})
				i++
			}
		}
	}
	paying := 0 // rules that pay money: with two or more, a column gives the total
	for ri, r := range ch.Rules {
		for oi, o := range r.Outputs {
			h := r.Name.Text
			if len(r.Outputs) > 1 {
				h += "." + o.Name.Text
			}
			cols = append(cols, column{header: h, rule: ri, index: oi, money: ch.Types[o.Value].Kind == lang.KindMoney})
		}
		if ch.Pays[ri] >= 0 {
			paying++
		}
	}
	if paying > 1 {
		cols = append(cols, column{header: totalHeader, rule: -1, total: true, money: true})
	}
	return cols
}

// cell returns what a table shows in column col for result res: amounts
// with separators and two decimals (the heading gives the unit), ratios
// as percentages.
func (c *cli) cell(col column, res *interp.Result) string {
	v := col.value(res)
	switch {
	case v == nil || v.IsNA():
		return c.say("不适用", "n/a")
	case v.Kind() == lang.KindMoney:
		return interp.MoneyFigure(v.Decimal())
	}
	return c.human(*v)
}

// value returns the column's value for a record, or nil when its rule does
// not apply.
func (col column) value(res *interp.Result) *interp.Value {
	if col.total {
		v := res.Total()
		return &v
	}
	if col.rule < 0 {
		return &res.Defs[col.index].Value
	}
	rr := &res.Rules[col.rule]
	if !rr.Applies {
		return nil
	}
	return &rr.Outputs[col.index].Value
}

func (c *cli) writeTable(results []rowResult, cols []column, idCol string, isArray bool) {
	block := make([]tableRow, len(results))
	for i, r := range results {
		block[i] = c.tableRow(r, cols, idCol, isArray)
	}
	c.writeTableBlock(c.stdout, block, cols, idCol)
}

// tableRow is one record as the table shows it: its cells, and the notes
// printed under the table (why a rule does not apply, the 其中 used,
// budget scaling).
type tableRow struct {
	cells, notes []string
}

// tableBlockRows is how many rows a table aligns at a time: a large file is
// shown as a run of tables of this many rows, each followed by its notes,
// so memory stays flat however long the file.
const tableBlockRows = 1000

func (c *cli) tableRow(r rowResult, cols []column, idCol string, isArray bool) tableRow {
	var t tableRow
	t.cells = []string{strconv.Itoa(r.row.Num)}
	if idCol != "" {
		t.cells = append(t.cells, r.id)
	}
	label := r.row.LabelIn(isArray, c.loc == lang.English)
	if r.id != "" {
		label += c.say("（"+r.id+"）", " ("+r.id+")")
	}
	if r.res == nil {
		for range cols {
			t.cells = append(t.cells, c.say("错误", "error"))
		}
		return t
	}
	for _, col := range cols {
		t.cells = append(t.cells, c.cell(col, r.res))
	}
	for i := range r.res.Rules {
		rr := &r.res.Rules[i]
		if !rr.Applies {
			t.notes = append(t.notes, fmt.Sprintf(c.say("%s “%s”不适用：%s", "%s %q does not apply: %s"), label, rr.Name, rr.Reason().Message(c.loc)))
		}
		for _, x := range rr.Exceptions {
			t.notes = append(t.notes, fmt.Sprintf(c.say("%s “%s”按“其中 %s”计算", "%s %q used the exception %s"), label, rr.Name, x))
		}
		for _, n := range rr.Notes {
			t.notes = append(t.notes, fmt.Sprintf(c.say("%s “%s”：%s", "%s %q: %s"), label, rr.Name, n.Text(c.loc)))
		}
	}
	return t
}

// writeTableBlock writes rows as an aligned table with its header, then
// their notes.
func (c *cli) writeTableBlock(w io.Writer, block []tableRow, cols []column, idCol string) {
	header := []string{c.say("行", "row")}
	if idCol != "" {
		header = append(header, idCol)
	}
	for _, col := range cols {
		h := col.header
		if col.total {
			h = c.say(totalHeader, "paid in all")
		}
		if col.money {
			h += c.say("（元）", " (yuan)")
		}
		header = append(header, h)
	}
	rows := [][]string{header}
	var notes []string
	for _, t := range block {
		rows = append(rows, t.cells)
		notes = append(notes, t.notes...)
	}
	writeAligned(w, rows)
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintln(w, n)
		}
	}
}

// writeAligned prints rows in columns aligned by display width, numbers
// right-aligned.
func writeAligned(w io.Writer, rows [][]string) {
	widths := map[int]int{}
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], lang.DisplayWidth(cell))
		}
	}
	for ri, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-lang.DisplayWidth(cell))
			if i > 0 {
				b.WriteString("  ")
			}
			if ri > 0 && isNumeric(cell) {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		if ri == 0 {
			var sep []string
			for i := range row {
				sep = append(sep, strings.Repeat("-", widths[i]))
			}
			fmt.Fprintln(w, strings.Join(sep, "  "))
		}
	}
}

func isNumeric(s string) bool {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "-"), "%")
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return false
		}
	}
	return true
}

func (c *cli) writeCSV(results []rowResult, cols []column, idCol string, rules []string) {
	t := c.newCSVTable(c.stdout, cols, idCol, rules)
	for _, r := range results {
		t.write(r)
	}
}

// csvTable writes run's results as CSV, a row at a time.
type csvTable struct {
	c     *cli
	w     io.Writer
	cols  []column
	idCol string
	rules []string
	line  csvLine
}

// newCSVTable writes the header: the row, the id, each output, whether each
// rule applies and why not, and the error.
func (c *cli) newCSVTable(w io.Writer, cols []column, idCol string, rules []string) *csvTable {
	t := &csvTable{c: c, w: w, cols: cols, idCol: idCol, rules: rules}
	l := &t.line
	l.text(c.say("行", "row"))
	if idCol != "" {
		l.text(idCol)
	}
	for _, col := range cols {
		if col.total {
			l.text(c.say(totalHeader, "paid in all"))
			continue
		}
		l.text(col.header)
	}
	for _, name := range rules {
		l.text(name + c.say(".适用", ".applies"))
		l.text(name + c.say(".原因", ".reason"))
	}
	l.text(c.say("错误", "error"))
	l.end()
	w.Write(l.b)
	return t
}

// write writes the row of one record.
func (t *csvTable) write(r rowResult) {
	l := &t.line
	l.reset()
	l.sep()
	l.b = strconv.AppendInt(l.b, int64(r.row.Num), 10)
	if t.idCol != "" {
		l.text(r.id)
	}
	if r.res == nil {
		for range t.cols {
			l.text("")
		}
		for range t.rules {
			l.text("")
			l.text("")
		}
		l.text(t.c.message(r.err))
	} else {
		english := t.c.loc == lang.English
		for _, col := range t.cols {
			v := col.value(r.res)
			switch {
			case v == nil || v.IsNA():
				l.raw(t.c.say("不适用", "n/a"))
			case english && v.Kind() == lang.KindBool: // yes, no: read back as 是, 否
				l.raw(v.Text(lang.English))
			default:
				l.value(v)
			}
		}
		for i := range r.res.Rules {
			rr := &r.res.Rules[i]
			if rr.Applies {
				l.raw(t.c.say("是", "yes"))
				l.raw("")
			} else {
				l.raw(t.c.say("否", "no"))
				l.text(rr.Reason().Message(t.c.loc))
			}
		}
		if r.err != nil { // partial data: the rules that read it did not apply
			l.text(t.c.message(r.err))
		} else {
			l.text("")
		}
	}
	l.end()
	t.w.Write(l.b)
}

// ruleNames lists the policy's rules in source order.
func ruleNames(prog *zhengce.Program) []string {
	var names []string
	for _, r := range prog.Checked().Rules {
		names = append(names, r.Name.Text)
	}
	return names
}

// texts gives messages in the user's language.
func (c *cli) texts(ms []interp.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text(c.loc)
	}
	return out
}

// human formats a value for people, in the user's language.
func (c *cli) human(v interp.Value) string { return v.Text(c.loc) }

// jsonValue encodes a value for JSON output: numbers as strings holding the
// exact decimal, booleans as true/false, text and dates as strings, 不适用 as
// null.
func jsonValue(v interp.Value) json.RawMessage {
	var x any = v.Exact()
	switch v.Kind() {
	case lang.KindBool:
		x = v.Truth()
	case lang.KindNA:
		x = nil
	case lang.KindList, lang.KindRecord:
		items := make([]json.RawMessage, len(v.Items()))
		for i, it := range v.Items() {
			items[i] = jsonValue(it)
		}
		x = items
	}
	b, _ := json.Marshal(x)
	return b
}

type jsonNamed struct {
	Name        string           `json:"name"`
	Type        string           `json:"type"`
	Value       json.RawMessage  `json:"value"`
	NA          string           `json:"na,omitempty"` // why the value is 不适用
	Explanation *jsonExplanation `json:"explanation,omitempty"`
}

// jsonExplanation is how a value was reached (explain only).
type jsonExplanation struct {
	Inputs []jsonNamed `json:"inputs"`
	Params []jsonNamed `json:"params,omitempty"`
	Defs   []jsonNamed `json:"uses,omitempty"`
	Steps  []string    `json:"steps"`
}

func (c *cli) explanationJSON(e *interp.Explanation) *jsonExplanation {
	if e == nil {
		return nil
	}
	j := &jsonExplanation{Inputs: c.named(e.Inputs), Params: c.named(e.Params), Defs: c.named(e.Defs), Steps: c.texts(e.Steps)}
	if j.Inputs == nil {
		j.Inputs = []jsonNamed{}
	}
	if j.Steps == nil {
		j.Steps = []string{}
	}
	return j
}

type jsonRule struct {
	Name    string      `json:"name"`
	Cites   []string    `json:"cites,omitempty"`
	Applies bool        `json:"applies"`
	Outputs []jsonNamed `json:"outputs,omitempty"`
	// Paid is what the rule pays when it applies and pays money, after
	// 就高不重复, caps and budgets: the value of its output PaidOutput.
	Paid       *string `json:"paid,omitempty"`
	PaidOutput string  `json:"paid_output,omitempty"`
	Kind       string  `json:"reason_kind,omitempty"`
	Reason     string  `json:"reason,omitempty"`
	Condition  string  `json:"condition,omitempty"`
	Position   string  `json:"position,omitempty"`
	// Exceptions are the 其中 that applied, by their conditions as written.
	Exceptions []string `json:"exceptions,omitempty"`
	// Notes explain changes made over all records, such as budget scaling.
	Notes []string `json:"notes,omitempty"`
	// Explanation is how the rule reached its outputs (explain only).
	Explanation *jsonExplanation `json:"explanation,omitempty"`
}

type jsonRow struct {
	Row    int         `json:"row"`
	ID     string      `json:"id,omitempty"`
	Values []jsonNamed `json:"values,omitempty"`
	Rules  []jsonRule  `json:"rules,omitempty"`
	// Total is what the policy pays the record in all.
	Total  string       `json:"total,omitempty"`
	AsOf   string       `json:"as_of,omitempty"`
	Denied []jsonDenial `json:"denied,omitempty"`
	Limits []jsonLimit  `json:"limits,omitempty"`
	Error  *jsonError   `json:"error,omitempty"`
}

// jsonDenial is a case the policy excludes that the record meets.
type jsonDenial struct {
	Name   string   `json:"name"`
	Cites  []string `json:"cites,omitempty"`
	Reason string   `json:"reason"`
	Rules  []string `json:"rules"`
}

// jsonLimit is what a cap did: what its rules asked for, the limit, what
// they are paid.
type jsonLimit struct {
	Name  string   `json:"name"`
	Cites []string `json:"cites,omitempty"`
	// Most and Before, for 累计最高 and 每年最高: the most the text allows
	// and what the ledger shows paid before
	Most   json.RawMessage `json:"most,omitempty"`
	Before json.RawMessage `json:"before,omitempty"`
	Limit  json.RawMessage `json:"limit"`
	Asked  json.RawMessage `json:"asked"`
	Paid   json.RawMessage `json:"paid"`
}

// reasonKinds names the kinds of reasons in JSON.
var reasonKinds = map[interp.ReasonKind]string{
	interp.ReasonCondition: "condition", interp.ReasonValidity: "validity", interp.ReasonOutput: "output",
	interp.ReasonExclusive: "exclusive", interp.ReasonQuota: "quota", interp.ReasonLimit: "limit", interp.ReasonDenied: "denied",
	interp.ReasonData: "data", interp.ReasonLedger: "ledger",
}

type jsonError struct {
	Field string `json:"field,omitempty"`
	// Fields are every field missing or bad, when the row was evaluated
	// in part (the rules that read them did not apply)
	Fields  []string `json:"fields,omitempty"`
	Message string   `json:"message"`
}

func (c *cli) named(outs []interp.Output) []jsonNamed {
	var out []jsonNamed
	for _, o := range outs {
		j := jsonNamed{Name: o.Name, Type: o.Value.Type().English(), Value: jsonValue(o.Value)}
		if o.Value.IsNA() {
			j.NA = o.Value.Why().Text(c.loc)
		}
		out = append(out, j)
	}
	return out
}

func (c *cli) writeJSON(results []rowResult, idCol string) {
	out := make([]jsonRow, 0, len(results))
	for _, r := range results {
		out = append(out, c.jsonRowOf(r))
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// jsonRowOf is one row of the JSON output.
func (c *cli) jsonRowOf(r rowResult) jsonRow {
	jr := jsonRow{Row: r.row.Num, ID: r.id}
	if r.err != nil {
		jr.Error = &jsonError{Message: c.message(r.err)}
		var fe *interp.FieldError
		if errors.As(r.err, &fe) {
			jr.Error.Field = fe.Field
		}
		var de *interp.DataError
		if errors.As(r.err, &de) {
			for _, f := range de.Fields {
				jr.Error.Fields = append(jr.Error.Fields, f.Field)
			}
		}
	}
	if r.res == nil {
		return jr
	}
	jr.Values = c.named(r.res.Defs)
	for i := range jr.Values {
		if e, ok := r.res.DefSteps[jr.Values[i].Name]; ok {
			jr.Values[i].Explanation = c.explanationJSON(&e)
		}
	}
	for i := range r.res.Rules {
		rr := &r.res.Rules[i]
		j := jsonRule{Name: rr.Name, Cites: rr.Cites, Applies: rr.Applies, Outputs: c.named(rr.Outputs), Exceptions: rr.Exceptions, Notes: c.texts(rr.Notes), Explanation: c.explanationJSON(rr.Explanation)}
		if v, ok := rr.Paid(); ok {
			paid := v.Exact()
			j.Paid, j.PaidOutput = &paid, rr.PaidOutput()
		}
		if why := rr.Reason(); why != nil {
			j.Reason = why.Message(c.loc)
			j.Condition = why.Condition
			j.Position = why.Pos.String()
			j.Kind = reasonKinds[why.Kind]
		}
		jr.Rules = append(jr.Rules, j)
	}
	jr.Total, jr.AsOf = r.res.Total().Exact(), r.res.AsOf.String()
	for _, d := range r.res.Denials {
		jr.Denied = append(jr.Denied, jsonDenial{Name: d.Name, Cites: d.Cites, Reason: d.Reason.Message(c.loc), Rules: d.Rules})
	}
	for _, l := range r.res.Limits {
		jl := jsonLimit{Name: l.Name, Cites: l.Cites, Limit: jsonValue(l.Limit), Asked: jsonValue(l.Asked), Paid: jsonValue(l.Paid)}
		if l.Most.IsValid() {
			jl.Most, jl.Before = jsonValue(l.Most), jsonValue(l.Before)
		}
		jr.Limits = append(jr.Limits, jl)
	}
	return jr
}

// writeExplanations prints, for each row, each definition and rule with how
// it reached its value, or why it does not apply.
func (c *cli) writeExplanations(results []rowResult, isArray bool) {
	for n, r := range results {
		if n > 0 {
			fmt.Fprintln(c.stdout)
		}
		label := r.row.LabelIn(isArray, c.loc == lang.English)
		if r.id != "" {
			label += c.say("（"+r.id+"）", " ("+r.id+")")
		}
		fmt.Fprintln(c.stdout, label)
		if r.res == nil {
			fmt.Fprintf(c.stdout, "  %s%s\n", c.say("错误：", "error: "), c.message(r.err))
			continue
		}
		if r.err != nil { // partial data: what reads a missing or bad field is 数据不足
			label := c.say("数据有误：", "data errors: ")
			if de := (*interp.DataError)(nil); errors.As(r.err, &de) && de.Incomplete() {
				label = c.say("数据不全：", "incomplete data: ")
			}
			fmt.Fprintf(c.stdout, "  %s%s\n", label, c.message(r.err))
		}
		fmt.Fprintf(c.stdout, "  %s%s\n", c.say("评估日期：", "evaluated as of "), c.date(r.res.AsOf))
		for _, d := range r.res.Denials {
			fmt.Fprintf(c.stdout, "  %s%s\n", d.Reason.Message(c.loc), c.say("：以下规则均不适用——", ": so none of these rules applies: ")+strings.Join(d.Rules, c.say("、", ", ")))
		}
		for _, d := range r.res.Defs {
			fmt.Fprintf(c.stdout, "  %s = %s\n", d.Name, c.human(d.Value))
			if e, ok := r.res.DefSteps[d.Name]; ok {
				c.writeSteps(&e, "    ")
			}
		}
		var lacking []string // the rules 数据不足, said together
		for i := range r.res.Rules {
			rr := &r.res.Rules[i]
			if why := rr.Reason(); !rr.Applies && why != nil && why.Kind == interp.ReasonData && r.err != nil {
				lacking = append(lacking, rr.Name)
				continue
			}
			cite := ""
			if len(rr.Cites) > 0 {
				cite = c.say("（依据：", "(source: ") + strings.Join(rr.Cites, " ") + c.say("）", ")")
			}
			fmt.Fprintf(c.stdout, c.say("  【%s】%s\n", "  [%s] %s\n"), rr.Name, cite)
			if !rr.Applies {
				fmt.Fprintf(c.stdout, "    %s%s\n", c.say("不适用：", "does not apply: "), rr.Reason().Message(c.loc))
			} else {
				var outs []string
				for _, o := range rr.Outputs {
					outs = append(outs, o.Name+" = "+c.human(o.Value))
				}
				fmt.Fprintf(c.stdout, "    %s%s\n", c.say("适用：", "applies: "), strings.Join(outs, c.say("，", ", ")))
			}
			c.writeSteps(rr.Explanation, "    ")
			for _, x := range rr.Exceptions {
				fmt.Fprintf(c.stdout, "    %s%s\n", c.say("按其中：", "exception: "), x)
			}
			for _, note := range rr.Notes {
				fmt.Fprintf(c.stdout, "    %s\n", note.Text(c.loc))
			}
		}
		if len(lacking) > 0 {
			fmt.Fprintf(c.stdout, c.say("  数据不足（读取的输入缺少）的规则：%s\n", "  rules with insufficient data (an input they read is missing): %s\n"), strings.Join(lacking, c.say("、", ", ")))
		}
		for _, l := range r.res.Limits {
			before := ""
			if l.Most.IsValid() {
				before = fmt.Sprintf(c.say("最高 %s，台账中已兑现 %s，", "at most %s, the ledger shows %s paid before, "), c.human(l.Most), c.human(l.Before))
			}
			fmt.Fprintf(c.stdout, c.say("  【上限 %s】%s额度 %s，各规则合计 %s，给予 %s\n", "  [cap %s] %slimit %s, the rules ask %s in all, paid %s\n"), l.Name, before, c.human(l.Limit), c.human(l.Asked), c.human(l.Paid))
		}
		if r.res.Total().Decimal().IsZero() && !pays(r.res) {
			continue
		}
		fmt.Fprintf(c.stdout, c.say("  给予合计：%s\n", "  paid in all: %s\n"), c.human(r.res.Total()))
	}
}

// pays reports whether any rule of the result's policy pays money.
func pays(res *interp.Result) bool {
	for i := range res.Rules {
		if res.Rules[i].PaidOutput() != "" {
			return true
		}
	}
	return false
}

func (c *cli) writeSteps(e *interp.Explanation, indent string) {
	if e == nil {
		return
	}
	for _, group := range []struct {
		zh, en string
		outs   []interp.Output
	}{{"读入：", "read: ", e.Inputs}, {"参数：", "parameters: ", e.Params}, {"用到：", "uses: ", e.Defs}} {
		if len(group.outs) == 0 {
			continue
		}
		var parts []string
		for _, o := range group.outs {
			parts = append(parts, o.Name+" = "+c.human(o.Value))
		}
		fmt.Fprintf(c.stdout, "%s%s%s\n", indent, c.say(group.zh, group.en), strings.Join(parts, c.say("，", ", ")))
	}
	for _, s := range e.Steps {
		fmt.Fprintf(c.stdout, "%s%s\n", indent, s.Text(c.loc))
	}
}
