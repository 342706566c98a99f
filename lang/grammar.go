package lang

import (
	"errors"
	"io"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// The grammar, as participle structs. The lexer has already folded every
// spelling of a keyword to its canonical form (超過, 高于 and > are all ">"),
// so the grammar names each keyword once. parse.go turns these structs into
// the syntax tree of ast.go.

type gFile struct {
	Stmts []*gStmt `parser:"EOL* ( @@ EOL+ )*"`
}

type gStmt struct {
	Input  *gInput  `parser:"@@"`
	Param  *gParam  `parser:"| @@"`
	Rule   *gRule   `parser:"| @@"`
	Excl   *gExcl   `parser:"| @@"`
	Limit  *gLimit  `parser:"| @@"`
	Deny   *gDeny   `parser:"| @@"`
	Budget *gBudget `parser:"| @@"`
	Quota  *gQuota  `parser:"| @@"`
	Policy *gPolicy `parser:"| @@"`
	Info   *gInfo   `parser:"| @@"`
	Filing *gFiling `parser:"| @@"`
	// 日志隐去 "联系电话"：fields the decision log keeps only as a digest
	Mask  []string `parser:"| \"日志隐去\" \":\"? @String ( \",\"? @String )*"`
	Valid *gValid  `parser:"| @@"`
	Test  *gTest   `parser:"| @@"`
	// 评估日期 = 申报日期: each record's evaluation date is that input
	AsOf *gName `parser:"| \"评估日期\" ( \"=\" | \":\" ) @@"`
	// 同一企业 按 "统一社会信用代码": records with the same value of that
	// column are one enterprise's applications
	Enterprise *gEnterprise `parser:"| @@"`
	// 默认数据: values the file's tests share; a test's 数据 overrides them
	Defaults []*gGiven `parser:"| \"默认数据\" \":\"? @@ ( \",\" @@ )*"`
	Assign   *gAssign  `parser:"| @@"`
}

// gExcl is a group of rules of which only the highest applies:
// 就高不重复 名称 / 依据 … / 规则 甲，乙 / 结束.
type gExcl struct {
	Name    *gName         `parser:"\"就高不重复\" @@ \":\"? EOL"`
	Clauses []*gExclClause `parser:"( @@ EOL )* \"结束\""`
}

type gExclClause struct {
	Cites []string `parser:"  \"依据\" \":\"? @String ( \",\"? @String )*"`
	Rules []*gName `parser:"| \"规则\" \":\"? @@ ( \",\" @@ )*"`
}

// gLimit caps what the rules it names pay one enterprise in all:
// 上限 名称 / 依据 … / 规则 甲，乙 / 额度 = 50万元 / 结束.
type gLimit struct {
	Name    *gName          `parser:"\"上限\" @@ \":\"? EOL"`
	Clauses []*gLimitClause `parser:"( @@ EOL )* \"结束\""`
}

type gLimitClause struct {
	Pos    lexer.Position
	Cites  []string `parser:"  \"依据\" \":\"? @String ( \",\"? @String )*"`
	Amount *gExpr   `parser:"| \"额度\" ( \"=\" | \":\" ) @@"`
	// 累计最高 X, 每年最高 X: the limit less what the ledger shows paid
	Scope string   `parser:"| @( \"累计最高\" | \"每年最高\" )"`
	Most  *gExpr   `parser:"  \":\"? @@"`
	Rules []*gName `parser:"| \"规则\" \":\"? @@ ( \",\" @@ )*"`
}

// gDeny makes the rules it names (all, when it names none) not apply to a
// record that meets its condition: 不予支持 名称 / 依据 … / 条件 … / 结束.
type gDeny struct {
	Name    *gName         `parser:"\"不予支持\" @@ \":\"? EOL"`
	Clauses []*gDenyClause `parser:"( @@ EOL )* \"结束\""`
}

type gDenyClause struct {
	Pos   lexer.Position
	Cites []string `parser:"  \"依据\" \":\"? @String ( \",\"? @String )*"`
	Cond  *gExpr   `parser:"| \"条件\" \":\"? @@"`
	Rules []*gName `parser:"| \"规则\" \":\"? @@ ( \",\" @@ )*"`
}

// gEnterprise names the column that tells an enterprise's records apart.
type gEnterprise struct {
	Pos    lexer.Position
	Column string `parser:"\"同一企业\" \"按\" ( @String | @Ident )"`
}

// gBudget shares a total among the amounts of some rules over all records.
type gBudget struct {
	Name    *gName           `parser:"\"预算\" @@ \":\"? EOL"`
	Clauses []*gBudgetClause `parser:"( @@ EOL )* \"结束\""`
}

type gBudgetClause struct {
	Cites  []string `parser:"  \"依据\" \":\"? @String ( \",\"? @String )*"`
	Total  *gExpr   `parser:"| \"总额\" ( \"=\" | \":\" ) @@"`
	Rules  []*gName `parser:"| \"规则\" \":\"? @@ ( \",\" @@ )*"`
	Yearly bool     `parser:"| @\"每年\""`
}

// gQuota keeps a rule for the best-ranked N records only.
type gQuota struct {
	Name    *gName          `parser:"\"评选\" @@ \":\"? EOL"`
	Clauses []*gQuotaClause `parser:"( @@ EOL )* \"结束\""`
}

type gQuotaClause struct {
	Cites     []string `parser:"  \"依据\" \":\"? @String ( \",\"? @String )*"`
	Count     *gExpr   `parser:"| \"名额\" ( \"=\" | \":\" ) @@"`
	Ranks     []*gExpr `parser:"| \"排序\" \":\"? @@ ( \",\" @@ )*"`
	Rules     []*gName `parser:"| \"规则\" \":\"? @@ ( \",\" @@ )*"`
	Yearly    bool     `parser:"| @\"每年\""`
	FirstCome bool     `parser:"| @\"先到先得\""`
}

// gPolicy names the document: 政策 "枣庄市…若干措施".
type gPolicy struct {
	Pos  lexer.Position
	Name string `parser:"\"政策\" \":\"? @String"`
}

// gInfo is what portals show of a policy: 主管部门 "济宁市科学技术局",
// 兑现方式 "免申即享", 联系方式 "0537-2345678".
type gInfo struct {
	Pos   lexer.Position
	Key   string `parser:"@( \"主管部门\" | \"兑现方式\" | \"联系方式\" ) \":\"?"`
	Value string `parser:"@String"`
}

// gFiling is the period in which enterprises apply: 申报期 2025年3月1日 至
// 2025年4月30日.
type gFiling struct {
	Pos   lexer.Position
	From  string `parser:"\"申报期\" \":\"? @Date"`
	Until string `parser:"\"至\" @Date"`
}

// gValid is a validity period: 有效期 2025年6月15日 至 2028年6月15日, or
// 有效期 自 2025年6月15日 起 (open-ended), or 有效期 至 2028年6月15日.
type gValid struct {
	Pos   lexer.Position
	From  string `parser:"\"有效期\" \":\"? ( \"自\"? @Date"`
	Until string `parser:"  ( \"至\" @Date | \"起\" )? | \"至\" @Date )"`
	By    *gName `parser:"( \"按\" @@ )?"`
}

// gTest is a test case: given data, the outputs expected.
type gTest struct {
	Pos     lexer.Position
	Name    string         `parser:"\"测试\" \":\"? @String EOL"`
	Clauses []*gTestClause `parser:"( @@ EOL )* \"结束\""`
}

type gTestClause struct {
	Given  []*gGiven `parser:"  \"数据\" \":\"? @@ ( \",\" @@ )*"`
	AsOf   string    `parser:"| \"评估日期\" \":\"? @Date"`
	Expect *gExpect  `parser:"| \"期望\" \":\"? @@"`
}

type gGiven struct {
	Name  *gName `parser:"@@ \"=\""`
	Value *gExpr `parser:"@@"`
}

type gExpect struct {
	Pos     lexer.Position
	Total   bool   `parser:"( @\"给予合计\""`
	Rule    *gName `parser:" | @@ )"`
	Field   *gName `parser:"( \".\" @@ )?"`
	Value   *gExpr `parser:"(  \"=\" @@"`
	NA      bool   `parser:" | @\"不适用\""`
	Reason  string `parser:"   @String?"`
	Applies bool   `parser:" | @\"适用\" )"`
}

type gInput struct {
	Items []*gInputItem `parser:"\"输入\" \":\"? ( @@ ( \",\" @@ )* | EOL ( @@ EOL )* \"结束\" )"`
}

type gInputItem struct {
	Name   *gName      `parser:"@@"`
	Unit   *string     `parser:"@String? \":\""`
	Type   string      `parser:"(  @( \"金额\" | \"数值\" | \"比例\" | \"是否\" | \"文本\" | \"日期\" | \"台账\" )"`
	Fields []*gFieldTy `parser:" | \"列表\" \"(\" @@ ( \",\" @@ )* \")\" )"`
}

// gFieldTy is a field of a list's records: 实际支付金额：金额.
type gFieldTy struct {
	Name *gName `parser:"@@ \":\""`
	Type string `parser:"@( \"金额\" | \"数值\" | \"比例\" | \"是否\" | \"文本\" | \"日期\" )"`
}

type gParam struct {
	Name    *gName          `parser:"\"参数\" @@ \"=\""`
	Periods []*gParamPeriod `parser:"@@ ( \",\" @@ )*"`
}

// gParamPeriod is a parameter's value, from a date on when it changes by
// date: 10% 自 2025年1月1日 (起).
type gParamPeriod struct {
	Pos   lexer.Position
	Value *gExpr `parser:"@@"`
	From  string `parser:"( \"自\" @Date \"起\"? )?"`
}

type gAssign struct {
	Name  *gName `parser:"@@ \"=\""`
	Value *gExpr `parser:"@@"`
}

type gRule struct {
	Name    *gName     `parser:"\"规则\" @@ \":\"? EOL"`
	Clauses []*gClause `parser:"( @@ EOL )* \"结束\""`
}

type gClause struct {
	Pos    lexer.Position
	Cites  []string `parser:"\"依据\" \":\"? @String ( \",\"? @String )*"`
	Cond   *gExpr   `parser:"| \"条件\" \":\"? @@"`
	Valid  *gValid  `parser:"| @@"`
	Except *gExcept `parser:"| @@"`
	Pays   *gAssign `parser:"| \"给予\" @@"`
	// 不给予资金: the rule pays no money (its amounts are not payments)
	NoFunds bool `parser:"| @\"不给予资金\""`
	// 一次性: not if the ledger shows it paid; 最多连续 3年
	Once        bool     `parser:"| @\"一次性\""`
	Consecutive *gExpr   `parser:"| \"最多连续\" @@"`
	Assign      *gAssign `parser:"| @@"`
}

// gExcept is an exception inside a rule: 其中 新兴产业：门槛 = 100万元，比例 = 30%.
type gExcept struct {
	Pos     lexer.Position
	Cond    *gExpr     `parser:"\"其中\" @@ ( \":\" | \"那么\" )"`
	Assigns []*gAssign `parser:"@@ ( \",\" @@ )*"`
}

type gExpr struct {
	Pos    lexer.Position
	EndPos lexer.Position
	If     *gIf `parser:"@@"`
	Or     *gOr `parser:"| @@"`
}

type gIf struct {
	Cond *gExpr `parser:"\"如果\" @@"`
	Then *gExpr `parser:"\"那么\" @@"`
	Else *gExpr `parser:"\"否则\" @@"`
}

type gOr struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *gAnd   `parser:"@@"`
	Rest   []*gAnd `parser:"( \"或\" @@ )*"`
}

