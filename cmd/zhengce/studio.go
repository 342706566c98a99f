package main

import (
	"context"
	"embed"
	"encoding/base64"
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
	"slices"
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
var studioAssets embed.FS

// studioPage is the workbench's page; its words are said in the reader's
// language, and so are those of studio.js, from studioWords.
//
//go:embed studio.html.tmpl
var studioPageSource string

var studioPage = template.Must(template.New("studio").Funcs(template.FuncMap{"say": sayChinese}).Parse(studioPageSource))

// studioWords are what studio.js says, by key, in both languages; {0},
// {1}… stand for the values it fills in.
var studioWords = map[string]lang.Message{
	"status.errors":   {Zh: "有错误（{0}）", En: "{0} error(s)"},
	"status.ok":       {Zh: "检查通过", En: "no errors"},
	"status.saved":    {Zh: "已保存（已排版）：{0}", En: "saved (formatted): {0}"},
	"test.passed":     {Zh: "通过：", En: "passed: "},
	"test.failed":     {Zh: "失败：", En: "failed: "},
	"because":         {Zh: "——{0}", En: " — {0}"},
	"in.file":         {Zh: "（{0}）", En: " ({0})"},
	"at.line":         {Zh: "{0}:{1}：", En: "{0}:{1}: "},
	"coverage":        {Zh: "带数字的句子 {0} 句，有规则引用 {1} 句", En: "{0} sentences with numbers, {1} cited by rules"},
	"example.money":   {Zh: "如 150万元", En: "e.g. 1500000"},
	"example.ratio":   {Zh: "如 10%", En: "e.g. 10%"},
	"input":           {Zh: "{0}（{1}）", En: "{0} ({1})"},
	"try.total":       {Zh: "给予合计：{0} 元", En: "total paid: {0} yuan"},
	"rule.paid":       {Zh: "{0}：{1} 元", En: "{0}: {1} yuan"},
	"rule.applies":    {Zh: "{0}：适用", En: "{0}: applies"},
	"rule.notApplies": {Zh: "{0}：不适用——{1}", En: "{0}: does not apply — {1}"},
	"data.loaded":     {Zh: "已读入：{0}", En: "loaded: {0}"},
	"column.base":     {Zh: "基准（元）", En: "base (yuan)"},
	"column.reform":   {Zh: "改革（元）", En: "reform (yuan)"},
	"column.change":   {Zh: "变化（元）", En: "change (yuan)"},
	"total.cost":      {Zh: "总成本", En: "total cost"},
	"counts":          {Zh: "受益 {0} 家，受损 {1} 家，新获得 {2} 家，不再获得 {3} 家，不变 {4} 家", En: "{0} gain, {1} lose, {2} newly qualify, {3} drop out, {4} unchanged"},
	"counts.failed":   {Zh: "；{0} 行无法求值，未计入", En: "; {0} rows could not be evaluated and are not counted"},
}

// studioWordsIn is studioWords in loc, for the page.
func studioWordsIn(loc lang.Locale) map[string]string {
	out := make(map[string]string, len(studioWords))
	for k, m := range studioWords {
		out[k] = m.Text(loc)
	}
	return out
}

func (c *cli) studio(args []string) int {
	flags := c.flags("studio", studioUsageZh, studioUsageEn)
	source := flags.String("source", "", c.say("政策原文（默认为政策旁的 原文.txt）", "the document's text (default: 原文.txt beside the policy)"))
	addr := flags.String("addr", "127.0.0.1:8090", c.say("监听的地址（只在本机）", "address to listen on (this machine only)"))
	if code, stop := c.parseFlags(flags, args); stop {
		return code
	}
	if flags.NArg() != 1 {
		return c.usageError("studio", "要给出一份政策（文件或文件夹）", "give one policy (a file or a folder)")
	}
	st, err := openStudio(flags.Arg(0), c.loc)
	if err != nil {
		c.errorf("无法打开政策：%s", "cannot open the policy: %s", c.message(err))
		return exitUsage
	}
	if *source != "" {
		st.source = *source
	}
	if len(st.files) > 1 {
		fmt.Fprintf(c.stderr, c.say("打开整份政策：%s 中的 %d 个文件，一起检查、测试与试算\n", "opening the whole policy: the %[2]d files of %[1]s, checked, tested and tried together\n"), st.dir, len(st.files))
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

// studio serves the workbench for one policy: a file, or a document's
// folder whose files are edited one at a time but checked, tested and
// evaluated together, as zhengce run evaluates the folder.
type studio struct {
	dir     string
	files   []string // the policy's file names in dir, in name order
	current string   // the file to open first
	source  string   // the document's text
	loc     lang.Locale
}

// openStudio opens the policy at path: a folder, or a file. A file that is
// one of several in its folder written for the same document opens the
// folder, with that file first: alone, the groups and caps written in the
// others would not apply to it.
func openStudio(path string, loc lang.Locale) (*studio, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	st := &studio{dir: path, loc: loc}
	if fi.IsDir() {
		files, err := zhengce.PolicyFiles(path)
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, lang.Messagef("文件夹“%s”中没有政策文件（.zc）", "the folder %q has no policy file (.zc)", path)
		}
		for _, f := range files {
			st.files = append(st.files, filepath.Base(f))
		}
		st.current = st.files[0]
	} else {
		st.dir, st.current = filepath.Dir(path), filepath.Base(path)
		st.files = []string{st.current}
		src, err := zhengce.ReadPolicy(path, zhengce.Limits{})
		if err != nil {
			return nil, err
		}
		if othersOfPolicy(path, policyTitle(src)) > 0 {
			files, _ := zhengce.PolicyFiles(st.dir)
			st.files = st.files[:0]
			for _, f := range files {
				st.files = append(st.files, filepath.Base(f))
			}
		}
	}
	st.source = filepath.Join(st.dir, "原文.txt")
	return st, nil
}

func (st *studio) handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(studioAssets, "studio")
	mux.Handle("GET /", http.FileServerFS(static))
	page := inLanguage(studioPage, st.loc)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page.Execute(w, studioWordsIn(st.loc))
	})
	mux.HandleFunc("GET /api/files", st.read)
	mux.HandleFunc("POST /api/check", st.check)
	mux.HandleFunc("POST /api/try", st.try)
	mux.HandleFunc("POST /api/save", st.save)
	mux.HandleFunc("POST /api/estimate", st.estimate)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// the page loads nothing from elsewhere, and nothing elsewhere may
		// call the workbench (it writes the files)
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, lang.Messagef("请求应为 JSON（Content-Type: application/json）", "the request must be JSON (Content-Type: application/json)").Text(st.loc), http.StatusUnsupportedMediaType)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// readRequest decodes the JSON body of a page's request into v, numbers
// kept exact; a body over limit bytes is refused with 413 before more is
// read, one that is not the JSON expected with 400, each with a message
// the page shows.
func (st *studio) readRequest(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.UseNumber()
	err := dec.Decode(v)
	if err == nil {
		return true
	}
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		http.Error(w, lang.Messagef("请求超过 %d MiB 的限制（测算的数据文件太大？）", "the request is over the limit of %d MiB (is the data file for the estimate too big?)", limit>>20).Text(st.loc), http.StatusRequestEntityTooLarge)
	} else {
		http.Error(w, lang.Messagef("请求无法读取：%v", "the request cannot be read: %v", err).Text(st.loc), http.StatusBadRequest)
	}
	return false
}

