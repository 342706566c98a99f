package lang

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/shopspring/decimal"
)

// parserOnce builds the participle parser on first use; the parser is
// immutable once built and safe for concurrent use.
var parserOnce = sync.OnceValues(newParser)

// exprParserOnce builds the parser of lone expressions on first use.
var exprParserOnce = sync.OnceValues(newExprParser)

// ParseExpr parses a single expression, such as the argument of
// "zhengce eval". The returned File holds the source, for spans.
func ParseExpr(filename string, src []byte, names []string) (*File, Expr, error) {
	toks, err := Lex(filename, src, names)
	if err != nil {
		return nil, nil, err
	}
	p, err := exprParserOnce()
	if err != nil {
		return nil, nil, fmt.Errorf("zhengce: building the grammar: %w", err)
	}
	peek, err := lexer.Upgrade(&tokenStream{toks: toks})
	if err != nil {
		return nil, nil, err
	}
	g, err := p.ParseFromLexer(peek)
	if err != nil {
		return nil, nil, ErrorList{syntaxError(err, toks)}
	}
	c := &converter{file: &File{Name: filename, Src: src}, toks: toks}
	e := c.expr(g.X)
	if len(c.errs) > 0 {
		return nil, nil, c.errs
	}
	return c.file, e, nil
}

// Parse parses a policy file. names lists names defined outside the file
// (the built-in functions), which the lexer needs to split Han text into
// words. Errors are an ErrorList with positions.
func Parse(filename string, src []byte, names []string) (*File, error) {
	toks, warns, err := lex(filename, src, names)
	if err != nil {
		return nil, err
	}
	return parseTokens(&File{Name: filename, Src: src, Warnings: warns, Files: []*FileInfo{{Name: filename}}}, toks)
}

// ParseSources parses a policy written as several files (a document's
// folder): one program, whose names are shared, and whose 政策, 有效期
// and test data (默认数据) belong each to its file. An input declared in
// two files with one type is one input.
func ParseSources(sources []Source, names []string) (*File, error) {
	joined := JoinSources(sources)
	toks, warns, err := lexLines(joinedLineTable(sources, joined), joined, names)
	if err != nil {
		return nil, err
	}
	f := &File{Src: joined, Warnings: warns}
	for _, s := range sources {
		f.Files = append(f.Files, &FileInfo{Name: s.Name})
	}
	if len(sources) > 0 {
		f.Name = sources[0].Name
	} else {
		f.Files = []*FileInfo{{}}
	}
	return parseTokens(f, toks)
}

// parseTokens parses the tokens of f's text, a statement at a time.
func parseTokens(f *File, toks []Token) (*File, error) {
	p, err := parserOnce()
	if err != nil {
		return nil, fmt.Errorf("zhengce: building the grammar: %w", err)
	}
	peek, err := lexer.Upgrade(&tokenStream{toks: toks})
	if err != nil {
		return nil, err
	}
	c := &converter{file: f, toks: toks}
	for {
		if t := peek.Peek(); t.EOF() {
			break
		} else if t.Type == tokenTypes["EOL"] {
			peek.Next() // a file of nothing but a line break
			continue
		}
		g, err := p.ParseFromLexer(peek, participle.AllowTrailing(true))
		if err != nil {
			return nil, ErrorList{syntaxError(err, toks)}
		}
		c.stmt(g.Stmt)
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	first := f.Files[0]
	f.Policy, f.Validity, f.TestDefaults = first.Policy, first.Validity, first.TestDefaults
	return c.file, nil
}

// fileOf returns the file a position is in.
func (c *converter) fileOf(p Pos) *FileInfo {
	for _, fi := range c.file.Files {
		if fi.Name == p.File {
			return fi
		}
	}
	return c.file.Files[0]
}

// syntaxError turns a participle error into an Error in Chinese and English.
func syntaxError(err error, toks []Token) *Error {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return &Error{Zh: "语法错误：" + err.Error(), En: "syntax error: " + err.Error()}
	}
	lp := perr.Position()
	pos := Pos{File: lp.Filename, Offset: lp.Offset, Line: lp.Line, Col: lp.Column}
	var unexpected *participle.UnexpectedTokenError
	if !errors.As(err, &unexpected) { // participle's other messages are in its own terms, not a drafter's
		return &Error{Pos: pos, Zh: "语法错误：这里的写法无法理解", En: "syntax error: what is written here cannot be understood"}
	}
	what := describeToken(toks, unexpected.Unexpected.Pos.Offset, unexpected.Unexpected.Type)
	expected := ""
	if _, after, ok := strings.Cut(unexpected.Message(), "(expected "); ok {
		expected = strings.TrimSuffix(after, ")")
		// For a sequence such as `"否则" GExpr` or `(":" | "那么") GExpr`,
		// name only what must come next.
		if strings.HasPrefix(expected, "(") {
			depth := 0
			for i, r := range expected {
				if r == '(' {
					depth++
				} else if r == ')' {
					if depth--; depth == 0 {
						expected = expected[1:i]
						break
					}
				}
			}
		} else if !strings.Contains(expected, " | ") {
			if first, _, ok := strings.Cut(expected, " "); ok {
				expected = first
			}
		}
	}
	if tok := tokenAtOffset(toks, unexpected.Unexpected.Pos.Offset); tok != nil && tok.Kind == TokKeyword && (strings.Contains(expected, "GName") || strings.Contains(expected, "<ident>")) {
		return &Error{Pos: pos,
			Zh: fmt.Sprintf("“%[1]s”是关键字，不能用作名称；请换一个名称，如“%[1]s值”", tok.Text),
			En: fmt.Sprintf("%[1]q is a keyword and cannot be a name; choose another, such as %[1]q + a word", tok.Text)}
	}
	zh, en := describeExpected(expected)
	if zh == "" {
		return &Error{Pos: pos,
			Zh: fmt.Sprintf("语法错误：此处不应出现%s", what[0]),
			En: fmt.Sprintf("syntax error: unexpected %s", what[1])}
	}
	return &Error{Pos: pos,
		Zh: fmt.Sprintf("语法错误：此处不应出现%s，应为%s", what[0], zh),
		En: fmt.Sprintf("syntax error: unexpected %s, expected %s", what[1], en)}
}

