package checkup

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// matrix is the report as "step (variant)=status" lines, the form the expectations use.
func matrix(r *Report) []string {
	out := make([]string, len(r.Rows))
	for i, row := range r.Rows {
		out[i] = row.Name() + "=" + string(row.Status)
	}
	return out
}

func checkMatrix(t *testing.T, r *Report, want []string) {
	t.Helper()
	if got := matrix(r); !slices.Equal(got, want) {
		var b strings.Builder
		r.WriteText(&b)
		t.Errorf("matrix:\n got %q\nwant %q\n%s", got, want, b.String())
	}
}

// The checkup of every demo app without a browser: the expected matrix, from the app's
// settings as read from the org.
func TestDemoAppsMatrixWithoutBrowser(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	browserSkips := []string{"web-server=skipped", "web-server-pkce=skipped", "user-agent=skipped"}
	cases := []struct {
		app  string
		want []string
	}{
		{"Web App", append(slices.Clone(browserSkips), "username-password=works", "jwt-bearer=skipped",
			"client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped", "refresh=skipped",
			"introspect (the username-password token)=works", "userinfo (the username-password token)=works",
			"rest (the username-password token)=works", "revoke=works")},
		{"Mobile App", append(slices.Clone(browserSkips), "username-password=works", "refresh=skipped", "jwt-bearer=skipped",
			"client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped",
			"introspect (the username-password token)=works", "userinfo (the username-password token)=works",
			"rest (the username-password token)=works", "revoke=works")},
		{"Integration App", append(slices.Clone(browserSkips), "username-password=works",
			"jwt-bearer (aud login host)=works", "jwt-bearer (aud My Domain)=works",
			"jwt-bearer (aud login.salesforce.com)=works", "jwt-bearer (aud test.salesforce.com)=works",
			"client-credentials=works", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped", "refresh=skipped",
			// username-password grants no scope field: the api scope is the JWT's
			"introspect (the jwt-bearer token)=works", "userinfo (the username-password token)=works",
			"rest (the jwt-bearer token)=works", "revoke=works")},
		{"Device App", append(slices.Clone(browserSkips), "username-password=skipped", "jwt-bearer=skipped",
			"client-credentials=skipped", "device=works", "token-exchange=skipped", "saml-bearer=skipped", "refresh=skipped",
			"introspect=skipped", "userinfo=skipped", "rest=skipped", "revoke=skipped")},
		{"ECA PKCE", append(slices.Clone(browserSkips), "username-password=skipped", "jwt-bearer=skipped",
			"client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped", "refresh=skipped",
			"introspect=skipped", "userinfo=skipped", "rest=skipped", "revoke=skipped")},
		{"Approvals App", append(slices.Clone(browserSkips), "username-password=works", "jwt-bearer=skipped",
			"client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped", "refresh=skipped",
			"introspect (the username-password token)=works", "userinfo (the username-password token)=works",
			"rest (the username-password token)=works", "revoke=works")},
		{"Salesforce CLI", append(slices.Clone(browserSkips), "username-password=skipped", "jwt-bearer=skipped",
			"client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped", "refresh=skipped",
			"introspect=skipped", "userinfo=skipped", "rest=skipped", "revoke=skipped")},
		{"Misconfigured App", append(slices.Clone(browserSkips), "username-password=works", "refresh=skipped", "jwt-bearer=skipped",
			"client-credentials=fails", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped",
			"introspect (the username-password token)=works", "userinfo (the username-password token)=works",
			"rest (the username-password token)=works", "revoke=works")},
	}
	if len(cases) != len(org.Desc.Apps) {
		t.Fatalf("%d cases for %d demo apps: add the new app's matrix", len(cases), len(org.Desc.Apps))
	}
	for _, tc := range cases {
		t.Run(tc.app, func(t *testing.T) {
			a := org.App(t, tc.app)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep := Run(ctx, Input{Profile: tc.app, Request: request(t, org, tc.app), Settings: appSettings(t, org, a.APIName), Version: "v-test"})
			checkMatrix(t, rep, tc.want)
			_, fails, _, _ := rep.Counts()
			if rep.Passed() != (fails == 0) || rep.Cancelled {
				t.Errorf("Passed %v with %d failures, cancelled %v", rep.Passed(), fails, rep.Cancelled)
			}
		})
	}
}

