package flows

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The copied curl command is one shell line whose words are exactly the intended argv: no
// value from a server (instance_url host, a header, an endpoint's query, a body) can run a
// command through $(...), backquotes or a stray quote (issue 14.5). Checked by letting a real
// POSIX shell parse the line with printf in place of curl: nothing on the network runs.
func TestCurlIsQuotedForTheShell(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no sh on PATH")
		}
		t.Skip("no sh on PATH")
	}
	dir := t.TempDir()
	canary := "PWNED" // relative: the shell runs in dir
	inject := []string{"$(touch " + canary + ")", "`touch " + canary + "`", "'; touch " + canary + "; '", "\"$(touch " + canary + ")\"",
		"${IFS}$(touch${IFS}" + canary + ")", "\\'$(touch " + canary + ")", "\n touch " + canary + " \n"}
	for i, evil := range inject {
		// a host may hold $ ( ) ' " (Go's URL parser allows sub-delims in hosts); paths, queries,
		// headers and bodies anything
		host := "a" + strings.NewReplacer(" ", "", "`", "", "\n", "", "\\", "", "{", "", "}", "").Replace(evil) + ".example"
		u := &url.URL{Scheme: "https", Host: host, Path: "/services/data/v62.0/" + evil,
			RawQuery: url.Values{"q": {evil}, "code": {"c0de-value-long-enough"}, evil: {"v"}, "client_secret": {"s3cr3t"}}.Encode()}
		if _, err := url.Parse(u.String()); err != nil {
			t.Fatalf("case %d: test URL does not parse: %v", i, err)
		}
		h := http.Header{"Accept": {"application/json"}, "X-Evil": {evil}, "Authorization": {"Bearer 00Dx!tok"}}
		form := url.Values{"grant_type": {"password"}, "client_secret": {"s3cr3t"}, "password": {"pw"}, "note": {evil}, evil: {"k"}}
		body := []byte(form.Encode())
		r := &redactor{}
		for _, c := range []struct {
			name string
			cmd  string
			want []string // words that must be in argv, exactly
		}{
			{"form POST", r.curl("POST", u, "", h, body, form),
				[]string{"-X", "POST", "-H", "X-Evil: " + evil, "-H", "Authorization: Bearer ENV_AT", "note=" + evil, evil + "=k",
					"client_secret=ENV_SECRET", "password=ENV_PWENV_TOK", "grant_type=password"}},
			{"raw body", r.curl("PUT", u, "", h, []byte(evil), nil), []string{"--data-binary", evil, "-X", "PUT"}},
			{"plain URL", r.curl("GET", &url.URL{Scheme: "https", Host: host, Path: "/x"}, "https://"+host+"/x", http.Header{"X-Evil": {evil}}, nil, nil),
				[]string{"https://" + host + "/x", "X-Evil: " + evil}},
			{"basic auth", r.curl("POST", &url.URL{Scheme: "https", Host: host, Path: "/t"}, "", http.Header{"Authorization": {"Basic " +
				basicAuth(evil, "s3cr3t")}}, nil, nil), []string{"-u", evil + ":ENV_SECRET"}},
		} {
			if err := exec.Command(sh, "-n", "-c", c.cmd).Run(); err != nil {
				t.Fatalf("case %d %s: sh -n refuses %q: %v", i, c.name, c.cmd, err)
			}
			// run the line with printf standing in for curl: the shell does every expansion it
			// would do for curl, and prints the words one per NUL
			line := "printf '%s\\0'" + strings.TrimPrefix(c.cmd, "curl")
			cmd := exec.Command(sh, "-c", line)
			cmd.Dir = dir
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "SF_ACCESS_TOKEN=ENV_AT", "SF_CLIENT_SECRET=ENV_SECRET",
				"SF_PASSWORD=ENV_PW", "SF_SECURITY_TOKEN=ENV_TOK", "SF_CODE=ENV_CODE", "SF_CLIENT_ID=ENV_ID"}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("case %d %s: %v for %q", i, c.name, err, c.cmd)
			}
			if _, err := os.Stat(filepath.Join(dir, canary)); err == nil {
				t.Fatalf("case %d %s: the command line ran an injected command: %q", i, c.name, c.cmd)
			}
			argv := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
			if argv[0] != "-sS" {
				t.Errorf("case %d %s: argv %q", i, c.name, argv)
			}
			for _, w := range c.want {
				found := false
				for _, a := range argv {
					found = found || a == w
				}
				if !found {
					t.Errorf("case %d %s: no word %q in argv %q (command %q)", i, c.name, w, argv, c.cmd)
				}
			}
			// the URL is one word, with the host exactly as given and placeholders expanded
			urlWord := ""
			for _, a := range argv {
				if strings.HasPrefix(a, "https://") {
					if urlWord != "" {
						t.Errorf("case %d %s: two URL words in %q", i, c.name, argv)
					}
					urlWord = a
				}
			}
			pu, err := url.Parse(urlWord)
			if err != nil || pu.Host != host {
				t.Errorf("case %d %s: URL word %q (host %q, want %q): %v", i, c.name, urlWord, pu.Host, host, err)
			}
			if c.name == "form POST" || c.name == "raw body" {
				q := pu.Query()
				if q.Get("q") != evil || q.Get(evil) != "v" || q.Get("code") != "ENV_CODE" || q.Get("client_secret") != "ENV_SECRET" || pu.Path != u.Path {
					t.Errorf("case %d %s: URL word %q decodes to path %q query %v", i, c.name, urlWord, pu.Path, q)
				}
			}
			if bytes.Contains(out, []byte("s3cr3t")) || bytes.Contains(out, []byte("c0de-value")) {
				t.Errorf("case %d %s: a secret is in the command: %q", i, c.name, c.cmd)
			}
		}
	}
}

func basicAuth(user, pass string) string {
	r := &http.Request{Header: http.Header{}}
	r.SetBasicAuth(user, pass)
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}
