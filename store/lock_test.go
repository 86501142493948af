package store

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const lockTimeoutForTests = 30 * time.Second

func nowForTests() time.Time { return time.Now() }

func TestLockConcurrentSavesFromGoroutinesLoseNothing(t *testing.T) {
	dir := t.TempDir()
	const workers, each = 6, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(dir, MemoryKeychain()) // one Store per goroutine, like separate windows
			if err != nil {
				errs <- err
				return
			}
			s.lockTimeout = lockTimeoutForTests
			for i := range each {
				p, err := s.Add(sample(fmt.Sprintf("g%d-%d", w, i)))
				if err != nil {
					errs <- err
					continue
				}
				p.Notes = "updated"
				if _, err := s.Update(p); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s, _ := Open(dir, MemoryKeychain())
	ps, err := s.List()
	if err != nil || len(ps) != workers*each {
		t.Fatalf("want %d profiles, got %d (%v)", workers*each, len(ps), err)
	}
	for _, p := range ps {
		if p.Notes != "updated" {
			t.Errorf("%s lost its update", p.Name)
		}
	}
}

// TestLockHelperProcess is the child of TestLockConcurrentSavesFromProcessesLoseNothing.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("STORE_TEST_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	s, err := Open(dir, MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	s.lockTimeout = lockTimeoutForTests
	n, _ := strconv.Atoi(os.Getenv("STORE_TEST_HELPER_N"))
	for i := range n {
		if _, err := s.Add(sample(fmt.Sprintf("%s-%d", os.Getenv("STORE_TEST_HELPER_PREFIX"), i))); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLockConcurrentSavesFromProcessesLoseNothing(t *testing.T) {
	dir := t.TempDir()
	const procs, each = 3, 15
	var wg sync.WaitGroup
	outs := make([][]byte, procs)
	errs := make([]error, procs)
	for i := range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STORE_TEST_HELPER_DIR="+dir, "STORE_TEST_HELPER_N="+strconv.Itoa(each),
			"STORE_TEST_HELPER_PREFIX=proc"+strconv.Itoa(i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range procs {
		if errs[i] != nil {
			t.Fatalf("helper %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	s, _ := Open(dir, MemoryKeychain())
	ps, err := s.List()
	if err != nil || len(ps) != procs*each {
		t.Fatalf("want %d profiles, got %d: %v", procs*each, len(ps), err)
	}
}

func TestLockTimeoutSaysWhatToDo(t *testing.T) {
	dir := t.TempDir()
	held, err := acquireLock(filepath.Join(dir, LockFileName), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()
	s, _ := Open(dir, MemoryKeychain())
	s.lockTimeout = 50 * time.Millisecond
	_, err = s.Add(sample("x"))
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "try again") {
		t.Fatalf("Add while locked: %v", err)
	}
	held.release()
	s.lockTimeout = time.Second
	if _, err := s.Add(sample("x")); err != nil {
		t.Fatalf("Add after release: %v", err)
	}
}

func TestLockExclusiveFileForWindows(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, LockFileName)

	// Mutual exclusion between goroutines.
	var wg sync.WaitGroup
	inside, maxInside := 0, 0
	var mu sync.Mutex
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				l, err := acquireExclLock(path, lockTimeoutForTests)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				maxInside = max(maxInside, inside)
				mu.Unlock()
				time.Sleep(100 * time.Microsecond)
				mu.Lock()
				inside--
				mu.Unlock()
				l.release()
			}
		}()
	}
	wg.Wait()
	if maxInside != 1 {
		t.Fatalf("%d holders at once", maxInside)
	}

	// A fresh lock of another process blocks until the timeout, with a message saying what to do.
	os.WriteFile(path, []byte(fmt.Sprintf("99999 %d\n", time.Now().UnixNano())), 0o600)
	if _, err := acquireExclLock(path, 30*time.Millisecond); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "delete the file") {
		t.Fatalf("fresh foreign lock: %v", err)
	}
	// A stale one (its holder died long ago) is taken over.
	os.WriteFile(path, []byte(fmt.Sprintf("99999 %d\n", time.Now().Add(-time.Hour).UnixNano())), 0o600)
	l, err := acquireExclLock(path, time.Second)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	l.release()
	// A half-written lock file falls back to its modification time.
	os.WriteFile(path, nil, 0o600)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(path, old, old)
	if l, err = acquireExclLock(path, time.Second); err != nil {
		t.Fatalf("stale empty lock not taken over: %v", err)
	}
	l.release()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("lock file left after release")
	}
}