// With the browser flows (sfemutest's scripted browser): they run, and the refresh token
// the web server flow made is refreshed, then revoked with everything else.
func TestDemoAppsMatrixWithBrowser(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	cases := []struct {
		app  string
		want []string
	}{
		{"Web App", []string{"web-server=works", "web-server-pkce=works", "user-agent=works", "username-password=works",
			"jwt-bearer=skipped", "client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped",
			"refresh (a refresh token made here)=works", "introspect (the web-server token)=works",
			"userinfo (the web-server token)=works", "rest (the web-server token)=works", "revoke=works"}},
		{"ECA PKCE", []string{"web-server=skipped", "web-server-pkce=works", "user-agent=works", "username-password=skipped",
			"jwt-bearer=skipped", "client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped",
			"refresh (a refresh token made here)=works", "introspect (the web-server-pkce token)=works",
			"userinfo (the web-server-pkce token)=works", "rest (the web-server-pkce token)=works", "revoke=works"}},
		{"Salesforce CLI", []string{"web-server=skipped", "web-server-pkce=works", "user-agent=works", "username-password=skipped",
			"jwt-bearer=skipped", "client-credentials=skipped", "device=skipped", "token-exchange=skipped", "saml-bearer=skipped",
			"refresh (a refresh token made here)=works", "introspect=skipped",
			"userinfo (the web-server-pkce token)=works", "rest (the web-server-pkce token)=works", "revoke=works"}},
	}
	for _, tc := range cases {
		t.Run(tc.app, func(t *testing.T) {
			a := org.App(t, tc.app)
			req := request(t, org, tc.app)
			req.Options.OpenBrowser = sfemutest.Browser(sfemu.DemoUser, org.User(t, sfemu.DemoUser).Password)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rep := Run(ctx, Input{Request: req, Settings: appSettings(t, org, a.APIName), Browser: true})
			checkMatrix(t, rep, tc.want)
			if !rep.Passed() {
				t.Errorf("not passed")
			}
			if tc.app == "ECA PKCE" && !strings.Contains(rowOf(t, rep, "refresh").Detail, "rotated") {
				t.Errorf("ECA PKCE rotates refresh tokens; refresh row says %q", rowOf(t, rep, "refresh").Detail)
			}
		})
	}
}

func rowOf(t *testing.T, r *Report, step string) Row {
	t.Helper()
	for _, row := range r.Rows {
		if row.Step == step {
			return row
		}
	}
	t.Fatalf("no row %s", step)
	return Row{}
}

// The misconfigured app, as its demo profile uses it (callback on port 1717, which the app
// lacks; no Run As user; refresh_token requested, which the app lacks): the expected
// failures, each with the fix of the lint error that explains it.
func TestMisconfiguredAppFailuresAndFixes(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback(), sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].Name == "Misconfigured App" {
				o.Apps[i].CallbackURLs = []string{"http://localhost:1718/callback"} // not the free one the profile uses
			}
		}
	}))
	req := request(t, org, "Misconfigured App")
	req.Scopes = []string{"api", "refresh_token"} // as the demo profile: a second lint error, which is not the cause of every failure
	req.Options.ListenTimeout = time.Second
	req.Options.OpenBrowser = sfemutest.Browser(sfemu.DemoUser, org.User(t, sfemu.DemoUser).Password)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep := Run(ctx, Input{Request: req, Settings: appSettings(t, org, "Misconfigured_App"), Browser: true})
	checkMatrix(t, rep, []string{"web-server=fails", "web-server-pkce=fails", "user-agent=fails", "username-password=works",
		"refresh=skipped", "jwt-bearer=skipped", "client-credentials=fails", "device=skipped", "token-exchange=skipped",
		"saml-bearer=skipped", "introspect (the username-password token)=works", "userinfo (the username-password token)=works",
		"rest (the username-password token)=works", "revoke=works"})
	if rep.Passed() {
		t.Error("a report with failures passed")
	}
	if !slices.ContainsFunc(rep.Lint, func(f connectedapp.Finding) bool {
		return strings.HasPrefix(f.Code, "callback-") && f.Severity == connectedapp.Error
	}) {
		t.Errorf("lint found no callback problem: %v", rep.Lint)
	}
	for step, want := range map[string]string{
		"web-server":         "callback",
		"client-credentials": "Run As user",
		"device":             "Device Flow", // guidance's, not the refresh_token lint error's
	} {
		row := rowOf(t, rep, step)
		if !strings.Contains(row.Fix, want) || row.SetupPath == "" {
			t.Errorf("%s: fix %q (where %q), want one about %q", step, row.Fix, row.SetupPath, want)
		}
	}
	if d := rowOf(t, rep, "client-credentials").Detail; !strings.Contains(d, "no client credentials user") {
		t.Errorf("client-credentials detail %q, want the org's error", d)
	}
}

