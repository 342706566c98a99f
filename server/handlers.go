package server

import (
	"cmp"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/data"
	"github.com/zhengce/zhengce/decisionlog"
	"github.com/zhengce/zhengce/lang"
)

type healthBody struct {
	Status   string `json:"status"`
	Policies int    `json:"policies"`
	Broken   int    `json:"broken"`
}

func (s *Server) health(c *call) (any, *problem) {
	h := healthBody{Status: "ok", Policies: len(c.cat.order)}
	for _, p := range c.cat.byID {
		if p.Problem != nil {
			h.Broken++
		}
	}
	return h, nil
}

// policyInfo is what a portal shows of a policy.
type policyInfo struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Revision string `json:"revision,omitempty"`
	// Serving: a revision compiles and answers; Problem: why the newest
	// sources do not compile (the revision above, if any, still serves)
	Serving    bool        `json:"serving"`
	Problem    string      `json:"problem,omitempty"`
	Files      []string    `json:"files"`
	Valid      *periodJSON `json:"valid,omitempty"`
	Filing     *periodJSON `json:"filing,omitempty"`
	Department string      `json:"department,omitempty"`
	Delivery   string      `json:"delivery,omitempty"`
	Contact    string      `json:"contact,omitempty"`
	Rules      []ruleInfo  `json:"rules,omitempty"`
	Inputs     []inputInfo `json:"inputs,omitempty"`
	Loaded     time.Time   `json:"loaded"`
}

type periodJSON struct {
	From  string `json:"from,omitempty"`
	Until string `json:"until,omitempty"`
}

type ruleInfo struct {
	Name  string   `json:"name"`
	Cites []string `json:"cites,omitempty"`
}

type inputInfo struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Unit string `json:"unit,omitempty"`
}

type policiesBody struct {
	Policies []policyInfo `json:"policies"`
}

func period(from, until *lang.Date) *periodJSON {
	if from == nil && until == nil {
		return nil
	}
	p := &periodJSON{}
	if from != nil {
		p.From = from.String()
	}
	if until != nil {
		p.Until = until.String()
	}
	return p
}

func infoOf(p *policy, loc lang.Locale) policyInfo {
	info := policyInfo{ID: p.ID, Name: p.Name, Serving: p.Prog != nil, Loaded: p.Loaded, Files: []string{}}
	for _, f := range p.Sources {
		info.Files = append(info.Files, f.Name)
	}
	if p.Problem != nil {
		info.Problem = p.Problem.Text(loc)
	}
	if p.Prog == nil {
		return info
	}
	info.Revision = p.Revision
	f := p.Prog.Checked().File
	if f.Validity != nil {
		info.Valid = period(f.Validity.From, f.Validity.Until)
	}
	info.Filing = period(f.Info.FilingFrom, f.Info.FilingUntil)
	info.Department, info.Delivery, info.Contact = f.Info.Department, f.Info.Delivery, f.Info.Contact
	for _, r := range p.Prog.Checked().Rules {
		info.Rules = append(info.Rules, ruleInfo{Name: r.Name.Text, Cites: r.Cites})
	}
	for _, in := range p.Prog.Inputs() {
		info.Inputs = append(info.Inputs, inputInfo{Name: in.Name.Text, Type: in.Type.English(), Unit: in.Unit})
	}
	return info
}

func (s *Server) listPolicies(c *call) (any, *problem) {
	out := policiesBody{Policies: []policyInfo{}}
	for _, id := range c.cat.order {
		out.Policies = append(out.Policies, infoOf(c.cat.byID[id], c.loc))
	}
	return out, nil
}

func (s *Server) onePolicy(c *call) (any, *problem) {
	p, ok := c.cat.byID[c.r.PathValue("id")]
	if !ok {
		return nil, errUnknown(c.r.PathValue("id"))
	}
	return infoOf(p, c.loc), nil
}

// serving returns the policy id names, if it has a revision to serve.
func (c *call) serving(id string) (*policy, *problem) {
	if id == "" {
		return nil, errNoPolicy
	}
	p, ok := c.cat.byID[id]
	switch {
	case !ok:
		return nil, errUnknown(id)
	case p.Prog == nil:
		return nil, errBroken(id, p.Problem)
	}
	c.revisions = append(c.revisions, p.Revision)
	return p, nil
}

