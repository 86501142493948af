package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

var updateAnswer = flag.Bool("update", false, "rewrite testdata/answer/* from the current output")

// answerClock is the fixed time of the demo goldens: the emulated org issues tokens at it and
// the guidance reads it as now.
var answerClock = time.Date(2026, time.September, 14, 10, 0, 0, 0, time.UTC)

// demoScenario is one demo profile of the window (ui/wire DemoProfiles), run headless.
type demoScenario struct {
	name, app string
	flow      flows.Flow
	user      string
	scopes    []string
	badCB     bool // the profile's callback is not on the app (the misconfigured app)
	intro     bool // introspect after the run (--introspect): the 30-minute profile's real timeout
}

var demoScenarios = []demoScenario{
	{"01-username-password", "Web App", flows.UsernamePassword, sfemu.DemoUser, nil, false, false},
	{"02-username-password-30-minute-profile", "Web App", flows.UsernamePassword, sfemu.DemoShortUser, nil, false, true},
	{"03-web-server-pkce-refresh-token", "Web App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token", "openid"}, false, false},
	{"04-mobile-app-no-refresh-token-scope", "Mobile App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token"}, false, false},
	{"05-jwt-bearer", "Integration App", flows.JWTBearer, sfemu.DemoUser, nil, false, false},
	{"06-client-credentials", "Integration App", flows.ClientCredentials, "", nil, false, false},
	{"07-device", "Device App", flows.Device, sfemu.DemoUser, []string{"api", "refresh_token"}, false, false},
	{"08-eca-pkce-rotation", "ECA PKCE", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token", "openid"}, false, false},
	{"09-frozen-user", "Web App", flows.UsernamePassword, sfemu.DemoFrozenUser, nil, false, false},
	{"10-admin", "Web App", flows.UsernamePassword, sfemu.DemoAdminUser, []string{"api"}, false, false},
	{"11-misconfigured-app", "Misconfigured App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token"}, true, false},
	{"12-five-approvals", "Approvals App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token"}, false, false},
	// Not a window profile: the Mobile App asked only for what it allows, so a token comes back
	// without a refresh token, and the answer says why.
	{"13-mobile-app-api-only", "Mobile App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api"}, false, false},
}

// demoRun is one scenario's result, rendered three ways.
type demoRun struct {
	def, verbose, json string
	rep                guidance.Report
	mask               func(string) string
}

