package decisionlog

import (
	"encoding/json"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// New is the decision a policy revision made for a record: the record as
// evaluated, its masked fields (日志隐去) kept as digests; the result in
// the form of spec/json.md, in Chinese, the log's language; and the
// enterprise, the value of the column enterprise if one is given.
func New(policy, revision string, rec zhengce.Record, res *zhengce.Result, masked []string, enterprise string) *Decision {
	inputs, hit := Mask(rec, masked, lang.FoldName)
	in, _ := json.Marshal(inputs)
	result, _ := json.Marshal(zhengce.ResultJSON(res, nil, lang.Chinese))
	d := &Decision{Policy: policy, Revision: revision, AsOf: res.AsOf.String(), Inputs: in, Masked: hit, Total: res.Total().Exact(), Result: result}
	if enterprise != "" {
		d.Enterprise = zhengce.FieldText(rec, enterprise)
	}
	return d
}

// SourcesOf is a policy's sources as the log stores them.
func SourcesOf(sources []zhengce.Source) []Source {
	out := make([]Source, len(sources))
	for i, s := range sources {
		out[i] = Source{Name: s.Name, Text: string(s.Text)}
	}
	return out
}
