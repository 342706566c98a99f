package zhengce

import (
	"encoding/json"
	"errors"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file is the JSON form of results (spec/json.md), shared by the CLI
// and the HTTP service: numbers as exact decimal strings, type names the
// same in either language, messages in the chosen one.

// Locale is the language of messages: lang.Chinese or lang.English.
type Locale = lang.Locale

// JSONValue encodes a value: numbers as strings holding the exact decimal,
// booleans as true/false, text and dates as strings, lists as arrays,
// 不适用 as null.
func JSONValue(v Value) json.RawMessage {
	var x any = v.Exact()
	switch v.Kind() {
	case lang.KindBool:
		x = v.Truth()
	case lang.KindNA:
		x = nil
	case lang.KindList, lang.KindRecord:
		items := make([]json.RawMessage, len(v.Items()))
		for i, it := range v.Items() {
			items[i] = JSONValue(it)
		}
		x = items
	}
	b, _ := json.Marshal(x)
	return b
}

// NamedJSON is a named value: a definition, an output, an input read.
type NamedJSON struct {
	Name        string           `json:"name"`
	Type        string           `json:"type"`
	Value       json.RawMessage  `json:"value"`
	NA          string           `json:"na,omitempty"` // why the value is 不适用
	Explanation *ExplanationJSON `json:"explanation,omitempty"`
}

// ExplanationJSON is how a value was reached (explain only).
type ExplanationJSON struct {
	Inputs []NamedJSON `json:"inputs"`
	Params []NamedJSON `json:"params,omitempty"`
	Defs   []NamedJSON `json:"uses,omitempty"`
	Steps  []string    `json:"steps"`
}

// RuleJSON is what one rule gives a record.
type RuleJSON struct {
	Name    string      `json:"name"`
	Cites   []string    `json:"cites,omitempty"`
	Applies bool        `json:"applies"`
	Outputs []NamedJSON `json:"outputs,omitempty"`
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
	Explanation *ExplanationJSON `json:"explanation,omitempty"`
}

// RecordJSON is one record's result: what run and explain write per row,
// and what the service answers per record.
type RecordJSON struct {
	Row    int         `json:"row"`
	ID     string      `json:"id,omitempty"`
	Values []NamedJSON `json:"values,omitempty"`
	Rules  []RuleJSON  `json:"rules,omitempty"`
	// Total is what the policy pays the record in all.
	Total  string       `json:"total,omitempty"`
	AsOf   string       `json:"as_of,omitempty"`
	Denied []DenialJSON `json:"denied,omitempty"`
	Limits []LimitJSON  `json:"limits,omitempty"`
	Error  *ErrorJSON   `json:"error,omitempty"`
}

// DenialJSON is a case the policy excludes that the record meets.
type DenialJSON struct {
	Policy string   `json:"policy,omitempty"` // match only
	Name   string   `json:"name"`
	Cites  []string `json:"cites,omitempty"`
	Reason string   `json:"reason"`
	Rules  []string `json:"rules"`
}

// LimitJSON is what a cap did: what its rules asked for, the limit, what
// they are paid.
type LimitJSON struct {
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

// ErrorJSON is why a record could not be evaluated, or in part.
type ErrorJSON struct {
	Field string `json:"field,omitempty"`
	// Fields are every field missing or bad, when the row was evaluated
	// in part (the rules that read them did not apply)
	Fields  []string `json:"fields,omitempty"`
	Message string   `json:"message"`
}

// reasonKinds names the kinds of reasons in JSON.
var reasonKinds = map[ReasonKind]string{
	ReasonCondition: "condition", ReasonValidity: "validity", ReasonOutput: "output",
	ReasonExclusive: "exclusive", ReasonQuota: "quota", ReasonLimit: "limit", ReasonDenied: "denied",
	ReasonData: "data", ReasonLedger: "ledger",
}

// ErrorText words an error of compiling or evaluating in loc: a field, the
// data, a limit, a position in the policy, or a defect of zhengce.
func ErrorText(err error, loc Locale) string {
	var fe *FieldError
	var le *lang.Error
	var lim *LimitError
	var ie *InternalError
	var de *DataError
	switch {
	case errors.As(err, &de):
		return de.Message(loc)
	case errors.As(err, &ie):
		return lang.Messagef("内部错误（zhengce 自身的缺陷，请报告给开发者）：%v", "internal error (a defect of zhengce itself, please report it): %v", ie.Value).Text(loc)
	case errors.As(err, &fe):
		return fe.Message(loc)
	case errors.As(err, &le):
		return le.Pos.String() + ": " + le.Message(loc)
	case errors.As(err, &lim):
		if loc == lang.English {
			return lim.En
		}
		return lim.Zh
	}
	var both interface{ Text(lang.Locale) string } // a Message
	if errors.As(err, &both) {
		return both.Text(loc)
	}
	return err.Error()
}

// ErrorJSONOf is err as JSON: its message, and the fields it names.
func ErrorJSONOf(err error, loc Locale) *ErrorJSON {
	j := &ErrorJSON{Message: ErrorText(err, loc)}
	var fe *FieldError
	if errors.As(err, &fe) {
		j.Field = fe.Field
	}
	var de *DataError
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			j.Fields = append(j.Fields, f.Field)
		}
	}
	return j
}

