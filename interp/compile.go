package interp

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// Func is the implementation of a built-in function. Arguments have been
// checked against the function's lang.Builtin.
type Func func(args []Value) (Value, error)

// Builtin is a built-in function as the interpreter runs it.
type Builtin struct {
	Call Func
	// SkipsNA says the function handles 不适用 arguments itself (合计 and
	// 最大 skip them); for other functions an NA argument makes the result NA.
	SkipsNA bool
	// Fold, when set, says the function is an aggregate the interpreter
	// folds over its arguments itself, number by number, without a Value
	// per item; Call must compute the same, and is used where the fold is
	// not (an explanation's values, a near miss).
	Fold Fold
	// Picks says the result is one of the arguments (最小, 最大): an
	// explanation says which was taken.
	Picks bool
}

// Fold names the aggregates the interpreter computes itself.
type Fold uint8

// The folds. All flatten lists into their items and skip 不适用.
const (
	FoldNone  Fold = iota
	FoldSum        // the sum of the numbers; 0 when there are none
	FoldCount      // how many items there are, a false 是否 not counted
	FoldAny        // whether any 是否 is true; when none is had, as Call says
	FoldAll        // whether every 是否 is true; when none is had, as Call says
)

// DivisionPlaces is the number of decimal places a division keeps when its
// quotient does not terminate; the last place is rounded half away from
// zero. 1/3 is 0.33333333333333333333.
const DivisionPlaces = 20

// MoneyPlaces is the number of decimal places (fen) a 金额 keeps when it is
// stored under a name: a definition or a rule output. Rounding is half away
// from zero: 0.125元 becomes 0.13元, −0.125元 becomes −0.13元.
const MoneyPlaces = 2

// Options configure Compile.
type Options struct {
	// Params overrides policy parameters by name (Simplified or
	// Traditional): "补助比例" → "15%". Values are written as in a data cell.
	Params map[string]string
	Limits Limits
	// AsOf is the date on which rules are evaluated, for their periods of
	// validity (有效期). The zero Date means the day Compile runs.
	AsOf lang.Date
	// BareRatios says how data gives a 比例 with no % or ‰ in a column
	// whose heading gives no unit: by default below 1 a fraction, 1 and
	// above an error.
	BareRatios BareRatios
}

// Program is a compiled policy, ready to evaluate records. It is safe for
// concurrent use.
type Program struct {
	checked    *lang.Program
	inputs     []*lang.Input
	inputKey   map[string]int // folded input name → slot
	inputName  map[string]int // input name as written → slot: a data key spelt so needs no folding
	inputKinds []lang.Kind    // of each input slot
	listInputs []int          // the slots of the list inputs, checked whole as an evaluation begins
	fieldKinds [][]lang.Kind  // by input slot: the kinds of the fields of a list's records
	params     []Value
	defs       []compiledDef
	rules      []compiledRule
	order      []step // definitions and rules, dependencies first
	maxAbs     decimal.Decimal
	magnitude  *magnitudeLimit
	asOf       lang.Date
	asOfToday  bool // asOf was read from the clock, Options.AsOf being unset
	// usesDate: the policy has a validity, a parameter that changes by
	// date, or reads 评估日期; without it, no record needs its date
	usesDate bool
	// datePerRecord: every record's date must be found (dateFor): it
	// comes from an input, or is today's
	datePerRecord bool
	// asOfInput is the slot of the input that holds each record's date
	// (评估日期 = 申报日期), or −1
	asOfInput int
	// paramPeriods holds, for a parameter that changes by date, its
	// values from each date on; nil for the others
	paramPeriods [][]datedValue
	plainFits    bool       // every number parsePlain reads is within the limits
	bareRatios   BareRatios // how a 比例 column without a unit gives a bare number
	budgets      []compiledBudget
	quotas       []compiledQuota
	reads        *readSets       // which inputs each part reads, for partial data
	ranks        int             // the ranking values of all quotas, in Result.ranks
	ledger       int             // the slot of the 台账 input, or −1
	firstYear    int             // the year the policy came into force (the earliest 有效期), or 0
	limits2      []compiledLimit // 上限
	capsByStage  []int           // the caps in the order they settle (lang.Program.LimitStage)
	denies       []compiledDeny  // 不予支持
	limits       Limits
	// defsInSource lists the definitions' slots in source order, the order
	// Result.Defs reports them in.
	defsInSource []int
	frames       sync.Pool // of *frame
	// onlyRules: the order has rules alone (no definitions, no 就高不重复
	// groups) and there is no 评选, so finishing an evaluation writes
	// nothing
	onlyRules bool
	steady    []steadyRule // when onlyRules: the rules in order, for EvalInto
}

