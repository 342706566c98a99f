package main

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/lang"
)

const studioUsageZh = `用法：zhengce studio 政策.zc [--source 原文.txt] [--addr 127.0.0.1:8090]

起草工作台：在浏览器里编辑政策文件，原文与规则并排。高亮来自真实的词法分析，检查的错误标在出错的字上，
补全已声明的名称，保存时按 zhengce fmt 排版并写回文件，每次修改都运行文件中的测试，“试算”按政策的输入生成
表单并给出每个金额的说明。页面所需的一切都内嵌在程序中，不访问外网。
`

const studioUsageEn = `Usage: zhengce studio POLICY.zc [--source TEXT] [--addr 127.0.0.1:8090]

The drafter's workbench: edit a policy in the browser beside the document's text.
Highlighting comes from the real lexer, checker errors are underlined where
they are, declared names complete, saving formats (zhengce fmt) and writes the
file, every change runs the file's tests, and "try" makes a form of the
policy's inputs and explains every amount. Everything the page needs is
embedded in the program: no network beyond this machine.
`

//go:embed studio
var studioFiles embed.FS

func (c *cli) studio(args []string) int {
	flags := c.flags("studio", studioUsageZh, studioUsageEn)
	source := flags.String("source", "", c.say("政策原文（默认为政策旁的 原文.txt）", "the document's text (default: 原文.txt beside the policy)"))
	addr := flags.String("addr", "127.0.0.1:8090", c.say("监听的地址（只在本机）", "address to listen on (this machine only)"))
	if code, stop := c.parseFlags(flags, args); stop {
		return code
	}
	if flags.NArg() != 1 {
		return c.usageError("studio", "要给出一个政策文件", "give one policy file")
	}
	path := flags.Arg(0)
	if *source == "" {
		*source = filepath.Join(filepath.Dir(path), "原文.txt")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		c.errorf("无法监听 %s：%v", "cannot listen on %s: %v", *addr, err)
		return exitUsage
	}
	if !isLoopback(ln.Addr()) {
		ln.Close()
		c.errorf("工作台只在本机地址上提供（它能写文件）", "the workbench serves this machine only (it writes files)")
		return exitUsage
	}
	st := &studio{path: path, source: *source, loc: c.loc}
	fmt.Fprintf(c.stderr, c.say("zhengce 工作台：http://%s/\n", "zhengce workbench: http://%s/\n"), ln.Addr())
	hs := &http.Server{Handler: st.handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-c.ctx.Done()
		hs.Close()
	}()
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		c.errorf("工作台出错：%v", "the workbench failed: %v", err)
		return exitData
	}
	return exitOK
}

// studio serves the workbench for one policy file.
type studio struct {
	path, source string
	loc          lang.Locale
}

func (st *studio) handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(studioFiles, "studio")
	mux.Handle("GET /", http.FileServerFS(static))
	mux.HandleFunc("GET /api/file", st.file)
	mux.HandleFunc("POST /api/check", st.check)
	mux.HandleFunc("POST /api/try", st.try)
	mux.HandleFunc("POST /api/save", st.save)
	mux.HandleFunc("POST /api/estimate", st.estimate)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// the page loads nothing from elsewhere, and nothing elsewhere may
		// call the workbench (it writes the file)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "application/json", http.StatusUnsupportedMediaType)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

type studioFile struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

