package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// countingServer counts the requests it gets: a usage error must send none.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

const (
	valSecret   = "VALIDATION-SECRET-c0ffee"
	valPassword = "VALIDATION-PASSWORD-beef"
)

// Bad flag values and oversized stdin get exit 2 and one line saying what to change, before
// anything is sent; no secret given reaches the output.
func TestBadInputIsOneLineAndExitTwo(t *testing.T) {
	profilesTestKeychain(t)
	srv, hits := countingServer(t)
	pw := []string{"run", "--flow", "username-password", "--login-url", srv.URL, "--client-id", "cid", "--username", "u@example.com",
		"--client-secret", valSecret, "--password", valPassword}
	long := strings.Repeat("x", 100<<10)
	cfg := t.TempDir()
	cases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"unknown flow", "", []string{"run", "--flow", "implicit", "--login-url", srv.URL, "--client-id", "cid"},
			`--flow "implicit" is not a flow; use one of: web-server, web-server-pkce, user-agent`},
		{"negative request timeout", "", append(pw, "--request-timeout", "-1s"), "--request-timeout -1s is out of range; use a duration from 1s to 10m"},
		{"zero request timeout", "", append(pw, "--request-timeout", "0"), "--request-timeout 0s is out of range"},
		{"absurd request timeout", "", append(pw, "--request-timeout", "1000h"), "--request-timeout 1000h0m0s is out of range"},
		{"negative listen timeout", "", append(pw, "--listen-timeout", "-5s"), "--listen-timeout -5s is out of range; use a duration from 1s to 1h"},
		{"login URL without scheme", "", append(pw, "--login-url", "login.salesforce.com"), `--login-url "login.salesforce.com" must start with https://, http://`},
		{"login URL ftp", "", append(pw, "--login-url", "ftp://login.salesforce.com"), "must start with https://"},
		{"login URL no host", "", append(pw, "--login-url", "https://"), `--login-url "https://" has no host`},
		{"login URL unparsable", "", append(pw, "--login-url", "https://[::1"), `--login-url "https://[::1" is not a URL`},
		{"login URL with password", "", append(pw, "--login-url", "https://u:"+valPassword+"@login.salesforce.com"), "holds a user name or password"},
		{"my domain not a URL", "", append(pw, "--my-domain-url", "mycompany"), `--my-domain-url "mycompany" must start with https://`},
		{"callback not a URL", "", append(pw, "--callback-url", "localhost:1717/OauthRedirect"), `--callback-url "localhost:1717/OauthRedirect"`},
		{"proxy not a URL", "", append(pw, "--proxy", "proxy:3128"), `--proxy "proxy:3128"`},
		{"secrets line too long", "password=" + long + "\n", append(pw, "--secrets-stdin"),
			"--secrets-stdin: line 1 of stdin is longer than 64 KiB; pipe one KEY=VALUE line per secret"},
		{"secrets line without =", valSecret + "\n", append(pw, "--secrets-stdin"), "--secrets-stdin: line 1 is not KEY=VALUE"},
		{"too many secrets lines", strings.Repeat("\n", 1000), append(pw, "--secrets-stdin"), "more than 64 lines"},
		{"app read token too long", long + "\n", []string{"app", "read", "--instance-url", srv.URL, "--access-token-stdin", "--name", "X"},
			"--access-token-stdin: the first line of stdin is longer than 64 KiB"},
		{"app read negative timeout", "tok\n", []string{"app", "read", "--instance-url", srv.URL, "--access-token-stdin", "--name", "X", "--timeout", "-1s"},
			"--timeout -1s is out of range"},
		{"app read instance not a URL", "tok\n", []string{"app", "read", "--instance-url", "mycompany.my.salesforce.com", "--access-token-stdin", "--name", "X"},
			`--instance-url "mycompany.my.salesforce.com" must start with https://`},
		{"app generate secret too long", long + "\n", []string{"app", "generate", "--name", "X", "--contact-email", "a@example.com",
			"--out", t.TempDir(), "--include-consumer-secret"}, "--include-consumer-secret: the first line of stdin is longer than 64 KiB"},
		{"profiles add secret too long", long + "\n", []string{"profiles", "--config-dir", cfg, "add", "p", "--client-secret-stdin"},
			"is longer than 64 KiB"},
		{"profiles add key too long", "-----BEGIN PRIVATE KEY-----\n" + long, []string{"profiles", "--config-dir", cfg, "add", "p", "--private-key-stdin"},
			"--private-key-stdin: the private key from stdin is over the 64 KiB limit"},
		{"profiles import stdin too large", "{" + strings.Repeat(" ", 17<<20) + "}", []string{"profiles", "--config-dir", cfg, "import", "-"},
			"the import from stdin is over the 16 MiB limit"},
	}
	for _, c := range cases {
		code, out, errOut := runMain(t, c.stdin, c.args...)
		if code != ExitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line with %q", c.name, code, errOut, c.want)
		}
		if strings.Contains(errOut, "bufio.Scanner") || strings.Contains(errOut, "token too long") {
			t.Errorf("%s: a bare scanner error: %q", c.name, errOut)
		}
		for _, s := range []string{valSecret, valPassword, long[:100]} {
			if strings.Contains(out+errOut, s) {
				t.Errorf("%s: the output holds a secret given as input", c.name)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests; bad input must stop the command before anything is sent", n)
	}
	if ps, _ := filepath.Glob(filepath.Join(cfg, "profiles.json")); len(ps) != 0 {
		if b, _ := os.ReadFile(ps[0]); strings.Contains(string(b), `"p"`) {
			t.Error("a profile was saved although its secret was refused")
		}
	}
}