type gAnd struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *gNot   `parser:"@@"`
	Rest   []*gNot `parser:"( \"且\" @@ )*"`
}

type gNot struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Nots   []string `parser:"@\"非\"*"`
	X      *gCmp    `parser:"@@"`
}

type gCmp struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *gCap     `parser:"@@"`
	Tail   *gCmpTail `parser:"@@?"`
}

// gCmpTail is "op Y", or the postfix forms "在 Y 以上" and "Y以上"; the
// text's own inclusiveness may follow the bound (10%（含）以上, 超过
// 5000万元（不含）), and 以上/以下 may repeat what op says (达到10%以上).
type gCmpTail struct {
	Pos       lexer.Position
	Op        string `parser:"(  @( \">=\" | \">\" | \"<=\" | \"<\" | \"==\" | \"=\" | \"!=\" )"`
	Right     *gCap  `parser:"@@"`
	RightIncl *gIncl `parser:"@@?"`
	Again     *gWord `parser:"@@?"`
	In        bool   `parser:"| @\"在\"?"`
	Bound     *gCap  `parser:"@@"`
	BoundIncl *gIncl `parser:"@@?"`
	Post      *gWord `parser:"@@ )"`
}

// gIncl is （含） or （不含） after a bound.
type gIncl struct {
	Pos  lexer.Position
	Word string `parser:"@( \"含\" | \"不含\" )"`
}