func (st *studio) file(w http.ResponseWriter, r *http.Request) {
	src, err := os.ReadFile(st.path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeStudioJSON(w, studioFile{Name: filepath.Base(st.path), Source: string(src)})
}

// studioCheck is what the page shows of a text: its tokens, diagnostics,
// tests, names, rules and the document with the rules' quotes.
type studioCheck struct {
	Tokens      []studioToken `json:"tokens"`
	Diagnostics []studioDiag  `json:"diagnostics"`
	Tests       []docTest     `json:"tests"`
	Names       []string      `json:"names"`
	Rules       []studioRule  `json:"rules"`
	Inputs      []inputField  `json:"inputs"`
	Params      []string      `json:"params"`
	Document    string        `json:"document"`
	Coverage    [2]int        `json:"coverage"` // numeric sentences, cited
}

type studioToken struct {
	From int    `json:"from"` // UTF-16 offsets, as the editor counts
	To   int    `json:"to"`
	Kind string `json:"kind"`
}

type studioDiag struct {
	From     int    `json:"from"`
	To       int    `json:"to"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type studioRule struct {
	Name string `json:"name"`
	From int    `json:"from"`
	To   int    `json:"to"`
	// Mark is the data-rule of its quotes in the document pane: its place
	// among the statements that cite the text
	Mark int `json:"mark"`
}

type inputField struct {
	Name  string   `json:"name"`
	Type  string   `json:"type"`  // the type's English name, for the form's logic
	Label string   `json:"label"` // the type's name for people
	Enum  []string `json:"enum,omitempty"`
}

// utf16Offsets maps byte offsets of src to the editor's UTF-16 offsets.
func utf16Offsets(src []byte) []int {
	out := make([]int, len(src)+1)
	n := 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		for k := 0; k < size; k++ {
			out[i+k] = n
		}
		n += len(utf16.Encode([]rune{r}))
		i += size
	}
	out[len(src)] = n
	return out
}

func (st *studio) check(w http.ResponseWriter, r *http.Request) {
	var req studioFile
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	src := []byte(req.Source)
	at := utf16Offsets(src)
	out := studioCheck{Tokens: []studioToken{}, Diagnostics: []studioDiag{}, Tests: []docTest{}, Names: []string{}}
	toks, _ := lang.Lex(st.path, src, nil)
	for _, t := range toks {
		if t.Kind == lang.TokEOF || t.Kind == lang.TokEOL || t.Pos.Offset+len(t.Text) > len(src) {
			continue
		}
		out.Tokens = append(out.Tokens, studioToken{From: at[t.Pos.Offset], To: at[t.Pos.Offset+len(t.Text)], Kind: strings.ToLower(t.Kind.String())})
	}
	diag := func(e *lang.Error, severity string) {
		from := min(max(e.Pos.Offset, 0), len(src))
		end := from
		for end < len(src) && src[end] != '\n' && src[end] != ' ' {
			end++
		}
		if end == from && from < len(src) {
			end = from + 1
		}
		out.Diagnostics = append(out.Diagnostics, studioDiag{From: at[from], To: at[min(end, len(src))], Severity: severity, Message: e.Message(st.loc)})
	}
	prog, err := zhengce.CompileWith(st.path, src, zhengce.Options{})
	var list lang.ErrorList
	var one *lang.Error
	switch {
	case errors.As(err, &list):
		for _, e := range list {
			diag(e, "error")
		}
	case errors.As(err, &one):
		diag(one, "error")
	case err != nil:
		out.Diagnostics = append(out.Diagnostics, studioDiag{Severity: "error", Message: zhengce.ErrorText(err, st.loc)})
	}
	if prog == nil {
		writeStudioJSON(w, out)
		return
	}
	for _, e := range prog.Checked().Warnings {
		diag(e, "warning")
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	for _, t := range prog.RunTests(ctx) {
		dt := docTest{Name: t.Name, Passed: len(t.Failures) == 0}
		if !dt.Passed {
			dt.Why = t.Failures[0].Text(st.loc)
			diag(&lang.Error{Pos: t.Pos, Zh: "测试未通过：" + t.Failures[0].Zh, En: "test failed: " + t.Failures[0].En}, "error")
		}
		out.Tests = append(out.Tests, dt)
	}
	checked := prog.Checked()
	for _, in := range prog.Inputs() {
		out.Names = append(out.Names, in.Name.Text)
		out.Inputs = append(out.Inputs, inputField{Name: in.Name.Text, Type: in.Type.English(), Label: (&lang.Message{Zh: in.Type.String(), En: in.Type.English()}).Text(st.loc)})
	}
	for _, p := range checked.Params {
		out.Names = append(out.Names, p.Name.Text)
		out.Params = append(out.Params, p.Name.Text)
	}
	for _, d := range checked.Defs {
		out.Names = append(out.Names, d.Name.Text)
	}
	// rules: their span in the text, and their anchor in the document
	mark := map[string]int{}
	for i, c := range citing(checked.File) {
		mark[c.name] = i
	}
	for _, rule := range checked.Rules {
		from, to := rule.Name.Pos.Offset, len(src)
		for _, t := range toks { // the rule's 结束 (or 結束, or end), as the lexer reads it
			if t.Canon == "结束" && t.Pos.Offset > from {
				to = t.Pos.Offset + len(t.Text)
				break
			}
		}
		out.Names = append(out.Names, rule.Name.Text)
		out.Rules = append(out.Rules, studioRule{Name: rule.Name.Text, From: at[from], To: at[to], Mark: mark[rule.Name.Text]})
	}
	if text, err := os.ReadFile(st.source); err == nil {
		lit := buildLiterate(prog, string(text), nil, st.loc)
		var b strings.Builder
		studioDocTemplate.Execute(&b, lit)
		out.Document, out.Coverage = b.String(), [2]int{lit.Numeric, lit.Covered}
		for _, m := range lit.Missing {
			for _, rule := range checked.Rules {
				if rule.Name.Text == m.Rule {
					diag(&lang.Error{Pos: rule.Name.Pos, Zh: "引用的原文不在原文中：“" + m.Quote + "”；最接近的一段：“" + m.Nearest + "”", En: "the quote is not in the text: " + m.Quote}, "warning")
				}
			}
		}
	}
	writeStudioJSON(w, out)
}

// studioTry is a trial evaluation: the text and one record.
type studioTry struct {
	Source string         `json:"source"`
	Record map[string]any `json:"record"`
	AsOf   string         `json:"as_of"`
}

func (st *studio) try(w http.ResponseWriter, r *http.Request) {
	var req studioTry
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<20))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	prog, err := zhengce.CompileWith(st.path, []byte(req.Source), zhengce.Options{})
	if err != nil {
		writeStudioJSON(w, map[string]string{"error": lang.FormatErrors(err, []byte(req.Source), st.loc)})
		return
	}
	var opts zhengce.EvalOptions
	opts.Explain = true
	if req.AsOf != "" {
		opts.AsOf, _ = lang.ParseDate(req.AsOf)
	}
	rec := zhengce.Record{}
	for k, v := range req.Record {
		if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
			continue // a field left empty is missing
		}
		rec[k] = v
	}
	res, err := prog.EvalWith(r.Context(), rec, opts)
	writeStudioJSON(w, zhengce.ResultJSON(res, err, st.loc))
}

func (st *studio) save(w http.ResponseWriter, r *http.Request) {
	var req studioFile
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out := []byte(req.Source)
	if formatted, err := lang.Format(out); err == nil {
		out = formatted // a text that does not lex is saved as typed
	}
	if err := os.WriteFile(st.path, out, 0o644); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeStudioJSON(w, studioFile{Name: filepath.Base(st.path), Source: string(out)})
}

func writeStudioJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// studioDocTemplate is the document pane: the text with the quotes marked.
var studioDocTemplate = template.Must(template.New("doc").Parse(
	`{{range .Paragraphs}}<p>{{range .Spans}}{{if .Rules}}<mark data-rule="{{index .Rules 0}}">{{.Text}}</mark>{{else if .Uncoded}}<span class="uncoded" title="未编码">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}</p>{{end}}`))

// studioEstimate is a 测算: the text, a population and a change of
// parameters.
type studioEstimate struct {
	Source string            `json:"source"`
	Data   string            `json:"data"`
	Format string            `json:"format"` // .csv, .json or .jsonl
	Set    map[string]string `json:"set"`
	AsOf   string            `json:"as_of"`
}

// studioEstimateResult is what a change costs over the population, and
// the charts of the compare report.
type studioEstimateResult struct {
	Error      string                 `json:"error,omitempty"`
	Comparison zhengce.ComparisonJSON `json:"comparison"`
	Charts     string                 `json:"charts"`
	Bad        []string               `json:"bad"` // rows that could not be read or evaluated
}

func (st *studio) estimate(w http.ResponseWriter, r *http.Request) {
	var req studioEstimate
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fail := func(msg string) { writeStudioJSON(w, studioEstimateResult{Error: msg}) }
	base, err := zhengce.CompileWith(st.path, []byte(req.Source), zhengce.Options{})
	if err != nil {
		fail(lang.FormatErrors(err, []byte(req.Source), st.loc))
		return
	}
	reform, err := zhengce.CompileWith(st.path, []byte(req.Source), zhengce.Options{Params: req.Set})
	if err != nil {
		fail(zhengce.ErrorText(err, st.loc))
		return
	}
	reader, err := data.NewReader(strings.NewReader(req.Data), req.Format)
	if err != nil {
		fail(zhengce.ErrorText(err, st.loc))
		return
	}
	var records []zhengce.Record
	var nums []int
	var bad []string
	for len(records) < 100_000 {
		row, err := reader.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			bad = append(bad, zhengce.ErrorText(err, st.loc))
			break
		}
		row.Decode()
		if row.Err != nil {
			bad = append(bad, row.LabelIn(reader.IsArray(), st.loc == lang.English)+"："+zhengce.ErrorText(row.Err, st.loc))
			continue
		}
		records, nums = append(records, row.Record), append(nums, row.Num)
	}
	var opts zhengce.EvalOptions
	if req.AsOf != "" {
		opts.AsOf, _ = lang.ParseDate(req.AsOf)
	}
	baseRes, baseErrs := zhengce.EvalBatch(r.Context(), base, records, "", opts)
	reformRes, _ := zhengce.EvalBatch(r.Context(), reform, records, "", opts)
	for i, err := range baseErrs {
		if err != nil {
			bad = append(bad, lang.Messagef("第 %d 行：", "row %d: ", nums[i]).Text(st.loc)+zhengce.ErrorText(err, st.loc))
		}
	}
	cmp := comparison{Comparison: *zhengce.Compare(baseRes, reformRes, nums, nil)}
	cmp.chart(baseRes, reformRes, func(i int) string { return lang.Messagef("第 %d 行", "row %d", nums[i]).Text(st.loc) })
	var charts strings.Builder
	for _, ch := range []*hbarChart{cmp.RuleChart, cmp.ChangeChart} {
		if ch != nil {
			reportTemplate.ExecuteTemplate(&charts, "hbar", ch)
		}
	}
	if bad == nil {
		bad = []string{}
	}
	writeStudioJSON(w, studioEstimateResult{Comparison: cmp.JSON(), Charts: charts.String(), Bad: bad})
}
