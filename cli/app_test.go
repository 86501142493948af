package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runApp(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code = Main(context.Background(), append([]string{"app"}, args...), env)
	return code, out.String(), errb.String()
}

func writeSettings(t *testing.T, js string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "app.json")
	if err := os.WriteFile(p, []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const labSettings = `{"kind":"connected","name":"Lab_App","callbackUrls":["http://localhost:1717/OauthRedirect"],"scopes":["api","refresh_token"]}`

func TestAppLintExitsOneWhenThereAreErrors(t *testing.T) {
	code, out, errOut := runApp(t, "", "lint", "--flow", "web-server-pkce", "--callback-url", "http://localhost:8080/OauthRedirect",
		"--scopes", "api refresh_token", "--settings", writeSettings(t, labSettings))
	if code != 1 {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"error   callback-port:", "setup: Setup → App Manager", "field: ConnectedApp oauthConfig/callbackUrl",
		"Salesforce says: redirect_uri_mismatch"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "Lab_App (Connected App) for web-server-pkce: 1 error") {
		t.Errorf("summary line %q", last)
	}
}

func TestAppLintExitsZeroWithoutErrors(t *testing.T) {
	code, out, errOut := runApp(t, "", "lint", "--flow", "web-server-pkce", "--callback-url", "http://localhost:1717/OauthRedirect",
		"--scopes", "api refresh_token", "--settings", writeSettings(t, labSettings))
	if code != 0 || !strings.Contains(out, "0 errors") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestAppLintJSON(t *testing.T) {
	code, out, _ := runApp(t, "", "lint", "--flow", "client-credentials", "--login-url", "https://login.salesforce.com",
		"--settings", writeSettings(t, labSettings), "--json")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep lintReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		got[f.Code] = true
	}
	for _, want := range []string{"client-credentials-disabled", "client-credentials-no-user", "client-credentials-login-host"} {
		if !got[want] {
			t.Errorf("missing %s in %s", want, out)
		}
	}
	if rep.Errors < 3 || rep.App == nil || rep.App.Name != "Lab_App" {
		t.Errorf("report %+v", rep)
	}
}

func TestAppLintUsageErrors(t *testing.T) {
	settings := writeSettings(t, labSettings)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no settings source", []string{"lint", "--flow", "web-server"}, 2, "exactly one of --settings"},
		{"no flow", []string{"lint", "--settings", settings}, 2, "pass --flow"},
		{"bad secret value", []string{"lint", "--flow", "refresh", "--secret", "maybe", "--settings", settings}, 2, "use present or absent"},
		{"missing metadata", []string{"lint", "--flow", "refresh", "--metadata", "/nonexistent/x"}, 2, "--metadata: the metadata file /nonexistent/x cannot be read"},
		{"unknown flow", []string{"lint", "--flow", "magic", "--settings", settings}, 2, `--flow "magic" is not a flow; use one of: web-server, web-server-pkce`},
		{"negative expectation", []string{"lint", "--flow", "refresh", "--expect-session", "-5", "--settings", settings}, 2, "--expect-session -5"},
		{"callback not a URL", []string{"lint", "--flow", "web-server", "--callback-url", "localhost:1717/cb", "--settings", settings}, 2, `--callback-url "localhost:1717/cb"`},
		{"unknown subcommand", []string{"delete"}, 2, "unknown subcommand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runApp(t, "", tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d stderr %q", code, errOut)
			}
		})
	}
}

func TestAppGenerateThenLintTheMetadata(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proj")
	code, out, errOut := runApp(t, "", "generate", "--kind", "external", "--name", "Lab_ECA", "--callback-url", "http://localhost:1717/OauthRedirect",
		"--scopes", "api refresh_token openid", "--contact-email", "admin@example.com", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, f := range []string{"sfdx-project.json", "manifest/package.xml", "force-app/main/default/externalClientApps/Lab_ECA.eca-meta.xml",
		"force-app/main/default/extlClntAppGlobalOauthSets/Lab_ECA_glbloauth.ecaGlblOauth-meta.xml",
		"force-app/main/default/extlClntAppOauthSettings/Lab_ECA_oauth.ecaOauth-meta.xml",
		"force-app/main/default/extlClntAppOauthPolicies/Lab_ECA_oauthPlcy.ecaOauthPlcy-meta.xml"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if !strings.Contains(out, "settable only on create") || !strings.Contains(out, "sf project deploy start") {
		t.Errorf("output:\n%s", out)
	}
	// PKCE is required by default on an External Client App: plain web-server is an error.
	code, out, _ = runApp(t, "", "lint", "--flow", "web-server", "--callback-url", "http://localhost:1717/OauthRedirect", "--metadata", dir)
	if code != 1 || !strings.Contains(out, "pkce-required") {
		t.Errorf("lint web-server exit %d:\n%s", code, out)
	}
	code, out, _ = runApp(t, "", "lint", "--flow", "web-server-pkce", "--callback-url", "http://localhost:1717/OauthRedirect", "--metadata", dir)
	if code != 0 {
		t.Errorf("lint web-server-pkce exit %d:\n%s", code, out)
	}
}

func TestAppGenerateWritesTheSecretOnlyWhenAsked(t *testing.T) {
	base := []string{"generate", "--kind", "connected", "--name", "Lab_CA", "--callback-url", "http://localhost:1717/OauthRedirect",
		"--scopes", "api", "--contact-email", "admin@example.com", "--json"}
	dir := filepath.Join(t.TempDir(), "a")
	if code, _, errOut := runApp(t, "stdin-secret\n", append(base, "--out", dir)...); code != 0 {
		t.Fatal(errOut)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "force-app/main/default/connectedApps/Lab_CA.connectedApp-meta.xml"))
	if bytes.Contains(b, []byte("stdin-secret")) || bytes.Contains(b, []byte("consumerSecret")) {
		t.Errorf("secret written without --include-consumer-secret:\n%s", b)
	}
	dir = filepath.Join(t.TempDir(), "b")
	code, out, errOut := runApp(t, "stdin-secret\n", append(base, "--out", dir, "--include-consumer-secret")...)
	if code != 0 {
		t.Fatal(errOut)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "force-app/main/default/connectedApps/Lab_CA.connectedApp-meta.xml"))
	if !bytes.Contains(b, []byte("<consumerSecret>stdin-secret</consumerSecret>")) {
		t.Errorf("secret missing:\n%s", b)
	}
	if strings.Contains(out, "stdin-secret") {
		t.Error("the secret was printed")
	}
	if code, _, errOut := runApp(t, "", append(base, "--out", filepath.Join(t.TempDir(), "c"), "--include-consumer-secret")...); code != 2 || !strings.Contains(errOut, "stdin was empty") {
		t.Errorf("empty stdin: exit %d %s", code, errOut)
	}
	if code, _, errOut := runApp(t, "", "generate", "--name", "Lab_X", "--callback-url", "http://localhost:1717/OauthRedirect", "--scopes", "api"); code != 2 || !strings.Contains(errOut, "--contact-email") {
		t.Errorf("no contact email: exit %d %s", code, errOut)
	}
}

