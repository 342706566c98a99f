package interp

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce/lang"
)

// This file is the catalogue of what an evaluation says to people: each
// message in Chinese and English together, the values it names written as
// each language writes them (200万元; 2,000,000.00 yuan). Reasons, notes,
// the steps of explanations and the reasons of 不适用 values are Messages;
// the caller picks the language.

// Message is a text for people in Chinese and English (lang.Message).
type Message = lang.Message

// msgf is an error message from a Chinese and an English format.
func msgf(zh, en string, args ...any) *Message {
	m := say(zh, en, args...)
	return &m
}

// say formats a message from a Chinese and an English format with the
// same arguments. A Value, an amount (money), a date or a Message among
// them is written in each language.
func say(zh, en string, args ...any) Message {
	return Message{Zh: fmt.Sprintf(zh, localize(args, lang.Chinese)...), En: fmt.Sprintf(en, localize(args, lang.English)...)}
}

// money is an amount the evaluation reckoned, for a message.
type money num

// localize writes the arguments that read differently in loc.
func localize(args []any, loc lang.Locale) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case interface{ Text(lang.Locale) string }: // a Value, a Message, quoted names
			out[i] = a.Text(loc)
		case money:
			out[i] = MoneyText(num(a).decimal(), loc)
		case lang.Date:
			if loc == lang.English {
				out[i] = a.String()
			} else {
				out[i] = a.Chinese()
			}
		case list:
			out[i] = strings.Join(a, map[bool]string{true: ", ", false: "、"}[loc == lang.English])
		default:
			out[i] = a
		}
	}
	return out
}

// errText is an error as a message: a Message in both languages, any
// other error as it says itself.
func errText(err error) Message {
	var m *Message
	if errors.As(err, &m) {
		return *m
	}
	var le *lang.Error
	if errors.As(err, &le) {
		return Message{Zh: le.Error(), En: le.Pos.String() + ": " + le.En}
	}
	return Message{Zh: err.Error(), En: err.Error()}
}

// list is names or texts joined as each language joins a list.
type list []string

// Reasons a rule does not apply, and notes on what it pays.

func msgExclusive(group, winner string, won, own num) Message {
	return say("就高不重复（%s）：已按“%s”给予 %s，高于本规则的 %s", "exclusive (%s): %q pays %s, more than this rule's %s",
		group, winner, money(won), money(own))
}

func msgExclusiveAcross(group string, record int, winner string, won, own num) Message {
	return say("就高不重复（%s）：同一企业已按第 %d 项申报的“%s”给予 %s，高于本项的 %s",
		"exclusive (%s): the same enterprise is paid %[4]s by %[3]q of its application %[2]d, more than this one's %[5]s",
		group, record, winner, money(won), money(own))
}

func msgGroupUnknown(group string, n int) Message {
	return say("就高不重复（%s）：组中另有 %d 条规则数据不足，未参与比较；数据补全后结果可能不同",
		"exclusive (%s): %d more rules of the group lack data and were not compared; with the data complete the result may differ", group, n)
}

func msgCapUnknown(limit string, why Message) Message {
	return say("上限“%s”的额度无法得出：%s", "the limit of cap %q cannot be had: %s", limit, why)
}

func msgCapSpent(limit string, amount, asked num) Message {
	return say("上限“%s”额度 %s已用完：本规则原为 %s，给予 %s", "cap %q of %s is used up: this rule asked %s and is paid %s",
		limit, money(amount), money(asked), money(num{}))
}

func msgCapCut(limit string, amount, asked, cut, paid num) Message {
	return say("上限“%s”额度 %s：本规则原为 %s，削减 %s，给予 %s", "cap %q of %s: this rule asked %s, cut by %s, is paid %s",
		limit, money(amount), money(asked), money(cut), money(paid))
}

func msgCapSpentAcross(limit string, amount, asked num) Message {
	return say("上限“%s”额度 %s已由同一企业此前各项用完：本项原为 %s，给予 %s", "cap %q of %s is used up by the enterprise's earlier applications: this one asked %s and is paid %s",
		limit, money(amount), money(asked), money(num{}))
}

func msgCapCutAcross(limit string, amount, used, asked, cut, paid num) Message {
	return say("上限“%s”额度 %s，同一企业此前各项已用 %s：本项原为 %s，削减 %s，给予 %s",
		"cap %q of %s, of which the enterprise's earlier applications used %s: this one asked %s, cut by %s, is paid %s",
		limit, money(amount), money(used), money(asked), money(cut), money(paid))
}

