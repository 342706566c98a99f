package server

import (
	"net/http"
)

// access says who may call an endpoint.
type access int

const (
	open     access = iota // anyone: health, metrics, the OpenAPI document, the policies
	evaluate               // evaluation: open on loopback, else the token
	guarded                // decisions and reloading: the token, always
)

// route is one endpoint: the mux and the OpenAPI document are both built
// from this table, so they cannot disagree.
type route struct {
	method, path string
	summary      string
	access       access
	// request and response are Go values of the types the handler reads
	// and writes; the OpenAPI schemas are generated from them.
	request, response any
	// evaluates: the handler evaluates records (a slot of MaxConcurrent,
	// the per-request timeout)
	evaluates bool
	handle    func(s *Server, c *call) (any, *problem)
}

func routes() []route {
	return []route{
		{method: "GET", path: "/healthz", summary: "服务是否可用", access: open, response: healthBody{}, handle: (*Server).health},
		{method: "GET", path: "/metrics", summary: "Prometheus 指标（文本格式）", access: open, handle: nil},
		{method: "GET", path: "/openapi.json", summary: "本文档", access: open, handle: nil},
		{method: "GET", path: "/v1/policies", summary: "所提供的政策：名称、有效期、依据的条款、输入、版本与政策信息", access: open, response: policiesBody{}, handle: (*Server).listPolicies},
		{method: "GET", path: "/v1/policies/{id}", summary: "一个政策", access: open, response: policyInfo{}, handle: (*Server).onePolicy},
		{method: "GET", path: "/v1/policies/{id}/schema", summary: "政策输入的 JSON Schema（生成表单用）", access: open, response: map[string]any{}, handle: (*Server).inputSchema},
		{method: "POST", path: "/v1/evaluate", summary: "求值：每条记录的金额与原因", access: evaluate, evaluates: true, request: evalRequest{}, response: evalResponse{}, handle: (*Server).evaluateRecords},
		{method: "POST", path: "/v1/explain", summary: "说明：每个金额如何得出", access: evaluate, evaluates: true, request: evalRequest{}, response: evalResponse{}, handle: (*Server).explainRecords},
		{method: "POST", path: "/v1/match", summary: "精准匹配：可享受的规则与差一点的规则", access: evaluate, evaluates: true, request: matchRequest{}, response: matchResponse{}, handle: (*Server).matchRecords},
		{method: "POST", path: "/v1/compare", summary: "政策对比：改变参数后的成本与受益、受损企业", access: evaluate, evaluates: true, request: compareRequest{}, response: compareResponse{}, handle: (*Server).compareRecords},
		{method: "GET", path: "/v1/decisions", summary: "查询决定（按企业、政策、版本、评估日期）", access: guarded, response: decisionsBody{}, handle: (*Server).listDecisions},
		{method: "GET", path: "/v1/decisions/{id}", summary: "一个决定", access: guarded, response: decisionBody{}, handle: (*Server).oneDecision},
		{method: "POST", path: "/v1/reload", summary: "重新加载政策文件夹", access: guarded, response: reloadBody{}, handle: (*Server).reload},
	}
}

// Handler is the service's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes() {
		var h http.Handler
		switch rt.path {
		case "/metrics":
			h = http.HandlerFunc(s.metrics.serve)
		case "/openapi.json":
			h = http.HandlerFunc(s.serveOpenAPI)
		default:
			h = s.wrap(rt)
		}
		mux.Handle(rt.method+" "+rt.path, s.metrics.count(rt.path, h))
	}
	mux.Handle("/", s.metrics.count("other", s.wrap(route{access: open, handle: func(*Server, *call) (any, *problem) { return nil, errNotFound }})))
	return s.cors(mux)
}