type gCap struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *gAdd     `parser:"@@"`
	Rest   []*gCapOp `parser:"@@*"`
}

type gAdd struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *gMul     `parser:"@@"`
	Rest   []*gAddOp `parser:"@@*"`
}

type gAddOp struct {
	Pos lexer.Position
	Op  string `parser:"@( \"+\" | \"-\" )"`
	X   *gMul  `parser:"@@"`
}

type gMul struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Left   *gUnary   `parser:"@@"`
	Rest   []*gMulOp `parser:"@@*"`
}

type gMulOp struct {
	Pos lexer.Position
	Op  string  `parser:"@( \"*\" | \"/\" )"`
	X   *gUnary `parser:"@@"`
}

// gCapOp is 最高 X or 最低 X, or the text's 与 X 孰低 (孰高): the lower
// (higher) of the two.
type gCapOp struct {
	Pos    lexer.Position
	Op     string `parser:"(  @( \"最高\" | \"最低\" )"`
	X      *gAdd  `parser:"@@"`
	With   *gAdd  `parser:"| \"与\" @@"`
	Which  string `parser:"@( \"孰低\" | \"孰高\" ) )"`
	EndPos lexer.Position
}

type gUnary struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Signs  []string  `parser:"@( \"-\" | \"+\" )*"`
	X      *gPrimary `parser:"@@"`
}

