package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/peterh/liner"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

const replUsageZh = `用法：zhengce repl [政策.zc 或文件夹] [--data 数据文件] [--id 列名] [选项]

交互式推演。输入表达式即求值（在所选企业的数据上）；输入定义或规则即加入本次会话。命令：
  载入 文件 / :load 文件            载入政策文件（或一份文件的文件夹）
  数据 文件 [--id 列] / :data …     载入数据
  选择 企业 / :use 企业             选择一家企业（--id 列的值或行号），显示其结果
  设 名称 = 值 / :set …            参数：对全体数据重算，显示总成本与各规则成本的变化；
                                  输入：改变所选企业的这一项，显示结果的变化
  设 评估日期 = 2025-07-01          换一个评估日期重算（有效期与按日期变化的参数）
  解释 / :explain                  说明所选企业各规则的结果从何而来
  重置 / :reset                    撤销全部“设”
  帮助 / :help                     本说明
  退出 / :quit                     退出（也可按 Ctrl-D）
行尾是运算符（+ - * / 且 或 …）或未闭合的括号时，下一行接着写；Ctrl-C 清除正在输入的一行。
历史记录保存在 ~/.zhengce_history（或环境变量 ZHENGCE_HISTORY 所指的文件）；
Tab 补全命令、名称与企业（“选择 ”之后），有多个候选时列出。
`

const replUsageEn = `Usage: zhengce repl [POLICY.zc or FOLDER] [--data FILE] [--id COLUMN] [options]

Explore policies. An expression is evaluated on the selected enterprise's
data; a definition or rule typed in joins the session. Commands (Chinese or
with a colon): :load FILE, :data FILE [--id COLUMN], :use KEY, :set NAME =
VALUE (a parameter re-runs all the data and prints the change in cost; an
input changes the selected enterprise; :set as-of = 2025-07-01 changes the
date of evaluation), :explain, :reset, :help, :quit.
A line ending in an operator (+ - * / and or …) or an open bracket goes on
on the next line; Ctrl-C clears the line being typed.
History is kept in ~/.zhengce_history (or $ZHENGCE_HISTORY); Tab completes
commands, names and enterprises (after :use), and lists the candidates.
`

// session is the state of a REPL.
type session struct {
	c         *cli
	out       io.Writer
	file      string           // the policy's file or folder
	sources   []zhengce.Source // its files
	extra     []string         // definitions and rules typed in
	start     zhengce.Options  // from the command line: limits, date, --set
	opts      zhengce.Options  // start, with the session's 设
	prog      *zhengce.Program
	rows      []data.Row
	idCol     string
	groupFlag string // --enterprise
	encoding  string
	timeout   time.Duration     // each entry's time limit, or 0
	sel       int               // selected row, or -1
	overrides map[string]string // :set on the selected enterprise's inputs
}

// changed reports whether the session holds work that quitting loses.
func (s *session) changed() bool {
	return len(s.extra) > 0 || len(s.overrides) > 0 || len(s.opts.Params) != len(s.start.Params) || s.opts.AsOf != s.start.AsOf
}

// reset undoes every 设: the options are the command line's again.
func (s *session) reset() {
	s.opts = s.start
	s.opts.Params = maps.Clone(s.start.Params)
	s.overrides = map[string]string{}
}

var replCommands = map[string]string{
	"载入": "load", "載入": "load", "数据": "data", "數據": "data", "选择": "use", "選擇": "use",
	"设": "set", "設": "set", "解释": "explain", "解釋": "explain", "重置": "reset",
	"帮助": "help", "幫助": "help", "退出": "quit",
}

