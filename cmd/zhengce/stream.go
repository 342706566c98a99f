package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

// streamOptions are the flags of run that the streaming path uses.
type streamOptions struct {
	dataPath, encoding, format, idCol string
	// groupCol is the column that tells an enterprise's records apart
	// (--enterprise, or the policy's 同一企业 按 …), or ""
	groupCol string
	workers  int
	quiet    bool
}

// maxGroupRows bounds the records of one enterprise, which are held
// together until the enterprise is settled.
const maxGroupRows = 100_000

// grouper cuts a stream of rows into enterprises: runs of rows with the
// same value in the enterprise column. The data must be sorted by that
// column (then memory does not grow with the file): a value smaller than
// the one before is an error that says how to sort.
type grouper struct {
	c      *cli
	col    string
	index  int // of the column among the CSV's, or −1: read from the record
	prev   string
	prevAt int // the row of prev
}

func newGrouper(c *cli, col string, columns []string) *grouper {
	if col == "" {
		return nil
	}
	g := &grouper{c: c, col: col, index: -1}
	for i, name := range columns {
		if lang.FoldName(name) == lang.FoldName(col) {
			g.index = i
		}
	}
	return g
}

// key returns the enterprise of row.
func (g *grouper) key(row *data.Row) string {
	if g.index >= 0 && g.index < len(row.Cells) {
		return row.Cells[g.index]
	}
	return zhengce.FieldText(row.Record, g.col)
}

// next reports whether row begins a new enterprise, or an error when the
// data is not sorted by the enterprise column. A row that names no
// enterprise is one of its own.
func (g *grouper) next(row *data.Row) (bool, error) {
	key := strings.TrimSpace(g.key(row))
	switch {
	case key == "":
		return true, nil
	case g.prev == "" || key > g.prev:
		g.prev, g.prevAt = key, row.Num
		return true, nil
	case key == g.prev:
		return false, nil
	}
	return true, errors.New(g.c.say(
		fmt.Sprintf("数据没有按“%s”排序：第 %d 行的“%s”排在第 %d 行的“%s”之后；同一企业的各条记录要相邻，请先按这一列排序（如 sort -t, -k 或 Excel 的“排序”）再运行", g.col, row.Num, lang.Clip(key), g.prevAt, lang.Clip(g.prev)),
		fmt.Sprintf("the data is not sorted by %q: row %d's %q comes after row %d's %q; an enterprise's records must be together: sort by that column first", g.col, row.Num, lang.Clip(key), g.prevAt, lang.Clip(g.prev))))
}

// same reports whether two rows are one enterprise's.
func (g *grouper) same(a, b *data.Row) bool {
	k := strings.TrimSpace(g.key(a))
	return k != "" && k == strings.TrimSpace(g.key(b))
}

