//go:build unix

package main

import "syscall"

// noFollow makes opening a symbolic link fail, closing the gap between
// the check for a link and the open.
const noFollow = syscall.O_NOFOLLOW
