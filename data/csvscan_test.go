package data

import (
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// csvEvent is one record as a reader saw it: its first line and fields, or
// its first line and that it is not well-formed.
type csvEvent struct {
	Line   int
	Fields []string
	Bad    bool
}

// readWithEncodingCSV reads text with encoding/csv as data used to.
func readWithEncodingCSV(text string) []csvEvent {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	var events []csvEvent
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return events
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			events = append(events, csvEvent{Line: perr.StartLine, Bad: true})
			continue
		}
		if err != nil {
			return append(events, csvEvent{Line: -1})
		}
		line, _ := r.FieldPos(0)
		events = append(events, csvEvent{Line: line, Fields: rec})
	}
}

// readWithScanner reads text with csvScanner.
func readWithScanner(text string) []csvEvent {
	s := newCSVScanner(strings.NewReader(text))
	var events []csvEvent
	for {
		fields, line, syntax, err := s.next()
		if err == io.EOF {
			return events
		}
		if err != nil {
			return append(events, csvEvent{Line: -1})
		}
		if syntax != nil {
			events = append(events, csvEvent{Line: line, Bad: true})
			continue
		}
		events = append(events, csvEvent{Line: line, Fields: append([]string(nil), fields...)})
	}
}

// csvSamples are texts that reach every case of the format.
var csvSamples = []string{
	"",
	"\n",
	"\n\n\n",
	"a",
	"a,b,c\n1,2,3\n",
	"a,b,c\r\n1,2,3\r\n",
	"a,b\n1,2\r",
	"a,b\n1,2\r\r\n",
	"a\rb,c\n",
	"a,,\n,,\n",
	",\n",
	"企业名称,研发投入\n某某科技,1234.5\n\n某某制造,\n",
	`"a","b"` + "\n" + `"1,5","x""y"` + "\n",
	`"a` + "\n" + `b",c` + "\n" + `d,e` + "\n",
	`"a` + "\r\n" + `b",c` + "\r\n",
	`"a` + "\n\n" + `b"` + "\n",
	`"open` + "\n" + `still open`,
	`"open`,
	`a"b,c` + "\n" + `d,e` + "\n",
	`"a"b,c` + "\n" + `d,e` + "\n",
	`"a" ,c` + "\n",
	`"",""` + "\n",
	`""` + "\n",
	`"",` + "\n",
	`"a",` + "\n",
	`"a",`,
	`x,"a"`,
	`x,"a"` + "\n",
	`x,"a` + "\n" + `b"` + "\n" + `y,z`,
	`x, "a"` + "\n",
	`"a""` + "\n" + `"` + "\n",
	"\"a\"\r\n",
	"\"a\r\nb\"\r\n",
	"a,b\n\"\n",
	strings.Repeat("x", 100<<10) + ",y\n" + "z\n",
	`"` + strings.Repeat("x", 100<<10) + "\n" + strings.Repeat("y", 70<<10) + `",z` + "\n",
	strings.Repeat("a,b,c\n", 1000),
	strings.Repeat("\"a\nb\",c\n", 300),
}

// TestCSVScannerAgainstEncodingCSV checks that the scanner reads every
// sample as encoding/csv does: the same records, fields, lines, and rows
// in error.
func TestCSVScannerAgainstEncodingCSV(t *testing.T) {
	for _, text := range csvSamples {
		want, got := readWithEncodingCSV(text), readWithScanner(text)
		if diff := cmp.Diff(want, got); diff != "" {
			name := text
			if len(name) > 60 {
				name = name[:60] + "…"
			}
			t.Errorf("%q (-encoding/csv +scanner):\n%s", name, diff)
		}
	}
}

// FuzzCSVScanner holds the scanner to encoding/csv on any input.
func FuzzCSVScanner(f *testing.F) {
	for _, text := range csvSamples {
		if len(text) < 1000 {
			f.Add(text)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		want, got := readWithEncodingCSV(text), readWithScanner(text)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-encoding/csv +scanner):\n%s", text, diff)
		}
	})
}

// BenchmarkCSVScanner reads 10 000 records of 12 short fields, such as
// numbers and names, the shape of the batch runs' data.
func BenchmarkCSVScanner(b *testing.B) {
	var text strings.Builder
	text.WriteString("企业名称,a,b,c,d,e,f,g,h,i,j,k\n")
	for i := range 10000 {
		fmt.Fprintf(&text, "企业%d,%d.%02d,是,%d,0.%d,否,%d,%d.5,%d,是,%d,%d\n", i, i*37, i%100, i*11, i%97, i*3, i, i*7, i%13, i*1234567)
	}
	src := text.String()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		s := newCSVScanner(strings.NewReader(src))
		for {
			_, _, syntax, err := s.next()
			if err != nil || syntax != nil {
				break
			}
		}
	}
}

// TestBytesEqual checks the eight-bytes-at-a-time search against a loop
// over the bytes, with the bytes next to a match (c±1, c^1) that a test
// with a carry between bytes would get wrong.
func TestBytesEqual(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for _, c := range []byte{',', '"', 0, 0x80, 0xff} {
		near := []byte{c, c - 1, c + 1, c ^ 1, c ^ 0x80, 0, 0xff, '-'}
		for range 20000 {
			var word [8]byte
			var want uint64
			for i := range word {
				word[i] = near[r.IntN(len(near))]
				if r.IntN(4) == 0 {
					word[i] = byte(r.Uint32())
				}
				if word[i] == c {
					want |= 0x80 << (8 * i)
				}
			}
			if got := bytesEqual(binary.LittleEndian.Uint64(word[:]), c); got != want {
				t.Fatalf("bytesEqual(% x, %#x) = %#x, want %#x", word, c, got, want)
			}
		}
	}
}