// tokenAtOffset is the token (not an end of line) that starts at offset.
func tokenAtOffset(toks []Token, offset int) *Token {
	i := sort.Search(len(toks), func(i int) bool { return toks[i].Pos.Offset >= offset })
	for ; i < len(toks) && toks[i].Pos.Offset == offset; i++ {
		if toks[i].Kind != TokEOL {
			return &toks[i]
		}
	}
	return nil
}

// describeToken names the token at offset for a message, in Chinese and English.
func describeToken(toks []Token, offset int, typ lexer.TokenType) [2]string {
	if typ == lexer.EOF {
		return [2]string{"文件结尾", "end of file"}
	}
	i := sort.Search(len(toks), func(i int) bool { return toks[i].Pos.Offset >= offset })
	for ; i < len(toks) && toks[i].Pos.Offset == offset; i++ {
		if toks[i].Kind == TokEOL && typ == tokenTypes["EOL"] {
			if i+1 < len(toks) && toks[i+1].Kind == TokEOF {
				return [2]string{"结尾", "end of input"}
			}
			return [2]string{"换行", "end of line"}
		}
		if toks[i].Kind != TokEOL {
			return [2]string{"“" + toks[i].Text + "”", fmt.Sprintf("%q", toks[i].Text)}
		}
	}
	return [2]string{"换行", "end of line"}
}

// grammarNames matches the names of grammar structs in participle's messages.
var grammarNames = regexp.MustCompile(`\bG[A-Z][A-Za-z]*\b`)

// expectedItems matches what participle says may come next: a quoted word,
// a kind of token, or a part of the grammar.
var expectedItems = regexp.MustCompile(`"[^"]*"|<[a-z]+>|\bG[A-Z][A-Za-z]*\b`)

// describeExpected rewrites participle's "expected" text for people: the
// words and kinds of thing that may come next, as a plain list ("“至”、表达式
// 或换行"), never the grammar's own notation (+, *, ?, brackets, |).
func describeExpected(s string) (zh, en string) {
	kinds := map[string][2]string{
		"<expr>": {"表达式", "an expression"}, "<ident>": {"名称", "a name"}, "<number>": {"数字", "a number"},
		"<string>": {"带引号的文字", "quoted text"}, "<eol>": {"换行", "end of line"}, "<date>": {"日期", "a date"},
		"<ratio>": {"比例（如 5∶2）", "a ratio such as 5:2"}, "GName": {"名称", "a name"},
	}
	var zhs, ens []string
	seen := map[string]bool{}
	for _, item := range expectedItems.FindAllString(s, -1) {
		var w [2]string
		switch {
		case strings.HasPrefix(item, `"`):
			word := strings.Trim(item, `"`)
			zhWord := map[string]string{":": "：", ",": "，", "(": "（", ")": "）"}[word]
			if zhWord == "" {
				zhWord = word
			}
			w = [2]string{"“" + zhWord + "”", fmt.Sprintf("%q", englishKeyword(word))}
		case kinds[item] != [2]string{}:
			w = kinds[item]
		default:
			w = kinds["<expr>"] // another part of the grammar: an expression, as a person sees it
		}
		if !seen[w[0]] {
			seen[w[0]] = true
			zhs, ens = append(zhs, w[0]), append(ens, w[1])
		}
	}
	if len(zhs) > 5 {
		zhs, ens = zhs[:5], ens[:5] // the first few say enough
	}
	return joinOr(zhs, "、", "或"), joinOr(ens, ", ", " or ")
}