// Exit codes are the same everywhere: 1 when the command ran and failed, 2 for bad input.
func TestExitCodesAreConsistent(t *testing.T) {
	profilesTestKeychain(t)
	srv, _ := countingServer(t)
	cfg := t.TempDir()
	if r := runProfiles(t, cfg, "", "add", "p", "--login-url", "https://login.salesforce.com", "--client-id", "cid"); r.code != 0 {
		t.Fatal(r)
	}
	for _, c := range []struct {
		name string
		code int
		args []string
	}{
		{"the flow failed", ExitFailed, []string{"run", "--flow", "username-password", "--login-url", srv.URL, "--client-id", "cid", "--username", "u@example.com"}},
		{"unknown profile in run", ExitUsage, []string{"run", "--profile", "nope", "--config-dir", cfg}},
		{"unknown profile in show", ExitUsage, []string{"profiles", "--config-dir", cfg, "show", "nope"}},
		{"taken name", ExitUsage, []string{"profiles", "--config-dir", cfg, "add", "P", "--client-id", "x"}},
		{"unknown command", ExitUsage, []string{"frobnicate"}},
	} {
		if code, _, errOut := runMain(t, "", c.args...); code != c.code {
			t.Errorf("%s: exit %d, want %d: %s", c.name, code, c.code, errOut)
		}
	}
	var out strings.Builder
	NewTree(nil).Usage(&out)
	for _, want := range []string{"exit status:", "0  done", "1  failed", "2  bad input"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q:\n%s", want, out.String())
		}
	}
}

// A config folder others can write is refused by every profiles command in one line that
// says what to run.
func TestProfilesRefuseAnUnsafeConfigFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no unix modes; the store checks links there")
	}
	profilesTestKeychain(t)
	dir := filepath.Join(t.TempDir(), "cfg")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o777)
	for _, args := range [][]string{{"list"}, {"add", "p", "--client-id", "x"}, {"show", "p"}} {
		r := runProfiles(t, dir, "", args...)
		if r.code != ExitFailed || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "chmod go-w "+dir) {
			t.Errorf("%v: %+v", args, r)
		}
	}
	code, _, errOut := runMain(t, "", "run", "--profile", "p", "--config-dir", dir)
	if code != ExitFailed || !strings.Contains(errOut, "chmod go-w "+dir) {
		t.Errorf("run --profile: exit %d %q", code, errOut)
	}
}
