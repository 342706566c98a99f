package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// TestDocCoverageInExamplesREADME: the coverage table of examples/README.md
// holds what zhengce doc counts for each example folder.
func TestDocCoverageInExamplesREADME(t *testing.T) {
	readme, err := os.ReadFile("../../examples/README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([^`]+)/` \\| (\\d+) \\| (\\d+) \\| (\\d+) \\|$")
	inREADME := map[string][3]int{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		var n [3]int
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+2])
		}
		inREADME[m[1]] = n
	}
	counted := map[string][3]int{}
	texts, _ := filepath.Glob("../../examples/*/原文.txt")
	for _, textPath := range texts {
		dir := filepath.Dir(textPath)
		text, _ := os.ReadFile(textPath)
		sources, err := zhengce.ReadFolder(dir, zhengce.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		prog, err := zhengce.CompileSources(sources, zhengce.Options{})
		if err != nil {
			t.Fatal(err)
		}
		lit := buildLiterate(prog, string(text), nil, lang.Chinese)
		if len(lit.Missing) > 0 {
			t.Errorf("%s: quotes not in the text: %+v", dir, lit.Missing)
		}
		counted[filepath.Base(dir)] = [3]int{lit.Numeric, lit.Covered, len(lit.Uncoded)}
	}
	if diff := cmp.Diff(counted, inREADME); diff != "" {
		t.Errorf("examples/README.md's coverage table is out of date (-counted +README):\n%s", diff)
	}
}

// TestDoc: a page marks the quoted text and links it to its rule, lists
// a sentence with an amount no rule cites, shows the tests; a quote not in
// the text is an error naming the nearest passage.
func TestDoc(t *testing.T) {
	dir := t.TempDir()
	text := "第一条 对新认定的企业，给予10万元奖励。\n第二条 对入库企业，给予5万元补助。\n第三条 本办法自印发之日起施行。\n"
	os.WriteFile(filepath.Join(dir, "原文.txt"), []byte(text), 0o644)
	policy := `政策 "某办法"
输入 新认定：是否
规则 认定奖励
  依据 "某办法" "第一条" "对新认定的企业，给予10万元奖励"
  条件 新认定
  给予 奖励 = 10万元
结束
测试 "新认定的企业得10万元"
  数据 新认定 = 是
  期望 认定奖励.奖励 = 10万元
结束
`
	os.WriteFile(filepath.Join(dir, "办法.zc"), []byte(policy), 0o644)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"doc", filepath.Join(dir, "办法.zc")}, &out, &errOut)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	page := out.String()
	for _, want := range []string{
		`<mark><a href="#rule-1">对新认定的企业，给予10万元奖励</a></mark>`,
		`<span class="uncoded" title="未编码">第二条 对入库企业，给予5万元补助。</span>`,
		`<li>第二条 对入库企业，给予5万元补助。</li>`,
		`<div class="rule" id="rule-1"><h3>认定奖励</h3>`,
		`通过：新认定的企业得10万元`,
		`<td>2</td><td>1</td><td>1</td><td>50%</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	// a quote the text does not hold
	os.WriteFile(filepath.Join(dir, "办法.zc"), []byte(strings.Replace(policy, "给予10万元奖励\"", "给予20万元奖励\"", 1)), 0o644)
	out.Reset()
	errOut.Reset()
	code = run(context.Background(), []string{"doc", filepath.Join(dir, "办法.zc")}, &out, &errOut)
	if code != exitData || !strings.Contains(errOut.String(), "最接近的一段：“第一条 对新认定的企业，给予10万元奖励”") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}

// TestDocQuoteIsLastOfEach依据: the words quoted are the last string of
// each 依据 clause, however long the document's full title before it or
// however short the quote; a statement with two 依据 clauses marks both.
func TestDocQuoteIsLastOfEach依据(t *testing.T) {
	text := "第一条 对新认定的企业，给予10万元奖励。\n第二条 奖励5万元。\n第三条 同一企业每年最高50万元。\n"
	policy := `政策 "关于加快推进科技创新和产业创新深度融合的若干措施"
输入 新认定：是否
规则 认定奖励
  依据 "关于加快推进科技创新和产业创新深度融合的若干措施" "第一条" "对新认定的企业，给予10万元奖励"
  依据 "Measures on Innovation and Industry" "Article 2" "奖励5万元"
  条件 新认定
  给予 奖励 = 15万元
结束
上限 年度上限
  依据 "关于加快推进科技创新和产业创新深度融合的若干措施" "第三条" "同一企业每年最高50万元"
  额度 = 50万元
结束
`
	sources := []zhengce.Source{{Name: "办法.zc", Text: []byte(policy)}}
	prog, err := zhengce.CompileSources(sources, zhengce.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lit := buildLiterate(prog, text, nil, lang.Chinese)
	if len(lit.Missing) > 0 {
		t.Errorf("titles or article numbers looked for as quotes: %+v", lit.Missing)
	}
	// three sentences with amounts, every one cited: two by the rule, one by the cap
	if got := [3]int{lit.Numeric, lit.Covered, len(lit.Uncoded)}; got != [3]int{3, 3, 0} {
		t.Errorf("numeric, covered, uncoded = %v, want [3 3 0]", got)
	}
	var names []string
	for _, r := range lit.Rules {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"认定奖励", "上限 年度上限"}, names); diff != "" {
		t.Errorf("statements (-want +got):\n%s", diff)
	}
	lit = buildLiterate(prog, text, nil, lang.English)
	if diff := cmp.Diff("cap 年度上限", lit.Rules[1].Name); diff != "" {
		t.Errorf("in English (-want +got):\n%s", diff)
	}
}
