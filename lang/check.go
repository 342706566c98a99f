package lang

import (
	"fmt"
	"strings"
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

// validityBy checks the date a validity is tested on, when it names one.
func (c *checker) validityBy(v *Validity) {
	if v != nil && v.By != nil {
		if t := c.expr(v.By); t != DateT && t != Invalid {
			c.errorf(v.By.Pos, "有效期按“%[1]s”判断，它应是日期，这里是%[2]s", "the validity is tested on %[1]q, which must be a date, not %[3]s", v.By.Name.Text, t, t.English())
		}
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