// today is the day it is where the program runs: the clock is read here
// and nowhere else in the packages that run a script.
func today() lang.Date {
	now := time.Now()
	return lang.Date{Year: now.Year(), Month: int(now.Month()), Day: now.Day()}
}

// datedValue is a parameter's value from a date on.
type datedValue struct {
	from lang.Date
	v    Value
}

// paramAt returns parameter i on date d: for one that changes by date, the
// value of the last period begun by d, or 不适用 before the first.
func (p *Program) paramAt(i int, d lang.Date) Value {
	periods := p.paramPeriods[i]
	if periods == nil {
		return p.params[i]
	}
	for k := len(periods) - 1; k >= 0; k-- {
		if periods[k].from.Compare(d) <= 0 {
			return periods[k].v
		}
	}
	return naOf(msgParamNotYet(p.checked.Params[i].Name.Text, d, periods[0].from, periods[0].v))
}

// paramFrom returns the date from which parameter i has the value it has
// on d, for an explanation; false for a parameter that does not change.
func (p *Program) paramFrom(i int, d lang.Date) (lang.Date, bool) {
	for k := len(p.paramPeriods[i]) - 1; k >= 0; k-- {
		if from := p.paramPeriods[i][k].from; from.Compare(d) <= 0 {
			return from, true
		}
	}
	return lang.Date{}, false
}

// compiledBudget is a 预算: Total shared among the 金额 outputs of rules.
type compiledBudget struct {
	name   string
	total  decimal.Decimal
	rules  []int
	yearly bool // 每年: the total for each year
}

// compiledQuota is a 评选: rules kept for the count best-ranked records.
type compiledQuota struct {
	name     string
	count    int
	ranks    []evalFn // higher first; a tie on one decided by the next
	rankAt   int      // where its ranking values begin in Result.ranks
	rankText string   // the first, as written
	rules    []int
	yearly   bool // 每年: the count for each year
}

// step is one item of the evaluation order: definition i, rule i, or the
// 就高不重复 group, cap (上限) or exclusion (不予支持) i.
type step struct {
	kind stepKind
	i    int
}

// stepKind says what a step evaluates.
type stepKind uint8

// The kinds of steps.
const (
	stepDef stepKind = iota
	stepRule
	stepGroup
	stepLimit
	stepDeny
)

type evalFn func(f *frame) (Value, error)

type compiledDef struct {
	name  lang.Name
	typ   lang.Type
	value evalFn
	num   numFn  // the same, for a numeric value; nil otherwise
	cond  boolFn // the same, for a 是否 value; nil otherwise
	test  testFn // the same, for a comparison of numbers; nil otherwise
	// the same, for a comparison of a slot with a constant; nil otherwise
	slotTest *slotTest
	// a list of money whose amounts value rounds to the fen as it makes
	// them, unless a tracer is on: store has nothing to do
	atFen bool
	konst *stored // the value, when it is a constant (门槛 = 200万元)
}