// stream evaluates a data file with several workers and writes each result
// as soon as every row before it has been written, so memory stays flat
// however large the input, and the output is byte for byte the same
// whatever the number of workers. It is used for CSV and JSON output.
//
// A policy with budgets or quotas is read twice: the first pass keeps of
// each record only what they need (a rank, the amounts), the budgets and
// quotas are settled, and the second pass applies the settlement to each
// record as it streams out.
func (c *cli) stream(prog *zhengce.Program, o streamOptions) int {
	var settlement *zhengce.Settlement
	if prog.HasPopulationSteps() {
		// the tally of every candidate stays in memory: with the batch
		// setting of 400 the heap grew to five times it (0.49 GB for 10⁶
		// rows against 0.2 GB at 100, for a tenth more time)
		defer tuneGC(100)()
		tally, code := c.firstPass(prog, o)
		if code != exitOK {
			return code
		}
		settlement = tally.Settle()
	}
	// JSON objects are decoded by the workers, not the reading goroutine
	reader, closer, err := data.OpenWith(o.dataPath, data.Options{Encoding: o.encoding, CellsOnly: true, DecodeLater: true})
	if err != nil {
		c.errorf("无法读取数据：%v", "cannot read the data: %v", c.message(err))
		return exitUsage
	}
	defer closer.Close()
	var binder *zhengce.Binder
	idColumn := -1
	var absent absentInputs
	groupCol, ok := c.enterpriseOf(prog, o.groupCol, reader.Columns())
	if !ok {
		return exitUsage
	}
	o.groupCol = groupCol
	if cols := reader.Columns(); cols != nil {
		if !c.columnOfFlag("--id", o.idCol, cols) {
			return exitUsage
		}
		absent = c.warnMissingColumns(prog, cols)
		binder = prog.Binder(cols)
		for i, col := range cols {
			if o.idCol != "" && lang.FoldName(col) == lang.FoldName(o.idCol) {
				idColumn = i
			}
		}
	}
	// rows travel in batches, so that the channels cost little per row
	const batchSize = 256
	type job struct {
		seq   int // of the batch
		first int // the place of its first row in input order
		rows  []data.Row
	}
	type done struct {
		seq    int
		out    *bytes.Buffer // the rows as written, formatted by the worker
		ends   []int         // where each row ends in out
		table  []tableRow    // the rows, for a table
		faults []rowFault    // the rows that could not be evaluated whole, in row order
	}
	workers := max(o.workers, 1)
	jobs := make(chan job, 4*workers)
	results := make(chan done, 4*workers)
	// the buffers the writer has written, for the workers to fill again
	free := make(chan *bytes.Buffer, 8*workers)
	var readErr error
	groups := newGrouper(c, o.groupCol, reader.Columns())
	go func() {
		defer close(jobs)
		defer zhengce.Recovered(&readErr)
		batch := job{}
		n, run := 0, 0 // rows sent, rows of the enterprise being read
		for {
			row, err := reader.Next()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				break
			}
			if c.ctx.Err() != nil {
				return
			}
			begins := true
			if groups != nil {
				row.Decode() // the enterprise's key is in the record
				if begins, err = groups.next(&row); err != nil {
					readErr = err
					break
				}
				if run++; begins {
					run = 1
				} else if run > maxGroupRows {
					readErr = fmt.Errorf(c.say("同一企业的记录超过 %d 条（第 %d 行）", "one enterprise has more than %d records (row %d)"), maxGroupRows, row.Num)
					break
				}
			}
			// a batch ends between enterprises, never inside one
			if len(batch.rows) >= batchSize && begins {
				jobs <- batch
				n += len(batch.rows)
				batch = job{seq: batch.seq + 1, first: n, rows: make([]data.Row, 0, batchSize)}
			}
			batch.rows = append(batch.rows, row)
		}
		if len(batch.rows) > 0 {
			jobs <- batch
		}
	}()
	cols, rules := outputColumns(prog), ruleNames(prog)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// each worker formats its own rows; the writer only puts them in order
			buf := &batchBuffer{}
			ev := &rowEvaluator{prog: prog, binder: binder} // slots and result reused row after row
			var table *csvTable
			var js *json.Encoder
			if o.format == "csv" {
				table = &csvTable{c: c, w: buf, cols: cols, idCol: o.idCol, rules: rules}
			} else if o.format == "json" {
				js = json.NewEncoder(buf)
				js.SetEscapeHTML(false)
				js.SetIndent("  ", "  ")
			}
			for j := range jobs {
				select {
				case buf.Buffer = <-free:
					buf.Reset()
				default:
					buf.Buffer = new(bytes.Buffer)
				}
				d := done{seq: j.seq, ends: make([]int, 0, len(j.rows))}
				for start := 0; start < len(j.rows); {
					end := start + 1 // the enterprise's rows: [start, end)
					if groups != nil {
						for end < len(j.rows) && groups.same(&j.rows[end], &j.rows[start]) {
							end++
						}
					}
					run := ev.evalRun(c.ctx, j.rows[start:end])
					for k := range run {
						r := &run[k]
						switch row := r.row; {
						case row.Cells != nil && idColumn >= 0 && idColumn < len(row.Cells):
							r.id = row.Cells[idColumn]
						case o.idCol != "":
							r.id = zhengce.FieldText(row.Record, o.idCol)
						}
						if settlement != nil && r.res != nil {
							prog.ApplySettlement(j.first+start+k, r.res, settlement)
						}
					}
					start = end
					for _, r := range run {
						if o.format == "table" {
							d.table = append(d.table, c.tableRow(r, cols, o.idCol, reader.IsArray()))
						} else if table != nil {
							table.write(r)
						} else {
							js.Encode(c.jsonRowOf(r))
							buf.Truncate(buf.Len() - 1) // the encoder's newline
						}
						d.ends = append(d.ends, buf.Len())
						if r.err != nil {
							d.faults = append(d.faults, c.rowFault(r.row.LabelIn(reader.IsArray(), c.loc == lang.English), r.err, absent))
						}
					}
				}
				d.out = buf.Buffer
				results <- d
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	var rowsDone atomic.Int64
	stopProgress := c.progress(&rowsDone, func() float64 { return data.Fraction(reader) }, o.quiet)
	w := bufio.NewWriterSize(c.stdout, 1<<16)
	if o.format == "csv" {
		c.newCSVTable(w, cols, o.idCol, rules)
	}
	pending := map[int]done{}
	next := 0
	var tally rowTally
	var block []tableRow // rows of a table not yet written
	blocks := 0
	for d := range results {
		pending[d.seq] = d
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for _, f := range b.faults {
				tally.count(f)
				io.WriteString(c.stderr, f.line)
			}
			if o.format == "table" {
				// tables are aligned a block of rows at a time
				block = append(block, b.table...)
				if len(block) >= tableBlockRows {
					if blocks > 0 {
						io.WriteString(w, "\n")
					}
					c.writeTableBlock(w, block[:tableBlockRows], cols, o.idCol)
					block = append(block[:0], block[tableBlockRows:]...)
					blocks++
				}
				tally.total += len(b.table)
				rowsDone.Store(int64(tally.total))
				continue
			}
			out := b.out.Bytes()
			if o.format == "json" {
				start := 0
				for i, end := range b.ends {
					sep := ",\n  "
					if tally.total+i == 0 {
						sep = "[\n  "
					}
					io.WriteString(w, sep)
					w.Write(out[start:end])
					start = end
				}
			} else {
				w.Write(out)
			}
			tally.total += len(b.ends)
			rowsDone.Store(int64(tally.total))
			select {
			case free <- b.out:
			default:
			}
		}
	}
	stopProgress()
	if o.format == "table" && (len(block) > 0 || blocks == 0) {
		if blocks > 0 {
			io.WriteString(w, "\n")
		}
		c.writeTableBlock(w, block, cols, o.idCol)
	}
	if o.format == "json" {
		if tally.total == 0 {
			io.WriteString(w, "[]\n")
		} else {
			io.WriteString(w, "\n]\n")
		}
	}
	w.Flush()
	var ie *zhengce.InternalError
	if errors.As(readErr, &ie) {
		c.internalError(ie.Value)
		return exitInternal
	}
	if readErr != nil {
		c.errorf("数据文件无法继续读取：%v", "the data file cannot be read further: %v", readErr)
		return exitData
	}
	if c.ctx.Err() != nil {
		c.errorf("超过时限（--timeout），已停止：前 %d 行已求值", "time limit (--timeout) reached: stopped after %d rows", tally.total)
		return exitData
	}
	return c.summarize(tally)
}