// ResultJSON is a result as JSON, in loc; err is the record's error, if
// any (a record evaluated in part has both).
func ResultJSON(res *Result, err error, loc Locale) RecordJSON {
	var jr RecordJSON
	if err != nil {
		jr.Error = ErrorJSONOf(err, loc)
	}
	if res == nil {
		return jr
	}
	jr.Values = namedJSON(res.Defs, loc)
	for i := range jr.Values {
		if e, ok := res.DefSteps[jr.Values[i].Name]; ok {
			jr.Values[i].Explanation = explanationJSON(&e, loc)
		}
	}
	for i := range res.Rules {
		rr := &res.Rules[i]
		j := RuleJSON{Name: rr.Name, Cites: rr.Cites, Applies: rr.Applies, Outputs: namedJSON(rr.Outputs, loc), Exceptions: rr.Exceptions,
			Notes: texts(rr.Notes, loc), Explanation: explanationJSON(rr.Explanation, loc)}
		if v, ok := rr.Paid(); ok {
			paid := v.Exact()
			j.Paid, j.PaidOutput = &paid, rr.PaidOutput()
		}
		if why := rr.Reason(); why != nil {
			j.Reason = why.Message(loc)
			j.Condition = why.Condition
			j.Position = why.Pos.String()
			j.Kind = reasonKinds[why.Kind]
		}
		jr.Rules = append(jr.Rules, j)
	}
	jr.Total, jr.AsOf = res.Total().Exact(), res.AsOf.String()
	for _, d := range res.Denials {
		jr.Denied = append(jr.Denied, DenialJSON{Name: d.Name, Cites: d.Cites, Reason: d.Reason.Message(loc), Rules: d.Rules})
	}
	for _, l := range res.Limits {
		jl := LimitJSON{Name: l.Name, Cites: l.Cites, Limit: JSONValue(l.Limit), Asked: JSONValue(l.Asked), Paid: JSONValue(l.Paid)}
		if l.Most.IsValid() {
			jl.Most, jl.Before = JSONValue(l.Most), JSONValue(l.Before)
		}
		jr.Limits = append(jr.Limits, jl)
	}
	return jr
}

// MatchJSON is what one enterprise qualifies for, and nearly does.
type MatchJSON struct {
	Row       int            `json:"row"`
	ID        string         `json:"id,omitempty"`
	Qualified []MatchedJSON  `json:"qualified"`
	Near      []NearMissJSON `json:"near"`
	Denied    []DenialJSON   `json:"denied,omitempty"`
	Errors    []string       `json:"errors,omitempty"`
}

// MatchedJSON is one rule an enterprise qualifies for, with what it pays.
type MatchedJSON struct {
	Policy string   `json:"policy"`
	Rule   string   `json:"rule"`
	Cites  []string `json:"cites,omitempty"`
	// Amount is what the rule pays, after 就高不重复, caps and budgets:
	// its output PaidOutput; "0" for a rule that pays no money.
	Amount     string      `json:"amount"`
	PaidOutput string      `json:"paid_output,omitempty"`
	Outputs    []NamedJSON `json:"outputs"`
	Notes      []string    `json:"notes,omitempty"`
	amount     decimal.Decimal
}