// englishKeyword is the English spelling of a keyword in its canonical
// form (金额 → money), or the word itself when it has none.
func englishKeyword(canon string) string {
	best := ""
	for spelling, c := range keywords {
		if c == canon && spelling[0] < 0x80 && (best == "" || len(spelling) < len(best) || (len(spelling) == len(best) && spelling < best)) {
			best = spelling
		}
	}
	if best == "" {
		return canon
	}
	return best
}

// joinOr joins words as a list of choices: A、B或C; A, B or C.
func joinOr(words []string, sep, or string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], sep) + or + words[len(words)-1]
}

// converter builds the syntax tree from the participle structs.
type converter struct {
	file *File
	toks []Token
	errs ErrorList
}

func (c *converter) pos(p lexer.Position) Pos {
	return Pos{File: p.Filename, Offset: p.Offset, Line: p.Line, Col: p.Column}
}

// tokenAt returns the token that starts at byte offset off.
func (c *converter) tokenAt(off int) *Token {
	i := sort.Search(len(c.toks), func(i int) bool { return c.toks[i].Pos.Offset >= off })
	for ; i < len(c.toks) && c.toks[i].Pos.Offset == off; i++ {
		if c.toks[i].Kind != TokEOL {
			return &c.toks[i]
		}
	}
	return nil
}

// span returns the source range from start up to the end of the last token
// before end (participle's EndPos is where the next token starts).
func (c *converter) span(start, end lexer.Position) Span {
	i := sort.Search(len(c.toks), func(i int) bool { return c.toks[i].Pos.Offset >= end.Offset }) - 1
	for i >= 0 && c.toks[i].Kind == TokEOL {
		i--
	}
	if i < 0 || c.toks[i].Pos.Offset < start.Offset {
		return Span{start.Offset, start.Offset}
	}
	return Span{start.Offset, c.toks[i].Pos.Offset + len(c.toks[i].Text)}
}

func (c *converter) node(start, end lexer.Position) node {
	return node{Pos: c.pos(start), Text: c.span(start, end)}
}

func (c *converter) name(n *gName) Name {
	return Name{Pos: c.pos(n.Pos), Text: n.Text, Key: strings.Map(fold, n.Text)}
}