// studioFile is one file of the policy as the page holds it.
type studioFile struct {
	Name   string `json:"name"`
	Source string `json:"source"`
}

// studioFiles is the policy as the page holds it: every file, and the one
// in the editor.
type studioFiles struct {
	Files   []studioFile `json:"files"`
	Current string       `json:"current"`
}

func (st *studio) read(w http.ResponseWriter, r *http.Request) {
	out := studioFiles{Current: st.current}
	for _, name := range st.files {
		src, err := zhengce.ReadPolicy(filepath.Join(st.dir, name), zhengce.Limits{})
		if err != nil {
			http.Error(w, zhengce.ErrorText(err, st.loc), http.StatusNotFound)
			return
		}
		out.Files = append(out.Files, studioFile{Name: name, Source: strings.TrimPrefix(string(src), "\uFEFF")})
	}
	writeStudioJSON(w, out)
}

// sources orders the page's files as the policy's, refusing a name that
// is not one of them: the page edits the policy's files and no other.
func (st *studio) sources(files []studioFile) ([]zhengce.Source, error) {
	text := map[string]string{}
	for _, f := range files {
		text[f.Name] = f.Source
	}
	if len(text) != len(st.files) {
		return nil, lang.Messagef("页面送来 %d 个文件，政策有 %d 个", "the page sent %d files; the policy has %d", len(text), len(st.files))
	}
	out := make([]zhengce.Source, 0, len(st.files))
	for _, name := range st.files {
		src, ok := text[name]
		if !ok {
			return nil, lang.Messagef("页面没有送来“%s”", "the page did not send %q", name)
		}
		out = append(out, zhengce.Source{Name: name, Text: []byte(src)})
	}
	return out, nil
}

