package ui

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

// The window is tested here against a fake Backend, with markup goldens of its states; the
// fake answers like the emulator does for the username-password flow. backend_test.go drives
// the same window on the real backend (ui/wire: flows against sfemu, guidance, Chromium), and
// scripts/smoke-window opens the real window under Xvfb.

var t0 = time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)

func TestMain(m *testing.M) {
	time.Local = time.UTC // goldens print clock times
	os.Exit(m.Run())
}

type fakeBackend struct {
	mu   sync.Mutex
	reqs []flows.Request
}

func (f *fakeBackend) got() []flows.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]flows.Request(nil), f.reqs...)
}

func (f *fakeBackend) record(req flows.Request) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
}

func okResult(req flows.Request) *flows.Result {
	raw := map[string]any{
		"access_token": "00D5g00000CALab!AQ4AQFakeAccessTokenForTheWindowTests0123456789",
		"instance_url": "https://demo.my.salesforce.com",
		"id":           "https://login.salesforce.com/id/00D5g00000CALabEAH/0055g00000Demo1AAB",
		"token_type":   "Bearer",
		"issued_at":    "1767348000000",
		"signature":    "c2lnbmF0dXJl",
	}
	if req.Flow == flows.Refresh {
		raw["scope"] = "api refresh_token"
	}
	tok := flows.NewTokenResponse(raw)
	return &flows.Result{Flow: req.Flow, Token: tok, Started: t0, Duration: 42 * time.Millisecond,
		RequestedScopes: req.Scopes,
		Transcript: flows.NewTranscript(flows.Exchange{Step: "token", Method: "POST", URL: req.LoginURL + "/services/oauth2/token",
			RequestBody: "grant_type=password&client_id=" + req.ClientID + "&password=REDACTED", Status: 200,
			ResponseBody: `{"access_token":"REDACTED","token_type":"Bearer"}`, Duration: 42 * time.Millisecond,
			Curl: "curl -X POST " + req.LoginURL + "/services/oauth2/token -d grant_type=password -d client_id=" + req.ClientID})}
}

func fakeExplain(in guidance.Input) guidance.Report {
	exp := t0.Add(2 * time.Hour) // issued at t0, idle timeout 2 hours
	r := guidance.Report{Flow: in.Flow, ExpiresIfIdleAt: &exp, ExpiryEstimated: true,
		Answer: guidance.Answer{
			Lifetime:     guidance.AnswerLine{Label: guidance.AnswerLifetime, Text: "Not long lived: an idle session of 2 hours (assumed)."},
			RefreshToken: guidance.AnswerLine{Label: guidance.AnswerRefreshToken, Text: "None: this flow never issues one.", Severity: guidance.SeverityWarning},
			DoThisNext:   guidance.AnswerLine{Label: guidance.AnswerDoThisNext, Text: "Reuse the token until a call gets 401 INVALID_SESSION_ID."},
		},
		Lifetimes: []guidance.LifetimeRow{
			{Label: "Access token issued at", Value: "2026-01-02 10:00:00 UTC", Source: "issued_at in the response"},
			{Label: "Idle timeout", Value: "2 hours", Source: "Salesforce's default (assumed)", Estimated: true},
			{Label: "Refresh token", Value: "none", Note: "the username-password flow never issues one"},
		},
		Advice: []guidance.Advice{
			{Severity: guidance.SeverityInfo, Title: "Sessions slide", Reason: "Use pushes the idle timer back."},
			{Severity: guidance.SeverityWarning, Title: "Username-password is legacy", Reason: "Blocked by default in new orgs.",
				Fix: "Use the web server flow with PKCE.", SetupPath: "Setup → OAuth and OpenID Connect Settings"},
		},
		Scopes: guidance.ScopeDiagnosis{Requested: in.RequestedScopes, RefreshTokenWhyNot: "the username-password flow never issues one"},
	}
	if in.Result != nil && in.Result.OAuthError != nil {
		r.Error = &guidance.ErrorExplanation{Code: in.Result.OAuthError.Code, Description: in.Result.OAuthError.Description,
			Causes: []string{"The session timed out or was revoked."},
			Fixes:  []guidance.Advice{{Severity: guidance.SeverityError, Title: "Get a new session", Fix: "Run the flow again, or refresh."}}}
	}
	return r
}