func (c *converter) stmt(s *gStmt) {
	f := c.file
	switch {
	case s.Input != nil:
		for _, it := range s.Input.Items {
			fi := c.fileOf(c.pos(it.Name.Pos))
			fi.Inputs = append(fi.Inputs, strings.Map(fold, it.Name.Text))
			t := typeByKeyword[it.Type]
			if it.Fields != nil {
				rec := &RecordType{}
				for _, fl := range it.Fields {
					rec.Fields = append(rec.Fields, Field{Name: c.name(fl.Name), Type: typeByKeyword[fl.Type]})
				}
				t = Type{Kind: KindList, Rec: rec}
			}
			in := &Input{Name: c.name(it.Name), Type: t}
			if it.Unit != nil {
				in.Unit = strings.Trim(*it.Unit, "（）() ")
				if _, ok := UnitScale(t.Kind, in.Unit); !ok || t.Rec != nil {
					c.errs = append(c.errs, errorf(c.pos(it.Name.Pos), "输入“%[1]s”的单位“%[2]s”不能换算成%[3]s：金额写元、万元或亿元，比例写 %%，数值写家、人、项等",
						"the unit %[2]q of input %[1]q cannot be read as %[4]s: amounts take 元, 万元 or 亿元, ratios %%, numbers 家, 人, 项 and the like", in.Name.Text, in.Unit, t, t.English()))
				}
			}
			f.Stmts = append(f.Stmts, in)
		}
	case s.Param != nil:
		f.Stmts = append(f.Stmts, c.param(s.Param))
	case s.Enterprise != nil:
		if f.EnterpriseKey != "" {
			c.errs = append(c.errs, errorf(c.pos(s.Enterprise.Pos), "“同一企业”已声明过一次", "同一企业 (enterprise) is declared twice"))
		}
		f.EnterpriseKey = strings.TrimSpace(unquoteIf(s.Enterprise.Column))
	case s.AsOf != nil:
		if f.AsOfInput != nil {
			c.errs = append(c.errs, errorf(c.pos(s.AsOf.Pos), "评估日期已声明过一次", "the evaluation date is declared twice"))
		}
		n := c.name(s.AsOf)
		f.AsOfInput = &n
	case s.Assign != nil:
		f.Stmts = append(f.Stmts, c.assign(s.Assign))
	case s.Excl != nil:
		x := &Exclusive{Name: c.name(s.Excl.Name)}
		for _, cl := range s.Excl.Clauses {
			x.Cites = append(x.Cites, unquoteAll(cl.Cites)...)
			for _, n := range cl.Rules {
				x.Rules = append(x.Rules, c.name(n))
			}
		}
		f.Stmts = append(f.Stmts, x)
	case s.Limit != nil:
		l := &Limit{Name: c.name(s.Limit.Name)}
		for _, cl := range s.Limit.Clauses {
			l.Cites = append(l.Cites, unquoteAll(cl.Cites)...)
			if cl.Amount != nil || cl.Most != nil {
				if l.Amount != nil {
					c.errs = append(c.errs, errorf(c.pos(cl.Pos), "上限“%s”的额度已写过一次", "the cap %q has its 额度 (limit) twice", l.Name.Text))
				}
				if cl.Amount != nil {
					l.Amount = c.expr(cl.Amount)
				} else {
					l.Amount, l.Scope = c.expr(cl.Most), strings.TrimSuffix(cl.Scope, "最高")
				}
			}
			for _, n := range cl.Rules {
				l.Rules = append(l.Rules, c.name(n))
			}
		}
		f.Stmts = append(f.Stmts, l)
	case s.Deny != nil:
		d := &Deny{Name: c.name(s.Deny.Name)}
		for _, cl := range s.Deny.Clauses {
			d.Cites = append(d.Cites, unquoteAll(cl.Cites)...)
			if cl.Cond != nil {
				if d.Cond != nil {
					c.errs = append(c.errs, errorf(c.pos(cl.Pos), "“%s”已有条件；多种情形请用“或”连接", "%q already has a condition; join the cases with 或 (or)", d.Name.Text))
				}
				d.Cond = c.expr(cl.Cond)
			}
			for _, n := range cl.Rules {
				d.Rules = append(d.Rules, c.name(n))
			}
		}
		f.Stmts = append(f.Stmts, d)
	case s.Budget != nil:
		b := &Budget{Name: c.name(s.Budget.Name)}
		for _, cl := range s.Budget.Clauses {
			b.Cites = append(b.Cites, unquoteAll(cl.Cites)...)
			if cl.Total != nil {
				b.Total = c.expr(cl.Total)
			}
			b.Yearly = b.Yearly || cl.Yearly
			for _, n := range cl.Rules {
				b.Rules = append(b.Rules, c.name(n))
			}
		}
		f.Stmts = append(f.Stmts, b)
	case s.Quota != nil:
		q := &Quota{Name: c.name(s.Quota.Name)}
		for _, cl := range s.Quota.Clauses {
			q.Cites = append(q.Cites, unquoteAll(cl.Cites)...)
			switch {
			case cl.Count != nil:
				q.Count = c.expr(cl.Count)
			case cl.Ranks != nil:
				for _, r := range cl.Ranks {
					q.Ranks = append(q.Ranks, c.expr(r))
				}
				q.Rank = q.Ranks[0]
			case cl.Yearly:
				q.Yearly = true
			case cl.FirstCome:
				q.FirstCome = true
			}
			for _, n := range cl.Rules {
				q.Rules = append(q.Rules, c.name(n))
			}
		}
		f.Stmts = append(f.Stmts, q)
	case s.Policy != nil:
		c.fileOf(c.pos(s.Policy.Pos)).Policy = unquote(s.Policy.Name)
	case s.Valid != nil:
		fi := c.fileOf(c.pos(s.Valid.Pos))
		if fi.Validity != nil {
			c.errs = append(c.errs, errorf(c.pos(s.Valid.Pos), "政策的有效期已写过一次", "the policy's validity is given twice"))
		}
		fi.Validity = c.validity(s.Valid)
	case s.Test != nil:
		t := c.test(s.Test)
		t.File = c.fileOf(t.Pos)
		f.Tests = append(f.Tests, t)
	case s.Defaults != nil:
		for _, gv := range s.Defaults {
			fi := c.fileOf(c.pos(gv.Name.Pos))
			fi.TestDefaults = append(fi.TestDefaults, &Assign{Name: c.name(gv.Name), Value: c.expr(gv.Value)})
		}
	case s.Rule != nil:
		r := &Rule{Name: c.name(s.Rule.Name), Pays: -1}
		r.File = c.fileOf(r.Name.Pos)
		for _, cl := range s.Rule.Clauses {
			switch {
			case cl.Valid != nil:
				r.Validity = c.validity(cl.Valid)
			case cl.Cites != nil:
				r.Cites = append(r.Cites, unquoteAll(cl.Cites)...)
			case cl.Cond != nil:
				if r.Cond != nil {
					c.errs = append(c.errs, errorf(c.pos(cl.Cond.Pos), "规则“%s”已有条件；多个条件请用“且”连接",
						"rule %q already has a condition; join conditions with 且 (and)", r.Name.Text))
				}
				r.Cond = c.expr(cl.Cond)
				r.Body = append(r.Body, BodyItem{Kind: BodyCond})
			case cl.Except != nil:
				x := &Exception{Pos: c.pos(cl.Except.Pos), Cond: c.expr(cl.Except.Cond)}
				for _, a := range cl.Except.Assigns {
					x.Assigns = append(x.Assigns, c.assign(a))
				}
				r.Body = append(r.Body, BodyItem{Kind: BodyException, Index: len(r.Exceptions)})
				r.Exceptions = append(r.Exceptions, x)
			case cl.Once:
				r.Once = true
			case cl.NoFunds:
				p := c.pos(cl.Pos)
				r.NoFunds = &p
			case cl.Consecutive != nil:
				r.Consecutive = c.expr(cl.Consecutive)
			case cl.Pays != nil:
				if r.Pays >= 0 {
					first := r.Outputs[r.Pays].Name
					c.errs = append(c.errs, errorf(c.pos(cl.Pays.Name.Pos), "规则“%[1]s”已给予“%[2]s”；一条规则只给予一个金额，其余的输出不写“给予”",
						"rule %[1]q already pays %[2]q; a rule pays one amount, its other outputs are written without 给予 (pay)", r.Name.Text, first.Text))
				}
				r.Pays = len(r.Outputs)
				r.Body = append(r.Body, BodyItem{Kind: BodyOutput, Index: len(r.Outputs)})
				r.Outputs = append(r.Outputs, c.assign(cl.Pays))
			case cl.Assign != nil:
				r.Body = append(r.Body, BodyItem{Kind: BodyOutput, Index: len(r.Outputs)})
				r.Outputs = append(r.Outputs, c.assign(cl.Assign))
			}
		}
		f.Stmts = append(f.Stmts, r)
	}
}

