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
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
)

// streamOptions are the flags of run that the streaming path uses.
type streamOptions struct {
	dataPath, encoding, format, idCol string
	workers                           int
	quiet                             bool
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
	var settlement *interp.Settlement
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
		c.errorf("无法读取数据：%v", "cannot read the data: %v", err)
		return exitUsage
	}
	defer closer.Close()
	var binder *interp.Binder
	idColumn := -1
	if cols := reader.Columns(); cols != nil {
		c.warnMissingColumns(prog, cols)
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
		seq      int
		internal int           // rows met by a defect of zhengce's (InternalError)
		out      *bytes.Buffer // the rows as written, formatted by the worker
		ends     []int         // where each row ends in out
		table    []tableRow    // the rows, for a table
		failed   []string      // the error lines for stderr, in row order
	}
	workers := max(o.workers, 1)
	jobs := make(chan job, 4*workers)
	results := make(chan done, 4*workers)
	// the buffers the writer has written, for the workers to fill again
	free := make(chan *bytes.Buffer, 8*workers)
	var readErr error
	go func() {
		defer close(jobs)
		defer interp.Recovered(&readErr)
		batch := job{}
		n := 0
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
			batch.rows = append(batch.rows, row)
			if len(batch.rows) == batchSize {
				jobs <- batch
				n += len(batch.rows)
				batch = job{seq: batch.seq + 1, first: n, rows: make([]data.Row, 0, batchSize)}
			}
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
				for i, row := range j.rows {
					row.Decode()
					r := rowResult{row: row}
					switch {
					case row.Cells != nil && idColumn >= 0 && idColumn < len(row.Cells):
						r.id = row.Cells[idColumn]
					case o.idCol != "":
						r.id = lookupID(row.Record, o.idCol)
					}
					r.res, r.err = ev.eval(c.ctx, row)
					if settlement != nil && r.res != nil {
						prog.ApplySettlement(j.first+i, r.res, settlement)
					}
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
						d.failed = append(d.failed, fmt.Sprintf("%s：%s\n", r.row.Label(reader.IsArray()), c.message(r.err)))
						var ie *interp.InternalError
						if errors.As(r.err, &ie) {
							d.internal++
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
	next, total, failed, internal := 0, 0, 0, 0
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
			for _, line := range b.failed {
				failed++
				io.WriteString(c.stderr, line)
			}
			internal += b.internal
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
				total += len(b.table)
				rowsDone.Store(int64(total))
				continue
			}
			out := b.out.Bytes()
			if o.format == "json" {
				start := 0
				for i, end := range b.ends {
					sep := ",\n  "
					if total+i == 0 {
						sep = "[\n  "
					}
					io.WriteString(w, sep)
					w.Write(out[start:end])
					start = end
				}
			} else {
				w.Write(out)
			}
			total += len(b.ends)
			rowsDone.Store(int64(total))
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
		if total == 0 {
			io.WriteString(w, "[]\n")
		} else {
			io.WriteString(w, "\n]\n")
		}
	}
	w.Flush()
	var ie *interp.InternalError
	if errors.As(readErr, &ie) {
		c.internalError(ie.Value)
		return exitInternal
	}
	if readErr != nil {
		c.errorf("数据文件无法继续读取：%v", "the data file cannot be read further: %v", readErr)
		return exitData
	}
	if c.ctx.Err() != nil {
		c.errorf("超过时限（--timeout），已停止：前 %d 行已求值", "time limit (--timeout) reached: stopped after %d rows", total)
		return exitData
	}
	fmt.Fprintf(c.stderr, c.say("共 %d 行：成功 %d 行，失败 %d 行\n", "%d rows: %d ok, %d failed\n"), total, total-failed, failed)
	switch {
	case internal > 0:
		c.errorf("其中 %d 行遇到 zhengce 自身的缺陷（内部错误）：请报告给开发者", "%d of them met a defect of zhengce itself (internal error): please report it", internal)
		return exitInternal
	case failed > 0:
		return exitData
	}
	return exitOK
}

// batchBuffer is the buffer a worker formats a batch of rows into: a
// different one for each batch, taken back from the writer once written.
type batchBuffer struct{ *bytes.Buffer }

// rowEvaluator evaluates rows into one reused Result: a worker's, or the
// first pass's. CSV and xlsx rows are bound by column, JSON records by name.
type rowEvaluator struct {
	prog   *zhengce.Program
	binder *interp.Binder // nil for JSON
	inputs []interp.Value
	res    interp.Result
}

// eval evaluates one row; the result stays valid until the next call. A
// defect met (a panic) is this row's *interp.InternalError; the other rows
// go on.
func (e *rowEvaluator) eval(ctx context.Context, row data.Row) (res *interp.Result, err error) {
	if row.Err != nil {
		return nil, row.Err
	}
	defer func() {
		if err != nil {
			var ie *interp.InternalError
			if errors.As(err, &ie) {
				e.res, res = interp.Result{}, nil // what the panic left is not used again
			}
		}
	}()
	defer interp.Recovered(&err)
	var inputs []interp.Value
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
	if err := e.prog.EvalInto(ctx, e.inputs, &e.res); err != nil {
		return nil, err
	}
	// with bad fields, the rules that read them did not apply; the others did
	return &e.res, dataErr
}

// firstPass evaluates every row once and keeps only what the budgets and
// quotas need; errors are reported by the second pass.
func (c *cli) firstPass(prog *zhengce.Program, o streamOptions) (*interp.Tally, int) {
	reader, closer, err := data.OpenWith(o.dataPath, data.Options{Encoding: o.encoding, CellsOnly: true})
	if err != nil {
		c.errorf("无法读取数据：%v", "cannot read the data: %v", err)
		return nil, exitUsage
	}
	defer closer.Close()
	var binder *interp.Binder
	if cols := reader.Columns(); cols != nil {
		binder = prog.Binder(cols)
	}
	tally := prog.NewTally()
	ev := &rowEvaluator{prog: prog, binder: binder}
	for {
		row, err := reader.Next()
		if err == io.EOF {
			return tally, exitOK
		}
		if err != nil {
			c.errorf("数据文件无法继续读取：%v", "the data file cannot be read further: %v", err)
			return nil, exitData
		}
		res, _ := ev.eval(c.ctx, row) // the tally copies what it keeps
		tally.Add(res)
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
