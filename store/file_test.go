package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStoreCorruptFileIsKeptAndNeverOverwritten(t *testing.T) {
	cases := map[string]string{
		"garbage":        "this is not json",
		"truncated":      `{"schema_version": 1, "profiles": [{"id": "p_1", "na`,
		"wrong type":     `{"schema_version": 1, "profiles": {"id": "p_1"}}`,
		"bad version":    `{"schema_version": "one", "profiles": []}`,
		"duplicate name": `{"schema_version": 1, "profiles": [{"id":"p_1","name":"A","login_url":"https://login.salesforce.com"},{"id":"p_2","name":"a","login_url":"https://login.salesforce.com"}]}`,
		"duplicate id":   `{"schema_version": 1, "profiles": [{"id":"p_1","name":"A","login_url":"https://login.salesforce.com"},{"id":"p_1","name":"B","login_url":"https://login.salesforce.com"}]}`,
		"missing id":     `{"schema_version": 1, "profiles": [{"name":"A","login_url":"https://login.salesforce.com"}]}`,
		"invalid name":   `{"schema_version": 1, "profiles": [{"id":"p_1","name":"","login_url":"https://login.salesforce.com"}]}`,
		"binary":         "\x00\x01\x02\xff",
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			os.WriteFile(path, []byte(content), 0o600)
			_, err := Open(dir, MemoryKeychain())
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrUnreadableFile) || fe.Newer != 0 {
				t.Fatalf("Open: %v", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "corrupt") || !strings.Contains(msg, path) || !strings.Contains(msg, "move it away") || strings.Contains(msg, "\n") {
				t.Fatalf("error should say what is wrong and what to do, on one line: %s", msg)
			}
			if fe.Backup == "" || !strings.Contains(msg, fe.Backup) {
				t.Fatalf("no backup named: %s", msg)
			}
			if b, _ := os.ReadFile(fe.Backup); string(b) != content {
				t.Fatalf("backup content differs")
			}
			// A store opened before the file went bad refuses to write over it.
			s := &Store{dir: dir, kc: MemoryKeychain(), lockTimeout: lockTimeoutForTests, now: nowForTests}
			if _, err := s.Add(sample("new")); !errors.Is(err, ErrUnreadableFile) {
				t.Fatalf("Add over a corrupt file: %v", err)
			}
			if _, err := s.List(); !errors.Is(err, ErrUnreadableFile) {
				t.Fatalf("List: %v", err)
			}
			if b, _ := os.ReadFile(path); string(b) != content {
				t.Fatal("corrupt file was overwritten")
			}
			// Backups are made once per content, not once per call.
			matches, _ := filepath.Glob(path + ".corrupt-*.bak")
			if len(matches) != 1 {
				t.Fatalf("backups: %v", matches)
			}
		})
	}
}

func TestStoreNewerVersionFile(t *testing.T) {
	dir := t.TempDir()
	content, _ := os.ReadFile("testdata/profiles-v7.json")
	path := filepath.Join(dir, FileName)
	os.WriteFile(path, content, 0o600)
	_, err := Open(dir, MemoryKeychain())
	var fe *FileError
	if !errors.As(err, &fe) || fe.Newer != 7 {
		t.Fatalf("Open: %v", err)
	}
	if !strings.Contains(err.Error(), "newer") || !strings.Contains(err.Error(), "upgrade connectedapplab") {
		t.Fatalf("message: %v", err)
	}
	if !strings.HasSuffix(fe.Backup, ".bak") || !strings.Contains(fe.Backup, ".v7-") {
		t.Fatalf("backup name: %s", fe.Backup)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, content) {
		t.Fatal("newer file was changed")
	}
}

func TestStoreMigratesV0Fixture(t *testing.T) {
	dir := t.TempDir()
	v0, err := os.ReadFile("testdata/profiles-v0.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	os.WriteFile(path, v0, 0o600)
	s, err := Open(dir, MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	ps, err := s.List()
	if err != nil || len(ps) != 2 {
		t.Fatalf("List: %v %v", ps, err)
	}
	prod, _ := s.Get("Prod admin")
	if prod.CallbackURL != "http://localhost:1717/OauthRedirect" || strings.Join(prod.Scopes, ",") != "api,refresh_token,openid" ||
		prod.AppKind != ConnectedApp || !validID(prod.ID) || prod.Notes != "written by version 0" {
		t.Fatalf("migrated profile: %+v", prod)
	}
	jwt, _ := s.Get("sandbox jwt")
	if jwt.ID != "p_00000000000000a1" || jwt.JWTKeyFile != "/home/admin/keys/server.key" || jwt.Flow != "jwt-bearer" {
		t.Fatalf("migrated profile keeps its ID: %+v", jwt)
	}
	// Reading does not write; the first change writes v1 and keeps the v0 file as a backup.
	if b, _ := os.ReadFile(path); !bytes.Equal(b, v0) {
		t.Fatal("reading rewrote the file")
	}
	if _, err := s.Add(sample("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !bytes.Contains(b, []byte(`"schema_version": 1`)) || bytes.Contains(b, []byte("redirect_uri")) {
		t.Fatalf("file not migrated:\n%s", b)
	}
	if bak, err := os.ReadFile(path + ".v0-backup"); err != nil || !bytes.Equal(bak, v0) {
		t.Fatalf("v0 backup: %v", err)
	}
	// IDs assigned during migration are the ones written.
	s2, _ := Open(dir, MemoryKeychain())
	again, _ := s2.Get("Prod admin")
	if again.ID != prod.ID {
		t.Fatalf("migration ID changed: %s vs %s", again.ID, prod.ID)
	}
}

func TestStoreParseV0BareArrayAndEmpty(t *testing.T) {
	p, err := parseFile([]byte(`[{"name":"a","login_url":"https://login.salesforce.com","scope":"api"}]`))
	if err != nil || p.version != 0 || len(p.profiles) != 1 || p.profiles[0].Scopes[0] != "api" {
		t.Fatalf("bare array: %+v %v", p, err)
	}
	for _, empty := range []string{"", "  \n"} {
		if p, err := parseFile([]byte(empty)); err != nil || len(p.profiles) != 0 {
			t.Fatalf("empty file: %v", err)
		}
	}
}

// FuzzStoreParseProfilesFile: no input panics the parser, and whatever it accepts survives an
// encode/parse round trip unchanged. The seeds run in every `go test`.
func FuzzStoreParseProfilesFile(f *testing.F) {
	for _, name := range []string{"profiles-v0.json", "profiles-v7.json", "sf-org-display.json"} {
		b, _ := os.ReadFile(filepath.Join("testdata", name))
		f.Add(b)
	}
	good, _ := encodeFile([]Profile{withID(sample("a"))})
	f.Add(good)
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"schema_version":1e400}`))
	f.Add([]byte(`{"schema_version":1,"profiles":[null]}`))
	f.Add([]byte(`[null, 1, "x"]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parseFile(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		enc, err := encodeFile(p.profiles)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		p2, err := parseFile(enc)
		if err != nil || len(p2.profiles) != len(p.profiles) {
			t.Fatalf("round trip: %v", err)
		}
		enc2, _ := encodeFile(p2.profiles)
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip changed the file:\n%s\n%s", enc, enc2)
		}
		// Import must not panic either.
		ParseImport(data, "")
	})
}

func withID(p Profile) Profile { p.ID = newID(); return p }
