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
	st := &studio{path: path, source: dir + "/原文.txt", loc: lang.Chinese}
	body, _ := json.Marshal(studioFile{Source: src})
	req := httptest.NewRequest("POST", "/api/check", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	st.handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var got studioCheck
	json.Unmarshal(rec.Body.Bytes(), &got)
	u16 := func(s string) int { return len(utf16.Encode([]rune(s))) }
	ruleAt := func(name string) int { return u16(src[:strings.Index(src, "規則 "+name+"\n")+len("規則 ")]) }
	endOf := func(name string) int {
		i := strings.Index(src, "規則 "+name+"\n")
		return u16(src[:i+strings.Index(src[i:], "結束")+len("結束")])
	}
	want := []studioRule{
		{Name: "甲", From: ruleAt("甲"), To: endOf("甲"), Mark: 1}, // the cap is the first statement citing the text
		{Name: "乙", From: ruleAt("乙"), To: endOf("乙"), Mark: 2},
	}
	if diff := cmp.Diff(want, got.Rules); diff != "" {
		t.Logf("diagnostics: %+v", got.Diagnostics)
		t.Errorf("rules (-want +got):\n%s", diff)
	}
}
