package ui_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/chromedp/chromedp"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/ui"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// These tests drive the window on the real backend (ui/wire): the real OAuth client (flows)
// against the emulated org (sfemu) on loopback, real guidance, and for the browser flows a
// headless Chromium that logs in on sfemu's login page. lab_test.go covers the window's
// states against a fake backend, with markup goldens; here times vary, so the tests assert
// state and text.

// waitIdle waits until the window's background work has landed, or fails the test.
func waitIdle(t *testing.T, limit time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { ui.WaitIdle(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("the window was still busy after %s", limit)
	}
}

// demoOrg is sfemu's demo org with its loopback callback URLs moved from port 1717 to a free
// port (sfemutest.MovePort), so that the test does not depend on 1717 being free.
func demoOrg(t *testing.T) *sfemu.Org {
	t.Helper()
	org := sfemu.Demo()
	sfemutest.MovePort(t, org, 1717)
	return org
}

// newRealLab opens the window on the demo org with the real backend and waits for the
// profiles to load.
func newRealLab(t *testing.T, opt wire.Options) (*ui.Lab, ui.Probe) {
	t.Helper()
	return newRealLabOn(t, opt, demoOrg(t))
}

// newRealLabOn is newRealLab on a given org (demoOrg's, with a behaviour changed).
func newRealLabOn(t *testing.T, opt wire.Options, org *sfemu.Org) (*ui.Lab, ui.Probe) {
	t.Helper()
	test.NewTempApp(t)
	opt.DemoOrg = func() *sfemu.Org { return org }
	be := wire.NewBackend(opt)
	demo, err := be.StartDemo(context.Background())
	if err != nil {
		t.Fatalf("start the demo org: %v", err)
	}
	w := test.NewTempWindow(t, nil)
	l := ui.New(w, be, ui.Options{Demo: demo, TickEvery: -1})
	w.SetContent(l.Content())
	l.Install()
	w.Resize(fyne.NewSize(1280, 800))
	l.Start()
	waitIdle(t, 10*time.Second)
	t.Cleanup(l.Close)
	return l, l.Probe()
}

func pick(t *testing.T, p ui.Probe, name string) {
	t.Helper()
	if !p.SelectProfile(name) {
		t.Fatalf("no profile %q; the list has %q", name, p.ProfileNames())
	}
	waitIdle(t, 5*time.Second)
	if got := p.Entry("name").Text; got != name {
		t.Fatalf("form shows profile %q, want %q", got, name)
	}
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not say %q; it says:\n%s", what, w, got)
		}
	}
}

