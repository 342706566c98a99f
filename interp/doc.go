// Package interp compiles a checked policy (lang.Program) into closures and
// evaluates it over records, exactly: every number is a decimal, held in a
// fixed form of 128 bits when it fits (num.go) and as a decimal.Decimal when
// not.
//
// # Data flow
//
// Compile (compile.go) turns each definition, rule, cap, exclusion, budget
// and quota into closures over a frame (frame.go): expressions in expr.go,
// arithmetic in numeric.go, comparisons in compare.go, aggregates in
// folds.go, tables by range in tiers.go. Evaluating a record (eval.go)
// binds its fields into input slots (bind.go, units.go), runs the steps in
// dependency order — definitions, rules (rules.go), then what settles what
// rules pay within the record (settle.go: 就高不重复, 上限, 不予支持;
// ledger.go: the 台账) — and gives a Result (result.go). Across records:
// an enterprise's records settle together (enterprise.go), then budgets
// and quotas over all records (population.go). What an evaluation says to
// people is in messages.go, in Chinese and English; amounts for people in
// human.go.
//
// # Entry points and tiers
//
//   - Eval, EvalWith (EvalOptions: date, explanation, every condition):
//     a record in, a fresh Result out; the general path.
//   - EvalInputs: the same for inputs already bound (a Binder).
//   - EvalInto: a reused Result. Once warm, its steady state tests a rule's
//     conditions to the first failure with no tracer, and for a policy of
//     rules alone runs them without the step loop; a record with a missing
//     input, or of another date, falls back to the general path.
//
// Where comparison happens: every comparison of numbers comes to cmpNum
// (num.go). compare.go chooses how the two sides are had — a constant side
// decided by constCmp, input slots read in place by slotTest, a quotient
// decided without dividing (quotient.go), or the general numFns — and each
// tier is tested against exact arithmetic. Where money is rounded to the
// fen: when a 金额 is stored under a name (store and storeNum in eval.go);
// working values between are exact.
package interp