func (c *cli) repl(args []string) int {
	fs := c.flags("repl", replUsageZh, replUsageEn)
	dataPath := fs.String("data", "", c.say("数据文件", "data file"))
	idCol := fs.String("id", "", c.say("用来标识每家企业的列", "column that identifies each enterprise"))
	ef := c.addEvalFlags(fs)
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	timeout := *ef.timeout // for each entry, not the whole session
	*ef.timeout = 0
	opts, _, ok := c.options(ef)
	if !ok {
		return exitUsage
	}
	s := &session{c: c, out: c.stdout, sel: -1, start: opts, idCol: *idCol, groupFlag: *ef.enterprise, encoding: *ef.encoding, timeout: timeout}
	s.reset()
	if fs.NArg() > 0 {
		s.load(fs.Arg(0))
	}
	if *dataPath != "" {
		s.loadData(*dataPath)
	}

	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
	line.SetTabCompletionStyle(liner.TabPrints)
	line.SetWordCompleter(s.complete)
	history := os.Getenv("ZHENGCE_HISTORY")
	if history == "" {
		if home, err := os.UserHomeDir(); err == nil {
			history = filepath.Join(home, ".zhengce_history")
		}
	}
	if f, err := openPrivate(history); err == nil {
		line.ReadHistory(f)
		f.Close()
	}
	defer func() {
		f, err := createPrivate(history)
		if err != nil {
			c.errorf("历史记录没有保存：%v", "the history was not saved: %v", c.message(err))
			return
		}
		line.WriteHistory(f)
		f.Close()
	}()
	fmt.Fprintln(s.out, c.say("zhengce 交互式推演。输入“帮助”查看命令，Ctrl-D 退出。", "zhengce REPL. Type :help for commands, Ctrl-D to quit."))
	warned := false // Ctrl-D was pressed once with unsaved work
	for {
		text, err := line.Prompt("政策> ")
		switch {
		case errors.Is(err, liner.ErrPromptAborted): // Ctrl-C: the line is cleared
			warned = false
			continue
		case err != nil: // Ctrl-D
			if s.changed() && !warned {
				warned = true
				fmt.Fprintln(s.out, c.say("本次会话的“设”和输入的定义、规则不会保存；再按一次 Ctrl-D 退出", "the session's :set changes and the definitions and rules typed in are not saved; press Ctrl-D again to quit"))
				continue
			}
			fmt.Fprintln(s.out)
			return exitOK
		}
		warned = false
		text, ok := s.readMore(line, text)
		if !ok || text == "" {
			continue
		}
		line.AppendHistory(text)
		if s.command(text) {
			return exitOK
		}
	}
}

// readMore reads the rest of an entry that goes on over several lines: a
// rule block until 结束, a line that ends in an operator or leaves a
// bracket open. Ctrl-C drops the whole entry.
func (s *session) readMore(line *liner.State, text string) (string, bool) {
	text = strings.TrimSpace(text)
	for text != "" && unfinished(text) {
		more, err := line.Prompt("  ... ")
		if err != nil {
			return "", !errors.Is(err, liner.ErrPromptAborted) && text != ""
		}
		sep := " "
		if isBlock(text) {
			sep = "\n"
		}
		text += sep + strings.TrimSpace(more)
	}
	return text, true
}

// isBlock reports whether text opens a rule, which ends with 结束.
func isBlock(text string) bool {
	head := lang.FoldName(strings.Fields(text)[0])
	return head == "规则" || head == "rule"
}

// continuingOperators end a line that cannot be the end of an entry;
// continuingWords do so when they stand apart (after a space), so that a
// name ending in 加 or 或 is not taken for the word.
var (
	continuingOperators = []string{"+", "-", "*", "/", "×", "÷", "=", "<", ">", "≥", "≤", "≠", "，", ",", "、"}
	continuingWords     = []string{"且", "或", "并且", "或者", "如果", "那么", "否则", "乘以", "除以", "加", "减", "最高", "最低", "不超过", "and", "or", "if", "then", "else"}
)

// unfinished reports whether the entry so far goes on: a rule block
// without its 结束, an open bracket, a trailing operator.
func unfinished(text string) bool {
	folded := lang.FoldName(text)
	if isBlock(text) {
		return !strings.Contains(folded, "结束") && !strings.HasSuffix(strings.TrimSpace(folded), "end")
	}
	depth := 0
	for _, r := range text {
		switch r {
		case '(', '（', '[', '［', '{', '｛':
			depth++
		case ')', '）', ']', '］', '}', '｝':
			depth--
		}
	}
	if depth > 0 {
		return true
	}
	trimmed := strings.TrimSpace(folded)
	for _, op := range continuingOperators {
		if strings.HasSuffix(trimmed, op) {
			return true
		}
	}
	for _, w := range continuingWords {
		if rest, ok := strings.CutSuffix(trimmed, w); ok && (rest == "" || strings.HasSuffix(rest, " ")) {
			return true
		}
	}
	return false
}

