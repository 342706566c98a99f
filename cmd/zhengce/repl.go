package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/peterh/liner"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

const replUsageZh = `用法：zhengce repl [政策.zc] [--data 数据文件] [--id 列名]

交互式推演。输入表达式即求值（在所选企业的数据上）；输入定义或规则即加入本次会话。命令：
  载入 文件 / :load 文件      载入政策文件
  数据 文件 / :data 文件      载入数据
  选择 企业 / :use 企业       选择一家企业（--id 列的值或行号），显示其结果
  设 名称 = 值 / :set …      参数：对全体数据重算，显示总成本与各规则成本的变化；
                            输入：改变所选企业的这一项，显示结果的变化
  解释 / :explain            说明所选企业各规则的结果从何而来
  重置 / :reset              撤销全部“设”
  帮助 / :help               本说明
  退出 / :quit               退出（也可按 Ctrl-D）
历史记录保存在 ~/.zhengce_history（或环境变量 ZHENGCE_HISTORY 所指的文件）；Tab 补全命令与名称。
`

const replUsageEn = `Usage: zhengce repl [POLICY.zc] [--data FILE] [--id COLUMN]

Explore policies. An expression is evaluated on the selected enterprise's
data; a definition or rule typed in joins the session. Commands (Chinese or
with a colon): :load FILE, :data FILE, :use KEY, :set NAME = VALUE (a
parameter re-runs all the data and prints the change in cost; an input
changes the selected enterprise), :explain, :reset, :help, :quit.
History is kept in ~/.zhengce_history (or $ZHENGCE_HISTORY); Tab completes.
`

// session is the state of a REPL.
type session struct {
	c         *cli
	out       io.Writer
	file      string
	src       string
	extra     []string          // definitions and rules typed in
	params    map[string]string // :set on parameters
	prog      *zhengce.Program
	rows      []data.Row
	idCol     string
	sel       int               // selected row, or -1
	overrides map[string]string // :set on the selected enterprise's inputs
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
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	s := &session{c: c, out: c.stdout, params: map[string]string{}, sel: -1, overrides: map[string]string{}, idCol: *idCol}
	if fs.NArg() > 0 {
		s.load(fs.Arg(0))
	}
	if *dataPath != "" {
		s.loadData(*dataPath)
	}

	line := liner.NewLiner()
	defer line.Close()
	line.SetCtrlCAborts(true)
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
	for {
		text, err := line.Prompt("政策> ")
		if err != nil { // io.EOF (Ctrl-D) or liner.ErrPromptAborted (Ctrl-C)
			fmt.Fprintln(s.out)
			return exitOK
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		// a rule or an input block goes on until 结束
		if head := lang.FoldName(strings.Fields(text)[0]); (head == "规则" || head == "rule") && !strings.Contains(lang.FoldName(text), "结束") {
			for {
				more, err := line.Prompt("  ... ")
				if err != nil {
					break
				}
				text += "\n" + more
				if f := lang.FoldName(strings.TrimSpace(more)); f == "结束" || f == "end" {
					break
				}
			}
		}
		line.AppendHistory(text)
		if s.command(text) {
			return exitOK
		}
	}
}

// command runs one entry; it reports whether the session should end.
func (s *session) command(text string) bool {
	c := s.c
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
		s.params, s.overrides = map[string]string{}, map[string]string{}
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
	src, err := zhengce.ReadPolicy(path, zhengce.Limits{})
	if err != nil {
		fmt.Fprintf(s.out, s.c.say("无法读取：%v\n", "cannot read: %v\n"), s.c.message(err))
		return
	}
	old := s.src
	s.file, s.src, s.extra = path, string(src), nil
	if !s.compile() {
		s.src = old
		return
	}
	ch := s.prog.Checked()
	fmt.Fprintf(s.out, s.c.say("已载入 %s：%d 个输入，%d 个参数，%d 条规则\n", "loaded %s: %d inputs, %d parameters, %d rules\n"), path, len(ch.Inputs), len(ch.Params), len(ch.Rules))
}

// compile builds the session's program: the file, what was typed in, and
// the parameters set. It reports errors and whether it succeeded.
func (s *session) compile() bool {
	if s.src == "" && len(s.extra) == 0 {
		s.prog = nil
		return true
	}
	src := s.source()
	prog, err := zhengce.CompileWith(s.file, []byte(src), zhengce.Options{Params: s.params})
	if err != nil {
		fmt.Fprintln(s.out, lang.FormatErrors(err, []byte(src), s.c.loc))
		return false
	}
	s.prog = prog
	return true
}

func (s *session) source() string {
	return strings.TrimRight(s.src, "\n") + "\n" + strings.Join(s.extra, "\n") + "\n"
}

func (s *session) loadData(path string) {
	rows, _, code := s.c.readRows(path)
	if code != exitOK {
		return
	}
	s.rows, s.sel, s.overrides = rows, -1, map[string]string{}
	fmt.Fprintf(s.out, s.c.say("已载入数据 %s：%d 行\n", "loaded data %s: %d rows\n"), path, len(rows))
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
		if fmt.Sprint(row.Num) == key || (s.idCol != "" && lang.FoldName(lookupID(row.Record, s.idCol)) == lang.FoldName(key)) {
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
	src := s.source() + "求值结果 = " + text + "\n"
	prog, err := zhengce.CompileWith(s.file, []byte(src), zhengce.Options{Params: s.params})
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
	for _, p := range s.prog.Checked().Params {
		if p.Name.Key != key {
			continue
		}
		before := s.costs()
		old, had := s.params[p.Name.Text]
		s.params[p.Name.Text] = value
		if !s.compile() {
			if had {
				s.params[p.Name.Text] = old
			} else {
				delete(s.params, p.Name.Text)
			}
			s.compile()
			return
		}
		after := s.costs()
		s.printCostChange(before, after)
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

// costs adds up, over all the data, each rule's 金额 outputs.
func (s *session) costs() map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	results := s.c.evalAll(s.prog, s.rows, s.prog.Eval, nil)
	for _, res := range results {
		if res == nil {
			continue
		}
		policyAmount(res, func(rule string, a decimal.Decimal) { out[rule] = out[rule].Add(a) })
	}
	return out
}

func (s *session) printCostChange(before, after map[string]decimal.Decimal) {
	if len(s.rows) == 0 {
		fmt.Fprintln(s.out, s.c.say("已设置；载入数据后可看到成本变化", "set; load data to see the change in cost"))
		return
	}
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
	res, err := s.prog.EvalExplained(s.c.ctx, s.record())
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
	for _, n := range names {
		if strings.HasPrefix(n, word) && n != word {
			completions = append(completions, n)
		}
	}
	return head, completions, tail
}
