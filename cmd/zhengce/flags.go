package main

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

// This file holds what the commands share of their flags: the help, in the
// user's language (defaults included), pflag's errors said in it too, and
// usage errors as one line with a hint rather than the whole help.

// flags makes a flag set for a command, with --help and --lang.
func (c *cli) flags(name, zhUsage, enUsage string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.String("lang", "", c.say("信息的语言：zh 或 en", "language of messages: zh or en"))
	fs.Usage = func() {
		fmt.Fprint(c.stderr, c.say(zhUsage, enUsage))
		fmt.Fprintln(c.stderr, c.say("\n选项：", "\nOptions:"))
		c.printFlags(fs)
	}
	return fs
}

// printFlags lists fs's flags, each with a word for its value and its
// default, in the user's language.
func (c *cli) printFlags(fs *pflag.FlagSet) {
	var lines [][2]string
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "      --" + f.Name
		if f.Shorthand != "" {
			name = "  -" + f.Shorthand + ", --" + f.Name
		}
		switch f.Value.Type() {
		case "bool":
		case "int", "uint64", "int64":
			name += c.say(" 数", " n")
		case "duration":
			name += c.say(" 时长", " duration")
		default:
			name += c.say(" 值", " value")
		}
		usage := f.Usage
		if def := f.DefValue; def != "" && def != "0" && def != "false" && def != "[]" && def != "0s" {
			usage += fmt.Sprintf(c.say("（默认 %s）", " (default %s)"), def)
		}
		lines = append(lines, [2]string{name, usage})
		width = max(width, lang.DisplayWidth(name))
	})
	for _, l := range lines {
		fmt.Fprintf(c.stderr, "%s%s  %s\n", l[0], strings.Repeat(" ", width-lang.DisplayWidth(l[0])), l[1])
	}
}