// evalRequest asks to evaluate or explain records under one policy.
type evalRequest struct {
	Policy string `json:"policy"`
	// Record is one record; Records several (one per application: an
	// enterprise's several are settled together, and budgets and quotas
	// are shared over the batch).
	Record  json.RawMessage   `json:"record,omitempty"`
	Records []json.RawMessage `json:"records,omitempty"`
	// AsOf is the evaluation date of a record that gives none of its own
	// (default: today).
	AsOf string `json:"as_of,omitempty"`
	// Enterprise is the field that tells one enterprise's records apart
	// (default: the policy's 同一企业 column). ID is the field that names
	// each record in the answer.
	Enterprise string `json:"enterprise,omitempty"`
	ID         string `json:"id,omitempty"`
	// Decision: record each result in the decision log (needs the token).
	Decision bool `json:"decision,omitempty"`
}

// evalResponse answers an evaluate or explain request.
type evalResponse struct {
	Policy   string     `json:"policy"`
	Revision string     `json:"revision"`
	Results  []evalItem `json:"results"`
}

// evalItem is one record's result, and its decision id when recorded.
type evalItem struct {
	zhengce.RecordJSON
	Decision string `json:"decision,omitempty"`
}

// batch is the records of a request, decoded with exact numbers; a record
// that cannot be read has its error and is not evaluated.
type batch struct {
	records []zhengce.Record
	errs    []error
	asOf    lang.Date
}

func (s *Server) readBatch(c *call, one json.RawMessage, many []json.RawMessage, asOf string) (*batch, *problem) {
	switch {
	case len(one) > 0 && len(many) > 0:
		return nil, errBothForms
	case len(one) > 0:
		many = []json.RawMessage{one}
	case len(many) == 0:
		return nil, errNoRecords
	case len(many) > s.cfg.MaxRecords:
		return nil, errTooMany(len(many), s.cfg.MaxRecords)
	}
	b := &batch{records: make([]zhengce.Record, len(many)), errs: make([]error, len(many))}
	if asOf != "" {
		d, ok := lang.ParseDate(asOf)
		if !ok {
			return nil, errBadDate("as_of", asOf)
		}
		b.asOf = d
	}
	for i, raw := range many {
		rec, err := data.DecodeObject(raw)
		if err != nil {
			b.errs[i] = err
			continue
		}
		b.records[i] = rec
	}
	return b, nil
}

// eval evaluates the readable records of b as one population.
func (b *batch) eval(c *call, prog *zhengce.Program, enterprise string, opts zhengce.EvalOptions) ([]*zhengce.Result, []error) {
	opts.AsOf = b.asOf
	var good []int
	var recs []zhengce.Record
	for i, err := range b.errs {
		if err == nil {
			good, recs = append(good, i), append(recs, b.records[i])
		}
	}
	results, errs := make([]*zhengce.Result, len(b.records)), append([]error(nil), b.errs...)
	res, rerrs := zhengce.EvalBatch(c.ctx, prog, recs, enterprise, opts)
	for k, i := range good {
		results[i], errs[i] = res[k], rerrs[k]
	}
	return results, errs
}

func (s *Server) evaluateRecords(c *call) (any, *problem) { return s.evaluate(c, false) }
func (s *Server) explainRecords(c *call) (any, *problem)  { return s.evaluate(c, true) }

func (s *Server) evaluate(c *call, explain bool) (any, *problem) {
	var req evalRequest
	if p := s.decode(c, &req); p != nil {
		return nil, p
	}
	if req.Decision {
		if s.cfg.Log == nil {
			return nil, errNoLog
		}
		if p := s.tokenOK(c.r); p != nil {
			return nil, p
		}
	}
	pol, p := c.serving(req.Policy)
	if p != nil {
		return nil, p
	}
	b, p := s.readBatch(c, req.Record, req.Records, req.AsOf)
	if p != nil {
		return nil, p
	}
	results, errs := b.eval(c, pol.Prog, req.Enterprise, zhengce.EvalOptions{Explain: explain})
	if c.ctx.Err() != nil {
		return nil, errTimeout
	}
	out := evalResponse{Policy: pol.ID, Revision: pol.Revision, Results: make([]evalItem, len(results))}
	for i := range results {
		out.Results[i].RecordJSON = zhengce.ResultJSON(results[i], errs[i], c.loc)
		out.Results[i].Row = i + 1
		if req.ID != "" && b.records[i] != nil {
			out.Results[i].ID = zhengce.FieldText(b.records[i], req.ID)
		}
	}
	if req.Decision {
		if p := s.record(c, pol, b, results, out.Results, req); p != nil {
			return nil, p
		}
	}
	return out, nil
}