// compile compiles the page's files as one policy.
func (st *studio) compile(files []studioFile, opts zhengce.Options) (*zhengce.Program, []zhengce.Source, error) {
	sources, err := st.sources(files)
	if err != nil {
		return nil, nil, err
	}
	prog, err := zhengce.CompileSources(sources, opts)
	return prog, sources, err
}

// studioCheck is what the page shows of the policy: the tokens of the file
// in the editor, the diagnostics, tests, names and rules of all its files,
// and the document with the rules' quotes.
type studioCheck struct {
	Tokens      []studioToken `json:"tokens"`
	Diagnostics []studioDiag  `json:"diagnostics"`
	Tests       []studioTest  `json:"tests"`
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

// studioDiag is a diagnostic in one of the files (File), at UTF-16
// offsets of that file; Line is for the list of the other files' ones.
type studioDiag struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	From     int    `json:"from"`
	To       int    `json:"to"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type studioTest struct {
	docTest
	File string `json:"file"`
	From int    `json:"from"`
}

type studioRule struct {
	Name string `json:"name"`
	File string `json:"file"`
	From int    `json:"from"`
	To   int    `json:"to"`
	// Mark is the data-rule of its quotes in the document pane: its place
	// among the statements that cite the text
	Mark int `json:"mark"`
}

type inputField struct {
	Name  string   `json:"name"`
	Type  string   `json:"type"`           // the type's English name, for the form's logic
	Label string   `json:"label"`          // the type's name for people
	Enum  []string `json:"enum,omitempty"` // categories the policy knows, offered as suggestions
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

// studioText is one file of a policy compiled from several: where its
// text starts in the joined text that positions refer to, and its tokens.
type studioText struct {
	name  string
	src   []byte // as the page holds it
	start int    // offset of its text in lang.JoinSources
	bom   int    // bytes of a byte order mark, not in the joined text
	at    []int  // byte offset → UTF-16 offset
	toks  []lang.Token
}

// studioTexts places each source in the joined text lang.JoinSources
// makes of them.
func studioTexts(sources []zhengce.Source) []*studioText {
	out := make([]*studioText, len(sources))
	for i, start := range lang.SourceStarts(sources) {
		s := sources[i]
		t := &studioText{name: s.Name, src: s.Text, start: start, at: utf16Offsets(s.Text), bom: len(s.Text) - len(lang.TrimBOM(s.Text))}
		t.toks, _ = lang.Lex(s.Name, s.Text, nil)
		out[i] = t
	}
	return out
}

// locate finds the file of a position in the joined text, and the byte
// offset in it; nil for a position in none.
func locate(texts []*studioText, p lang.Pos) (*studioText, int) {
	for _, t := range texts {
		if p.File == t.name && p.Offset >= t.start {
			return t, min(p.Offset-t.start+t.bom, len(t.src))
		}
	}
	return nil, 0
}

func (st *studio) check(w http.ResponseWriter, r *http.Request) {
	var req studioFiles
	if !st.readRequest(w, r, 16<<20, &req) {
		return
	}
	out := studioCheck{Tokens: []studioToken{}, Diagnostics: []studioDiag{}, Tests: []studioTest{}, Names: []string{}, Rules: []studioRule{}}
	sources, err := st.sources(req.Files)
	if err != nil {
		http.Error(w, zhengce.ErrorText(err, st.loc), http.StatusBadRequest)
		return
	}
	texts := studioTexts(sources)
	for _, t := range texts {
		if t.name != req.Current {
			continue
		}
		for _, tok := range t.toks {
			if tok.Kind == lang.TokEOF || tok.Kind == lang.TokEOL || tok.Pos.Offset+len(tok.Text) > len(t.src) {
				continue
			}
			out.Tokens = append(out.Tokens, studioToken{From: t.at[tok.Pos.Offset], To: t.at[tok.Pos.Offset+len(tok.Text)], Kind: strings.ToLower(tok.Kind.String())})
		}
	}
	diag := func(e *lang.Error, severity string) {
		t, from := locate(texts, e.Pos)
		if t == nil {
			out.Diagnostics = append(out.Diagnostics, studioDiag{Severity: severity, Message: e.Message(st.loc)})
			return
		}
		end := from
		for end < len(t.src) && t.src[end] != '\n' && t.src[end] != ' ' {
			end++
		}
		if end == from && from < len(t.src) {
			end = from + 1
		}
		out.Diagnostics = append(out.Diagnostics, studioDiag{File: t.name, Line: e.Pos.Line, From: t.at[from], To: t.at[end], Severity: severity, Message: e.Message(st.loc)})
	}
	prog, err := zhengce.CompileSources(sources, zhengce.Options{})
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
		dt := studioTest{docTest: docTest{Name: t.Name, Passed: len(t.Failures) == 0}}
		if file, at := locate(texts, t.Pos); file != nil {
			dt.File, dt.From = file.name, file.at[at]
		}
		if !dt.Passed {
			dt.Why = t.Failures[0].Text(st.loc)
			diag(&lang.Error{Pos: t.Pos, Zh: "测试未通过：" + t.Failures[0].Zh, En: "test failed: " + t.Failures[0].En}, "error")
		}
		out.Tests = append(out.Tests, dt)
	}
	checked := prog.Checked()
	choices := inputChoices(checked)
	for _, in := range prog.Inputs() {
		out.Names = append(out.Names, in.Name.Text)
		out.Inputs = append(out.Inputs, inputField{Name: in.Name.Text, Type: in.Type.English(), Label: (&lang.Message{Zh: in.Type.String(), En: in.Type.English()}).Text(st.loc), Enum: choices[in.Name.Text]})
	}
	for _, p := range checked.Params {
		out.Names = append(out.Names, p.Name.Text)
		out.Params = append(out.Params, p.Name.Text)
	}
	for _, d := range checked.Defs {
		out.Names = append(out.Names, d.Name.Text)
	}
	// rules: their span in their file, and their anchor in the document
	mark := map[string]int{}
	for i, c := range citing(checked.File) {
		if c.kind == nil {
			mark[c.name] = i
		}
	}
	for _, rule := range checked.Rules {
		out.Names = append(out.Names, rule.Name.Text)
		t, from := locate(texts, rule.Name.Pos)
		if t == nil {
			continue
		}
		to := len(t.src)
		for _, tok := range t.toks { // the rule's 结束 (or 結束, or end), as the lexer reads it
			if tok.Canon == "结束" && tok.Pos.Offset > from {
				to = tok.Pos.Offset + len(tok.Text)
				break
			}
		}
		out.Rules = append(out.Rules, studioRule{Name: rule.Name.Text, File: t.name, From: t.at[from], To: t.at[to], Mark: mark[rule.Name.Text]})
	}
	if text, err := os.ReadFile(st.source); err == nil {
		lit := buildLiterate(prog, string(text), nil, st.loc)
		var b strings.Builder
		inLanguage(studioDocTemplate, st.loc).Execute(&b, lit)
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
	Files  []studioFile   `json:"files"`
	Record map[string]any `json:"record"`
	AsOf   string         `json:"as_of"`
}

func (st *studio) try(w http.ResponseWriter, r *http.Request) {
	var req studioTry
	if !st.readRequest(w, r, 4<<20, &req) {
		return
	}
	prog, sources, err := st.compile(req.Files, zhengce.Options{})
	if err != nil {
		writeStudioJSON(w, map[string]string{"error": lang.FormatErrors(err, lang.JoinSources(sources), st.loc)})
		return
	}
	opts, err := studioAsOf(req.AsOf)
	if err != nil {
		writeStudioJSON(w, map[string]string{"error": zhengce.ErrorText(err, st.loc)})
		return
	}
	opts.Explain = true
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
	if !st.readRequest(w, r, 4<<20, &req) {
		return
	}
	if !slices.Contains(st.files, req.Name) {
		http.Error(w, lang.Messagef("“%s”不是这份政策的文件", "%q is not a file of this policy", req.Name).Text(st.loc), http.StatusBadRequest)
		return
	}
	out := []byte(req.Source)
	if formatted, err := lang.Format(out); err == nil {
		out = formatted // a text that does not lex is saved as typed
	}
	if err := os.WriteFile(filepath.Join(st.dir, req.Name), out, 0o644); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeStudioJSON(w, studioFile{Name: req.Name, Source: string(out)})
}

func writeStudioJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// maxEstimateRows bounds the rows the workbench's 测算 evaluates; a file
// with more is refused, not cut short (a total over part of it would read
// as the total).
const maxEstimateRows = 100_000

// estimateReader reads the data a page sent: text, or for a workbook its
// bytes in base64.
func estimateReader(text, format string) (data.Reader, io.Closer, error) {
	if format == ".xlsx" {
		workbook, err := base64.StdEncoding.DecodeString(text)
		if err != nil {
			return nil, nil, lang.Messagef("无法读取 xlsx 工作簿：%v", "the xlsx workbook cannot be read: %v", err)
		}
		return data.ReadXLSX(workbook)
	}
	reader, err := data.NewReader(strings.NewReader(text), format)
	return reader, io.NopCloser(nil), err
}

// studioAsOf is the evaluation date a page chose; none is today.
func studioAsOf(asOf string) (zhengce.EvalOptions, error) {
	var opts zhengce.EvalOptions
	if asOf == "" {
		return opts, nil
	}
	d, ok := lang.ParseDate(asOf)
	if !ok {
		return opts, lang.Messagef("评估日期“%s”不是日期，应如 2025-07-01", "the evaluation date %q is not a date such as 2025-07-01", asOf)
	}
	opts.AsOf = d
	return opts, nil
}

// studioDocTemplate is the document pane: the text with the quotes marked.
var studioDocTemplate = template.Must(template.New("doc").Funcs(template.FuncMap{"say": sayChinese}).Parse(
	`{{range .Paragraphs}}<p>{{range .Spans}}{{if .Rules}}<mark data-rule="{{index .Rules 0}}">{{.Text}}</mark>{{else if .Uncoded}}<span class="uncoded" title="{{say "未编码" "not encoded"}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}</p>{{end}}`))

// studioEstimate is a 测算: the text, a population and a change of
// parameters.
type studioEstimate struct {
	Files  []studioFile      `json:"files"`
	Data   string            `json:"data"`   // the file's text; a workbook's bytes in base64
	Format string            `json:"format"` // .csv, .json, .jsonl or .xlsx
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
	if !st.readRequest(w, r, 64<<20, &req) {
		return
	}
	fail := func(msg string) { writeStudioJSON(w, studioEstimateResult{Error: msg}) }
	base, sources, err := st.compile(req.Files, zhengce.Options{})
	if err != nil {
		fail(lang.FormatErrors(err, lang.JoinSources(sources), st.loc))
		return
	}
	reform, err := zhengce.CompileSources(sources, zhengce.Options{Params: req.Set})
	if err != nil {
		fail(zhengce.ErrorText(err, st.loc))
		return
	}
	opts, err := studioAsOf(req.AsOf)
	if err != nil {
		fail(zhengce.ErrorText(err, st.loc))
		return
	}
	reader, closer, err := estimateReader(req.Data, req.Format)
	if err != nil {
		fail(zhengce.ErrorText(err, st.loc))
		return
	}
	defer closer.Close()
	var records []zhengce.Record
	var nums []int
	var bad []string
	for {
		row, err := reader.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			bad = append(bad, zhengce.ErrorText(err, st.loc))
			break
		}
		if len(records) == maxEstimateRows {
			fail(lang.Messagef("数据超过 %d 行：工作台只测算这么多行，更多的数据请用 zhengce compare", "the data has more than %d rows: the workbench estimates no more; use zhengce compare for more", maxEstimateRows).Text(st.loc))
			return
		}
		row.Decode()
		if row.Err != nil {
			bad = append(bad, row.LabelIn(reader.IsArray(), st.loc == lang.English)+"："+zhengce.ErrorText(row.Err, st.loc))
			continue
		}
		records, nums = append(records, row.Record), append(nums, row.Num)
	}
	baseRes, baseErrs := zhengce.EvalBatch(r.Context(), base, records, "", opts)
	reformRes, reformErrs := zhengce.EvalBatch(r.Context(), reform, records, "", opts)
	for i := range records {
		// a row counted as failed says why, under the base or the reform
		if err := baseErrs[i]; err != nil {
			bad = append(bad, lang.Messagef("第 %d 行：", "row %d: ", nums[i]).Text(st.loc)+zhengce.ErrorText(err, st.loc))
		} else if err := reformErrs[i]; err != nil {
			bad = append(bad, lang.Messagef("第 %d 行（改革后）：", "row %d (reform): ", nums[i]).Text(st.loc)+zhengce.ErrorText(err, st.loc))
		}
	}
	cmp := comparison{Comparison: *zhengce.Compare(baseRes, reformRes, nums, nil), Loc: st.loc}
	cmp.chart(baseRes, reformRes, func(i int) string { return lang.Messagef("第 %d 行", "row %d", nums[i]).Text(st.loc) })
	var charts strings.Builder
	// the report's charts: cost per rule, each enterprise's change, and
	// the distribution of amounts
	report := inLanguage(reportTemplate, st.loc)
	for _, ch := range []*hbarChart{cmp.RuleChart, cmp.ChangeChart} {
		if ch != nil {
			report.ExecuteTemplate(&charts, "hbar", ch)
		}
	}
	report.ExecuteTemplate(&charts, "distribution", &cmp)
	if bad == nil {
		bad = []string{}
	}
	writeStudioJSON(w, studioEstimateResult{Comparison: cmp.JSON(), Charts: charts.String(), Bad: bad})
}
