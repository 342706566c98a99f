package decisionlog

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRecordGetList(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "d.db")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the log file is not private: %v %v", fi.Mode(), err)
	}
	if err := l.SaveRevision(ctx, "abc123", "p", []Source{{Name: "p.zc", Text: "政策 \"p\""}}); err != nil {
		t.Fatal(err)
	}
	ds := []*Decision{
		{Policy: "p", Revision: "abc123", AsOf: "2025-07-01", Enterprise: "甲", Inputs: json.RawMessage(`{"a":"1"}`), Total: "100", Result: json.RawMessage(`{}`)},
		{Policy: "p", Revision: "abc123", AsOf: "2025-09-01", Enterprise: "乙", Inputs: json.RawMessage(`{"a":"2"}`), Total: "200", Result: json.RawMessage(`{}`)},
	}
	if err := l.Record(ctx, ds); err != nil {
		t.Fatal(err)
	}
	if ds[0].ID == "" || ds[0].ID == ds[1].ID {
		t.Fatalf("ids %q %q", ds[0].ID, ds[1].ID)
	}
	got, err := l.Get(ctx, ds[1].ID)
	if err != nil || got.Total != "200" || got.Enterprise != "乙" {
		t.Errorf("Get: %+v %v", got, err)
	}
	if _, err := l.Get(ctx, "none"); err != ErrNotFound {
		t.Errorf("Get(none): %v", err)
	}
	for _, tt := range []struct {
		f    Filter
		want []string // totals
	}{
		{Filter{}, []string{"100", "200"}},
		{Filter{Enterprise: "甲"}, []string{"100"}},
		{Filter{From: "2025-08-01"}, []string{"200"}},
		{Filter{Until: "2025-07-01"}, []string{"100"}},
		{Filter{Revision: "abc"}, []string{"100", "200"}},
		{Filter{Policy: "q"}, nil},
	} {
		ds, err := l.List(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var totals []string
		for _, d := range ds {
			totals = append(totals, d.Total)
		}
		if diff := cmp.Diff(tt.want, totals); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.f, diff)
		}
	}
	policy, src, err := l.Revision(ctx, "abc123")
	if err != nil || policy != "p" || src[0].Text != "政策 \"p\"" {
		t.Errorf("Revision: %s %v %v", policy, src, err)
	}
}

func TestMask(t *testing.T) {
	rec := map[string]any{"联系電話": "13800000000", "研发投入": "1"}
	out, hit := Mask(rec, []string{"联系电话"}, strings.NewReplacer("電", "电", "話", "话").Replace)
	if diff := cmp.Diff([]string{"联系電話"}, hit); diff != "" {
		t.Errorf("masked (-want +got):\n%s", diff)
	}
	v, _ := out["联系電話"].(string)
	if !strings.HasPrefix(v, "sha256:") || strings.Contains(v, "13800000000") || out["研发投入"] != "1" {
		t.Errorf("masked record: %v", out)
	}
	if rec["联系電話"] != "13800000000" {
		t.Error("Mask changed the record it was given")
	}
}
