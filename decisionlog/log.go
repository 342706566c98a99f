// Package decisionlog keeps the decisions a service or a run has made
// (兑现可追溯): each decision's policy and revision, evaluation date,
// inputs, amounts and reasons, and the policy sources of every revision,
// so that any decision can be shown and re-run later. It is stored in an
// SQLite database (modernc.org/sqlite, pure Go) in WAL mode with full
// synchronisation: a decision Record has returned is on disk.
package decisionlog

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Decision is one evaluation recorded as a decision.
type Decision struct {
	ID       string    `json:"id"`
	Time     time.Time `json:"time"`
	Policy   string    `json:"policy"`
	Revision string    `json:"revision"`
	AsOf     string    `json:"as_of"`
	// Enterprise is the record's enterprise key (the policy's 同一企业
	// column, or the request's id), if any.
	Enterprise string `json:"enterprise,omitempty"`
	// Inputs is the record as evaluated; a masked field (日志隐去) holds
	// "sha256:" and the digest of its value.
	Inputs json.RawMessage `json:"inputs"`
	// Masked names the fields whose values are kept only as a digest.
	Masked []string `json:"masked,omitempty"`
	// Total is what the policy pays, exact; Result is the full result in
	// the form of spec/json.md (amounts, reasons, clauses, budget notes).
	Total  string          `json:"total"`
	Result json.RawMessage `json:"result"`
}

// Source is one file of a policy revision.
type Source struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Filter selects decisions; empty fields select all.
type Filter struct {
	Enterprise, Policy, Revision string
	// From, Until bound the evaluation date (as_of), inclusive,
	// "2025-07-01".
	From, Until string
	Limit       int // 0: 1000
}

// Log is an open decision log; safe for concurrent use.
type Log struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS revisions (
	revision TEXT PRIMARY KEY,
	policy   TEXT NOT NULL,
	sources  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
	id         TEXT PRIMARY KEY,
	time       TEXT NOT NULL,
	policy     TEXT NOT NULL,
	revision   TEXT NOT NULL REFERENCES revisions(revision),
	as_of      TEXT NOT NULL,
	enterprise TEXT NOT NULL,
	inputs     TEXT NOT NULL,
	masked     TEXT NOT NULL,
	total      TEXT NOT NULL,
	result     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_enterprise ON decisions(enterprise);
CREATE INDEX IF NOT EXISTS decisions_policy ON decisions(policy, revision);
CREATE INDEX IF NOT EXISTS decisions_as_of ON decisions(as_of);
`

// Open opens (creating if need be, readable by its owner only) the log at
// path.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	// WAL: readers do not block the writer; synchronous=FULL: a commit
	// is on disk when it returns, so an acknowledged decision survives a
	// crash; busy_timeout: writers from several processes wait, not fail.
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Log{db: db}, nil
}

// Close closes the log.
func (l *Log) Close() error { return l.db.Close() }

// SaveRevision stores a revision's sources, once.
func (l *Log) SaveRevision(ctx context.Context, revision, policy string, sources []Source) error {
	b, _ := json.Marshal(sources)
	_, err := l.db.ExecContext(ctx, `INSERT OR IGNORE INTO revisions(revision, policy, sources) VALUES (?, ?, ?)`, revision, policy, string(b))
	return err
}

// Revision returns a revision's policy name and sources.
func (l *Log) Revision(ctx context.Context, revision string) (policy string, sources []Source, err error) {
	var text string
	err = l.db.QueryRowContext(ctx, `SELECT policy, sources FROM revisions WHERE revision = ?`, revision).Scan(&policy, &text)
	if err != nil {
		return "", nil, err
	}
	err = json.Unmarshal([]byte(text), &sources)
	return policy, sources, err
}

// Record stores decisions in one transaction, giving each its ID and
// time; when it returns nil they are on disk.
func (l *Log) Record(ctx context.Context, ds []*Decision) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO decisions(id, time, policy, revision, as_of, enterprise, inputs, masked, total, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	now := time.Now().UTC()
	for i, d := range ds {
		d.ID, d.Time = newID(now, i), now
		masked, _ := json.Marshal(d.Masked)
		if _, err := stmt.ExecContext(ctx, d.ID, d.Time.Format(time.RFC3339Nano), d.Policy, d.Revision, d.AsOf, d.Enterprise, string(d.Inputs), string(masked), d.Total, string(d.Result)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// newID is a decision id: the time and the place in its transaction, so
// ids sort in the order decisions were made, and 48 random bits.
func newID(t time.Time, seq int) string {
	var b [6]byte
	rand.Read(b[:])
	return fmt.Sprintf("%s-%06d-%s", t.Format("20060102T150405.000000"), seq, hex.EncodeToString(b[:]))
}

// ErrNotFound is what Get returns for an id the log does not have.
var ErrNotFound = errors.New("decision not found")

// Get returns one decision.
func (l *Log) Get(ctx context.Context, id string) (*Decision, error) {
	ds, err := l.query(ctx, `WHERE id = ?`, []any{id}, 1)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, ErrNotFound
	}
	return ds[0], nil
}

// List returns the decisions f selects, oldest first.
func (l *Log) List(ctx context.Context, f Filter) ([]*Decision, error) {
	var where []string
	var args []any
	for _, c := range []struct {
		cond, val string
	}{{"enterprise = ?", f.Enterprise}, {"policy = ?", f.Policy}, {"revision LIKE ? || '%'", f.Revision}, {"as_of >= ?", f.From}, {"as_of <= ?", f.Until}} {
		if c.val != "" {
			where = append(where, c.cond)
			args = append(args, c.val)
		}
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	return l.query(ctx, clause, args, limit)
}

func (l *Log) query(ctx context.Context, where string, args []any, limit int) ([]*Decision, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, time, policy, revision, as_of, enterprise, inputs, masked, total, result FROM decisions `+where+` ORDER BY id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Decision
	for rows.Next() {
		var d Decision
		var t, inputs, masked, result string
		if err := rows.Scan(&d.ID, &t, &d.Policy, &d.Revision, &d.AsOf, &d.Enterprise, &inputs, &masked, &d.Total, &result); err != nil {
			return nil, err
		}
		d.Time, _ = time.Parse(time.RFC3339Nano, t)
		d.Inputs, d.Result = json.RawMessage(inputs), json.RawMessage(result)
		json.Unmarshal([]byte(masked), &d.Masked)
		out = append(out, &d)
	}
	return out, rows.Err()
}

// Mask replaces the value of each masked field of rec (names compared by
// fold) by "sha256:" and the digest of its JSON: the log can tell two
// values apart without holding them. It reports the fields it masked.
func Mask(rec map[string]any, masked []string, fold func(string) string) (map[string]any, []string) {
	if len(masked) == 0 {
		return rec, nil
	}
	keys := map[string]bool{}
	for _, m := range masked {
		keys[fold(m)] = true
	}
	out := make(map[string]any, len(rec))
	var hit []string
	for k, v := range rec {
		if keys[fold(k)] {
			b, _ := json.Marshal(v)
			sum := sha256.Sum256(b)
			v = "sha256:" + hex.EncodeToString(sum[:])
			hit = append(hit, k)
		}
		out[k] = v
	}
	return out, hit
}
