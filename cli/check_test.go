package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/checkup"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/store"
)

// checkOrg is an emulated org, a test keychain and a profiles folder, with the check command's
// hook set: sfemutest's scripted browser logs the demo user in, and every request goes through
// a transport that keeps the tokens the org sent back.
type checkOrg struct {
	t   *testing.T
	org *sfemutest.Org
	dir string
	kc  store.Keychain
	rec *sfemutest.TokenRecorder
}

func startCheckOrg(t *testing.T, opts ...sfemutest.Option) *checkOrg {
	t.Helper()
	org := sfemutest.Start(t, append([]sfemutest.Option{sfemutest.FreeCallback()}, opts...)...)
	c := &checkOrg{t: t, org: org, dir: t.TempDir(), kc: profilesTestKeychain(t), rec: sfemutest.NewTokenRecorder(t)}
	old := checkHook
	checkHook = func(o *flows.Options) {
		o.Transport = c.rec
		o.OpenBrowser = sfemutest.Browser(sfemu.DemoUser, org.User(t, sfemu.DemoUser).Password)
	}
	t.Cleanup(func() { checkHook = old })
	return c
}

// settings reads app's settings from the org through the Metadata API, as the window's App
// settings tab does with an admin's login.
func (c *checkOrg) settings(app sfemu.DescribedApp) connectedapp.Settings {
	c.t.Helper()
	tok := c.org.PasswordToken(c.t, sfemu.DemoWebAppKey, sfemu.DemoAdminUser)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := (&connectedapp.Reader{InstanceURL: c.org.MyDomainURL, AccessToken: tok.AccessToken}).Read(ctx, "", app.APIName)
	if err != nil {
		c.t.Fatalf("read %s: %v", app.APIName, err)
	}
	return s
}

// addProfile adds profile name for app with `profiles add` (secrets through stdin into the
// keychain, as a user does) and, when s is given, stores the app's settings in it as the
// window's App settings tab does.
func (c *checkOrg) addProfile(name string, app sfemu.DescribedApp, callback string, scopes []string, s *connectedapp.Settings) {
	c.t.Helper()
	u := c.org.LoginUser(c.t, app)
	args := []string{"add", name, "--login-url", c.org.LoginURL, "--my-domain-url", c.org.MyDomainURL, "--client-id", app.ClientID,
		"--callback-url", callback, "--username", u.Username, "--password-stdin", "--security-token-stdin"}
	stdin := ""
	if app.ClientSecret != "" {
		args, stdin = append(args, "--client-secret-stdin"), app.ClientSecret+"\n"
	}
	stdin += u.Password + "\n" + u.SecurityToken + "\n"
	if app.JWTPrivateKey != "" {
		args, stdin = append(args, "--private-key-stdin"), stdin+app.JWTPrivateKey+"\n"
	}
	if len(scopes) > 0 {
		args = append(args, "--scopes", strings.Join(scopes, " "))
	}
	if s != nil && s.Kind == connectedapp.External {
		args = append(args, "--kind", string(store.ExternalClientApp))
	}
	if r := runProfiles(c.t, c.dir, stdin, args...); r.code != 0 {
		c.t.Fatalf("profiles add %s: %+v", name, r)
	}
	if s == nil {
		return
	}
	st, p := storedProfile(c.t, c.dir, c.kc, name)
	var err error
	if p.App.Settings, err = json.Marshal(s); err != nil {
		c.t.Fatal(err)
	}
	if _, err := st.Update(p); err != nil {
		c.t.Fatalf("store the app settings: %v", err)
	}
}

// addAppProfile adds profile name for the app named app on the org's callback URL, with the
// app's settings read from the org (as the window's App settings tab stores them), and
// returns the app.
func (c *checkOrg) addAppProfile(name, app string, scopes []string) sfemu.DescribedApp {
	c.t.Helper()
	a := c.org.App(c.t, app)
	s := c.settings(a)
	c.addProfile(name, a, c.org.CallbackURL, scopes, &s)
	return a
}

