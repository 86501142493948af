//go:build !unix

package store

import "time"

// fileLock is the O_EXCL lock file with stale detection (lock_excl.go): Windows has no flock.
type fileLock struct{ l *exclLock }

func acquireLock(path string, timeout time.Duration) (*fileLock, error) {
	l, err := acquireExclLock(path, timeout)
	if err != nil {
		return nil, err
	}
	return &fileLock{l}, nil
}

func (l *fileLock) release() error { return l.l.release() }

func syncDir(string) {}