func msgBudgetScaled(budget string, year int, total, demand, ratio decimal.Decimal, asked num) Message {
	yearZh, yearEn := "", ""
	if year != 0 {
		yearZh, yearEn = fmt.Sprintf("%d 年", year), fmt.Sprintf(" in %d", year)
	}
	return Message{
		Zh: fmt.Sprintf("预算“%s”%s总额 %s，全体申请合计 %s，按约 %s%% 的比例压减（原为 %s）", budget, yearZh,
			MoneyText(total, lang.Chinese), MoneyText(demand, lang.Chinese), ratio, MoneyText(asked.decimal(), lang.Chinese)),
		En: fmt.Sprintf("budget %q%s of %s, all applications ask %s: scaled down to about %s%% (asked %s)", budget, yearEn,
			MoneyText(total, lang.English), MoneyText(demand, lang.English), ratio, MoneyText(asked.decimal(), lang.English)),
	}
}

func msgQuota(quota string, year, places int, rank string, rankValue Value, place int, tied bool) Message {
	yearZh, yearEn := "", ""
	if year != 0 {
		yearZh, yearEn = fmt.Sprintf("（%d 年）", year), fmt.Sprintf(" (%d)", year)
	}
	m := Message{
		Zh: fmt.Sprintf("评选“%s”%s名额 %d 名，按“%s”（%s）排第 %d 名", quota, yearZh, places, rank, rankValue.Text(lang.Chinese), place),
		En: fmt.Sprintf("selection %q%s has %d places; ranked %d by %q (%s)", quota, yearEn, places, place, rank, rankValue.Text(lang.English)),
	}
	if tied {
		m.Zh += "；与名额内最后一名同分，按申报先后（先到先得）在后"
		m.En += "; tied with the last place, and later in the order of application (first come)"
	}
	return m
}

func msgOnce(year int64, amount num) Message {
	return say("一次性：台账中已于 %d 年兑现 %s", "once only: the ledger shows %[2]s paid in %[1]d", year, money(amount))
}

func msgConsecutive(years, from, to int64, most int64) Message {
	return say("台账中已连续 %d 年（%d—%d 年）兑现，最多连续 %d 年", "the ledger shows it paid %d years in a row (%d–%d), at most %d in a row",
		years, from, to, most)
}

func msgInsufficient(names list) Message {
	return say("数据不足：缺少或无法读取%s", "insufficient data: %s missing or unreadable", quoted(names))
}

// quoted quotes each name as each language quotes: “甲”、“乙”; "甲", "乙".
type quoted list

func (q quoted) Text(loc lang.Locale) string {
	parts := make([]string, len(q))
	for i, n := range q {
		if loc == lang.English {
			parts[i] = fmt.Sprintf("%q", n)
		} else {
			parts[i] = "“" + n + "”"
		}
	}
	if loc == lang.English {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, "、")
}

func msgOutputNA(output string, why Message) Message {
	return say("无法得出“%s”：%s", "%q cannot be had: %s", output, why)
}

func msgValidityUnknown(why Message) Message {
	return say("无法判断是否在有效期内：%s", "cannot tell whether it is in force: %s", why)
}

func msgOutsideValidity(v *lang.Validity, what string, asOf lang.Date) Message {
	var zh, en string
	switch {
	case v.From != nil && v.Until != nil:
		zh, en = fmt.Sprintf("有效期 %s 至 %s", v.From.Chinese(), v.Until.Chinese()), fmt.Sprintf("in force from %s to %s", v.From, v.Until)
	case v.From != nil:
		zh, en = fmt.Sprintf("有效期 自 %s 起", v.From.Chinese()), fmt.Sprintf("in force from %s", v.From)
	default:
		zh, en = fmt.Sprintf("有效期 至 %s", v.Until.Chinese()), fmt.Sprintf("in force until %s", v.Until)
	}
	whatEn := map[string]string{"评估日期": "the evaluation date"}[what]
	if whatEn == "" {
		whatEn = fmt.Sprintf("%q", what)
	}
	return Message{Zh: fmt.Sprintf("不在有效期内：%s，%s为 %s", zh, what, asOf.Chinese()), En: fmt.Sprintf("not in force: %s, and %s is %s", en, whatEn, asOf)}
}