// Without the app's settings, lint is skipped and every flow with its inputs is tried; a
// flow the org refuses as not enabled is a skip.
func TestWithoutSettings(t *testing.T) {
	org := sfemutest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep := Run(ctx, Input{Request: request(t, org, "Web App")})
	checkMatrix(t, rep, []string{"web-server=skipped", "web-server-pkce=skipped", "user-agent=skipped", "username-password=works",
		"jwt-bearer=skipped", "client-credentials=skipped", "device=skipped", "saml-bearer=skipped", "token-exchange=skipped",
		"refresh=skipped", "introspect (the username-password token)=works", "userinfo (the username-password token)=works",
		"rest (the username-password token)=works", "revoke=works"})
	if rep.SettingsKnown || len(rep.Lint) != 0 {
		t.Errorf("settings known %v, lint %v", rep.SettingsKnown, rep.Lint)
	}
	if d := rowOf(t, rep, "client-credentials").Detail; !strings.Contains(d, "not enabled") {
		t.Errorf("client-credentials: %q, want the org's \"not enabled\"", d)
	}
}

// Token exchange trades an access token made before it; the profile's stored refresh token is
// refreshed when the app does not rotate, and never revoked.
func TestTokenExchangeAndStoredRefreshToken(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback(), sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].Name == "Web App" {
				o.Apps[i].TokenExchangeEnabled = true
			}
		}
	}))
	// a refresh token the profile stores, made by a browser login
	req := request(t, org, "Web App")
	req.Scopes = []string{"api", "refresh_token", "openid"}
	req.Options.OpenBrowser = sfemutest.Browser(sfemu.DemoUser, org.User(t, sfemu.DemoUser).Password)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req.Flow = flows.WebServer
	login, err := flows.Run(ctx, req, nil)
	if err != nil || login.RefreshToken == "" {
		t.Fatalf("web server login: %v", err)
	}
	req.RefreshToken = login.RefreshToken
	req.Options.OpenBrowser = nil

	rep := Run(ctx, Input{Request: req, Settings: appSettings(t, org, "Web_App")})
	if r := rowOf(t, rep, "token-exchange"); r.Status != Works {
		t.Errorf("token-exchange %s: %s", r.Status, r.Detail)
	}
	if r := rowOf(t, rep, "refresh"); r.Status != Works || r.Variant != "a refresh token made here" && r.Variant != "the profile's refresh token" {
		t.Errorf("refresh %s (%s): %s", r.Status, r.Variant, r.Detail)
	}
	if r := rowOf(t, rep, "revoke"); r.Status != Works {
		t.Errorf("revoke %s: %s", r.Status, r.Detail)
	}
	// the stored refresh token still works
	req.Flow = flows.Refresh
	if _, err := flows.Run(ctx, req, nil); err != nil {
		t.Errorf("the profile's refresh token after the checkup: %v", err)
	}
}

