package main

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
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
