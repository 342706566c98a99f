package main

import (
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const badDataPolicy = `输入
  研发投入：金额
  占比：比例
  规上：是否
  认定日期：日期
结束
补助 = 研发投入 * 10%
达标 = 规上 且 占比 超过 3.5% 且 认定日期 不超过 2025-12-31
`

// gbk encodes s as GBK, as Excel in China saves CSV.
func gbk(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBadData runs each kind of bad data through zhengce run and checks
// what every row produces: "row:补助" when it evaluates, "row:!message"
// when it fails. No row may be missing. Amounts are 研发投入 × 10%, by hand.
func TestBadData(t *testing.T) {
	head := "研发投入,占比,规上,认定日期\n"
	tests := []struct {
		name, file string
		content    []byte
		want       []string
	}{
		{"wrong type", "a.csv", []byte(head + "很多,4%,是,2025-01-01\n100万,4%,是,2025-01-01\n"),
			[]string{"2:!输入“研发投入”：“很多”不是金额", "3:100000"}},
		{"empty cell is missing, not 0", "a.csv", []byte(head + ",4%,是,2025-01-01\n"),
			[]string{"2:!缺少输入“研发投入”（金额）"}},
		{"missing column", "a.csv", []byte("研发投入,规上,认定日期\n100万,是,2025-01-01\n"),
			[]string{"2:!缺少输入“占比”（比例）"}},
		{"thousands separators; money to the fen", "a.csv", []byte(head + "\"1,234,567.89\",4%,是,2025-01-01\n"),
			[]string{"2:123456.79"}},
		{"bad thousands separators", "a.csv", []byte(head + "\"1,23\",4%,是,2025-01-01\n"),
			[]string{"2:!输入“研发投入”：“1,23”不是金额"}},
		{"full-width digits", "a.csv", []byte(head + "１２３４万,４％,是,2025-01-01\n"),
			[]string{"2:1234000"}},
		{"万元 in the cell, negative", "a.csv", []byte(head + "200万元,4%,是,2025-01-01\n-5万,4%,是,2025-01-01\n"),
			[]string{"2:200000", "3:-5000"}},
		{"percent in a money cell", "a.csv", []byte(head + "10%,4%,是,2025-01-01\n"),
			[]string{"2:!输入“研发投入”：“10%”是百分比，而这里要金额"}},
		{"yes/no spellings", "a.csv", []byte(head + "1万,4%,√,2025-01-01\n1万,4%,也许,2025-01-01\n"),
			[]string{"2:1000", "3:!输入“规上”：“也许”不是“是”或“否”"}},
		{"date spellings; a date that does not exist", "a.csv", []byte(head + "1万,4%,是,2025/6/15\n1万,4%,是,2025年6月15日\n1万,4%,是,2025-02-30\n"),
			[]string{"2:1000", "3:1000", "4:!输入“认定日期”：“2025-02-30”不是日期（应写作 2025-06-15 或 2025年6月15日）"}},
		{"byte order mark", "a.csv", []byte("\ufeff" + head + "1万,4%,是,2025-01-01\n"),
			[]string{"2:1000"}},
		{"GBK from Excel, detected", "a.csv", gbk(t, head+"1万,4%,是,2025-01-01\n很多,4%,是,2025-01-01\n"),
			[]string{"2:1000", "3:!输入“研发投入”：“很多”不是金额"}},
		{"ragged rows", "a.csv", []byte(head + "1万,4%\n1万,4%,是,2025-01-01,多余\n1万,4%,是,2025-01-01\n"),
			[]string{"2:!这一行有 2 列，表头有 4 列", "3:!这一行有 5 列，表头有 4 列", "4:1000"}},
		{"stray quotes: the row and the column are named, the other rows go on", "a.csv", []byte(head + "1万,4\"%,是,2025-01-01\n\"1万\"x,4%,是,2025-01-01\n\"2万\",4%,是,2025-01-01\n\"3万,4%,是\n"),
			[]string{"2:!CSV 格式错误：第 2 列（占比）的字段中间有引号：含引号的字段要整个用引号括起来，里面的引号写两遍（\"\"）",
				"3:!CSV 格式错误：第 1 列（研发投入）的引号后面应是逗号或行尾：字段里的引号要写两遍（\"\"）",
				"4:2000",
				"5:!CSV 格式错误：第 1 列（研发投入）的引号到文件末尾也没有结束"}},
		{"duplicate columns, Simplified and Traditional", "a.csv", []byte("研发投入,研發投入,占比,规上,认定日期\n1万,2万,4%,是,2025-01-01\n"),
			[]string{"2:!数据中“研发投入”与“研發投入”两列都是输入“研发投入”，不知用哪一列"}},
		{"JSON: duplicate key, exact numbers", "a.json", []byte(`[{"研发投入": 1234567.891, "占比": "4%", "规上": true, "认定日期": "2025-01-01"},
			{"研发投入": 1, "研发投入": 2, "占比": "4%", "规上": true, "认定日期": "2025-01-01"},
			{"研发投入": 0.1, "占比": 0.04, "规上": "是", "认定日期": "2025-01-01"}]`),
			[]string{"1:123456.79", "2:!键“研发投入”在同一对象中出现两次", "3:0.01"}},
		{"JSON Lines: a line that is not an object", "a.jsonl", []byte("{\"研发投入\": \"1万\", \"占比\": \"4%\", \"规上\": \"是\", \"认定日期\": \"2025-01-01\"}\n[1,2]\n"),
			[]string{"1:1000", "2:!不是 JSON 对象，而是列表"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			pol := writeFile(t, dir, "p.zc", badDataPolicy)
			dat := writeFile(t, dir, tt.file, string(tt.content))
			_, out, errOut := zc(t, "run", pol, "--data", dat, "--format", "csv")
			if diff := cmp.Diff(tt.want, csvOutcomes(t, out)); diff != "" {
				t.Errorf("(-want +got):\n%s\nstderr:\n%s", diff, errOut)
			}
		})
	}
}

// csvOutcomes reads run's CSV output into "row:补助" or "row:!error".
func csvOutcomes(t *testing.T, out string) []string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, r := range recs[1:] {
		if e := r[len(r)-1]; e != "" {
			got = append(got, r[0]+":!"+e)
		} else {
			got = append(got, r[0]+":"+r[1])
		}
	}
	return got
}

// TestXLSX reads an Excel workbook: rows are numbered as Excel shows them,
// a blank row is skipped, a number cell and a text cell both read exactly.
func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"研发投入", "占比", "规上", "认定日期"},
		{1234567.89, "4%", "是", "2025-01-01"},
		{"200万元", "4%", "是", "2025-01-01"},
		{},
		{"很多", "4%", "是", "2025-01-01"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "企业.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	pol := writeFile(t, dir, "p.zc", badDataPolicy)
	code, out, errOut := zc(t, "run", pol, "--data", path, "--format", "csv")
	want := []string{"2:123456.79", "3:200000", "5:!输入“研发投入”：“很多”不是金额"}
	if diff := cmp.Diff(want, csvOutcomes(t, out)); diff != "" || code != exitData {
		t.Errorf("exit %d (-want +got):\n%s\n%s", code, diff, errOut)
	}
}

