// Package data reads enterprise records from CSV (with a header row), JSON
// (an array of objects) and JSON Lines files, one row at a time. A row that
// cannot be read is returned with its error and the reading goes on: no row
// is dropped silently.
package data

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/zhengce/zhengce/internal/jsonshape"
	"github.com/zhengce/zhengce/lang"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Row is one record of a data file.
type Row struct {
	// Num is the row's place in the file: the line number for CSV and
	// JSON Lines (the CSV header is line 1), the index from 1 in a JSON array.
	Num    int
	Record map[string]any // field → value, as zhengce.Record
	// Cells are a CSV or xlsx row's cells, in the order of Columns.
	Cells []string
	// Err is set when the row itself cannot be read (a ragged CSV row,
	// a JSON line that is not an object); Record is then what could be read.
	Err error
	// raw is a JSON row's object not yet decoded (Options.DecodeLater)
	raw []byte
}

// Decode decodes the object of a JSON row read with Options.DecodeLater
// into Record, or Err; for any other row it does nothing. Rows may be
// decoded on any goroutines, each row on one.
func (r *Row) Decode() {
	if r.raw == nil {
		return
	}
	r.Record, r.Err = decodeObject(r.raw)
	r.raw = nil
}

// Label names the row for a person: "第 3 行" or "第 3 条记录".
func (r Row) Label(jsonArray bool) string { return r.LabelIn(jsonArray, false) }

// LabelIn is Label in Chinese, or in English when english is set: row 3,
// record 3.
func (r Row) LabelIn(jsonArray, english bool) string {
	switch {
	case jsonArray && english:
		return fmt.Sprintf("record %d", r.Num)
	case english:
		return fmt.Sprintf("row %d", r.Num)
	case jsonArray:
		return fmt.Sprintf("第 %d 条记录", r.Num)
	}
	return fmt.Sprintf("第 %d 行", r.Num)
}

// Reader yields rows.
type Reader interface {
	// Next returns the next row, or io.EOF after the last. Any other error
	// means the file cannot be read further.
	Next() (Row, error)
	// Columns returns the CSV header, or nil for JSON.
	Columns() []string
	// IsArray reports whether rows are numbered as records of a JSON array.
	IsArray() bool
}

// Options configure Open.
type Options struct {
	// Encoding of text files: "utf-8", "gbk" (read as GB18030, its
	// superset), or "" / "auto": UTF-8 unless the start of the file is not
	// valid UTF-8, then GBK — Excel in China saves CSV as GBK.
	Encoding string
	// CellsOnly leaves Row.Record nil for CSV, where Row.Cells holds the
	// row: for callers that bind by column, it saves a map per row.
	CellsOnly bool
	// DecodeLater leaves a JSON row's object undecoded: the caller calls
	// Row.Decode, on whichever goroutine evaluates the row, so that the
	// reading goroutine only finds where each object ends.
	DecodeLater bool
}

