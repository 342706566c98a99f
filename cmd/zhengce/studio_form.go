package main

import (
	"slices"

	"github.com/zhengce/zhengce/lang"
)

// inputChoices are, for each text input, the categories the policy knows
// for it: the keys of a 按类别取值 table looked up by the input, and the
// texts it is compared with (等级 = "国家级"). The trial form offers them
// as suggestions; any other text may still be typed (it is what a real
// record may hold, and the policy says what it does with it).
func inputChoices(p *lang.Program) map[string][]string {
	text := map[string]bool{}
	for _, in := range p.Inputs {
		if in.Type == lang.Text {
			text[in.Name.Text] = true
		}
	}
	out := map[string][]string{}
	add := func(key lang.Expr, value lang.Expr) {
		ref, ok := key.(*lang.Ref)
		lit, isText := value.(*lang.StringLit)
		if ok && isText && text[ref.Name.Text] && !slices.Contains(out[ref.Name.Text], lit.Value) {
			out[ref.Name.Text] = append(out[ref.Name.Text], lit.Value)
		}
	}
	visit := func(e lang.Expr) {
		if e == nil {
			return
		}
		lang.Inspect(e, func(e lang.Expr) {
			switch e := e.(type) {
			case *lang.Lookup:
				for _, en := range e.Entries {
					if en.Range == nil {
						add(e.Key, en.Key)
					}
				}
			case *lang.Binary:
				if e.Op == lang.OpEq || e.Op == lang.OpNe {
					add(e.X, e.Y)
					add(e.Y, e.X)
				}
			}
		})
	}
	for _, d := range p.Defs {
		visit(d.Value)
	}
	for _, r := range p.Rules {
		visit(r.Cond)
		for _, o := range r.Outputs {
			visit(o.Value)
		}
		for _, x := range r.Exceptions {
			visit(x.Cond)
			for _, a := range x.Assigns {
				visit(a.Value)
			}
		}
	}
	for _, d := range p.Denies {
		visit(d.Cond)
	}
	return out
}
