package lang

import "strings"

// TokenKind classifies a token.
type TokenKind int

// Token kinds.
const (
	TokEOF     TokenKind = iota
	TokEOL               // end of a statement: a newline or ';'
	TokIdent             // a name
	TokKeyword           // a word of the language, in its canonical form
	TokNumber            // 1500, 3.5, 10%, 200万元, 2倍
	TokString            // "…", “…”, 「…」
	TokDate              // 2025年6月15日, 2025-06-15
	TokRatio             // 5∶2
	TokPunct             // operators and brackets, in their ASCII form
)

var tokenKindNames = [...]string{"EOF", "EOL", "Ident", "Keyword", "Number", "String", "Date", "Ratio", "Punct"}

func (k TokenKind) String() string { return tokenKindNames[k] }

// Token is one word of a policy file.
type Token struct {
	Kind TokenKind
	// Canon is the token in canonical form: a keyword's canonical spelling
	// (超過, 高于 and > all become ">"), an identifier's Simplified
	// spelling, a literal folded to ASCII digits.
	Canon string
	// Text is the token exactly as written.
	Text string
	Pos  Pos
}

// keywords maps every spelling of a keyword, in Simplified characters or
// English, to its canonical form. Traditional spellings are folded to
// Simplified before the lookup.
var keywords = map[string]string{
	// declarations
	"输入": "输入", "input": "输入",
	"参数": "参数", "param": "参数",
	"规则": "规则", "rule": "规则",
	"结束": "结束", "end": "结束",
	"依据": "依据", "出处": "依据", "source": "依据",
	"条件": "条件", "适用条件": "条件", "when": "条件",

	// types
	"金额": "金额", "money": "金额",
	"数值": "数值", "number": "数值",
	"比例": "比例", "ratio": "比例",
	"是否": "是否", "bool": "是否",
	"文本": "文本", "text": "文本",
	"日期": "日期", "date": "日期",
	"列表": "列表", "list": "列表",
	"对每个": "对每个", "每个": "对每个", "each": "对每个",

	// conditionals
	"如果": "如果", "若": "如果", "if": "如果",
	"那么": "那么", "则": "那么", "then": "那么",
	"否则": "否则", "else": "否则",

	// A 与 B 孰低 (孰高): the lower (higher) of the two
	"与": "与", "孰低": "孰低", "孰高": "孰高",

	// cap and floor
	"最高": "最高", "最多": "最高", "至多": "最高", "封顶": "最高", "atmost": "最高",
	"最低": "最低", "最少": "最低", "至少": "最低", "保底": "最低", "atleast": "最低",

	// comparisons, with the inclusiveness of 民法典 第一千二百五十九条
	"不低于": ">=", "不少于": ">=", "不小于": ">=", "达到": ">=",
	"超过": ">", "高于": ">", "大于": ">", "多于": ">",
	"不超过": "<=", "不高于": "<=", "不大于": "<=", "不多于": "<=",
	"低于": "<", "小于": "<", "少于": "<", "不足": "<", "不满": "<", "未满": "<", "未达到": "<",
	"等于":  "==",
	"不等于": "!=",
	"在":   "在",
	"以上":  "以上",
	"以下":  "以下", "以内": "以下",

	// logic
	"且": "且", "并且": "且", "而且": "且", "and": "且",
	"或": "或", "或者": "或", "or": "或",
	"非": "非", "不是": "非", "not": "非",
	"是": "真", "真": "真", "true": "真", "yes": "真",
	"否": "假", "假": "假", "false": "假", "no": "假",

	// "增量的10%": 的 before a number multiplies
	"的": "*",

	// tiers and brackets by range: 按 研发费用 取 { 1000万元以上：20万元 },
	// 按 研发费用 分段 { 1000万元以下部分：5% }; （含） and （不含） after a
	// bound are made single keywords by the lexer
	"分段": "分段", "分段累进": "分段", "超额累进": "分段", "brackets": "分段",
	"部分": "部分",

	// validity
	"政策": "政策", "policy": "政策",
	"有效期": "有效期", "valid": "有效期",
	"至": "至", "到": "至", "until": "至",
	"起": "起", "from": "起",
	"自": "自", "自从": "自",

	// exceptions inside a rule: 其中 条件：名称 = 值
	"其中": "其中", "except": "其中",

	// population-level: budgets and quotas over all records
	"预算": "预算", "budget": "预算",
	"总额": "总额", "total": "总额",
	"评选": "评选", "select": "评选",
	"名额": "名额", "quota": "名额",
	"排序": "排序", "rank": "排序",
	"每年": "每年", "yearly": "每年", // 预算, 评选: apart for each year
	"先到先得": "先到先得", "firstcome": "先到先得", // 评选: ties go to the earlier record

	// exclusive rules: only the highest applies
	"就高不重复": "就高不重复", "exclusive": "就高不重复",

	// what a rule pays (给予 补助 = …), a cap on what an enterprise is paid
	// in all (上限 … 额度 = 50万元), and the cases the policy excludes
	// (不予支持 … 条件 …)
	"给予": "给予", "pay": "给予",
	"给予合计": "给予合计", "totalpaid": "给予合计", // what the policy pays a record in all, in tests
	"上限": "上限", "cap": "上限",
	"额度": "额度", "limit": "额度",
	"不予支持": "不予支持", "exclude": "不予支持",
	"不给予资金": "不给予资金", "nofunds": "不给予资金", // a rule whose amounts are not payments

	// what an enterprise has been paid before: the ledger type, and the
	// words that read it
	"台账": "台账", "ledger": "台账",
	"累计最高": "累计最高", "cumulativemax": "累计最高",
	"每年最高": "每年最高", "yearlymax": "每年最高",
	"一次性": "一次性", "once": "一次性",
	"最多连续": "最多连续", "consecutivemax": "最多连续",

	// what portals show of a policy (政策信息)
	"主管部门": "主管部门", "department": "主管部门",
	"申报期": "申报期", "filing": "申报期",
	"兑现方式": "兑现方式", "delivery": "兑现方式",
	"联系方式": "联系方式", "contact": "联系方式",
	"日志隐去": "日志隐去", "masklog": "日志隐去", // fields the decision log keeps only as a digest

	// the column that tells which records are one enterprise's
	"同一企业": "同一企业", "enterprise": "同一企业",

	// lookup by category: 按 等级 取 { "国家级"：300万元, … }
	"按": "按", "by": "按",
	"取": "取", "取值": "取", "pick": "取", // 按 等级 取值 { … } as the heading 按类别取值 says it

	// test cases
	"测试": "测试", "案例": "测试", "test": "测试",
	"数据": "数据", "given": "数据",
	"默认数据": "默认数据", "defaults": "默认数据",
	"期望": "期望", "expect": "期望",
	"评估日期": "评估日期", "asof": "评估日期",
	"适用": "适用", "applies": "适用",
	"不适用": "不适用", "na": "不适用",
}

// continuesAfter holds canonical tokens after which a line break does not end
// the statement: the expression is not finished yet.
var continuesAfter = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "=": true, "==": true, "!=": true,
	"<": true, "<=": true, ">": true, ">=": true, "(": true, "[": true, ",": true,
	"且": true, "或": true, "非": true, "如果": true, "那么": true, "否则": true,
	"最高": true, "最低": true, "在": true,
}

// continuesBefore holds canonical tokens that, at the start of a line,
// continue the statement of the line before.
var continuesBefore = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "==": true, "!=": true,
	"<": true, "<=": true, ">": true, ">=": true, ")": true, "]": true,
	"且": true, "或": true, "那么": true, "否则": true, "最高": true, "最低": true,
	"以上": true, "以下": true,
}

// FoldName returns the key under which a name is looked up: Traditional
// characters become Simplified, full-width letters and digits become ASCII,
// and surrounding blanks are dropped. 補助 and 补助 have one key.
func FoldName(s string) string { return strings.Map(fold, strings.TrimSpace(s)) }
