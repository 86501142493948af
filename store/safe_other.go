//go:build !unix

package store

import (
	"io/fs"
	"os"
)

// Windows reports no owner and made-up mode bits through os.Stat: only links are checked.
const permsMeaningful = false

const nonblock = 0

// openNoFollow refuses a symbolic link (checked with Lstat just before: Windows has no
// O_NOFOLLOW), then opens path.
func openNoFollow(path string, flag int, perm fs.FileMode) (*os.File, error) {
	if isSymlink(path) {
		return nil, errSymlink
	}
	return os.OpenFile(path, flag, perm)
}

var errSymlink = &fs.PathError{Op: "open", Err: fs.ErrInvalid}

func isSymlinkErr(err error) bool { return err == errSymlink }

func ownerUID(fs.FileInfo) (int, bool) { return 0, false }
