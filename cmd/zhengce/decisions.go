package main

import (
	"encoding/json"
	"fmt"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/decisionlog"
	"github.com/zhengce/zhengce/lang"
)

const logUsageZh = `用法：zhengce log --log 决定日志 [--enterprise 企业] [--policy 政策] [--revision 版本] [--from 日期] [--until 日期] [--format table|json]

列出决定日志中的决定（按编号即时间先后），可按企业、政策、版本、评估日期筛选。
`

const logUsageEn = `Usage: zhengce log --log FILE [--enterprise ID] [--policy P] [--revision R] [--from DATE] [--until DATE] [--format table|json]

List the decisions of a decision log, oldest first, filtered by enterprise,
policy, revision or evaluation date.
`

const replayUsageZh = `用法：zhengce replay --log 决定日志 编号

用决定当时的政策版本与数据重新求值，写明与记录的结果是否一致、哪里不同。
`

const replayUsageEn = `Usage: zhengce replay --log FILE ID

Evaluate a decision again with the policy revision and data it was made with,
and show whether the result is the one recorded, and any difference.
`

func (c *cli) openLog(path string) *decisionlog.Log {
	if path == "" {
		c.errorf("缺少 --log：决定日志文件", "--log is missing: the decision log file")
		return nil
	}
	l, err := decisionlog.Open(path)
	if err != nil {
		c.errorf("无法打开决定日志：%s", "cannot open the decision log: %s", c.message(err))
		return nil
	}
	return l
}

func (c *cli) log(args []string) int {
	fs := c.flags("log", logUsageZh, logUsageEn)
	path := fs.String("log", "", c.say("决定日志文件", "the decision log file"))
	var f decisionlog.Filter
	fs.StringVar(&f.Enterprise, "enterprise", "", c.say("只列这家企业的", "only this enterprise's"))
	fs.StringVar(&f.Policy, "policy", "", c.say("只列这个政策的", "only this policy's"))
	fs.StringVar(&f.Revision, "revision", "", c.say("只列这个版本（可写开头几位）的", "only this revision's (a prefix will do)"))
	fs.StringVar(&f.From, "from", "", c.say("评估日期不早于", "evaluated on or after"))
	fs.StringVar(&f.Until, "until", "", c.say("评估日期不晚于", "evaluated on or before"))
	fs.IntVar(&f.Limit, "limit", 1000, c.say("最多列出几条", "list at most this many"))
	format := fs.String("format", "table", c.say("输出格式：table 或 json", "output format: table or json"))
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if *format != "table" && *format != "json" {
		return c.usageError("log", "--format 的值“%s”不可用：可用 table 或 json", "--format %q is not available: use table or json", *format)
	}
	for _, d := range []struct{ flag, v string }{{"--from", f.From}, {"--until", f.Until}} {
		if _, ok := lang.ParseDate(d.v); d.v != "" && !ok {
			return c.usageError("log", "%s 的值“%s”不是日期，应写作 2025-07-01", "%s %q is not a date; write it as 2025-07-01", d.flag, d.v)
		}
	}
	l := c.openLog(*path)
	if l == nil {
		return exitUsage
	}
	defer l.Close()
	ds, err := l.List(c.ctx, f)
	if err != nil {
		c.errorf("无法读取决定日志：%s", "cannot read the decision log: %s", c.message(err))
		return exitData
	}
	if *format == "json" {
		if ds == nil {
			ds = []*decisionlog.Decision{}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(ds)
		return exitOK
	}
	rows := [][]string{{c.say("编号", "id"), c.say("时间", "time"), c.say("政策", "policy"), c.say("版本", "revision"), c.say("评估日期", "as of"), c.say("企业", "enterprise"), c.say("给予合计", "total paid")}}
	for _, d := range ds {
		total, _ := decimal.NewFromString(d.Total)
		rows = append(rows, []string{d.ID, d.Time.Local().Format("2006-01-02 15:04:05"), d.Policy, d.Revision[:12], d.AsOf, d.Enterprise, zhengce.MoneyText(total, c.loc)})
	}
	writeAligned(c.stdout, rows)
	fmt.Fprintf(c.stdout, c.say("共 %d 个决定\n", "%d decisions\n"), len(ds))
	return exitOK
}

func (c *cli) replay(args []string) int {
	fs := c.flags("replay", replayUsageZh, replayUsageEn)
	path := fs.String("log", "", c.say("决定日志文件", "the decision log file"))
	format := fs.String("format", "text", c.say("输出格式：text 或 json", "output format: text or json"))
	if code, stop := c.parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 {
		return c.usageError("replay", "要给出一个决定的编号", "give one decision id")
	}
	l := c.openLog(*path)
	if l == nil {
		return exitUsage
	}
	defer l.Close()
	d, err := l.Get(c.ctx, fs.Arg(0))
	if err != nil {
		c.errorf("决定日志中没有编号为“%s”的决定", "the decision log has no decision %q", fs.Arg(0))
		return exitData
	}
	_, stored, err := l.Revision(c.ctx, d.Revision)
	if err != nil {
		c.errorf("决定日志中没有版本 %s 的政策原文", "the decision log lacks the sources of revision %s", d.Revision)
		return exitData
	}
	sources := make([]zhengce.Source, len(stored))
	for i, s := range stored {
		sources[i] = zhengce.Source{Name: s.Name, Text: []byte(s.Text)}
	}
	prog, err := zhengce.CompileSources(sources, zhengce.Options{})
	if err != nil {
		c.errorf("版本 %s 无法编译：%s", "revision %s does not compile: %s", d.Revision, c.message(err))
		return exitData
	}
	rec, err := data.DecodeObject(d.Inputs)
	if err != nil {
		c.errorf("记录的数据无法读取：%s", "the recorded data cannot be read: %s", c.message(err))
		return exitData
	}
	asOf, _ := lang.ParseDate(d.AsOf)
	res, evalErr := prog.EvalWith(c.ctx, rec, zhengce.EvalOptions{AsOf: asOf})
	if res == nil {
		c.errorf("重新求值失败：%s", "evaluating again failed: %s", c.message(evalErr))
		return exitData
	}
	again, _ := json.Marshal(zhengce.ResultJSON(res, nil, lang.Chinese))
	var was, now any
	json.Unmarshal(d.Result, &was)
	json.Unmarshal(again, &now)
	diff := cmp.Diff(was, now)
	if *format == "json" {
		enc := json.NewEncoder(c.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"id": d.ID, "revision": d.Revision, "as_of": d.AsOf, "same": diff == "", "recorded": d.Total, "replayed": res.Total().Exact(), "diff": diff, "masked": d.Masked})
	} else {
		total, _ := decimal.NewFromString(d.Total)
		fmt.Fprintf(c.stdout, c.say("决定 %s：政策 %s，版本 %s，评估日期 %s\n记录的给予合计：%s\n重新求值：%s\n", "decision %s: policy %s, revision %s, as of %s\nrecorded total: %s\nreplayed: %s\n"),
			d.ID, d.Policy, d.Revision[:12], d.AsOf, zhengce.MoneyText(total, c.loc), zhengce.MoneyText(res.Total().Decimal(), c.loc))
		if len(d.Masked) > 0 {
			fmt.Fprintf(c.stdout, c.say("日志只存了这些字段的摘要（日志隐去）：%v；政策若读它们，重新求值不能与原来相同\n", "the log keeps only a digest of these fields (masked): %v; if the policy reads them, the replay cannot match\n"), d.Masked)
		}
		if diff == "" {
			fmt.Fprintln(c.stdout, c.say("一致：结果与记录的完全相同", "same: the result is exactly the one recorded"))
		} else {
			fmt.Fprintf(c.stdout, c.say("不一致（- 记录的，+ 重新求值的）：\n%s", "different (- recorded, + replayed):\n%s"), diff)
		}
	}
	if diff != "" {
		return exitData
	}
	return exitOK
}

