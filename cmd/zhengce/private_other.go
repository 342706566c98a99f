//go:build !unix

package main

// noFollow is 0 where the system has no O_NOFOLLOW; createPrivate's check
// for a link stands alone.
const noFollow = 0