// param converts a parameter; one that changes by date has a date on
// every value, in order.
func (c *converter) param(g *gParam) *Param {
	p := &Param{Name: c.name(g.Name), Value: c.expr(g.Periods[0].Value)}
	if len(g.Periods) == 1 && g.Periods[0].From == "" {
		return p
	}
	for i, gp := range g.Periods {
		pos := c.pos(gp.Pos)
		if gp.From == "" {
			c.errs = append(c.errs, errorf(pos, "参数“%s”随日期变化：每个值都要写明自哪一天起，如“15%% 自 2026年1月1日”", "parameter %q changes by date: say from when each value holds, as in 15%% 自 2026年1月1日", p.Name.Text))
			continue
		}
		d, ok := ParseDate(gp.From)
		if !ok {
			c.errs = append(c.errs, errorf(pos, "日期“%s”不存在", "no such date %q", gp.From))
			continue
		}
		if i > 0 && len(p.Periods) > 0 && p.Periods[len(p.Periods)-1].From.Compare(d) >= 0 {
			prev := p.Periods[len(p.Periods)-1].From
			c.errs = append(c.errs, errorf(pos, "参数“%s”的各个值应按日期先后写，不能重叠：%s 不晚于前一个值的 %s", "the values of parameter %q must be in date order, without overlap: %s is not after the previous %s", p.Name.Text, d.Chinese(), prev.Chinese()))
		}
		p.Periods = append(p.Periods, ParamPeriod{Pos: pos, From: d, Value: c.expr(gp.Value)})
	}
	return p
}

func (c *converter) validity(g *gValid) *Validity {
	v := &Validity{Pos: c.pos(g.Pos)}
	if g.By != nil {
		n := c.name(g.By)
		v.By = &Ref{node: node{Pos: n.Pos, Text: Span{n.Pos.Offset, n.Pos.Offset + len(n.Text)}}, Name: n}
	}
	for _, d := range []struct {
		text string
		dst  **Date
	}{{g.From, &v.From}, {g.Until, &v.Until}} {
		if d.text == "" {
			continue
		}
		date, ok := ParseDate(d.text)
		if !ok {
			c.errs = append(c.errs, errorf(v.Pos, "日期“%s”不存在", "no such date %q", d.text))
		}
		*d.dst = &date
	}
	if v.From != nil && v.Until != nil && v.From.Compare(*v.Until) > 0 {
		c.errs = append(c.errs, errorf(v.Pos, "有效期的起始日期晚于截止日期", "the validity starts after it ends"))
	}
	return v
}