// record writes the evaluated records of a request to the decision log in
// one transaction; the answer is sent only once they are on disk.
func (s *Server) record(c *call, pol *policy, b *batch, results []*zhengce.Result, items []evalItem, req evalRequest) *problem {
	masked := pol.Prog.Checked().File.Info.Masked
	key := req.Enterprise
	if key == "" {
		key = pol.Prog.Checked().File.EnterpriseKey
	}
	if key == "" {
		key = req.ID
	}
	var ds []*decisionlog.Decision
	var at []int
	for i, res := range results {
		if res == nil {
			continue
		}
		ds, at = append(ds, decisionlog.New(pol.ID, pol.Revision, b.records[i], res, masked, key)), append(at, i)
	}
	if err := s.cfg.Log.Record(c.ctx, ds); err != nil {
		return errLogWrite(err.Error())
	}
	for k, d := range ds {
		items[at[k]].Decision = d.ID
	}
	return nil
}

// matchRequest asks which rules of which policies records qualify for.
type matchRequest struct {
	// Policies to match against (default: every policy served).
	Policies   []string          `json:"policies,omitempty"`
	Record     json.RawMessage   `json:"record,omitempty"`
	Records    []json.RawMessage `json:"records,omitempty"`
	AsOf       string            `json:"as_of,omitempty"`
	Enterprise string            `json:"enterprise,omitempty"`
	ID         string            `json:"id,omitempty"`
}

type matchResponse struct {
	// Revisions: policy id → the revision that answered
	Revisions map[string]string   `json:"revisions"`
	Results   []zhengce.MatchJSON `json:"results"`
}

func (s *Server) matchRecords(c *call) (any, *problem) {
	var req matchRequest
	if p := s.decode(c, &req); p != nil {
		return nil, p
	}
	ids := req.Policies
	if len(ids) == 0 {
		for _, id := range c.cat.order {
			if c.cat.byID[id].Prog != nil {
				ids = append(ids, id)
			}
		}
	}
	b, p := s.readBatch(c, req.Record, req.Records, req.AsOf)
	if p != nil {
		return nil, p
	}
	out := matchResponse{Revisions: map[string]string{}, Results: make([]zhengce.MatchJSON, len(b.records))}
	for i := range out.Results {
		out.Results[i] = zhengce.MatchJSON{Row: i + 1, Qualified: []zhengce.MatchedJSON{}, Near: []zhengce.NearMissJSON{}}
		if req.ID != "" && b.records[i] != nil {
			out.Results[i].ID = zhengce.FieldText(b.records[i], req.ID)
		}
	}
	for _, id := range ids {
		pol, p := c.serving(id)
		if p != nil {
			return nil, p
		}
		out.Revisions[id] = pol.Revision
		results, errs := b.eval(c, pol.Prog, req.Enterprise, zhengce.EvalOptions{AllConditions: true})
		for i, res := range results {
			if errs[i] != nil {
				out.Results[i].Errors = append(out.Results[i].Errors, id+"："+zhengce.ErrorText(errs[i], c.loc))
			}
			if res != nil {
				out.Results[i].AddMatch(id, res, c.loc)
			}
		}
	}
	if c.ctx.Err() != nil {
		return nil, errTimeout
	}
	return out, nil
}

// compareRequest asks what a change of parameters, or of date, costs over
// a posted population.
type compareRequest struct {
	Policy string `json:"policy"`
	// Set: the reform's parameters, name → value as in a data cell
	// ("补助比例": "15%").
	Set        map[string]string `json:"set,omitempty"`
	Records    []json.RawMessage `json:"records"`
	AsOf       string            `json:"as_of,omitempty"`
	ReformAsOf string            `json:"reform_as_of,omitempty"`
	Enterprise string            `json:"enterprise,omitempty"`
	ID         string            `json:"id,omitempty"`
}

type compareResponse struct {
	Policy     string                 `json:"policy"`
	Revision   string                 `json:"revision"`
	Comparison zhengce.ComparisonJSON `json:"comparison"`
	// Errors are the records left out, with why (row: message).
	Errors []recordError `json:"errors,omitempty"`
}

type recordError struct {
	Row     int    `json:"row"`
	Message string `json:"message"`
}