// addBareProfile adds profile "bare" for the Web App with no flow and no secrets (they come
// from the environment), and returns the app and the demo user.
func (c *checkOrg) addBareProfile() (sfemu.DescribedApp, sfemu.DescribedUser) {
	c.t.Helper()
	a := c.org.App(c.t, "Web App")
	u := c.org.User(c.t, sfemu.DemoUser)
	if r := runProfiles(c.t, c.dir, "", "add", "bare", "--login-url", c.org.LoginURL, "--my-domain-url", c.org.MyDomainURL, "--client-id", a.ClientID, "--username", u.Username); r.code != 0 {
		c.t.Fatalf("add: %+v", r)
	}
	return a, u
}

// check runs `connectedapplab check --config-dir DIR args...` until ctx ends.
func (c *checkOrg) check(ctx context.Context, stderr io.Writer, args ...string) (int, string) {
	c.t.Helper()
	var out bytes.Buffer
	full := append([]string{"check", "--config-dir", c.dir}, args...)
	code := Main(ctx, full, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: stderr, Getenv: func(string) string { return "" }})
	return code, out.String()
}

func (c *checkOrg) run(args ...string) (int, string, string) {
	c.t.Helper()
	var errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code, out := c.check(ctx, &errb, args...)
	return code, out, errb.String()
}

// checkReportJSON is the documented shape of `check --format json` (checkup.WriteJSON).
type checkReportJSON struct {
	SchemaVersion *int                   `json:"schema_version"`
	Passed        *bool                  `json:"passed"`
	Summary       string                 `json:"summary"`
	Version       string                 `json:"version"`
	Date          time.Time              `json:"date"`
	Profile       string                 `json:"profile"`
	LoginURL      string                 `json:"login_url"`
	ClientID      string                 `json:"client_id"`
	App           string                 `json:"app"`
	SettingsKnown *bool                  `json:"settings_known"`
	Browser       *bool                  `json:"browser"`
	Lint          []connectedapp.Finding `json:"lint"`
	Cancelled     *bool                  `json:"cancelled"`
	Rows          []struct {
		Step       string                 `json:"step"`
		Flow       string                 `json:"flow"`
		Variant    string                 `json:"variant"`
		Status     checkup.Status         `json:"status"`
		Detail     string                 `json:"detail"`
		Meaning    string                 `json:"meaning"`
		Fix        string                 `json:"fix"`
		SetupPath  string                 `json:"setup_path"`
		Lint       []connectedapp.Finding `json:"lint"`
		DurationMS *float64               `json:"duration_ms"`
	} `json:"rows"`
}

func decodeCheck(t *testing.T, out string) checkReportJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var r checkReportJSON
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("check --format json: %v\n%s", err, out)
	}
	if r.SchemaVersion == nil || *r.SchemaVersion != checkup.JSONSchemaVersion || r.Passed == nil || r.SettingsKnown == nil ||
		r.Browser == nil || r.Cancelled == nil || r.Summary == "" || r.Date.IsZero() || r.Version != Version || len(r.Rows) == 0 {
		t.Fatalf("check --format json lacks a documented field: %+v", r)
	}
	for _, row := range r.Rows {
		if row.Step == "" || row.Status == "" || row.Detail == "" || row.DurationMS == nil {
			t.Errorf("row without step, status, detail or duration: %+v", row)
		}
	}
	return r
}

// matrix is the rows as "step" or "jwt-bearer (aud ...)" → status.
func (r checkReportJSON) matrix() map[string]checkup.Status {
	m := map[string]checkup.Status{}
	for _, row := range r.Rows {
		k := row.Step
		if row.Flow == string(flows.JWTBearer) && row.Variant != "" {
			k += " (" + row.Variant + ")"
		}
		m[k] = row.Status
	}
	return m
}

