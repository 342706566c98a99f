package lang

import "github.com/shopspring/decimal"

// File is a parsed policy: one file, or a document's several files parsed
// as one (ParseSources), whose Src is the files joined.
type File struct {
	Name     string
	Src      []byte
	Policy   string    // 政策 "…": the document's name (the first file's)
	Validity *Validity // 有效期 of the whole policy (the first file's)
	// Files says what belongs to each file of the policy, in order: one
	// entry for a policy of one file.
	Files []*FileInfo
	// Info is what portals show of the policy: 主管部门, 申报期, 兑现方式,
	// 联系方式 (from any of its files, each written once).
	Info PolicyInfo
	// EnterpriseKey is the column whose value tells which records are one
	// enterprise's applications (同一企业 按 "统一社会信用代码"), or "":
	// each record is an enterprise of its own.
	EnterpriseKey string
	// AsOfInput names the input that holds each record's evaluation date
	// (评估日期 = 申报日期), or is nil: the date then comes from a 评估日期
	// column of the data, or from the caller.
	AsOfInput *Name
	Stmts     []Stmt // in source order
	Tests     []*Test
	// TestDefaults are the values (默认数据) the tests share; a test's own
	// data overrides them. They are used by tests only. (The first file's;
	// each file's are in Files.)
	TestDefaults []*Assign
	// Warnings are what the lexer found worth a warning: characters that
	// reorder what is shown, names mixing look-alike scripts.
	Warnings ErrorList
}

// PolicyInfo is what a portal shows of a policy besides its rules.
type PolicyInfo struct {
	Department string // 主管部门
	Delivery   string // 兑现方式: 免申即享, 快申快享, 依申请…
	Contact    string // 联系方式
	// FilingFrom, FilingUntil: 申报期, the period enterprises apply in
	FilingFrom, FilingUntil *Date
	// Masked are the fields (日志隐去) the decision log keeps only as a
	// digest: personal data a record carries, such as a phone number.
	Masked []string
}

// FileInfo is what belongs to one file of a policy: its name, 政策 and
// 有效期 (of the rules written in it), the data its tests share, and the
// inputs it declares (which its tests must give).
type FileInfo struct {
	Name         string
	Policy       string
	Validity     *Validity
	TestDefaults []*Assign
	Inputs       []string // keys
}

// Validity is a period in force: 有效期 2025年6月15日 至 2028年6月15日. A
// nil bound is open.
type Validity struct {
	Pos         Pos
	From, Until *Date
	// By names the date the period is tested on (有效期 … 按 认定日期):
	// an input or definition of the record, for a text that ties validity
	// to the qualifying event; nil for the evaluation date.
	By *Ref
}

// Test is a test case: 测试 "…" 数据 … 期望 … 结束.
type Test struct {
	Pos     Pos
	File    *FileInfo // where it is written
	Name    string
	Given   []*Assign
	AsOf    *Date
	Expects []*Expect
}

// Expect is one expectation of a test: a value (期望 规则.补助 = 200万元),
// 不适用 with an optional reason fragment, or 适用.
type Expect struct {
	Pos     Pos
	Total   bool  // 期望 给予合计 = …: what the policy pays the record in all
	Name    Name  // a rule or a definition
	Field   *Name // the rule's output, if any
	Value   Expr
	NA      bool
	Reason  string
	Applies bool
}

// Name is a name as written and in its folded form (Simplified characters,
// ASCII digits); two names are the same name when their keys are equal.
type Name struct {
	Pos  Pos
	Text string
	Key  string
}

// A Stmt is a top-level statement.
type Stmt interface {
	stmtNode()
	Position() Pos
}

// Input declares a field the policy reads from each record: 输入 名称：类型.
type Input struct {
	Name Name
	Type Type
	// Unit is the unit the data gives it in when its column's heading
	// gives none: 输入 研发投入（万元）：金额.
	Unit string
}

// Param declares a named policy parameter: 参数 补助比例 = 10%. Parameters
// can be overridden without editing the file. A parameter that changes by
// date (参数 补助比例 = 10% 自 2025年1月1日，15% 自 2026年1月1日) has
// Periods, in order, and Value is the first period's.
type Param struct {
	Name    Name
	Value   Expr
	Periods []ParamPeriod // nil for a parameter that does not change
}

// ParamPeriod is the value of a parameter from a date on, until the next
// period's date.
type ParamPeriod struct {
	Pos   Pos
	From  Date
	Value Expr
}

// Assign defines a value: 补助 = min(增量 * 10%, 200万).
type Assign struct {
	Name  Name
	Value Expr
}