func (f *fakeBackend) backend() Backend {
	return Backend{
		RunFlow: func(_ context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
			f.record(req)
			progress(flows.Progress{Step: "exchanging", Message: "POST /services/oauth2/token", Time: t0})
			res := okResult(req)
			if req.Password == "wrong" {
				res.Token = nil
				res.OAuthError = &flows.OAuthError{Code: "invalid_grant", Description: "authentication failure", Status: 400, Where: "token"}
				res.Err = res.OAuthError
			}
			return res
		},
		Explain: fakeExplain,
		Now:     func() time.Time { return t0 },
	}
}

func demoStore() *MemoryStore {
	return NewMemoryStore([]Profile{{Profile: store.Profile{
		ID: "p1", Name: "Username-password: how long does it last?", LoginURL: "http://127.0.0.1:8080",
		AppKind: store.ConnectedApp, ClientID: "3MVG9CALdemo.WebApp.0001", Flow: string(flows.UsernamePassword),
		Username: "demo@connectedapplab.example",
	}}, {Profile: store.Profile{
		ID: "p2", Name: "Web server + PKCE", LoginURL: productionURL, AppKind: store.ExternalClientApp,
		ClientID: "3MVG9CALdemo.EcaPkce.0005", Flow: string(flows.WebServerPKCE), CallbackURL: "http://localhost:1717/OauthRedirect",
		Scopes: []string{"api", "refresh_token", "openid"},
	}}}, map[string]Secrets{"p1": {ClientSecret: "WebAppDemoSecret0001", Password: "Demo-Pass-1", SecurityToken: "DEMOTOKEN1"}})
}

func newTestLab(t *testing.T, be Backend, st ProfileStore) (*Lab, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	l := New(w, be, Options{Store: st, TickEvery: -1})
	w.SetContent(l.Content())
	l.Install()
	w.Resize(fyne.NewSize(1280, 800))
	l.Start()
	waitIdle()
	t.Cleanup(l.Close)
	return l, w
}

func TestWindowLoadsFirstProfileIntoForm(t *testing.T) {
	fb := &fakeBackend{}
	l, w := newTestLab(t, fb.backend(), demoStore())
	if got := l.form.name.Text; got != "Username-password: how long does it last?" {
		t.Fatalf("form name = %q, want the first profile", got)
	}
	if l.form.password.Text != "Demo-Pass-1" || !l.form.password.Password {
		t.Errorf("password entry = %q (masked %v), want the stored secret, masked", l.form.password.Text, l.form.password.Password)
	}
	if l.flowPick.flow() != flows.UsernamePassword {
		t.Errorf("flow = %q", l.flowPick.flow())
	}
	if !strings.Contains(l.flowPick.refresh.Text, "never") {
		t.Errorf("flow picker refresh line = %q, want it to say the flow never issues a refresh token", l.flowPick.refresh.Text)
	}
	if l.form.rows["callback"][1].Visible() {
		t.Error("callback URL shown for the username-password flow, which does not use it")
	}
	test.AssertRendersToMarkup(t, "lab_initial.xml", w.Canvas())
}

