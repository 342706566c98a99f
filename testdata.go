package zhengce

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

// WriteTestData writes the inputs of the tests written in one file of a
// policy as CSV, one row per test with its name and date (empty for a
// test that runs on whatever day it is run, so that the file does not
// change from day to day): a sample data file that takes every branch the
// tests take. Its columns are the inputs that file declares, then those
// of the policy's other files that its tests give. Tests whose data was
// incomplete are left out.
func WriteTestData(w io.Writer, p *Program, results []TestResult, file string) error {
	inputs := p.Checked().Inputs
	var slots []int
	for _, fi := range p.Checked().File.Files {
		if fi.Name == file {
			for _, key := range fi.Inputs {
				if i, ok := p.InputSlot(key); ok && !slices.Contains(slots, i) {
					slots = append(slots, i)
				}
			}
		}
	}
	own := len(slots)
	for _, r := range results {
		if r.File != file {
			continue
		}
		for i, v := range r.Inputs {
			if v.IsValid() && !slices.Contains(slots, i) {
				slots = append(slots, i)
			}
		}
	}
	slices.Sort(slots[own:]) // in the policy's order
	cw := csv.NewWriter(w)
	header := []string{"测试案例", "评估日期"}
	for _, i := range slots {
		header = append(header, inputs[i].Name.Text)
	}
	cw.Write(header)
	for _, r := range results {
		if r.Inputs == nil || r.File != file {
			continue
		}
		row := []string{r.Name, ""} // a test not dated is for whatever day it runs
		if r.Dated {
			row[1] = r.AsOf.String()
		}
		for _, i := range slots {
			row = append(row, cellText(inputs[i].Type, r.Inputs[i]))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// cellText writes a value of type t as a data cell that the data readers
// read back: numbers as exact decimals, 是/否, dates as 2025-06-15, text
// as it is, and lists as a JSON array of objects keyed by field name.
func cellText(t lang.Type, v Value) string {
	if t.Kind == lang.KindRatio && v.IsValid() {
		return v.Text(lang.Chinese) // 30%: a bare 0.3 reads the same, but 1.5 would not
	}
	if t.Rec == nil || !v.IsValid() { // (no value: an empty cell)
		return v.Exact()
	}
	var b strings.Builder
	b.WriteByte('[')
	for n, item := range v.Items() {
		if n > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('{')
		for j, f := range t.Rec.Fields {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q: %q", f.Name.Text, item.Items()[j].Exact())
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String()
}
