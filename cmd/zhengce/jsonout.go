package main

import (
	"encoding/json"
	"errors"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// This file writes results as JSON (spec/json.md): exact decimal strings,
// type names the same in either language, messages in the chosen one.

// jsonValue encodes a value for JSON output: numbers as strings holding the
// exact decimal, booleans as true/false, text and dates as strings, 不适用 as
// null.
func jsonValue(v zhengce.Value) json.RawMessage {
	var x any = v.Exact()
	switch v.Kind() {
	case lang.KindBool:
		x = v.Truth()
	case lang.KindNA:
		x = nil
	case lang.KindList, lang.KindRecord:
		items := make([]json.RawMessage, len(v.Items()))
		for i, it := range v.Items() {
			items[i] = jsonValue(it)
		}
		x = items
	}
	b, _ := json.Marshal(x)
	return b
}

type jsonNamed struct {
	Name        string           `json:"name"`
	Type        string           `json:"type"`
	Value       json.RawMessage  `json:"value"`
	NA          string           `json:"na,omitempty"` // why the value is 不适用
	Explanation *jsonExplanation `json:"explanation,omitempty"`
}

// jsonExplanation is how a value was reached (explain only).
type jsonExplanation struct {
	Inputs []jsonNamed `json:"inputs"`
	Params []jsonNamed `json:"params,omitempty"`
	Defs   []jsonNamed `json:"uses,omitempty"`
	Steps  []string    `json:"steps"`
}

func (c *cli) explanationJSON(e *zhengce.Explanation) *jsonExplanation {
	if e == nil {
		return nil
	}
	j := &jsonExplanation{Inputs: c.named(e.Inputs), Params: c.named(e.Params), Defs: c.named(e.Defs), Steps: c.texts(e.Steps)}
	if j.Inputs == nil {
		j.Inputs = []jsonNamed{}
	}
	if j.Steps == nil {
		j.Steps = []string{}
	}
	return j
}

type jsonRule struct {
	Name    string      `json:"name"`
	Cites   []string    `json:"cites,omitempty"`
	Applies bool        `json:"applies"`
	Outputs []jsonNamed `json:"outputs,omitempty"`
	// Paid is what the rule pays when it applies and pays money, after
	// 就高不重复, caps and budgets: the value of its output PaidOutput.
	Paid       *string `json:"paid,omitempty"`
	PaidOutput string  `json:"paid_output,omitempty"`
	Kind       string  `json:"reason_kind,omitempty"`
	Reason     string  `json:"reason,omitempty"`
	Condition  string  `json:"condition,omitempty"`
	Position   string  `json:"position,omitempty"`
	// Exceptions are the 其中 that applied, by their conditions as written.
	Exceptions []string `json:"exceptions,omitempty"`
	// Notes explain changes made over all records, such as budget scaling.
	Notes []string `json:"notes,omitempty"`
	// Explanation is how the rule reached its outputs (explain only).
	Explanation *jsonExplanation `json:"explanation,omitempty"`
}

type jsonRow struct {
	Row    int         `json:"row"`
	ID     string      `json:"id,omitempty"`
	Values []jsonNamed `json:"values,omitempty"`
	Rules  []jsonRule  `json:"rules,omitempty"`
	// Total is what the policy pays the record in all.
	Total  string       `json:"total,omitempty"`
	AsOf   string       `json:"as_of,omitempty"`
	Denied []jsonDenial `json:"denied,omitempty"`
	Limits []jsonLimit  `json:"limits,omitempty"`
	Error  *jsonError   `json:"error,omitempty"`
}

// jsonDenial is a case the policy excludes that the record meets.
type jsonDenial struct {
	Name   string   `json:"name"`
	Cites  []string `json:"cites,omitempty"`
	Reason string   `json:"reason"`
	Rules  []string `json:"rules"`
}

// jsonLimit is what a cap did: what its rules asked for, the limit, what
// they are paid.
type jsonLimit struct {
	Name  string   `json:"name"`
	Cites []string `json:"cites,omitempty"`
	// Most and Before, for 累计最高 and 每年最高: the most the text allows
	// and what the ledger shows paid before
	Most   json.RawMessage `json:"most,omitempty"`
	Before json.RawMessage `json:"before,omitempty"`
	Limit  json.RawMessage `json:"limit"`
	Asked  json.RawMessage `json:"asked"`
	Paid   json.RawMessage `json:"paid"`
}

// reasonKinds names the kinds of reasons in JSON.
var reasonKinds = map[zhengce.ReasonKind]string{
	zhengce.ReasonCondition: "condition", zhengce.ReasonValidity: "validity", zhengce.ReasonOutput: "output",
	zhengce.ReasonExclusive: "exclusive", zhengce.ReasonQuota: "quota", zhengce.ReasonLimit: "limit", zhengce.ReasonDenied: "denied",
	zhengce.ReasonData: "data", zhengce.ReasonLedger: "ledger",
}

type jsonError struct {
	Field string `json:"field,omitempty"`
	// Fields are every field missing or bad, when the row was evaluated
	// in part (the rules that read them did not apply)
	Fields  []string `json:"fields,omitempty"`
	Message string   `json:"message"`
}

func (c *cli) named(outs []zhengce.Output) []jsonNamed {
	var out []jsonNamed
	for _, o := range outs {
		j := jsonNamed{Name: o.Name, Type: o.Value.Type().English(), Value: jsonValue(o.Value)}
		if o.Value.IsNA() {
			j.NA = o.Value.Why().Text(c.loc)
		}
		out = append(out, j)
	}
	return out
}

func (c *cli) writeJSON(results []rowResult, idCol string) {
	out := make([]jsonRow, 0, len(results))
	for _, r := range results {
		out = append(out, c.jsonRowOf(r))
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// jsonRowOf is one row of the JSON output.
func (c *cli) jsonRowOf(r rowResult) jsonRow {
	jr := jsonRow{Row: r.row.Num, ID: r.id}
	if r.err != nil {
		jr.Error = &jsonError{Message: c.message(r.err)}
		var fe *zhengce.FieldError
		if errors.As(r.err, &fe) {
			jr.Error.Field = fe.Field
		}
		var de *zhengce.DataError
		if errors.As(r.err, &de) {
			for _, f := range de.Fields {
				jr.Error.Fields = append(jr.Error.Fields, f.Field)
			}
		}
	}
	if r.res == nil {
		return jr
	}
	jr.Values = c.named(r.res.Defs)
	for i := range jr.Values {
		if e, ok := r.res.DefSteps[jr.Values[i].Name]; ok {
			jr.Values[i].Explanation = c.explanationJSON(&e)
		}
	}
	for i := range r.res.Rules {
		rr := &r.res.Rules[i]
		j := jsonRule{Name: rr.Name, Cites: rr.Cites, Applies: rr.Applies, Outputs: c.named(rr.Outputs), Exceptions: rr.Exceptions, Notes: c.texts(rr.Notes), Explanation: c.explanationJSON(rr.Explanation)}
		if v, ok := rr.Paid(); ok {
			paid := v.Exact()
			j.Paid, j.PaidOutput = &paid, rr.PaidOutput()
		}
		if why := rr.Reason(); why != nil {
			j.Reason = why.Message(c.loc)
			j.Condition = why.Condition
			j.Position = why.Pos.String()
			j.Kind = reasonKinds[why.Kind]
		}
		jr.Rules = append(jr.Rules, j)
	}
	jr.Total, jr.AsOf = r.res.Total().Exact(), r.res.AsOf.String()
	for _, d := range r.res.Denials {
		jr.Denied = append(jr.Denied, jsonDenial{Name: d.Name, Cites: d.Cites, Reason: d.Reason.Message(c.loc), Rules: d.Rules})
	}
	for _, l := range r.res.Limits {
		jl := jsonLimit{Name: l.Name, Cites: l.Cites, Limit: jsonValue(l.Limit), Asked: jsonValue(l.Asked), Paid: jsonValue(l.Paid)}
		if l.Most.IsValid() {
			jl.Most, jl.Before = jsonValue(l.Most), jsonValue(l.Before)
		}
		jr.Limits = append(jr.Limits, jl)
	}
	return jr
}
