package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	stdhtml "html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// zc runs the command in-process and returns its exit status and output.
func zc(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const testPolicy = `参数 补助比例 = 10%
输入
  研发投入增量：金额
  研发投入占比：比例
结束
规则 研发补助
  依据 "第3条"
  条件 研发投入占比超过3.5%
  补助 = 研发投入增量 * 补助比例 最高 200万元
结束
`

// The expected amounts are worked out by hand: 1500万 × 10% = 150万;
// 3000万 × 10% = 300万, capped at 200万; 3.5% is not 超过 3.5%.
func TestRunCSV(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	dat := writeFile(t, dir, "d.csv", "\ufeff企业,研發投入增量,研发投入占比\n甲,1500万,4%\n乙,3000万元,5%\n丙,1000万,3.5%\n丁,很多,4%\n")

	code, out, errOut := zc(t, "run", pol, "--data", dat, "--format", "csv", "--id", "企业")
	if code != exitData {
		t.Errorf("exit %d, want %d (a row failed)", code, exitData)
	}
	want := "行,企业,研发补助,研发补助.适用,研发补助.原因,错误\n" +
		"2,甲,1500000,是,,\n" +
		"3,乙,2000000,是,,\n" +
		"4,丙,不适用,否,不满足“研发投入占比超过3.5%”（研发投入占比 为 3.5%）,\n" +
		"5,丁,不适用,否,数据不足：缺少或无法读取“研发投入增量”,列“研發投入增量”：输入“研发投入增量”：“很多”不是金额\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("csv (-want +got):\n%s", diff)
	}
	for _, s := range []string{"第 5 行：列“研發投入增量”：输入“研发投入增量”：“很多”不是金额", "共 4 行：成功 3 行，失败 1 行"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
}

func TestRunTableAlignsByDisplayWidth(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	dat := writeFile(t, dir, "d.csv", "企业,研发投入增量,研发投入占比\n甲,1500万,4%\nABC,3000万,5%\n")
	code, out, _ := zc(t, "run", pol, "--data", dat, "--id", "企业")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	want := "行  企业  研发补助（元）\n" +
		"--  ----  --------------\n" +
		" 2  甲      1,500,000.00\n" +
		" 3  ABC     2,000,000.00\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

// A long file is shown as tables of tableBlockRows rows, each with its
// header and then its notes, so run need not keep every result; every row
// is still there, in order.
func TestRunTableInBlocks(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	var data strings.Builder
	data.WriteString("企业,研发投入增量,研发投入占比\n")
	n := 2*tableBlockRows + 7
	for i := 0; i < n; i++ {
		share := "5%"
		if i%2 == 1 {
			share = "3%" // the rule does not apply: a note under its block
		}
		fmt.Fprintf(&data, "企业%d,%d万,%s\n", i, i, share)
	}
	dat := writeFile(t, dir, "d.csv", data.String())
	code, out, _ := zc(t, "run", pol, "--data", dat, "--id", "企业", "--workers", "3")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(out, "\n")
	var headers, rows, notes []int
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "行 "):
			headers = append(headers, i)
		case strings.Contains(l, "不适用："):
			notes = append(notes, i)
		case strings.Contains(l, "  企业"):
			rows = append(rows, i)
		}
	}
	if len(headers) != 3 || len(rows) != n || len(notes) != n/2 {
		t.Fatalf("%d headers, %d rows, %d notes; want 3, %d, %d", len(headers), len(rows), len(notes), n, n/2)
	}
	// the notes of a block come after its rows and before the next header
	if !(rows[tableBlockRows-1] < notes[0] && notes[tableBlockRows/2-1] < headers[1] && headers[1] < rows[tableBlockRows]) {
		t.Errorf("the first block's notes are not between its rows and the next table")
	}
	for i, l := range rows {
		if want := fmt.Sprintf("企业%d ", i); !strings.Contains(lines[l]+" ", want) {
			t.Fatalf("row %d is %q, want %s", i, lines[l], want)
		}
	}
}