// expectedMatrix is what a checkup without --browser must report for a profile holding the
// app's client secret (if it has one), the demo user's password and security token and the
// app's JWT key, derived from the app's settings as read from the org: flows the settings
// switch off are skipped, flows they allow work, client credentials without a Run As user
// fail; the operations work once any flow made a token.
func expectedMatrix(s connectedapp.Settings, a sfemu.DescribedApp) map[string]checkup.Status {
	w, f, sk := checkup.Works, checkup.Fails, checkup.Skipped
	secret := a.ClientSecret != ""
	m := map[string]checkup.Status{"web-server": sk, "web-server-pkce": sk, "user-agent": sk, "saml-bearer": sk, "refresh": sk}
	m["username-password"] = sk
	if s.Kind == connectedapp.Connected && (s.Org.BlockUsernamePasswordFlow == nil || !*s.Org.BlockUsernamePasswordFlow) && secret {
		m["username-password"] = w
	}
	jwt := s.Certificate != "" && a.JWTPrivateKey != ""
	m["jwt-bearer"] = sk
	if jwt {
		delete(m, "jwt-bearer")
		for _, aud := range []string{"login host", "My Domain", "login.salesforce.com", "test.salesforce.com"} {
			m["jwt-bearer (aud "+aud+")"] = w
		}
	}
	switch {
	case !s.ClientCredentialsEnabled || !secret:
		m["client-credentials"] = sk
	case s.ClientCredentialsUser == "":
		m["client-credentials"] = f
	default:
		m["client-credentials"] = w
	}
	m["device"] = sk
	if s.DeviceFlowEnabled != nil && *s.DeviceFlowEnabled {
		m["device"] = w
	}
	made := m["username-password"] == w || m["client-credentials"] == w || jwt
	m["token-exchange"] = sk
	if s.TokenExchangeEnabled && made {
		m["token-exchange"] = w
	}
	for _, op := range []string{"introspect", "userinfo", "rest", "revoke"} {
		m[op] = sk
		if made && (op != "introspect" || secret) {
			m[op] = w
		}
	}
	return m
}

// Every demo app of the emulated org, checked from a profile that holds its settings: the
// matrix the settings predict, and the exit code that goes with it.
func TestCheckDemoAppsMatrix(t *testing.T) {
	c := startCheckOrg(t)
	if len(c.org.Desc.Apps) < 8 {
		t.Fatalf("the demo org has %d apps", len(c.org.Desc.Apps))
	}
	for i, a := range c.org.Desc.Apps {
		t.Run(a.Name, func(t *testing.T) {
			s := c.settings(a)
			name := "demo-" + string(rune('a'+i))
			c.addProfile(name, a, c.org.CallbackURL, nil, &s)
			code, out, errOut := c.run("--profile", name, "--format", "json")
			r := decodeCheck(t, out)
			want := expectedMatrix(s, a)
			got := r.matrix()
			for k, st := range want {
				if got[k] != st {
					t.Errorf("%s: %s, want %s", k, got[k], st)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected row %s=%s", k, got[k])
				}
			}
			failed := slices.Contains(mapsValues(want), checkup.Fails)
			if wantCode := map[bool]int{false: ExitOK, true: ExitFailed}[failed]; code != wantCode || *r.Passed == failed {
				t.Errorf("exit %d, passed %v; want exit %d (stderr %q)", code, *r.Passed, wantCode, errOut)
			}
			if !*r.SettingsKnown || r.Profile != name || r.ClientID != a.ClientID || *r.Cancelled {
				t.Errorf("settings known %v, profile %q, client ID %q, cancelled %v", *r.SettingsKnown, r.Profile, r.ClientID, *r.Cancelled)
			}
			if t.Failed() {
				t.Logf("report:\n%s", out)
			}
		})
	}
}

func mapsValues(m map[string]checkup.Status) []checkup.Status {
	var out []checkup.Status
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// misconfigured is the demo's lint scenario as its demo profile has it: the Misconfigured App
// (callback on another port than the profile's, no refresh_token scope, client credentials on
// with no Run As user), a profile with the free callback and "api refresh_token".
func misconfigured(t *testing.T) (*checkOrg, sfemu.DescribedApp, connectedapp.Settings) {
	c := startCheckOrg(t, sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].Name == "Misconfigured App" {
				o.Apps[i].CallbackURLs = []string{"http://localhost:1718/callback"} // not the free one the profile uses
			}
		}
	}))
	a := c.org.App(t, "Misconfigured App")
	s := c.settings(a)
	c.addProfile("mis", a, c.org.CallbackURL, []string{"api", "refresh_token"}, &s)
	return c, a, s
}

