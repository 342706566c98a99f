package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/zhengce/zhengce/lang"
)

// call is one request as a handler sees it.
type call struct {
	r   *http.Request
	ctx context.Context
	loc lang.Locale
	cat *catalog // the catalogue the request started with
	// revisions are the policy revisions that answered, for the
	// X-Zhengce-Revision header
	revisions []string
}

// errorBody is every refusal's JSON.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// wrap runs a route's handler with access, limits and encoding.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{r: r, ctx: r.Context(), loc: localeOf(r), cat: s.policies.Load()}
		body, p := s.serve(rt, c, w)
		if p != nil {
			s.metrics.refused(p.code)
			if p.status == http.StatusTooManyRequests || p.status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", "1")
			}
			writeJSON(w, p.status, errorBody{errorDetail{Code: p.code, Message: p.msg.Text(c.loc)}})
			return
		}
		if len(c.revisions) > 0 {
			w.Header().Set("X-Zhengce-Revision", strings.Join(c.revisions, ","))
		}
		writeJSON(w, http.StatusOK, body)
	})
}

func (s *Server) serve(rt route, c *call, w http.ResponseWriter) (any, *problem) {
	if rt.access == guarded || (rt.access == evaluate && !s.cfg.OpenEvaluation) {
		if p := s.tokenOK(c.r); p != nil {
			return nil, p
		}
	}
	if !rt.evaluates {
		return rt.handle(s, c)
	}
	if s.closing.Load() {
		return nil, errClosing
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		return nil, errBusy
	}
	c.r.Body = http.MaxBytesReader(w, c.r.Body, s.cfg.MaxBody)
	ctx, cancel := context.WithTimeout(c.r.Context(), s.cfg.Timeout)
	defer cancel()
	c.ctx = ctx
	body, p := rt.handle(s, c)
	if p == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, errTimeout
	}
	return body, p
}

// decode reads the request body into v: unknown fields and trailing data
// are errors, a body over the limit is 413.
func (s *Server) decode(c *call, v any) *problem {
	dec := json.NewDecoder(c.r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			err = errors.New("more after the object")
		}
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return errTooLarge(s.cfg.MaxBody)
	case err != nil:
		return decodeProblem(err)
	}
	return nil
}

// localeOf is the language the caller asked for: ?lang=en, else an
// Accept-Language that prefers English; Chinese by default.
func localeOf(r *http.Request) lang.Locale {
	if l := r.URL.Query().Get("lang"); l != "" {
		if l == "en" {
			return lang.English
		}
		return lang.Chinese
	}
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(al, "en") {
		return lang.English
	}
	return lang.Chinese
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// cors answers browsers from the listed origins only; with none listed a
// browser on another origin cannot read any answer.
func (s *Server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && slices.Contains(s.cfg.CORSOrigins, origin) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Vary", "Origin")
			w.Header().Set("Access-Control-Expose-Headers", "X-Zhengce-Revision")
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
				w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Authorization, Accept-Language")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