// metadataAPI serves connectedapp/testdata's captured readMetadata answers (a local fake of
// the Metadata API SOAP endpoint; the real one needs an org).
func metadataAPI(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		file := "readMetadata_notfound.xml"
		switch {
		case !bytes.Contains(body, []byte("<met:sessionId>good-token</met:sessionId>")):
			w.WriteHeader(http.StatusInternalServerError)
			file = "fault_INVALID_SESSION_ID.xml"
		case r.URL.Path != "/services/Soap/m/65.0":
			http.NotFound(w, r)
			return
		case bytes.Contains(body, []byte("<met:type>ConnectedApp</met:type>")) && bytes.Contains(body, []byte("Lab_Web_App")):
			file = "readMetadata_ConnectedApp.xml"
		}
		b, err := os.ReadFile(filepath.Join("..", "connectedapp", "testdata", file))
		if err != nil {
			t.Error(err)
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAppReadPrintsSettingsAndLint(t *testing.T) {
	srv := metadataAPI(t)
	code, out, errOut := runApp(t, "good-token\n", "read", "--instance-url", srv.URL, "--access-token-stdin", "--name", "Lab_Web_App",
		"--flow", "web-server", "--callback-url", "http://localhost:1717/OauthRedirect")
	if code != 1 { // the captured app requires PKCE, so plain web-server is an error
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	for _, want := range []string{"Lab_Web_App (Connected App)", "http://localhost:1717/OauthRedirect https://app.example.com/oauth/callback",
		"PKCE required         yes", "pkce-required", "30 minutes"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runApp(t, "good-token\n", "read", "--instance-url", srv.URL, "--access-token-stdin", "--name", "Lab_Web_App", "--kind", "connected", "--json")
	var rep lintReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Settings == nil || rep.Settings.ClientCredentialsUser != "integration@example.com" {
		t.Errorf("json exit %d err %v:\n%s", code, err, out)
	}
	if strings.Contains(out, "good-token") {
		t.Error("the access token was printed")
	}
}

func TestAppReadFailsInOneLine(t *testing.T) {
	srv := metadataAPI(t)
	code, _, errOut := runApp(t, "stale-token\n", "read", "--instance-url", srv.URL, "--access-token-stdin", "--name", "Lab_Web_App")
	if code != 1 || !strings.Contains(errOut, "INVALID_SESSION_ID") || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "stale-token") {
		t.Errorf("exit %d stderr %q", code, errOut)
	}
	code, _, errOut = runApp(t, "good-token\n", "read", "--instance-url", srv.URL, "--access-token-stdin", "--name", "Nope")
	if code != 1 || !strings.Contains(errOut, "no Connected App or External Client App named \"Nope\"") {
		t.Errorf("not found: exit %d stderr %q", code, errOut)
	}
	if code, _, errOut := runApp(t, "", "read", "--instance-url", srv.URL, "--name", "X"); code != 2 || !strings.Contains(errOut, "--access-token-stdin") {
		t.Errorf("no token flag: exit %d %q", code, errOut)
	}
}

// TestAppLintReadiness: --readiness adds what dated platform changes break in this profile and
// app (read from guidance's one table, with its source); without the flag they are not listed.
func TestAppLintReadiness(t *testing.T) {
	args := []string{"lint", "--flow", "username-password", "--settings", writeSettings(t, labSettings)}
	_, plain, _ := runApp(t, "", args...)
	if strings.Contains(plain, "readiness-") {
		t.Fatalf("readiness findings without --readiness:\n%s", plain)
	}
	code, out, errOut := runApp(t, "", append(args, "--readiness")...)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"readiness-unpw-retired", "February 20, 2027", "source: "} {
		if !strings.Contains(out, want) {
			t.Errorf("--readiness output lacks %q:\n%s", want, out)
		}
	}
	code, js, _ := runApp(t, "", append(args, "--readiness", "--json")...)
	var rep lintReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, js)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Code == "readiness-unpw-retired" && f.Source != nil && f.Source.Title != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("JSON lacks readiness-unpw-retired with its source: %s", js)
	}
}
