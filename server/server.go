package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"log"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zhengce/zhengce/lang"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/decisionlog"
)

// Config says what the service serves and how far it goes.
type Config struct {
	// Dir holds the policies: each .zc file, and each folder of .zc files
	// (one document), is one policy, named by the file or folder.
	Dir string
	// Compile holds the limits that bound each policy and evaluation.
	Compile zhengce.Options
	// MaxBody bounds a request body in bytes (default 8 MiB); MaxRecords
	// the records of one request (default 10 000); Timeout one request
	// (default 30 s); MaxConcurrent the evaluations at once (default twice
	// the CPUs): one more is refused with 429, not queued.
	MaxBody       int64
	MaxRecords    int
	Timeout       time.Duration
	MaxConcurrent int
	// Token, when set, is the bearer token that reading decisions,
	// recording them and reloading need. OpenEvaluation lets evaluation
	// through without it (on loopback).
	Token          string
	OpenEvaluation bool
	// CORSOrigins are the origins a browser may call from; none by
	// default.
	CORSOrigins []string
	// Log is the decision log; nil: decisions cannot be recorded.
	Log *decisionlog.Log
	// Logger receives what the operator should read (reloads, broken
	// policies); nil: the standard logger.
	Logger *log.Logger
}

// Server is the service. Its policies are swapped whole on Reload:
// requests in flight finish on the catalogue they started with.
type Server struct {
	cfg      Config
	policies atomic.Pointer[catalog]
	reloadMu sync.Mutex
	slots    chan struct{}
	metrics  *metrics
	token    [32]byte
	closing  atomic.Bool
	openAPI  []byte // the OpenAPI document, built once
}

// New loads the policies of cfg.Dir and returns the service; a folder that
// cannot be read is an error, a policy that does not compile is reported
// and listed as broken.
func New(cfg Config) (*Server, error) {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 8 << 20
	}
	if cfg.MaxRecords <= 0 {
		cfg.MaxRecords = 10_000
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.Logger == nil {
		cfg.Logger = log.Default()
	}
	s := &Server{cfg: cfg, slots: make(chan struct{}, cfg.MaxConcurrent), metrics: newMetrics()}
	if cfg.Token != "" {
		s.token = sha256.Sum256([]byte(cfg.Token))
	}
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	if s.openAPI, err = json.MarshalIndent(doc, "", "  "); err != nil {
		return nil, err
	}
	if _, err := s.Reload(); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload reads the folder again and swaps the catalogue in one step. A
// policy that no longer compiles keeps its last revision and is reported.
// It returns the problems found.
func (s *Server) Reload() ([]*lang.Message, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	cat, problems, err := loadCatalog(s.cfg.Dir, s.policies.Load(), s.cfg.Compile, time.Now())
	if err != nil {
		return nil, err
	}
	if s.cfg.Log != nil {
		for _, id := range cat.order {
			if p := cat.byID[id]; p.Prog != nil {
				if err := s.saveRevision(p); err != nil {
					problems = append(problems, lang.Messagef("%s：无法把版本存入决定日志：%v", "%s: cannot store the revision in the decision log: %v", id, err))
				}
			}
		}
	}
	s.policies.Store(cat)
	for _, p := range problems {
		s.cfg.Logger.Printf("政策有误，仍用上一版本（若有）：%s", p.Zh)
	}
	s.metrics.reloaded(len(problems) == 0)
	return problems, nil
}

func (s *Server) saveRevision(p *policy) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.cfg.Log.SaveRevision(ctx, p.Revision, p.ID, decisionlog.SourcesOf(p.Sources))
}

// Closing makes the service refuse new evaluations with 503 while those
// in flight finish (call before http.Server.Shutdown).
func (s *Server) Closing() { s.closing.Store(true) }

// tokenOK compares the request's bearer token with the service's in
// constant time (of digests, so the length is not told either).
func (s *Server) tokenOK(r *http.Request) *problem {
	if s.cfg.Token == "" {
		return errNoTokenAt
	}
	h := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || h[:len(prefix)] != prefix {
		return errNoToken
	}
	got := sha256.Sum256([]byte(h[len(prefix):]))
	if subtle.ConstantTimeCompare(got[:], s.token[:]) != 1 {
		return errBadToken
	}
	return nil
}
