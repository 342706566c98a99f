package zhengce_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/interp"
)

// foldPolicy sums and counts over what 不适用 can hide in: outputs of rules
// that may not apply, and a list of projects filtered by a condition.
const foldPolicy = `
输入
  甲额：金额
  乙额：金额
  项目：列表（费用：金额，入选：是否）
结束
规则 甲
  条件 甲额 超过 0
  奖 = 甲额
结束
规则 乙
  条件 乙额 超过 0
  奖 = 乙额 * 50%
结束
两项合计 = 合计(甲.奖, 乙.奖)
入选合计 = 合计(对每个 项目 如果 入选：费用)
全部合计 = 合计(对每个 项目：费用, 甲.奖, 乙.奖)
两项计数 = 计数(甲.适用, 乙.适用)
条件计数 = 计数(甲额 超过 0, 乙额 超过 100, 甲.适用)
项目计数 = 计数(项目)
入选计数 = 计数(对每个 项目 如果 入选：费用)
任一适用 = 任一(甲.适用, 乙.适用)
全部适用 = 全部(甲.适用, 乙.适用, 甲额 超过 -1000000)
任一入选 = 任一(对每个 项目：入选)
全部入选 = 全部(对每个 项目：入选)
`

// TestFoldsAgreeWithArithmetic: 合计, 计数, 任一 and 全部, which the
// interpreter folds over their arguments itself, against the same sums,
// counts and truths done here, on random records whose rules apply or not
// and whose project lists are empty, short or long.
func TestFoldsAgreeWithArithmetic(t *testing.T) {
	prog, err := zhengce.Compile("fold.zc", []byte(foldPolicy))
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 5))
	amount := func() decimal.Decimal { return decimal.New(r.Int64N(2_000_000_00)-50_000_00, -2) }
	for n := 0; n < 300; n++ {
		a, b := amount(), amount()
		type project struct {
			amount decimal.Decimal
			picked bool
		}
		projects := make([]project, r.IntN(6))
		var cells []string
		for i := range projects {
			projects[i] = project{amount(), r.IntN(2) == 0}
			cells = append(cells, fmt.Sprintf(`{"费用": "%s", "入选": "%s"}`, projects[i].amount, yesNo(projects[i].picked)))
		}
		rec := zhengce.Record{"甲额": a.String(), "乙额": b.String(), "项目": "[" + strings.Join(cells, ", ") + "]"}
		res, err := prog.Eval(context.Background(), rec)
		if err != nil {
			t.Fatalf("%v: %v", rec, err)
		}
		got := map[string]string{}
		for _, d := range res.Defs {
			got[d.Name] = d.Value.Exact()
		}
		// the oracle
		var ruleAmounts []decimal.Decimal
		if a.IsPositive() {
			ruleAmounts = append(ruleAmounts, a)
		}
		if b.IsPositive() {
			ruleAmounts = append(ruleAmounts, b.Mul(decimal.RequireFromString("0.5")).Round(2))
		}
		sum := func(ds []decimal.Decimal) string {
			total := decimal.Zero
			for _, d := range ds {
				total = total.Add(d)
			}
			return total.String()
		}
		var picked, all []decimal.Decimal
		for _, p := range projects {
			all = append(all, p.amount)
			if p.picked {
				picked = append(picked, p.amount)
			}
		}
		conds := 0
		for _, c := range []bool{a.IsPositive(), b.GreaterThan(decimal.NewFromInt(100)), a.IsPositive()} {
			if c {
				conds++
			}
		}
		anyPicked, allPicked := "不适用", "不适用" // of an empty list: nothing to decide on
		if len(projects) > 0 {
			anyPicked, allPicked = yesNo(len(picked) > 0), yesNo(len(picked) == len(projects))
		}
		want := map[string]string{
			"任一适用": yesNo(a.IsPositive() || b.IsPositive()),
			"全部适用": yesNo(a.IsPositive() && b.IsPositive() && a.GreaterThan(decimal.NewFromInt(-1000000))),
			"任一入选": anyPicked,
			"全部入选": allPicked,
			"两项合计": sum(ruleAmounts),
			"入选合计": sum(picked),
			"全部合计": sum(append(all, ruleAmounts...)),
			"两项计数": fmt.Sprint(len(ruleAmounts)),
			"条件计数": fmt.Sprint(conds),
			"项目计数": fmt.Sprint(len(projects)),
			"入选计数": fmt.Sprint(len(picked)),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%v (-want +got):\n%s", rec, diff)
		}
	}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// storedListPolicy makes a list of amounts with 对每个 that has more than