// pflag's errors, to be said in the user's language.
var (
	unknownFlag   = regexp.MustCompile(`^unknown flag: (\S+)$`)
	unknownShort  = regexp.MustCompile(`^unknown shorthand flag: '(.)' in (.+)$`)
	needsArgument = regexp.MustCompile(`^flag needs an argument: (?:'.' in )?(\S+)$`)
	badArgument   = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: `)
)

// flagError says what pflag found wrong with the command line.
func (c *cli) flagError(cmd string, err error) string {
	s := err.Error()
	var msg string
	switch {
	case unknownFlag.MatchString(s):
		m := unknownFlag.FindStringSubmatch(s)
		msg = fmt.Sprintf(c.say("不认识的选项 %s", "unknown option %s"), m[1])
	case unknownShort.MatchString(s):
		m := unknownShort.FindStringSubmatch(s)
		msg = fmt.Sprintf(c.say("不认识的选项 -%s（在 %s 中）；负数请写在 -- 之后，或写作 0-1", "unknown option -%s (in %s); put a negative number after --, or write it as 0-1"), m[1], m[2])
	case needsArgument.MatchString(s):
		m := needsArgument.FindStringSubmatch(s)
		msg = fmt.Sprintf(c.say("选项 %s 需要一个值", "option %s needs a value"), m[1])
	case badArgument.MatchString(s):
		m := badArgument.FindStringSubmatch(s)
		msg = fmt.Sprintf(c.say("选项 %[2]s 的值“%[1]s”无效", "the value %[1]q of option %[2]s is invalid"), m[1], m[2])
	default:
		msg = s
	}
	return msg + fmt.Sprintf(c.say("；zhengce %s --help 查看全部选项", "; see zhengce %s --help"), cmd)
}

// columnOfFlag checks that the column a flag names (--id, --enterprise)
// is in the data: a misspelt column would otherwise give every row an
// empty name, or one enterprise.
func (c *cli) columnOfFlag(flag, name string, cols []string) bool {
	if name == "" || cols == nil {
		return true
	}
	for _, col := range cols {
		if lang.FoldName(col) == lang.FoldName(name) {
			return true
		}
	}
	shown := cols
	if len(shown) > 8 {
		shown = shown[:8]
	}
	c.errorf("%s 指的列“%s”不在数据中；数据的列有：%s", "%s names the column %q, which the data does not have; its columns are: %s",
		flag, name, strings.Join(shown, c.say("、", ", ")))
	return false
}

// rowColumns is the fields any of the rows has, sorted, for data read
// whole (JSON has no header); nil when there are no rows.
func rowColumns(rows []data.Row) []string {
	seen := map[string]bool{}
	var cols []string
	for _, r := range rows {
		for k := range r.Record {
			if !seen[k] {
				seen[k] = true
				cols = append(cols, k)
			}
		}
	}
	sort.Strings(cols)
	return cols
}

// usageError says in one line what is wrong with how a command was
// called, and where the help is, and gives the exit status.
func (c *cli) usageError(cmd, zh, en string, args ...any) int {
	c.errorf(zh+"；zhengce "+cmd+" --help 查看用法", en+"; see zhengce "+cmd+" --help", args...)
	return exitUsage
}

// evalFlags are the flags of every command that reads data or evaluates
// policies: one name, one meaning, everywhere.
type evalFlags struct {
	sets       *[]string
	asOf       *string
	bareRatio  *string
	encoding   *string
	enterprise *string
	maxSteps   *int
	maxList    *int
	timeout    *time.Duration
	quiet      *bool
}

// addEvalFlags declares the evalFlags on fs; setHelp says what --set
// changes (compare: the reform's parameters).
func (c *cli) addEvalFlags(fs *pflag.FlagSet, setHelp ...string) *evalFlags {
	if setHelp == nil {
		setHelp = []string{"改变参数而不改文件，如 --set 补助比例=15%（可重复）", "override a parameter, e.g. --set rate=15% (repeatable)"}
	}
	return &evalFlags{
		sets: fs.StringArray("set", nil, c.say(setHelp[0], setHelp[1])),
		asOf: fs.String("as-of", "", c.say("评估日期，用于规则的有效期与按日期变化的参数（默认今天；数据中有评估日期列时按各行的），如 2025-07-01",
			"date of evaluation, for periods of validity and dated parameters (default today; a record's own date column comes first), e.g. 2025-07-01")),
		bareRatio: c.bareRatioFlag(fs),
		encoding:  fs.String("encoding", "auto", c.say("文本数据的编码：auto（不是 UTF-8 即按 GBK 读）、utf-8 或 gbk", "encoding of text data: auto (GBK when not UTF-8), utf-8 or gbk")),
		enterprise: fs.String("enterprise", "", c.say("同一企业的各条申报记录在这一列上的值相同（如 统一社会信用代码）：就高不重复与上限按企业计算；缺省为政策中“同一企业 按 …”所写的列",
			"column whose value is the same for an enterprise's records (e.g. the unified social credit code): exclusive groups and caps act per enterprise; default: the column the policy names (enterprise by …)")),
		maxSteps: fs.Int("max-steps", zhengce.DefaultMaxSteps, c.say("每条记录最多求值的步数（定义、规则与列表项）", "most evaluation steps per record (definitions, rules, list items)")),
		maxList:  fs.Int("max-list", zhengce.DefaultMaxListItems, c.say("列表输入最多的项数", "most items in a list input")),
		timeout:  fs.Duration("timeout", 0, c.say("整个运行的时限，如 30s；0 为不限", "time limit for the whole run, e.g. 30s; 0 for none")),
		quiet:    fs.Bool("quiet", false, c.say("不显示进度", "no progress display")),
	}
}

// options reads the flags into compile options, and starts the time
// limit; the caller defers stop. ok is false after a usage error.
func (c *cli) options(f *evalFlags) (opts zhengce.Options, stop func(), ok bool) {
	stop = func() {}
	params, ok := c.parseSets(*f.sets)
	if !ok {
		return opts, stop, false
	}
	opts = zhengce.Options{Params: params, Limits: zhengce.Limits{MaxSteps: *f.maxSteps, MaxListItems: *f.maxList}}
	if !c.parseAsOf(*f.asOf, &opts) || !c.parseBareRatio(*f.bareRatio, &opts) {
		return opts, stop, false
	}
	if *f.timeout > 0 {
		ctx, cancel := context.WithTimeout(c.ctx, *f.timeout)
		c.ctx, stop = ctx, cancel
	}
	return opts, stop, true
}
