package server

import (
	"crypto/sha256"
	"encoding/hex"
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

// revisionOf is the sha256 of a policy's sources: each file's name and
// text, in name order.
func revisionOf(sources []zhengce.Source) string {
	h := sha256.New()
	for _, s := range sources {
		h.Write([]byte(s.Name))
		h.Write([]byte{0})
		h.Write(s.Text)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
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
		var id string
		var sources []zhengce.Source
		var rerr error
		switch {
		case e.IsDir():
			files, _ := zhengce.PolicyFiles(path)
			if len(files) == 0 || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			id = e.Name()
			sources, rerr = zhengce.ReadFolder(path, opts.Limits)
			for i := range sources { // named within the folder: the revision does not depend on where it is
				sources[i].Name = e.Name() + "/" + filepath.Base(sources[i].Name)
			}
		case strings.HasSuffix(e.Name(), ".zc"):
			id = strings.TrimSuffix(e.Name(), ".zc")
			var src []byte
			src, rerr = zhengce.ReadPolicy(path, opts.Limits)
			sources = []zhengce.Source{{Name: e.Name(), Text: src}}
		default:
			continue
		}
		p := &policy{ID: id, Sources: sources, Revision: revisionOf(sources), Loaded: now}
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