func TestRealUsernamePasswordAnswersTheFoundingQuestion(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Username-password: how long does it last?")

	// Type the security token as a person would.
	tok := p.Entry("token")
	tok.SetText("")
	test.Type(tok, "DEMOTOKEN1")
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)

	wantContains(t, "status", p.Status(), "username-password flow done in")
	if !strings.HasPrefix(p.Answer(), "Lifetime: Not long lived") {
		t.Errorf("the answer = %q, want the founding question's answer", p.Answer())
	}
	wantContains(t, "answer", p.Answer(), "never issues", "INVALID_SESSION_ID") // said there once, not again in the guidance
	wantContains(t, "guidance", p.Guidance(), "Refresh token")
	wantContains(t, "lifetimes", p.Lifetimes(), "Idle timeout", "2 hours", "Refresh token", "none: this flow never issues one")
	wantContains(t, "countdown", p.Countdown(), "if idle")
	if p.SelectedTab() != "Tokens" {
		t.Errorf("selected tab %q, want Tokens after a success", p.SelectedTab())
	}
	wantContains(t, "Tokens tab", p.Tab("Tokens"), "access_token", "instance_url", "issued_at")

	tr := p.Tab("Transcript")
	wantContains(t, "Transcript tab", tr, "1. POST /services/oauth2/token → 200", "grant_type=password")
	for _, secret := range []string{"Demo-Pass-1", "DEMOTOKEN1", "WebAppDemoSecret0001"} {
		if strings.Contains(tr, secret) {
			t.Errorf("the transcript shows the secret %q", secret)
		}
	}
	wantContains(t, "Steps tab", p.Tab("Steps"), "[requesting]", "[done]")

	// Two hours later on the org's clock, the idle session is gone: Call API says so and
	// guidance explains INVALID_SESSION_ID.
	test.Tap(p.Button("call"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after the first call", p.Status(), "API call succeeded")
	test.Tap(p.Button("advance"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "countdown after 2 hours", p.Countdown(), "expired")
	test.Tap(p.Button("call"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after the clock moved", p.Status(), "INVALID_SESSION_ID")
	wantContains(t, "guidance after the clock moved", p.Guidance(), "INVALID_SESSION_ID")
	if p.SelectedTab() != "Transcript" {
		t.Errorf("selected tab %q, want Transcript after a failed call", p.SelectedTab())
	}
	wantContains(t, "Transcript tab", p.Tab("Transcript"), "→ 401")
}

func TestRealFrozenUserIsExplained(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Frozen user")
	before := p.Entry("password").Text
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status", p.Status(), "Failed: ")
	if g := p.Guidance(); !strings.Contains(g, "frozen") && !strings.Contains(g, "Frozen") {
		t.Errorf("guidance does not mention the frozen user:\n%s", g)
	}
	if p.Entry("password").Text != before {
		t.Error("the failed run changed the form")
	}
	if p.SelectedTab() != "Transcript" {
		t.Errorf("selected tab %q, want Transcript after a failure", p.SelectedTab())
	}
}

func TestRealWebServerPKCELogsInWithHeadlessChromium(t *testing.T) {
	open, pages := chromium(t)
	_, p := newRealLab(t, wire.Options{OpenBrowser: open})
	pick(t, p, "Web server + PKCE with refresh token")
	test.Tap(p.Button("run"))
	waitIdle(t, 90*time.Second)

	wantContains(t, "status", p.Status(), "web-server-pkce flow done in")
	select {
	case page := <-pages:
		wantContains(t, "the browser's last page", page, "Login received")
	default:
		t.Error("the browser reported no page")
	}
	wantContains(t, "Steps tab", p.Tab("Steps"), "[listening]", "[browser]", "[exchanging]", "[done]")
	wantContains(t, "Tokens tab", p.Tab("Tokens"), "access_token", "refresh_token", "id_token")
	wantContains(t, "ID token tab", p.Tab("ID token"), "aud", "sub", "✓ id_token")
	wantContains(t, "Transcript tab", p.Tab("Transcript"), "GET /services/oauth2/authorize?…", "callback", "POST /services/oauth2/token → 200")
	wantContains(t, "guidance", p.Guidance(), "Refresh token\nissued")

	// Refresh with the refresh token that came back.
	if p.Button("refresh").Disabled() {
		t.Fatal("Refresh is disabled although a refresh token came back")
	}
	test.Tap(p.Button("refresh"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status after Refresh", p.Status(), "refresh flow done in")

	// Revoke asks first; revoking the refresh token ends the session it issued.
	test.Tap(p.Button("revoke"))
	if p.LastDialog() != "Revoke a token" {
		t.Fatalf("Revoke showed dialog %q, want the confirm", p.LastDialog())
	}
	if !p.ConfirmRevoke(true) {
		t.Fatal("no Revoke dialog to confirm")
	}
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after Revoke", p.Status(), "Revoked the refresh token")
	test.Tap(p.Button("call"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after calling with a revoked session", p.Status(), "INVALID_SESSION_ID")
}

// chromium returns an OpenBrowser that logs in on sfemu's login page in headless Chromium
// (approving the app when asked) and sends the text of the page it lands on (the flows
// listener's) on pages. Without Chromium the test is skipped, or fails when CI=true.
func chromium(t *testing.T) (func(ctx context.Context, url string) error, <-chan string) {
	t.Helper()
	path := os.Getenv("CHROME_PATH")
	if path == "" {
		path = "/usr/lib/chromium/chromium"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is needed for the browser flow test and CI=true: %v", err)
		}
		t.Skipf("no Chromium at %s (set CHROME_PATH): %v", path, err)
	}
	profile := t.TempDir()
	os.MkdirAll(profile+"/Default", 0o700)
	os.WriteFile(profile+"/Default/Preferences", []byte(`{"credentials_enable_service":false,`+
		`"profile":{"password_manager_enabled":false,"password_manager_leak_detection":false},"signin":{"allowed":false}}`), 0o600)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("disable-features", "Translate,PasswordLeakDetection,AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter"),
		// No host name other than loopback resolves inside the browser.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1"),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	if err := chromedp.Do(bctx); err != nil { // start the browser now, not inside the flow
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium did not start: %v", err)
		}
		t.Skipf("Chromium did not start: %v", err)
	}
	pages := make(chan string, 4)
	var mu sync.Mutex // one login at a time
	open := func(_ context.Context, authorizeURL string) error {
		// The flow cancels its context once the callback arrives; the browser still
		// finishes loading the listener's page, which is what the test checks.
		mu.Lock()
		defer mu.Unlock()
		tab, cancel := chromedp.NewContext(bctx)
		defer cancel()
		tab, cancelT := context.WithTimeout(tab, 60*time.Second)
		defer cancelT()
		err := chromedp.Do(tab,
			chromedp.Navigate(authorizeURL),
			chromedp.WaitVisible(chromedp.ID("username")),
			chromedp.SendKeys(chromedp.ID("username"), sfemu.DemoUser),
			chromedp.SendKeys(chromedp.ID("password"), "Demo-Pass-1"),
			chromedp.Click(chromedp.ID("Login")),
		)
		if err != nil {
			return fmt.Errorf("log in on the authorize page: %w", err)
		}
		// Next comes the approval page (first use of the app) or the listener's page.
		approved := false
		for {
			where, _ := chromedp.Run(tab, chromedp.Evaluate[string](
				`document.getElementById("approve") ? "approve" : document.getElementById("done") ? "done" : document.getElementById("failed") ? "failed" : ""`))
			switch where {
			case "approve":
				if !approved {
					if err := chromedp.Do(tab, chromedp.Click(chromedp.ID("approve"))); err != nil {
						return fmt.Errorf("approve the app: %w", err)
					}
					approved = true
				}
			case "done", "failed":
				text, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("body")))
				if err != nil {
					return err
				}
				pages <- text
				if where == "failed" {
					return errors.New("the listener's page says the login failed: " + text)
				}
				return nil
			}
			select {
			case <-tab.Done():
				return fmt.Errorf("the browser never reached the listener's page: %w", tab.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	return open, pages
}

// The lint scenario of the demo: log in as the demo admin (the password is the one sfemu's
// Describe reports, which the demo profile carries), then read the misconfigured app from the
// org in the App settings tab of the profile that uses it: lint finds the wrong callback port
// and the missing refresh_token scope.
func TestRealReadMisconfiguredAppAsAdminShowsLintErrors(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Admin: reads app settings")
	if got := p.Entry("username").Text; got != sfemu.DemoAdminUser {
		t.Fatalf("the admin profile logs in as %q, want %s", got, sfemu.DemoAdminUser)
	}
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status after the admin's login", p.Status(), "username-password flow done in")

	pick(t, p, "Misconfigured App (lint scenario)")
	p.ShowAppSettings()
	if got := p.AppEntry("api").Text; got != "Misconfigured_App" {
		t.Fatalf("API name %q, want Misconfigured_App", got)
	}
	test.Tap(p.AppButton("read"))
	waitIdle(t, 30*time.Second)
	if p.LastDialog() == "Could not read the app from the org" {
		t.Fatalf("the read failed; status: %s", p.Status())
	}
	wantContains(t, "callback URLs read from the org", p.AppEntry("callbacks").Text, "http://localhost:1718/callback")
	if s := p.AppEntry("scopes").Text; strings.Contains(s, "refresh_token") {
		t.Errorf("scopes read from the org %q include refresh_token", s)
	}
	wantContains(t, "status after the read", p.Status(), "Read Misconfigured_App from the org", "2 errors")
	wantContains(t, "lint findings", p.AppFindings(),
		"Errors: the flow will fail (2)", "callback-port", "the app has http://localhost:1718/callback",
		"refresh-token-not-selected", "Setup: ", "Metadata: ", "Salesforce answers: redirect_uri_mismatch")
}

// The demo's JWT bearer flow after the org's clock was moved: the assertion's iat and exp must
// follow the emulated org's clock, which checks them, not this machine's.
func TestRealJWTBearerAfterAdvancingTheOrgClock(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "JWT bearer (server to server)")
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status before the clock moved", p.Status(), "jwt-bearer flow done in")

	// 3 hours: far beyond the assertion's 3 minutes of validity.
	for _, by := range []string{"2h", "1h"} {
		if !p.AdvanceBy(by) {
			t.Fatalf("no advance choice %q", by)
		}
		test.Tap(p.Button("advance"))
		waitIdle(t, 10*time.Second)
		if p.LastDialog() == "The org's clock did not move" {
			t.Fatalf("the clock did not move: %s", p.Status())
		}
	}
	wantContains(t, "status after moving the clock", p.Status(), "3h 00m 00s ahead")

	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status after the clock moved", p.Status(), "jwt-bearer flow done in")
	wantContains(t, "Tokens tab", p.Tab("Tokens"), "access_token")

	// The follow-up calls go to the same org, on its clock too.
	test.Tap(p.Button("introspect"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after Introspect", p.Status(), "Introspection: active until")
}
