package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// This file writes results as a table for people: amounts in columns
// headed by their unit, aligned by display width, with the reasons and
// notes under the table.

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
func (c *cli) cell(col column, res *zhengce.Result) string {
	v := col.value(res)
	switch {
	case v == nil || v.IsNA():
		return c.say("不适用", "n/a")
	case v.Kind() == lang.KindMoney:
		return zhengce.MoneyFigure(v.Decimal())
	}
	return c.human(*v)
}

// value returns the column's value for a record, or nil when its rule does
// not apply.
func (col column) value(res *zhengce.Result) *zhengce.Value {
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
			if ri > 0 && looksNumeric(cell) {
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

// looksNumeric reports whether a cell of a table holds a number, to align
// it to the right.
func looksNumeric(s string) bool {
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