// runDemoScenarios runs every demo scenario against one emulated org on a fixed clock and
// renders each result as `run` prints it by default, with --verbose and with --json.
func runDemoScenarios(t *testing.T) map[string]demoRun {
	t.Helper()
	port := fmt.Sprint(sfemutest.FreePort(t))
	cb := "http://127.0.0.1:" + port + "/callback"
	org := sfemu.Demo()
	org.Behaviour.DeviceIntervalSeconds = 1
	for i := range org.Apps {
		if org.Apps[i].Name != "Misconfigured App" {
			org.Apps[i].CallbackURLs = append(org.Apps[i].CallbackURLs, cb)
		}
	}
	clk := sfemu.NewFakeClock(answerClock)
	e, err := sfemu.Start(org, "127.0.0.1:0", sfemu.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	d := e.Describe()
	app := func(name string) sfemu.DescribedApp {
		for _, a := range d.Apps {
			if a.Name == name {
				return a
			}
		}
		t.Fatalf("no demo app %q", name)
		return sfemu.DescribedApp{}
	}
	user := func(name string) sfemu.DescribedUser {
		for _, u := range d.Users {
			if u.Username == name {
				return u
			}
		}
		return sfemu.DescribedUser{Username: name}
	}
	mask := goldenMask(e.LoginURL, e.MyDomainURL, port)
	out := map[string]demoRun{}
	for _, sc := range demoScenarios {
		a, u := app(sc.app), user(sc.user)
		req := flows.Request{Flow: sc.flow, LoginURL: e.LoginURL, MyDomainURL: e.MyDomainURL, ClientID: a.ClientID,
			ClientSecret: a.ClientSecret, CallbackURL: cb, Scopes: sc.scopes, Username: u.Username, Password: u.Password,
			SecurityToken: u.SecurityToken,
			Options: flows.Options{ListenTimeout: 2 * time.Second, RequestTimeout: 10 * time.Second, PollInterval: 200 * time.Millisecond,
				Now: clk.Now, OpenBrowser: sfemutest.Browser(u.Username, u.Password)}}
		if sc.badCB {
			req.CallbackURL = "http://127.0.0.1:" + fmt.Sprint(sfemutest.FreePort(t)) + "/OauthRedirect"
		}
		switch sc.flow {
		case flows.ClientCredentials:
			req.LoginURL = e.MyDomainURL
		case flows.JWTBearer:
			req.JWTPrivateKeyPEM = []byte(a.JWTPrivateKey)
			req.Username = a.JWTUsername
		}
		kind := guidance.AppConnected
		if a.Kind == guidance.AppExternalClient {
			kind = guidance.AppExternalClient
		}
		// The device code is approved before the first poll, so the transcript is the same every run.
		res, err := flows.Run(context.Background(), req, func(p flows.Progress) {
			if p.Step == "user-code" {
				if err := sfemutest.Browser(u.Username, u.Password, p.UserCode)(context.Background(), p.VerificationURL); err != nil {
					t.Errorf("%s: approving the device: %v", sc.name, err)
				}
			}
		})
		var in *flows.Introspection
		if sc.intro && err == nil {
			if in, _, err = flows.Introspect(context.Background(), req, res.Token.AccessToken, "access_token"); err != nil {
				t.Fatalf("%s: introspect: %v", sc.name, err)
			}
		}
		rep := guidance.Explain(guidance.Input{Flow: sc.flow, Settings: guidance.Settings{AppKind: kind}, Result: res,
			Introspection: in, Now: clk.Now(), RequestedScopes: req.Scopes})
		f := &runFlags{req: req}
		render := func(o showOptions, asJSON bool) string {
			f.asJSON = asJSON
			var b, eb bytes.Buffer
			report(&Env{Stdout: NewTerminalWriter(&b), Stderr: &eb}, o, f, res, in, &rep, err)
			return b.String()
		}
		all := map[string]bool{}
		for _, s := range showSections {
			all[s] = true
		}
		out[sc.name] = demoRun{
			def:     render(showOptions{sections: map[string]bool{}, width: 80}, false),
			verbose: render(showOptions{sections: all, verbose: true, width: 80}, false),
			json:    render(showOptions{}, true),
			rep:     rep, mask: mask,
		}
	}
	return out
}

// goldenMask replaces what changes from run to run: hosts and ports, tokens, codes, nonces,
// signatures, durations.
func goldenMask(login, myDomain, port string) func(string) string {
	type rule struct {
		re   *regexp.Regexp
		with string
	}
	rules := []rule{
		{regexp.MustCompile(`(?i)\b(code|code_verifier|code_challenge|state|nonce|device_code|user_code|tx|assertion|client_assertion|token|access_token|refresh_token|id_token|signature|jti|sid)(=|": ?"|\\":\\")[A-Za-z0-9._~%+/=!*\-…]{6,}`), `$1$2<masked>`},
		{regexp.MustCompile(`[A-Za-z0-9!._\-]{4,}…[A-Za-z0-9!._\-]{2,}`), `<token>`},
		{regexp.MustCompile(`\b(Date|Expires|Last-Modified)": \[\s*"[^"]*"\s*\]`), `$1": ["<time>"]`},
		{regexp.MustCompile(`\((\d+(\.\d+)?)(ms|s|µs|m\d+(\.\d+)?s)\)`), `(<duration>)`},
		{regexp.MustCompile(`"(duration_ms|ms)": [0-9.e\-]+`), `"$1": 0`},
		{regexp.MustCompile(`127\.0\.0\.1(:|%3A)\d+`), `127.0.0.1${1}PORT`},
		{regexp.MustCompile(`key \\?"[^"\\]+\\?"`), `key "<kid>"`},
	}
	// Signatures, keys and other random base64: long, with digits and both cases.
	b64 := regexp.MustCompile(`[A-Za-z0-9+/_\-]{40,}={0,2}`)
	random := func(m string) string {
		if strings.ContainsAny(m, "0123456789") && strings.ToLower(m) != m && strings.ToUpper(m) != m {
			return "<random>"
		}
		return m
	}
	return func(s string) string {
		s = b64.ReplaceAllStringFunc(s, random)
		s = strings.ReplaceAll(s, login, "http://LOGIN")
		s = strings.ReplaceAll(s, myDomain, "http://MYDOMAIN")
		for _, r := range rules {
			s = r.re.ReplaceAllString(s, r.with)
		}
		return s
	}
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateAnswer {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -run TestDemoAnswerGoldens -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output; run go test ./cli -run TestDemoAnswerGoldens -update and review the diff.\n--- got:\n%s", path, got)
	}
}

// stableJSON masks the volatile values of --json output and prints it with sorted keys.
func stableJSON(t *testing.T, mask func(string) string, s string) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
	return mask(b.String())
}

