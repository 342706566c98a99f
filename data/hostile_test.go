package data

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// outcome is a row as these tests see it: its number, and its value of
// field 名称 or its error.
func outcomes(t *testing.T, r Reader) []string {
	t.Helper()
	var got []string
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return got
		}
		if err != nil {
			return append(got, "stop: "+err.Error())
		}
		if row.Err != nil {
			got = append(got, fmt.Sprintf("%d: !%v", row.Num, row.Err))
			continue
		}
		got = append(got, fmt.Sprintf("%d: %v", row.Num, row.Record["名称"]))
	}
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestHostileData: records too long, too deep, not JSON, or in an encoding
// that changes: each is a bad row with its number, the rows after it are
// read, and memory stays bounded by the record limit, not by the file.
func TestHostileData(t *testing.T) {
	long := strings.Repeat("x", MaxRecordBytes+10)
	tooLong := fmt.Sprintf("这一行超过 %d 字节的限制，没有读取", MaxRecordBytes)
	tests := []struct {
		name, format, text string
		want               []string
	}{
		{"a CSV line too long in the middle", ".csv", "名称\n甲\n" + long + "\n乙\n",
			[]string{"2: 甲", "3: !" + tooLong, "4: 乙"}},
		{"a CSV line that never ends", ".csv", "名称\n甲\n" + long,
			[]string{"2: 甲", "3: !" + tooLong}},
		{"a quoted CSV field over too many lines", ".csv", "名称\n甲\n\"" + strings.Repeat("y\n", MaxRecordBytes/2+10) + "\"\n",
			[]string{"2: 甲", "3: !" + tooLong}},
		{"a JSON Lines line too long in the middle", ".jsonl", `{"名称": "甲"}` + "\n" + long + "\n" + `{"名称": "乙"}` + "\n",
			[]string{"1: 甲", "2: !" + tooLong, "3: 乙"}},
		{"a bare NaN in a JSON array", ".json", `[{"名称": "甲"}, NaN, {"名称": "乙"}]`,
			[]string{"1: 甲", "2: !不是有效的 JSON：第 1 个字节处有误", "3: 乙"}},
		{"a record nested too deep in a JSON array", ".json", `[{"名称": "甲"}, {"x": ` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}, {"名称": "乙"}]`,
			[]string{"1: 甲", "2: !JSON 嵌套超过 64 层", "3: 乙"}},
		{"a million brackets in JSON Lines", ".jsonl", `{"名称": "甲"}` + "\n" + strings.Repeat("[", 1_000_000) + "\n" + `{"名称": "乙"}` + "\n",
			[]string{"1: 甲", "2: !JSON 嵌套超过 64 层", "3: 乙"}},
		{"a JSON array missing a comma", ".json", `[{"名称": "甲"} {"名称": "乙"}, {"名称": "丙"}]`,
			[]string{"1: 甲", "2: !上一条记录之后缺少逗号", "3: 丙"}},
		{"a JSON array that does not end", ".json", `[{"名称": "甲"}, {"名称": "乙"}`,
			[]string{"1: 甲", "stop: JSON 数组在第 2 条记录之后没有结束（缺少 ]）"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			bytes := allocated(func() {
				r, err := NewReader(strings.NewReader(tt.text), tt.format)
				if err != nil {
					t.Fatal(err)
				}
				got = outcomes(t, r)
			})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// what a record may hold, and the buffers: a few times the
			// record limit, whatever the size of the file
			if limit := uint64(8 * MaxRecordBytes); bytes > limit {
				t.Errorf("allocated %d bytes, more than %d", bytes, limit)
			}
		})
	}
}

// TestEncodingDecidedOnText: the encoding of a file is decided where its
// first Chinese is, not on its first 64 KiB, and one stray byte does not
// make a UTF-8 file GBK.
func TestEncodingDecidedOnText(t *testing.T) {
	gbk := func(s string) string {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ascii := strings.Repeat("a\n", 40_000) // 80 KB of ASCII rows, under an ASCII header
	tests := []struct {
		name, text string
		want       []string
	}{
		{"GBK after 80 KB of ASCII", "name\n" + ascii + gbk("研发中心\n"), nil},
		{"one stray Latin-1 byte in a UTF-8 file", "名称\n甲\n\xe9t\xe9\n乙\n丙\n",
			[]string{"2: 甲", "3: !第 1 列（名称）含有无法识别的字节：文件的编码前后不一致，或不是 UTF-8 与 GBK（可用 --encoding 指定）", "4: 乙", "5: 丙"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "d.csv")
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			r, closer, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer closer.Close()
			got := outcomes(t, r)
			if tt.want == nil { // the last row is the GBK one
				row, last := Row{}, Row{}
				r, closer, err := Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer closer.Close()
				for err == nil {
					last = row
					row, err = r.Next()
				}
				if last.Num != 40002 || last.Record["name"] != "研发中心" || last.Err != nil {
					t.Errorf("last row %d %v %v, want 40002 研发中心 read as GBK", last.Num, last.Record, last.Err)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestWorkbookBomb: a workbook whose files would unzip to more than
// MaxXLSXBytes is refused from its directory, before anything is unzipped.
func TestWorkbookBomb(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	// a directory entry that claims 1 GiB; nothing of it is written
	w, err := z.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, UncompressedSize64: 1 << 30, CompressedSize64: 2})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	z.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "xlsx 工作簿解压后超过 256 MiB 的限制") {
		t.Errorf("from a file: got %v", err)
	}
	// the same workbook uploaded, held in memory
	_, _, err = ReadXLSX(buf.Bytes())
	if err == nil || !strings.Contains(err.Error(), "xlsx 工作簿解压后超过 256 MiB 的限制") {
		t.Errorf("from memory: got %v", err)
	}
}
