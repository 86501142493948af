// Package userfiletest makes, for tests, the files a user may name by mistake (or an
// attacker may plant) where a small regular file is wanted: each must be refused in one line,
// never read whole, never waited on.
package userfiletest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Special returns such paths by what they are: a directory, a 100 MB (sparse) file and a
// missing file, and where the system has them /dev/zero, a FIFO and a link to /dev/zero.
// They live in t's temporary directory.
func Special(t testing.TB) map[string]string {
	t.Helper()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pem")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil { // 100 MB, sparse
		t.Fatal(err)
	}
	f.Close()
	m := map[string]string{"a directory": dir, "a 100 MB file": big, "a missing file": filepath.Join(dir, "nope.pem")}
	if runtime.GOOS != "windows" {
		m["/dev/zero"] = "/dev/zero"
		fifo := filepath.Join(dir, "fifo")
		if err := mkfifo(fifo); err != nil {
			t.Fatal(err)
		}
		m["a FIFO"] = fifo
		link := filepath.Join(dir, "zero-link.pem")
		if err := os.Symlink("/dev/zero", link); err != nil {
			t.Fatal(err)
		}
		m["a link to /dev/zero"] = link
	}
	return m
}
