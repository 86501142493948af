package userfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/internal/userfile/userfiletest"
)

func TestReadRefusesWhatIsNotASmallRegularFile(t *testing.T) {
	want := map[string]string{
		"a directory":         "is a directory, not a regular file",
		"a 100 MB file":       "is 100 MiB, over the 1 MiB limit",
		"a missing file":      "does not exist",
		"/dev/zero":           "is a character device, not a regular file",
		"a FIFO":              "is a named pipe (FIFO), not a regular file",
		"a link to /dev/zero": "is a character device, not a regular file",
	}
	for name, path := range userfiletest.Special(t) {
		done := make(chan struct{})
		var b []byte
		var err error
		go func() { b, err = Read(path, "the JWT private key", KeyLimit); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: Read hangs", name)
		}
		if err == nil || b != nil {
			t.Errorf("%s: read %d bytes, err %v", name, len(b), err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, want[name]) || !strings.HasPrefix(msg, "the JWT private key "+path) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q; want one line naming the file and %q", name, msg, want[name])
		}
		var ue *Error
		if !errors.As(err, &ue) || ue.Path != path {
			t.Errorf("%s: not a *userfile.Error for the path: %#v", name, err)
		}
	}
}

func TestReadReturnsARegularFileAndFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "key.pem")
	want := "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n"
	if err := os.WriteFile(p, []byte(want), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{p}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "link.pem")
		if err := os.Symlink(p, link); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, link)
	}
	for _, path := range paths {
		b, err := Read(path, "the key", KeyLimit)
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", path, b, err)
		}
	}
	// Exactly at the limit is fine; one byte over is not.
	if b, err := Read(p, "the key", int64(len(want))); err != nil || len(b) != len(want) {
		t.Errorf("at the limit: %d, %v", len(b), err)
	}
	if _, err := Read(p, "the key", int64(len(want))-1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over: %v", err)
	}
}

// A stream (stdin) over the cap is an error, never silently cut.
func TestReadCappedStream(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip("no /dev/zero on this system") // Windows; the same code runs for files above
	}
	defer f.Close()
	_, err = ReadCapped(f, "from stdin", "the import", 1<<10)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "the import from stdin is over the 1 KiB limit for it; check that it is the right file" {
		t.Errorf("got %v", err)
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 1 << 20: "1 MiB", 100 << 20: "100 MiB", 3 << 30: "3 GiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
