package main

import (
	"encoding/json"
	"html"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/zhengce/zhengce/lang"
)

// A policy written with English keywords and ASCII names, and data with
// bad rows: whatever the language of the output, everything zhengce says
// is in it, and only the policy's and the data's own words are not.
const bilingualPolicy = `policy "Demo measures"
valid 2025-01-01 until 2027-12-31
input
  rd: money
  intensity: ratio
  level: text
  big: bool
  paid: ledger
end
param rate = 10%
growth = rd * rate
rule subsidy
  source "Demo" "Art. 3" "ten percent of R&D, at most two million"
  when big and intensity > 3%
  pay amount = rd * rate atmost 2000000元
end
rule award
  when level != "none"
  prize = by level pick { "gold": 1000000元, "silver": 500000元 }
end
rule onetime
  once
  when big
  grant = 100000元
end
exclusive best
  rule subsidy, award
end
cap peryear
  rule subsidy, award, onetime
  limit = 2500000元
end
test "gold"
  given rd = 1000000元, intensity = 5%, level = "gold", big = yes, paid = []
  asof 2026-01-01
  expect award.prize = 1000000元
end
test "wrong on purpose"
  given rd = 1000000元, intensity = 5%, level = "gold", big = yes, paid = []
  asof 2026-01-01
  expect award.prize = 1元
  expect subsidy applies
end
`

const bilingualData = `id,rd,intensity,level,big,paid
A,30000000,5%,gold,yes,[]
B,5000000,2%,none,no,[]
C,lots,5%,gold,yes,[]
D,1000000,25,silver,maybe,"[{""年度"": 2025, ""事项"": ""onetime"", ""兑现额"": ""100000""}]"
E,,5%,none,yes,[]
F,1000000,5%,bronze,yes,[]
`

// TestEachLanguageIsWhole runs the commands over a policy and data with
// faults, in English and in Chinese: the English has no Chinese but the
// policy's own quoted text and the ledger's keys, and the Chinese none of
// the English words a library or a forgotten message would leave.
func TestEachLanguageIsWhole(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", bilingualPolicy)
	data := writeFile(t, dir, "d.csv", bilingualData)
	bad := writeFile(t, dir, "bad.zc", "input x: money\nrule r\n  when x > 0\n  a = x\n  b = x\nend\ny = x + 1\nz = (x\nw = yearly\n")
	commands := [][]string{
		{"check", pol}, {"check", bad}, {"test", pol},
		{"run", pol, "--data", data, "--id", "id", "--as-of", "2026-03-01"},
		{"run", pol, "--data", data, "--format", "csv", "--as-of", "2026-03-01"},
		{"run", pol, "--data", data, "--format", "json", "--as-of", "2026-03-01"},
		{"explain", pol, "--data", data, "--id", "id", "--as-of", "2026-03-01"},
		{"match", pol, "--data", data, "--id", "id", "--as-of", "2026-03-01"},
		{"compare", pol, "--set", "rate=20%", "--data", data, "--as-of", "2026-03-01"},
		{"compare", pol, "--set", "nope=20%", "--data", data},
		{"run", pol, "--data", dir + "/nothere.csv"},
		{"run", pol, data}, {"run", "--nope"}, {"eval", "1 +"}, {"gen", pol, "-n", "-5"}, {"run", "--help"},
	}
	han := regexp.MustCompile(`\p{Han}`)
	quoted := regexp.MustCompile(`"(?:[^"\\]|\\.)*"|“[^”]*”`)
	english := regexp.MustCompile(`(?i)\b(error|expected|unexpected|invalid|unknown|no such|cannot|missing|default|usage|flag)\b`)
	for _, args := range commands {
		_, out, errOut := zc(t, append(args, "--lang", "en")...)
		for _, line := range strings.Split(out+errOut, "\n") {
			if han.MatchString(quoted.ReplaceAllString(line, "")) {
				t.Errorf("%v --lang en: Chinese in %q", args, line)
			}
		}
		_, out, errOut = zc(t, args...)
		for _, line := range strings.Split(out+errOut, "\n") {
			if m := english.FindString(quoted.ReplaceAllString(line, "")); m != "" {
				t.Errorf("%v: English %q in %q", args, m, line)
			}
			if strings.ContainsFunc(line, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				continue
			}
		}
	}
}

