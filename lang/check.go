package lang

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Builtin describes a built-in function to the checker. The functions
// themselves live in package stdlib.
type Builtin struct {
	// Names are every spelling of the function: "min", "最小".
	Names []string
	// MinArgs and MaxArgs bound the number of arguments; MaxArgs < 0
	// means any number.
	MinArgs, MaxArgs int
	// Result returns the type of a call with these argument types, or an
	// ArgError saying which argument is wrong.
	Result func(args []Type) (Type, *ArgError)
}

// ArgError says what is wrong with argument Arg (from 0) of a call.
type ArgError struct {
	Arg    int
	Zh, En string
}

// SymbolKind tells what a name refers to.
type SymbolKind uint8

// The kinds of names.
const (
	SymInput      SymbolKind = iota // a field read from each record
	SymParam                        // a policy parameter
	SymDef                          // a top-level definition
	SymOutput                       // an output of a rule
	SymRule                         // a rule itself
	SymApplies                      // whether a rule applies: 规则名.适用
	SymGroup                        // a group of rules: 就高不重复
	SymField                        // a field of the item in 对每个; Rule is the nesting depth
	SymPopulation                   // a budget (预算) or a quota (评选)
)

// Symbol is what a name refers to. Index is the position of the declaration
// in Program.Inputs, Params, Defs, or (for outputs) in its rule's Outputs;
// Rule is the index of the rule in Program.Rules for outputs, rules and
// SymApplies.
type Symbol struct {
	Kind  SymbolKind
	Name  Name
	Type  Type
	Index int
	Rule  int // for SymOutput: the index of the rule in Program.Rules
}

// Program is a checked policy: every name resolved, every expression typed,
// definitions in an order in which each comes after what it uses.
type Program struct {
	File   *File
	Inputs []*Input
	Params []*Param  // dependencies first
	Defs   []*Assign // dependencies first
	Rules  []*Rule   // in source order
	// Order lists the definitions (*Assign) and rules (*Rule) in the order
	// they are evaluated: each after everything it uses.
	Order []Stmt
	// RuleScopes holds each rule's outputs by key.
	RuleScopes []map[string]*Symbol
	// Groups are the 就高不重复 groups; GroupRules[i] lists the indexes of
	// group i's rules in Program.Rules, in the order written.
	Groups     []*Exclusive
	GroupRules [][]int
	// Budgets and Quotas act on all records after each has been
	// evaluated; BudgetRules and QuotaRules list their rules' indexes.
	// Limits cap what their rules pay one enterprise in all (上限);
	// LimitRules lists each one's rules, in the order they are paid.
	Limits     []*Limit
	LimitRules [][]int
	// Denies are the cases the policy excludes (不予支持); DenyRules
	// lists the rules each one covers.
	Denies    []*Deny
	DenyRules [][]int
	// Ledger is the index in Inputs of the 台账 input (what the enterprise
	// has been paid before), or -1.
	Ledger int
	// AsOfInput is the index in Inputs of the input that holds each
	// record's evaluation date (评估日期 = 申报日期), or -1.
	AsOfInput int
	// Pays gives, for each rule, the index in its Outputs of what it pays
	// (the output written 给予, or its only 金额 output), or -1 for a rule
	// that pays no money.
	Pays        []int
	Budgets     []*Budget
	BudgetRules [][]int
	Quotas      []*Quota
	QuotaRules  [][]int
	Builtins    []Builtin
	// Types gives the type of every expression.
	Types map[Expr]Type
	// Uses gives the symbol each name refers to.
	Uses map[*Ref]*Symbol
	// Selected gives the rule output (SymOutput) or SymApplies each
	// selector refers to.
	Selected map[*Selector]*Symbol
	// Overrides gives the output each assignment of a 其中 replaces.
	Overrides map[*Assign]*Symbol
	// Calls gives the index in Builtins of each call's function.
	Calls map[*Call]int
	// Symbols holds the top-level names by key.
	Symbols map[string]*Symbol
	// Warnings are diagnostics that do not stop the program: unused inputs.
	Warnings ErrorList
}

// BuiltinNames lists every spelling of the builtins, for Parse.
func BuiltinNames(builtins []Builtin) []string {
	var names []string
	for _, b := range builtins {
		names = append(names, b.Names...)
	}
	return names
}

// CheckExpr checks a lone expression, in a program with no declarations.
func CheckExpr(f *File, e Expr, builtins []Builtin) (*Program, error) {
	prog, err := Check(f, builtins)
	if err != nil {
		return nil, err
	}
	c := &checker{prog: prog, builtinByKey: map[string]int{}, used: map[*Symbol]bool{}}
	for i, b := range builtins {
		for _, n := range b.Names {
			c.builtinByKey[strings.Map(fold, n)] = i
		}
	}
	c.expr(e)
	if len(c.errs) > 0 {
		return nil, c.errs.unique()
	}
	return prog, nil
}