// The misconfigured app with the browser flows: they fail on the callback, client credentials
// fail on the missing Run As user, the refresh flow is not allowed; each with the fix the
// app's lint gives, in the text report.
func TestCheckMisconfiguredAppFailuresAndFixes(t *testing.T) {
	c, _, s := misconfigured(t)
	code, out, errOut := c.run("--profile", "mis", "--browser", "--listen-timeout", "1s")
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	lintFix := func(f flows.Flow, code string) connectedapp.Finding {
		t.Helper()
		p := connectedapp.Profile{Flow: f, CallbackURL: c.org.CallbackURL, Scopes: []string{"api", "refresh_token"}, LoginURL: c.org.LoginURL}
		for _, fd := range connectedapp.LintAt(p, s, time.Now()) {
			if strings.HasPrefix(fd.Code, code) && fd.Severity == connectedapp.Error {
				return fd
			}
		}
		t.Fatalf("lint of %s gives no %s error", f, code)
		return connectedapp.Finding{}
	}
	lines := strings.Split(out, "\n")
	row := func(step string) []string { // the row's line and its fix and where lines
		t.Helper()
		for i, l := range lines {
			if f := strings.Fields(l); len(f) > 1 && f[1] == step {
				end := i + 1
				for end < len(lines) && strings.HasPrefix(lines[end], "    ") {
					end++
				}
				return lines[i:end]
			}
		}
		t.Fatalf("no row %s in:\n%s", step, out)
		return nil
	}
	for _, tc := range []struct {
		step, status string
		fix          connectedapp.Finding
	}{
		{"web-server", "fails", lintFix(flows.WebServer, "callback-")},
		{"web-server-pkce", "fails", lintFix(flows.WebServerPKCE, "callback-")},
		{"client-credentials", "fails", lintFix(flows.ClientCredentials, "client-credentials-no-user")},
		{"refresh", "skipped", lintFix(flows.Refresh, "refresh-token-not-selected")},
	} {
		r := row(tc.step)
		text := strings.Join(r, "\n")
		if !strings.HasPrefix(r[0], tc.status+" ") || !strings.Contains(text, "fix: "+tc.fix.Fix) || !strings.Contains(text, "where: "+tc.fix.SetupPath) {
			t.Errorf("%s: want %s with the fix %q (where %q):\n%s", tc.step, tc.status, tc.fix.Fix, tc.fix.SetupPath, text)
		}
	}
	if r := row("client-credentials"); !strings.Contains(r[0], "no client credentials user") {
		t.Errorf("client-credentials does not say what the org answered: %s", r[0])
	}
	if r := row("username-password"); !strings.HasPrefix(r[0], "works ") {
		t.Errorf("username-password (the org grants the app's scopes): %s", r[0])
	}
	// The lint section says each finding once.
	lint := out[strings.Index(out, "Lint: "):strings.Index(out, "\nskipped ")]
	if n := strings.Count(lint, "refresh-token-not-selected"); n != 1 {
		t.Errorf("the lint section names refresh-token-not-selected %d times:\n%s", n, lint)
	}
	if !strings.Contains(lint, "error callback-") {
		t.Errorf("the lint section has no callback error:\n%s", lint)
	}
}