// TestEachLanguageIsWholeInPages: the same for the pages people open — the
// compare report, zhengce doc's page, and the workbench (its page, the
// words its script shows, and what its API answers): in English no
// Chinese is left in what a reader sees but the policy's and the data's
// own words, and in Chinese none of those English words.
func TestEachLanguageIsWholeInPages(t *testing.T) {
	han := regexp.MustCompile(`\p{Han}`)
	quoted := regexp.MustCompile(`"(?:[^"\\]|\\.)*"|“[^”]*”`)
	english := regexp.MustCompile(`(?i)\b(error|expected|unexpected|invalid|unknown|no such|cannot|missing|default|usage|flag|base|reform|change|total|passed|failed|rules?|tests?)\b`)
	for _, loc := range []lang.Locale{lang.English, lang.Chinese} {
		flag := []string{"--lang", "zh"}
		if loc == lang.English {
			flag = []string{"--lang", "en"}
		}
		dir := t.TempDir()
		pol := writeFile(t, dir, "p.zc", bilingualPolicy)
		data := writeFile(t, dir, "d.csv", bilingualData)
		writeFile(t, dir, "原文.txt", "Article 3. The grant is ten percent of R&D, at most two million yuan.\nArticle 4. Firms with over 100 staff get 5% more.\n")
		report, page := filepath.Join(dir, "r.html"), filepath.Join(dir, "d.html")
		zc(t, append([]string{"compare", pol, "--set", "rate=20%", "--data", data, "--as-of", "2026-03-01", "--report", report}, flag...)...)
		if code, _, errOut := zc(t, append([]string{"doc", pol, "-o", page}, flag...)...); code != exitOK {
			t.Fatalf("doc: %s", errOut)
		}
		pages := map[string]string{}
		for name, path := range map[string]string{"report": report, "doc": page} {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pages[name] = string(b)
		}
		// the workbench: its page, then what its script is given to show
		st, err := openStudio(pol, loc)
		if err != nil {
			t.Fatal(err)
		}
		get := httptest.NewRecorder()
		st.handler().ServeHTTP(get, httptest.NewRequest("GET", "/", nil))
		pages["studio page"] = get.Body.String()
		var words []string
		for _, w := range studioWordsIn(loc) {
			words = append(words, w)
		}
		pages["studio words"] = strings.Join(words, "\n")
		files := []studioFile{{Name: "p.zc", Source: bilingualPolicy}}
		for _, call := range []struct {
			path string
			body any
		}{
			{"/api/check", studioFiles{Files: files, Current: "p.zc"}},
			{"/api/try", studioTry{Files: files, Record: map[string]any{"rd": "lots", "big": true}, AsOf: "2026-03-01"}},
			{"/api/try", studioTry{Files: files, Record: map[string]any{"rd": "30000000", "intensity": "5%", "level": "gold", "big": true, "paid": "[]"}, AsOf: "2026-03-01"}},
			{"/api/estimate", studioEstimate{Files: files, Data: bilingualData, Format: ".csv", Set: map[string]string{"rate": "20%"}, AsOf: "2026-03-01"}},
			{"/api/estimate", studioEstimate{Files: files, Data: bilingualData, Format: ".csv", AsOf: "2026-13-01"}},
		} {
			var answer map[string]any
			studioPost(t, st, call.path, call.body, &answer)
			delete(answer, "document") // the document's own text
			b, _ := json.Marshal(answer)
			pages["studio "+call.path+" "+string(b)[:min(len(b), 60)]] = string(b)
		}
		for name, html := range pages {
			for _, line := range strings.Split(visibleText(html), "\n") {
				line = quoted.ReplaceAllString(line, "")
				if loc == lang.English && han.MatchString(line) {
					t.Errorf("%s in English: Chinese in %q", name, line)
				}
				if m := english.FindString(line); loc == lang.Chinese && m != "" && !strings.HasPrefix(name, "studio /api") {
					t.Errorf("%s in Chinese: English %q in %q", name, m, line)
				}
			}
		}
	}
}

// visibleText is what a reader sees of a page: its text and the titles
// shown on hover, without styles, scripts' code or tags. A script's data
// (the words given to studio.js) is kept.
func visibleText(page string) string {
	page = regexp.MustCompile(`(?s)<style.*?</style>|<script src=[^>]*></script>`).ReplaceAllString(page, "")
	page = regexp.MustCompile(`(?:title|aria-label|placeholder)="([^"]*)"`).ReplaceAllString(page, ">$1<")
	page = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, "\n")
	return html.UnescapeString(page)
}