// batchBuffer is the buffer a worker formats a batch of rows into: a
// different one for each batch, taken back from the writer once written.
type batchBuffer struct{ *bytes.Buffer }

// rowEvaluator evaluates rows into one reused Result: a worker's, or the
// first pass's. CSV and xlsx rows are bound by column, JSON records by name.
// The records of one enterprise are evaluated each into a Result of its
// own, kept for the next enterprise, and settled together.
type rowEvaluator struct {
	prog   *zhengce.Program
	binder *zhengce.Binder // nil for JSON
	inputs []zhengce.Value
	res    zhengce.Result
	group  []zhengce.Result  // an enterprise's records, when it has several
	run    []rowResult       // what evalRun returns, reused
	ptrs   []*zhengce.Result // the same, for SettleEnterprise
}

// evalRun evaluates the rows of one enterprise and settles them across its
// records; the results stay valid until the next call.
func (e *rowEvaluator) evalRun(ctx context.Context, rows []data.Row) []rowResult {
	e.run = e.run[:0]
	if len(rows) == 1 {
		row := rows[0]
		row.Decode()
		r := rowResult{row: row}
		r.res, r.err = e.eval(ctx, row)
		return append(e.run, r)
	}
	for len(e.group) < len(rows) {
		e.group = append(e.group, zhengce.Result{})
	}
	e.ptrs = e.ptrs[:0]
	for i, row := range rows {
		row.Decode()
		r := rowResult{row: row}
		r.res, r.err = e.evalInto(ctx, row, &e.group[i])
		e.run = append(e.run, r)
		e.ptrs = append(e.ptrs, r.res)
	}
	e.prog.SettleEnterprise(e.ptrs)
	return e.run
}

