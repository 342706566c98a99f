// Package zhengce embeds the zhengce policy language: compile a policy once,
// then evaluate it over many records, concurrently and exactly.
//
//	policy, err := zhengce.Compile("研发补助.zc", src)
//	if err != nil {
//		// err is a lang.ErrorList: file:line:col and a message per error;
//		// lang.FormatErrors shows each with its source line and a caret.
//	}
//	res, err := policy.Eval(ctx, zhengce.Record{"研发投入增量": "3000万元"})
//
// Every number is an exact decimal (github.com/shopspring/decimal). A
// policy cannot read files, the environment, the network or the clock:
// everything it knows comes from the record it is given.
package zhengce

import (
	"context"

	"github.com/zhengce/zhengce/interp"
	"github.com/zhengce/zhengce/lang"
	"github.com/zhengce/zhengce/stdlib"
)

// Version is the version of the language and its interpreter.
const Version = "0.1.0"

// Aliases for the types an embedder meets.
type (
	// Program is a compiled policy; safe for concurrent use.
	Program = interp.Program
	// Record is one enterprise's data, field name → value.
	Record = interp.Record
	// Result is what a policy yields for one record.
	Result = interp.Result
	// Value is a value of the language.
	Value = interp.Value
	// Options configure compilation: parameter overrides, the as-of date
	// and limits.
	Options = interp.Options
	// Limits bound what evaluation may do; the zero value is safe for
	// untrusted scripts.
	Limits = interp.Limits
	// InternalError is a defect of zhengce itself (a recovered panic),
	// never the policy's or the data's fault.
	InternalError = interp.InternalError
	// EvalOptions say how one evaluation runs: its date, whether it
	// explains, whether it tests every condition.
	EvalOptions = interp.EvalOptions
	// RuleResult is what one rule gives a record; Reason why it does not
	// apply, of a ReasonKind; Explanation how a value was reached; Output
	// a named value.
	RuleResult  = interp.RuleResult
	Reason      = interp.Reason
	ReasonKind  = interp.ReasonKind
	Explanation = interp.Explanation
	Output      = interp.Output
	// Message is a text for people in Chinese and English.
	Message = lang.Message
	// DataError is what is wrong with a record's fields, every one of them;
	// FieldError one field; LimitError a limit reached.
	DataError  = interp.DataError
	FieldError = interp.FieldError
	LimitError = interp.LimitError
	// Binder reads the rows of a table into input slots, column by column.
	Binder = interp.Binder
	// BareRatios says how data gives a 比例 without a percent sign.
	BareRatios = interp.BareRatios
	// TestResult is the outcome of a test case written in a policy.
	TestResult = interp.TestResult
	// Tally and Settlement carry budgets and quotas between the passes of
	// a run too large to hold.
	Tally      = interp.Tally
	Settlement = interp.Settlement
)

// The reasons a rule does not apply.
const (
	ReasonCondition = interp.ReasonCondition
	ReasonValidity  = interp.ReasonValidity
	ReasonExclusive = interp.ReasonExclusive
	ReasonLimit     = interp.ReasonLimit
	ReasonDenied    = interp.ReasonDenied
	ReasonQuota     = interp.ReasonQuota
	ReasonOutput    = interp.ReasonOutput
	ReasonData      = interp.ReasonData
	ReasonLedger    = interp.ReasonLedger
)

// How data gives a bare 比例.
const (
	BareRatiosChecked  = interp.BareRatiosChecked
	BareRatiosPercent  = interp.BareRatiosPercent
	BareRatiosFraction = interp.BareRatiosFraction
)

// The default limits.
const (
	DefaultMaxSteps     = interp.DefaultMaxSteps
	DefaultMaxListItems = interp.DefaultMaxListItems
)

// MoneyText writes an amount for people (200万元, 285,714.29元; in English
// 2,000,000.00 yuan); MoneyFigure for a column of amounts (2,000,000.00).
var (
	MoneyText   = interp.MoneyText
	MoneyFigure = interp.MoneyFigure
)

// Values made from Go: an amount, a 比例, a text, a 是否, 不适用 with its
// reason.
var (
	Money = interp.Money
	Ratio = interp.Ratio
	Text  = interp.Text
	Bool  = interp.Bool
	NA    = interp.NA
)

// Recovered turns a panic in the calling function into an InternalError;
// defer it in a goroutine that evaluates. (A variable, not a wrapper: a
// deferred function must call recover itself.)
var Recovered = interp.Recovered

// Compile parses, checks and compiles a policy with default options.
// Syntax and type errors are a lang.ErrorList.
func Compile(filename string, src []byte) (*Program, error) {
	return CompileWith(filename, src, Options{})
}

// CompileWith is Compile with options.
func CompileWith(filename string, src []byte, opts Options) (prog *Program, err error) {
	defer interp.Recovered(&err)
	if err := opts.Limits.CheckSource(src); err != nil {
		return nil, err
	}
	fs := stdlib.Functions()
	builtins := stdlib.Builtins(fs)
	f, err := lang.Parse(filename, src, lang.BuiltinNames(builtins))
	if err != nil {
		return nil, err
	}
	return compileFile(f, fs, builtins, opts)
}

// Source is one file of a policy written as several.
type Source = lang.Source

// CompileSources compiles a policy written as several files (a document's
// folder: one file per clause or chapter) as one program: names are shared,
// so a 就高不重复 group or a cap may name rules of any of the files; each
// file's 政策, 有效期 and test data stay its own. The sources' text, joined
// by lang.JoinSources, is what the positions of errors refer to.
func CompileSources(sources []Source, opts Options) (prog *Program, err error) {
	defer interp.Recovered(&err)
	if err := opts.Limits.CheckSource(lang.JoinSources(sources)); err != nil {
		return nil, err
	}
	fs := stdlib.Functions()
	builtins := stdlib.Builtins(fs)
	f, err := lang.ParseSources(sources, lang.BuiltinNames(builtins))
	if err != nil {
		return nil, err
	}
	return compileFile(f, fs, builtins, opts)
}

// compileFile checks and compiles a parsed policy.
func compileFile(f *lang.File, fs []stdlib.Function, builtins []lang.Builtin, opts Options) (*Program, error) {
	checked, err := lang.Check(f, builtins)
	if err != nil {
		return nil, err
	}
	return interp.Compile(checked, stdlib.Funcs(fs), opts)
}

// Eval evaluates a lone expression such as "min(3000万 * 10%, 200万)".
func Eval(ctx context.Context, expr string) (v Value, err error) {
	defer interp.Recovered(&err)
	fs := stdlib.Functions()
	builtins := stdlib.Builtins(fs)
	f, e, err := lang.ParseExpr(lang.ExprFile, []byte(expr), lang.BuiltinNames(builtins))
	if err != nil {
		return Value{}, err
	}
	checked, err := lang.CheckExpr(f, e, builtins)
	if err != nil {
		return Value{}, err
	}
	fn, err := interp.CompileExpr(checked, e, stdlib.Funcs(fs), interp.Limits{})
	if err != nil {
		return Value{}, err
	}
	return fn(ctx)
}
