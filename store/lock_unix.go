//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// fileLock is an exclusive flock(2) on the store's lock file. flock locks belong to the open
// file description, so two goroutines (each opening the file) exclude each other as well as
// two processes; the kernel drops the lock if the process dies.
type fileLock struct{ f *os.File }

func acquireLock(path string, timeout time.Duration) (*fileLock, error) {
	f, err := openInDir("lock file", path, os.O_RDWR|os.O_CREATE|nonblock, 0o600)
	if errors.Is(err, ErrUnsafeConfig) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w; check that %s is writable", err, path)
	}
	deadline := time.Now().Add(timeout)
	wait := time.Millisecond
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &fileLock{f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w; put the config directory on a local file system or use --config-dir", path, err)
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, kindErrorf(ErrLocked, "another Connected App Lab has held %s for over %s; close it or try again", path, timeout)
		}
		time.Sleep(wait)
		if wait < 20*time.Millisecond {
			wait *= 2
		}
	}
}

func (l *fileLock) release() error {
	err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a directory entry change (a rename) to disk; best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
