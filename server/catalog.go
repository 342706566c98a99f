package server

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/zhengce/zhengce"
	"github.com/zhengce/zhengce/lang"
)

// policy is one served policy: a .zc file or a document's folder.
type policy struct {
	ID       string // the file's name without .zc, or the folder's
	Name     string // 政策 "…"
	Revision string // sha256 of its sources
	Sources  []zhengce.Source
	Prog     *zhengce.Program
	Loaded   time.Time
	// Problem is why the newest sources did not compile: the revision
	// above (if any) is the last that did and keeps serving.
	Problem *lang.Message
}

// catalog is the set of served policies at one moment; never changed once
// built, so a request holds the one it started with.
type catalog struct {
	byID  map[string]*policy
	order []string
}

// loadCatalog reads every policy of dir. A policy that does not compile
// keeps the revision old has of it, with the problem noted; the problems
// are also returned for the log.
func loadCatalog(dir string, old *catalog, opts zhengce.Options, now time.Time) (*catalog, []*lang.Message, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	cat := &catalog{byID: map[string]*policy{}}
	var problems []*lang.Message
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 { // a policy linked into the folder
			fi, err := os.Stat(path)
			isDir = err == nil && fi.IsDir()
		}
		if isDir {
			if files, _ := zhengce.PolicyFiles(path); len(files) == 0 || strings.HasPrefix(e.Name(), ".") {
				continue
			}
		} else if !strings.HasSuffix(e.Name(), ".zc") {
			continue
		}
		id, sources, rerr := zhengce.ReadPolicySources(path, opts.Limits)
		if id == "" {
			id = strings.TrimSuffix(e.Name(), ".zc")
		}
		p := &policy{ID: id, Sources: sources, Revision: zhengce.Revision(sources), Loaded: now}
		var prev *policy
		if old != nil {
			prev = old.byID[id]
		}
		if rerr == nil && prev != nil && prev.Revision == p.Revision && prev.Prog != nil {
			p = prev // unchanged
		} else if rerr == nil {
			p.Prog, rerr = zhengce.CompileSources(sources, opts)
		}
		if rerr != nil {
			msg := problemOf(rerr, sources)
			if prev != nil && prev.Prog != nil {
				kept := *prev
				kept.Problem = msg
				p = &kept
			} else {
				p.Prog, p.Problem = nil, msg
			}
			problems = append(problems, &lang.Message{Zh: id + "：" + msg.Zh, En: id + ": " + msg.En})
		}
		if p.Prog != nil {
			p.Name = p.Prog.Checked().File.Policy
		}
		cat.byID[id] = p
		cat.order = append(cat.order, id)
	}
	sort.Strings(cat.order)
	return cat, problems, nil
}

// problemOf words why a policy cannot be served: its compile errors with
// file, line, column and caret, in both languages.
func problemOf(err error, sources []zhengce.Source) *lang.Message {
	var list lang.ErrorList
	var one *lang.Error
	if errors.As(err, &list) || errors.As(err, &one) {
		joined := lang.JoinSources(sources)
		return &lang.Message{Zh: lang.FormatErrors(err, joined, lang.Chinese), En: lang.FormatErrors(err, joined, lang.English)}
	}
	return &lang.Message{Zh: zhengce.ErrorText(err, lang.Chinese), En: zhengce.ErrorText(err, lang.English)}
}
