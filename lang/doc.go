// Package lang is the front end of the policy language: source text to a
// checked program, and what went wrong, in Chinese and English.
//
// Data flows one way. Lex (lexer.go) folds Traditional characters, full
// width forms and typographic quotes, scans runs of characters, and splits
// runs written without spaces into keywords, numbers and the names the file
// declares (segment.go); keywords in any spelling, Simplified, Traditional
// or English, have one canonical form (token.go). Parse checks nesting and
// size limits, parses each statement with the participle grammar
// (grammar.go) and converts it to the syntax tree (parse.go, parse_expr.go;
// ast.go); a syntax error is said in plain words (syntax_errors.go). Check
// resolves names, orders definitions and rules by what they use, gives every
// expression its type (check_expr.go), and checks rules (check_rule.go), what
// settles what they pay (check_settle.go) and the test cases
// (check_tests.go), giving a Program. Errors and warnings are Errors with a
// position and a Message in both languages (errors.go).
//
// Numbers (number.go), dates (date.go), data units (units.go) and types
// (types.go) are read here once for the whole module.
package lang