// Rule is a named rule: the clause it encodes, when it applies, and what it
// grants.
type Rule struct {
	Name Name
	Cited
	Cond     Expr      // 条件; nil when the rule always applies
	Validity *Validity // 有效期, if the rule has its own
	File     *FileInfo // where it is written; its 有效期 holds for the rule too
	Outputs  []*Assign
	// Once (一次性): the rule does not apply when the ledger (台账) shows
	// it paid before. Consecutive (最多连续 3年): nor when the ledger shows
	// it paid that many years in a row, to the year before.
	Once        bool
	Consecutive Expr
	// Pays is the index in Outputs of the output written 给予 (what the
	// rule pays), or -1 when none is marked; the checker resolves what a
	// rule pays into Program.Pays.
	Pays int
	// NoFunds (不给予资金): the rule grants no money; its amounts are values
	// the text names (视同利润, 再贷款 a bank lends), never paid.
	NoFunds    *Pos
	Exceptions []*Exception
	// Body lists the outputs, the condition and the exceptions in the
	// order written, which is the order they are evaluated in.
	Body []BodyItem
}

// BodyItem is one step of a rule's body: output Outputs[Index], the
// condition, or exception Exceptions[Index].
type BodyItem struct {
	Kind  BodyKind
	Index int
}

// BodyKind says what a BodyItem is.
type BodyKind uint8

// The kinds of body items.
const (
	BodyOutput BodyKind = iota
	BodyCond
	BodyException
)

// Exception overrides outputs defined above it when its condition holds:
// 其中 新兴产业：门槛 = 100万元，比例 = 30%.
type Exception struct {
	Pos     Pos
	Cond    Expr
	Assigns []*Assign
}

// Cited is what a statement's 依据 clauses cite. A clause names the
// document and the article and quotes the words it encodes, in that order:
// its last string is the quote (依据 "某办法" "第3条" "按照……给予补助").
type Cited struct {
	Cites  []string // every string of every 依据 clause, in order
	Quotes []string // the last string of each clause: the words quoted
}

// cite adds one 依据 clause's strings.
func (c *Cited) cite(strs []string) {
	if len(strs) == 0 {
		return
	}
	c.Cites = append(c.Cites, strs...)
	c.Quotes = append(c.Quotes, strs[len(strs)-1])
}

// Exclusive is a group of rules of which only the highest applies (就高不
// 重复), by what each pays.
type Exclusive struct {
	Name Name
	Cited
	Rules []Name
}

func (*Exclusive) stmtNode() {}

// Limit caps what its rules pay one enterprise in all (上限): when they
// would pay more than Amount together, they are paid in the order listed
// until Amount is reached. No rules listed means every rule that pays.
type Limit struct {
	Name Name
	Cited
	Amount Expr
	// Scope is "累计" (累计最高: the limit less all the ledger shows these
	// rules paid), "每年" (每年最高: less what it shows for the record's
	// year), or "" (额度 =: this record alone).
	Scope string
	Rules []Name
}

// Deny is a case the policy excludes (不予支持): for a record that meets
// Cond, its rules (every rule, when it lists none) do not apply.
type Deny struct {
	Name Name
	Cited
	Cond  Expr
	Rules []Name
}

func (*Limit) stmtNode() {}
func (*Deny) stmtNode()  {}

// Position returns where the statement is declared.
func (s *Limit) Position() Pos { return s.Name.Pos }

// Position returns where the statement is declared.
func (s *Deny) Position() Pos { return s.Name.Pos }

// Budget shares Total among the amounts Rules pay over all records:
// when they ask for more, every amount is scaled down pro rata.
type Budget struct {
	Name Name
	Cited
	Total Expr
	Rules []Name
	// Yearly (每年, "每年列支"): the total is for each year, shared among
	// the records evaluated in that year.
	Yearly bool
}

// Quota keeps Rules for the Count records that rank highest by Rank; for
// the others the rules do not apply.
type Quota struct {
	Name Name
	Cited
	Count Expr
	Rank  Expr   // the first of Ranks
	Ranks []Expr // higher first; a tie on one is decided by the next
	Rules []Name
	// Yearly (每年, "每年评选"): Count for each year, among the records
	// evaluated in that year.
	Yearly bool
	// FirstCome (先到先得): a tie on every ranking goes to the earlier
	// record, as the policy says; without it, the checker asks.
	FirstCome bool
}

func (*Budget) stmtNode() {}
func (*Quota) stmtNode()  {}

// Position returns where the statement is declared.
func (s *Budget) Position() Pos { return s.Name.Pos }

// Position returns where the statement is declared.
func (s *Quota) Position() Pos { return s.Name.Pos }

// Position returns where the statement is declared.
func (s *Exclusive) Position() Pos { return s.Name.Pos }

func (*Input) stmtNode()  {}
func (*Param) stmtNode()  {}
func (*Assign) stmtNode() {}
func (*Rule) stmtNode()   {}

// Position returns where the statement is declared.
func (s *Input) Position() Pos { return s.Name.Pos }

