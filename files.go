package zhengce

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadPolicy reads a policy file, no more of it than limits allow: a
// device or a file that never ends (/dev/zero) is refused once the limit
// is passed, not read until memory runs out.
func ReadPolicy(path string, limits Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, int64(limits.SourceLimit())+1))
	if err != nil {
		return nil, err
	}
	if err := limits.CheckSource(src); err != nil {
		return nil, err
	}
	return src, nil
}

// PolicyFiles lists the policy files (.zc) of a document's folder, in
// name order; files in its subfolders are not part of it.
func PolicyFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".zc") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	return files, nil
}

// ReadFolder reads the policy files of a document's folder, for
// CompileSources, each as ReadPolicy does.
func ReadFolder(dir string, limits Limits) ([]Source, error) {
	files, err := PolicyFiles(dir)
	if err != nil {
		return nil, err
	}
	sources := make([]Source, 0, len(files))
	for _, path := range files {
		src, err := ReadPolicy(path, limits)
		if err != nil {
			return nil, err
		}
		sources = append(sources, Source{Name: path, Text: src})
	}
	return sources, nil
}

// ReadPolicySources reads a policy as the service names it: a .zc file
// (its id the name without .zc, its one source named by the file's name)
// or a document's folder (its id the folder's name, each source named
// folder/file), so that its Revision does not depend on where it lies.
func ReadPolicySources(path string, limits Limits) (id string, sources []Source, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", nil, err
	}
	base := filepath.Base(path)
	if !fi.IsDir() {
		src, err := ReadPolicy(path, limits)
		if err != nil {
			return "", nil, err
		}
		return strings.TrimSuffix(base, ".zc"), []Source{{Name: base, Text: src}}, nil
	}
	sources, err = ReadFolder(path, limits)
	for i := range sources {
		sources[i].Name = base + "/" + filepath.Base(sources[i].Name)
	}
	return base, sources, err
}

// Revision identifies a policy's text: the sha256 of each source's name
// and text, in order, as hex. A decision records the revision that made
// it; the same files give the same revision wherever they lie.
func Revision(sources []Source) string {
	h := sha256.New()
	for _, s := range sources {
		h.Write([]byte(s.Name))
		h.Write([]byte{0})
		h.Write(s.Text)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}
