//go:build unix

package userfile

import "syscall"

// openFlags makes the open of a FIFO swapped in after the Stat return at once instead of
// waiting for a writer; a regular file reads as without it.
const openFlags = syscall.O_NONBLOCK