// command runs one entry; it reports whether the session should end.
func (s *session) command(text string) bool {
	c := s.c
	if s.timeout > 0 {
		parent := c.ctx
		ctx, cancel := context.WithTimeout(parent, s.timeout)
		c.ctx = ctx
		defer func() { cancel(); c.ctx = parent }()
	}
	word, rest, _ := strings.Cut(text, " ")
	cmd := ""
	if strings.HasPrefix(word, ":") {
		cmd = strings.TrimPrefix(word, ":")
	} else if en, ok := replCommands[word]; ok {
		cmd = en
	}
	rest = strings.TrimSpace(rest)
	switch cmd {
	case "quit", "q", "exit":
		return true
	case "help", "h":
		fmt.Fprint(s.out, c.say(replUsageZh, replUsageEn))
	case "load":
		s.load(rest)
	case "data":
		s.loadData(rest)
	case "use":
		s.use(rest)
	case "set":
		s.set(rest)
	case "explain":
		s.explain()
	case "reset":
		s.reset()
		s.compile()
		fmt.Fprintln(s.out, c.say("已撤销全部“设”。", "all :set undone."))
	case "":
		s.enter(text)
	default:
		fmt.Fprintf(s.out, c.say("不认识的命令“%s”；输入“帮助”查看命令\n", "unknown command %q; type :help\n"), word)
	}
	return false
}

func (s *session) load(path string) {
	var sources []zhengce.Source
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		sources, err = zhengce.ReadFolder(path, s.start.Limits)
		if err == nil && len(sources) == 0 {
			fmt.Fprintf(s.out, s.c.say("文件夹“%s”中没有 .zc 文件\n", "the folder %q has no .zc file\n"), path)
			return
		}
		if err != nil {
			fmt.Fprintf(s.out, s.c.say("无法读取：%v\n", "cannot read: %v\n"), s.c.message(err))
			return
		}
	} else {
		src, err := zhengce.ReadPolicy(path, s.start.Limits)
		if err != nil {
			fmt.Fprintf(s.out, s.c.say("无法读取：%v\n", "cannot read: %v\n"), s.c.message(err))
			return
		}
		sources = []zhengce.Source{{Name: path, Text: src}}
	}
	oldFile, oldSources, oldExtra := s.file, s.sources, s.extra
	s.file, s.sources, s.extra = path, sources, nil
	if !s.compile() {
		s.file, s.sources, s.extra = oldFile, oldSources, oldExtra
		return
	}
	ch := s.prog.Checked()
	fmt.Fprintf(s.out, s.c.say("已载入 %s：%d 个输入，%d 个参数，%d 条规则\n", "loaded %s: %d inputs, %d parameters, %d rules\n"), path, len(ch.Inputs), len(ch.Params), len(ch.Rules))
}

// compile builds the session's program: the files, what was typed in, and
// the parameters and date set. It reports errors and whether it succeeded.
func (s *session) compile() bool {
	if len(s.sources) == 0 && len(s.extra) == 0 {
		s.prog = nil
		return true
	}
	prog, ok := s.compileWith("")
	if ok {
		s.prog = prog
	}
	return ok
}

// compileWith compiles the session with more text after what was typed
// in, and reports the errors.
func (s *session) compileWith(more string) (*zhengce.Program, bool) {
	sources := s.withTyped(more)
	prog, err := zhengce.CompileSources(sources, s.opts)
	if err != nil {
		fmt.Fprintln(s.out, lang.FormatErrors(err, lang.JoinSources(sources), s.c.loc))
		return nil, false
	}
	return prog, true
}

// withTyped is the policy's files and, after them, what was typed in.
func (s *session) withTyped(more string) []zhengce.Source {
	typed := strings.Join(s.extra, "\n")
	if more != "" {
		typed += "\n" + more
	}
	sources := slices.Clone(s.sources)
	if strings.TrimSpace(typed) != "" {
		sources = append(sources, zhengce.Source{Name: s.c.say("（会话）", "(session)"), Text: []byte(typed + "\n")})
	}
	return sources
}