func (s *Server) compareRecords(c *call) (any, *problem) {
	var req compareRequest
	if p := s.decode(c, &req); p != nil {
		return nil, p
	}
	pol, p := c.serving(req.Policy)
	if p != nil {
		return nil, p
	}
	if len(req.Set) == 0 && req.ReformAsOf == "" {
		return nil, errNoSet
	}
	b, p := s.readBatch(c, nil, req.Records, req.AsOf)
	if p != nil {
		return nil, p
	}
	opts := s.cfg.Compile
	opts.Params = req.Set
	reform, err := zhengce.CompileSources(pol.Sources, opts)
	if err != nil {
		return nil, errReform(zhengce.ErrorText(err, lang.Chinese), zhengce.ErrorText(err, lang.English))
	}
	base, baseErrs := b.eval(c, pol.Prog, req.Enterprise, zhengce.EvalOptions{})
	rb := *b
	if req.ReformAsOf != "" {
		d, ok := lang.ParseDate(req.ReformAsOf)
		if !ok {
			return nil, errBadDate("reform_as_of", req.ReformAsOf)
		}
		rb.asOf = d
	}
	ref, refErrs := rb.eval(c, reform, req.Enterprise, zhengce.EvalOptions{})
	if c.ctx.Err() != nil {
		return nil, errTimeout
	}
	rows, ids := make([]int, len(base)), make([]string, len(base))
	out := compareResponse{Policy: pol.ID, Revision: pol.Revision}
	for i := range base {
		rows[i] = i + 1
		if req.ID != "" && b.records[i] != nil {
			ids[i] = zhengce.FieldText(b.records[i], req.ID)
		}
		if err := cmp.Or(baseErrs[i], refErrs[i]); err != nil {
			out.Errors = append(out.Errors, recordError{Row: i + 1, Message: zhengce.ErrorText(err, c.loc)})
		}
	}
	comparison := zhengce.Compare(base, ref, rows, ids)
	comparison.Base, comparison.Reform = pol.ID, pol.ID+" + "+setText(req.Set, req.ReformAsOf)
	out.Comparison = comparison.JSON()
	return out, nil
}

// setText writes a reform's changes in a stable order.
func setText(set map[string]string, asOf string) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := ""
	for _, k := range keys {
		if out != "" {
			out += ", "
		}
		out += k + "=" + set[k]
	}
	if asOf != "" {
		if out != "" {
			out += ", "
		}
		out += "as_of=" + asOf
	}
	return out
}

type decisionBody struct {
	Decision *decisionlog.Decision `json:"decision"`
}

type decisionsBody struct {
	Decisions []*decisionlog.Decision `json:"decisions"`
}

func (s *Server) oneDecision(c *call) (any, *problem) {
	if s.cfg.Log == nil {
		return nil, errNoLog
	}
	d, err := s.cfg.Log.Get(c.ctx, c.r.PathValue("id"))
	if errors.Is(err, decisionlog.ErrNotFound) {
		return nil, errNoDecision(c.r.PathValue("id"))
	} else if err != nil {
		return nil, errLogWrite(err.Error())
	}
	return decisionBody{Decision: d}, nil
}

func (s *Server) listDecisions(c *call) (any, *problem) {
	if s.cfg.Log == nil {
		return nil, errNoLog
	}
	q := c.r.URL.Query()
	f := decisionlog.Filter{Enterprise: q.Get("enterprise"), Policy: q.Get("policy"), Revision: q.Get("revision"), From: q.Get("from"), Until: q.Get("until")}
	if l := q.Get("limit"); l != "" {
		f.Limit, _ = strconv.Atoi(l)
	}
	ds, err := s.cfg.Log.List(c.ctx, f)
	if err != nil {
		return nil, errLogWrite(err.Error())
	}
	if ds == nil {
		ds = []*decisionlog.Decision{}
	}
	return decisionsBody{Decisions: ds}, nil
}

type reloadBody struct {
	Policies int      `json:"policies"`
	Problems []string `json:"problems"`
}

func (s *Server) reload(c *call) (any, *problem) {
	problems, err := s.Reload()
	if err != nil {
		return nil, errReload(err)
	}
	out := reloadBody{Policies: len(s.policies.Load().order), Problems: []string{}}
	for _, p := range problems {
		out.Problems = append(out.Problems, p.Text(c.loc))
	}
	return out, nil
}
