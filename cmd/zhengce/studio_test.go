package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
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
