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
	names := map[string]string{} // a text input's name, by its key (繁简 folded)
	for _, in := range p.Inputs {
		if in.Type == lang.Text {
			names[in.Name.Key] = in.Name.Text
		}
	}
	out := map[string][]string{}
	add := func(key, value lang.Expr) {
		ref, isRef := key.(*lang.Ref)
		lit, isText := value.(*lang.StringLit)
		if !isRef || !isText {
			return
		}
		if name, ok := names[ref.Name.Key]; ok && !slices.Contains(out[name], lit.Value) {
			out[name] = append(out[name], lit.Value)
		}
	}
	p.InspectAll(func(e lang.Expr) {
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
	return out
}
