//go:build unix

package store

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

const permsMeaningful = true

// nonblock keeps an open of a FIFO planted in the folder from waiting for a writer.
const nonblock = syscall.O_NONBLOCK

// openNoFollow opens path with O_NOFOLLOW: a symbolic link as the last component fails with
// ELOOP instead of being followed (a dangling one is not created through either).
func openNoFollow(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(path, flag|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, perm)
}

func isSymlinkErr(err error) bool { return errors.Is(err, syscall.ELOOP) }

func ownerUID(st fs.FileInfo) (int, bool) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid), true
	}
	return 0, false
}