type gPrimary struct {
	Pos    lexer.Position
	EndPos lexer.Position
	Number *string  `parser:"@Number"`
	Date   *string  `parser:"| @Date"`
	Ratio  *string  `parser:"| @Ratio"`
	Str    *string  `parser:"| @String"`
	Bool   *string  `parser:"| @( \"真\" | \"假\" )"`
	AsOf   bool     `parser:"| @\"评估日期\""`
	Lookup *gLookup `parser:"| @@"`
	Each   *gEach   `parser:"| @@"`
	List   *gList   `parser:"| @@"`
	Ref    *gRef    `parser:"| @@"`
	Paren  *gExpr   `parser:"| \"(\" @@ \")\""`
}

// gEach is 对每个 横向项目 如果 实际支付金额 达到 50万元：实际支付金额 * 20%.
type gEach struct {
	List  *gName `parser:"\"对每个\" @@"`
	Where *gExpr `parser:"( \"如果\" @@ )? ( \":\" | \"那么\" )"`
	Value *gExpr `parser:"@@"`
}

// gList is a list of records: [（项目名称：“甲”，实际支付金额：60万元），…].
type gList struct {
	Items []*gRecord `parser:"\"[\" ( @@ ( \",\" @@ )* )? \"]\""`
}

type gRecord struct {
	Pos    lexer.Position
	Fields []*gGivenField `parser:"\"(\" @@ ( \",\" @@ )* \")\""`
}

type gGivenField struct {
	Name  *gName `parser:"@@ \":\""`
	Value *gExpr `parser:"@@"`
}

// gLookup is 按 等级 取 { "国家级"：300万元, "省级"：100万元 }.
type gLookup struct {
	Key      *gExpr    `parser:"\"按\" @@"`
	Brackets bool      `parser:"( @\"分段\" | \"取\" )? \"{\""`
	Entries  []*gEntry `parser:"( @@ ( \",\" @@ )* )? \"}\""`
}

