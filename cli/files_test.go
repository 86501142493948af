package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/internal/userfile/userfiletest"
)

// Every flag that names a file refuses a special or huge file in one line with exit 2, and
// run sends nothing.
func TestEveryNamedFileIsCheckedAndCapped(t *testing.T) {
	profilesTestKeychain(t)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusBadRequest)
	}))
	defer srv.Close()
	cfg := t.TempDir()
	run := []string{"run", "--login-url", srv.URL, "--client-id", "cid", "--username", "u@example.com"}
	cases := []struct {
		name string
		args func(path string) []string
	}{
		{"run --jwt-key", func(p string) []string { return append(run, "--flow", "jwt-bearer", "--jwt-key", p) }},
		{"run --saml-assertion", func(p string) []string { return append(run, "--flow", "saml-bearer", "--saml-assertion", p) }},
		{"run --ca-bundle", func(p string) []string { return append(run, "--flow", "client-credentials", "--ca-bundle", p) }},
		{"app lint --settings", func(p string) []string {
			return []string{"app", "lint", "--flow", "web-server", "--settings", p}
		}},
		{"app lint --metadata", func(p string) []string {
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				return nil // a folder is what --metadata takes
			}
			return []string{"app", "lint", "--flow", "web-server", "--metadata", p}
		}},
		{"app generate --settings", func(p string) []string {
			return []string{"app", "generate", "--name", "X", "--contact-email", "a@example.com", "--out", t.TempDir(), "--settings", p}
		}},
		{"app generate --certificate", func(p string) []string {
			return []string{"app", "generate", "--name", "X", "--contact-email", "a@example.com", "--out", t.TempDir(), "--certificate", p}
		}},
		{"emulate --org", func(p string) []string { return []string{"emulate", "--org", p} }},
		{"profiles import", func(p string) []string { return []string{"profiles", "--config-dir", cfg, "import", p} }},
	}
	for what, path := range userfiletest.Special(t) {
		for _, c := range cases {
			args := c.args(path)
			if args == nil {
				continue
			}
			var code int
			var out, errOut string
			done := make(chan struct{})
			go func() { code, out, errOut = runMain(t, "", args...); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("%s with %s hangs", c.name, what)
			}
			if code != ExitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, path) ||
				!strings.Contains(errOut, strings.Fields(c.name)[len(strings.Fields(c.name))-1]) {
				t.Errorf("%s with %s: exit %d, want one line naming the flag and the path and exit %d\nstdout: %s\nstderr: %s", c.name, what, code, ExitUsage, out, errOut)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests; a bad file must stop the run before anything is sent", n)
	}
}

// A profile's jwt_key_file is read the same way.
func TestProfileJWTKeyFileIsCheckedAndCapped(t *testing.T) {
	profilesTestKeychain(t)
	for what, path := range userfiletest.Special(t) {
		cfg := t.TempDir()
		if r := runProfiles(t, cfg, "", "add", "jwt", "--login-url", "https://login.salesforce.com", "--client-id", "cid",
			"--flow", "jwt-bearer", "--username", "u@example.com", "--jwt-key-file", path); r.code != 0 {
			t.Fatalf("add: %+v", r)
		}
		code, _, errOut := runMain(t, "", "run", "--profile", "jwt", "--config-dir", cfg)
		if code != ExitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "the JWT key file "+path) {
			t.Errorf("%s: exit %d, stderr %q", what, code, errOut)
		}
	}
}

func runMain(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}
