package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFilesOfEnterpriseDataArePrivate: the report, exported test data and
// the REPL's history are readable by their owner alone, an older file made
// with wider permissions is narrowed, and a symbolic link is not followed.
func TestFilesOfEnterpriseDataArePrivate(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "report.html")
	if code, _, errOut := zc(t, "compare", "../../examples/quickstart/研发投入补助.zc", "--set", "补助比例=15%",
		"--data", "../../examples/quickstart/研发投入补助.csv", "--report", report); code != exitOK {
		t.Fatalf("compare: %s", errOut)
	}
	older := filepath.Join(dir, "history")
	if err := os.WriteFile(older, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := createPrivate(older)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, path := range []string{report, older} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: permissions %o, want 600", filepath.Base(path), perm)
		}
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, err := createPrivate(link); !errors.Is(err, errSymlink) {
		t.Errorf("createPrivate through a link: %v", err)
	}
	if _, err := openPrivate(link); !errors.Is(err, errSymlink) {
		t.Errorf("openPrivate through a link: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target was written: %q", b)
	}
}
