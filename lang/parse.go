package lang

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
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
			x.cite(unquoteAll(cl.Cites))
			for _, n := range cl.Rules {
				x.Rules = append(x.Rules, c.name(n))
			}
		}
		f.Stmts = append(f.Stmts, x)
	case s.Limit != nil:
		l := &Limit{Name: c.name(s.Limit.Name)}
		for _, cl := range s.Limit.Clauses {
			l.cite(unquoteAll(cl.Cites))
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
			d.cite(unquoteAll(cl.Cites))
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
			b.cite(unquoteAll(cl.Cites))
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
			q.cite(unquoteAll(cl.Cites))
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
	case s.Info != nil:
		dst := map[string]*string{"主管部门": &f.Info.Department, "兑现方式": &f.Info.Delivery, "联系方式": &f.Info.Contact}[s.Info.Key]
		if *dst != "" {
			c.errs = append(c.errs, errorf(c.pos(s.Info.Pos), "“%s”已写过一次", "%s is given twice", s.Info.Key))
		}
		*dst = unquote(s.Info.Value)
	case s.Mask != nil:
		for _, m := range s.Mask {
			f.Info.Masked = append(f.Info.Masked, strings.TrimSpace(unquote(m)))
		}
	case s.Filing != nil:
		pos := c.pos(s.Filing.Pos)
		if f.Info.FilingFrom != nil {
			c.errs = append(c.errs, errorf(pos, "申报期已写过一次", "the filing period (申报期) is given twice"))
		}
		from, ok1 := ParseDate(s.Filing.From)
		until, ok2 := ParseDate(s.Filing.Until)
		switch {
		case !ok1 || !ok2:
			c.errs = append(c.errs, errorf(pos, "申报期的日期不存在", "a date of the filing period (申报期) does not exist"))
		case from.Compare(until) > 0:
			c.errs = append(c.errs, errorf(pos, "申报期的起始日期晚于截止日期", "the filing period (申报期) starts after it ends"))
		}
		f.Info.FilingFrom, f.Info.FilingUntil = &from, &until
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
				r.cite(unquoteAll(cl.Cites))
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
