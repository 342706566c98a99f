package data

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"github.com/zhengce/zhengce/lang"
)

// xlsxReader reads the first sheet of a workbook: a header row, then one
// record per row. Rows are numbered as Excel shows them.
type xlsxReader struct {
	file   *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
}

// MaxXLSXBytes bounds what a workbook may unzip to, in all. A workbook is a
// zip of XML, which a hostile file can make tiny on disk and huge unzipped;
// the sizes its directory declares are checked before anything is unzipped
// (and the zip reader refuses to read a file past its declared size).
const MaxXLSXBytes = 256 << 20

func openXLSX(path string) (Reader, io.Closer, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, nil, lang.Messagef("无法读取 xlsx 工作簿：%v", "the xlsx workbook cannot be read: %v", err)
	}
	err = checkUnzippedSize(&z.Reader)
	z.Close()
	if err != nil {
		return nil, nil, err
	}
	f, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: MaxXLSXBytes})
	if err != nil {
		return nil, nil, lang.Messagef("无法读取 xlsx 工作簿：%v", "the xlsx workbook cannot be read: %v", err)
	}
	return firstSheet(f)
}

// ReadXLSX reads a workbook held in memory (one uploaded to a page, say)
// as OpenWith reads one from a file: the first sheet, its first row the
// header. The sizes the workbook's directory declares are checked before
// anything is unzipped. Close the Closer when done.
func ReadXLSX(workbook []byte) (Reader, io.Closer, error) {
	z, err := zip.NewReader(bytes.NewReader(workbook), int64(len(workbook)))
	if err != nil {
		return nil, nil, lang.Messagef("无法读取 xlsx 工作簿：%v", "the xlsx workbook cannot be read: %v", err)
	}
	if err := checkUnzippedSize(z); err != nil {
		return nil, nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(workbook), excelize.Options{UnzipSizeLimit: MaxXLSXBytes})
	if err != nil {
		return nil, nil, lang.Messagef("无法读取 xlsx 工作簿：%v", "the xlsx workbook cannot be read: %v", err)
	}
	return firstSheet(f)
}

// firstSheet reads f's first sheet; f is closed unless returned.
func firstSheet(f *excelize.File) (Reader, io.Closer, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, nil, lang.Messagef("工作簿里没有工作表", "the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	r := &xlsxReader{file: f, rows: rows}
	if !rows.Next() {
		f.Close()
		return nil, nil, lang.Messagef("工作表是空的：第 1 行应为表头", "the sheet is empty: its first row must be the header")
	}
	r.line = 1
	header, err := rows.Columns()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	r.header = header
	return r, f, nil
}

func (x *xlsxReader) Columns() []string { return x.header }
func (x *xlsxReader) IsArray() bool     { return false }

func (x *xlsxReader) Next() (Row, error) {
	for x.rows.Next() {
		x.line++
		cells, err := x.rows.Columns()
		if err != nil {
			return Row{Num: x.line, Record: map[string]any{}, Err: err}, nil
		}
		blank := true
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		row := Row{Num: x.line, Record: map[string]any{}}
		for i, v := range cells {
			if i < len(x.header) {
				row.Record[x.header[i]] = v
			} else if strings.TrimSpace(v) != "" {
				row.Err = lang.Messagef("这一行第 %d 列有值，但表头只有 %d 列", "the row has a value in column %d, but the header only %d columns", i+1, len(x.header))
			}
		}
		return row, nil
	}
	return Row{}, io.EOF
}

// checkUnzippedSize refuses a workbook whose files would unzip to more
// than MaxXLSXBytes.
func checkUnzippedSize(z *zip.Reader) error {
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > MaxXLSXBytes {
			return lang.Messagef("xlsx 工作簿解压后超过 %d MiB 的限制", "the xlsx workbook unpacks to more than the limit of %d MiB", MaxXLSXBytes>>20)
		}
	}
	return nil
}