// loadData reads a data file; "x.csv --id 列 --enterprise 列" names the
// columns as the command line's flags do.
func (s *session) loadData(text string) {
	fields := strings.Fields(text)
	path := ""
	idCol, groupFlag := s.idCol, s.groupFlag
	for i := 0; i < len(fields); i++ {
		switch f := fields[i]; {
		case (f == "--id" || f == "--enterprise") && i+1 < len(fields):
			if f == "--id" {
				idCol = fields[i+1]
			} else {
				groupFlag = fields[i+1]
			}
			i++
		case path == "" && !strings.HasPrefix(f, "--"):
			path = f
		default:
			fmt.Fprintln(s.out, s.c.say("写作：数据 文件 [--id 列] [--enterprise 列]", "write :data FILE [--id COLUMN] [--enterprise COLUMN]"))
			return
		}
	}
	if path == "" {
		fmt.Fprintln(s.out, s.c.say("写作：数据 文件 [--id 列] [--enterprise 列]", "write :data FILE [--id COLUMN] [--enterprise COLUMN]"))
		return
	}
	rows, _, code := s.c.readRows(path, s.encoding)
	if code != exitOK {
		return
	}
	if !s.c.columnOfFlag("--id", idCol, rowColumns(rows)) {
		return
	}
	s.rows, s.sel, s.overrides, s.idCol, s.groupFlag = rows, -1, map[string]string{}, idCol, groupFlag
	bad := 0
	for _, r := range rows {
		if r.Err != nil {
			bad++
		}
	}
	fmt.Fprintf(s.out, s.c.say("已载入数据 %s：%d 行\n", "loaded data %s: %d rows\n"), path, len(rows))
	if bad > 0 {
		fmt.Fprintf(s.out, s.c.say("其中 %d 行数据有误，不计入成本；“选择 行号”可查看原因\n", "%d of them have bad data and are left out of the costs; :use ROW shows why\n"), bad)
	}
}

// record is the selected enterprise's data with the what-if changes.
func (s *session) record() zhengce.Record {
	rec := zhengce.Record{}
	if s.sel >= 0 {
		for k, v := range s.rows[s.sel].Record {
			rec[k] = v
		}
	}
	for k, v := range s.overrides {
		for existing := range rec {
			if lang.FoldName(existing) == lang.FoldName(k) {
				delete(rec, existing)
			}
		}
		rec[k] = v
	}
	return rec
}

func (s *session) use(key string) {
	for i, row := range s.rows {
		if fmt.Sprint(row.Num) == key || (s.idCol != "" && lang.FoldName(zhengce.FieldText(row.Record, s.idCol)) == lang.FoldName(key)) {
			s.sel, s.overrides = i, map[string]string{}
			fmt.Fprintf(s.out, s.c.say("已选择 %s\n", "selected %s\n"), row.LabelIn(false, s.c.loc == lang.English)+s.c.say("（"+key+"）", " ("+key+")"))
			s.show()
			return
		}
	}
	fmt.Fprintf(s.out, s.c.say("数据中没有“%s”\n", "no %q in the data\n"), key)
}

// show prints the selected enterprise's results.
func (s *session) show() {
	if s.prog == nil {
		return
	}
	if s.sel >= 0 && s.rows[s.sel].Err != nil {
		fmt.Fprintln(s.out, "  "+s.c.message(s.rows[s.sel].Err))
	}
	res, err := s.prog.Eval(s.c.ctx, s.record())
	if err != nil {
		fmt.Fprintln(s.out, "  "+s.c.message(err))
		return
	}
	for i := range res.Rules {
		rr := &res.Rules[i]
		if rr.Applies {
			var outs []string
			for _, o := range rr.Outputs {
				outs = append(outs, o.Name+" = "+s.c.human(o.Value))
			}
			fmt.Fprintf(s.out, "  %s：%s\n", rr.Name, strings.Join(outs, "，"))
		} else {
			fmt.Fprintf(s.out, s.c.say("  %s：不适用，%s\n", "  %s: does not apply, %s\n"), rr.Name, rr.Reason().Message(s.c.loc))
		}
	}
}