// Check resolves names and checks types. Errors are an ErrorList; the
// returned Program carries warnings.
func Check(f *File, builtins []Builtin) (*Program, error) {
	c := &checker{
		prog: &Program{
			File: f, Builtins: builtins,
			Types:     map[Expr]Type{},
			Uses:      map[*Ref]*Symbol{},
			Selected:  map[*Selector]*Symbol{},
			Overrides: map[*Assign]*Symbol{},
			Calls:     map[*Call]int{},
			Symbols:   map[string]*Symbol{},
		},
		builtinByKey: map[string]int{},
		used:         map[*Symbol]bool{},
		declared:     map[Stmt]bool{},
	}
	for i, b := range builtins {
		for _, n := range b.Names {
			c.builtinByKey[strings.Map(fold, n)] = i
		}
	}
	c.declare()
	c.prog.AsOfInput = c.asOfInput()
	c.prog.Ledger = c.ledger()
	c.orderParams()
	c.orderDefsAndRules()
	for _, fi := range f.Files {
		c.validityBy(fi.Validity)
	}
	c.checkPopulation()
	for _, fi := range f.Files {
		if len(fi.TestDefaults) > 0 {
			c.checkTest(&Test{Given: fi.TestDefaults})
		}
	}
	for _, t := range f.Tests {
		c.checkTest(t)
	}
	c.prog.Warnings = append(c.prog.Warnings, f.Warnings...)
	for _, in := range c.prog.Inputs {
		if s := c.prog.Symbols[in.Name.Key]; s != nil && !c.used[s] {
			c.prog.Warnings = append(c.prog.Warnings, &Error{Pos: in.Name.Pos, Warning: true,
				Zh: fmt.Sprintf("输入“%s”没有被使用", in.Name.Text),
				En: fmt.Sprintf("input %q is never used", in.Name.Text)})
		}
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return c.prog, nil
}

type checker struct {
	prog         *Program
	builtinByKey map[string]int
	used         map[*Symbol]bool
	declared     map[Stmt]bool // statements whose name was accepted
	errs         ErrorList
	// scope holds the outputs of the rule being checked, or nil.
	scope map[string]*Symbol
	// constant, when not nil, names what is being checked that must be
	// known before any record is evaluated (a parameter, a budget's total,
	// a quota): it may use only constants, parameters and functions of them.
	constant *constantKind
	// allowed limits what names an expression may use (parameters may use
	// only parameters); nil allows all.
	allowed func(*Symbol) bool
	// settlers maps a rule's key to the keys of the statements that
	// settle what it pays after it is evaluated (its 就高不重复 group, its
	// 上限), which whoever reads the rule must wait for.
	settlers map[string][]string
	// stage orders the settling statements: a group (1) before a cap (2).
	stage map[string]int
	// dated holds the keys of the parameters that change by date
	dated map[string]bool
	// fields holds the fields in scope inside 对每个, innermost last.
	fields []map[string]*Symbol
}

// constantKind names, in both languages, a value fixed before any record is
// evaluated.
type constantKind struct{ zh, en string }

var (
	constParam = constantKind{"参数", "a parameter"}
	constTotal = constantKind{"预算总额", "a budget's total"}
	constQuota = constantKind{"名额", "a quota"}
	// the years of 最多连续
	constConsecutive = constantKind{"连续年数", "the years of 最多连续"}
	constBound       = constantKind{"分档的界限", "the bound of a tier"}
)

func (c *checker) errorf(pos Pos, zh, en string, args ...any) {
	c.errs = append(c.errs, errorf(pos, zh, en, args...))
}

// declare records every top-level name.
func (c *checker) declare() {
	p := c.prog
	add := func(n Name, s *Symbol) bool {
		if prev, ok := p.Symbols[n.Key]; ok {
			c.errorf(n.Pos, "名称“%s”重复定义，首次定义在 %s", "%q is defined twice; first at %s", n.Text, prev.Name.Pos)
			return false
		}
		if _, ok := c.builtinByKey[n.Key]; ok {
			c.errorf(n.Pos, "“%s”是内置函数的名称，请换一个名称", "%q is the name of a built-in function; choose another name", n.Text)
			return false
		}
		s.Name = n
		p.Symbols[n.Key] = s
		return true
	}
	for _, st := range p.File.Stmts {
		switch st := st.(type) {
		case *Input:
			if prev, ok := p.Symbols[st.Name.Key]; ok && prev.Kind == SymInput && prev.Type == st.Type && prev.Name.Pos.File != st.Name.Pos.File {
				continue // the same input, declared again by another file of the policy
			}
			if add(st.Name, &Symbol{Kind: SymInput, Type: st.Type, Index: len(p.Inputs)}) {
				p.Inputs = append(p.Inputs, st)
			}
		case *Param:
			c.declared[st] = add(st.Name, &Symbol{Kind: SymParam, Index: -1})
		case *Assign:
			c.declared[st] = add(st.Name, &Symbol{Kind: SymDef, Index: -1})
		case *Rule:
			if add(st.Name, &Symbol{Kind: SymRule, Index: -1, Rule: len(p.Rules)}) {
				p.Rules = append(p.Rules, st)
				p.RuleScopes = append(p.RuleScopes, map[string]*Symbol{})
			}
		case *Budget:
			if add(st.Name, &Symbol{Kind: SymPopulation, Index: len(p.Budgets)}) {
				p.Budgets = append(p.Budgets, st)
			}
		case *Quota:
			if add(st.Name, &Symbol{Kind: SymPopulation, Index: len(p.Quotas)}) {
				p.Quotas = append(p.Quotas, st)
			}
		case *Exclusive:
			c.declared[st] = add(st.Name, &Symbol{Kind: SymGroup, Index: len(p.Groups)})
			if c.declared[st] {
				p.Groups = append(p.Groups, st)
			}
		case *Limit:
			c.declared[st] = add(st.Name, &Symbol{Kind: SymGroup, Index: len(p.Limits)})
			if c.declared[st] {
				p.Limits = append(p.Limits, st)
			}
		case *Deny:
			c.declared[st] = add(st.Name, &Symbol{Kind: SymGroup, Index: len(p.Denies)})
			if c.declared[st] {
				p.Denies = append(p.Denies, st)
			}
		}
	}
	p.Pays = make([]int, len(p.Rules))
	for i := range p.Pays {
		p.Pays[i] = -1
	}
	// resolve the groups' rules
	inGroup := map[int]*Exclusive{}
	for _, g := range p.Groups {
		var idx []int
		for _, n := range g.Rules {
			s, ok := p.Symbols[n.Key]
			if !ok || s.Kind != SymRule {
				c.errorf(n.Pos, "没有名为“%[1]s”的规则", "there is no rule named %[1]q", n.Text)
				continue
			}
			if other, ok := inGroup[s.Rule]; ok {
				c.errorf(n.Pos, "规则“%[1]s”已在“%[2]s”中；一条规则只能属于一个就高不重复组", "rule %[1]q is already in %[2]q; a rule belongs to one group at most", n.Text, other.Name.Text)
				continue
			}
			inGroup[s.Rule] = g
			idx = append(idx, s.Rule)
		}
		if len(g.Rules) < 2 {
			c.errorf(g.Name.Pos, "就高不重复组“%[1]s”至少要有两条规则", "the group %[1]q needs at least two rules", g.Name.Text)
		}
		p.GroupRules = append(p.GroupRules, idx)
	}
	// a cap's rules in the order listed, a case excluded and its rules; no
	// rules listed means every rule (for a cap, every rule that pays,
	// which checkLimits sees to once the rules are checked)
	allRules := func() []int {
		idx := make([]int, len(p.Rules))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	for _, l := range p.Limits {
		idx := c.namedRules(l.Rules)
		if len(l.Rules) == 0 {
			idx = allRules()
		}
		p.LimitRules = append(p.LimitRules, idx)
		if l.Amount == nil {
			c.errorf(l.Name.Pos, "上限“%[1]s”缺少“额度 = …”", "the cap %[1]q lacks 额度 = … (limit)", l.Name.Text)
		}
	}
	for _, d := range p.Denies {
		idx := c.namedRules(d.Rules)
		if len(d.Rules) == 0 {
			idx = allRules()
		}
		p.DenyRules = append(p.DenyRules, idx)
		if d.Cond == nil {
			c.errorf(d.Name.Pos, "不予支持“%[1]s”缺少“条件 …”：写明哪些情形不予支持", "the exclusion %[1]q lacks 条件 … (when): say which cases are excluded", d.Name.Text)
		}
	}
}

// namedRules resolves the rules a statement names, reporting names that
// are not rules.
func (c *checker) namedRules(names []Name) []int {
	var idx []int
	for _, n := range names {
		s, ok := c.prog.Symbols[n.Key]
		if !ok || s.Kind != SymRule {
			c.errorf(n.Pos, "没有名为“%[1]s”的规则", "there is no rule named %[1]q", n.Text)
			continue
		}
		idx = append(idx, s.Rule)
	}
	return idx
}

// validityBy checks the date a validity is tested on, when it names one.
func (c *checker) validityBy(v *Validity) {
	if v != nil && v.By != nil {
		if t := c.expr(v.By); t != DateT && t != Invalid {
			c.errorf(v.By.Pos, "有效期按“%[1]s”判断，它应是日期，这里是%[2]s", "the validity is tested on %[1]q, which must be a date, not %[3]s", v.By.Name.Text, t, t.English())
		}
	}
}

// ledger finds the 台账 input: one at most.
func (c *checker) ledger() int {
	found := -1
	for i, in := range c.prog.Inputs {
		if in.Type.Rec == LedgerRecord {
			if found >= 0 {
				c.errorf(in.Name.Pos, "政策只能有一个台账输入，已有“%[1]s”", "a policy has one 台账 (ledger) input at most; %[1]q is one", c.prog.Inputs[found].Name.Text)
				continue
			}
			found = i
			c.used[c.prog.Symbols[in.Name.Key]] = true // read by the words that use it
		}
	}
	return found
}

// needLedger reports a word that reads the 台账 in a policy without one.
func (c *checker) needLedger(pos Pos, word string) {
	if c.prog.Ledger < 0 {
		c.errorf(pos, "“%[1]s”要看企业以往的兑现：请声明一个台账输入，如“输入 已兑现：台账”（每项：年度、事项、兑现额）",
			"%[1]s reads what the enterprise was paid before: declare a 台账 (ledger) input, such as 输入 已兑现：台账 (each item: 年度, 事项, 兑现额)", word)
	}
}

// asOfInput resolves 评估日期 = NAME: an input of type 日期.
func (c *checker) asOfInput() int {
	n := c.prog.File.AsOfInput
	if n == nil {
		return -1
	}
	s, ok := c.prog.Symbols[n.Key]
	if !ok || s.Kind != SymInput || s.Type != DateT {
		c.errorf(n.Pos, "评估日期应取自一个日期输入，“%[1]s”不是", "the evaluation date must come from an input of type 日期 (date); %[1]q is not one", n.Text)
		return -1
	}
	c.used[s] = true
	return s.Index
}

// orderParams checks the parameters, in an order where each comes after
// the parameters it uses.
func (c *checker) orderParams() {
	var params []*Param
	c.dated = map[string]bool{}
	for _, st := range c.prog.File.Stmts {
		if p, ok := st.(*Param); ok && c.declared[p] {
			params = append(params, p)
			if p.Periods != nil {
				c.dated[p.Name.Key] = true
			}
		}
	}
	names := make([]Name, len(params))
	exprs := make([][]Expr, len(params))
	for i, p := range params {
		names[i], exprs[i] = p.Name, []Expr{p.Value}
	}
	for i, p := range params { // every period's value is used too
		for _, pd := range p.Periods[min(1, len(p.Periods)):] {
			exprs[i] = append(exprs[i], pd.Value)
		}
	}
	c.order(names, exprs, nil, func(i int) {
		c.constant = &constParam
		t := c.expr(params[i].Value)
		for _, pd := range params[i].Periods[min(1, len(params[i].Periods)):] {
			if u := c.expr(pd.Value); !fits(u, t) {
				c.errorf(pd.Value.Position(), "参数“%[1]s”的各个值类型应相同：%[2]s 与 %[3]s", "the values of parameter %[1]q must be of one type: %[4]s and %[5]s", params[i].Name.Text, t, u, t.English(), u.English())
			}
		}
		c.constant = nil
		s := c.prog.Symbols[params[i].Name.Key]
		s.Type, s.Index = t, len(c.prog.Params)
		c.prog.Params = append(c.prog.Params, params[i])
	})
}

// orderDefsAndRules checks the definitions, rules and the statements that
// act on rules per record (就高不重复, 上限, 不予支持), each after what it
// uses, and records that order for evaluation.
func (c *checker) orderDefsAndRules() {
	p := c.prog
	var stmts []Stmt
	var names []Name
	var exprs [][]Expr
	// a rule a 不予支持 covers waits for its verdict
	extra := map[string][]string{}
	applies := func(n Name) Expr {
		return &Selector{node: node{Pos: n.Pos}, Rule: n, Field: Name{Text: "适用", Key: "适用"}}
	}
	for _, st := range p.File.Stmts {
		switch st := st.(type) {
		case *Assign:
			if c.declared[st] {
				stmts, names, exprs = append(stmts, st), append(names, st.Name), append(exprs, []Expr{st.Value})
			}
		case *Rule:
			if s := p.Symbols[st.Name.Key]; s != nil && s.Kind == SymRule && p.Rules[s.Rule] == st {
				var es []Expr
				if st.Cond != nil {
					es = append(es, st.Cond)
				}
				for _, v := range []*Validity{st.File.Validity, st.Validity} {
					if v != nil && v.By != nil {
						es = append(es, v.By)
					}
				}
				for _, o := range st.Outputs {
					es = append(es, o.Value)
				}
				for _, x := range st.Exceptions {
					es = append(es, x.Cond)
					for _, a := range x.Assigns {
						es = append(es, a.Value)
					}
				}
				stmts, names, exprs = append(stmts, st), append(names, st.Name), append(exprs, es)
			}
		case *Exclusive:
			if c.declared[st] {
				// the group depends on its rules: name them as selectors
				var es []Expr
				for _, n := range st.Rules {
					es = append(es, applies(n))
				}
				stmts, names, exprs = append(stmts, st), append(names, st.Name), append(exprs, es)
			}
		case *Limit:
			if c.declared[st] {
				var es []Expr
				for _, r := range p.LimitRules[p.Symbols[st.Name.Key].Index] {
					es = append(es, applies(p.Rules[r].Name))
				}
				if st.Amount != nil {
					es = append(es, st.Amount)
				}
				stmts, names, exprs = append(stmts, st), append(names, st.Name), append(exprs, es)
			}
		case *Deny:
			if c.declared[st] {
				var es []Expr
				if st.Cond != nil {
					es = append(es, st.Cond)
				}
				for _, r := range p.DenyRules[p.Symbols[st.Name.Key].Index] {
					extra[p.Rules[r].Name.Key] = append(extra[p.Rules[r].Name.Key], st.Name.Key)
				}
				stmts, names, exprs = append(stmts, st), append(names, st.Name), append(exprs, es)
			}
		}
	}
	// Whoever uses a rule that a group or a cap settles uses what they
	// decided, so it must come after them; but not their own rules. Among
	// the settlers, the stages say who goes first (settleStages).
	c.settlers, c.stage = map[string][]string{}, settleStages(p)
	for i, g := range p.Groups {
		for _, r := range p.GroupRules[i] {
			key := p.Rules[r].Name.Key
			c.settlers[key] = append(c.settlers[key], g.Name.Key)
		}
	}
	for i, l := range p.Limits {
		for _, r := range p.LimitRules[i] {
			key := p.Rules[r].Name.Key
			c.settlers[key] = append(c.settlers[key], l.Name.Key)
		}
	}
	c.order(names, exprs, extra, func(i int) {
		switch st := stmts[i].(type) {
		case *Assign:
			t := c.expr(st.Value)
			s := p.Symbols[st.Name.Key]
			s.Type, s.Index = t, len(p.Defs)
			p.Defs = append(p.Defs, st)
		case *Rule:
			c.checkRule(p.Symbols[st.Name.Key].Rule, st)
		case *Exclusive:
			for _, n := range st.Rules {
				s := p.Symbols[n.Key]
				if s == nil || s.Kind != SymRule {
					continue // reported where the group was resolved
				}
				if r := s.Rule; p.Pays[r] < 0 {
					c.errorf(n.Pos, "就高不重复要比较金额，规则“%[1]s”没有给予金额", "就高不重复 compares amounts; rule %[1]q pays no money", p.Rules[r].Name.Text)
				}
			}
		case *Limit:
			c.checkLimit(p.Symbols[st.Name.Key].Index, st)
		case *Deny:
			if st.Cond != nil {
				if t := c.expr(st.Cond); t != Bool && t != Invalid {
					c.errorf(st.Cond.Position(), "不予支持的条件应为是否（真/假），实际是%[1]s", "the condition of an exclusion must be true or false, not %[2]s", t, t.English())
				}
			}
		}
		p.Order = append(p.Order, stmts[i])
	})
}

// checkLimit checks cap i: its rules must pay money (when it names none, it
// takes every rule that pays), and its 额度 is an amount.
func (c *checker) checkLimit(i int, l *Limit) {
	p := c.prog
	if len(l.Rules) == 0 {
		var paying []int
		for _, r := range p.LimitRules[i] {
			if p.Pays[r] >= 0 {
				paying = append(paying, r)
			}
		}
		p.LimitRules[i] = paying
	}
	for k, r := range p.LimitRules[i] {
		if p.Pays[r] < 0 {
			c.errorf(l.Rules[k].Pos, "上限限制的是给予的金额，规则“%[1]s”没有给予金额", "a cap limits amounts paid; rule %[1]q pays no money", p.Rules[r].Name.Text)
		}
	}
	if l.Amount != nil {
		c.wantNumeric(l.Amount, "上限的额度应为金额，这里是%[1]s", "the limit of a cap must be an amount, not %[2]s")
	}
	if l.Scope != "" {
		c.needLedger(l.Name.Pos, l.Scope+"最高")
	}
}

// order visits n declarations depth first, so that check(i) runs after the
// checks of the declarations i uses (the names in exprs[i], and the keys
// extra gives for its name), and reports cycles.
func (c *checker) order(names []Name, exprs [][]Expr, extra map[string][]string, check func(i int)) {
	const (
		unvisited = iota
		active
		finished
	)
	state := make([]int, len(names))
	index := map[string]int{}
	for i, n := range names {
		index[n.Key] = i
	}
	var stack []Name
	var visit func(i int)
	visit = func(i int) {
		name := names[i]
		switch state[i] {
		case finished:
			return
		case active:
			var cycle []string
			for j := len(stack) - 1; j >= 0; j-- {
				cycle = append([]string{stack[j].Text}, cycle...)
				if stack[j].Key == name.Key {
					break
				}
			}
			cycle = append(cycle, name.Text)
			c.errorf(name.Pos, "定义循环引用：%s", "circular definition: %s", strings.Join(cycle, " → "))
			return
		}
		state[i] = active
		stack = append(stack, name)
		var deps []string
		for _, e := range exprs[i] {
			deps = append(deps, c.refsOf(e)...)
		}
		deps = append(deps, extra[name.Key]...)
		for _, dep := range deps {
			if j, ok := index[dep]; ok {
				visit(j)
			}
			for _, s := range c.settlers[dep] {
				if c.waitsFor(name.Key, s) {
					visit(index[s])
				}
			}
		}
		stack = stack[:len(stack)-1]
		check(i)
		state[i] = finished
	}
	for i := range names {
		visit(i)
	}
}

// settleStages orders the statements that settle what rules pay, by key:
// a cap on one rule is part of that rule's amount, so it comes first (1);
// then the 就高不重复 groups, which compare what rules pay (2); then the
// caps on several rules, a cap whose rules hold all of another's after
// that other (3 and on: 3 plus the number of caps nested in it).
func settleStages(p *Program) map[string]int {
	stage := map[string]int{}
	for _, g := range p.Groups {
		stage[g.Name.Key] = GroupStage
	}
	for i, l := range p.Limits {
		stage[l.Name.Key] = p.LimitStage(i)
	}
	return stage
}

// GroupStage is the settling stage of every 就高不重复 group: after the caps
// on one rule, before the caps on several (see LimitStage).
const GroupStage = 2

// LimitStage is the settling stage of cap i: 1 for a cap on one rule, which
// settles before the groups; 3 and on for a cap on several, 3 plus the
// number of caps on several whose rules it holds all of. Statements settle
// in stage order; of one stage, in the order written.
func (p *Program) LimitStage(i int) int {
	rules := p.LimitRules[i]
	if len(rules) == 1 {
		return 1
	}
	nested := 0
	for j, other := range p.LimitRules {
		if j != i && len(other) > 1 && len(other) < len(rules) && containsAll(rules, other) {
			nested++
		}
	}
	return GroupStage + 1 + nested
}

// containsAll reports whether every element of sub is in set.
func containsAll(set, sub []int) bool {
	for _, x := range sub {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return true
}

// waitsFor reports whether the declaration key, which uses a rule that
// settler settles, must come after settler: a settler waits only for those
// of an earlier stage (a cap for a group), anything else for those that do
// not settle it too (a rule of a group does not wait for its own group).
func (c *checker) waitsFor(key, settler string) bool {
	if settler == key {
		return false
	}
	if own := c.stage[key]; own > 0 {
		return c.stage[settler] < own
	}
	for _, s := range c.settlers[key] {
		if s == settler {
			return false
		}
	}
	return true
}

// refsOf lists the keys of the names e uses.
func (c *checker) refsOf(e Expr) []string {
	var keys []string
	Inspect(e, func(e Expr) {
		switch e := e.(type) {
		case *Ref:
			keys = append(keys, e.Name.Key)
		case *Selector:
			keys = append(keys, e.Rule.Key)
		}
	})
	return keys
}

func (c *checker) checkRule(i int, r *Rule) {
	c.validityBy(r.Validity)
	if r.Once {
		c.needLedger(r.Name.Pos, "一次性")
	}
	if r.Consecutive != nil {
		c.needLedger(r.Consecutive.Position(), "最多连续")
		c.constant = &constConsecutive
		c.wantNumeric(r.Consecutive, "“最多连续”的年数应为数值，这里是%[1]s", "the years of 最多连续 must be a number, not %[2]s")
		c.constant = nil
	}
	c.scope = c.prog.RuleScopes[i]
	defer func() { c.scope = nil }()
	c.allowed = func(s *Symbol) bool { return s.Kind != SymOutput || s.Rule == i }
	defer func() { c.allowed = nil }()
	if len(r.Outputs) == 0 {
		c.errorf(r.Name.Pos, "规则“%s”没有输出；请写出它给予什么，如：补助 = …", "rule %q has no output; say what it grants, e.g. 补助 = …", r.Name.Text)
	}
	isBool := func(e Expr, zh, en string) {
		if t := c.expr(e); t != Bool && t != Invalid {
			c.errorf(e.Position(), zh+"应为是否（真/假），实际是%[1]s", en+" must be true or false, not %[2]s", t, t.English())
		}
	}
	// in the order written: a condition or an exception sees the outputs above it
	for _, item := range r.Body {
		switch item.Kind {
		case BodyCond:
			isBool(r.Cond, "规则的条件", "the condition of a rule")
		case BodyException:
			x := r.Exceptions[item.Index]
			isBool(x.Cond, "“其中”的条件", "the condition after 其中")
			for _, a := range x.Assigns {
				target, ok := c.scope[a.Name.Key]
				if !ok {
					c.errorf(a.Name.Pos, "“其中”只能改写本规则前面已定义的输出，“%[1]s”不是", "其中 can only override an output defined above it; %[1]q is not one", a.Name.Text)
					c.expr(a.Value)
					continue
				}
				c.prog.Overrides[a] = target
				if t := c.expr(a.Value); !fits(t, target.Type) {
					c.errorf(a.Value.Position(), "“%[1]s”是%[2]s，这里给了%[3]s", "%[1]q is %[4]s, but this gives %[5]s", a.Name.Text, target.Type, t, target.Type.English(), t.English())
				}
			}
		case BodyOutput:
			o := r.Outputs[item.Index]
			t := c.expr(o.Value)
			if prev, ok := c.scope[o.Name.Key]; ok {
				c.errorf(o.Name.Pos, "规则“%s”的输出“%s”重复定义，首次定义在 %s", "rule %q defines %q twice; first at %s", r.Name.Text, o.Name.Text, prev.Name.Pos)
				continue
			}
			c.scope[o.Name.Key] = &Symbol{Kind: SymOutput, Name: o.Name, Type: t, Index: item.Index, Rule: i}
		}
	}
	c.resolvePays(i, r)
}

// resolvePays decides what rule i pays: the output written 给予, which must
// be an amount; else its only 金额 output; else nothing. A rule with two
// or more 金额 outputs and none written 给予 is an error: which of them is
// paid, and which are working values (门槛, 基数), the drafter must say.
func (c *checker) resolvePays(i int, r *Rule) {
	if r.NoFunds != nil {
		if r.Pays >= 0 {
			c.errorf(r.Outputs[r.Pays].Name.Pos, "规则“%[1]s”写了“不给予资金”，不能再“给予”金额", "rule %[1]q says \"不给予资金\" (nofunds); it cannot also pay an amount", r.Name.Text)
		}
		return
	}
	if r.Pays >= 0 {
		o := r.Outputs[r.Pays]
		if t := c.prog.Types[o.Value]; t != Money && t != Invalid {
			c.errorf(o.Name.Pos, "“给予”的应是金额，“%[1]s”是%[2]s", "what a rule pays must be an amount; %[1]q is %[3]s", o.Name.Text, t, t.English())
			return
		}
		c.prog.Pays[i] = r.Pays
		return
	}
	var money []int
	for k, o := range r.Outputs {
		if c.prog.Types[o.Value] == Money {
			money = append(money, k)
		}
	}
	switch len(money) {
	case 0:
	case 1:
		c.prog.Pays[i] = money[0]
	default:
		var names []string
		for _, k := range money {
			names = append(names, r.Outputs[k].Name.Text)
		}
		last := r.Outputs[money[len(money)-1]].Name.Text
		c.errorf(r.Name.Pos, "规则“%[1]s”有 %[2]d 个金额输出（%[3]s），不知给予的是哪一个：请在给予的金额前写“给予”，如“给予 %[4]s = …”；其余的是计算用的中间值，不会给予",
			"rule %[1]q has %[2]d amounts (%[5]s) and does not say which it pays: write pay before it, as in \"pay %[4]s = …\"; the others are working values, never paid",
			r.Name.Text, len(money), strings.Join(names, "、"), last, strings.Join(names, ", "))
	}
}

// lookup finds what a name refers to.
func (c *checker) lookup(n Name) *Symbol {
	for i := len(c.fields) - 1; i >= 0; i-- {
		if s, ok := c.fields[i][n.Key]; ok {
			return s
		}
	}
	if s, ok := c.scope[n.Key]; ok {
		return s
	}
	if s, ok := c.prog.Symbols[n.Key]; ok && s.Kind != SymRule && s.Kind != SymGroup && s.Kind != SymPopulation {
		return s
	}
	return nil
}

func (c *checker) expr(e Expr) Type {
	t := c.expr1(e)
	c.prog.Types[e] = t
	return t
}

func (c *checker) expr1(e Expr) Type {
	switch e := e.(type) {
	case *NumberLit:
		return e.Type
	case *BoolLit:
		return Bool
	case *StringLit:
		return Text
	case *DateLit:
		return DateT
	case *SharesLit:
		return Shares
	case *AsOf:
		if k := c.constant; k != nil {
			c.errorf(e.Pos, "%[1]s在求值任何记录之前就已确定，不能用“评估日期”", "%[2]s is fixed before any record is evaluated; it cannot use 评估日期 (the evaluation date)", k.zh, k.en)
			return Invalid
		}
		return DateT
	case *Ref:
		return c.ref(e)
	case *Selector:
		if k := c.constant; k != nil {
			c.errorf(e.Pos, "%[1]s在求值任何记录之前就已确定，不能用规则“%[3]s”的结果", "%[2]s is fixed before any record is evaluated; it cannot use the result of rule %[3]q", k.zh, k.en, e.Rule.Text)
			return Invalid
		}
		return c.selector(e)
	case *Lookup:
		return c.lookupTable(e)
	case *Each:
		return c.each(e)
	case *ListLit:
		c.errorf(e.Pos, "列表只能写在测试数据中", "a list can be written out only in test data")
		return Invalid
	case *Call:
		return c.call(e)
	case *Unary:
		t := c.expr(e.X)
		switch {
		case t == Invalid:
			return Invalid
		case e.Op == OpNeg && t.IsNumeric():
			return t
		case e.Op == OpNot && t == Bool:
			return Bool
		case e.Op == OpNeg:
			c.errorf(e.Pos, "负号只能用于数值，这里是%[1]s", "minus needs a number, not %[2]s", t, t.English())
		default:
			c.errorf(e.Pos, "“非”只能用于是否（真/假），这里是%[1]s", "not needs true or false, not %[2]s", t, t.English())
		}
		return Invalid
	case *Binary:
		return c.binary(e)
	case *If:
		ct := c.expr(e.Cond)
		if ct != Bool && ct != Invalid {
			c.errorf(e.Cond.Position(), "“如果”后的条件应为是否（真/假），实际是%[1]s", "the condition after 如果 (if) must be true or false, not %[2]s", ct, ct.English())
		}
		a, b := c.expr(e.Then), c.expr(e.Else)
		switch {
		case a == Invalid || b == Invalid:
			return Invalid
		case a == b:
			return a
		case a.IsNumeric() && b.IsNumeric():
			return numericResult(OpAdd, a, b)
		}
		c.errorf(e.Else.Position(), "“那么”与“否则”两个分支的类型不同：%[1]s 与 %[2]s", "the two branches differ in type: %[3]s and %[4]s", a, b, a.English(), b.English())
		return Invalid
	}
	panic(fmt.Sprintf("lang: unexpected expression %T", e))
}

func (c *checker) ref(e *Ref) Type {
	s := c.lookup(e.Name)
	if s == nil {
		if _, ok := c.builtinByKey[e.Name.Key]; ok {
			c.errorf(e.Pos, "“%s”是函数，调用时要加括号，如 %s(…)", "%q is a function; call it with parentheses: %s(…)", e.Name.Text, e.Name.Text)
			return Invalid
		}
		if r, ok := c.prog.Symbols[e.Name.Key]; ok && r.Kind == SymRule {
			c.errorf(e.Pos, "“%[1]s”是规则的名称，不是数值；要用它的输出请写“%[1]s.输出名”", "%[1]q is a rule, not a value; write %[1]s.OUTPUT for one of its outputs", e.Name.Text)
			return Invalid
		}
		if hint := c.suggest(e.Name); hint != "" {
			c.errorf(e.Pos, "未定义的名称“%[1]s”；是否想写“%[2]s”？", "undefined name %[1]q; did you mean %[2]q?", e.Name.Text, hint)
		} else {
			c.errorf(e.Pos, "未定义的名称“%s”；请先用“输入”声明或给它赋值", "undefined name %q; declare it with 输入 (input) or assign it", e.Name.Text)
		}
		return Invalid
	}
	if k := c.constant; k != nil && s.Kind != SymParam {
		c.errorf(e.Pos, "%[1]s只能由常数和参数算出，不能用“%[3]s”", "%[2]s may use only constants and parameters, not %[3]q", k.zh, k.en, e.Name.Text)
		return Invalid
	}
	if k := c.constant; k != nil && c.dated[s.Name.Key] {
		c.errorf(e.Pos, "%[1]s在求值任何记录之前就已确定，不能用随日期变化的参数“%[3]s”", "%[2]s is fixed before any record is evaluated; it cannot use %[3]q, which changes by date", k.zh, k.en, e.Name.Text)
		return Invalid
	}
	if c.allowed != nil && !c.allowed(s) {
		c.errorf(e.Pos, "规则输出“%s”只能在它的规则内使用", "the rule output %q can be used only inside its rule", e.Name.Text)
		return Invalid
	}
	c.used[s] = true
	c.prog.Uses[e] = s
	return s.Type
}

// ruleIndexes resolves the rules a budget or quota names.
func (c *checker) ruleIndexes(names []Name, owner Name) []int {
	var idx []int
	for _, n := range names {
		s, ok := c.prog.Symbols[n.Key]
		if !ok || s.Kind != SymRule {
			c.errorf(n.Pos, "没有名为“%[1]s”的规则", "there is no rule named %[1]q", n.Text)
			continue
		}
		idx = append(idx, s.Rule)
	}
	if len(names) == 0 {
		c.errorf(owner.Pos, "“%[1]s”没有列出规则；请写“规则 规则名”", "%[1]q names no rules; write 规则 followed by rule names", owner.Text)
	}
	return idx
}

// checkPopulation checks the budgets and quotas, and that nothing else uses
// the outputs of their rules, which change after each record is evaluated.
func (c *checker) checkPopulation() {
	p := c.prog
	owner := map[int]string{} // rule index → budget or quota name
	claim := func(rules []int, name Name) {
		for _, r := range rules {
			if prev, ok := owner[r]; ok {
				c.errorf(name.Pos, "规则“%[1]s”已属于“%[2]s”；一条规则只能属于一个预算或评选", "rule %[1]q already belongs to %[2]q; a rule takes part in one budget or selection at most", p.Rules[r].Name.Text, prev)
			}
			owner[r] = name.Text
		}
	}
	for _, b := range p.Budgets {
		rules := c.ruleIndexes(b.Rules, b.Name)
		for _, r := range rules {
			if p.Pays[r] < 0 {
				c.errorf(b.Name.Pos, "预算要分配金额，规则“%[1]s”没有给予金额", "a budget shares amounts; rule %[1]q pays no money", p.Rules[r].Name.Text)
			}
		}
		claim(rules, b.Name)
		p.BudgetRules = append(p.BudgetRules, rules)
		if b.Total == nil {
			c.errorf(b.Name.Pos, "预算“%[1]s”缺少“总额 = …”", "budget %[1]q lacks 总额 = …", b.Name.Text)
			continue
		}
		c.constant = &constTotal
		c.wantNumeric(b.Total, "预算总额应为金额，这里是%[1]s", "a budget's total must be an amount, not %[2]s")
		c.constant = nil
	}
	for _, q := range p.Quotas {
		rules := c.ruleIndexes(q.Rules, q.Name)
		claim(rules, q.Name)
		p.QuotaRules = append(p.QuotaRules, rules)
		if q.Count == nil || q.Rank == nil {
			c.errorf(q.Name.Pos, "评选“%[1]s”须写明“名额 = …”与“排序 …”", "selection %[1]q needs 名额 = … and 排序 …", q.Name.Text)
			continue
		}
		c.constant = &constQuota
		c.wantNumeric(q.Count, "名额应为数值，这里是%[1]s", "a quota must be a number, not %[2]s")
		c.constant = nil
		for _, r := range q.Ranks {
			c.wantNumeric(r, "排序应为数值（大者在前），这里是%[1]s", "the ranking must be a number (higher first), not %[2]s")
		}
		if !q.FirstCome {
			c.prog.Warnings = append(c.prog.Warnings, &Error{Pos: q.Name.Pos, Warning: true,
				Zh: fmt.Sprintf("评选“%s”没有写明同分时谁先：原文另有规定的，在“排序”后写出下一个比较的值；按申报的先后的，写“先到先得”", q.Name.Text),
				En: fmt.Sprintf("selection %q does not say who goes first on a tie: where the text says, write the next value to compare after 排序 (rank); where it is first come, write 先到先得 (firstcome)", q.Name.Text)})
		}
	}
	if len(owner) == 0 {
		return
	}
	// a quota decides over all records whether its rules apply; a group
	// or a cap decides per record, and cannot wait for it
	for _, set := range []struct {
		rules [][]int
		names func(int) Name
	}{{p.GroupRules, func(i int) Name { return p.Groups[i].Name }}, {p.LimitRules, func(i int) Name { return p.Limits[i].Name }}} {
		for i, rules := range set.rules {
			for _, r := range rules {
				for _, q := range p.Quotas {
					if owner[r] == q.Name.Text {
						c.errorf(set.names(i).Pos, "规则“%[1]s”属于评选“%[2]s”，是否适用要在全体数据上才能确定；“%[3]s”在每条记录上就要确定，不能包含它",
							"rule %[1]q belongs to the selection %[2]q, which decides over all records whether it applies; %[3]q decides per record and cannot include it",
							p.Rules[r].Name.Text, q.Name.Text, set.names(i).Text)
					}
				}
			}
		}
	}
	// whatever is evaluated per record must not use these rules' outputs
	for _, st := range p.Order {
		var exprs []Expr
		switch st := st.(type) {
		case *Assign:
			exprs = []Expr{st.Value}
		case *Rule:
			if st.Cond != nil {
				exprs = append(exprs, st.Cond)
			}
			for _, o := range st.Outputs {
				exprs = append(exprs, o.Value)
			}
		case *Limit:
			if st.Amount != nil {
				exprs = append(exprs, st.Amount)
			}
		case *Deny:
			if st.Cond != nil {
				exprs = append(exprs, st.Cond)
			}
		}
		for _, e := range exprs {
			Inspect(e, func(e Expr) {
				if sel, ok := e.(*Selector); ok {
					if s := p.Symbols[sel.Rule.Key]; s != nil && s.Kind == SymRule {
						if name, ok := owner[s.Rule]; ok {
							c.errorf(sel.Pos, "规则“%[1]s”属于“%[2]s”，其结果要在全体数据求值后才确定，这里不能引用", "rule %[1]q belongs to %[2]q, whose results are settled only after all records; it cannot be used here", sel.Rule.Text, name)
						}
					}
				}
			})
		}
	}
}

func (c *checker) selector(e *Selector) Type {
	s, ok := c.prog.Symbols[e.Rule.Key]
	if !ok || s.Kind != SymRule {
		c.errorf(e.Pos, "没有名为“%s”的规则", "there is no rule named %q", e.Rule.Text)
		return Invalid
	}
	if e.IsApplies() {
		c.prog.Selected[e] = &Symbol{Kind: SymApplies, Name: e.Rule, Type: Bool, Rule: s.Rule}
		return Bool
	}
	out, ok := c.prog.RuleScopes[s.Rule][e.Field.Key]
	if !ok {
		c.errorf(e.Field.Pos, "规则“%[1]s”没有名为“%[2]s”的输出", "rule %[1]q has no output named %[2]q", e.Rule.Text, e.Field.Text)
		return Invalid
	}
	c.prog.Selected[e] = out
	return out.Type
}

// lookupTable checks 按 key 取 { k: v, … }: keys are constants of the key's
// type, written once each; values share a type.
func (c *checker) lookupTable(e *Lookup) Type {
	ranges := 0
	for _, en := range e.Entries {
		if en.Range != nil {
			ranges++
		}
	}
	if ranges > 0 || e.Brackets {
		return c.rangeTable(e, ranges)
	}
	kt := c.expr(e.Key)
	var vt Type
	seen := map[string]bool{}
	for i, en := range e.Entries {
		t := c.expr(en.Key)
		if !isConstant(en.Key) {
			c.errorf(en.Key.Position(), "表中的类别须为常数，如 \"国家级\" 或 1", "the categories of a table must be constants, such as \"国家级\" or 1")
		} else if !fits(t, kt) {
			c.errorf(en.Key.Position(), "类别的类型应为%[1]s，这里是%[2]s", "categories must be %[3]s, not %[4]s", kt, t, kt.English(), t.English())
		}
		text := string(c.prog.File.Src[en.Key.Span().Start:en.Key.Span().End])
		if seen[text] {
			c.errorf(en.Key.Position(), "类别 %[1]s 重复", "category %[1]s appears twice", text)
		}
		seen[text] = true
		v := c.expr(en.Value)
		switch {
		case i == 0 || vt == Invalid:
			vt = v
		case v == Invalid:
		case v.IsNumeric() && vt.IsNumeric():
			vt = numericResult(OpAdd, vt, v)
		case v != vt:
			c.errorf(en.Value.Position(), "表中各项的值类型不同：%[1]s 与 %[2]s", "the values of a table differ in type: %[3]s and %[4]s", vt, v, vt.English(), v.English())
			return Invalid
		}
	}
	if len(e.Entries) == 0 {
		c.errorf(e.Pos, "表是空的", "the table is empty")
		return Invalid
	}
	return vt
}

// rangeTable checks a table by ranges (按 研发费用 取 { 1000万元以上：20万元 })
// or brackets (按 研发费用 分段 { 1000万元以下部分：5% }): the key is a
// number, every row a range whose bounds are constants of the key's type;
// a bracket's values are rates, and it gives the key's type.
func (c *checker) rangeTable(e *Lookup, ranges int) Type {
	kt := c.expr(e.Key)
	if kt != Invalid && !kt.IsNumeric() {
		c.errorf(e.Key.Position(), "按范围分档，“按”后应为数值，这里是%[1]s", "tiers by range need a number after 按, not %[2]s", kt, kt.English())
		kt = Invalid
	}
	if ranges != len(e.Entries) || ranges == 0 {
		c.errorf(e.Pos, "表中或都写范围（如“1000万元以上”），或都写类别（如“国家级”），不能混写", "a table's rows are all ranges (1000万元以上) or all categories (国家级), not both")
		return Invalid
	}
	var vt Type
	for i, en := range e.Entries {
		c.constant = &constBound
		for _, b := range []Expr{en.Range.Lo, en.Range.Hi} {
			if b == nil {
				continue
			}
			if t := c.expr(b); t != Invalid && kt != Invalid && t != kt && !(t == Num && kt == Money) {
				c.errorf(b.Position(), "界限的类型应为%[1]s，这里是%[2]s", "a bound must be %[3]s, not %[4]s", kt, t, kt.English(), t.English())
			}
		}
		c.constant = nil
		v := c.expr(en.Value)
		if e.Brackets && v != Invalid && v != Ratio && v != Num {
			c.errorf(en.Value.Position(), "分段累进的各段应写比例，如“5%%”，这里是%[1]s", "each bracket's value must be a rate such as 5%%, not %[2]s", v, v.English())
			continue
		}
		switch {
		case i == 0 || vt == Invalid:
			vt = v
		case v == Invalid:
		case v.IsNumeric() && vt.IsNumeric():
			vt = numericResult(OpAdd, vt, v)
		case v != vt:
			c.errorf(en.Value.Position(), "表中各项的值类型不同：%[1]s 与 %[2]s", "the values of a table differ in type: %[3]s and %[4]s", vt, v, vt.English(), v.English())
			return Invalid
		}
	}
	if kt == Invalid || vt == Invalid {
		return Invalid
	}
	if e.Brackets {
		return kt // the parts of the key, each by its rate
	}
	return vt
}

// each checks 对每个 list 如果 where：value; inside, the fields of the list's
// records are names.
func (c *checker) each(e *Each) Type {
	lt := c.expr(e.List)
	if lt == Invalid {
		return Invalid
	}
	if lt.Rec == nil {
		c.errorf(e.List.Pos, "“%[1]s”不是记录的列表；“对每个”后应为列表输入的名称", "%[1]q is not a list of records; 对每个 takes the name of a list input", e.List.Name.Text)
		return Invalid
	}
	s := c.prog.Uses[e.List]
	scope := map[string]*Symbol{}
	for i, f := range s.Type.Rec.Fields {
		scope[f.Name.Key] = &Symbol{Kind: SymField, Name: f.Name, Type: f.Type, Index: i, Rule: len(c.fields)}
	}
	c.fields = append(c.fields, scope)
	defer func() { c.fields = c.fields[:len(c.fields)-1] }()
	if e.Where != nil {
		if t := c.expr(e.Where); t != Bool && t != Invalid {
			c.errorf(e.Where.Position(), "“对每个 … 如果”后的条件应为是否，实际是%[1]s", "the condition after 对每个 … 如果 must be true or false, not %[2]s", t, t.English())
		}
	}
	t := c.expr(e.Value)
	switch t.Kind {
	case KindInvalid:
		return Invalid
	case KindList, KindRecord, KindShares, KindNA:
		c.errorf(e.Value.Position(), "“对每个”的每一项应为一个值，这里是%[1]s", "each item of 对每个 must be a single value, not %[2]s", t, t.English())
		return Invalid
	}
	return ListOf(t)
}

// listLiteral checks records written out for a list input of type want.
func (c *checker) listLiteral(e *ListLit, want Type, what string) {
	for i, r := range e.Items {
		seen := map[string]bool{}
		for _, f := range r.Fields {
			j := want.Rec.FieldIndex(f.Name.Key)
			if j < 0 {
				c.errorf(f.Name.Pos, "“%[1]s”的记录没有“%[2]s”这一项", "the records of %[1]q have no field %[2]q", what, f.Name.Text)
				continue
			}
			seen[f.Name.Key] = true
			ft := want.Rec.Fields[j].Type
			if !isConstant(f.Value) {
				c.errorf(f.Value.Position(), "测试数据中的值须为常数", "values in test data must be constants")
			} else if t := c.expr(f.Value); !fits(t, ft) {
				c.errorf(f.Value.Position(), "“%[1]s”是%[2]s，这里给了%[3]s", "%[1]q is %[4]s, but this gives %[5]s", f.Name.Text, ft, t, ft.English(), t.English())
			}
		}
		for _, fd := range want.Rec.Fields {
			if !seen[fd.Name.Key] {
				c.errorf(r.Pos, "“%[1]s”第 %[2]d 条记录缺少“%[3]s”", "record %[2]d of %[1]q lacks %[3]q", what, i+1, fd.Name.Text)
			}
		}
	}
}

// isConstant reports whether e is a literal, possibly negated.
func isConstant(e Expr) bool {
	switch e := e.(type) {
	case *NumberLit, *StringLit, *BoolLit, *DateLit:
		return true
	case *Unary:
		return e.Op == OpNeg && isConstant(e.X)
	}
	return false
}

// checkTest checks a test case: its data names inputs and its values are
// constants of the inputs' types; each expectation names a rule, a rule's
// output or a definition.
func (c *checker) checkTest(t *Test) {
	constant := func(e Expr, want Type, what string) {
		if l, ok := e.(*ListLit); ok && want.Rec != nil {
			c.listLiteral(l, want, what)
			c.prog.Types[e] = want
			return
		}
		if !isConstant(e) {
			c.errorf(e.Position(), "测试中“%[1]s”的值须为常数", "the value of %[1]q in a test must be a constant", what)
			return
		}
		got := c.expr(e)
		if !fits(got, want) {
			c.errorf(e.Position(), "“%[1]s”是%[2]s，这里给了%[3]s", "%[1]q is %[4]s, but the test gives %[5]s", what, want, got, want.English(), got.English())
		}
	}
	for _, g := range t.Given {
		s, ok := c.prog.Symbols[g.Name.Key]
		if !ok || s.Kind != SymInput {
			c.errorf(g.Name.Pos, "测试数据中的“%[1]s”不是输入", "%[1]q in the test data is not an input", g.Name.Text)
			continue
		}
		constant(g.Value, s.Type, g.Name.Text)
	}
	for _, x := range t.Expects {
		if x.Total {
			if x.Value == nil || x.Field != nil {
				c.errorf(x.Pos, "“给予合计”要写成“期望 给予合计 = 金额”", "write the total paid as 期望 给予合计 = AMOUNT (expect totalpaid = AMOUNT)")
			} else {
				constant(x.Value, Money, "给予合计")
			}
			continue
		}
		s, ok := c.prog.Symbols[x.Name.Key]
		switch {
		case !ok || (s.Kind != SymRule && s.Kind != SymDef):
			c.errorf(x.Name.Pos, "没有名为“%[1]s”的规则或定义", "there is no rule or definition named %[1]q", x.Name.Text)
		case s.Kind == SymDef && x.Field != nil:
			c.errorf(x.Field.Pos, "“%[1]s”是定义，没有输出", "%[1]q is a definition; it has no outputs", x.Name.Text)
		case s.Kind == SymDef && x.Value != nil:
			constant(x.Value, s.Type, x.Name.Text)
		case s.Kind == SymRule && x.Field != nil:
			out, ok := c.prog.RuleScopes[s.Rule][x.Field.Key]
			if !ok {
				c.errorf(x.Field.Pos, "规则“%[1]s”没有名为“%[2]s”的输出", "rule %[1]q has no output named %[2]q", x.Name.Text, x.Field.Text)
			} else if x.Value != nil {
				constant(x.Value, out.Type, x.Name.Text+"."+x.Field.Text)
			}
		case s.Kind == SymRule && x.Value != nil:
			c.errorf(x.Pos, "请写出规则“%[1]s”的哪一个输出，如 %[1]s.补助", "say which output of rule %[1]q, e.g. %[1]s.补助", x.Name.Text)
		}
	}
}

// suggest returns the visible name closest to n, if one is close enough.
func (c *checker) suggest(n Name) string {
	best, bestDist := "", 1<<30
	try := func(key, text string) {
		d := editDistance([]rune(n.Key), []rune(key))
		limit := max(1, len([]rune(n.Key))/3)
		if d <= limit && d < bestDist {
			best, bestDist = text, d
		}
	}
	for k, s := range c.scope {
		try(k, s.Name.Text)
	}
	for k, s := range c.prog.Symbols {
		if s.Kind != SymRule {
			try(k, s.Name.Text)
		}
	}
	for i, b := range c.prog.Builtins {
		_ = i
		for _, name := range b.Names {
			try(strings.Map(fold, name), name)
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost one.
func editDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func (c *checker) call(e *Call) Type {
	var args []Type
	bad := false
	for _, a := range e.Args {
		t := c.expr(a)
		bad = bad || t == Invalid
		args = append(args, t)
	}
	i, ok := c.builtinByKey[e.Fn.Key]
	if !ok {
		if hint := c.suggest(e.Fn); hint != "" {
			c.errorf(e.Pos, "未知的函数“%[1]s”；是否想写“%[2]s”？", "unknown function %[1]q; did you mean %[2]q?", e.Fn.Text, hint)
		} else {
			c.errorf(e.Pos, "未知的函数“%s”", "unknown function %q", e.Fn.Text)
		}
		return Invalid
	}
	b := c.prog.Builtins[i]
	c.prog.Calls[e] = i
	if len(args) < b.MinArgs || (b.MaxArgs >= 0 && len(args) > b.MaxArgs) {
		want := fmt.Sprint(b.MinArgs)
		switch {
		case b.MaxArgs < 0:
			want = fmt.Sprintf("至少 %d", b.MinArgs)
		case b.MaxArgs != b.MinArgs:
			want = fmt.Sprintf("%d 到 %d", b.MinArgs, b.MaxArgs)
		}
		wantEn := strings.NewReplacer("至少", "at least", "到", "to").Replace(want)
		c.errorf(e.Pos, "函数“%[1]s”需要 %[2]s 个参数，这里给了 %[3]d 个", "function %[1]q takes %[4]s arguments, got %[3]d", e.Fn.Text, want, len(args), wantEn)
		return Invalid
	}
	if bad {
		return Invalid
	}
	t, aerr := b.Result(args)
	if aerr != nil {
		pos := e.Pos
		if aerr.Arg >= 0 && aerr.Arg < len(e.Args) {
			pos = e.Args[aerr.Arg].Position()
		}
		c.errs = append(c.errs, &Error{Pos: pos, Zh: fmt.Sprintf("函数“%s”：%s", e.Fn.Text, aerr.Zh), En: fmt.Sprintf("function %q: %s", e.Fn.Text, aerr.En)})
		return Invalid
	}
	return t
}

var opNames = map[BinOp][2]string{
	OpAdd: {"相加", "add"}, OpSub: {"相减", "subtract"}, OpMul: {"相乘", "multiply"}, OpDiv: {"相除", "divide"},
	OpCap: {"取最高限额", "cap"}, OpFloor: {"取最低限额", "floor"},
}

func (c *checker) binary(e *Binary) Type {
	a, b := c.expr(e.X), c.expr(e.Y)
	if a == Invalid || b == Invalid {
		return Invalid
	}
	switch {
	case e.Op == OpAnd || e.Op == OpOr:
		for _, side := range []struct {
			t Type
			x Expr
		}{{a, e.X}, {b, e.Y}} {
			if side.t != Bool {
				c.errorf(side.x.Position(), "“%[1]s”两边应为是否（真/假），这里是%[2]s", "both sides of %[1]q must be true or false; this is %[3]s", e.Word, side.t, side.t.English())
				return Invalid
			}
		}
		return Bool
	case e.Op.IsComparison():
		ok := (a.IsNumeric() && b.IsNumeric()) || (a == b && (a == DateT || ((a == Text || a == Bool || a == Shares) && (e.Op == OpEq || e.Op == OpNe))))
		if !ok {
			c.errorf(e.Pos, "无法用“%[1]s”比较%[2]s与%[3]s", "cannot compare %[4]s with %[5]s using %[1]q", e.Word, a, b, a.English(), b.English())
			return Invalid
		}
		c.warnBareRatio(e.X, b)
		c.warnBareRatio(e.Y, a)
		return Bool
	}
	if !a.IsNumeric() || !b.IsNumeric() {
		names := opNames[e.Op]
		c.errorf(e.Pos, "无法将%[1]s与%[2]s%[3]s（“%[4]s”）", "cannot %[5]s %[6]s and %[7]s (%[4]q)", a, b, names[0], e.Word, names[1], a.English(), b.English())
		return Invalid
	}
	if (e.Op == OpAdd || e.Op == OpSub) && (a == Money) != (b == Money) {
		// 研发费用 + 员工人数: an amount and a count, or a ratio, do not add
		other, x := b, e.Y
		if b == Money {
			other, x = a, e.X
		}
		names := opNames[e.Op]
		hint, hintEn := "", ""
		if lit, ok := x.(*NumberLit); ok {
			hint, hintEn = fmt.Sprintf("；若是金额，请写“%s元”", lit.Value), fmt.Sprintf("; if it is an amount, write \"%s元\"", lit.Value)
		}
		c.errorf(e.Pos, "无法将金额与%[1]s%[2]s（“%[3]s”）：金额只能与金额相加减%[4]s", "cannot %[5]s an amount and %[6]s (%[3]q): amounts add only to amounts%[7]s",
			other, names[0], e.Word, hint, names[1], other.English(), hintEn)
		return Invalid
	}
	return numericResult(e.Op, a, b)
}

// warnBareRatio warns when x, compared with a 比例, is a bare number of 1
// or more: 占比 超过 3.5 compares with 350%, most likely meant as 3.5%.
func (c *checker) warnBareRatio(x Expr, other Type) {
	lit, ok := x.(*NumberLit)
	if !ok || other != Ratio || c.prog.Types[x] != Num || lit.Value.Abs().LessThan(decimal.New(1, 0)) {
		return
	}
	c.prog.Warnings = append(c.prog.Warnings, &Error{Pos: x.Position(), Warning: true,
		Zh: fmt.Sprintf("比例与 %[1]s 比较：%[1]s 即 %[2]s%%；若是百分数，请写“%[1]s%%”", lit.Value.String(), lit.Value.Shift(2).String()),
		En: fmt.Sprintf("a ratio compared with %[1]s: %[1]s is %[2]s%%; if a percentage is meant, write %[1]s%%", lit.Value.String(), lit.Value.Shift(2).String())})
}

// Inspect calls f for e and every expression inside it, parents first.
func Inspect(e Expr, f func(Expr)) {
	f(e)
	switch e := e.(type) {
	case *Call:
		for _, a := range e.Args {
			Inspect(a, f)
		}
	case *Unary:
		Inspect(e.X, f)
	case *Binary:
		Inspect(e.X, f)
		Inspect(e.Y, f)
	case *If:
		Inspect(e.Cond, f)
		Inspect(e.Then, f)
		Inspect(e.Else, f)
	case *Lookup:
		Inspect(e.Key, f)
		for _, en := range e.Entries {
			if en.Range != nil {
				for _, b := range []Expr{en.Range.Lo, en.Range.Hi} {
					if b != nil {
						Inspect(b, f)
					}
				}
			} else {
				Inspect(en.Key, f)
			}
			Inspect(en.Value, f)
		}
	case *Each:
		Inspect(e.List, f)
		if e.Where != nil {
			Inspect(e.Where, f)
		}
		Inspect(e.Value, f)
	}
}

// wantNumeric checks e and reports it at its position when it is not a
// number; zh and en say so, with the type as %[1]s and %[2]s.
func (c *checker) wantNumeric(e Expr, zh, en string) {
	if t := c.expr(e); t != Invalid && !t.IsNumeric() {
		c.errorf(e.Position(), zh, en, t, t.English())
	}
}
