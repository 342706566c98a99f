// Command zhengce runs policies written in the zhengce language.
//
//	zhengce run POLICY.zc --data FILE   evaluate every record of FILE
//	zhengce check POLICY.zc             parse and check only
//	zhengce eval 'EXPR'                 evaluate one expression
//	zhengce version                     print the version
//
// Exit status: 0 success; 1 evaluation or data errors (every other row is
// still evaluated and printed); 2 usage or syntax errors.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

// Exit statuses.
const (
	exitOK       = 0
	exitData     = 1
	exitUsage    = 2
	exitInternal = 3 // a bug of zhengce's own (a recovered panic), to be reported
)

func main() {
	// A batch run makes many short-lived values and keeps few: collecting
	// garbage less often trades a few tens of megabytes for a quarter of
	// the CPU (济宁, 10⁶ rows). A run with budgets or quotas, which keeps
	// every candidate, goes back to 100 (stream).
	tuneGC(400)
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// tuneGC sets the garbage collector's target to percent, unless GOGC is
// set in the environment, and returns what sets it back.
func tuneGC(percent int) (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(percent)
	return func() { debug.SetGCPercent(old) }
}

// cli holds what every command shares.
type cli struct {
	ctx    context.Context
	stdout io.Writer
	stderr io.Writer
	loc    lang.Locale
	clock  clock // nil: the wall clock
	// rawStderr is stderr as given, for the progress line's own control
	// sequences; stdout and stderr are written through termSafe
	rawStderr io.Writer
}

// clock is where the progress line reads the time; a test gives one of its
// own, so that it need not process rows for long enough to see a tick.
type clock interface {
	Now() time.Time
	// Tick returns a channel of ticks every d, and what stops them.
	Tick(d time.Duration) (<-chan time.Time, func())
}

// wallClock is the real clock.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }
func (wallClock) Tick(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// say picks the message for the user's language.
func (c *cli) say(zh, en string) string {
	if c.loc == lang.English {
		return en
	}
	return zh
}

func (c *cli) errorf(zh, en string, args ...any) {
	fmt.Fprintln(c.stderr, "zhengce: "+fmt.Sprintf(c.say(zh, en), args...))
}

const usageZh = `zhengce：惠企政策语言的解释器

用法：
  zhengce run 政策.zc --data 数据.csv   对数据中每一家企业求值
  zhengce explain 政策.zc --data 数据.csv   说明每家企业每条规则的结果从何而来
  zhengce match 政策.zc… --data 数据.csv   精准匹配：每家企业可享受的政策与差一点的政策
  zhengce compare 基准.zc [改革.zc] --data 数据.csv [--set …]   政策调整对比
  zhengce repl [政策.zc] [--data 数据]   交互式推演（what-if）
  zhengce gen 政策.zc -n 行数             按政策的输入生成虚构企业数据（可复现）
  zhengce serve --policies 文件夹        以 HTTP 服务提供政策（求值、说明、匹配、对比、决定日志）
  zhengce log --log 决定日志             列出记录的决定
  zhengce replay --log 决定日志 编号     用当时的版本与数据重新求值一个决定
  zhengce doc 政策.zc或文件夹 -o 文档.html   原文与规则并排的页面，列出未编码的句子
  zhengce fmt [-w|--check] 政策.zc…      把政策文件排成标准格式
  zhengce studio 政策.zc                 起草工作台：在浏览器里编辑、检查、试算，原文与规则并排
  zhengce check 政策.zc                 只做语法与类型检查
  zhengce eval '表达式'                  计算一个表达式
  zhengce test [路径…]                   运行政策文件中的测试（目录则递归查找 .zc 文件）
  zhengce version                       显示版本

每个命令都可加 --help 查看选项；--lang en 显示英文信息（或设 ZHENGCE_LANG=en）。
`

const usageEn = `zhengce: interpreter for the zhengce policy language

Usage:
  zhengce run POLICY.zc --data FILE   evaluate every record of FILE
  zhengce explain POLICY.zc --data FILE   say where each result came from
  zhengce match POLICY.zc… --data FILE   what each enterprise qualifies for, and near misses
  zhengce compare BASE.zc [REFORM.zc] --data FILE [--set …]   compare a reform with the base
  zhengce repl [POLICY.zc] [--data FILE]   interactive what-if exploration
  zhengce gen POLICY.zc -n ROWS        generate fictional data for a policy (reproducible)
  zhengce serve --policies DIR        serve policies over HTTP (evaluate, explain, match, compare, decision log)
  zhengce log --log FILE              list the decisions recorded
  zhengce replay --log FILE ID        evaluate a decision again with its revision and data
  zhengce doc POLICY|FOLDER -o PAGE.html   the document beside its rules, with sentences not encoded
  zhengce fmt [-w|--check] POLICY.zc…   lay out policy files in the canonical form
  zhengce studio POLICY.zc            the drafter's workbench in the browser
  zhengce check POLICY.zc             parse and check only
  zhengce eval 'EXPR'                 evaluate one expression
  zhengce test [PATH…]                run the tests written in policy files (directories recursively)
  zhengce version                     print the version

Every command takes --help; --lang en (or ZHENGCE_LANG=en) gives English messages.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	c := &cli{ctx: ctx, stdout: stdout, stderr: stderr}
	defer func() {
		if r := recover(); r != nil {
			c.internalError(r)
			code = exitInternal
		}
	}()
	return c.main(args)
}

// internalError reports a panic: a bug of zhengce's, never the user's
// mistake, so it says so and asks for a report, with what is needed to
// find it.
func (c *cli) internalError(r any) {
	fmt.Fprintf(c.stderr, c.say("zhengce：内部错误，这是 zhengce 自身的缺陷，不是政策文件或数据的问题。请把以下信息连同所用的命令、政策文件与数据报告给开发者：\n%v\n%s",
		"zhengce: internal error, a defect of zhengce itself, not of the policy or the data. Please report the following, with the command, policy and data used:\n%v\n%s"), r, debug.Stack())
}

// main runs the command args name, with c's context, output and clock.
func (c *cli) main(args []string) int {
	c.rawStderr = c.stderr
	c.stdout, c.stderr = newTermSafe(c.stdout), newTermSafe(c.stderr)
	stdout, stderr := c.stdout, c.stderr
	c.loc, _ = lang.ParseLocale(os.Getenv("ZHENGCE_LANG"))
	// --lang may come anywhere; read it before the command's own flags.
	for i, a := range args {
		val, ok := strings.CutPrefix(a, "--lang=")
		if !ok && a == "--lang" && i+1 < len(args) {
			val, ok = args[i+1], true
		}
		if ok {
			loc, known := lang.ParseLocale(val)
			if !known {
				c.errorf("不认识的语言“%s”：可用 zh 或 en", "unknown language %q: use zh or en", val)
				return exitUsage
			}
			c.loc = loc
		}
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, c.say(usageZh, usageEn))
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return c.run(rest)
	case "check":
		return c.check(rest)
	case "eval":
		return c.eval(rest)
	case "test":
		return c.test(rest)
	case "explain":
		return c.explain(rest)
	case "match":
		return c.match(rest)
	case "compare":
		return c.compare(rest)
	case "repl":
		return c.repl(rest)
	case "gen":
		return c.gen(rest)
	case "doc":
		return c.doc(rest)
	case "fmt":
		return c.format(rest)
	case "studio":
		return c.studio(rest)
	case "serve":
		return c.serve(rest)
	case "log":
		return c.log(rest)
	case "replay":
		return c.replay(rest)
	case "version", "--version":
		fs := c.flags("version", "用法：zhengce version\n\n显示版本。\n", "Usage: zhengce version\n\nPrint the version.\n")
		if code, stop := c.parseFlags(fs, rest); stop {
			return code
		}
		fmt.Fprintf(stdout, "zhengce %s\n", zhengce.Version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, c.say(usageZh, usageEn))
		return exitOK
	}
	c.errorf("未知的命令“%s”", "unknown command %q", cmd)
	fmt.Fprint(stderr, c.say(usageZh, usageEn))
	return exitUsage
}

// isLetter reports whether b is an ASCII letter, as an option's name begins.
func isLetter(b byte) bool { return (b|0x20) >= 'a' && (b|0x20) <= 'z' }

// parseFlags parses args; it returns an exit status when the command should
// stop (help asked for, or a usage error).
func (c *cli) parseFlags(fs *pflag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK, true
		}
		c.errorf("%s", "%s", c.flagError(fs.Name(), err))
		return exitUsage, true
	}
	return 0, false
}

// load reads and compiles a policy file, printing errors with their source
// lines.
func (c *cli) load(path string, opts zhengce.Options) (*zhengce.Program, int) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return c.loadFolder(path, opts)
	}
	src, err := zhengce.ReadPolicy(path, opts.Limits)
	if err != nil {
		c.errorf("无法读取政策文件：%v", "cannot read the policy file: %v", c.message(err))
		return nil, exitUsage
	}
	prog, err := zhengce.CompileWith(path, src, opts)
	if err != nil {
		fmt.Fprintln(c.stderr, lang.FormatErrors(err, src, c.loc))
		return nil, exitUsage
	}
	if w := prog.Checked().Warnings; len(w) > 0 {
		fmt.Fprintln(c.stderr, lang.FormatErrors(w, src, c.loc))
	}
	c.warnPartOfFolder(path, prog.Checked().File.Policy)
	return prog, exitOK
}

// warnPartOfFolder says when the file at path is one of several in its
// folder written for the same document (政策 "…"): evaluated alone, the
// groups and caps written in the other files do not apply to its rules.
func (c *cli) warnPartOfFolder(path, title string) {
	if title == "" {
		return
	}
	dir := filepath.Dir(path)
	if others := othersOfPolicy(path, title); others > 0 {
		c.errorf("本文件与文件夹中另外 %[1]d 个文件是同一份政策（%[2]s）；只对本文件求值时，写在其他文件里的就高不重复、上限等规定不起作用。对整份政策求值请写文件夹：%[3]s",
			"this file and %[1]d others in its folder are one policy (%[2]s); evaluated alone, the groups (exclusive) and caps written in the other files do not apply. To evaluate the whole policy, give the folder: %[3]s",
			others, title, dir)
	}
}

// othersOfPolicy counts the other files in path's folder written for the
// same document (政策 title).
func othersOfPolicy(path, title string) int {
	files, err := zhengce.PolicyFiles(filepath.Dir(path))
	if err != nil || title == "" {
		return 0
	}
	others := 0
	for _, f := range files {
		if same, err := sameFile(f, path); err != nil || same {
			continue
		}
		if src, err := zhengce.ReadPolicy(f, zhengce.Limits{}); err == nil && lang.FoldName(policyTitle(src)) == lang.FoldName(title) {
			others++
		}
	}
	return others
}

// sameFile reports whether paths a and b name the same file.
func sameFile(a, b string) (bool, error) {
	x, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	y, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(x, y), nil
}

// policyTitle finds the document a policy file is written for, from its
// 政策 "…" line, without parsing the rest; "" when it has none.
func policyTitle(src []byte) string {
	for _, line := range strings.Split(string(src), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "政策")
		if !ok {
			continue
		}
		rest = strings.TrimLeft(rest, " \t:：")
		for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"「", "」"}, {"『", "』"}} {
			if title, ok := strings.CutPrefix(rest, q[0]); ok {
				if end := strings.Index(title, q[1]); end >= 0 {
					return title[:end]
				}
			}
		}
	}
	return ""
}

func (c *cli) check(args []string) int {
	fs := c.flags("check", "用法：zhengce check 政策.zc…\n\n解析并检查政策文件，不求值。\n", "Usage: zhengce check POLICY.zc…\n\nParse and check policy files without evaluating them.\n")
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		return c.usageError("check", "要给出政策文件或文件夹，如 zhengce check 政策.zc", "give policy files or folders, as in zhengce check policy.zc")
	}
	status := exitOK
	for _, path := range fs.Args() {
		prog, code := c.load(path, zhengce.Options{})
		if prog == nil {
			status = code
			continue
		}
		ch := prog.Checked()
		fmt.Fprintf(c.stdout, c.say("%s：检查通过（%d 个输入，%d 个参数，%d 个定义，%d 条规则）\n", "%s: ok (%d inputs, %d parameters, %d definitions, %d rules)\n"),
			path, len(ch.Inputs), len(ch.Params), len(ch.Defs), len(ch.Rules))
	}
	return status
}

func (c *cli) eval(args []string) int {
	fs := c.flags("eval", "用法：zhengce eval '表达式'\n\n计算一个表达式，如 zhengce eval 'min(3000万 * 10%, 200万)'。\n", "Usage: zhengce eval 'EXPR'\n\nEvaluate one expression, e.g. zhengce eval 'min(3000万 * 10%, 200万)'.\n")
	format := fs.String("format", "text", c.say("输出格式：text 或 json", "output format: text or json"))
	// an expression may begin with a minus (-1 + 2): it is not an option
	for i, a := range args {
		if len(a) > 1 && a[0] == '-' && a[1] != '-' && !isLetter(a[1]) {
			args = append(append(args[:i:i], "--"), args[i:]...)
			break
		}
	}
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		return c.usageError("eval", "要给出一个表达式，如 zhengce eval '3000万 * 10%%'", "give one expression, as in zhengce eval '3000万 * 10%%'")
	}
	if *format != "text" && *format != "json" {
		c.errorf("--format 应为 text 或 json", "--format must be text or json")
		return exitUsage
	}
	expr := fs.Arg(0)
	v, err := zhengce.Eval(c.ctx, expr)
	if err != nil {
		fmt.Fprintln(c.stderr, lang.FormatErrors(err, []byte(expr), c.loc))
		var list lang.ErrorList
		if errors.As(err, &list) {
			return exitUsage // syntax or type error
		}
		return exitData
	}
	if *format == "json" {
		fmt.Fprintln(c.stdout, string(zhengce.JSONValue(v)))
	} else {
		fmt.Fprintln(c.stdout, v.String())
	}
	return exitOK
}

// parseSets reads --set NAME=VALUE flags into parameter overrides.
func (c *cli) parseSets(sets []string) (map[string]string, bool) {
	params := map[string]string{}
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		if !ok {
			c.errorf("--set 应写作 名称=值，如 --set 补助比例=15%%", "--set takes NAME=VALUE, e.g. --set 补助比例=15%%")
			return nil, false
		}
		params[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	return params, true
}

// bareRatioFlag declares --bare-ratio on fs.
func (c *cli) bareRatioFlag(fs *pflag.FlagSet) *string {
	return fs.String("bare-ratio", "", c.say("比例列中没有 % 的数怎样读：percent（25 即 25%）或 fraction（0.25 即 25%）；默认小于 1 的读作小数，1 以上报错",
		"how a number without % in a ratio column reads: percent (25 is 25%) or fraction (0.25 is 25%); by default below 1 a fraction, 1 and above an error"))
}

// parseBareRatio reads --bare-ratio into opts.
func (c *cli) parseBareRatio(s string, opts *zhengce.Options) bool {
	switch s {
	case "":
	case "percent":
		opts.BareRatios = zhengce.BareRatiosPercent
	case "fraction":
		opts.BareRatios = zhengce.BareRatiosFraction
	default:
		c.errorf("--bare-ratio 应为 percent 或 fraction", "--bare-ratio must be percent or fraction")
		return false
	}
	return true
}

// parseAsOf reads --as-of into opts; an empty flag leaves today.
func (c *cli) parseAsOf(s string, opts *zhengce.Options) bool {
	if s == "" {
		return true
	}
	d, ok := lang.ParseDate(s)
	if !ok {
		c.errorf("--as-of 应为日期，如 2025-07-01", "--as-of must be a date such as 2025-07-01")
		return false
	}
	opts.AsOf = d
	return true
}

// readRows reads every row of a data file, for the commands that look at
// all of them together.
func (c *cli) readRows(path, encoding string) ([]data.Row, bool, int) {
	reader, closer, err := data.OpenWith(path, data.Options{Encoding: encoding})
	if err != nil {
		c.errorf("无法读取数据：%v", "cannot read the data: %v", c.message(err))
		return nil, false, exitUsage
	}
	defer closer.Close()
	var rows []data.Row
	for {
		row, err := reader.Next()
		if err == io.EOF {
			return rows, reader.IsArray(), exitOK
		}
		if err != nil {
			c.errorf("数据文件无法继续读取：%v", "the data file cannot be read further: %v", c.message(err))
			return nil, false, exitData
		}
		rows = append(rows, row)
	}
}

// loadFolder compiles the .zc files of a document's folder as one policy.
func (c *cli) loadFolder(dir string, opts zhengce.Options) (*zhengce.Program, int) {
	sources, err := zhengce.ReadFolder(dir, opts.Limits)
	if err != nil {
		c.errorf("无法读取政策文件：%v", "cannot read the policy files: %v", c.message(err))
		return nil, exitUsage
	}
	if len(sources) == 0 {
		c.errorf("文件夹“%s”中没有 .zc 文件", "the folder %q has no .zc file", dir)
		return nil, exitUsage
	}
	joined := lang.JoinSources(sources)
	prog, err := zhengce.CompileSources(sources, opts)
	if err != nil {
		fmt.Fprintln(c.stderr, lang.FormatErrors(err, joined, c.loc))
		return nil, exitUsage
	}
	if w := prog.Checked().Warnings; len(w) > 0 {
		fmt.Fprintln(c.stderr, lang.FormatErrors(w, joined, c.loc))
	}
	return prog, exitOK
}

// date writes a date for the user: 2025年7月1日, or 2025-07-01 in English.
func (c *cli) date(d lang.Date) string {
	if c.loc == lang.English {
		return d.String()
	}
	return d.Chinese()
}