// Cancelling stops the checkup at the step under way (a browser flow waiting for a browser
// that never comes back): the report is partial, the rest "cancelled", and no goroutine is left.
func TestCancelMidway(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback())
	settings := appSettings(t, org, "Integration_App")
	flows.CloseIdleConnections()
	http.DefaultClient.CloseIdleConnections()
	before := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := request(t, org, "Integration App")
	req.Options.ListenTimeout = time.Minute
	opened := make(chan struct{}, 1)
	req.Options.OpenBrowser = func(context.Context, string) error { opened <- struct{}{}; return nil } // nobody logs in
	var seen []Row
	done := make(chan *Report, 1)
	go func() {
		done <- Run(ctx, Input{Request: req, Settings: settings, Browser: true,
			Progress: func(r Row) { seen = append(seen, r) }})
	}()
	select {
	case <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the browser flow never opened the browser")
	}
	start := time.Now()
	cancel()
	var rep *Report
	select {
	case rep = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5 s of the cancel")
	}
	t.Logf("returned %v after the cancel", time.Since(start))
	if !rep.Cancelled || rep.Passed() {
		t.Errorf("cancelled %v, passed %v", rep.Cancelled, rep.Passed())
	}
	if rep.Rows[0].Status != Cancelled {
		t.Errorf("first row %s: %s", rep.Rows[0].Status, rep.Rows[0].Detail)
	}
	for _, row := range rep.Rows[1:] {
		if row.Status != Cancelled {
			t.Errorf("%s after the cancel: %s", row.Name(), row.Status)
		}
	}
	if len(seen) < 2 || seen[0].Status != Running || seen[0].Step != "web-server" {
		t.Errorf("progress %v, want web-server running first", seen)
	}
	flows.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the checkup, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

// A cancel after a flow made a token: the rest is cancelled, but revoke still runs, and the
// token the org issued no longer works.
func TestCancelStillRevokesWhatItMade(t *testing.T) {
	org := sfemutest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req := request(t, org, "Web App")
	rec := sfemutest.NewTokenRecorder(t)
	req.Options.Transport = rec
	rep := Run(ctx, Input{Request: req, Settings: appSettings(t, org, "Web_App"), Progress: func(r Row) {
		if r.Step == "username-password" && r.Status == Works {
			cancel() // as Ctrl-C would, right after the token came back
		}
	}})
	if !rep.Cancelled || rep.Passed() {
		t.Errorf("cancelled %v, passed %v", rep.Cancelled, rep.Passed())
	}
	after := false
	for _, row := range rep.Rows {
		switch {
		case row.Step == "username-password":
			if row.Status != Works {
				t.Errorf("username-password %s: %s", row.Status, row.Detail)
			}
			after = true
		case row.Step == "revoke":
			if row.Status != Works || !strings.HasPrefix(row.Detail, "after the cancel: revoked the 1 token the checkup made") {
				t.Errorf("revoke %s: %s", row.Status, row.Detail)
			}
		case after && row.Status != Cancelled:
			t.Errorf("%s after the cancel: %s", row.Name(), row.Status)
		}
	}
	toks := rec.Tokens()
	if len(toks) != 1 {
		t.Fatalf("the org issued %d tokens, want the username-password access token", len(toks))
	}
	in, _, err := flows.Introspect(context.Background(), request(t, org, "Web App"), toks[0], "access_token")
	if err != nil || in.Active {
		t.Errorf("the token made before the cancel: introspection %+v, %v; want inactive", in, err)
	}
}

// Which flows the app does not allow is connectedapp's to say (Finding.BlocksFlow): a
// profile that asks the Mobile App (no refresh_token scope) for refresh_token still runs
// username-password (it sends the scope, and the org grants what the app has), with the lint
// error listed; only the refresh flow is not allowed.
func TestBlockedFlowsComeFromConnectedapp(t *testing.T) {
	org := sfemutest.Start(t)
	req := request(t, org, "Mobile App")
	req.Scopes = []string{"api", "refresh_token"}
	settings := appSettings(t, org, "Mobile_App")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep := Run(ctx, Input{Request: req, Settings: settings})
	up := rowOf(t, rep, "username-password")
	if up.Status != Works || !slices.ContainsFunc(up.Lint, func(f connectedapp.Finding) bool { return f.Code == "refresh-token-not-selected" }) {
		t.Errorf("username-password %s (%s), lint %v", up.Status, up.Detail, up.Lint)
	}
	rf := rowOf(t, rep, "refresh")
	var blocking []string
	for _, f := range connectedapp.LintAt(connectedapp.Profile{Flow: flows.Refresh, Scopes: req.Scopes}, *settings, time.Now()) {
		if f.BlocksFlow(flows.Refresh) {
			blocking = append(blocking, f.Fix)
		}
	}
	if len(blocking) != 1 || rf.Status != Skipped || !strings.HasPrefix(rf.Detail, "the app does not allow it") || rf.Fix != blocking[0] {
		t.Errorf("refresh %s: %s (fix %q); connectedapp's blocking fixes %q", rf.Status, rf.Detail, rf.Fix, blocking)
	}
}
