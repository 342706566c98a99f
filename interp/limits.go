package interp

import (
	"fmt"
	"runtime"

	"github.com/zhengce/zhengce/lang"
)

// This file holds what bounds an evaluation: the limits on a policy and
// its records (Limits, LimitError), and the recovery from a defect
// (InternalError, Recovered).

// Limits bound what evaluation may do, so that a script from an untrusted
// author cannot exhaust the host.
//
// The language itself has no loops and no recursion: definitions may not
// refer to themselves, even through others (the checker rejects cycles), and
// the only iteration is 对每个 over a list given in the data. So the work of
// one evaluation is bounded by the size of the program times the length of
// its lists; these limits bound those in turn. A zero field takes the
// default, which is safe for scripts from untrusted authors.
type Limits struct {
	// MaxIntegerDigits bounds the size of every number computed: a result
	// with more digits before the decimal point is an error. Default 30.
	MaxIntegerDigits int
	// MaxSteps bounds the steps of one evaluation: each definition, each
	// rule and each list item visited by 对每个 is a step. Default 1,000,000.
	MaxSteps int
	// MaxListItems bounds the items of a list input. Default 100,000.
	MaxListItems int
	// MaxSourceBytes bounds the size of a policy file. Default 10 MiB.
	MaxSourceBytes int
}

// Defaults of Limits.
const (
	DefaultMaxIntegerDigits = 30
	DefaultMaxSteps         = 1_000_000
	DefaultMaxListItems     = lang.DefaultMaxListItems
	DefaultMaxSourceBytes   = 10 << 20
)

// withDefaults fills the zero fields of l.
func (l Limits) withDefaults() Limits {
	if l.MaxIntegerDigits <= 0 {
		l.MaxIntegerDigits = DefaultMaxIntegerDigits
	}
	if l.MaxSteps <= 0 {
		l.MaxSteps = DefaultMaxSteps
	}
	if l.MaxListItems <= 0 {
		l.MaxListItems = DefaultMaxListItems
	}
	if l.MaxSourceBytes <= 0 {
		l.MaxSourceBytes = DefaultMaxSourceBytes
	}
	return l
}

// SourceLimit returns the largest policy file, in bytes, l allows.
func (l Limits) SourceLimit() int { return l.withDefaults().MaxSourceBytes }

// CheckSource reports a policy file larger than the limit allows.
func (l Limits) CheckSource(src []byte) error {
	if max := l.SourceLimit(); len(src) > max {
		return &LimitError{Limit: "MaxSourceBytes", Max: max,
			Zh: fmt.Sprintf("政策文件超过 %d 字节的限制", max), En: fmt.Sprintf("the policy file exceeds the limit of %d bytes", max)}
	}
	return nil
}

// InternalError is a defect of zhengce itself met while compiling or
// evaluating (a recovered panic): never the policy's or the data's fault.
type InternalError struct {
	Value any    // what was panicked with
	Stack string // where
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("zhengce：内部错误（请报告给开发者）：%v", e.Value)
}

// Recovered, deferred, turns a panic into an *InternalError in *err, so that
// a program that embeds zhengce is not brought down by a defect in it.
func Recovered(err *error) {
	if r := recover(); r != nil {
		buf := make([]byte, 16<<10)
		*err = &InternalError{Value: r, Stack: string(buf[:runtime.Stack(buf, false)])}
	}
}

// LimitError says an evaluation went past one of the Limits.
type LimitError struct {
	Limit  string // the field of Limits
	Max    int
	Zh, En string
}

func (e *LimitError) Error() string { return e.Zh }