// Each format parses: JSON to the documented schema, HTML as a well-formed page whose table
// has a row per step, Markdown with the matrix table; --out files are 0600.
func TestCheckFormatsParse(t *testing.T) {
	c := startCheckOrg(t)
	c.addAppProfile("int", "Integration App", nil)
	dir := t.TempDir()
	read := func(format string) string {
		t.Helper()
		path := filepath.Join(dir, "report."+format)
		code, out, errOut := c.run("--profile", "int", "--format", format, "--out", path)
		if code != ExitOK || out != "" || !strings.Contains(errOut, "the report is in "+path) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q", format, code, out, errOut)
		}
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v; want 0600", path, err, st.Mode())
		}
		b, _ := os.ReadFile(path)
		return string(b)
	}
	r := decodeCheck(t, read("json"))
	steps := len(r.Rows)
	text := strings.Split(strings.TrimSpace(read("text")), "\n")
	if !*r.Passed || r.Summary != text[len(text)-1] || len(text) < steps {
		t.Errorf("passed %v, summary %q; text:\n%s", *r.Passed, r.Summary, strings.Join(text, "\n"))
	}

	page := read("html")
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict, dec.AutoClose, dec.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	var open []string
	trs, tds := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the HTML report does not parse: %v\n%s", err, page)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			open = append(open, el.Name.Local)
			if el.Name.Local == "tr" {
				trs++
			}
			if el.Name.Local == "td" {
				tds++
			}
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != el.Name.Local {
				t.Fatalf("the HTML report closes <%s> inside %v", el.Name.Local, open)
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) != 0 || trs != steps+1 || tds != 4*steps || !strings.Contains(page, "<title>Checkup of profile int:") {
		t.Errorf("HTML: unclosed %v, %d rows and %d cells for %d steps", open, trs, tds, steps)
	}

	md := read("md")
	i := strings.Index(md, "| Step | Result | Detail | Fix |\n|---|---|---|---|\n")
	if i < 0 || !strings.HasPrefix(md, "# Checkup of profile int: ") {
		t.Fatalf("Markdown without the matrix table:\n%s", md)
	}
	var table []string
	for _, l := range strings.Split(md[i:], "\n")[2:] {
		if !strings.HasPrefix(l, "| ") {
			break
		}
		table = append(table, l)
	}
	if len(table) != steps {
		t.Errorf("Markdown table has %d rows for %d steps", len(table), steps)
	}
	for j, l := range table {
		if cells := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); cells != 5 || !strings.Contains(l, " | "+string(r.Rows[j].Status)+" | ") {
			t.Errorf("Markdown row %d (%s): %q", j, r.Rows[j].Step, l)
		}
	}
}

// No secret of the profile and no token the checkup obtained appears in any format, on
// stdout or on stderr (with --progress), when every flow works (the Web App with the browser
// flows: access, refresh and ID tokens) and when flows fail (the misconfigured app).
func TestCheckRedactsSecretsInEveryFormat(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T) (*checkOrg, string, []string)
		code  int
	}{
		{"all work", func(t *testing.T) (*checkOrg, string, []string) {
			c := startCheckOrg(t)
			a := c.addAppProfile("web", "Web App", []string{"api", "refresh_token", "openid"})
			return c, "web", []string{a.ClientSecret}
		}, ExitOK},
		{"flows fail", func(t *testing.T) (*checkOrg, string, []string) {
			c, a, _ := misconfigured(t)
			return c, "mis", []string{a.ClientSecret}
		}, ExitFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, profile, secrets := tc.setup(t)
			u := c.org.User(t, sfemu.DemoUser)
			secrets = append(secrets, u.Password, u.SecurityToken, u.Password+u.SecurityToken)
			dir := t.TempDir()
			for _, format := range []string{"text", "md", "html", "json"} {
				path := filepath.Join(dir, "report."+format)
				before := len(c.rec.Tokens())
				code, out, errOut := c.run("--profile", profile, "--browser", "--listen-timeout", "1s", "--progress", "--format", format, "--out", path)
				if code != tc.code {
					t.Errorf("%s: exit %d, want %d: %s", format, code, tc.code, errOut)
				}
				if !strings.Contains(errOut, "· username-password: works") {
					t.Errorf("%s: no progress on stderr:\n%s", format, errOut)
				}
				file, _ := os.ReadFile(path)
				made := c.rec.Tokens()[before:]
				if len(made) == 0 {
					t.Fatalf("%s: the org issued no token; nothing to look for", format)
				}
				for where, text := range map[string]string{"stdout": out, "stderr": errOut, format + " report": string(file)} {
					for _, s := range append(slices.Clone(secrets), made...) {
						if s != "" && strings.Contains(text, s) {
							t.Errorf("%s: %s shows a secret (%.8s…)", format, where, s)
						}
					}
				}
			}
			if n := c.rec.Kinds(); tc.name == "all work" && n != 3 {
				t.Errorf("the runs obtained %d kinds of token; the test should look for access, refresh and ID tokens", n)
			}
		})
	}
}

