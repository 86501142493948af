package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// ErrUnsafeConfig is wrapped when the config folder, or a file in it, is a symbolic link or can
// be written by another user: a local attacker could then plant profiles (login URLs and
// client IDs the user trusts) or redirect the writes. The error says what to change.
var ErrUnsafeConfig = errors.New("config folder unsafe")

// maxProfilesFile caps the profiles file (a thousand profiles take under 2 MiB).
const maxProfilesFile = userfile.BundleLimit

// checkDir checks the config folder: a directory (a link to one is followed: the user may keep
// the folder elsewhere) that belongs to the user and that others cannot write.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("config folder %s: %w; check the path or pass another --config-dir", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("config folder %s is not a folder; pass another --config-dir", dir)
	}
	return checkOwner("config folder", dir, st)
}

// checkOwner refuses a file or folder that another user owns or that group or others can
// write (unix; elsewhere nothing to check).
func checkOwner(what, path string, st fs.FileInfo) error {
	if !permsMeaningful {
		return nil
	}
	if uid, ok := ownerUID(st); ok && uid != os.Geteuid() {
		return kindErrorf(ErrUnsafeConfig, "%s %s belongs to another user (uid %d; you are uid %d); use a folder of your own with --config-dir, or `chown` it to yourself", what, path, uid, os.Geteuid())
	}
	if m := st.Mode().Perm(); m&0o022 != 0 {
		return kindErrorf(ErrUnsafeConfig, "%s %s can be written by other users (mode %04o); run `chmod go-w %s`", what, path, m, path)
	}
	return nil
}

// openInDir opens path, a file of the config folder, without following a symbolic link (the
// final component), and checks that it is a regular file of the user that others cannot write.
// A missing file is returned as the os error (fs.ErrNotExist).
func openInDir(what, path string, flag int, perm fs.FileMode) (*os.File, error) {
	f, err := openNoFollow(path, flag, perm)
	if err != nil {
		if isSymlinkErr(err) || isSymlink(path) {
			return nil, symlinkError(what, path)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = kindErrorf(ErrUnsafeConfig, "%s %s is not a regular file; move it away (Connected App Lab recreates it)", what, path)
	}
	if err == nil {
		err = checkOwner(what, path, st)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func isSymlink(path string) bool {
	st, err := os.Lstat(path)
	return err == nil && st.Mode()&fs.ModeSymlink != 0
}

func symlinkError(what, path string) error {
	return kindErrorf(ErrUnsafeConfig, "%s %s is a symbolic link, which Connected App Lab does not follow in its config folder; remove the link, or replace it with the file it points to", what, path)
}

// readConfigFile reads a file of the config folder (no link followed, capped).
func readConfigFile(what, path string, limit int64) ([]byte, error) {
	f, err := openInDir(what, path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return userfile.ReadOpen(f, path, what, limit)
}