// TestDemoAnswerGoldens: the default, --verbose and --json output of every demo scenario, run
// against the emulated org on a fixed clock. The default output starts with the three answer
// lines, and the founding question's fits in 25 lines.
func TestDemoAnswerGoldens(t *testing.T) {
	runs := runDemoScenarios(t)
	for _, sc := range demoScenarios {
		r := runs[sc.name]
		t.Run(sc.name, func(t *testing.T) {
			for _, label := range []string{"Lifetime ", "Refresh token ", "Do this next "} {
				if !strings.Contains(r.def, "\n"+label) && !strings.HasPrefix(r.def, label) {
					t.Errorf("default output lacks the %q line:\n%s", label, r.def)
				}
			}
			if !strings.HasPrefix(r.def, "Lifetime ") || !strings.HasPrefix(r.verbose, "Lifetime ") {
				t.Errorf("output does not start with the answer:\n%s", r.def)
			}
			for _, l := range strings.Split(r.def+r.verbose, "\n") {
				if n := len([]rune(l)); n > 80 && !strings.Contains(l, "curl ") && !strings.Contains(l, "://") && !strings.HasPrefix(strings.TrimSpace(l), "[") {
					t.Errorf("line of %d runes at width 80: %q", n, l)
				}
			}
			checkGolden(t, filepath.Join("testdata", "answer", sc.name+".txt"), r.mask(r.def))
			checkGolden(t, filepath.Join("testdata", "answer", sc.name+".verbose.txt"), r.mask(r.verbose))
			checkGolden(t, filepath.Join("testdata", "answer", sc.name+".json"), stableJSON(t, r.mask, r.json))
			checkRunJSONSchema(t, r.json)
		})
	}
	if n := strings.Count(runs["01-username-password"].def, "\n"); n > 25 {
		t.Errorf("the founding question's default output has %d lines, want at most 25:\n%s", n, runs["01-username-password"].def)
	}
}

// TestDemoOutputSaysEachFactOnce fails when a sentence of the output appears twice in it, in
// the default or the --verbose output of any demo scenario; and when one of the facts the
// issue found repeated (no expires_in, the assumed timeout, the retirement date) appears
// more than once.
func TestDemoOutputSaysEachFactOnce(t *testing.T) {
	runs := runDemoScenarios(t)
	for _, sc := range demoScenarios {
		r := runs[sc.name]
		for kind, out := range map[string]string{"default": r.def, "verbose": r.verbose} {
			if d := repeatedSentences(out); len(d) > 0 {
				t.Errorf("%s %s: said more than once: %q\n%s", sc.name, kind, d, out)
			}
			flat := strings.Join(strings.Fields(out), " ")
			for _, phrase := range []string{"sends no expires_in", "your org may differ", "retires on February 20, 2027"} {
				if n := strings.Count(flat, phrase); n > 1 {
					t.Errorf("%s %s: %q %d times", sc.name, kind, phrase, n)
				}
			}
			// Every item of the report that is shown is shown once.
			var items []string
			for _, l := range r.rep.Answer.Lines() {
				items = append(items, l.Text)
			}
			for _, a := range r.rep.Advice {
				items = append(items, a.Reason, a.Fix)
			}
			for _, row := range r.rep.Lifetimes {
				items = append(items, row.Note)
			}
			for _, p := range r.rep.Platform {
				items = append(items, p.Change)
			}
			for _, it := range items {
				if it = strings.Join(strings.Fields(it), " "); len(it) > 20 && strings.Count(flat, it) > 1 {
					t.Errorf("%s %s: %q shown %d times", sc.name, kind, it, strings.Count(flat, it))
				}
			}
		}
	}
}