// Bad input is one line on stderr, exit 2, nothing on stdout, nothing sent to the org and
// no file written.
func TestCheckBadInput(t *testing.T) {
	c := startCheckOrg(t)
	a := c.org.App(t, "Web App")
	c.addProfile("web", a, c.org.CallbackURL, nil, nil)
	dir := t.TempDir()
	existing := filepath.Join(dir, "old.md")
	os.WriteFile(existing, []byte("keep me"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--profile", "nope", "--out", existing}, `profile "nope"`},
		{[]string{}, "--profile is required"},
		{[]string{"--profile", "web", "--format", "xml", "--out", existing}, `--format "xml" is not a format; use text, md, html or json`},
		{[]string{"--profile", "web", "--format", "markdown"}, `--format "markdown" is not a format; use text, md, html or json`},
		{[]string{"--profile", "web", "--out", filepath.Join(dir, "no", "such", "dir", "r.md")}, "choose a file in a directory you can write"},
		{[]string{"--profile", "web", "--out", filepath.Join(dir, "sub")}, "is a directory, not a file"},
		{[]string{"--profile", "web", "--request-timeout", "0s"}, "--request-timeout 0s is out of range"},
		{[]string{"--profile", "web", "extra"}, `unexpected argument "extra"`},
		{[]string{"--profile", "web", "--settings", filepath.Join(dir, "missing.json")}, "--settings"},
	} {
		code, out, errOut := c.run(tc.args...)
		if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "check: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", tc.args, code, out, errOut, tc.want)
		}
	}
	if n := c.rec.Requests(); n != 0 {
		t.Errorf("bad input sent %d requests", n)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("bad input changed the --out file: %q", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("bad input left files behind: %v", ents)
	}
	// -h is the usage, exit 0.
	code, _, errOut := c.run("-h")
	if code != ExitOK || !strings.Contains(errOut, "usage: connectedapplab check --profile P") || !strings.Contains(errOut, "Exit codes: 0") ||
		!strings.Contains(errOut, "[--format text|md|html|json]") || !strings.Contains(errOut, "the report's format: text, md, html or json") {
		t.Errorf("-h: exit %d, %q", code, errOut)
	}
}

// --out replaces an existing file whole, as 0600, and leaves no temporary file.
func TestCheckOutReplacesTheFileWhole(t *testing.T) {
	c := startCheckOrg(t)
	a := c.org.App(t, "Web App")
	c.addProfile("web", a, c.org.CallbackURL, nil, nil)
	dir := t.TempDir()
	path := filepath.Join(dir, "checkup.md")
	os.WriteFile(path, []byte(strings.Repeat("old report\n", 5000)), 0o644)
	code, _, errOut := c.run("--profile", "web", "--format", "md", "--out", path)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _ := os.ReadFile(path)
	st, _ := os.Stat(path)
	if strings.Contains(string(b), "old report") || !strings.HasPrefix(string(b), "# Checkup of profile web: ") || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, content %.200q", st.Mode(), b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files left in the folder: %v", ents)
	}
	// Without settings in the profile the lint is skipped, and says how to give them.
	code, out, _ := c.run("--profile", "web")
	if code != ExitOK || !strings.Contains(out, "Lint: skipped") || !strings.Contains(out, "--settings FILE") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// cancelOn is stderr that cancels the command (as Ctrl-C does) once it has printed line.
type cancelOn struct {
	mu     sync.Mutex
	b      bytes.Buffer
	line   string
	cancel context.CancelFunc
}

func (w *cancelOn) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.line) {
		w.cancel()
	}
	return len(p), nil
}