// decisionSource is a policy compiled from the sources a decision log
// stores, so that what is recorded is what computed.
type decisionSource struct {
	id       string
	revision string
	sources  []zhengce.Source
	prog     *zhengce.Program
}

func (c *cli) loadForDecisions(path string, opts zhengce.Options) (*decisionSource, int) {
	id, sources, err := zhengce.ReadPolicySources(path, opts.Limits)
	if err != nil {
		c.errorf("无法读取政策文件：%v", "cannot read the policy file: %v", c.message(err))
		return nil, exitUsage
	}
	prog, err := zhengce.CompileSources(sources, opts)
	if err != nil {
		fmt.Fprintln(c.stderr, lang.FormatErrors(err, lang.JoinSources(sources), c.loc))
		return nil, exitUsage
	}
	return &decisionSource{id: id, revision: zhengce.Revision(sources), sources: sources, prog: prog}, exitOK
}

// recordDecisions records every evaluated row as a decision, in one
// transaction, and says how many.
func (c *cli) recordDecisions(path string, d *decisionSource, results []rowResult, groupCol, idCol string) int {
	l := c.openLog(path)
	if l == nil {
		return exitUsage
	}
	defer l.Close()
	if err := l.SaveRevision(c.ctx, d.revision, d.id, decisionlog.SourcesOf(d.sources)); err != nil {
		c.errorf("无法写入决定日志：%v", "cannot write the decision log: %v", err)
		return exitData
	}
	key := groupCol
	if key == "" {
		key = idCol
	}
	masked := d.prog.Checked().File.Info.Masked
	var ds []*decisionlog.Decision
	for _, r := range results {
		if r.res == nil {
			continue
		}
		ds = append(ds, decisionlog.New(d.id, d.revision, r.row.Record, r.res, masked, key))
	}
	if err := l.Record(c.ctx, ds); err != nil {
		c.errorf("无法写入决定日志：%v", "cannot write the decision log: %v", err)
		return exitData
	}
	fmt.Fprintf(c.stderr, c.say("已记入决定日志：%d 个决定（版本 %s）\n", "recorded %d decisions (revision %s)\n"), len(ds), d.revision[:12])
	return exitOK
}
