package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"
)

// staleLockAge is how old a lock file must be before it is taken over. A holder keeps the lock
// only for one read-modify-write of a small file, so a lock this old belongs to a dead process.
const staleLockAge = 30 * time.Second

// exclLock is an O_EXCL lock file holding the owner's process ID and the time it was taken.
// Windows has no flock; a lock file left by a crashed process is detected as stale by its age.
type exclLock struct{ path string }

// acquireExclLock is the lock of platforms without flock (Windows). It has no build tag so that
// its tests run everywhere.
func acquireExclLock(path string, timeout time.Duration) (*exclLock, error) {
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			fmt.Fprintf(f, "%d %d\n", os.Getpid(), time.Now().UnixNano())
			f.Close()
			return &exclLock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create lock file: %w; check that %s is writable", err, path)
		}
		if stale(path) {
			// Rename first so two takers cannot both remove a fresh lock of a third.
			tmp := path + ".stale-" + strconv.Itoa(os.Getpid())
			if os.Rename(path, tmp) == nil {
				if stale(tmp) {
					os.Remove(tmp)
				} else {
					os.Rename(tmp, path) // another taker replaced it first: put its fresh lock back
				}
			}
			continue
		}
		if time.Now().After(deadline) {
			return nil, kindErrorf(ErrLocked, "another Connected App Lab has held %s for over %s; close it, or delete the file if no other copy is running", path, timeout)
		}
		time.Sleep(wait)
		if wait < 20*time.Millisecond {
			wait *= 2
		}
	}
}

func stale(path string) bool {
	data, err := readConfigFile("lock file", path, 1<<10)
	if err != nil {
		return false
	}
	fields := strings.Fields(string(data))
	if len(fields) == 2 {
		if ns, err := strconv.ParseInt(fields[1], 10, 64); err == nil {
			return time.Since(time.Unix(0, ns)) > staleLockAge
		}
	}
	// Unreadable content (a writer died between create and write): fall back to the mtime.
	st, err := os.Stat(path)
	return err == nil && time.Since(st.ModTime()) > staleLockAge
}

func (l *exclLock) release() error { return os.Remove(l.path) }