// TestRepeatedSentencesFindsARepeat: the check above can fail.
func TestRepeatedSentencesFindsARepeat(t *testing.T) {
	out := "Lifetime       Not long lived: a session. Salesforce sends no expires_in at\n               all here.\nFacts\n  - Salesforce sends no\n    expires_in at all here.\n"
	if d := repeatedSentences(out); len(d) != 1 || d[0] != "salesforce sends no expires_in at all here" {
		t.Errorf("repeatedSentences = %q", d)
	}
	if d := repeatedSentences("One sentence that is long enough. Another sentence that is long enough."); len(d) != 0 {
		t.Errorf("no repeat, yet %q", d)
	}
}

var (
	sentenceEnd = regexp.MustCompile(`[.;!?]\s+`)
	// transcriptLine matches the lines of the transcript section (requests and curl commands:
	// data that repeats by nature, like the device flow's polls).
	transcriptLine = regexp.MustCompile(`(?m)^(  \[[a-z-]+\] [A-Z]+ |      curl ).*$`)
	blocks         = regexp.MustCompile(`\n\s*\n`)
	unindented     = regexp.MustCompile(`\n(\S)`)
)

// repeatedSentences returns the sentences (of 25 characters or more, compared without case,
// wrapping and list marks) that appear more than once in out. A heading or an answer label
// starts a new block.
func repeatedSentences(out string) []string {
	out = transcriptLine.ReplaceAllString(out, "")
	out = unindented.ReplaceAllString(out, "\n\n$1")
	all := strings.ToLower(strings.Join(strings.Fields(out), " "))
	seen := map[string]int{}
	for _, block := range blocks.Split(out, -1) {
		flat := strings.Join(strings.Fields(block), " ")
		for _, s := range sentenceEnd.Split(flat, -1) {
			s = strings.ToLower(strings.Trim(strings.TrimSpace(s), ".;:!?- "))
			if len(s) >= 25 {
				seen[s] = strings.Count(all, s) // a label before it (a heading, a list mark) does not hide a repeat
			}
		}
	}
	var d []string
	for s, n := range seen {
		if n > 1 {
			d = append(d, s)
		}
	}
	sort.Strings(d)
	return d
}

