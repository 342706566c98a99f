package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

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
// whatever the number of workers. It is used for CSV and JSON output of
// policies with no budgets or quotas (those need every row first).
func (c *cli) stream(prog *zhengce.Program, o streamOptions) int {
	reader, closer, err := data.OpenWith(o.dataPath, data.Options{Encoding: o.encoding, CellsOnly: true})
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
	type job struct {
		seq int
		row data.Row
	}
	type done struct {
		seq int
		r   rowResult
	}
	workers := max(o.workers, 1)
	jobs := make(chan job, 64*workers)
	results := make(chan done, 64*workers)
	var readErr error
	go func() {
		defer close(jobs)
		for seq := 0; ; seq++ {
			row, err := reader.Next()
			if err != nil {
				if err != io.EOF {
					readErr = err
				}
				return
			}
			if c.ctx.Err() != nil {
				return
			}
			jobs <- job{seq, row}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				r := rowResult{row: j.row}
				switch {
				case j.row.Cells != nil && idColumn >= 0 && idColumn < len(j.row.Cells):
					r.id = j.row.Cells[idColumn]
				case o.idCol != "":
					r.id = lookupID(j.row.Record, o.idCol)
				}
				switch {
				case j.row.Err != nil:
					r.err = j.row.Err
				case binder != nil && j.row.Cells != nil:
					var inputs []interp.Value
					if inputs, r.err = binder.Bind(j.row.Cells); r.err == nil {
						r.res, r.err = prog.EvalInputs(c.ctx, inputs)
					}
				default:
					r.res, r.err = prog.Eval(c.ctx, j.row.Record)
				}
				results <- done{j.seq, r}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	var rowsDone atomic.Int64
	stopProgress := c.progress(&rowsDone, o.quiet)
	out := newJSONStream(c.stdout)
	var csvOut *csvTable
	if o.format == "csv" {
		csvOut = c.newCSVTable(c.stdout, outputColumns(prog), o.idCol, ruleNames(prog))
	}
	pending := map[int]rowResult{}
	next, total, failed := 0, 0, 0
	for d := range results {
		pending[d.seq] = d.r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			total++
			if r.err != nil {
				failed++
				fmt.Fprintf(c.stderr, "%s：%s\n", r.row.Label(reader.IsArray()), c.message(r.err))
			}
			if csvOut != nil {
				csvOut.write(r)
			} else {
				out.write(c.jsonRowOf(r))
			}
			rowsDone.Store(int64(total))
		}
	}
	stopProgress()
	if csvOut != nil {
		csvOut.w.Flush()
	} else {
		out.close()
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
	if failed > 0 {
		return exitData
	}
	return exitOK
}

// jsonStream writes a JSON array one element at a time, in the layout
// writeJSON gives the whole array.
type jsonStream struct {
	w     io.Writer
	n     int
	buf   bytes.Buffer
	enc   *json.Encoder
	empty bool
}

func newJSONStream(w io.Writer) *jsonStream {
	s := &jsonStream{w: w}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	s.enc.SetIndent("  ", "  ")
	return s
}

func (s *jsonStream) write(v any) {
	s.buf.Reset()
	s.enc.Encode(v)
	sep := ",\n  "
	if s.n == 0 {
		sep = "[\n  "
	}
	s.n++
	io.WriteString(s.w, sep)
	s.w.Write(bytes.TrimRight(s.buf.Bytes(), "\n"))
}

func (s *jsonStream) close() {
	if s.n == 0 {
		io.WriteString(s.w, "[]\n")
		return
	}
	io.WriteString(s.w, "\n]\n")
}

// progress shows rows done, rows per second and the elapsed time on stderr,
// when stderr is a terminal; the returned function stops it.
func (c *cli) progress(done *atomic.Int64, quiet bool) func() {
	f, ok := c.stderr.(*os.File)
	if quiet || !ok {
		return func() {}
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return func() {}
	}
	start := time.Now()
	stop := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprint(f, "\r\033[K")
				return
			case <-tick.C:
				n := done.Load()
				secs := time.Since(start).Seconds()
				fmt.Fprintf(f, c.say("\r已处理 %d 行，每秒 %.0f 行，用时 %.1f 秒", "\r%d rows, %.0f rows/s, %.1f s"), n, float64(n)/secs, secs)
			}
		}
	}()
	return func() {
		close(stop)
		<-finished
	}
}
