package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zhengce/zhengce"
)

// This file tells how the rows of a run went: each row that could not be
// evaluated whole gets a line on stderr, and the run ends with a count and
// an exit code. A row with fields that have no value is incomplete (the
// rules that read them are 数据不足, the rest are evaluated); a row with a
// value that cannot be read has failed.

// faultKind says how a row went wrong.
type faultKind uint8

const (
	faultIncomplete faultKind = iota // fields with no value
	faultFailed                      // a value that cannot be read, or an error
	faultInternal                    // a defect of zhengce's own
)

// rowFault is what went wrong with one row: its kind, and the line for
// stderr ("" when the row has nothing to say that was not said once for
// all rows).
type rowFault struct {
	kind faultKind
	line string
}

// rowTally counts the rows of a run by how they went.
type rowTally struct {
	total, incomplete, failed, internal int
}

func (t *rowTally) count(f rowFault) {
	switch f.kind {
	case faultIncomplete:
		t.incomplete++
	case faultFailed:
		t.failed++
	case faultInternal:
		t.failed++
		t.internal++
	}
}

// absentInputs is the set of inputs (by name, as declared) the data has
// no column for, or a column whose unit cannot be read: said once, before
// the rows, not again on each.
type absentInputs map[string]bool

// rowFault classifies err, met on the row labelled label, and words it.
func (c *cli) rowFault(label string, err error, absent absentInputs) rowFault {
	var ie *zhengce.InternalError
	var de *zhengce.DataError
	switch {
	case errors.As(err, &ie):
		return rowFault{faultInternal, label + c.say("：", ": ") + c.message(err) + "\n"}
	case errors.As(err, &de):
		kind := faultFailed
		if de.Incomplete() {
			kind = faultIncomplete
		}
		var said []*zhengce.FieldError
		for _, f := range de.Fields {
			if !absent[f.Field] {
				said = append(said, f)
			}
		}
		if len(said) == 0 {
			return rowFault{kind, ""}
		}
		return rowFault{kind, label + c.say("：", ": ") + (&zhengce.DataError{Fields: said}).Message(c.loc) + "\n"}
	}
	return rowFault{faultFailed, label + c.say("：", ": ") + c.message(err) + "\n"}
}

// summarize writes the count of rows and returns the run's exit code:
// exitData when any row was incomplete or failed.
func (c *cli) summarize(t rowTally) int {
	ok := t.total - t.incomplete - t.failed
	if t.incomplete > 0 {
		fmt.Fprintf(c.stderr, c.say("共 %d 行：成功 %d 行，数据不全 %d 行（读取所缺输入的规则为“数据不足”），失败 %d 行\n",
			"%d rows: %d ok, %d incomplete (the rules that read a missing input are \"insufficient data\"), %d failed\n"), t.total, ok, t.incomplete, t.failed)
	} else {
		fmt.Fprintf(c.stderr, c.say("共 %d 行：成功 %d 行，失败 %d 行\n", "%d rows: %d ok, %d failed\n"), t.total, ok, t.failed)
	}
	switch {
	case t.internal > 0:
		c.errorf("其中 %d 行遇到 zhengce 自身的缺陷（内部错误）：请报告给开发者", "%d of them met a defect of zhengce itself (internal error): please report it", t.internal)
		return exitInternal
	case t.failed > 0 || t.incomplete > 0:
		return exitData
	}
	return exitOK
}

// warnMissingColumns says, once, which inputs the data has no column for,
// and returns them.
func (c *cli) warnMissingColumns(prog *zhengce.Program, cols []string) absentInputs {
	have := map[int]bool{}
	absent := absentInputs{}
	for _, col := range cols {
		slot, ok, badUnit := prog.ColumnSlot(col)
		if !ok {
			continue
		}
		have[slot] = true
		if badUnit != nil {
			in := prog.Inputs()[slot]
			absent[in.Name.Text] = true
			c.errorf("列“%s”：%s；这一列在每一行都读不出，读取输入“%s”的规则都是“数据不足”", "column %q: %s; it cannot be read on any row, and the rules that read input %q are \"insufficient data\"",
				col, badUnit.Text(c.loc), in.Name.Text)
		}
	}
	var names []string
	for slot, in := range prog.Inputs() {
		if !have[slot] {
			absent[in.Name.Text] = true
			names = append(names, in.Name.Text)
		}
	}
	switch {
	case len(names) == 1:
		c.errorf("数据中没有“%s”这一列：读取它的规则在每一行都是“数据不足”", "the data has no column %q: the rules that read it are \"insufficient data\" on every row", names[0])
	case len(names) > 1:
		shown, more := names[:min(len(names), 5)], ""
		if len(names) > len(shown) {
			more = c.say("等", ", …")
		}
		c.errorf("数据中没有 %d 个输入的列：“%s”%s；读取它们的规则在每一行都是“数据不足”", "the data has no column for %d inputs: \"%s\"%s; the rules that read them are \"insufficient data\" on every row",
			len(names), strings.Join(shown, c.say("”、“", `", "`)), more)
	}
	return absent
}
