package main

import (
	"sort"

	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// This file lays out the compare report's charts as data for the
// template: positions in pixels, every amount in 万元, axes with ticks.

// hbarChart is a horizontal bar chart: a row per label, one bar per series
// in each row, on an axis in 万元 that includes 0.
type hbarChart struct {
	Width, Height int
	Left, Right   int // the plot area's x range
	ZeroX         int
	Rows          []hbarRow
	Ticks         []chartTick
}

type hbarRow struct {
	Label  string
	LabelY int
	Bars   []chartBar
}

type chartBar struct {
	X, Y, W, H int
	Class      string
	Title      string
	Value      string // written at the bar's end
	ValueX     int
	ValueY     int
}

type chartTick struct {
	X     int
	Label string
}

const (
	chartLabelWidth = 210
	chartPlotWidth  = 460
	chartBarHeight  = 14
)

var tenThousand = decimal.NewFromInt(10_000)

// niceStep is a round step (1, 2 or 5 times a power of ten) near span/4.
func niceStep(span float64) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / 4
	p := 1.0
	for p*10 <= raw {
		p *= 10
	}
	for p > raw {
		p /= 10
	}
	for _, m := range []float64{1, 2, 5, 10} {
		if p*m >= raw {
			return p * m
		}
	}
	return p * 10
}

// newHBarChart lays out rows of values (in yuan), one bar per series,
// each series drawn in its class.
func newHBarChart(labels []string, values [][]decimal.Decimal, classes, series []string, loc lang.Locale) *hbarChart {
	lo, hi := 0.0, 0.0
	for _, vs := range values {
		for _, v := range vs {
			f, _ := v.Div(tenThousand).Float64()
			lo, hi = min(lo, f), max(hi, f)
		}
	}
	step := niceStep(hi - lo)
	if lo < 0 {
		lo = -step * float64(int(-lo/step+0.999999))
	}
	hi = step * float64(int(hi/step+0.999999))
	if hi <= lo {
		hi = lo + step
	}
	ch := &hbarChart{Left: chartLabelWidth, Right: chartLabelWidth + chartPlotWidth}
	x := func(f float64) int { return ch.Left + int((f-lo)/(hi-lo)*chartPlotWidth+0.5) }
	ch.ZeroX = x(0)
	for t := lo; t <= hi+step/2; t += step {
		ch.Ticks = append(ch.Ticks, chartTick{X: x(t), Label: decimal.NewFromFloat(t).Round(2).String()})
	}
	y := 30
	for i, label := range labels {
		row := hbarRow{Label: label, LabelY: y + chartBarHeight*len(values[i])/2 + 4}
		for k, v := range values[i] {
			f, _ := v.Div(tenThousand).Float64()
			x0, x1 := ch.ZeroX, x(f)
			bar := chartBar{X: min(x0, x1), Y: y, W: max(x1-x0, x0-x1), H: chartBarHeight - 2, Class: classes[k],
				Title: label + " " + series[k] + " " + amountFor(v, loc), Value: v.Div(tenThousand).Round(2).String(), ValueY: y + chartBarHeight - 4}
			bar.ValueX = max(x0, x1) + 4
			if f < 0 {
				bar.ValueX = min(x0, x1) - 4 - 7*len(bar.Value)
			}
			row.Bars = append(row.Bars, bar)
			y += chartBarHeight
		}
		ch.Rows = append(ch.Rows, row)
		y += 8
	}
	ch.Height = y + 30
	ch.Width = ch.Right + 80
	return ch
}

// chart lays out what the report draws of the results of the same
// records under the base and the reform: the amounts paid by bins (those
// paid nothing counted apart), each rule's cost, and each enterprise's
// change, label(i) naming record i. Records either side could not
// evaluate are left out, as from the totals.
func (cmp *comparison) chart(base, reform []*zhengce.Result, label func(i int) string) {
	var paid [2][]decimal.Decimal
	var changes []enterpriseChange
	for i := range base {
		if base[i] == nil || reform[i] == nil {
			continue
		}
		amounts := [2]decimal.Decimal{base[i].Total().Decimal(), reform[i].Total().Decimal()}
		for k, a := range amounts {
			if a.IsPositive() {
				paid[k] = append(paid[k], a)
			} else {
				cmp.Zero[k]++
			}
		}
		if d := amounts[1].Sub(amounts[0]); !d.IsZero() {
			changes = append(changes, enterpriseChange{Label: label(i), Change: d})
		}
	}
	cmp.Bins = histogram(paid[0], paid[1], 8)
	cmp.RuleChart, cmp.ChangeChart = ruleCostChart(cmp), changeChart(changes, cmp.Loc)
}

// ruleCostChart is each rule's cost under the base and the reform.
func ruleCostChart(cmp *comparison) *hbarChart {
	var labels []string
	var values [][]decimal.Decimal
	for _, r := range cmp.Rules {
		labels = append(labels, r.Name)
		values = append(values, []decimal.Decimal{r.Base, r.Reform})
	}
	if len(labels) == 0 {
		return nil
	}
	series := []string{lang.Messagef("基准", "base").Text(cmp.Loc), lang.Messagef("改革", "reform").Text(cmp.Loc)}
	return newHBarChart(labels, values, []string{"base", "reform"}, series, cmp.Loc)
}

// enterpriseChange is one enterprise's gain or loss.
type enterpriseChange struct {
	Label  string
	Change decimal.Decimal
}

// changeChart is what each enterprise gains or loses, the largest 30
// changes, gains and losses on either side of 0.
func changeChart(changes []enterpriseChange, loc lang.Locale) *hbarChart {
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Change.Abs().GreaterThan(changes[j].Change.Abs()) })
	if len(changes) > 30 {
		changes = changes[:30]
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Change.GreaterThan(changes[j].Change) })
	var labels []string
	var values [][]decimal.Decimal
	for _, ch := range changes {
		labels = append(labels, ch.Label)
		values = append(values, []decimal.Decimal{ch.Change})
	}
	if len(labels) == 0 {
		return nil
	}
	chart := newHBarChart(labels, values, []string{"gain"}, []string{lang.Messagef("变化", "change").Text(loc)}, loc)
	for i := range chart.Rows {
		if changes[i].Change.IsNegative() {
			chart.Rows[i].Bars[0].Class = "loss"
		}
	}
	return chart
}
