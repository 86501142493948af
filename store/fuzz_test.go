package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importSeeds are the import inputs the fuzz targets start from: every testdata file, an
// export, and shapes near the format detection's edges.
func importSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	s, err := Open(f.TempDir(), MemoryKeychain())
	if err != nil {
		f.Fatal(err)
	}
	if _, err := s.Add(sample("a")); err != nil {
		f.Fatal(err)
	}
	exp, err := s.Export()
	if err != nil {
		f.Fatal(err)
	}
	seeds = append(seeds, exp,
		[]byte(`{"connectedapplab_export":2,"profiles":[]}`),
		[]byte(`{"connectedapplab_export":1,"profiles":[{"name":"x","login_url":"https://login.salesforce.com","client_secret":"s"}]}`),
		[]byte(`{"connectedapplab_export":1,"profiles":[{"name":"x"},{"name":"X"}]}`),
		[]byte(`{"connectedapplab_export":null}`),
		[]byte(`{"status":0,"result":{"instanceUrl":"http://127.0.0.1:1","username":"u@x"}}`),
		[]byte(`{"status":1,"name":"E","message":"m\u001b[2J"}`),
		[]byte(`{"status":0,"result":{"instanceUrl":"https://a.my.salesforce.com","alias":" spaced "}}`),
		[]byte(`{"result":null}`),
		[]byte(`{"profiles":[{"name":"v0","login_url":"https://login.salesforce.com","scope":"api  web"}]}`),
		[]byte(`[{"name":"v0","login_url":"https://login.salesforce.com","redirect_uri":"http://localhost:1717/cb"}]`),
		[]byte("\xef\xbb\xbf{}"),
		[]byte(`{"schema_version":1,"profiles":[{"id":"p_1","name":"a","login_url":"https://login.salesforce.com","app_settings":{"settings":{}}}]}`),
	)
	return seeds
}

// FuzzStoreParseImport: no input panics the import parser; its errors are one line wrapping
// ErrInvalidImport; what it accepts has no IDs, and, once Import's checks pass, is a profiles
// file that parses back the same. An org's access token never shows in its printed forms.
func FuzzStoreParseImport(f *testing.F) {
	for _, s := range importSeeds(f) {
		f.Add(s, "")
		f.Add(s, "named")
	}
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		res, ps, err := ParseImport(data, name)
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !errors.Is(err, ErrInvalidImport) {
				t.Fatalf("error %q: want one line wrapping ErrInvalidImport", err)
			}
			return
		}
		if res.Org != nil && res.Org.AccessToken != "" {
			for _, s := range []string{res.Org.String(), fmt.Sprintf("%v %+v %#v", res.Org, res.Org, res.Org), jsonOf(t, res.Org), jsonOf(t, res)} {
				if strings.Contains(s, res.Org.AccessToken) {
					t.Fatalf("the access token shows in %q", s)
				}
			}
		}
		valid := make([]Profile, 0, len(ps))
		for _, p := range ps {
			if p.ID != "" {
				t.Fatalf("profile %q keeps an ID", p.Name)
			}
			if p.AppKind == "" {
				p.AppKind = ConnectedApp
			}
			if p.Validate() != nil {
				return // Import refuses the whole file
			}
			valid = append(valid, withID(p))
		}
		if checkLoaded(valid) != nil {
			return // duplicate names: Import refuses them too
		}
		enc, err := encodeFile(valid)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := parseFile(enc)
		if err != nil || len(back.profiles) != len(valid) {
			t.Fatalf("an importable profile does not survive the profiles file: %v", err)
		}
	})
}

func jsonOf(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// FuzzStoreValidateName: a name Validate accepts is printable and survives the profiles file.
func FuzzStoreValidateName(f *testing.F) {
	for _, s := range []string{"prod", "Müller's org", " lead", "tab\there", "\u202eevil", strings.Repeat("n", 65), "\xff", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if err := ValidateName(name); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		p := withID(Profile{Name: name, LoginURL: "https://login.salesforce.com"})
		enc, err := encodeFile([]Profile{p})
		if err != nil {
			t.Fatal(err)
		}
		back, err := parseFile(enc)
		if err != nil || len(back.profiles) != 1 || back.profiles[0].Name != name {
			t.Fatalf("name %q does not survive the file: %v", name, err)
		}
	})
}