// NearMissJSON is a rule an enterprise misses by one condition.
type NearMissJSON struct {
	Policy    string         `json:"policy"`
	Rule      string         `json:"rule"`
	Condition string         `json:"condition"`
	Reason    string         `json:"reason"`
	Gap       string         `json:"gap,omitempty"`
	Shortfall *ShortfallJSON `json:"shortfall,omitempty"`
}

// ShortfallJSON is a near miss's gap as data: the value, what it must
// reach, whether reaching it exactly is enough, and the direction.
type ShortfallJSON struct {
	Field     string `json:"field"`
	Value     string `json:"value"`
	Needed    string `json:"needed"`
	Inclusive bool   `json:"inclusive"`
	Direction string `json:"direction"` // "up": the value must rise to needed
}

// AddMatch adds to m what policy's result res offers: the rules that apply
// (kept highest amount first), the near misses an enterprise could meet,
// the exclusions it meets. res comes from EvalWith with AllConditions.
func (m *MatchJSON) AddMatch(policy string, res *Result, loc Locale) {
	if m.Qualified == nil {
		m.Qualified = []MatchedJSON{}
	}
	if m.Near == nil {
		m.Near = []NearMissJSON{}
	}
	for _, d := range res.Denials {
		m.Denied = append(m.Denied, DenialJSON{Policy: policy, Name: d.Name, Cites: d.Cites, Reason: d.Reason.Message(loc), Rules: d.Rules})
	}
	for k := range res.Rules {
		rr := &res.Rules[k]
		if rr.Applies {
			q := MatchedJSON{Policy: policy, Rule: rr.Name, Cites: rr.Cites, Outputs: namedJSON(rr.Outputs, loc), amount: decimal.Zero, PaidOutput: rr.PaidOutput()}
			if v, ok := rr.Paid(); ok {
				q.amount = v.Decimal()
			}
			q.Amount = q.amount.String()
			q.Notes = texts(rr.Notes, loc)
			m.Qualified = append(m.Qualified, q)
		} else if len(rr.Failures) == 1 && (rr.Failures[0].Shortfall == nil || rr.Failures[0].Shortfall.Feasible()) {
			// one condition short, and one the enterprise could meet
			f := rr.Failures[0]
			near := NearMissJSON{Policy: policy, Rule: rr.Name, Condition: f.Condition, Reason: f.Message(loc), Gap: f.Gap.Text(loc)}
			if sf := f.Shortfall; sf != nil {
				near.Shortfall = &ShortfallJSON{Field: sf.Field, Value: sf.Value.Exact(), Needed: sf.Needed.Exact(), Inclusive: sf.Inclusive, Direction: "up"}
			}
			m.Near = append(m.Near, near)
		}
	}
	sort.SliceStable(m.Qualified, func(a, b int) bool { return m.Qualified[a].amount.GreaterThan(m.Qualified[b].amount) })
}

// AmountValue is the amount as a decimal.
func (q MatchedJSON) AmountValue() decimal.Decimal { return q.amount }

func namedJSON(outs []Output, loc Locale) []NamedJSON {
	var out []NamedJSON
	for _, o := range outs {
		j := NamedJSON{Name: o.Name, Type: o.Value.Type().English(), Value: JSONValue(o.Value)}
		if o.Value.IsNA() {
			j.NA = o.Value.Why().Text(loc)
		}
		out = append(out, j)
	}
	return out
}

func explanationJSON(e *Explanation, loc Locale) *ExplanationJSON {
	if e == nil {
		return nil
	}
	j := &ExplanationJSON{Inputs: namedJSON(e.Inputs, loc), Params: namedJSON(e.Params, loc), Defs: namedJSON(e.Defs, loc), Steps: texts(e.Steps, loc)}
	if j.Inputs == nil {
		j.Inputs = []NamedJSON{}
	}
	if j.Steps == nil {
		j.Steps = []string{}
	}
	return j
}

func texts(ms []Message, loc Locale) []string {
	if ms == nil {
		return nil
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text(loc)
	}
	return out
}
