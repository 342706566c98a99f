// Package server is zhengce's HTTP service for portals (政策计算器,
// 精准匹配, 免申即享): it serves every policy of a folder, evaluates,
// explains, matches and compares posted records, answers with the policy
// revision that computed each amount, and records decisions in a decision
// log so any payment can be shown and re-run later.
//
// Data flows one way: catalog.go loads the folder into an immutable
// catalogue (swapped whole on reload); handlers.go decodes a request,
// evaluates on the catalogue it started with and encodes the result in the
// form of spec/json.md; routes.go is the one table of endpoints, from which
// both the mux and the OpenAPI document (openapi.go) are built; limits,
// access and metrics wrap every handler (middleware.go, metrics.go); every
// message a caller reads is in messages.go, in Chinese and English.
package server