func (c *converter) test(g *gTest) *Test {
	t := &Test{Pos: c.pos(g.Pos), Name: unquote(g.Name)}
	for _, cl := range g.Clauses {
		switch {
		case cl.Given != nil:
			for _, gv := range cl.Given {
				t.Given = append(t.Given, &Assign{Name: c.name(gv.Name), Value: c.expr(gv.Value)})
			}
		case cl.AsOf != "":
			d, ok := ParseDate(cl.AsOf)
			if !ok {
				c.errs = append(c.errs, errorf(t.Pos, "日期“%s”不存在", "no such date %q", cl.AsOf))
			}
			t.AsOf = &d
		case cl.Expect != nil:
			e := cl.Expect
			x := &Expect{Pos: c.pos(e.Pos), Total: e.Total, NA: e.NA, Applies: e.Applies, Reason: unquote(e.Reason)}
			if e.Rule != nil {
				x.Name = c.name(e.Rule)
			}
			if e.Field != nil {
				f := c.name(e.Field)
				x.Field = &f
			}
			if e.Value != nil {
				x.Value = c.expr(e.Value)
			}
			t.Expects = append(t.Expects, x)
		}
	}
	return t
}

func (c *converter) assign(a *gAssign) *Assign {
	return &Assign{Name: c.name(a.Name), Value: c.expr(a.Value)}
}

// unquote strips the quotes of a string token.
// unquoteAll unquotes each of qs.
func unquoteAll(qs []string) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = unquote(q)
	}
	return out
}

// unquoteIf strips the quotes of a string token, and leaves a name as it is.
func unquoteIf(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	if closingQuote[r] != 0 || fold(r) == '"' {
		return unquote(s)
	}
	return s
}

func unquote(s string) string {
	r := []rune(s)
	if len(r) >= 2 {
		return string(r[1 : len(r)-1])
	}
	return s
}

func (c *converter) expr(e *gExpr) Expr {
	if e.If != nil {
		return &If{node: c.node(e.Pos, e.EndPos), Cond: c.expr(e.If.Cond), Then: c.expr(e.If.Then), Else: c.expr(e.If.Else)}
	}
	return c.or(e.Or)
}

func (c *converter) binary(x Expr, start, opPos, end lexer.Position, op BinOp, y Expr) Expr {
	word := ""
	if t := c.tokenAt(opPos.Offset); t != nil {
		word = t.Text
	}
	return &Binary{node: c.node(start, end), Op: op, Word: word, OpPos: c.pos(opPos), X: x, Y: y}
}

func (c *converter) or(g *gOr) Expr {
	x := c.and(g.Left)
	for _, r := range g.Rest {
		// the operator is the token just before the operand
		x = c.binary(x, g.Pos, c.tokenBefore(r.Pos), r.EndPos, OpOr, c.and(r))
	}
	return x
}

func (c *converter) and(g *gAnd) Expr {
	x := c.not(g.Left)
	for _, r := range g.Rest {
		x = c.binary(x, g.Pos, c.tokenBefore(r.Pos), r.EndPos, OpAnd, c.not(r))
	}
	return x
}

// tokenBefore returns the position of the token before p.
func (c *converter) tokenBefore(p lexer.Position) lexer.Position {
	i := sort.Search(len(c.toks), func(i int) bool { return c.toks[i].Pos.Offset >= p.Offset }) - 1
	for i >= 0 && c.toks[i].Kind == TokEOL {
		i--
	}
	if i < 0 {
		return p
	}
	t := c.toks[i].Pos
	return lexer.Position{Filename: t.File, Offset: t.Offset, Line: t.Line, Column: t.Col}
}

func (c *converter) not(g *gNot) Expr {
	x := c.cmp(g.X)
	for range g.Nots {
		x = &Unary{node: c.node(g.Pos, g.EndPos), Op: OpNot, X: x}
	}
	return x
}

var comparisonOps = map[string]BinOp{
	">=": OpGe, ">": OpGt, "<=": OpLe, "<": OpLt, "==": OpEq, "=": OpEq, "!=": OpNe,
	"以上": OpGe, "以下": OpLe,
}

func (c *converter) cmp(g *gCmp) Expr {
	x := c.capExpr(g.Left)
	t := g.Tail
	if t == nil {
		return x
	}
	if t.Post != nil {
		word := t.Post.Word
		if tok := c.tokenAt(t.Post.Pos.Offset); tok != nil {
			word = tok.Text
		}
		op := comparisonOps[t.Post.Word]
		if t.BoundIncl != nil && t.BoundIncl.Word == "不含" { // 10%（不含）以上: more than
			op = map[BinOp]BinOp{OpGe: OpGt, OpLe: OpLt}[op]
		}
		return &Binary{node: c.node(g.Pos, g.EndPos), Op: op, Word: word, OpPos: c.pos(t.Post.Pos), X: x, Y: c.capExpr(t.Bound)}
	}
	op := comparisonOps[t.Op]
	c.agrees(op, t.RightIncl, t.Again)
	return c.binary(x, g.Pos, t.Pos, g.EndPos, op, c.capExpr(t.Right))
}

