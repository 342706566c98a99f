package server

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3gen"
	"github.com/zhengce/zhengce"
)

// The OpenAPI 3 document, built from the route table and from the Go types
// the handlers read and write (kin-openapi's generator), so the document
// and the handlers share one definition.

var rawMessageType = reflect.TypeOf(json.RawMessage{})

// OpenAPI builds the service's OpenAPI document.
func OpenAPI() (*openapi3.T, error) { return buildOpenAPI() }

func buildOpenAPI() (*openapi3.T, error) {
	doc := &openapi3.T{
		OpenAPI: "3.0.3",
		Info: &openapi3.Info{Title: "zhengce", Version: zhengce.Version,
			Description: "惠企政策的求值、说明、精准匹配与政策对比。数都以字符串给出精确的小数；响应头 X-Zhengce-Revision 与响应体中的 revision 写明作答的政策版本（其源文件的 sha256）。字段的含义见 spec/json.md。"},
		Paths:      openapi3.NewPaths(),
		Components: &openapi3.Components{Schemas: openapi3.Schemas{}, SecuritySchemes: openapi3.SecuritySchemes{}},
	}
	doc.Components.SecuritySchemes["bearer"] = &openapi3.SecuritySchemeRef{Value: openapi3.NewJWTSecurityScheme().WithBearerFormat("token")}
	schemaOf := func(v any) (*openapi3.SchemaRef, error) {
		// a generator per type: one shared across types leaves references
		// to schemas it made for an earlier one unresolved
		gen := openapi3gen.NewGenerator(openapi3gen.SchemaCustomizer(func(name string, t reflect.Type, tag reflect.StructTag, schema *openapi3.Schema) error {
			if t == rawMessageType { // a value of any JSON type: a record, or a value of spec/json.md
				*schema = openapi3.Schema{}
			}
			return nil
		}))
		return gen.NewSchemaRefForValue(v, doc.Components.Schemas)
	}
	// an explanation holds named values, which hold explanations: the
	// generator refers to it by name, so it is a component
	expl, err := schemaOf(zhengce.ExplanationJSON{})
	if err != nil {
		return nil, err
	}
	doc.Components.Schemas["ExplanationJSON"] = &openapi3.SchemaRef{Value: expl.Value}
	errSchema, err := schemaOf(errorBody{})
	if err != nil {
		return nil, err
	}
	for _, rt := range routes() {
		op := openapi3.NewOperation()
		op.Summary = rt.summary
		op.OperationID = strings.ToLower(rt.method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(rt.path)
		op.Responses = openapi3.NewResponses()
		ok := openapi3.NewResponse().WithDescription("成功")
		switch {
		case rt.response != nil:
			sr, err := schemaOf(rt.response)
			if err != nil {
				return nil, err
			}
			ok.WithJSONSchemaRef(sr)
		case rt.path == "/metrics":
			ok.WithContent(openapi3.NewContentWithSchema(openapi3.NewStringSchema(), []string{"text/plain"}))
		default:
			ok.WithJSONSchema(openapi3.NewObjectSchema())
		}
		op.Responses.Set("200", &openapi3.ResponseRef{Value: ok})
		for _, status := range refusalsOf(rt) {
			op.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription(http.StatusText(status)).WithJSONSchemaRef(errSchema)})
		}
		if rt.request != nil {
			sr, err := schemaOf(rt.request)
			if err != nil {
				return nil, err
			}
			op.RequestBody = &openapi3.RequestBodyRef{Value: openapi3.NewRequestBody().WithRequired(true).WithJSONSchemaRef(sr)}
		}
		for _, seg := range strings.Split(rt.path, "/") {
			if strings.HasPrefix(seg, "{") {
				op.AddParameter(openapi3.NewPathParameter(strings.Trim(seg, "{}")).WithSchema(openapi3.NewStringSchema()))
			}
		}
		if rt.access != open {
			op.Security = &openapi3.SecurityRequirements{{"bearer": []string{}}}
		}
		doc.AddOperation(rt.path, rt.method, op)
	}
	// read back as any client reads it: the generator leaves references
	// by name, which loading resolves
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return openapi3.NewLoader().LoadFromData(b)
}

// refusalsOf lists the error statuses a route may answer with.
func refusalsOf(rt route) []int {
	var out []int
	if strings.Contains(rt.path, "{") {
		out = append(out, http.StatusNotFound)
	}
	if rt.access != open {
		out = append(out, http.StatusUnauthorized, http.StatusForbidden)
	}
	if rt.evaluates {
		out = append(out, http.StatusBadRequest, http.StatusNotFound, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity,
			http.StatusTooManyRequests, http.StatusServiceUnavailable, http.StatusGatewayTimeout)
	}
	if rt.access == guarded {
		out = append(out, http.StatusServiceUnavailable)
	}
	return out
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(s.openAPI)
}
