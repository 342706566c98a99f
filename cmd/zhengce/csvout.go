package main

import (
	"io"
	"strconv"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// This file writes results as CSV for machines: exact values, one row per
// record, each rule's outcome and reason, cells safe to open in a
// spreadsheet.

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
