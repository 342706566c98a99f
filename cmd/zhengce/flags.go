package main

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/pflag"
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

// columnOfRows is columnOfFlag for data read whole (JSON has no header):
// some record must have the field.
func (c *cli) columnOfRows(flag, name string, rows []data.Row) bool {
	if name == "" {
		return true
	}
	for _, r := range rows {
		for k := range r.Record {
			if lang.FoldName(k) == lang.FoldName(name) {
				return true
			}
		}
	}
	if len(rows) == 0 {
		return true
	}
	var keys []string
	for k := range rows[0].Record {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return c.columnOfFlag(flag, name, keys)
}

// usageError says in one line what is wrong with how a command was
// called, and where the help is, and gives the exit status.
func (c *cli) usageError(cmd, zh, en string, args ...any) int {
	c.errorf(zh+"；zhengce "+cmd+" --help 查看用法", en+"; see zhengce "+cmd+" --help", args...)
	return exitUsage
}
