package data

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// csvScanner reads comma-separated records as encoding/csv does with
// FieldsPerRecord = -1: fields may be quoted with ", a quote inside a quoted
// field is written "", a quoted field may span lines, CRLF is read as LF,
// a trailing CR at the end of the file is dropped and blank lines are
// skipped. It yields the same records, rows in error and line numbers
// (TestCSVScannerAgainstEncodingCSV and FuzzCSVScanner hold it to that).
//
// It reads a block of records ahead and makes one string of the block's
// fields, so that a record's fields are substrings of it and cost no
// allocation of their own; encoding/csv makes a string per record and
// records where every field starts, which was a fifth of the CPU of a
// large batch run.
type csvScanner struct {
	r *bufio.Reader

	lines   int    // lines read so far
	long    []byte // a line longer than the reader's buffer
	eof     bool   // the reader has nothing more
	tooLong bool   // the last line was longer than MaxRecordBytes: it was skipped

	// the block read ahead
	text  []byte       // the fields of the block, each followed by a comma
	ends  []int        // where each field ends in text
	recs  []scannedRec // the records of the block
	cells []string     // what the block's records' cells are cut from
	block string       // text as a string
	// badBlock: the block holds bytes that are not UTF-8, or U+FFFD, so
	// its records' cells are looked at one by one (badText)
	badBlock bool
	at       int   // the next record of recs to hand out
	err      error // io.EOF or the read error after the block
}

// scannedRec is where a record lies in a block.
type scannedRec struct {
	line   int // where the record starts
	start  int // where its first field starts in text
	field  int // the index in ends of its first field
	fields int
	err    *csvSyntaxError
}

// csvSyntaxError is a record that is not well-formed CSV.
type csvSyntaxError struct {
	field   int  // the field, from 1, where the error is
	bare    bool // a quote inside a field that is not quoted
	open    bool // a quoted field still open at the end of the file
	tooLong bool // the record is longer than MaxRecordBytes
}

// MaxRecordBytes bounds one record of a data file: a CSV line (or a
// quoted field's lines), a JSON Lines line, an object of a JSON array. A
// longer record is reported as a bad row, and the reading goes on after
// it; a line that never ends costs no more memory than this. A list input
// of MaxListItems (100 000) records of a few fields fits.
const MaxRecordBytes = 8 << 20

const (
	blockRecords = 128
	blockBytes   = 64 << 10
)

