package main

import (
	"errors"
	"io/fs"
	"os"
)

// errSymlink refuses to write a file through a symbolic link.
var errSymlink = errors.New("the path is a symbolic link; not written through it")

// createPrivate creates (or truncates) a file that holds enterprise data
// (a report, exported test data, the REPL's history) readable and writable
// by its owner alone, and refuses to follow a symbolic link to it: a link
// planted in a shared directory must not redirect what is written.
func createPrivate(path string) (*os.File, error) {
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "create", Path: path, Err: errSymlink}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|noFollow, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil { // an older file made with wider permissions
		f.Close()
		return nil, err
	}
	return f, nil
}

// openPrivate opens a file created by createPrivate for reading, refusing
// a symbolic link.
func openPrivate(path string) (*os.File, error) {
	if info, err := os.Lstat(path); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		return nil, &fs.PathError{Op: "open", Path: path, Err: errSymlink}
	}
	return os.OpenFile(path, os.O_RDONLY|noFollow, 0)
}