func TestRunJSONAndJSONLines(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	arr := writeFile(t, dir, "d.json", `[{"研发投入增量": 15000000, "研发投入占比": "4%"}, {"研发投入增量": "1000万", "研发投入占比": 0.035}, {"研发投入占比": "4%"}]`)
	lines := writeFile(t, dir, "d.jsonl", "{\"研发投入增量\": 15000000, \"研发投入占比\": \"4%\"}\n\n{\"研发投入增量\": \"1000万\", \"研发投入占比\": 0.035}\n{\"研发投入占比\": \"4%\"}\nnot json\n")
	type rule struct {
		Name    string `json:"name"`
		Applies bool   `json:"applies"`
		Outputs []struct {
			Name  string          `json:"name"`
			Value json.RawMessage `json:"value"`
		} `json:"outputs"`
		Reason string `json:"reason"`
	}
	type row struct {
		Row   int    `json:"row"`
		Rules []rule `json:"rules"`
		Error *struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		} `json:"error"`
	}
	summarize := func(rows []row) []string {
		var out []string
		for _, r := range rows {
			switch {
			case r.Error != nil:
				out = append(out, r.Error.Field+"："+r.Error.Message)
			case r.Rules[0].Applies:
				out = append(out, string(r.Rules[0].Outputs[0].Value))
			default:
				out = append(out, r.Rules[0].Reason)
			}
		}
		return out
	}
	for _, tt := range []struct {
		path    string
		wantNum []int
		want    []string
	}{
		{arr, []int{1, 2, 3}, []string{`"1500000"`, "不满足“研发投入占比超过3.5%”（研发投入占比 为 3.5%）", "研发投入增量：缺少输入“研发投入增量”（金额）"}},
		{lines, []int{1, 3, 4, 5}, []string{`"1500000"`, "不满足“研发投入占比超过3.5%”（研发投入占比 为 3.5%）", "研发投入增量：缺少输入“研发投入增量”（金额）", "：不是有效的 JSON：第 2 个字节处有误"}},
	} {
		code, out, _ := zc(t, "run", pol, "--data", tt.path, "--format", "json")
		if code != exitData {
			t.Errorf("%s: exit %d, want %d", tt.path, code, exitData)
		}
		var rows []row
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%s: %v\n%s", tt.path, err, out)
		}
		var nums []int
		for _, r := range rows {
			nums = append(nums, r.Row)
		}
		if diff := cmp.Diff(tt.wantNum, nums); diff != "" {
			t.Errorf("%s row numbers (-want +got):\n%s", tt.path, diff)
		}
		if diff := cmp.Diff(tt.want, summarize(rows)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.path, diff)
		}
	}
}