func newCSVScanner(r io.Reader) *csvScanner {
	return &csvScanner{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next record's fields and the line it starts on; a
// record that is not well-formed has its error set and no fields. The
// error is io.EOF after the last record, or the error that stopped the
// reading.
func (s *csvScanner) next() (fields []string, line int, syntax *csvSyntaxError, err error) {
	if s.at == len(s.recs) {
		if s.err != nil {
			return nil, 0, nil, s.err
		}
		s.fill()
		if len(s.recs) == 0 {
			return nil, 0, nil, s.err
		}
	}
	rec := &s.recs[s.at]
	s.at++
	if rec.err != nil {
		return nil, rec.line, rec.err, nil
	}
	fields, s.cells = s.cells[:rec.fields:rec.fields], s.cells[rec.fields:]
	start := rec.start
	for i, end := range s.ends[rec.field : rec.field+rec.fields] {
		fields[i] = s.block[start:end]
		start = end + 1
	}
	return fields, rec.line, nil, nil
}

// fill reads the next block of records.
func (s *csvScanner) fill() {
	s.text, s.ends, s.recs, s.at = s.text[:0], s.ends[:0], s.recs[:0], 0
	for len(s.recs) < blockRecords && len(s.text) < blockBytes {
		rec, err := s.record()
		if err != nil {
			s.err = err
			break
		}
		s.recs = append(s.recs, rec)
	}
	s.block = string(s.text)
	s.badBlock = badText(s.block)
	// the cells are made afresh for every block: a caller may keep a row
	s.cells = make([]string, len(s.ends))
}

// line returns the next line with CRLF read as LF, or io.EOF. The line is
// valid until the next call.
func (s *csvScanner) line() ([]byte, error) {
	if s.eof {
		return nil, io.EOF
	}
	line, err := s.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		s.long = append(s.long[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = s.r.ReadSlice('\n')
			if s.tooLong || len(s.long)+len(line) > MaxRecordBytes {
				// kept no further: read on to the end of the line
				s.tooLong, s.long = true, s.long[:0]
				continue
			}
			s.long = append(s.long, line...)
		}
		line = s.long
	}
	if err == io.EOF {
		s.eof = true
		if len(line) == 0 && !s.tooLong {
			return nil, io.EOF
		}
		err = nil
		if len(line) > 0 && line[len(line)-1] == '\r' { // as encoding/csv does
			line = line[:len(line)-1]
		}
	}
	if err != nil {
		return nil, err
	}
	s.lines++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, nil
}

// record reads one record into the block.
func (s *csvScanner) record() (scannedRec, error) {
	var line []byte
	for {
		l, err := s.line()
		if err != nil {
			return scannedRec{}, err
		}
		if s.tooLong || len(l) > 0 && !(len(l) == 1 && l[0] == '\n') {
			line = l
			break
		}
	}
	rec := scannedRec{line: s.lines, start: len(s.text), field: len(s.ends)}
	fail := func(e csvSyntaxError) (scannedRec, error) {
		s.text, s.ends = s.text[:rec.start], s.ends[:rec.field]
		e.field = rec.fields + 1
		rec.err, rec.fields = &e, 0
		return rec, nil
	}
	if s.tooLong {
		s.tooLong = false
		return fail(csvSyntaxError{tooLong: true})
	}
	if s.commas(line) {
		// no quotes: the fields are the line cut at its commas
		s.text = append(s.text, bytes.TrimSuffix(line, []byte{'\n'})...)
		s.endField(nil)
		rec.fields = len(s.ends) - rec.field
		return rec, nil
	}
	for {
		if len(line) == 0 || line[0] != '"' {
			field, rest, more := cut(line)
			if bytes.IndexByte(field, '"') >= 0 {
				return fail(csvSyntaxError{bare: true})
			}
			s.endField(field)
			rec.fields++
			if !more {
				return rec, nil
			}
			line = rest
			continue
		}
		// a quoted field, which may go on over the following lines
		line = line[1:]
	quoted:
		for {
			i := bytes.IndexByte(line, '"')
			if i < 0 {
				s.text = append(s.text, line...)
				if len(s.text)-rec.start > MaxRecordBytes || s.tooLong {
					// a quoted field over many lines, too long: read on to
					// its end, keeping nothing
					s.tooLong = false
					if err := s.skipQuoted(); err != nil {
						return scannedRec{}, err
					}
					return fail(csvSyntaxError{tooLong: true})
				}
				next, err := s.line()
				if err == io.EOF {
					return fail(csvSyntaxError{open: true})
				}
				if err != nil {
					return scannedRec{}, err
				}
				line = next
				continue
			}
			s.text = append(s.text, line[:i]...)
			line = line[i+1:]
			switch {
			case len(line) > 0 && line[0] == '"': // "" is a quote
				s.text = append(s.text, '"')
				line = line[1:]
			case len(line) > 0 && line[0] == ',':
				s.endField(nil)
				rec.fields++
				line = line[1:]
				break quoted
			case len(line) == 0 || (len(line) == 1 && line[0] == '\n'):
				s.endField(nil)
				rec.fields++
				return rec, nil
			default:
				return fail(csvSyntaxError{})
			}
		}
	}
}

// skipQuoted reads past the rest of a record whose quoted field is open:
// to the quote that closes the field and the end of that line (a field
// opened after it is skipped too), or to the end of the file.
func (s *csvScanner) skipQuoted() error {
	open := true
	for {
		line, err := s.line()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for _, c := range line {
			if c == '"' {
				open = !open // "" inside a field closes and opens it again
			}
		}
		if !open {
			return nil
		}
	}
}

// cut splits an unquoted field from the rest of the line: the field ends at
// a comma (more is true) or at the end of the line.
func cut(line []byte) (field, rest []byte, more bool) {
	if i := bytes.IndexByte(line, ','); i >= 0 {
		return line[:i], line[i+1:], true
	}
	return bytes.TrimSuffix(line, []byte{'\n'}), nil, false
}

// commas records where the commas of line will be once it is appended to
// the block, and reports whether line has no quote; when it has one, it
// records nothing. It looks at eight bytes at a time: the fields are
// short, and a call to bytes.IndexByte for each costs more than it saves.
func (s *csvScanner) commas(line []byte) bool {
	start, field := len(s.text), len(s.ends)
	i := 0
	for ; i+8 <= len(line); i += 8 {
		w := binary.LittleEndian.Uint64(line[i:])
		if bytesEqual(w, '"') != 0 {
			s.ends = s.ends[:field]
			return false
		}
		for m := bytesEqual(w, ','); m != 0; m &= m - 1 {
			s.ends = append(s.ends, start+i+bits.TrailingZeros64(m)/8)
		}
	}
	for ; i < len(line); i++ {
		switch line[i] {
		case ',':
			s.ends = append(s.ends, start+i)
		case '"':
			s.ends = s.ends[:field]
			return false
		}
	}
	return true
}

// bytesEqual returns the bytes of w equal to c, each as its top bit set;
// exact, with no carry from one byte into the next.
func bytesEqual(w uint64, c byte) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	x := w ^ (0x0101010101010101 * uint64(c)) // the bytes equal to c are 0
	return ^((x&low7 + low7) | x | low7)
}

// endField appends an unquoted field to the block.
func (s *csvScanner) endField(field []byte) {
	s.text = append(s.text, field...)
	s.ends = append(s.ends, len(s.text))
	s.text = append(s.text, ',')
}