func msgParamNotYet(param string, on lang.Date, from lang.Date, v Value) Message {
	return say("参数“%s”在 %s 尚无值：自 %s 起为 %s", "parameter %q has no value on %s: it is %[4]s from %[3]s", param, on, from, v)
}

func msgRuleNA(rule string) Message {
	return say("规则“%s”不适用", "rule %q does not apply", rule)
}

func msgNotInTable(key string, k Value, cats list) Message {
	return say("%s 为“%s”，不在表中（%s）", "%s is %q, not in the table (%s)", key, k, cats)
}

func msgNoTier(key string, k Value, ranges list) Message {
	return say("%s 为 %s，不在任何一档（%s）", "%s is %s, in no tier (%s)", key, k, ranges)
}

func msgNothingToCount() Message {
	return say("列表中没有可计的项", "the list has no item to count")
}

// Steps of explanations.

func stepCapped(x string, a Value, floor bool, y string, b Value) Message {
	if floor {
		return say("按“%s”计 %s，低于最低“%s” %s，取 %s", "%q gives %s, below the floor %q of %s: %[4]s", x, a, y, b, b)
	}
	return say("按“%s”计 %s，超过最高“%s” %s，取 %s", "%q gives %s, above the cap %q of %s: %[4]s", x, a, y, b, b)
}

func stepSides(x, y, word string, a, b Value, later bool, diff Value) Message {
	zhSide, enSide := "前者", "the first"
	if later {
		zhSide, enSide = "后者", "the second"
	}
	enWord := map[string]string{"孰低": "the lower", "孰高": "the higher"}[word]
	return say("“%s”与“%s”%s：前者 %s，后者 %s，取%s（相差 %s）", "%q or %q, %s: the first %s, the second %s; %s is taken (%s apart)",
		x, y, Message{Zh: word, En: enWord}, a, b, Message{Zh: zhSide, En: enSide}, diff)
}

func stepPicked(fn string, texts []string, vals []Value, taken int) Message {
	var zh, en []string
	for i, v := range vals {
		if i != taken {
			zh = append(zh, fmt.Sprintf("%s 为 %s", texts[i], v.Text(lang.Chinese)))
			en = append(en, fmt.Sprintf("%s is %s", texts[i], v.Text(lang.English)))
		}
	}
	return Message{
		Zh: fmt.Sprintf("%s：取“%s” %s（%s）", fn, texts[taken], vals[taken].Text(lang.Chinese), strings.Join(zh, "，")),
		En: fmt.Sprintf("%s: %q is taken, %s (%s)", fn, texts[taken], vals[taken].Text(lang.English), strings.Join(en, ", ")),
	}
}

func stepBranch(cond string, holds bool, v Value) Message {
	if holds {
		return say("如果“%s”为 是：取“那么”后的 %s", "if %q is yes: the then branch, %s", cond, v)
	}
	return say("如果“%s”为 否：取“否则”后的 %s", "if %q is no: the else branch, %s", cond, v)
}

func stepEach(listName string, all, counted int, out Value) Message {
	return say("对每个 %s：共 %d 项，计入 %d 项，得 %s", "each of %s: %d items, %d counted, giving %s", listName, all, counted, out)
}

func stepLookup(key string, k, v Value) Message {
	return say("按 %s“%s”取 %s", "by %s %q: %s", key, k, v)
}

func stepTier(key string, k Value, tier string, v Value) Message {
	return say("按 %s %s 在“%s”一档，取 %s", "by %s %s, in the tier %q: %s", key, k, tier, v)
}

func stepBrackets(key string, k Value, parts []Message, sum Value) Message {
	zh, en := make([]string, len(parts)), make([]string, len(parts))
	for i, p := range parts {
		zh[i], en[i] = p.Zh, p.En
	}
	return Message{
		Zh: fmt.Sprintf("按 %s %s 分段：%s；合计 %s", key, k.Text(lang.Chinese), strings.Join(zh, "；"), sum.Text(lang.Chinese)),
		En: fmt.Sprintf("%s of %s in brackets: %s; in all %s", key, k.Text(lang.English), strings.Join(en, "; "), sum.Text(lang.English)),
	}
}

func stepBracket(band string, part, rate, amount Value) Message {
	return say("%s %s × %s = %s", "%s: %s × %s = %s", band, part, rate, amount)
}

func stepParam(param string, v Value, from lang.Date) Message {
	return say("参数“%s”自 %s 起为 %s", "parameter %q is %[3]s from %[2]s", param, from, v)
}