func TestRunRaggedCSVKeepsEveryRow(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	dat := writeFile(t, dir, "d.csv", "研发投入增量,研发投入占比\n1500万,4%\n1000万\n2000万,4%,多余\n100万,4%\n")
	code, out, errOut := zc(t, "run", pol, "--data", dat, "--format", "csv")
	if code != exitData {
		t.Errorf("exit %d, want %d", code, exitData)
	}
	want := "行,研发补助,研发补助.适用,研发补助.原因,错误\n" +
		"2,1500000,是,,\n" +
		"3,,,,这一行有 1 列，表头有 2 列\n" +
		"4,,,,这一行有 3 列，表头有 2 列\n" +
		"5,100000,是,,\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut, "共 4 行：成功 2 行，失败 2 行") {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestRunMissingColumnIsNamed(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	dat := writeFile(t, dir, "d.csv", "研发投入增量\n1500万\n")
	code, _, errOut := zc(t, "run", pol, "--data", dat)
	if code != exitData {
		t.Errorf("exit %d, want %d", code, exitData)
	}
	// said once for all rows, not again on each
	for _, s := range []string{"数据中没有“研发投入占比”这一列：读取它的规则在每一行都是“数据不足”", "共 1 行：成功 0 行，数据不全 1 行"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
	if strings.Contains(errOut, "第 2 行") {
		t.Errorf("the absent column is said again on the row:\n%s", errOut)
	}
}

func TestRunSetOverridesParameter(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.zc", testPolicy)
	dat := writeFile(t, dir, "d.csv", "研发投入增量,研发投入占比\n1000万,4%\n")
	code, out, _ := zc(t, "run", pol, "--data", dat, "--format", "csv", "--set", "補助比例=15%")
	if code != exitOK || !strings.Contains(out, "\n2,1500000,是") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.zc", testPolicy+"输入 未用：金额\n")
	bad := writeFile(t, dir, "bad.zc", "输入 研发投入：金额\n补助 = 研发投人 * 10%\n")
	code, out, errOut := zc(t, "check", good)
	if code != exitOK || !strings.Contains(out, "检查通过（3 个输入，1 个参数，0 个定义，1 条规则）") || !strings.Contains(errOut, "警告：输入“未用”没有被使用") {
		t.Errorf("good: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = zc(t, "check", bad)
	want := bad + ":2:6: 未定义的名称“研发投人”；是否想写“研发投入”？\n  补助 = 研发投人 * 10%\n         ^\n"
	if code != exitUsage || errOut != want {
		t.Errorf("bad: exit %d, stderr (-want +got):\n%s", code, cmp.Diff(want, errOut))
	}
	code, _, errOut = zc(t, "check", bad, "--lang", "en")
	if code != exitUsage || !strings.Contains(errOut, `undefined name "研发投人"; did you mean "研发投入"?`) {
		t.Errorf("--lang en: exit %d, %s", code, errOut)
	}
	t.Setenv("ZHENGCE_LANG", "en")
	_, _, errOut = zc(t, "check", bad)
	if !strings.Contains(errOut, "undefined name") {
		t.Errorf("ZHENGCE_LANG=en: %s", errOut)
	}
}

func TestEval(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"eval", "min(3000万 * 10%, 200万)"}, exitOK, "2000000\n"},
		{[]string{"eval", "0.1 + 0.2 = 0.3"}, exitOK, "是\n"},
		{[]string{"eval", "--format", "json", "1500000元"}, exitOK, "\"1500000\"\n"},
		{[]string{"eval", "--format", "json", "1 > 2"}, exitOK, "false\n"},
		{[]string{"eval", "--format", "json", "\"甲\""}, exitOK, "\"甲\"\n"},
		{[]string{"eval", "--format", "json", "10%"}, exitOK, "\"0.1\"\n"},
		{[]string{"eval", "1 / 0"}, exitData, ""},
		{[]string{"eval", "1 +"}, exitUsage, ""},
		{[]string{"eval"}, exitUsage, ""},
	}
	for _, tt := range tests {
		code, out, _ := zc(t, tt.args...)
		if code != tt.code || out != tt.out {
			t.Errorf("%v: exit %d %q, want %d %q", tt.args, code, out, tt.code, tt.out)
		}
	}
}

