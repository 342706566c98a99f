package main

import (
	"bytes"
	"encoding/csv"
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/zhengce/zhengce"
)

// TestCSVLineAgreesWithEncodingCSV: the row builder writes what
// encoding/csv writes, quoting included, for text and for values.
func TestCSVLineAgreesWithEncodingCSV(t *testing.T) {
	pieces := []string{"", "a", "企业", " ", "\t", ",", "\"", "\r", "\n", "\\.", "\u00a0", "\u3000", "1.5", "-", "=", "+", "@",
		"\u0085", "\u1680", "\u2009", "\u2028", "\u202f", "\u205f", "是", "€", "\u00e9", "\u3001"}
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 5000; i++ {
		var fields []string
		for n := r.Intn(5) + 1; n > 0; n-- {
			f := ""
			for k := r.Intn(4); k > 0; k-- {
				f += pieces[r.Intn(len(pieces))]
			}
			fields = append(fields, f)
		}
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		safe := make([]string, len(fields))
		for i, f := range fields {
			safe[i] = formulaSafe(f)
		}
		w.Write(safe)
		w.Flush()
		var l csvLine
		for _, f := range fields {
			if r.Intn(2) == 0 {
				l.text(f)
			} else {
				v := zhengce.Text(f)
				l.value(&v)
			}
		}
		l.end()
		if diff := cmp.Diff(want.String(), string(l.b)); diff != "" {
			t.Fatalf("fields %q (-encoding/csv +csvLine):\n%s", fields, diff)
		}
	}
	var l csvLine
	for _, v := range []zhengce.Value{
		zhengce.Money(decimal.RequireFromString("-1234.50")),
		zhengce.Ratio(decimal.RequireFromString("0.035")),
		zhengce.Bool(true),
		zhengce.NA("x"),
	} {
		l.value(&v)
	}
	l.end()
	if diff := cmp.Diff("-1234.5,0.035,是,不适用\n", string(l.b)); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

// TestFormulaSafe: text a spreadsheet would run as a formula is shown as
// text; numbers stay numbers (OWASP, CSV injection).
func TestFormulaSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=HYPERLINK("http://x","点此")`, `'=HYPERLINK("http://x","点此")`},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-400000", "-400000"},
		{"+3.5", "+3.5"},
		{"-0.035", "-0.035"},
		{"枣庄新材料", "枣庄新材料"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := formulaSafe(tt.in); got != tt.want {
			t.Errorf("formulaSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