// Open opens a data file, choosing the format by its extension: .csv,
// .json, .jsonl or .ndjson, or .xlsx (the first sheet, with a header row).
// The caller closes the returned closer.
func Open(path string) (Reader, io.Closer, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, opts Options) (Reader, io.Closer, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".xlsx" {
		return openXLSX(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	counted := &countingReader{r: f}
	if info, err := f.Stat(); err == nil {
		counted.size = info.Size()
	}
	text, err := decodeText(counted, opts.Encoding)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	r, err := NewReader(text, ext)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	switch r := r.(type) {
	case *csvReader:
		r.cellsOnly = opts.CellsOnly
	case *jsonArray:
		r.later = opts.DecodeLater
	case *jsonLines:
		r.later = opts.DecodeLater
	}
	return &progressReader{Reader: r, counted: counted}, f, nil
}

// decodeText returns r as UTF-8 text: as it is, decoded from GBK when asked,
// or, for "auto", as autoText decides. Bytes that are not text in the
// encoding become U+FFFD, and a row holding one is reported (badText).
func decodeText(r io.Reader, encoding string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	switch strings.ToLower(encoding) {
	case "utf-8", "utf8":
		return br, nil
	case "gbk", "gb2312", "gb18030":
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), nil
	case "", "auto":
		return &autoText{br: br}, nil
	}
	return nil, lang.Messagef("不认识的编码“%s”：可用 utf-8、gbk 或 auto", "unknown encoding %q: use utf-8, gbk or auto", encoding)
}

// autoText reads a file whose encoding is UTF-8 or GBK (Excel in China
// saves CSV as GBK), deciding which at the first byte that is not ASCII,
// on the 64 KiB from there: a file whose first 64 KiB are ASCII is not
// taken for UTF-8 before any Chinese is seen. It is UTF-8 when more of
// those bytes are well-formed UTF-8 than not, so one stray byte in a
// UTF-8 file does not make the whole file GBK; the row with that byte is
// reported instead.
type autoText struct {
	br      *bufio.Reader
	decided io.Reader
}

func (a *autoText) Read(p []byte) (int, error) {
	if a.decided != nil {
		return a.decided.Read(p)
	}
	win, err := a.br.Peek(min(len(p), a.br.Size()))
	if len(win) == 0 {
		return 0, err
	}
	i := 0
	for i < len(win) && win[i] < utf8.RuneSelf {
		i++
	}
	if i > 0 { // ASCII is the same in both: pass it on undecided
		n := copy(p, win[:i])
		a.br.Discard(n)
		return n, nil
	}
	look, _ := a.br.Peek(a.br.Size())
	if mostlyUTF8(look) {
		a.decided = a.br
	} else {
		a.decided = transform.NewReader(a.br, simplifiedchinese.GB18030.NewDecoder())
	}
	return a.decided.Read(p)
}

// mostlyUTF8 reports whether more of the multi-byte sequences in b are
// well-formed UTF-8 than are not; a sequence cut at the end is not counted.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			if !utf8.FullRune(b) {
				break
			}
			invalid++
			b = b[1:]
			continue
		}
		valid++
		b = b[n:]
	}
	return valid > invalid
}

// badText reports text that is not well-formed UTF-8, or holds U+FFFD,
// which the decoders put for bytes that are not text in the encoding.
func badText(s string) bool {
	return !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError)
}

// NewReader reads data of the given format (".csv", ".json", ".jsonl").
func NewReader(r io.Reader, format string) (Reader, error) {
	switch format {
	case ".csv":
		return newCSV(r)
	case ".json":
		return newJSONArray(r)
	case ".jsonl", ".ndjson":
		return &jsonLines{r: bufio.NewReaderSize(r, 64<<10)}, nil
	}
	return nil, lang.Messagef("不支持的数据格式“%s”：请用 .csv、.json、.jsonl 或 .xlsx", "data format %q is not supported: use .csv, .json, .jsonl or .xlsx", format)
}

type csvReader struct {
	s         *csvScanner
	header    []string
	cellsOnly bool
}