// Ctrl-C after the first token came back: the steps after it are cancelled, the report is
// still written, revoke still runs and the token no longer works; exit 1.
func TestCheckCtrlCRevokesWhatItMade(t *testing.T) {
	c := startCheckOrg(t)
	a := c.addAppProfile("int", "Integration App", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stderr := &cancelOn{line: "· username-password: works", cancel: cancel}
	start := time.Now()
	code, out := c.check(ctx, stderr, "--profile", "int", "--progress", "--format", "json")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the cancelled checkup took %v", d)
	}
	r := decodeCheck(t, out)
	if code != ExitFailed || !*r.Cancelled || *r.Passed {
		t.Errorf("exit %d, cancelled %v, passed %v", code, *r.Cancelled, *r.Passed)
	}
	after := false
	for _, row := range r.Rows {
		switch {
		case row.Step == "username-password":
			after = row.Status == checkup.Works
		case row.Step == "revoke":
			if row.Status != checkup.Works || !strings.HasPrefix(row.Detail, "after the cancel: revoked") {
				t.Errorf("revoke %s: %s", row.Status, row.Detail)
			}
		case after && row.Status != checkup.Cancelled:
			t.Errorf("%s after the cancel: %s", row.Step, row.Status)
		}
	}
	if !after {
		t.Fatalf("username-password did not work before the cancel:\n%s", out)
	}
	errOut := stderr.b.String()
	if lines := strings.Split(strings.TrimSpace(errOut), "\n"); !strings.HasPrefix(lines[len(lines)-1], "check: cancelled: ") ||
		!strings.Contains(lines[len(lines)-1], "revoke: after the cancel: revoked") {
		t.Errorf("stderr does not end with the cancel:\n%s", errOut)
	}
	toks := c.rec.Tokens()
	if len(toks) != 1 {
		t.Fatalf("the org issued %d tokens before the cancel, want 1", len(toks))
	}
	req := flows.Request{LoginURL: c.org.LoginURL, ClientID: a.ClientID, ClientSecret: a.ClientSecret,
		Options: flows.Options{RequestTimeout: 10 * time.Second}}
	in, _, err := flows.Introspect(context.Background(), req, toks[0], "access_token")
	if err != nil || in.Active {
		t.Errorf("the token made before the cancel: active %v, %v; want revoked", in != nil && in.Active, err)
	}
}

// stderrProbe is stderr that calls on for each write.
type stderrProbe struct {
	mu sync.Mutex
	b  bytes.Buffer
	on func(p string)
}

func (w *stderrProbe) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	w.on(string(p))
	return len(p), nil
}