func TestUsageAndHelp(t *testing.T) {
	tests := []struct {
		args []string
		code int
		in   string // expected in stdout+stderr
	}{
		{[]string{"version"}, exitOK, "zhengce 0.1.0"},
		{[]string{"version", "--help"}, exitOK, "显示版本"},
		{[]string{"help"}, exitOK, "zhengce run 政策.zc --data 数据.csv"},
		{[]string{"--help", "--lang", "en"}, exitOK, "evaluate every record of FILE"},
		{[]string{"run", "--help"}, exitOK, "--data"},
		{[]string{"check", "--help"}, exitOK, "用法：zhengce check"},
		{[]string{"eval", "--help"}, exitOK, "--format"},
		{[]string{}, exitUsage, "用法"},
		{[]string{"frobnicate"}, exitUsage, "未知的命令“frobnicate”"},
		{[]string{"run", "x.zc"}, exitUsage, "zhengce: 缺少 --data：要求值的数据文件（.csv、.json、.jsonl 或 .xlsx）；zhengce run --help 查看用法\n"},
		{[]string{"run", "x.zc", "d.csv"}, exitUsage, "zhengce: 数据文件要写在 --data 之后：zhengce run x.zc --data d.csv；zhengce run --help 查看用法\n"},
		{[]string{"run", "--nope"}, exitUsage, "zhengce: 不认识的选项 --nope；zhengce run --help 查看全部选项\n"},
		{[]string{"run", "--nope", "--lang", "en"}, exitUsage, "zhengce: unknown option --nope; see zhengce run --help\n"},
		{[]string{"gen", "x.zc", "-n", "-5"}, exitUsage, "zhengce: -n 应为 0 或正数，这里是 -5；zhengce gen --help 查看用法\n"},
		{[]string{"gen", "x.zc", "-n", "abc"}, exitUsage, "zhengce: 选项 -n, --rows 的值“abc”无效；zhengce gen --help 查看全部选项\n"},
		{[]string{"eval", "-1 + 2"}, exitOK, "1\n"},
		{[]string{"run", "--help"}, exitOK, "--workers 数     并行求值的数目（默认 2）"},
		{[]string{"run", "missing.zc", "--data", "x.csv"}, exitUsage, "无法读取政策文件"},
		{[]string{"check", "--lang", "fr", "x.zc"}, exitUsage, "不认识的语言“fr”"},
		// the flags of evaluation on every command that evaluates: 鲁南机床's
		// increase of 3000万 at 10% is 300万, capped by --set at 100万
		{[]string{"match", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名称", "--select", "鲁南机床", "--as-of", "2025-07-01", "--set", "补助上限=100万元"}, exitOK, "研发投入增量补助：100万元"},
		{[]string{"compare", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--set", "补助比例=15%", "--encoding", "latin1"}, exitUsage, "不认识的编码"},
		{[]string{"repl", "--as-of", "2025-13-01"}, exitUsage, "--as-of 应为日期"},
		{[]string{"run", "../../examples/rizhao-2025-implementation-rules", "--data", "../../examples/rizhao-2025-implementation-rules/科技獎勵.csv", "--as-of", "2025-09-01"}, exitData, "政策按“統一社會信用代碼”认同一企业，数据没有这一列：每条记录按一家企业计算"},
		{[]string{"run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "企业名"}, exitUsage, "--id 指的列“企业名”不在数据中；数据的列有：企业名称、规上工业企业"},
		{[]string{"run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--enterprise", "信用代码", "--lang", "en"}, exitUsage, "--enterprise names the column \"信用代码\", which the data does not have; its columns are: 企业名称, "},
		{[]string{"match", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "名称"}, exitUsage, "--id 指的列“名称”不在数据中"},
		{[]string{"compare", "../../examples/quickstart/研发投入补助.zc", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv", "--id", "名称"}, exitUsage, "--id 指的列“名称”不在数据中"},
	}
	for _, tt := range tests {
		code, out, errOut := zc(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.in) {
			t.Errorf("%v: exit %d (want %d), output lacks %q:\n%s%s", tt.args, code, tt.code, tt.in, out, errOut)
		}
	}
}

// TestBinary builds the real command and runs the bundled example, as the
// README tells a new user to.
func TestBinary(t *testing.T) {
	bin := testBinary
	runCSV := func(data string) (code int, rows []string, stderr string) {
		cmd := exec.Command(bin, "run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/"+data, "--id", "企业名称", "--as-of", "2025-07-01", "--format", "csv")
		var stdout, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &errOut
		err := cmd.Run()
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n")[1:] {
			f := strings.Split(line, ",")
			rows = append(rows, f[1]+"="+f[4])
		}
		return code, rows, errOut.String()
	}

	// Amounts by hand: 鲁南机床 (5000万 − 2000万) × 10% = 300万 → capped at
	// 200万; 枣庄新材料 (1200万 − 800万) × 10% = 40万; 峄城装备 (3000万 −
	// 1000万) × 10% = 200万, exactly the cap; 薛城电子 700万 / 2亿 = 3.5%, not
	// 超过 3.5%; 山亭食品 is not 规上; 滕州化工 promised 25% < 30%;
	// 市中软件's R&D fell.
	code, got, stderr := runCSV("研发投入补助.csv")
	want := []string{"鲁南机床=2000000", "枣庄新材料=400000", "薛城电子=不适用", "山亭食品=不适用", "滕州化工=不适用", "峄城装备=2000000", "市中软件=不适用"}
	if diff := cmp.Diff(want, got); diff != "" || code != exitOK {
		t.Errorf("研发投入补助.csv: exit %d (-want +got):\n%s%s", code, diff, stderr)
	}

	// The file with bad rows: each is reported, the good row still evaluated.
	code, got, stderr = runCSV("研发投入补助-含错误行.csv")
	// the bad rows are evaluated in part: the rule reads the bad field, so it
	// does not apply (数据不足), and the rows are still errors
	want = []string{"枣庄新材料=400000", "台儿庄纺织=不适用", "峄城装备=不适用"}
	if diff := cmp.Diff(want, got); diff != "" || code != exitData {
		t.Errorf("研发投入补助-含错误行.csv: exit %d (-want +got):\n%s", code, diff)
	}
	for _, s := range []string{"第 3 行：输入“研发投入”：“约600万”不是金额", "第 4 行：缺少输入“承诺年均增长率”（比例）", "共 3 行：成功 1 行，数据不全 1 行（读取所缺输入的规则为“数据不足”），失败 1 行"} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, stderr)
		}
	}
}

func TestTestCommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.zc", `输入 增量：金额
有效期 2025-06-15 至 2028-06-15
规则 补助规则
  条件 增量 超过 0
  补助 = 增量的10%最高200万元
结束
测试 "封顶"
  数据 增量 = 3000万元
  评估日期 2025-07-01
  期望 补助规则.补助 = 200万元
结束
测试 "写错的期望"
  数据 增量 = 1000万元
  评估日期 2025-07-01
  期望 补助规则.补助 = 200万元
结束
测试 "过期"
  数据 增量 = 1000万元
  评估日期 2029-01-01
  期望 补助规则 适用
结束
测试 "缺少数据"
  期望 补助规则 不适用
结束
`)
	code, out, _ := zc(t, "test", dir)
	if code != exitData {
		t.Errorf("exit %d, want %d", code, exitData)
	}
	for _, s := range []string{
		"失败 " + filepath.Join(dir, "a.zc") + ":12:1 测试“写错的期望”\n    期望 补助规则.补助 = 200万元，实际 100万元\n",
		"测试“过期”\n    期望“补助规则”适用，实际不适用：不在有效期内：有效期 2025年6月15日 至 2028年6月15日，评估日期为 2029年1月1日\n",
		"测试“缺少数据”\n    测试数据缺少输入“增量”\n",
		"1 个文件：1 个测试通过，3 个失败\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	code, out, _ = zc(t, "test", "../../examples")
	if code != exitOK || !strings.Contains(out, "个失败") {
		t.Errorf("examples: exit %d\n%s", code, out)
	}

	// --export-data writes the tests' data; the test with no data is left out
	zc(t, "test", "--export-data", dir)
	got, err := os.ReadFile(filepath.Join(dir, "a-测试案例.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "测试案例,评估日期,增量\n封顶,2025-07-01,30000000\n写错的期望,2025-07-01,10000000\n过期,2029-01-01,10000000\n"
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("exported data (-want +got):\n%s", diff)
	}
}

// TestBinaryCommands runs explain, match and compare through the built
// command on the seed examples, as a user would.
func TestBinaryCommands(t *testing.T) {
	dir := t.TempDir()
	bin := testBinary
	report := filepath.Join(dir, "report.html")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"explain", "../../examples/zaozhuang-2025-measures/科技金融.zc", "--data", "../../examples/zaozhuang-2025-measures/科技金融.csv", "--id", "企业名称", "--select", "峄城装备", "--as-of", "2025-09-01"},
			// loans of 30万, 90万 and 70万 interest, the enterprise repaying on time: it picks the 90万 one, × 40% = 36万
			[]string{"对每个 备案贷款：共 3 项，计入 3 项，得 [12万元, 36万元, 28万元]", "【成果转化贷款贴息】", "适用：贴息 = 36万元"}},
		{[]string{"match", "../../examples/xuecheng-2022-2024-action-plan/奖励.zc", "--data", "../../examples/xuecheng-2022-2024-action-plan/奖励.csv", "--id", "企业名称", "--select", "陶庄化工", "--as-of", "2023-06-30"},
			// 税收留成 350万, capped at 200万
			[]string{"可享受：", "国家级平台扶持：200万元（薛城区攻坚行动计划 二(二)4）"}},
		{[]string{"compare", "../../examples/zaozhuang-2025-measures/创新券.zc", "--set", "市级补助比例=30%", "--data", "../../examples/zaozhuang-2025-measures/创新券.csv", "--id", "企业名称", "--as-of", "2025-09-01", "--report", report},
			// 薛城电子 30万 × 20% = 6万 → 30% = 9万; 台儿庄软件 only 4万 left either way;
			// 山亭生物's year is used up; 鲁南机床 is not 中小微: total 10万 → 13万
			[]string{"总成本（元） 100,000.00 130,000.00 +30,000.00", "受益 1 家，受损 0 家，新获得 0 家，不再获得 0 家，不变 3 家"}},
	}
	for _, tt := range tests {
		out, err := exec.Command(bin, tt.args...).Output()
		if err != nil {
			t.Errorf("%v: %v", tt.args[:2], err)
		}
		for _, s := range tt.want {
			if !containsSpaced(string(out), s) {
				t.Errorf("%s: output lacks %q:\n%s", tt.args[0], s, out)
			}
		}
	}
	if html, err := os.ReadFile(report); err != nil || !strings.Contains(stdhtml.UnescapeString(string(html)), "<td>总成本</td><td>100,000.00</td><td>130,000.00</td><td>+30,000.00</td>") {
		t.Errorf("report: %v", err)
	}
}

// TestGen: the same seed gives the same data; every generated row
// evaluates, with scalar and list inputs alike.
func TestGen(t *testing.T) {
	dir := t.TempDir()
	for _, policy := range []string{"../../examples/zaozhuang-2025-measures/研发投入.zc", "../../examples/rizhao-2025-implementation-rules/產學研合作.zc"} {
		_, a, _ := zc(t, "gen", policy, "-n", "200", "--seed", "5", "--as-of", "2025-09-01")
		_, b, _ := zc(t, "gen", policy, "-n", "200", "--seed", "5", "--as-of", "2025-09-01")
		_, other, _ := zc(t, "gen", policy, "-n", "200", "--seed", "6", "--as-of", "2025-09-01")
		if a != b || a == other {
			t.Errorf("%s: same seed differs or another seed is the same", policy)
		}
		if n := strings.Count(a, "\n"); n < 201 {
			t.Errorf("%s: %d lines", policy, n)
		}
		data := writeFile(t, dir, "gen.csv", a)
		code, _, errOut := zc(t, "run", policy, "--data", data, "--format", "csv", "--as-of", "2025-09-01")
		if code != exitOK || !strings.Contains(errOut, "共 200 行：成功 200 行，失败 0 行") {
			t.Errorf("%s: exit %d %s", policy, code, errOut)
		}
	}
}

// panicking is a context whose every method panics: it stands for a defect
// met anywhere during a command.
type panicking struct{ context.Context }

func (panicking) Err() error            { panic("boom") }
func (panicking) Done() <-chan struct{} { panic("boom") }

// TestInternalErrorHasItsOwnExit: a panic is a defect of zhengce's own: it
// is reported as such, asking for a report, with exit status 3, which no
// usage or data error has.
func TestInternalErrorHasItsOwnExit(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(panicking{context.Background()}, []string{"run", "../../examples/quickstart/研发投入补助.zc", "--data", "../../examples/quickstart/研发投入补助.csv"}, &out, &errOut)
	if code != exitInternal || !strings.Contains(errOut.String(), "内部错误，这是 zhengce 自身的缺陷") || !strings.Contains(errOut.String(), "boom") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut.String())
	}
}