func newCSV(r io.Reader) (*csvReader, error) {
	s := newCSVScanner(r)
	header, _, syntax, err := s.next()
	if err == io.EOF {
		return nil, lang.Messagef("CSV 文件是空的：第 1 行应为表头", "the CSV file is empty: its first line must be the header")
	}
	if err != nil {
		return nil, lang.Messagef("CSV 表头无法读取：%v", "the CSV header cannot be read: %v", err)
	}
	if syntax != nil {
		m := syntax.message(lang.Messagef("第 %d 列", "column %d", syntax.field))
		return nil, lang.Messagef("CSV 表头无法读取：%[1]s", "the CSV header cannot be read: %[2]s", m.Zh, m.En)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // byte order mark from Excel
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	return &csvReader{s: s, header: header}, nil
}

// message says what is wrong in column.
func (e *csvSyntaxError) message(column *lang.Message) lang.Message {
	switch {
	case e.tooLong:
		return lang.Message{Zh: fmt.Sprintf("%s：这一行超过 %d 字节的限制", column.Zh, MaxRecordBytes), En: fmt.Sprintf("%s: the line is over the limit of %d bytes", column.En, MaxRecordBytes)}
	case e.bare:
		return lang.Message{Zh: column.Zh + "的字段中间有引号：含引号的字段要整个用引号括起来，里面的引号写两遍（\"\"）",
			En: column.En + ` has a quote inside the field: a field with quotes is quoted whole, and its quotes doubled ("")`}
	case e.open:
		return lang.Message{Zh: column.Zh + "的引号到文件末尾也没有结束", En: column.En + " has a quote that is not closed before the end of the file"}
	}
	return lang.Message{Zh: column.Zh + "的引号后面应是逗号或行尾：字段里的引号要写两遍（\"\"）", En: column.En + ` has a quote not followed by a comma or the end of the line: double the quotes in a field ("")`}
}

// columnLabel names column i (from 1) and its heading: 第 3 列（研发投入）.
func (c *csvReader) columnLabel(i int) *lang.Message {
	m := lang.Messagef("第 %d 列", "column %d", i)
	if i <= len(c.header) && !badText(c.header[i-1]) {
		m.Zh += "（" + c.header[i-1] + "）"
		m.En += fmt.Sprintf(" (%s)", c.header[i-1])
	}
	return m
}

func (c *csvReader) Columns() []string { return c.header }
func (c *csvReader) IsArray() bool     { return false }

func (c *csvReader) Next() (Row, error) {
	for {
		rec, line, syntax, err := c.s.next()
		if err != nil {
			return Row{}, err
		}
		if syntax != nil && syntax.tooLong {
			return Row{Num: line, Record: map[string]any{}, Err: lang.Messagef("这一行超过 %d 字节的限制，没有读取", "the line is over the limit of %d bytes and was not read", MaxRecordBytes)}, nil
		}
		if syntax != nil {
			m := syntax.message(c.columnLabel(syntax.field))
			return Row{Num: line, Record: map[string]any{}, Err: lang.Messagef("CSV 格式错误：%[1]s", "CSV format error: %[2]s", m.Zh, m.En)}, nil
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" && len(c.header) > 1 {
			continue // a blank line
		}
		row := Row{Num: line, Cells: rec}
		if c.s.badBlock {
			for i, cell := range rec {
				if badText(cell) {
					column := c.columnLabel(i + 1)
					row.Err = lang.Messagef("%[1]s含有无法识别的字节：文件的编码前后不一致，或不是 UTF-8 与 GBK（可用 --encoding 指定）",
						"%[2]s holds bytes that cannot be read: the file's encoding changes, or is neither UTF-8 nor GBK (say which with --encoding)", column.Zh, column.En)
					break
				}
			}
		}
		if !c.cellsOnly {
			row.Record = make(map[string]any, len(c.header))
			for i, v := range rec {
				if i < len(c.header) {
					row.Record[c.header[i]] = v
				}
			}
		}
		if len(rec) != len(c.header) && row.Err == nil {
			row.Err = lang.Messagef("这一行有 %d 列，表头有 %d 列", "the line has %d columns, the header %d", len(rec), len(c.header))
		}
		return row, nil
	}
}

// jsonArray reads the records of a JSON array one at a time. It finds
// where each record ends by counting brackets outside strings, and decodes
// each on its own: a record that is not valid JSON (a bare NaN, a
// truncated object), nests too deep or is too long is a bad row, and the
// records after it are still read.
type jsonArray struct {
	r      *bufio.Reader
	n      int
	done   bool
	later  bool   // Options.DecodeLater
	buf    []byte // the record being read
	noComm bool   // the record just read was not followed by a comma
}

func newJSONArray(r io.Reader) (*jsonArray, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	c, err := skipSpace(br)
	if err == io.EOF {
		return nil, lang.Messagef("JSON 数据是空的：应为对象的数组 [{…}, {…}]", "the JSON is empty: it must be an array of objects [{…}, {…}]")
	}
	if err != nil {
		return nil, lang.Messagef("JSON 无法读取：%v", "the JSON cannot be read: %v", err)
	}
	if c != '[' {
		return nil, lang.Messagef("JSON 数据应为对象的数组：[{…}, {…}]", "the JSON must be an array of objects: [{…}, {…}]")
	}
	j := &jsonArray{r: br}
	if c, err := skipSpace(br); err == nil && c == ']' {
		j.done = true
	} else if err == nil {
		br.UnreadByte()
	}
	return j, nil
}

// skipSpace returns the next byte that is not white space (nor a byte
// order mark's).
func skipSpace(r *bufio.Reader) (byte, error) {
	for {
		c, err := r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r', 0xEF, 0xBB, 0xBF:
			continue
		}
		return c, nil
	}
}

