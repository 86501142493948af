//go:build unix

package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// wantUnsafe checks err is one line wrapping ErrUnsafeConfig and containing each of want.
func wantUnsafe(t *testing.T, what string, err error, want ...string) {
	t.Helper()
	if !errors.Is(err, ErrUnsafeConfig) {
		t.Fatalf("%s: %v, want ErrUnsafeConfig", what, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q lacks %q", what, err, w)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("%s: not one line: %q", what, err)
	}
}

// A dangling profiles.lock link must not create its target.
func TestConfigLockThroughDanglingSymlinkIsRefused(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	target := filepath.Join(elsewhere, "planted")
	s, err := Open(dir, MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, LockFileName)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Add(sample("a"))
	wantUnsafe(t, "Add", err, filepath.Join(dir, LockFileName), "symbolic link", "remove the link")
	if _, err := os.Lstat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the link's target was created: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("profiles.json was written although the lock was refused: %v", err)
	}
}

// profiles.json through a link is neither read nor replaced.
func TestConfigProfilesFileSymlinkIsRefused(t *testing.T) {
	for _, dangling := range []bool{false, true} {
		dir, elsewhere := t.TempDir(), t.TempDir()
		target := filepath.Join(elsewhere, "planted.json")
		planted := `{"schema_version":1,"profiles":[{"id":"p_1","name":"Prod","login_url":"https://evil.example.com"}]}`
		if !dangling {
			if err := os.WriteFile(target, []byte(planted), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		link := filepath.Join(dir, FileName)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		_, err := Open(dir, MemoryKeychain())
		wantUnsafe(t, "Open", err, link, "symbolic link")
		s := &Store{dir: dir, kc: MemoryKeychain(), lockTimeout: time.Second, now: time.Now}
		if _, err := s.List(); !errors.Is(err, ErrUnsafeConfig) {
			t.Errorf("List: %v", err)
		}
		if _, err := s.Add(sample("b")); !errors.Is(err, ErrUnsafeConfig) {
			t.Errorf("Add: %v", err)
		}
		if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("dangling=%v: the link was replaced: %v", dangling, err)
		}
		b, err := os.ReadFile(target)
		if dangling && err == nil {
			t.Errorf("the dangling link's target was created")
		}
		if !dangling && string(b) != planted {
			t.Errorf("the link's target changed: %q", b)
		}
	}
}

// A folder or a profiles file that others can write is refused with the chmod to run.
func TestConfigWritableByOthersIsRefused(t *testing.T) {
	for _, mode := range []os.FileMode{0o777, 0o770, 0o722} {
		dir := filepath.Join(t.TempDir(), "cfg")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		_, err := Open(dir, MemoryKeychain())
		wantUnsafe(t, "Open", err, "config folder "+dir, "can be written by other users", "chmod go-w "+dir)
	}
	for _, ok := range []os.FileMode{0o700, 0o750, 0o755} {
		dir := filepath.Join(t.TempDir(), "cfg")
		os.Mkdir(dir, 0o700)
		os.Chmod(dir, ok)
		if _, err := Open(dir, MemoryKeychain()); err != nil {
			t.Errorf("mode %04o: %v", ok, err)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(`{"schema_version":1,"profiles":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o666)
	_, err := Open(dir, MemoryKeychain())
	wantUnsafe(t, "Open", err, "profiles file "+path, "chmod go-w "+path)
	// A folder kept elsewhere through a link is the user's choice and is followed.
	real := t.TempDir()
	link := filepath.Join(t.TempDir(), "cfg")
	os.Symlink(real, link)
	if s, err := Open(link, MemoryKeychain()); err != nil {
		t.Errorf("config folder through a link: %v", err)
	} else if _, err := s.Add(sample("x")); err != nil {
		t.Errorf("Add through a linked folder: %v", err)
	}
}

// A folder or file of another user is refused. Root can make one for real; the check itself is
// also tested with a file info claiming another owner, so the test runs (and can fail) as any user.
func TestConfigOwnedByAnotherUserIsRefused(t *testing.T) {
	dir := t.TempDir()
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	other := otherOwner{st}
	wantUnsafe(t, "checkOwner", checkOwner("config folder", dir, other), "belongs to another user", "--config-dir")
	if err := checkOwner("config folder", dir, st); err != nil {
		t.Errorf("own folder: %v", err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		_, err := Open(dir, MemoryKeychain())
		wantUnsafe(t, "Open", err, dir, "belongs to another user (uid 65534; you are uid 0)")
	}
}

type otherOwner struct{ fs.FileInfo }

func (o otherOwner) Sys() any {
	s := *o.FileInfo.Sys().(*syscall.Stat_t)
	s.Uid++
	return &s
}

// Special files planted as profiles.json or profiles.lock are refused at once, never waited on
// or read without end.
func TestConfigSpecialFilesAreRefused(t *testing.T) {
	for name, plant := range map[string]func(path string) error{
		"FIFO":      func(p string) error { return syscall.Mkfifo(p, 0o600) },
		"directory": func(p string) error { return os.Mkdir(p, 0o700) },
		"100 MB file": func(p string) error {
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o600)
			if err == nil {
				err = f.Truncate(100 << 20)
				f.Close()
			}
			return err
		},
	} {
		for _, file := range []string{FileName, LockFileName} {
			dir := t.TempDir()
			path := filepath.Join(dir, file)
			if err := plant(path); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				s, err := Open(dir, MemoryKeychain())
				if err == nil {
					_, err = s.Add(sample("z"))
				}
				done <- err
			}()
			select {
			case err := <-done:
				if file == LockFileName && name == "100 MB file" {
					if err != nil { // a big lock file is odd but harmless: it is never read
						t.Errorf("%s as %s: %v", name, file, err)
					}
					continue
				}
				if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), path) {
					t.Errorf("%s as %s: %v; want one line naming the file", name, file, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s as %s: Open/Add hangs", name, file)
			}
		}
	}
}