// checkRunJSONSchema checks --json output against the schema documented in run.go (and the
// README): version, the answer's three lines with severity and source, the items with IDs and
// sources.
func checkRunJSONSchema(t *testing.T, out string) {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	want := func(m map[string]any, key, typ, where string) any {
		x, ok := m[key]
		if !ok {
			t.Errorf("%s: no %q", where, key)
			return nil
		}
		okType := false
		switch typ {
		case "string":
			_, okType = x.(string)
		case "number":
			_, okType = x.(float64)
		case "bool":
			_, okType = x.(bool)
		case "object":
			_, okType = x.(map[string]any)
		case "array":
			_, okType = x.([]any)
		case "object|null":
			_, okType = x.(map[string]any)
			okType = okType || x == nil
		}
		if !okType {
			t.Errorf("%s: %q is %T, want %s", where, key, x, typ)
		}
		return x
	}
	if v["schema_version"] != float64(runSchemaVersion) {
		t.Errorf("schema_version = %v, want %d", v["schema_version"], runSchemaVersion)
	}
	for k, typ := range map[string]string{"ok": "bool", "flow": "string", "login_url": "string", "token": "object|null",
		"refresh_token_issued": "bool", "refresh_token_rotated": "bool", "granted_scopes": "array", "requested_scopes": "array",
		"instance_url": "string", "checks": "array", "timings": "array", "duration_ms": "number", "transcript": "array",
		"answer": "object", "guidance": "object"} {
		want(v, k, typ, "run")
	}
	checkAnswer := func(x any, where string) {
		a, _ := x.(map[string]any)
		for _, k := range []string{"lifetime", "refresh_token", "do_this_next"} {
			l, _ := want(a, k, "object", where).(map[string]any)
			if l == nil {
				continue
			}
			if s, _ := want(l, "text", "string", where+"."+k).(string); s == "" {
				t.Errorf("%s.%s: empty text", where, k)
			}
			if s, _ := want(l, "severity", "string", where+"."+k).(string); s != "info" && s != "warning" && s != "error" {
				t.Errorf("%s.%s: severity %q", where, k, s)
			}
			if src, ok := l["source"]; ok {
				if m, _ := src.(map[string]any); m == nil || m["title"] == "" {
					t.Errorf("%s.%s: source %v without a title", where, k, src)
				}
			}
		}
	}
	checkAnswer(v["answer"], "answer")
	g, _ := v["guidance"].(map[string]any)
	if g == nil {
		return
	}
	checkAnswer(want(g, "answer", "object", "guidance"), "guidance.answer")
	for k, typ := range map[string]string{"flow": "string", "key_facts": "array", "lifetimes": "array", "advice": "array",
		"scopes": "object", "error": "object|null", "platform": "array"} {
		want(g, k, typ, "guidance")
	}
	ids := map[string]bool{}
	rows, _ := g["lifetimes"].([]any)
	for _, r := range rows {
		m, _ := r.(map[string]any)
		id, _ := want(m, "id", "string", "lifetimes[]").(string)
		want(m, "label", "string", "lifetimes[]")
		want(m, "value", "string", "lifetimes[]")
		ids["lifetimes/"+id] = true
	}
	plat, _ := g["platform"].([]any)
	for _, p := range plat {
		m, _ := p.(map[string]any)
		id, _ := m["id"].(string)
		ids["platform/"+id] = true
		want(m, "change", "string", "platform[]")
		if _, ok := m["source"]; !ok {
			t.Errorf("platform %q without a source", id)
		}
	}
	kf, _ := g["key_facts"].([]any)
	for _, k := range kf {
		if s, _ := k.(string); !ids[s] {
			t.Errorf("key fact %q names no item", s)
		}
	}
	adv, _ := g["advice"].([]any)
	for _, a := range adv {
		m, _ := a.(map[string]any)
		if s, _ := want(m, "severity", "string", "advice[]").(string); s != "info" && s != "warning" && s != "error" {
			t.Errorf("advice severity %q", s)
		}
		want(m, "title", "string", "advice[]")
	}
}

// TestRunShowFlags: an unknown --show section is one line and exit 2, before anything is
// sent; a known one adds its section to the short output; --help documents the exit codes.
func TestRunShowFlags(t *testing.T) {
	code, out, errOut := runTestCmd(t, nil, "", "--flow", "username-password", "--show", "lifetimes,tokens")
	if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, `unknown section "tokens"`) {
		t.Errorf("unknown section: exit %d, stdout %q, stderr %q; want 2 and one line", code, out, errOut)
	}
	e, app, user := runTestDemo(t)
	env := map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_PASSWORD": user.Password, "SF_SECURITY_TOKEN": user.SecurityToken}
	code, out, _ = runTestCmd(t, env, "", "--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID,
		"--username", user.Username, "--show", "lifetimes,scopes")
	if code != 0 || !strings.HasPrefix(out, "Lifetime ") || !strings.Contains(out, "\nLifetimes\n") || !strings.Contains(out, "\nScopes\n") ||
		strings.Contains(out, "\nFacts\n  Expires") || strings.Contains(out, "\nTranscript\n") || !strings.Contains(out, "--show token,transcript,advice,platform") {
		t.Errorf("--show lifetimes,scopes: exit %d\n%s", code, out)
	}
	if d := repeatedSentences(out); len(d) > 0 {
		t.Errorf("--show lifetimes,scopes repeats %q", d)
	}
	_, _, errOut = runTestCmd(t, nil, "", "-h")
	for _, want := range []string{"--verbose", "--show", "--no-color", "NO_COLOR", "exit status:", "  2  bad input"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("run -h lacks %q", want)
		}
	}
}

