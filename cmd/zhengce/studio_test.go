package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// TestStudioRuleSpans: the workbench knows where each rule of a file
// starts and ends (its 結束 in Traditional too), and which marks of the
// document are its quotes, though a cap cites the text before it.
func TestStudioRuleSpans(t *testing.T) {
	dir := t.TempDir()
	src := "政策 \"某辦法\"\n輸入 金額甲：金額\n上限 年度上限\n  依據 \"某辦法\" \"第三條\" \"單個企業每年最高補助五十萬元的規定\"\n  額度 = 50萬元\n  規則 甲，乙\n結束\n" +
		"規則 甲\n  依據 \"某辦法\" \"第一條\" \"對新認定的企業給予一次性獎勵十萬元\"\n  給予 獎勵 = 10萬元\n結束\n" +
		"規則 乙\n  給予 補助 = 金額甲\n結束\n"
	path := dir + "/辦法.zc"
	os.WriteFile(path, []byte(src), 0o644)
	st, err := openStudio(path, lang.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	var got studioCheck
	studioPost(t, st, "/api/check", studioFiles{Files: []studioFile{{Name: "辦法.zc", Source: src}}, Current: "辦法.zc"}, &got)
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	ruleAt := func(name string) int { return u16(src[:strings.Index(src, "規則 "+name+"\n")+len("規則 ")]) }
	endOf := func(name string) int {
		i := strings.Index(src, "規則 "+name+"\n")
		return u16(src[:i+strings.Index(src[i:], "結束")+len("結束")])
	}
	want := []studioRule{
		{Name: "甲", File: "辦法.zc", From: ruleAt("甲"), To: endOf("甲"), Mark: 1}, // the cap is the first statement citing the text
		{Name: "乙", File: "辦法.zc", From: ruleAt("乙"), To: endOf("乙"), Mark: 2},
	}
	if diff := cmp.Diff(want, got.Rules); diff != "" {
		t.Logf("diagnostics: %+v", got.Diagnostics)
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}

// studioPost posts body to the workbench at path and decodes the answer
// into out.
func studioPost(t *testing.T, st *studio, path string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req := httptest.NewRequest("POST", path, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	st.handler().ServeHTTP(rec, req)
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, rec.Body)
		}
	}
	return rec.Code
}

// TestStudioFolder: a file that is one of several written for the same
// document opens the whole folder; the files are checked together, so a
// cap written in one file limits a rule of another in the trial, and an
// error in a file not in the editor is reported at its own file and line;
// the page may save the policy's files and no other.
func TestStudioFolder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"甲.zc": "政策 \"某办法\"\n输入 投入：金额\n规则 投入补助\n  给予 补助 = 投入 × 10%\n结束\n",
		"乙.zc": "政策 \"某办法\"\n上限 每家企业\n  额度 = 50万元\n  规则 投入补助\n结束\n",
		"丙.zc": "政策 \"另一办法\"\n规则 无关\n  给予 奖励 = 1万元\n结束\n",
	}
	for name, src := range files {
		os.WriteFile(dir+"/"+name, []byte(src), 0o644)
	}
	st, err := openStudio(dir+"/乙.zc", lang.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	// the folder is the policy, as zhengce run reads it: every .zc file
	if diff := cmp.Diff([]string{"丙.zc", "乙.zc", "甲.zc"}, st.files); diff != "" || st.current != "乙.zc" {
		t.Errorf("files (-want +got):\n%s; current %q", diff, st.current)
	}
	page := func(edit map[string]string) []studioFile {
		var out []studioFile
		for _, name := range st.files {
			src := files[name]
			if e, ok := edit[name]; ok {
				src = e
			}
			out = append(out, studioFile{Name: name, Source: src})
		}
		return out
	}

	// 投入 800万 × 10% = 80万, capped at 50万 by the cap written in 乙.zc;
	// 丙's 无关 adds 1万 (no cap): 51万
	var tried struct {
		Total string `json:"total"`
	}
	studioPost(t, st, "/api/try", studioTry{Files: page(nil), Record: map[string]any{"投入": "800万元"}}, &tried)
	if tried.Total != "510000" {
		t.Errorf("trial total %q, want 510000 (80万 capped at 50万 by the other file, and 1万)", tried.Total)
	}

	// an error in 甲.zc while 乙.zc is in the editor: at 甲.zc's line 4
	broken := strings.Replace(files["甲.zc"], "投入 × 10%", "不存在的名称 × 10%", 1)
	var checked studioCheck
	studioPost(t, st, "/api/check", studioFiles{Files: page(map[string]string{"甲.zc": broken}), Current: "乙.zc"}, &checked)
	at := strings.Index(broken, "不存在的名称")
	want := studioDiag{File: "甲.zc", Line: 4, From: len(utf16.Encode([]rune(broken[:at]))), Severity: "error"}
	if len(checked.Diagnostics) == 0 {
		t.Fatal("no diagnostic for the undeclared name")
	}
	got := checked.Diagnostics[0]
	got.To, got.Message = 0, ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostic (-want +got):\n%s\n%s", diff, checked.Diagnostics[0].Message)
	}
	// the editor's tokens are 乙.zc's: its first is 政策, its last 结束
	if n := len(checked.Tokens); n == 0 || checked.Tokens[n-1].To != len(utf16.Encode([]rune(strings.TrimSuffix(files["乙.zc"], "\n")))) {
		t.Errorf("the tokens are not 乙.zc's: %+v", checked.Tokens)
	}

	// saving: a file of the policy, formatted; any other name refused
	var saved studioFile
	if code := studioPost(t, st, "/api/save", studioFile{Name: "甲.zc", Source: "政策   \"某办法\"\n" + files["甲.zc"][len("政策 \"某办法\"\n"):]}, &saved); code != http.StatusOK {
		t.Errorf("saving 甲.zc: %d", code)
	}
	if b, _ := os.ReadFile(dir + "/甲.zc"); string(b) != files["甲.zc"] {
		t.Errorf("甲.zc saved as %q, want it formatted back to %q", b, files["甲.zc"])
	}
	for _, name := range []string{"../甲.zc", "丁.zc", dir + "/甲.zc"} {
		if code := studioPost(t, st, "/api/save", studioFile{Name: name, Source: "x"}, &saved); code != http.StatusBadRequest {
			t.Errorf("saving %q: %d, want 400", name, code)
		}
	}
	// a page that leaves a file out is refused, not checked without it
	if code := studioPost(t, st, "/api/check", studioFiles{Files: page(nil)[:2], Current: "乙.zc"}, &checked); code != http.StatusBadRequest {
		t.Errorf("a check without 甲.zc: %d, want 400", code)
	}
}