// def compiles a named value; a numeric one through its numFn.
func (c *compiler) def(name lang.Name, e lang.Expr) compiledDef {
	d := compiledDef{name: name, typ: c.checked.Types[e]}
	if d.typ.IsNumeric() {
		d.konst = c.storedConst(e, d.typ)
		d.num = c.num(e)
		d.value = valueOf(d.num, d.typ.Kind)
		return d
	}
	if d.typ == lang.Bool {
		d.cond = c.cond(e)
		d.value = boolValue(d.cond)
		if b, ok := e.(*lang.Binary); ok && b.Op.IsComparison() && c.numericExpr(b.X) && c.numericExpr(b.Y) {
			d.test = c.numTest(b.X, b.Y, b.Op) // 达标 = 企业数 达到 5000
			d.slotTest = c.slotTestOf(b.X, b.Y, b.Op)
		}
		return d
	}
	if e, ok := e.(*lang.Each); ok && d.typ.Kind == lang.KindList && d.typ.Elem == lang.KindMoney {
		d.value = c.each(e, true) // 各项目支持 = 对每个 …：each amount to the fen as it is made, as store would
		d.atFen = true
		return d
	}
	d.value = c.expr(e)
	return d
}

type compiledRule struct {
	rule        *lang.Rule
	pays        int              // the output the rule pays, or −1
	validity    []*lang.Validity // the policy's and the rule's own, on the evaluation date
	byDate      []byValidity     // those on a date of the record
	ledgerSteps []bodyStep       // 一次性, 最多连续: what the 台账 shows
	outside     *Reason          // why the rule is out of its validity on the program's date, or nil
	conjuncts   []conjunct
	outputs     []compiledDef
	exceptions  []compiledException
	body        ruleBody // the body, compiled in its order
}

// compiledException is a 其中: when cond holds, each override replaces an
// output defined above it.
type compiledException struct {
	cond      condition
	text      string // the condition as written
	overrides []override
}

type override struct {
	output int
	typ    lang.Type
	value  evalFn
	num    numFn   // the same, for a number; nil otherwise
	konst  *stored // the value, when it is a constant
}

// stored is a constant as a name holds it (money rounded to the fen), with
// the parameter it is, or −1.
type stored struct {
	v     Value
	param int
}

// storedConst returns e as a name of type t holds it, when e is a number
// literal or a parameter; nil otherwise.
func (c *compiler) storedConst(e lang.Expr, t lang.Type) *stored {
	k, param, ok := c.constNum(e)
	if !ok || !t.IsNumeric() {
		return nil
	}
	var v Value
	storeNum(&v, t.Kind, k)
	return &stored{v: v, param: param}
}

// set writes the constant into dst, marking its parameter as read.
func (k *stored) set(f *frame, dst *Value) {
	if k.param >= 0 && f.trace != nil {
		f.trace.params[k.param] = true
	}
	*dst = k.v
}

// conjunct is one condition joined by 且 in a rule's 条件. For a comparison
// the two sides are kept apart, so that a failure can say what the values
// were.
// sides evaluates both sides of a comparison.
func (c *conjunct) sides(f *frame) (a, b Value, err error) {
	if a, err = c.x(f); err != nil {
		return Value{}, Value{}, err
	}
	b, err = c.y(f)
	return a, b, err
}

type conjunct struct {
	expr       lang.Expr
	text       string    // as written
	xText      string    // left side as written
	yText      string    // right side as written
	holds      condition // whole condition, when not a comparison
	x, y       evalFn    // sides of a comparison
	xExpr      lang.Expr // left side, for the explanation
	yExpr      lang.Expr // right side
	compare    func(a, b Value) bool
	op         lang.BinOp
	isCompared bool
	// a comparison of numbers is also compiled to test, which says whether
	// it holds and, when it does not, leaves its sides in a miss
	test         testFn
	xKind, yKind lang.Kind
}