// A cancel with tokens to revoke is answered at once on stderr, progress or not (stderr is
// no terminal here), before the revoke asks the org anything.
func TestCheckCancelSaysItRevokes(t *testing.T) {
	c := startCheckOrg(t)
	c.addAppProfile("int", "Integration App", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	atCancel, atNotice := -1, -1
	c.rec.OnToken(func() {
		if atCancel < 0 {
			atCancel = c.rec.Requests()
			cancel()
		}
	})
	const line = "check: cancelled; revoking 1 token the checkup made (up to 15 s)\n"
	stderr := &stderrProbe{on: func(p string) {
		if p == line {
			atNotice = c.rec.Requests()
		}
	}}
	code, _ := c.check(ctx, stderr, "--profile", "int", "--format", "json")
	if code != ExitFailed || atCancel < 0 {
		t.Fatalf("exit %d, cancelled after request %d; stderr:\n%s", code, atCancel, stderr.b.String())
	}
	if atNotice != atCancel {
		t.Errorf("the notice came after request %d, the cancel after %d (want it before any revoke); stderr:\n%s", atNotice, atCancel, stderr.b.String())
	}
}

// check opens the profile store once: the profile it checks, its secrets and its app
// settings come from one reading (the settings are used: lint runs).
func TestCheckOpensTheStoreOnce(t *testing.T) {
	c := startCheckOrg(t)
	c.addAppProfile("int", "Integration App", nil)
	opens, kc := 0, profilesKeychain
	profilesKeychain = func() store.Keychain { opens++; return kc() }
	defer func() { profilesKeychain = kc }()
	code, out, errOut := c.run("--profile", "int", "--format", "json")
	if r := decodeCheck(t, out); code != ExitOK || !*r.SettingsKnown {
		t.Fatalf("exit %d, settings known %v: %s", code, *r.SettingsKnown, errOut)
	}
	if opens != 1 {
		t.Errorf("check opened the store %d times, want once", opens)
	}
}

// check reads the same environment variables as run: SF_REFRESH_TOKEN is the profile's
// refresh token (kept, as the app's settings are unknown), and neither it nor SF_SUBJECT_TOKEN is printed.
func TestCheckReadsEverySecretVariableRunReads(t *testing.T) {
	c := startCheckOrg(t)
	a, u := c.addBareProfile()
	env := map[string]string{"SF_CLIENT_SECRET": a.ClientSecret, "SF_PASSWORD": u.Password, "SF_SECURITY_TOKEN": u.SecurityToken,
		"SF_REFRESH_TOKEN": "5Aep861-not-a-real-refresh-token-from-the-environment", "SF_SUBJECT_TOKEN": "00D-not-a-real-subject-token-from-the-environment"}
	var out, errb bytes.Buffer
	Main(context.Background(), []string{"check", "--config-dir", c.dir, "--memory-secrets", "--profile", "bare", "--format", "json"},
		&Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	r := decodeCheck(t, out.String())
	found := false
	for _, row := range r.Rows {
		if row.Step == "refresh" {
			found = true
			if strings.HasPrefix(row.Detail, "no refresh token") || !strings.Contains(row.Detail, "the profile's stored refresh token") {
				t.Errorf("refresh %s: %s; want SF_REFRESH_TOKEN taken as the profile's refresh token", row.Status, row.Detail)
			}
		}
	}
	if !found {
		t.Errorf("no refresh row:\n%s", out.String())
	}
	for k, s := range env {
		if strings.Contains(out.String()+errb.String(), s) {
			t.Errorf("%s was printed", k)
		}
	}
	var help bytes.Buffer
	Main(context.Background(), []string{"check", "-h"}, &Env{Stdout: &help, Stderr: &help})
	if !strings.Contains(help.String(), secretEnvList()) || !strings.Contains(help.String(), "SF_SUBJECT_TOKEN") {
		t.Errorf("check -h does not list the variables:\n%s", help.String())
	}
}

// With --memory-secrets (no keychain), the secrets come from the environment, as for run.
func TestCheckSecretsFromTheEnvironment(t *testing.T) {
	c := startCheckOrg(t)
	a, u := c.addBareProfile()
	env := map[string]string{"SF_CLIENT_SECRET": a.ClientSecret, "SF_PASSWORD": u.Password, "SF_SECURITY_TOKEN": u.SecurityToken}
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"check", "--config-dir", c.dir, "--memory-secrets", "--profile", "bare", "--format", "json"},
		&Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	r := decodeCheck(t, out.String())
	if code != ExitOK || r.matrix()["username-password"] != checkup.Works || r.matrix()["introspect"] != checkup.Works {
		t.Errorf("exit %d, matrix %v, stderr %s", code, r.matrix(), errb.String())
	}
	if n := strings.Count(errb.String(), "--memory-secrets:"); n != 1 {
		t.Errorf("the --memory-secrets notice %d times:\n%s", n, errb.String())
	}
	for _, s := range env {
		if strings.Contains(out.String()+errb.String(), s) {
			t.Errorf("a secret from the environment was printed")
		}
	}
}

// A browser that cannot be opened: the URL to open by hand is on stderr even without
// --progress; with --progress the flows' own steps are there too, under their step.
func TestCheckShowsTheURLWhenNoBrowserOpens(t *testing.T) {
	c := startCheckOrg(t)
	checkHook = func(o *flows.Options) {
		o.Transport = c.rec
		o.OpenBrowser = func(context.Context, string) error { return errors.New("no display") }
	}
	a := c.org.App(t, "Web App")
	c.addProfile("web", a, c.org.CallbackURL, nil, nil)
	code, _, errOut := c.run("--profile", "web", "--browser", "--listen-timeout", "1s")
	if code != ExitFailed || strings.Count(errOut, "check: could not open a browser (no display); open this URL yourself: "+c.org.LoginURL+"/services/oauth2/authorize?") != 3 {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	_, _, errOut = c.run("--profile", "web", "--browser", "--listen-timeout", "1s", "--progress")
	if !strings.Contains(errOut, "· web-server ...\n    listening on "+c.org.CallbackURL) || !strings.Contains(errOut, "\n    could not open a browser (no display)") {
		t.Errorf("--progress:\n%s", errOut)
	}
	if strings.Contains(errOut, a.ClientSecret) || strings.Contains(errOut, c.org.User(t, sfemu.DemoUser).Password) {
		t.Error("stderr shows a secret")
	}
}