// Position returns where the statement is declared.
func (s *Param) Position() Pos { return s.Name.Pos }

// Position returns where the statement is declared.
func (s *Assign) Position() Pos { return s.Name.Pos }

// Position returns where the statement is declared.
func (s *Rule) Position() Pos { return s.Name.Pos }

// An Expr is an expression.
type Expr interface {
	// Position is where the expression starts.
	Position() Pos
	// Span is the source text of the expression.
	Span() Span
}

// node holds what every expression has.
type node struct {
	Pos  Pos
	Text Span
}

func (n *node) Position() Pos { return n.Pos }
func (n *node) Span() Span    { return n.Text }

// NumberLit is a number: 1500, 3.5, 10%, 200万元, 2倍.
type NumberLit struct {
	node
	Value decimal.Decimal
	Type  Type // 金额 when written with 元, 比例 with % or ‰, else 数值
}

// BoolLit is 是/否, 真/假, true/false.
type BoolLit struct {
	node
	Value bool
}

// StringLit is quoted text.
type StringLit struct {
	node
	Value string
}

// DateLit is a date: 2025年6月15日 or 2025-06-15.
type DateLit struct {
	node
	Value Date
}

// AsOf is 评估日期: the date the policy is evaluated on, which the embedder
// or the command line gives (the script cannot read the clock).
type AsOf struct {
	node
}

// SharesLit is a ratio of shares: 5∶2.
type SharesLit struct {
	node
	Parts []decimal.Decimal
}

// Ref is a use of a name.
type Ref struct {
	node
	Name Name
}

// Selector is an output of a rule used elsewhere: 规则名.补助, or whether
// the rule applies: 规则名.适用.
type Selector struct {
	node
	Rule  Name
	Field Name
}

// IsApplies reports whether the selector asks whether the rule applies.
func (s *Selector) IsApplies() bool { return s.Field.Key == "适用" || s.Field.Key == "applies" }

// Each is 对每个 列表 如果 条件：表达式: the value of the expression for each
// item of a list input that meets the condition. Inside it, the fields of
// the items are plain names.
type Each struct {
	node
	List  *Ref
	Where Expr // nil when every item counts
	Value Expr
}

// ListLit is a list of records written out, for test data:
// [（项目名称：“甲”，实际支付金额：60万元），…].
type ListLit struct {
	node
	Items []RecordLit
}

// RecordLit is one record of a ListLit.
type RecordLit struct {
	Pos    Pos
	Fields []*Assign
}

// Lookup picks a value by category: 按 等级 取 { "国家级"：300万元, … }.
type Lookup struct {
	node
	Key     Expr
	Entries []LookupEntry
	// Brackets (按 研发费用 分段 { … }): each entry's value is the rate of
	// the part of Key within its range, and the result is their sum.
	Brackets bool
}

// LookupEntry is one row of a Lookup: a category (Key) or a range of
// numbers (Range), and its value.
type LookupEntry struct {
	Key   Expr
	Range *Range
	Value Expr
}

// Range is a range of numbers a tier or a bracket covers, with the text's
// inclusiveness (民法典 第一千二百五十九条: 以上, 以下, 以内 include the
// bound; 超过, 不满, 低于 do not; （含）and （不含） say it outright):
// 1000万元以上, 超过5000万元, 1000万元（不含）至5000万元（含）, 不满500万元.
type Range struct {
	Pos    Pos
	Lo, Hi Expr // nil: no bound on that side
	// LoIncl, HiIncl: the bound is in the range
	LoIncl, HiIncl bool
	Text           string // as written, for messages and explanations
}

// Call is a call of a built-in function.
type Call struct {
	node
	Fn   Name
	Args []Expr
}

// UnaryOp is a prefix operator.
type UnaryOp uint8

// Prefix operators.
const (
	OpNeg UnaryOp = iota // -x
	OpNot                // 非 x
)

// Unary is -x or 非 x.
type Unary struct {
	node
	Op UnaryOp
	X  Expr
}

// BinOp is a binary operator.
type BinOp uint8

// Binary operators.
const (
	OpAdd BinOp = iota
	OpSub
	OpMul
	OpDiv
	OpAnd
	OpOr
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpCap   // X 最高 Y: min(X, Y)
	OpFloor // X 最低 Y: max(X, Y)
)

// IsComparison reports whether op compares two values.
func (op BinOp) IsComparison() bool { return op >= OpEq && op <= OpGe }

// Binary is X op Y. Word is the operator as the drafter wrote it (超过, ≥,
// 以上, 最高…), for messages and explanations.
type Binary struct {
	node
	Op    BinOp
	Word  string
	OpPos Pos // where the operator is written
	X, Y  Expr
}

// If is 如果 Cond 那么 Then 否则 Else.
type If struct {
	node
	Cond, Then, Else Expr
}
