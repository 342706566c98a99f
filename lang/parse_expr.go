package lang

import (
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
	"github.com/shopspring/decimal"
)

// This file converts expressions from the participle structs to the
// syntax tree: logic, comparison with the text's words of inclusion,
// ranges, caps, arithmetic and primaries.

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