// rangeOf converts a tier's or a bracket's range, reading its words as
// the Civil Code does: 以上 and 以下 include the bound, 超过 and 不满 do
// not, （含） and （不含） say so outright, and 至 includes both ends unless
// marked.
func (c *converter) rangeOf(g *gEntry) *Range {
	text := string(c.file.Src[g.Pos.Offset:g.Value.Pos.Offset]) // up to the value, then less the colon
	text = strings.TrimRight(strings.TrimSpace(text), ":：")
	r := &Range{Pos: c.pos(g.Pos), Text: strings.TrimSpace(text)}
	incl := func(i *gIncl, def bool) bool {
		if i == nil {
			return def
		}
		return i.Word == "含"
	}
	switch {
	case g.Op != "":
		op := comparisonOps[g.Op]
		c.agrees(op, g.Incl, g.Again)
		b := c.add(g.Bound)
		if op == OpGe || op == OpGt {
			r.Lo, r.LoIncl = b, op == OpGe
		} else {
			r.Hi, r.HiIncl = b, op == OpLe
		}
	case g.Hi != nil:
		r.Lo, r.LoIncl = c.expr(g.Key), incl(g.KeyIncl, true)
		r.Hi, r.HiIncl = c.add(g.Hi), incl(g.HiIncl, true)
	case g.Post != nil:
		b := c.expr(g.Key)
		if g.Post.Word == "以上" {
			r.Lo, r.LoIncl = b, incl(g.KeyIncl, true)
		} else {
			r.Hi, r.HiIncl = b, incl(g.KeyIncl, true)
		}
	default:
		c.errs = append(c.errs, errorf(r.Pos, "“%[1]s”不是一个范围：请写“X以上”“超过X”“X至Y”等", "%[1]q is not a range: write \"X以上\", \"超过X\", \"X至Y\" and the like", r.Text))
		r.Lo, r.LoIncl = c.expr(g.Key), true
	}
	return r
}

// agrees checks that the words after a comparison's bound say what its
// word does: 达到 10%（含）以上 and 超过 5000万元（不含） agree; 超过 5000万元
// （含） and 达到 10% 以下 contradict themselves, and are errors rather
// than a guess at which word was meant.
func (c *converter) agrees(op BinOp, incl *gIncl, again *gWord) {
	strict := op == OpGt || op == OpLt
	if incl != nil {
		switch {
		case op == OpEq || op == OpNe:
			c.errs = append(c.errs, errorf(c.pos(incl.Pos), "“（%[1]s）”只能跟在界限之后，如“达到 10%%（含）以上”", "%[1]q follows a bound only, as in \"达到 10%%（含）以上\"", incl.Word))
		case strict && incl.Word == "含":
			c.errs = append(c.errs, errorf(c.pos(incl.Pos), "“超过”“低于”不包括本数，与“（含）”矛盾：包括本数请写“达到”或“不超过”", `"超过" and "低于" exclude the bound, which contradicts "（含）"; to include it write "达到" or "不超过"`))
		case !strict && incl.Word == "不含":
			c.errs = append(c.errs, errorf(c.pos(incl.Pos), "“达到”“不超过”包括本数，与“（不含）”矛盾：不包括本数请写“超过”或“低于”", `"达到" and "不超过" include the bound, which contradicts "（不含）"; to exclude it write "超过" or "低于"`))
		}
	}
	if again != nil {
		up := again.Word == "以上"
		if (up && op != OpGe && op != OpGt) || (!up && op != OpLe && op != OpLt) {
			c.errs = append(c.errs, errorf(c.pos(again.Pos), "比较的方向与“%[1]s”矛盾", "the comparison's direction contradicts %[1]q", again.Word))
		}
	}
}

func (c *converter) capExpr(g *gCap) Expr {
	x := c.add(g.Left)
	for _, r := range g.Rest {
		if r.With != nil { // A 与 B 孰低: the lower, as A 最高 B
			op := OpCap
			if r.Which == "孰高" {
				op = OpFloor
			}
			b := c.binary(x, g.Pos, r.Pos, r.EndPos, op, c.add(r.With)).(*Binary)
			b.Word = r.Which
			x = b
			continue
		}
		op := OpCap
		if r.Op == "最低" {
			op = OpFloor
		}
		x = c.binary(x, g.Pos, r.Pos, r.X.EndPos, op, c.add(r.X))
	}
	return x
}

func (c *converter) add(g *gAdd) Expr {
	x := c.mul(g.Left)
	for _, r := range g.Rest {
		op := OpAdd
		if r.Op == "-" {
			op = OpSub
		}
		x = c.binary(x, g.Pos, r.Pos, r.X.EndPos, op, c.mul(r.X))
	}
	return x
}

func (c *converter) mul(g *gMul) Expr {
	x := c.unary(g.Left)
	for _, r := range g.Rest {
		op := OpMul
		if r.Op == "/" {
			op = OpDiv
		}
		x = c.binary(x, g.Pos, r.Pos, r.X.EndPos, op, c.unary(r.X))
	}
	return x
}

