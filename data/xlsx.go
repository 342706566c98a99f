package data

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"github.com/zhengce/zhengce/interp"
)

// xlsxReader reads the first sheet of a workbook: a header row, then one
// record per row. Rows are numbered as Excel shows them.
type xlsxReader struct {
	file   *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
}

func openXLSX(path string) (Reader, io.Closer, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("无法读取 xlsx 工作簿：%w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, nil, errors.New("工作簿里没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	r := &xlsxReader{file: f, rows: rows}
	if !rows.Next() {
		f.Close()
		return nil, nil, errors.New("工作表是空的：第 1 行应为表头")
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
			return Row{Num: x.line, Record: interp.Record{}, Err: err}, nil
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
		row := Row{Num: x.line, Record: interp.Record{}}
		for i, v := range cells {
			if i < len(x.header) {
				row.Record[x.header[i]] = v
			} else if strings.TrimSpace(v) != "" {
				row.Err = fmt.Errorf("这一行第 %d 列有值，但表头只有 %d 列", i+1, len(x.header))
			}
		}
		return row, nil
	}
	return Row{}, io.EOF
}
