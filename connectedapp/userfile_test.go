package connectedapp

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedFilesAreRegularAndCapped: a settings or metadata file the user names must be a
// regular file within the document limit; /dev/zero, a FIFO or a huge file is one clear error,
// at once (before, /dev/zero reported size 0 to the size check and was then read forever).
func TestNamedFilesAreRegularAndCapped(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "app.connectedApp-meta.xml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.connectedApp-meta.xml")
	if err := os.WriteFile(big, nil, 0o600); err != nil || os.Truncate(big, 100<<20) != nil {
		t.Fatal("sparse file")
	}
	for _, c := range []struct {
		name string
		load func(string) (Settings, error)
		path string
	}{
		{"settings /dev/zero", LoadSettingsJSON, "/dev/zero"},
		{"settings fifo", LoadSettingsJSON, fifo},
		{"settings 100 MB", LoadSettingsJSON, big},
		{"metadata /dev/zero", LoadMetadata, "/dev/zero"},
		{"metadata fifo", LoadMetadata, fifo},
		{"metadata 100 MB", LoadMetadata, big},
	} {
		done := make(chan error, 1)
		go func() { _, err := c.load(c.path); done <- err }()
		select {
		case err := <-done:
			if err == nil || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error %v, want one line", c.name, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: still reading after 10 s", c.name)
		}
	}
}