// enter evaluates an expression, or adds a definition or rule.
func (s *session) enter(text string) {
	head := lang.FoldName(strings.Fields(text)[0])
	isDef := strings.Contains(text, "=") && !strings.ContainsAny(strings.SplitN(text, "=", 2)[0], "<>!≥≤≠") &&
		!strings.Contains(text, "==") && len(strings.Fields(strings.SplitN(text, "=", 2)[0])) == 1
	if head == "规则" || head == "rule" || head == "输入" || head == "参数" || isDef {
		s.extra = append(s.extra, text)
		if !s.compile() {
			s.extra = s.extra[:len(s.extra)-1]
			return
		}
		fmt.Fprintln(s.out, s.c.say("已加入。", "added."))
		if s.sel >= 0 {
			s.show()
		}
		return
	}
	if s.prog == nil {
		v, err := zhengce.Eval(s.c.ctx, text)
		if err != nil {
			fmt.Fprintln(s.out, lang.FormatErrors(err, []byte(text), s.c.loc))
			return
		}
		fmt.Fprintln(s.out, v)
		return
	}
	// evaluate in the policy's context: as a definition of the session
	prog, err := zhengce.CompileSources(s.withTyped("求值结果 = "+text), s.opts)
	if err != nil {
		var list lang.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(s.out, e.Message(s.c.loc))
			}
			return
		}
		fmt.Fprintln(s.out, err)
		return
	}
	res, err := prog.Eval(s.c.ctx, s.record())
	if err != nil {
		var fe *zhengce.FieldError
		if errors.As(err, &fe) && s.sel < 0 {
			fmt.Fprintln(s.out, s.c.say("请先用“选择 企业”选定一家企业的数据", "select an enterprise first with :use"))
			return
		}
		fmt.Fprintln(s.out, s.c.message(err))
		return
	}
	for _, d := range res.Defs {
		if d.Name == "求值结果" {
			fmt.Fprintln(s.out, s.c.human(d.Value))
		}
	}
}