// eval evaluates one row; the result stays valid until the next call. A
// defect met (a panic) is this row's *zhengce.InternalError; the other rows
// go on.
func (e *rowEvaluator) eval(ctx context.Context, row data.Row) (res *zhengce.Result, err error) {
	return e.evalInto(ctx, row, &e.res)
}

// evalInto evaluates one row into into.
func (e *rowEvaluator) evalInto(ctx context.Context, row data.Row, into *zhengce.Result) (res *zhengce.Result, err error) {
	if row.Err != nil {
		return nil, row.Err
	}
	defer func() {
		if err != nil {
			var ie *zhengce.InternalError
			if errors.As(err, &ie) {
				*into, res = zhengce.Result{}, nil // what the panic left is not used again
			}
		}
	}()
	defer zhengce.Recovered(&err)
	var inputs []zhengce.Value
	var dataErr error
	if e.binder != nil && row.Cells != nil {
		inputs, dataErr = e.binder.BindInto(row.Cells, e.inputs)
	} else {
		inputs, dataErr = e.prog.BindRecord(row.Record)
	}
	if inputs == nil {
		return nil, dataErr
	}
	e.inputs = inputs
	if err := e.prog.EvalInto(ctx, e.inputs, into); err != nil {
		return nil, err
	}
	// with bad fields, the rules that read them did not apply; the others did
	return into, dataErr
}

// firstPass evaluates every row once and keeps only what the budgets and
// quotas need; errors are reported by the second pass.
func (c *cli) firstPass(prog *zhengce.Program, o streamOptions) (*zhengce.Tally, int) {
	reader, closer, err := data.OpenWith(o.dataPath, data.Options{Encoding: o.encoding, CellsOnly: true})
	if err != nil {
		c.errorf("无法读取数据：%v", "cannot read the data: %v", c.message(err))
		return nil, exitUsage
	}
	defer closer.Close()
	var binder *zhengce.Binder
	if cols := reader.Columns(); cols != nil {
		binder = prog.Binder(cols)
	}
	tally := prog.NewTally()
	ev := &rowEvaluator{prog: prog, binder: binder}
	groups := newGrouper(c, o.groupCol, reader.Columns())
	var run []data.Row // the enterprise being read
	flush := func() {
		for _, r := range ev.evalRun(c.ctx, run) {
			tally.Add(r.res) // the tally copies what it keeps
		}
		run = run[:0]
	}
	for {
		row, err := reader.Next()
		if err == io.EOF {
			if len(run) > 0 {
				flush()
			}
			return tally, exitOK
		}
		if err != nil {
			c.errorf("数据文件无法继续读取：%v", "the data file cannot be read further: %v", c.message(err))
			return nil, exitData
		}
		begins := true
		if groups != nil {
			if begins, err = groups.next(&row); err != nil {
				c.errorf("%v", "%v", c.message(err))
				return nil, exitData
			}
		}
		if begins && len(run) > 0 {
			flush()
		}
		run = append(run, row)
	}
}

// progress shows rows done, rows per second, the elapsed time and, when the
// share of the file read is known, the time left, on stderr when stderr is
// a terminal; the returned function stops it.
func (c *cli) progress(done *atomic.Int64, fraction func() float64, quiet bool) func() {
	f, ok := c.rawStderr.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	clk := c.clock
	if clk == nil {
		clk = wallClock{}
	}
	start := clk.Now()
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick, stopTicking := clk.Tick(200 * time.Millisecond)
		defer stopTicking()
		for {
			select {
			case <-stop:
				fmt.Fprint(f, "\r\033[K")
				return
			case now := <-tick:
				n := done.Load()
				secs := now.Sub(start).Seconds()
				left := ""
				if fr := fraction(); fr > 0.01 && fr < 1 {
					left = fmt.Sprintf(c.say("，约剩 %.0f 秒", ", about %.0f s left"), secs/fr-secs)
				}
				fmt.Fprintf(f, c.say("\r已处理 %d 行，每秒 %.0f 行，用时 %.1f 秒%s\033[K", "\r%d rows, %.0f rows/s, %.1f s%s\033[K"), n, float64(n)/secs, secs, left)
			}
		}
	}()
	return func() {
		close(stop)
		<-finished
	}
}