func (j *jsonArray) Columns() []string { return nil }
func (j *jsonArray) IsArray() bool     { return true }

func (j *jsonArray) Next() (Row, error) {
	if j.done {
		return Row{}, io.EOF
	}
	j.n++
	raw, tooLong, err := j.element()
	if err == io.EOF {
		return Row{}, lang.Messagef("JSON 数组在第 %d 条记录处没有结束（缺少 ]）", "the JSON array does not end at record %d (] is missing)", j.n)
	}
	if err != nil {
		return Row{}, err
	}
	row := Row{Num: j.n, Record: map[string]any{}}
	switch {
	case tooLong:
		row.Err = lang.Messagef("这条记录超过 %d 字节的限制，没有读取", "the record is over the limit of %d bytes and was not read", MaxRecordBytes)
	case j.noComm:
		row.Err = lang.Messagef("上一条记录之后缺少逗号", "a comma is missing after the record before")
	case j.later:
		row.Record, row.raw = nil, bytes.Clone(raw)
	default:
		row.Record, row.Err = decodeObject(raw)
	}
	// what follows: a comma, or the end of the array
	c, err := skipSpace(j.r)
	switch {
	case err == io.EOF:
		return Row{}, lang.Messagef("JSON 数组在第 %d 条记录之后没有结束（缺少 ]）", "the JSON array does not end after record %d (] is missing)", j.n)
	case err != nil:
		return Row{}, err
	case c == ']':
		j.done = true
	case c == ',':
		j.noComm = false
	default:
		j.noComm = true
		j.r.UnreadByte()
	}
	return row, nil
}

// element reads the next item of the array, up to the comma or bracket
// after it; an item longer than MaxRecordBytes is read to its end and not
// kept.
func (j *jsonArray) element() (raw []byte, tooLong bool, err error) {
	j.buf = j.buf[:0]
	c, err := skipSpace(j.r)
	if err != nil {
		return nil, false, err
	}
	depth, inString, escaped := 0, false, false
	for {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 { // the end of the array, after an item with no end of its own
				j.r.UnreadByte()
				return j.buf, tooLong, nil
			}
			depth--
		case c == ',' && depth == 0:
			j.r.UnreadByte()
			return j.buf, tooLong, nil
		}
		if !tooLong {
			if len(j.buf) == MaxRecordBytes {
				tooLong, j.buf = true, j.buf[:0]
			} else {
				j.buf = append(j.buf, c)
			}
		}
		if depth == 0 && !inString && (c == '}' || c == ']') {
			return j.buf, tooLong, nil
		}
		if c, err = j.r.ReadByte(); err != nil {
			return nil, false, err
		}
	}
}

type jsonLines struct {
	r     *bufio.Reader
	long  []byte // a line longer than the reader's buffer
	line  int
	eof   bool
	later bool // Options.DecodeLater
}

func (j *jsonLines) Columns() []string { return nil }
func (j *jsonLines) IsArray() bool     { return false }