func TestTypeIntoFormRunSeeResultsGuidanceTranscript(t *testing.T) {
	fb := &fakeBackend{}
	l, w := newTestLab(t, fb.backend(), demoStore())

	l.form.clientID.SetText("")
	test.Type(l.form.clientID, "3MVG-typed")
	l.form.secToken.SetText("")
	test.Type(l.form.secToken, "TYPEDTOKEN")
	api := l.scopes.checks["api"] // tapped on its box, which sits in the middle of its row
	test.TapAt(api, fyne.NewPos(8, api.Size().Height/2))
	test.Tap(l.runBtn)
	waitIdle()

	reqs := fb.got()
	if len(reqs) != 1 {
		t.Fatalf("RunFlow called %d times, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Flow != flows.UsernamePassword || r.ClientID != "3MVG-typed" || r.SecurityToken != "TYPEDTOKEN" ||
		r.Password != "Demo-Pass-1" || r.ClientSecret != "WebAppDemoSecret0001" || r.LoginURL != "http://127.0.0.1:8080" {
		t.Errorf("request = %+v, want the typed values and the stored secrets", r)
	}
	if strings.Join(r.Scopes, " ") != "api" {
		t.Errorf("scopes = %v, want [api]", r.Scopes)
	}
	if l.running || !l.cancelBtn.Disabled() || l.runBtn.Disabled() {
		t.Error("after the run: Run should be enabled again and Cancel disabled")
	}
	if got := l.lifetimes.countdown.Text; !strings.Contains(got, "Expires in 2h 00m 00s if idle (estimated)") {
		t.Errorf("countdown = %q", got)
	}
	if !strings.HasPrefix(l.answer.shown, "Lifetime: Not long lived") {
		t.Errorf("the answer = %q", l.answer.shown)
	}
	if l.tabs.Selected() != l.tokensTab {
		t.Errorf("selected tab = %q, want Tokens", l.tabs.Selected().Text)
	}
	if !strings.Contains(l.status.Text, "done") {
		t.Errorf("status = %q", l.status.Text)
	}
	test.AssertRendersToMarkup(t, "lab_results.xml", w.Canvas())

	l.tabs.Select(l.transTab)
	test.AssertRendersToMarkup(t, "lab_transcript.xml", w.Canvas())

	l.copyAccessToken()
	if l.clipboard != okResult(r).Token.AccessToken || fyne.CurrentApp().Clipboard().Content() != l.clipboard {
		t.Errorf("copy access token put %q on the clipboard", l.clipboard)
	}
	if l.dirty != true {
		t.Error("typed changes should leave the profile marked unsaved")
	}
}

func TestFailedFlowKeepsEverythingTypedAndExplainsTheError(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	l.form.password.SetText("")
	test.Type(l.form.password, "wrong")
	test.Type(l.form.username, "x")
	test.Tap(l.runBtn)
	waitIdle()

	if l.form.password.Text != "wrong" || l.form.username.Text != "xdemo@connectedapplab.example" {
		t.Errorf("form lost what was typed: password %q, username %q", l.form.password.Text, l.form.username.Text)
	}
	if !strings.HasPrefix(l.status.Text, "Failed: invalid_grant") || l.status.Importance != widget.DangerImportance {
		t.Errorf("status = %q", l.status.Text)
	}
	if len(l.guide.errBox.Objects) == 0 {
		t.Error("guidance shows no error explanation")
	}
	if l.tabs.Selected() != l.transTab {
		t.Errorf("selected tab = %q, want Transcript after a failure", l.tabs.Selected().Text)
	}
}

func TestCancelStopsARunningFlow(t *testing.T) {
	started := make(chan struct{})
	be := Backend{
		RunFlow: func(ctx context.Context, req flows.Request, _ func(flows.Progress)) *flows.Result {
			close(started)
			<-ctx.Done()
			return &flows.Result{Flow: req.Flow, Err: ctx.Err()}
		},
		Explain: fakeExplain,
		Now:     func() time.Time { return t0 },
	}
	l, _ := newTestLab(t, be, demoStore())
	test.Tap(l.runBtn)
	<-started
	if !l.running || l.cancelBtn.Disabled() || !l.runBtn.Disabled() {
		t.Fatal("while running: Cancel should be enabled and Run disabled")
	}
	test.Tap(l.cancelBtn)
	waitIdle()
	if l.running || !strings.HasPrefix(l.status.Text, "Cancelled") {
		t.Errorf("after cancel: running=%v status=%q", l.running, l.status.Text)
	}
}

func TestDeviceFlowShowsUserCodeLargeWithCopyAndCountdown(t *testing.T) {
	shown, release := make(chan struct{}), make(chan struct{})
	be := Backend{
		RunFlow: func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
			progress(flows.Progress{Step: "user-code", Message: "Type the code at the verification page", Time: t0,
				UserCode: "ABCD-1234", VerificationURL: "https://login.salesforce.com/setup/connect"})
			close(shown)
			<-release
			return &flows.Result{Flow: req.Flow, Err: context.Canceled}
		},
		Explain: fakeExplain,
		Now:     func() time.Time { return t0 },
	}
	st := NewMemoryStore([]Profile{{Profile: store.Profile{ID: "d", Name: "Device flow", LoginURL: productionURL, ClientID: "3MVG-device", Flow: string(flows.Device)}}}, nil)
	l, w := newTestLab(t, be, st)
	test.Tap(l.runBtn)
	<-shown
	if l.run.userCode.Text != "ABCD-1234" || !l.run.device.Visible() {
		t.Errorf("user code %q visible=%v", l.run.userCode.Text, l.run.device.Visible())
	}
	if got := l.run.countdown.Text; !strings.Contains(got, "10m 00s") { // flows.DefaultDeviceTimeout
		t.Errorf("countdown = %q, want 10m 00s left", got)
	}
	test.AssertRendersToMarkup(t, "lab_device_running.xml", w.Canvas())
	l.copyText("user code", l.run.userCode.Text)
	if fyne.CurrentApp().Clipboard().Content() != "ABCD-1234" {
		t.Error("user code not copied")
	}
	close(release)
	waitIdle()
}

func TestRefreshUsesTheRefreshTokenOfTheLastRun(t *testing.T) {
	fb := &fakeBackend{}
	be := fb.backend()
	run := be.RunFlow
	be.RunFlow = func(ctx context.Context, req flows.Request, p func(flows.Progress)) *flows.Result {
		res := run(ctx, req, p)
		if req.Flow != flows.Refresh && res.Token != nil {
			res.Token.RefreshToken = "5Aep861-refresh-token-value"
		}
		return res
	}
	st := NewMemoryStore([]Profile{{Profile: store.Profile{ID: "w", Name: "Web", LoginURL: productionURL, ClientID: "3MVG-web", Flow: string(flows.WebServer),
		CallbackURL: "http://localhost:1717/OauthRedirect", Scopes: []string{"api", "refresh_token"}}}},
		map[string]Secrets{"w": {ClientSecret: "web-secret"}}) // the web server flow needs it: Run checks the form first
	l, _ := newTestLab(t, be, st)
	test.Tap(l.runBtn)
	waitIdle()
	if l.refreshBtn.Disabled() {
		t.Fatal("Refresh disabled although a refresh token came back")
	}
	test.Tap(l.refreshBtn)
	waitIdle()
	reqs := fb.got()
	if len(reqs) != 2 || reqs[1].Flow != flows.Refresh || reqs[1].RefreshToken != "5Aep861-refresh-token-value" {
		t.Fatalf("second request = %+v, want a refresh with the token of the first run", reqs[len(reqs)-1])
	}
	if l.refreshTokenOf(l.last) != "5Aep861-refresh-token-value" {
		t.Error("a refresh without rotation should keep the refresh token it used")
	}
}

func TestCallAPIAfterClockAdvanceExplainsInvalidSession(t *testing.T) {
	fb := &fakeBackend{}
	be := fb.backend()
	var advanced time.Duration
	be.CallAPI = func(_ context.Context, _ flows.Request, tok *flows.TokenResponse) ([]flows.Exchange, error) {
		ex := []flows.Exchange{{Step: "rest", Method: "GET", URL: tok.InstanceURL + "/services/data/v62.0/limits", Status: 401}}
		if advanced >= 2*time.Hour {
			return ex, &flows.OAuthError{Code: "INVALID_SESSION_ID", Description: "Session expired or invalid", Status: 401, Where: "rest"}
		}
		ex[0].Status = 200
		return ex, nil
	}
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	demo := &Demo{Store: demoStore(), Banner: "Demo: an emulated org.", AdvanceClock: func(_ context.Context, by time.Duration) error {
		advanced += by
		return nil
	}}
	l := New(w, be, Options{Demo: demo, TickEvery: -1})
	w.SetContent(l.Content())
	w.Resize(fyne.NewSize(1280, 800))
	l.Start()
	waitIdle()
	defer l.Close()

	test.Tap(l.runBtn)
	waitIdle()
	test.Tap(l.callBtn)
	waitIdle()
	if !strings.HasPrefix(l.status.Text, "API call succeeded") {
		t.Fatalf("status = %q", l.status.Text)
	}
	test.Tap(l.advanceBtn) // 2h by default
	waitIdle()
	if !strings.Contains(l.lifetimes.countdown.Text, "expired") {
		t.Errorf("countdown after moving the clock 2h = %q, want expired", l.lifetimes.countdown.Text)
	}
	test.Tap(l.callBtn)
	waitIdle()
	if !strings.Contains(l.status.Text, "INVALID_SESSION_ID") {
		t.Errorf("status = %q", l.status.Text)
	}
	if len(l.guide.errBox.Objects) == 0 {
		t.Error("guidance does not explain INVALID_SESSION_ID")
	}
	if n := len(l.last.extra); n != 2 {
		t.Errorf("transcript has %d extra exchanges, want the 2 API calls", n)
	}
	test.AssertRendersToMarkup(t, "lab_demo_session_expired.xml", w.Canvas())
}

// In the demo every request the window sends carries the emulated org's clock
// (flows.Options.Now), so that what the client dates (a JWT assertion, ID token checks)
// follows the org after Advance org clock; a real org's requests keep this machine's clock.
func TestDemoRequestsFollowTheOrgClock(t *testing.T) {
	for _, withNow := range []bool{false, true} {
		t.Run(map[bool]string{false: "window's offset", true: "Demo.Now"}[withNow], func(t *testing.T) {
			fb := &fakeBackend{}
			be := fb.backend()
			var apiReqs, introReqs []flows.Request
			be.CallAPI = func(_ context.Context, req flows.Request, _ *flows.TokenResponse) ([]flows.Exchange, error) {
				apiReqs = append(apiReqs, req)
				return nil, nil
			}
			be.Introspect = func(_ context.Context, req flows.Request, _ string) (*flows.Introspection, []flows.Exchange, error) {
				introReqs = append(introReqs, req)
				return &flows.Introspection{Active: true}, nil, nil
			}
			var org time.Duration // how far the emulated org's clock moved
			demo := &Demo{Store: demoStore(), AdvanceClock: func(_ context.Context, by time.Duration) error { org += by; return nil }}
			if withNow {
				demo.Now = func() time.Time { return t0.Add(org).Add(time.Second) } // a clock of its own
			}
			test.NewTempApp(t)
			w := test.NewTempWindow(t, nil)
			l := New(w, be, Options{Demo: demo, TickEvery: -1})
			w.SetContent(l.Content())
			l.Start()
			waitIdle()
			defer l.Close()
			want := func(d time.Duration) time.Time {
				if withNow {
					return t0.Add(d).Add(time.Second)
				}
				return t0.Add(d)
			}

			test.Tap(l.runBtn)
			waitIdle()
			reqs := fb.got()
			if len(reqs) != 1 || reqs[0].Options.Now == nil {
				t.Fatalf("the demo run's request has no clock: %+v", reqs)
			}
			if got := reqs[0].Options.Now(); !got.Equal(want(0)) {
				t.Errorf("clock before moving it = %v, want %v", got, want(0))
			}
			l.advanceSel.SetSelected("1d")
			test.Tap(l.advanceBtn)
			waitIdle()
			l.advanceSel.SetSelected("2h")
			test.Tap(l.advanceBtn)
			waitIdle()
			test.Tap(l.runBtn)
			waitIdle()
			test.Tap(l.callBtn)
			waitIdle()
			test.Tap(l.introspectBtn)
			waitIdle()
			reqs = fb.got()
			// Each run is introspected right away (the client has its secret), then once more.
			if len(reqs) != 2 || len(apiReqs) != 1 || len(introReqs) != 3 {
				t.Fatalf("%d runs, %d API calls, %d introspections; want 2, 1, 3", len(reqs), len(apiReqs), len(introReqs))
			}
			for what, req := range map[string]flows.Request{"run": reqs[1], "API call": apiReqs[0], "introspection after the run": introReqs[1],
				"introspection": introReqs[2]} {
				if req.Options.Now == nil {
					t.Errorf("the %s after moving the clock has no clock", what)
				} else if got := req.Options.Now(); !got.Equal(want(26 * time.Hour)) {
					t.Errorf("the %s's clock = %v, want the org's %v", what, got, want(26*time.Hour))
				}
			}
		})
	}

	// A real org: no clock is set, flows uses this machine's.
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	test.Tap(l.runBtn)
	waitIdle()
	if reqs := fb.got(); len(reqs) != 1 || reqs[0].Options.Now != nil {
		t.Errorf("a real org's request got a clock: %+v", reqs)
	}
}