// TestEncodingFlag: --encoding gbk reads a GBK file even when its start
// happens to be valid UTF-8; --encoding utf-8 leaves it undecoded, and the
// row with bytes that are not UTF-8 says so (the header, not UTF-8 either,
// is not quoted).
func TestEncodingFlag(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", badDataPolicy)
	dat := writeFile(t, dir, "g.csv", string(gbk(t, "研发投入,占比,规上,认定日期\n1万,4%,是,2025-01-01\n")))
	_, out, _ := zc(t, "run", pol, "--data", dat, "--format", "csv", "--encoding", "gbk")
	if diff := cmp.Diff([]string{"2:1000"}, csvOutcomes(t, out)); diff != "" {
		t.Errorf("gbk (-want +got):\n%s", diff)
	}
	_, out, _ = zc(t, "run", pol, "--data", dat, "--format", "csv", "--encoding", "utf-8")
	if got := csvOutcomes(t, out); len(got) != 1 || !strings.HasPrefix(got[0], "2:!第 1 列含有无法识别的字节") {
		t.Errorf("utf-8 on GBK: %v", got)
	}
	if code, _, errOut := zc(t, "run", pol, "--data", dat, "--encoding", "latin1"); code != exitUsage || !strings.Contains(errOut, "不认识的编码") {
		t.Errorf("unknown encoding: exit %d %s", code, errOut)
	}
}
