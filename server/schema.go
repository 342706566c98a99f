package server

import (
	"github.com/zhengce/zhengce/lang"
)

// inputSchema is a JSON Schema (2020-12) of a policy's inputs, for a
// portal to generate its form: each input's type and unit, the categories
// a text input takes where a 按…取 table reads it, and which are required.
func (s *Server) inputSchema(c *call) (any, *problem) {
	pol, p := c.serving(c.r.PathValue("id"))
	if p != nil {
		return nil, p
	}
	prog := pol.Prog.Checked()
	enums := categories(prog)
	props := map[string]any{}
	required := []string{}
	for _, in := range pol.Prog.Inputs() {
		sch := typeSchema(in.Type, in.Unit, c.loc)
		if cats := enums[in.Name.Key]; len(cats) > 0 && in.Type.Kind == lang.KindText {
			sch["enum"] = cats
		}
		props[in.Name.Text] = sch
		required = append(required, in.Name.Text)
	}
	title := pol.Name
	if title == "" {
		title = pol.ID
	}
	desc := lang.Message{Zh: "一条记录（一家企业或一项申请）。缺少的输入使读它的规则“数据不足”、不适用，其余规则照常。数可写作数或字符串（如 \"1500000\"、\"150万元\"、\"10%\"），以字符串为准确。", En: "One record (an enterprise or an application). A missing input makes the rules that read it not apply (incomplete data); the others apply as usual. Numbers may be JSON numbers or strings (\"1500000\", \"10%\"); strings keep them exact."}
	return map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "/v1/policies/" + pol.ID + "/schema",
		"title":       title,
		"description": desc.Text(c.loc),
		"type":        "object",
		"properties":  props,
		"required":    required,
		"x-revision":  pol.Revision,
	}, nil
}

// typeSchema is the JSON Schema of one type.
func typeSchema(t lang.Type, unit string, loc lang.Locale) map[string]any {
	sch := map[string]any{"x-zhengce-type": t.English()}
	numeric := func(zh, en string) {
		sch["type"] = []string{"string", "number"}
		sch["description"] = (&lang.Message{Zh: zh, En: en}).Text(loc)
		if unit != "" {
			sch["x-unit"] = unit
		}
	}
	switch t.Kind {
	case lang.KindMoney:
		if unit == "" {
			unit = "元"
		}
		numeric("金额：数以元计（列名或输入声明写明单位时按其单位），也可写“150万元”", "an amount: a bare number is in yuan (or in the unit the input declares); a string may carry a unit")
	case lang.KindNumber:
		numeric("数值", "a number")
	case lang.KindRatio:
		numeric("比例：写作“10%”；不带 % 的小于 1 的数读作小数", "a ratio: write \"10%\"; a bare number below 1 is read as a fraction")
	case lang.KindShares:
		numeric("份额，如“5:2”", "shares, such as \"5:2\"")
	case lang.KindBool:
		sch["type"] = []string{"boolean", "string"}
		sch["description"] = (&lang.Message{Zh: "是否：true/false，或“是”“否”", En: "yes or no: true or false"}).Text(loc)
	case lang.KindDate:
		sch["type"] = "string"
		sch["format"] = "date"
	case lang.KindList:
		sch["type"] = "array"
		if t.Rec != nil {
			props := map[string]any{}
			req := []string{}
			for _, f := range t.Rec.Fields {
				props[f.Name.Text] = typeSchema(f.Type, "", loc)
				req = append(req, f.Name.Text)
			}
			sch["items"] = map[string]any{"type": "object", "properties": props, "required": req}
		} else {
			sch["items"] = typeSchema(lang.Type{Kind: t.Elem}, "", loc)
		}
	default:
		sch["type"] = "string"
	}
	return sch
}

// categories finds, for each text input a 按…取 table reads, the
// categories the table names (in order, once each).
func categories(prog *lang.Program) map[string][]string {
	out := map[string][]string{}
	seen := map[string]map[string]bool{}
	prog.InspectAll(func(x lang.Expr) {
		lk, ok := x.(*lang.Lookup)
		if !ok || lk.Brackets {
			return
		}
		ref, ok := lk.Key.(*lang.Ref)
		if !ok {
			return
		}
		key := ref.Name.Key
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		for _, en := range lk.Entries {
			if lit, ok := en.Key.(*lang.StringLit); ok && !seen[key][lit.Value] {
				seen[key][lit.Value] = true
				out[key] = append(out[key], lit.Value)
			}
		}
	})
	return out
}