func (j *jsonLines) Next() (Row, error) {
	for !j.eof {
		text, tooLong, err := j.readLine()
		if err != nil {
			return Row{}, err
		}
		j.line++
		if tooLong {
			return Row{Num: j.line, Record: map[string]any{}, Err: lang.Messagef("这一行超过 %d 字节的限制，没有读取", "the line is over the limit of %d bytes and was not read", MaxRecordBytes)}, nil
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		if j.later {
			// the reader's buffer is read into again: the row keeps a copy
			return Row{Num: j.line, raw: bytes.Clone(text)}, nil
		}
		rec, err := decodeObject(text)
		return Row{Num: j.line, Record: rec, Err: err}, nil
	}
	return Row{}, io.EOF
}

// readLine returns the next line, valid until the next call; a line longer
// than MaxRecordBytes is read to its end and not kept (tooLong).
func (j *jsonLines) readLine() (line []byte, tooLong bool, err error) {
	line, err = j.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		j.long = append(j.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = j.r.ReadSlice('\n')
			if tooLong = tooLong || len(j.long)+len(line) > MaxRecordBytes; !tooLong {
				j.long = append(j.long, line...)
			}
		}
		line = j.long
		if tooLong {
			line, j.long = nil, j.long[:0]
		}
	}
	if err == io.EOF {
		j.eof, err = true, nil
	}
	return line, tooLong, err
}

// decodeObject reads a JSON object, keeping numbers exact: they become
// strings, read later by the type of their input. A key written twice is
// an error, not a silent choice of one of the values.
// DecodeObject reads one JSON object as a record with exact numbers (each
// number keeps its text), refusing a key written twice, invalid UTF-8 and
// nesting or lists beyond the limits.
func DecodeObject(raw []byte) (map[string]any, error) { return decodeObject(raw) }

func decodeObject(raw []byte) (map[string]any, error) {
	if badText(string(raw)) { // encoding/json would put U+FFFD, silently
		return map[string]any{}, lang.Messagef("含有无法识别的字节：文件的编码前后不一致，或不是 UTF-8 与 GBK（可用 --encoding 指定）", "it holds bytes that cannot be read: the file's encoding changes, or is neither UTF-8 nor GBK (say which with --encoding)")
	}
	// refused before decoding: decoded, a record of small items takes tens
	// of times its size
	if pr := jsonshape.Check(raw, lang.DefaultMaxListItems, lang.MaxListDepth); pr != nil {
		if pr.TooDeep {
			return map[string]any{}, lang.Messagef("JSON 嵌套超过 %d 层", "the JSON nests more than %d levels deep", lang.MaxListDepth)
		}
		return map[string]any{}, lang.Messagef("列表超过 %d 项的限制", "the list has more than the limit of %d items", lang.DefaultMaxListItems)
	}
	if rec, ok, err := fastObject(raw); ok {
		return rec, err
	}
	return textObject(raw)
}

// duplicateKeyError reports a key written twice in one object: an error,
// not a silent choice of one of the values.
func duplicateKeyError(key string) error {
	return lang.Messagef("键“%s”在同一对象中出现两次", "the key %q appears twice in one object", key)
}

// countingReader counts the bytes read from a file of known size.
type countingReader struct {
	r    io.Reader
	n    atomic.Int64
	size int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// progressReader is a Reader that can say how far through its file it is.
type progressReader struct {
	Reader
	counted *countingReader
}

// Fraction returns how much of the file has been read, from 0 to 1, or -1
// when the size is not known. Buffering makes it run a little ahead.
func (p *progressReader) Fraction() float64 {
	if p.counted.size <= 0 {
		return -1
	}
	return min(float64(p.counted.n.Load())/float64(p.counted.size), 1)
}

// Fraction says how far through its file a reader opened by Open is, from
// 0 to 1, or -1 when that cannot be told.
func Fraction(r Reader) float64 {
	if p, ok := r.(*progressReader); ok {
		return p.Fraction()
	}
	return -1
}