// gEntry is a row of a table: a category and its value ("国家级"：300万元),
// or a range and its value: 超过 5000万元, 1000万元以上, 1000万元（不含）至
// 5000万元（含）, each maybe followed by 部分 (in brackets).
type gEntry struct {
	Pos     lexer.Position
	Op      string `parser:"(  @( \">=\" | \">\" | \"<=\" | \"<\" )"`
	Bound   *gAdd  `parser:"@@"`
	Incl    *gIncl `parser:"@@?"`
	Again   *gWord `parser:"@@?"`
	Key     *gExpr `parser:"| @@"`
	KeyIncl *gIncl `parser:"@@?"`
	Hi      *gAdd  `parser:"( \"至\" @@"`
	HiIncl  *gIncl `parser:"@@?"`
	Post    *gWord `parser:"| @@ )? )"`
	Part    bool   `parser:"@\"部分\"?"`
	Value   *gExpr `parser:"\":\" @@"`
}

type gName struct {
	Pos  lexer.Position
	Text string `parser:"@Ident"`
}

// gField is what follows the dot in 规则名.补助 or 规则名.适用.
type gField struct {
	Pos  lexer.Position
	Text string `parser:"@( Ident | \"适用\" )"`
}

type gWord struct {
	Pos  lexer.Position
	Word string `parser:"@( \"以上\" | \"以下\" )"`
}

type gRef struct {
	Name  *gName   `parser:"@@"`
	Field *gField  `parser:"( \".\" @@ )?"`
	Call  bool     `parser:"( @\"(\""`
	Args  []*gExpr `parser:"( @@ ( \",\" @@ )* )? \")\" )?"`
}

// tokenTypes gives participle's number for each token kind.
var tokenTypes = map[string]lexer.TokenType{
	"EOF": lexer.EOF, "EOL": -2, "Ident": -3, "Keyword": -4, "Number": -5,
	"String": -6, "Date": -7, "Ratio": -8, "Punct": -9,
}

// tokenDef tells participle the token kinds; the tokens themselves come from
// Lex, through tokenStream.
type tokenDef struct{}

func (tokenDef) Symbols() map[string]lexer.TokenType { return tokenTypes }
func (tokenDef) Lex(string, io.Reader) (lexer.Lexer, error) {
	return nil, errors.New("zhengce: tokens come from lang.Lex")
}

// tokenStream feeds Lex's tokens to participle.
type tokenStream struct {
	toks []Token
	i    int
}

func (s *tokenStream) Next() (lexer.Token, error) {
	t := s.toks[s.i]
	if s.i < len(s.toks)-1 {
		s.i++
	}
	value := t.Canon
	switch t.Kind {
	case TokIdent, TokNumber, TokString, TokDate, TokRatio:
		value = t.Text
	}
	return lexer.Token{
		Type:  tokenTypes[t.Kind.String()],
		Value: value,
		Pos:   lexer.Position{Filename: t.Pos.File, Offset: t.Pos.Offset, Line: t.Pos.Line, Column: t.Pos.Col},
	}, nil
}

// gOneStmt is one statement and the line break that ends it. Parse reads a
// file a statement at a time: participle keeps every capture of a parse
// until the parse ends, and copies them at each branch, so a whole file
// parsed at once costs time and memory quadratic in its statements.
type gOneStmt struct {
	Stmt *gStmt `parser:"@@ EOL+"`
}

// newParser builds the participle parser. Building is costly; Parse builds
// once per process through parserOnce.
func newParser() (*participle.Parser[gOneStmt], error) {
	return participle.Build[gOneStmt](participle.Lexer(tokenDef{}), participle.UseLookahead(0))
}

// newFileParser builds a parser of whole files, for the grammar's EBNF.
func newFileParser() (*participle.Parser[gFile], error) {
	return participle.Build[gFile](participle.Lexer(tokenDef{}), participle.UseLookahead(0))
}

// gExprOnly is a lone expression, for ParseExpr.
type gExprOnly struct {
	X *gExpr `parser:"EOL* @@ EOL*"`
}

func newExprParser() (*participle.Parser[gExprOnly], error) {
	return participle.Build[gExprOnly](participle.Lexer(tokenDef{}), participle.UseLookahead(0))
}