func (c *converter) unary(g *gUnary) Expr {
	x := c.primary(g.X)
	for i := len(g.Signs) - 1; i >= 0; i-- {
		if g.Signs[i] == "-" {
			x = &Unary{node: c.node(g.Pos, g.EndPos), Op: OpNeg, X: x}
		}
	}
	return x
}

func (c *converter) primary(g *gPrimary) Expr {
	n := c.node(g.Pos, g.EndPos)
	switch {
	case g.Number != nil:
		v, t, err := ParseNumber(*g.Number)
		switch {
		case err != nil && len(*g.Number) > MaxNumberLength:
			c.errs = append(c.errs, errorf(n.Pos, "数字过长：最多 %d 个字符", "number too long: at most %d characters", MaxNumberLength))
		case err != nil:
			c.errs = append(c.errs, errorf(n.Pos, "无法识别的数字“%s”", "malformed number %q", Clip(*g.Number)))
		}
		return &NumberLit{node: n, Value: v, Type: t}
	case g.Date != nil:
		d, ok := ParseDate(*g.Date)
		if !ok {
			c.errs = append(c.errs, errorf(n.Pos, "日期“%s”不存在", "no such date %q", *g.Date))
		}
		return &DateLit{node: n, Value: d}
	case g.Ratio != nil:
		var parts []decimal.Decimal
		for _, p := range strings.Split(strings.Map(fold, *g.Ratio), ":") {
			v, err := decimal.NewFromString(p)
			if err != nil || !v.IsPositive() {
				c.errs = append(c.errs, errorf(n.Pos, "比例“%s”的各项须为正数", "every part of the ratio %q must be positive", *g.Ratio))
			}
			parts = append(parts, v)
		}
		return &SharesLit{node: n, Parts: parts}
	case g.Str != nil:
		return &StringLit{node: n, Value: unquote(*g.Str)}
	case g.Bool != nil:
		return &BoolLit{node: n, Value: *g.Bool == "真"}
	case g.AsOf:
		return &AsOf{node: n}
	case g.Each != nil:
		list := c.name(g.Each.List)
		e := &Each{node: n, List: &Ref{node: node{Pos: list.Pos, Text: Span{list.Pos.Offset, list.Pos.Offset + len(list.Text)}}, Name: list}, Value: c.expr(g.Each.Value)}
		if g.Each.Where != nil {
			e.Where = c.expr(g.Each.Where)
		}
		return e
	case g.List != nil:
		l := &ListLit{node: n}
		for _, r := range g.List.Items {
			rec := RecordLit{Pos: c.pos(r.Pos)}
			for _, fv := range r.Fields {
				rec.Fields = append(rec.Fields, &Assign{Name: c.name(fv.Name), Value: c.expr(fv.Value)})
			}
			l.Items = append(l.Items, rec)
		}
		return l
	case g.Lookup != nil:
		l := &Lookup{node: n, Key: c.expr(g.Lookup.Key), Brackets: g.Lookup.Brackets}
		for _, e := range g.Lookup.Entries {
			if e.Op != "" || e.KeyIncl != nil || e.Hi != nil || e.Post != nil || e.Part {
				l.Entries = append(l.Entries, LookupEntry{Range: c.rangeOf(e), Value: c.expr(e.Value)})
				continue
			}
			l.Entries = append(l.Entries, LookupEntry{Key: c.expr(e.Key), Value: c.expr(e.Value)})
		}
		return l
	case g.Ref != nil && g.Ref.Field != nil:
		if g.Ref.Call {
			c.errs = append(c.errs, errorf(n.Pos, "“%s.%s”不是函数", "%s.%s is not a function", g.Ref.Name.Text, g.Ref.Field.Text))
		}
		f := g.Ref.Field
		return &Selector{node: n, Rule: c.name(g.Ref.Name), Field: Name{Pos: c.pos(f.Pos), Text: f.Text, Key: strings.Map(fold, f.Text)}}
	case g.Ref != nil:
		if !g.Ref.Call {
			return &Ref{node: n, Name: c.name(g.Ref.Name)}
		}
		call := &Call{node: n, Fn: c.name(g.Ref.Name)}
		for _, a := range g.Ref.Args {
			call.Args = append(call.Args, c.expr(a))
		}
		return call
	case g.Paren != nil:
		return c.expr(g.Paren)
	}
	return &BoolLit{node: n} // unreachable: the grammar has no other primary
}

// Grammar returns the grammar of the language in EBNF, as participle sees
// it. Keywords appear in their canonical spelling; the lexer maps every
// other spelling (Traditional, English, synonyms) to it.
func Grammar() (string, error) {
	p, err := newFileParser()
	if err != nil {
		return "", err
	}
	return p.String(), nil
}