// Compile turns a checked program into an evaluable one. funcs implements
// checked.Builtins, index for index.
func Compile(checked *lang.Program, funcs []Builtin, opts Options) (*Program, error) {
	if len(funcs) != len(checked.Builtins) {
		return nil, fmt.Errorf("interp: %d built-in implementations for %d built-ins", len(funcs), len(checked.Builtins))
	}
	limits := opts.Limits.withDefaults()
	digits := limits.MaxIntegerDigits
	p := &Program{
		limits:     limits,
		checked:    checked,
		inputs:     checked.Inputs,
		inputKey:   map[string]int{},
		maxAbs:     decimal.New(1, int32(digits)),
		asOf:       opts.AsOf,
		bareRatios: opts.BareRatios,
	}
	p.magnitude = newMagnitudeLimit(digits)
	p.plainFits = digits >= 18 // a plain cell has at most 18 digits
	if err := literals(checked, p); err != nil {
		return nil, err
	}
	if p.asOf == (lang.Date{}) {
		p.asOf, p.asOfToday = today(), true
	}
	p.asOfInput = checked.AsOfInput
	p.usesDate = p.asOfInput >= 0
	for _, r := range checked.Rules {
		p.usesDate = p.usesDate || r.Validity != nil || r.File.Validity != nil
	}
	for _, b := range checked.Budgets {
		p.usesDate = p.usesDate || b.Yearly // each year's records apart
	}
	for _, q := range checked.Quotas {
		p.usesDate = p.usesDate || q.Yearly
	}
	for e := range checked.Types {
		if _, ok := e.(*lang.AsOf); ok {
			p.usesDate = true
		}
	}
	p.inputName = make(map[string]int, len(checked.Inputs))
	for i, in := range checked.Inputs {
		p.inputKey[in.Name.Key] = i
		p.inputName[in.Name.Text] = i
		p.inputKinds = append(p.inputKinds, in.Type.Kind)
		var kinds []lang.Kind
		if in.Type.Kind == lang.KindList {
			p.listInputs = append(p.listInputs, i)
			if in.Type.Rec != nil {
				for _, fd := range in.Type.Rec.Fields {
					kinds = append(kinds, fd.Type.Kind)
				}
			}
		}
		p.fieldKinds = append(p.fieldKinds, kinds)
	}
	c := &compiler{prog: p, checked: checked, funcs: funcs}

	overrides := map[string]string{}
	for k, v := range opts.Params {
		overrides[lang.FoldName(k)] = v
	}
	for _, par := range checked.Params {
		t := checked.Types[par.Value]
		p.paramPeriods = append(p.paramPeriods, nil)
		if text, ok := overrides[par.Name.Key]; ok {
			v, err := ParseValue(t, text) // one value for every date
			if err != nil {
				return nil, msgf("参数“%s”的值“%s”无效：%s", "parameter %q: the value %q is invalid: %s", par.Name.Text, text, errText(err))
			}
			p.params = append(p.params, v)
			delete(overrides, par.Name.Key)
			continue
		}
		what, whatEn := "参数“"+par.Name.Text+"”", fmt.Sprintf("parameter %q", par.Name.Text)
		if par.Periods != nil {
			var periods []datedValue
			for _, pd := range par.Periods {
				v, err := c.constant(pd.Value, what, whatEn)
				if err != nil {
					return nil, err
				}
				periods = append(periods, datedValue{from: pd.From, v: numericOr(t, v)})
			}
			p.paramPeriods[len(p.paramPeriods)-1] = periods
			p.params = append(p.params, periods[0].v) // read through paramAt, by date
			p.usesDate = true
			continue
		}
		v, err := c.constant(par.Value, what, whatEn)
		if err != nil {
			return nil, err
		}
		p.params = append(p.params, v)
	}
	for k := range overrides {
		return nil, msgf("没有名为“%s”的参数", "there is no parameter %q", k)
	}
	p.datePerRecord = p.usesDate && (p.asOfToday || p.asOfInput >= 0) // (usesDate is final: dated parameters set it)
	for _, d := range checked.Defs {
		p.defs = append(p.defs, c.def(d.Name, d.Value))
	}
	for _, st := range checked.File.Stmts {
		if a, ok := st.(*lang.Assign); ok {
			if s := checked.Symbols[a.Name.Key]; s != nil && s.Kind == lang.SymDef {
				p.defsInSource = append(p.defsInSource, s.Index)
			}
		}
	}
	for _, st := range checked.Order {
		switch st := st.(type) {
		case *lang.Assign:
			p.order = append(p.order, step{stepDef, checked.Symbols[st.Name.Key].Index})
		case *lang.Rule:
			p.order = append(p.order, step{stepRule, checked.Symbols[st.Name.Key].Rule})
		case *lang.Exclusive:
			p.order = append(p.order, step{stepGroup, checked.Symbols[st.Name.Key].Index})
		case *lang.Limit:
			p.order = append(p.order, step{stepLimit, checked.Symbols[st.Name.Key].Index})
		case *lang.Deny:
			p.order = append(p.order, step{stepDeny, checked.Symbols[st.Name.Key].Index})
		}
	}
	p.ledger = checked.Ledger
	for _, fi := range checked.File.Files {
		if v := fi.Validity; v != nil && v.From != nil && v.By == nil && (p.firstYear == 0 || v.From.Year < p.firstYear) {
			p.firstYear = v.From.Year
		}
	}
	for i, l := range checked.Limits {
		cl := compiledLimit{name: l.Name.Text, cites: l.Cites, pos: l.Name.Pos, amount: c.num(l.Amount), rules: checked.LimitRules[i], scope: l.Scope}
		for _, r := range cl.rules {
			cl.keys = append(cl.keys, matchKeys(checked.Rules[r])...)
		}
		p.limits2 = append(p.limits2, cl)
	}
	// the order an enterprise's records are settled in: as one record's
	p.capsByStage = make([]int, len(checked.Limits))
	for k := range p.capsByStage {
		p.capsByStage[k] = k
	}
	slices.SortStableFunc(p.capsByStage, func(a, b int) int { return checked.LimitStage(a) - checked.LimitStage(b) })
	for i, d := range checked.Denies {
		cd := compiledDeny{name: d.Name.Text, cites: d.Cites, rules: checked.DenyRules[i], text: spanText(checked.File.Src, d.Cond.Span())}
		for _, e := range splitOr(d.Cond) {
			cd.cases = append(cd.cases, c.conjunct(e))
		}
		p.denies = append(p.denies, cd)
	}
	for i, b := range checked.Budgets {
		v, err := c.constant(b.Total, "预算“"+b.Name.Text+"”的总额", fmt.Sprintf("the total of budget %q", b.Name.Text))
		if err != nil {
			return nil, err
		}
		if v.Decimal().IsNegative() {
			return nil, &lang.Error{Pos: b.Total.Position(), Zh: fmt.Sprintf("预算“%s”的总额是 %s，不能为负数", b.Name.Text, v), En: fmt.Sprintf("the total of budget %q is %s; it cannot be negative", b.Name.Text, v)}
		}
		p.budgets = append(p.budgets, compiledBudget{name: b.Name.Text, total: v.Decimal(), rules: checked.BudgetRules[i], yearly: b.Yearly})
	}
	for i, q := range checked.Quotas {
		v, err := c.constant(q.Count, "评选“"+q.Name.Text+"”的名额", fmt.Sprintf("the quota of %q", q.Name.Text))
		if err != nil {
			return nil, err
		}
		n := v.Decimal()
		if !n.IsInteger() || n.IsNegative() || n.GreaterThan(decimal.NewFromInt(1_000_000_000)) {
			return nil, &lang.Error{Pos: q.Count.Position(), Zh: "名额应为不小于 0 的整数", En: "a quota must be a whole number, 0 or more"}
		}
		cq := compiledQuota{name: q.Name.Text, count: int(n.IntPart()), rankText: spanText(checked.File.Src, q.Rank.Span()), rules: checked.QuotaRules[i], yearly: q.Yearly, rankAt: p.ranks}
		for _, r := range q.Ranks {
			cq.ranks = append(cq.ranks, c.expr(r))
		}
		p.ranks += len(cq.ranks)
		p.quotas = append(p.quotas, cq)
	}
	for ri, r := range checked.Rules {
		cr := compiledRule{rule: r, pays: checked.Pays[ri]}
		if r.Once {
			cr.ledgerSteps = append(cr.ledgerSteps, p.onceStep(matchKeys(r)))
		}
		if r.Consecutive != nil {
			v, err := c.constant(r.Consecutive, "“最多连续”的年数", `the years of "最多连续"`)
			if err != nil {
				return nil, err
			}
			n := v.Decimal()
			if !n.IsInteger() || !n.IsPositive() {
				return nil, &lang.Error{Pos: r.Consecutive.Position(), Zh: "“最多连续”的年数应为正整数", En: "the years of 最多连续 must be a whole number above 0"}
			}
			cr.ledgerSteps = append(cr.ledgerSteps, p.consecutiveStep(matchKeys(r), n.IntPart()))
		}
		for _, v := range []*lang.Validity{r.File.Validity, r.Validity} {
			switch {
			case v == nil:
			case v.By != nil: // on a date of the record: a step of the rule's body
				cr.byDate = append(cr.byDate, byValidity{v: v, step: byValidityStep(v, c.expr(v.By))})
			default:
				cr.validity = append(cr.validity, v)
				if cr.outside == nil {
					cr.outside = outsideValidity(v, p.asOf)
				}
			}
		}
		if r.Cond != nil {
			for _, e := range splitAnd(r.Cond) {
				cr.conjuncts = append(cr.conjuncts, c.conjunct(e))
			}
		}
		for _, o := range r.Outputs {
			cr.outputs = append(cr.outputs, c.def(o.Name, o.Value))
		}
		for _, x := range r.Exceptions {
			ce := compiledException{cond: c.condition(x.Cond), text: string(checked.File.Src[x.Cond.Span().Start:x.Cond.Span().End])}
			for _, a := range x.Assigns {
				target := checked.Overrides[a]
				o := override{output: target.Index, typ: target.Type, value: c.expr(a.Value)}
				if target.Type.IsNumeric() && c.numericExpr(a.Value) {
					o.num = c.num(a.Value)
					o.konst = c.storedConst(a.Value, target.Type)
				}
				ce.overrides = append(ce.overrides, o)
			}
			cr.exceptions = append(cr.exceptions, ce)
		}
		p.rules = append(p.rules, cr)
	}
	for i := range p.rules {
		p.rules[i].body = ruleBody{steps: p.bodySteps(&p.rules[i]), conjuncts: p.rules[i].conjuncts}
	}
	p.computeReadSets()
	p.onlyRules = len(p.quotas) == 0 && len(p.defsInSource) == 0
	for _, st := range p.order {
		p.onlyRules = p.onlyRules && st.kind == stepRule
	}
	if p.onlyRules {
		for _, st := range p.order {
			p.steady = append(p.steady, p.steadyRule(st.i))
		}
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// literals reports the first number written in the policy (by position)
// that the limits do not allow.
func literals(checked *lang.Program, p *Program) error {
	var bad []*lang.NumberLit
	for e := range checked.Types {
		if lit, ok := e.(*lang.NumberLit); ok && !p.magnitude.within(fromDecimal(lit.Value)) {
			bad = append(bad, lit)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	slices.SortFunc(bad, func(a, b *lang.NumberLit) int { return a.Pos.Offset - b.Pos.Offset })
	return p.outOfRange(bad[0].Pos, fromDecimal(bad[0].Value))
}

// constant evaluates e, which the checker let use only constants and
// parameters, before any record: a parameter, a budget's total, a quota.
// A value that cannot be had (a category missing from a table) is an error
// naming what, not a 不适用 that would stand for 0 in every record.
func (c *compiler) constant(e lang.Expr, whatZh, whatEn string) (Value, error) {
	p := c.prog
	v, err := c.expr(e)(&frame{prog: p, ctx: context.Background(), asOf: p.asOf, steps: p.limits.MaxSteps})
	if err != nil {
		return Value{}, err
	}
	if v.IsNA() {
		return Value{}, &lang.Error{Pos: e.Position(), Zh: fmt.Sprintf("%s无法得出：%s", whatZh, v.Str()), En: fmt.Sprintf("%s cannot be had: %s", whatEn, v.Str())}
	}
	return v, nil
}

type compiler struct {
	prog    *Program
	checked *lang.Program
	funcs   []Builtin
	// errs holds what is wrong in expressions found while compiling them
	// (tiers that overlap): reported together when Compile ends
	errs []error
}

// err is what went wrong while compiling, or nil: the positioned errors
// as one list, else the first.
func (c *compiler) err() error {
	var list lang.ErrorList
	for _, err := range c.errs {
		le, ok := err.(*lang.Error)
		if !ok {
			return err
		}
		list = append(list, le)
	}
	if len(list) == 0 {
		return nil
	}
	return list
}