// set is a what-if: on a parameter, over all the data; on an input, for
// the selected enterprise.
func (s *session) set(text string) {
	name, value, ok := strings.Cut(text, "=")
	if !ok {
		fmt.Fprintln(s.out, s.c.say("写作：设 名称 = 值", "write :set NAME = VALUE"))
		return
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if s.prog == nil {
		fmt.Fprintln(s.out, s.c.say("请先载入政策文件", "load a policy first"))
		return
	}
	key := lang.FoldName(name)
	if key == lang.FoldName("评估日期") || key == "as-of" || key == "asof" {
		d, ok := lang.ParseDate(value)
		if !ok {
			fmt.Fprintln(s.out, s.c.say("评估日期应为日期，如 2025-07-01", "the date of evaluation must be a date such as 2025-07-01"))
			return
		}
		old := s.opts.AsOf
		s.whatIf(func() { s.opts.AsOf = d }, func() { s.opts.AsOf = old })
		return
	}
	for _, p := range s.prog.Checked().Params {
		if p.Name.Key != key {
			continue
		}
		params := maps.Clone(s.opts.Params)
		if params == nil {
			params = map[string]string{}
		}
		params[p.Name.Text] = value
		old := s.opts.Params
		s.whatIf(func() { s.opts.Params = params }, func() { s.opts.Params = old })
		return
	}
	if _, ok := s.prog.InputSlot(name); ok {
		if s.sel < 0 {
			fmt.Fprintln(s.out, s.c.say("请先用“选择 企业”选定一家企业", "select an enterprise first with :use"))
			return
		}
		fmt.Fprintln(s.out, s.c.say("改变前：", "before:"))
		s.show()
		s.overrides[name] = value
		fmt.Fprintln(s.out, s.c.say("改变后：", "after:"))
		s.show()
		return
	}
	fmt.Fprintf(s.out, s.c.say("“%s”既不是参数也不是输入\n", "%q is neither a parameter nor an input\n"), name)
}

// whatIf applies a change to the session's options, recompiles and
// prints the change in cost over the data, and the selected enterprise's
// results; a change that does not compile is undone.
func (s *session) whatIf(change, undo func()) {
	before, _ := s.costs()
	change()
	if !s.compile() {
		undo()
		s.compile()
		return
	}
	after, left := s.costs()
	s.printCostChange(before, after, left)
	if s.sel >= 0 {
		s.show()
	}
}

// leftOut counts the rows a total leaves out: failed ones wholly, those
// with data missing for the rules that read it.
type leftOut struct{ failed, partial int }

// costs adds up, over all the data, what each rule pays (after caps,
// groups and budgets), and counts the rows left out.
func (s *session) costs() (map[string]decimal.Decimal, leftOut) {
	out := map[string]decimal.Decimal{}
	var left leftOut
	groupCol := enterpriseColumn(s.prog, s.groupFlag)
	results := s.c.evalAll(s.prog, s.rows, groupCol, s.prog.Eval, func(_ int, err error) {
		if s.c.rowFault("", err, nil).kind == faultIncomplete {
			left.partial++
		} else {
			left.failed++
		}
	})
	for _, res := range results {
		if res == nil {
			continue
		}
		zhengce.PolicyAmount(res, func(rule string, a decimal.Decimal) { out[rule] = out[rule].Add(a) })
	}
	return out, left
}

func (s *session) printCostChange(before, after map[string]decimal.Decimal, left leftOut) {
	if len(s.rows) == 0 {
		fmt.Fprintln(s.out, s.c.say("已设置；载入数据后可看到成本变化", "set; load data to see the change in cost"))
		return
	}
	defer func() {
		if left.failed > 0 {
			fmt.Fprintf(s.out, s.c.say("%d 行数据有误，未计入读取有误数据的规则（“选择 行号”可查看原因）\n", "%d rows have bad data; the rules that read it are left out (:use ROW shows why)\n"), left.failed)
		}
		if left.partial > 0 {
			fmt.Fprintf(s.out, s.c.say("%d 行数据不全，未计入读取所缺数据的规则\n", "%d rows lack data; the rules that read it are left out\n"), left.partial)
		}
	}()
	var names []string
	total := [2]decimal.Decimal{}
	seen := map[string]bool{}
	for _, m := range []map[string]decimal.Decimal{before, after} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	sort.Strings(names)
	rows := [][]string{{"", s.c.say("调整前", "before"), s.c.say("调整后", "after"), s.c.say("变化", "change")}}
	for _, n := range names {
		b, a := before[n], after[n]
		total[0], total[1] = total[0].Add(b), total[1].Add(a)
		rows = append(rows, []string{n, figure(b), figure(a), signedChange(b, a)})
	}
	rows = append([][]string{rows[0], {s.c.say("总成本（元）", "total cost (yuan)"), figure(total[0]), figure(total[1]), signedChange(total[0], total[1])}}, rows[1:]...)
	writeAligned(s.out, rows)
}

func (s *session) explain() {
	if s.prog == nil || s.sel < 0 {
		fmt.Fprintln(s.out, s.c.say("请先载入政策并选择一家企业", "load a policy and select an enterprise first"))
		return
	}
	res, err := s.prog.EvalWith(s.c.ctx, s.record(), zhengce.EvalOptions{Explain: true})
	if err != nil {
		fmt.Fprintln(s.out, s.c.message(err))
		return
	}
	old := s.c.stdout
	s.c.stdout = s.out
	s.c.writeExplanations([]rowResult{{row: s.rows[s.sel], res: res}}, false)
	s.c.stdout = old
}

// complete offers commands and the policy's names for the word at the
// cursor; liner gives the cursor in characters, not bytes.
func (s *session) complete(line string, pos int) (head string, completions []string, tail string) {
	runes := []rune(line)
	pos = min(max(pos, 0), len(runes))
	start := pos
	for start > 0 && !strings.ContainsRune(" (（,，", runes[start-1]) {
		start--
	}
	head, word, tail := string(runes[:start]), string(runes[start:pos]), string(runes[pos:])
	var names []string
	if cmd := strings.TrimSpace(head); replCommands[cmd] == "use" || cmd == ":use" {
		names = s.enterpriseNames()
	} else {
		names = s.names()
	}
	// the names as typed first, then those that match only after folding
	// Traditional to Simplified and widths, one of each folded name
	seen := map[string]bool{}
	for _, exact := range []bool{true, false} {
		for _, n := range names {
			key := lang.FoldName(n)
			match := strings.HasPrefix(n, word)
			if !exact {
				match = strings.HasPrefix(key, lang.FoldName(word))
			}
			if match && n != word && !seen[key] {
				seen[key] = true
				completions = append(completions, n)
			}
		}
	}
	return head, completions, tail
}

// enterpriseNames is the --id column's values, for 选择.
func (s *session) enterpriseNames() []string {
	if s.idCol == "" {
		return nil
	}
	seen := map[string]bool{}
	var names []string
	for _, r := range s.rows {
		if id := zhengce.FieldText(r.Record, s.idCol); id != "" && !seen[id] {
			seen[id] = true
			names = append(names, id)
		}
	}
	sort.Strings(names)
	return names
}

// names is the commands and the policy's names, sorted.
func (s *session) names() []string {
	var names []string
	for zh, en := range replCommands {
		names = append(names, zh, ":"+en)
	}
	if s.prog != nil {
		ch := s.prog.Checked()
		for _, in := range ch.Inputs {
			names = append(names, in.Name.Text)
		}
		for _, p := range ch.Params {
			names = append(names, p.Name.Text)
		}
		for _, d := range ch.Defs {
			names = append(names, d.Name.Text)
		}
		for _, r := range ch.Rules {
			names = append(names, r.Name.Text)
		}
	}
	sort.Strings(names)
	return names
}