// two places: stored under a name, each amount is rounded to the fen; used
// in place, the sum is of the exact amounts.
const storedListPolicy = `
输入
  项目：列表（费用：金额，入选：是否）
结束
各项 = 对每个 项目 如果 入选：费用 * 33.333%
各项合计 = 合计(各项)
直接合计 = 合计(对每个 项目 如果 入选：费用 * 33.333%)
规则 支持
  条件 计数(项目) 超过 0
  每项 = 对每个 项目 如果 入选：费用 * 33.333%
  合计 = 合计(每项)
结束
`

// TestStoredMoneyListsRoundEachAmount: a list of money stored under a
// name (a definition, a rule's output) holds each amount to the fen,
// whichever way it is evaluated (Eval, EvalInto into a reused result,
// EvalWith with Explain); an explanation still shows the amounts before rounding.
func TestStoredMoneyListsRoundEachAmount(t *testing.T) {
	prog, err := zhengce.Compile("stored.zc", []byte(storedListPolicy))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		projects string
		want     map[string]string
		exact    string // in the explanation of 各项
	}{
		{`[{"费用": "100", "入选": "是"}, {"费用": "100", "入选": "是"}, {"费用": "100", "入选": "是"}]`,
			map[string]string{"各项": "[33.33, 33.33, 33.33]", "各项合计": "99.99", "直接合计": "100", "每项": "[33.33, 33.33, 33.33]", "合计": "99.99"}, "33.333元, 33.333元, 33.333元"},
		{`[{"费用": "200", "入选": "是"}, {"费用": "5", "入选": "否"}, {"费用": "0.01", "入选": "是"}]`,
			map[string]string{"各项": "[66.67, 0]", "各项合计": "66.67", "直接合计": "66.67", "每项": "[66.67, 0]", "合计": "66.67"}, "66.666元, 0.0033333元"},
		{`[{"费用": "100", "入选": "否"}]`,
			map[string]string{"各项": "[]", "各项合计": "0", "直接合计": "0", "每项": "[]", "合计": "0"}, "得 []"},
	}
	var reused interp.Result
	for _, tt := range tests {
		rec := zhengce.Record{"项目": tt.projects}
		inputs, err := prog.BindRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		explained, err := prog.EvalWith(context.Background(), rec, zhengce.EvalOptions{Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		for how, eval := range map[string]func() (*interp.Result, error){
			"Eval":             func() (*interp.Result, error) { return prog.Eval(context.Background(), rec) },
			"EvalInto":         func() (*interp.Result, error) { return &reused, prog.EvalInto(context.Background(), inputs, &reused) },
			"EvalWith Explain": func() (*interp.Result, error) { return explained, nil },
		} {
			res, err := eval()
			if err != nil {
				t.Fatalf("%s %s: %v", how, tt.projects, err)
			}
			got := map[string]string{}
			for _, d := range res.Defs {
				got[d.Name] = d.Value.Exact()
			}
			for _, o := range res.Rules[0].Outputs {
				got[o.Name] = o.Value.Exact()
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", how, tt.projects, diff)
			}
		}
		if steps := fmt.Sprint(explained.DefSteps["各项"].Steps); !strings.Contains(steps, tt.exact) {
			t.Errorf("the explanation of 各项 should show the amounts before rounding: %s", steps)
		}
	}
}