// TestStudioEstimate: 测算 over the quickstart's seven firms, sent as CSV
// text or as an xlsx workbook in base64, 补助比例 10% → 15%. Worked from
// the text (增量 × 比例, 最高200万元; 占比 must exceed 3.5%, the promise
// be at least 30%): 鲁南机床 增量3000万 → 200万 either way; 枣庄新材料
// 增量400万 → 40万, then 60万; 峄城装备 增量2000万 → 200万 either way;
// 薛城电子 (占比恰为3.5%), 山亭食品 (非规上), 滕州化工 (25%) and 市中软件
// (投入减少) get nothing. Base 440万, reform 460万, one firm gains. A bad
// cell is reported by its row and the other rows still count; a file
// over the row limit, a date that is not one and a request over its size
// limit are refused with a message, not cut short or ignored.
func TestStudioEstimate(t *testing.T) {
	dir := t.TempDir()
	policy := filepath.Join(dir, "研发投入补助.zc")
	src, err := os.ReadFile("../../examples/quickstart/研发投入补助.zc")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(policy, src, 0o644)
	st, err := openStudio(policy, lang.Chinese)
	if err != nil {
		t.Fatal(err)
	}
	files := []studioFile{{Name: "研发投入补助.zc", Source: string(src)}}
	sample := "企业名称,规上工业企业,研发投入,上年研发投入,主营业务收入,承诺年均增长率\n" +
		"鲁南机床,是,5000万,2000万,8亿,30%\n枣庄新材料,是,\"1,200万元\",800万,2亿,35%\n薛城电子,是,700万,500万,2亿,30%\n" +
		"山亭食品,否,900万,600万,1.5亿,30%\n滕州化工,是,900万,600万,1.5亿,25%\n峄城装备,是,3000万,1000万,5亿,40%\n市中软件,是,800万,900万,1亿,30%\n"
	// the same firms in a workbook, 鲁南机床's amounts as number cells, and
	// a row that is not a firm's
	workbook := func(extra ...[]any) string {
		f := excelize.NewFile()
		rows := [][]any{
			{"企业名称", "规上工业企业", "研发投入", "上年研发投入", "主营业务收入", "承诺年均增长率"},
			{"鲁南机床", "是", 50000000, 20000000, 800000000, "30%"},
			{"枣庄新材料", "是", "1,200万元", "800万", "2亿", "35%"},
			{"薛城电子", "是", "700万", "500万", "2亿", "30%"},
			{"山亭食品", "否", "900万", "600万", "1.5亿", "30%"},
			{"滕州化工", "是", "900万", "600万", "1.5亿", "25%"},
			{"峄城装备", "是", "3000万", "1000万", "5亿", "40%"},
			{"市中软件", "是", "800万", "900万", "1亿", "30%"},
		}
		for i, r := range append(rows, extra...) {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(buf.Bytes())
	}
	tooMany := strings.Repeat("市中软件,是,800万,900万,1亿,30%\n", maxEstimateRows)
	type outcome struct {
		Error        string
		Base, Reform string
		Gain, Failed int
		Bad          []string
	}
	for _, c := range []struct {
		name, data, format, asOf string
		want                     outcome
	}{
		{"csv", sample, ".csv", "2025-07-01", outcome{Base: "4400000", Reform: "4600000", Gain: 1}},
		{"xlsx", workbook(), ".xlsx", "2025-07-01", outcome{Base: "4400000", Reform: "4600000", Gain: 1}},
		{"xlsx with a bad cell", workbook([]any{"某企业", "是", "很多", "1万", "1亿", "30%"}), ".xlsx", "2025-07-01",
			outcome{Base: "4400000", Reform: "4600000", Gain: 1, Bad: []string{"第 9 行：输入“研发投入”：“很多”不是金额"}}},
		{"not a workbook", base64.StdEncoding.EncodeToString([]byte(sample)), ".xlsx", "", outcome{Error: "无法读取 xlsx 工作簿"}},
		{"one row over the limit", sample + tooMany, ".csv", "", outcome{Error: "数据超过 100000 行：工作台只测算这么多行"}},
		{"a date that is not one", sample, ".csv", "2025-13-01", outcome{Error: "评估日期“2025-13-01”不是日期"}},
	} {
		var res studioEstimateResult
		if code := studioPost(t, st, "/api/estimate", studioEstimate{Files: files, Data: c.data, Format: c.format, AsOf: c.asOf, Set: map[string]string{"补助比例": "15%"}}, &res); code != http.StatusOK {
			t.Errorf("%s: status %d", c.name, code)
			continue
		}
		got := outcome{Error: res.Error, Bad: res.Bad}
		if res.Error == "" {
			got.Base, got.Reform, got.Gain, got.Failed = res.Comparison.Total.Base, res.Comparison.Total.Reform, res.Comparison.Counts["gain"], res.Comparison.Failed
		} else if strings.Contains(res.Error, c.want.Error) {
			got.Error = c.want.Error // the start of the message is what is checked
		}
		if len(got.Bad) == 0 {
			got.Bad = nil
		}
		for i, b := range got.Bad {
			if i < len(c.want.Bad) && strings.HasPrefix(b, c.want.Bad[i]) {
				got.Bad[i] = c.want.Bad[i]
			}
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}

	// a trial record over the 4 MiB a trial may send: 413, said in Chinese
	huge := strings.Repeat("很", 2<<20)
	b, _ := json.Marshal(studioTry{Files: files, Record: map[string]any{"企业名称": huge}})
	req := httptest.NewRequest("POST", "/api/try", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	st.handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "请求超过 4 MiB 的限制") {
		t.Errorf("an oversized trial: %d %s", rec.Code, rec.Body)
	}
}

// TestInputChoices: the trial form suggests, for a text input, the
// categories the policy compares it with or looks it up by, in the order
// written; a number input gets none.
func TestInputChoices(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      map[string][]string
	}{
		{"compared, then looked up", bilingualPolicy, map[string][]string{"level": {"none", "gold", "silver"}}},
		{"a table in a definition, a comparison either way round, a repeat once", `输入
  等级：文本
  类型：文本
  金额甲：金额
结束
奖励额 = 按 等级 取值 { "国家级"：300万元，"省级"：100万元 }
规则 奖励
  条件 "高新技术企业" = 类型 且 等级 ≠ "国家级" 且 金额甲 > 0
  给予 奖励 = 奖励额
结束
`, map[string][]string{"等级": {"国家级", "省级"}, "类型": {"高新技术企业"}}},
		{"the input declared in Traditional, read in Simplified: one name", "输入\n  等級：文本\n结束\n规则 奖\n  给予 奖金 = 按 等级 取 { \"国家级\"：1万元 }\n结束\n",
			map[string][]string{"等級": {"国家级"}}},
	} {
		prog, err := zhengce.CompileSources([]zhengce.Source{{Name: "p.zc", Text: []byte(c.src)}}, zhengce.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if diff := cmp.Diff(c.want, inputChoices(prog.Checked())); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}