// TestRunColour: colour only on a terminal and never with NO_COLOR, TERM=dumb or --no-color;
// with colour the escape codes surround our own labels only, and what a server sent is still
// escaped.
func TestRunColour(t *testing.T) {
	for _, c := range []struct {
		tty   bool
		env   map[string]string
		flag  bool
		color bool
	}{
		{true, nil, false, true},
		{true, map[string]string{"NO_COLOR": "1"}, false, false},
		{true, map[string]string{"TERM": "dumb"}, false, false},
		{true, nil, true, false},
		{false, nil, false, false},
	} {
		if got := colorWanted(c.tty, c.flag, func(k string) string { return c.env[k] }); got != c.color {
			t.Errorf("tty %v env %v --no-color %v: colour %v, want %v", c.tty, c.env, c.flag, got, c.color)
		}
	}
	if o, err := (&showFlags{}).options(&Env{Stdout: &bytes.Buffer{}, Getenv: func(string) string { return "" }}); err != nil || o.color || o.width != 80 {
		t.Errorf("not a terminal: colour %v width %d, want no colour and 80", o.color, o.width)
	}
	rep := guidance.Report{Answer: guidance.Answer{
		Lifetime:     guidance.AnswerLine{Label: guidance.AnswerLifetime, Text: "x \x1b[2J y", Severity: guidance.SeverityWarning},
		RefreshToken: guidance.AnswerLine{Label: guidance.AnswerRefreshToken, Text: "none", Severity: guidance.SeverityError},
		DoThisNext:   guidance.AnswerLine{Label: guidance.AnswerDoThisNext, Text: "run", Severity: guidance.SeverityInfo}}}
	var b bytes.Buffer
	printRun(NewTerminalWriter(&b), showOptions{sections: map[string]bool{}, color: true, width: 80}, &runFlags{}, &flows.Result{}, nil, &rep, nil)
	out := b.String()
	if !strings.HasPrefix(out, "\x1b[33mLifetime       \x1b[0mx \\u001b[2J y\n\x1b[31mRefresh token  \x1b[0mnone\n") {
		t.Errorf("coloured output:\n%q", out)
	}
	b.Reset()
	printRun(NewTerminalWriter(&b), showOptions{sections: map[string]bool{}, width: 80}, &runFlags{}, &flows.Result{}, nil, &rep, nil)
	if strings.Contains(b.String(), "\x1b") {
		t.Errorf("escape codes without colour: %q", b.String())
	}
}

// TestExplainSaysEachFactOnce: explain prints an error explanation with the guidance's own
// renderer; no sentence of it comes twice, for the errors people paste most.
func TestExplainSaysEachFactOnce(t *testing.T) {
	for _, q := range []string{
		"error=invalid_scope&error_description=the+requested+scope+is+not+allowed",
		"error=redirect_uri_mismatch&error_description=redirect_uri+must+match+configuration",
		"error=invalid_client_id&error_description=client+identifier+invalid",
		"error=OAUTH_APPROVAL_ERROR_GENERIC",
		"error=invalid_grant&error_description=expired+access%2Frefresh+token",
		"error=invalid_grant&error_description=authentication+failure",
		"error=access_denied&error_description=end-user+denied+authorization",
	} {
		for _, flow := range []string{"", "web-server-pkce", "username-password", "refresh"} {
			args := []string{"http://localhost:1717/OauthRedirect?" + q}
			if flow != "" {
				args = append([]string{"--flow", flow}, args...)
			}
			code, out, errOut := runExplain(t, "", args...)
			if code != 0 {
				t.Errorf("%s %s: exit %d %s", flow, q, code, errOut)
				continue
			}
			if d := repeatedSentences(out); len(d) > 0 {
				t.Errorf("%s %s: said more than once: %q\n%s", flow, q, d, out)
			}
		}
	}
}
