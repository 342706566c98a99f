package main

import (
	"encoding/json"

	"github.com/zhengce/zhengce"
)

// This file writes results as JSON (spec/json.md), in the form the root
// package defines for the CLI and the service alike.

func (c *cli) writeJSON(results []rowResult, idCol string) {
	out := make([]zhengce.RecordJSON, 0, len(results))
	for _, r := range results {
		out = append(out, c.jsonRowOf(r))
	}
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// jsonRowOf is one row of the JSON output.
func (c *cli) jsonRowOf(r rowResult) zhengce.RecordJSON {
	jr := zhengce.ResultJSON(r.res, r.err, c.loc)
	if r.err != nil {
		jr.Error.Message = c.message(r.err) // with the system's file errors worded
	}
	jr.Row, jr.ID = r.row.Num, r.id
	return jr
}
