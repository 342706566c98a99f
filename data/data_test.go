package data

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFraction checks that a reader opened by Open tells how far through
// its file it is: 0 before the first row, 1 at the end.
func TestFraction(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("企业名称,研发投入\n")
	for i := 0; i < 20000; i++ {
		csv.WriteString("某某科技有限公司,1234567.89\n")
	}
	tests := []struct {
		name, file, text string
		rows             int
	}{
		{"CSV", "a.csv", csv.String(), 20000},
		{"JSON Lines", "a.jsonl", strings.Repeat(`{"x": 1}`+"\n", 50000), 50000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tt.file)
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			r, closer, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer closer.Close()
			var got []float64
			rows := 0
			for {
				_, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows++
				if rows == 1 || rows == tt.rows/2 {
					got = append(got, Fraction(r))
				}
			}
			got = append(got, Fraction(r))
			if rows != tt.rows {
				t.Fatalf("read %d rows, want %d", rows, tt.rows)
			}
			// Reads are buffered, so the share runs a little ahead of the
			// rows: it only has to be in (0, 1) midway and 1 at the end.
			if got[0] <= 0 || got[0] >= 0.5 || got[1] <= 0.3 || got[1] >= 1 {
				t.Errorf("fractions after the first and middle rows = %v, want in (0, 0.5) and (0.3, 1)", got[:2])
			}
			if diff := cmp.Diff(1.0, got[2]); diff != "" {
				t.Errorf("fraction at the end (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFractionUnknown checks that a reader not opened from a file says -1.
func TestFractionUnknown(t *testing.T) {
	if diff := cmp.Diff(-1.0, Fraction(nil)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestDecodeObject: a JSON object becomes a record with numbers kept as
// their text; a key written twice (also once escaped and once not) is an
// error naming it, found by counting the keys written against the keys
// decoded, which braces, brackets, colons and escaped quotes inside
// strings and nested values must not disturb.
func TestDecodeObject(t *testing.T) {
	for _, tt := range []struct {
		raw  string
		want string // the record, or the error
	}{
		{`{"研发投入": 1.10, "规上": true}`, `map[研发投入:1.10 规上:true]`},
		{`{"a": "x:y", "b": "{[\"]}:", "c": {"d": 1, "e": [1, {"f": ":"}]}}`, `map[a:x:y b:{["]}: c:map[d:1 e:[1 map[f::]]]]`},
		{`{"项目": [{"名称": "甲"}, {"名称": "乙"}]}`, `map[项目:[map[名称:甲] map[名称:乙]]]`},
		{`{"研发投入": 1, "研发投入": 2}`, `error: 键“研发投入”在同一对象中出现两次`},
		{`{"\u4e00": 1, "一": 2}`, `error: 键“一”在同一对象中出现两次`},
		{`{"a\\": 1, "a\"": 2}`, `map[a":2 a\:1]`},
		{`{}`, `map[]`},
		{`null`, `error: 不是 JSON 对象：null`},
		{`[1]`, `error: 不是 JSON 对象，而是列表`},
		{`{"a": {"x": 1, "x": 2}}`, `error: 键“x”在同一对象中出现两次`}, // below the top too
		{`{"a": "\u00e9", "b": [1, {"c": 2.50}]}`, `map[a:é b:[1 map[c:2.50]]]`},
		{`{"a": 1,}`, `error: 不是有效的 JSON：第 8 个字节处有误`}, // the comma that ends nothing
		{`{"a": 1`, `error: JSON 不完整：在第 7 个字节处中断`},
		{`{"a": 1} x`, `error: 一行只能有一个 JSON 对象，这个对象之后还有内容`},
	} {
		rec, err := decodeObject([]byte(tt.raw))
		got := fmt.Sprint(map[string]any(rec))
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.raw, got, tt.want)
		}
	}
}

// TestDecodeLater: rows read with Options.DecodeLater and then decoded are
// the rows read without it, JSON Lines and JSON arrays, bad rows included.
func TestDecodeLater(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.jsonl": "{\"研发投入\": 1.10}\n\n{\"研发投入\": 2, \"研发投入\": 3}\nnull\n[1]\n{\"项目\": [{\"名称\": \"甲\"}]}\n",
		"a.json":  `[{"研发投入": 1.10}, {"研发投入": 2, "研发投入": 3}, null, {"项目": [{"名称": "甲"}]}]`,
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		read := func(later bool) []string {
			r, closer, err := OpenWith(path, Options{DecodeLater: later})
			if err != nil {
				t.Fatal(err)
			}
			defer closer.Close()
			var rows []string
			for {
				row, err := r.Next()
				if err == io.EOF {
					return rows
				}
				if err != nil {
					t.Fatal(err)
				}
				if later && row.Record != nil {
					t.Errorf("%s row %d: decoded before Decode", name, row.Num)
				}
				row.Decode()
				rows = append(rows, fmt.Sprintf("%d %v %v", row.Num, map[string]any(row.Record), row.Err))
			}
		}
		now, later := read(false), read(true)
		if diff := cmp.Diff(now, later); diff != "" {
			t.Errorf("%s (-decoded by Next +decoded later):\n%s", name, diff)
		}
		if len(now) < 4 {
			t.Errorf("%s: %d rows read", name, len(now))
		}
	}
}
