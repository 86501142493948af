package ui

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
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
	r := guidance.Report{Flow: in.Flow, Headline: "Not long lived: an idle session of 2 hours (assumed). No refresh token: this flow never issues one.",
		ExpiresIfIdleAt: &exp, ExpiryEstimated: true,
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
	return NewMemoryStore([]Profile{{
		ID: "p1", Name: "Username-password: how long does it last?", LoginURL: "http://127.0.0.1:8080",
		AppKind: AppKindConnected, ClientID: "3MVG9CALdemo.WebApp.0001", Flow: flows.UsernamePassword,
		Username: "demo@connectedapplab.example",
	}, {
		ID: "p2", Name: "Web server + PKCE", LoginURL: productionURL, AppKind: AppKindExternal,
		ClientID: "3MVG9CALdemo.EcaPkce.0005", Flow: flows.WebServerPKCE, CallbackURL: "http://localhost:1717/OauthRedirect",
		Scopes: []string{"api", "refresh_token", "openid"},
	}}, map[string]Secrets{"p1": {ClientSecret: "WebAppDemoSecret0001", Password: "Demo-Pass-1", SecurityToken: "DEMOTOKEN1"}})
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
	test.Tap(l.scopes.checks["api"])
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
	if !strings.HasPrefix(l.guide.headline.Text, "Not long lived") {
		t.Errorf("guidance headline = %q", l.guide.headline.Text)
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
	st := NewMemoryStore([]Profile{{ID: "d", Name: "Device flow", LoginURL: productionURL, ClientID: "3MVG-device", Flow: flows.Device}}, nil)
	l, w := newTestLab(t, be, st)
	test.Tap(l.runBtn)
	<-shown
	if l.run.userCode.Text != "ABCD-1234" || !l.run.device.Visible() {
		t.Errorf("user code %q visible=%v", l.run.userCode.Text, l.run.device.Visible())
	}
	if got := l.run.countdown.Text; !strings.Contains(got, "5m 00s") {
		t.Errorf("countdown = %q, want 5m 00s left", got)
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
	st := NewMemoryStore([]Profile{{ID: "w", Name: "Web", LoginURL: productionURL, ClientID: "3MVG-web", Flow: flows.WebServer,
		CallbackURL: "http://localhost:1717/OauthRedirect", Scopes: []string{"api", "refresh_token"}}}, nil)
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

func TestProfilesAddDuplicateImport(t *testing.T) {
	st := demoStore()
	l, _ := newTestLab(t, Backend{}, st)
	test.Tap(l.profiles.add)
	waitIdle()
	test.Tap(l.profiles.add)
	waitIdle()
	ps, _ := st.List()
	if len(ps) != 4 || ps[2].Name != "New profile" || ps[3].Name != "New profile 2" {
		t.Fatalf("after two New: %v", names(ps))
	}
	if cur, _ := l.profiles.current(); cur.Name != "New profile 2" || l.form.name.Text != "New profile 2" {
		t.Errorf("selected %q, form %q: want the new profile", cur.Name, l.form.name.Text)
	}
	l.profiles.list.Select(0)
	waitIdle()
	test.Tap(l.profiles.duplicate)
	waitIdle()
	ps, _ = st.List()
	if len(ps) != 5 || ps[4].Name != "Username-password: how long does it last? copy" {
		t.Fatalf("after Duplicate: %v", names(ps))
	}
	if s, _ := st.Secrets(ps[4].ID); s.Password != "Demo-Pass-1" {
		t.Error("a duplicate should keep the secrets")
	}
	l.importFrom(io.NopCloser(strings.NewReader(`{"schema_version":1,"profiles":[{"id":"p_x","name":"Web server + PKCE","login_url":"https://test.salesforce.com","client_id":"3MVG-imp","flow":"web-server"}]}`)))
	waitIdle()
	ps, _ = st.List()
	if len(ps) != 6 || ps[5].Name != "Web server + PKCE (imported 1)" || ps[5].LoginURL != sandboxURL {
		t.Fatalf("after import: %v", names(ps))
	}
}

func names(ps []Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestSwitchingProfilesKeepsUnsavedEdits(t *testing.T) {
	l, _ := newTestLab(t, Backend{}, demoStore())
	test.Type(l.form.clientID, "-edited")
	l.profiles.list.Select(1)
	waitIdle()
	if l.form.name.Text != "Web server + PKCE" {
		t.Fatalf("form shows %q", l.form.name.Text)
	}
	if !l.form.rows["callback"][1].Visible() {
		t.Error("callback URL hidden for the web server flow")
	}
	l.profiles.list.Select(0)
	waitIdle()
	if l.form.clientID.Text != "-edited3MVG9CALdemo.WebApp.0001" || !l.dirty {
		t.Errorf("client ID %q dirty=%v: the edit was lost", l.form.clientID.Text, l.dirty)
	}
}

func TestCallbackURLCheck(t *testing.T) {
	for _, tc := range []struct {
		name, url, want string
	}{
		{"localhost with port and path", "http://localhost:1717/OauthRedirect", ""},
		{"IPv4 loopback", "http://127.0.0.1:8080/callback", ""},
		{"IPv6 loopback", "http://[::1]:8080/cb", ""},
		{"https is not served by the listener", "https://localhost:1717/cb", "must use http://"},
		{"remote host", "http://example.com:1717/cb", "not on this machine's loopback"},
		{"no port", "http://localhost/cb", "no port"},
		{"empty", "", "empty"},
		{"custom scheme", "myapp://callback", "must use http://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checkCallbackShape(tc.url)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestCallbackCheckShownInForm(t *testing.T) {
	test.NewTempApp(t)
	f := newProfileForm()
	f.callback.SetText("http://localhost:1717/OauthRedirect")
	if !strings.HasPrefix(f.cbCheck.Text, "✓") || !strings.Contains(f.cbCheck.Text, "localhost:1717") {
		t.Errorf("check = %q", f.cbCheck.Text)
	}
	f.checkCallback = func(string) error { return errors.New("address already in use") }
	f.callback.SetText("http://localhost:1718/OauthRedirect")
	waitIdle()
	if !strings.Contains(f.cbCheck.Text, "address already in use") {
		t.Errorf("check = %q, want the bind error", f.cbCheck.Text)
	}
}

func TestLoginHostChoices(t *testing.T) {
	test.NewTempApp(t)
	f := newProfileForm()
	for _, tc := range []struct{ in, host, out string }{
		{"", hostProduction, productionURL},
		{sandboxURL, hostSandbox, sandboxURL},
		{"https://acme.my.salesforce.com/", hostMyDomain, "https://acme.my.salesforce.com"},
		{"http://127.0.0.1:4444", hostCustom, "http://127.0.0.1:4444"},
	} {
		f.setLoginURL(tc.in)
		if f.host.Selected != tc.host || f.loginURL() != tc.out {
			t.Errorf("%q: host %q url %q, want %q %q", tc.in, f.host.Selected, f.loginURL(), tc.host, tc.out)
		}
	}
	f.host.SetSelected(hostMyDomain)
	f.hostURL.SetText("acme")
	if got := f.loginURL(); got != "https://acme.my.salesforce.com" {
		t.Errorf("My Domain name only gives %q", got)
	}
}

func TestScopeChecklistPutsRefreshTokenOnTopAndKeepsCustomScopes(t *testing.T) {
	test.NewTempApp(t)
	scopes := guidance.Scopes()
	c := newScopeChecklist(scopes)
	if i := slices.IndexFunc(scopes, func(s guidance.ScopeInfo) bool { return s.Name == "refresh_token" }); i < 0 || i > 1 || !scopes[i].Prominent {
		t.Error("refresh_token should be one of the first two scopes, and prominent")
	}
	c.set([]string{"api", "refresh_token", "mcp_api", "my_custom"})
	if got := strings.Join(c.selected(), " "); got != "api refresh_token mcp_api my_custom" {
		t.Errorf("selected = %q", got)
	}
	for _, s := range scopes {
		if s.Meaning == "" {
			t.Errorf("scope %s has no meaning line", s.Name)
		}
	}
}

func TestTokenFieldsMaskedInOrder(t *testing.T) {
	raw := maps.Clone(okResult(flows.Request{}).Token.Raw())
	raw["refresh_token"] = "5Aep861refresh"
	raw["sfdc_community_url"] = "https://x"
	tok := flows.NewTokenResponse(raw)
	var keys []string
	for _, f := range tokenFields(tok) {
		keys = append(keys, f[0])
	}
	if got := strings.Join(keys, " "); got != "access_token refresh_token instance_url id token_type issued_at signature sfdc_community_url" {
		t.Errorf("order = %s", got)
	}
	if m := mask(tok.AccessToken); strings.Contains(m, "FakeAccessToken") || !strings.HasPrefix(m, "00D5g0") {
		t.Errorf("mask = %q", m)
	}
}

func TestIDTokenClaimsDecoded(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"https://login.salesforce.com/id/00D/005","exp":1767348120,"aud":"3MVG"}`))
	claims, err := decodeJWTClaims("eyJhbGciOiJSUzI1NiJ9." + payload + ".sig")
	if err != nil || claims["aud"] != "3MVG" || claims["exp"].(float64) != 1767348120 {
		t.Fatalf("claims %v, err %v", claims, err)
	}
	if _, err := decodeJWTClaims("opaque"); err == nil {
		t.Error("an opaque token decoded as a JWT")
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Hour:                     "2h 00m 00s",
		90*time.Second + time.Millisecond: "1m 30s",
		5 * time.Second:                   "5s",
		50 * time.Hour:                    "2d 2h",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// Lint runs before every Run once the profile's App settings are known, says what it found on
// the line above Run, and never stops the run.
func TestLintBeforeRunWarnsButNeverBlocks(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	p := l.Probe()

	// Settings never read nor edited: nothing to lint against, no line.
	test.Tap(l.runBtn)
	waitIdle()
	if got := p.LintLine(); got != "" {
		t.Errorf("lint line %q before any App settings", got)
	}

	pick := func(name string) {
		t.Helper()
		if !p.SelectProfile(name) {
			t.Fatalf("no profile %q", name)
		}
		waitIdle()
	}
	pick("Web server + PKCE")
	p.ShowAppSettings()
	p.AppEntry("callbacks").SetText("http://localhost:1718/callback")
	p.AppEntry("scopes").SetText("api openid")
	test.Tap(l.runBtn)
	waitIdle()
	if n := len(fb.got()); n != 2 {
		t.Fatalf("%d runs, want 2: lint must not block the run", n)
	}
	if !strings.Contains(p.Status(), "done in") {
		t.Errorf("status %q, want the run's result", p.Status())
	}
	line := p.LintLine()
	for _, want := range []string{"errors", "callback-port", "refresh-token-not-selected", "The run goes ahead anyway"} {
		if !strings.Contains(line, want) {
			t.Errorf("lint line %q lacks %q", line, want)
		}
	}
	// The findings under App settings are the same, grouped by severity.
	f := p.AppFindings()
	for _, want := range []string{"Errors: the flow will fail", "Why: ", "Fix: ", "Setup: ", "Metadata: ", "Lint code: callback-port"} {
		if !strings.Contains(f, want) {
			t.Errorf("findings lack %q:\n%s", want, f)
		}
	}

	// Fixed settings: the next run says nothing.
	p.AppEntry("callbacks").SetText("http://localhost:1717/OauthRedirect")
	p.AppEntry("scopes").SetText("api refresh_token openid")
	l.app.secretWeb.SetChecked(false) // a public client: the profile has no secret
	l.app.permitted.SetSelectedIndex(0)
	test.Tap(l.runBtn)
	waitIdle()
	if got := p.LintLine(); got != "" {
		t.Errorf("lint line %q after fixing the settings; findings:\n%s", got, p.AppFindings())
	}
	if n := len(fb.got()); n != 3 {
		t.Fatalf("%d runs, want 3", n)
	}
}

func TestExportAppSettingsRefusesToOverwrite(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	p := l.Probe()
	p.ShowAppSettings()
	p.AppEntry("api").SetText("My_App")
	p.AppEntry("callbacks").SetText("http://localhost:1717/OauthRedirect")
	p.AppEntry("scopes").SetText("api refresh_token")
	dir := t.TempDir()

	l.exportAppTo(dir) // no contact email: refused before anything is written
	waitIdle()
	if p.LastDialog() != "The settings cannot become metadata yet" {
		t.Fatalf("dialog %q, want the validation error", p.LastDialog())
	}
	p.AppEntry("contact").SetText("admin@example.com")
	l.exportAppTo(dir)
	waitIdle()
	if !strings.Contains(p.Status(), "Exported") {
		t.Fatalf("status %q, want Exported", p.Status())
	}
	meta, err := os.ReadFile(dir + "/My_App/force-app/main/default/connectedApps/My_App.connectedApp-meta.xml")
	if err != nil || !strings.Contains(string(meta), "http://localhost:1717/OauthRedirect") {
		t.Fatalf("metadata file: %v\n%s", err, meta)
	}
	l.lastDialog = ""
	l.exportAppTo(dir)
	waitIdle()
	if p.LastDialog() != "Export refused" {
		t.Errorf("second export: dialog %q, want Export refused", p.LastDialog())
	}
}

// Read from org needs a run's token first, and says so instead of calling the backend.
func TestReadFromOrgWithoutTokenAsksToLogInFirst(t *testing.T) {
	fb := &fakeBackend{}
	be := fb.backend()
	called := false
	be.ReadAppSettings = func(context.Context, string, string, connectedapp.Kind, string) (connectedapp.Settings, error) {
		called = true
		return connectedapp.Settings{}, errors.New("unexpected")
	}
	l, _ := newTestLab(t, be, demoStore())
	p := l.Probe()
	p.ShowAppSettings()
	p.AppEntry("api").SetText("Web_App")
	test.Tap(p.AppButton("read"))
	waitIdle()
	if called || p.LastDialog() != "Log in first" {
		t.Errorf("called %v, dialog %q; want the Log in first dialog and no call", called, p.LastDialog())
	}
}

// failingStore is a MemoryStore whose Save fails while fail is set.
type failingStore struct {
	*MemoryStore
	fail bool
}

func (f *failingStore) Save(p Profile, s Secrets) (Profile, error) {
	if f.fail {
		return Profile{}, errors.New("write /home/u/.config/connectedapplab/profiles.json: no space left on device;\ncheck the disk")
	}
	return f.MemoryStore.Save(p, s)
}

// What is typed into the App settings tab is the profile's: it marks the profile unsaved,
// survives switching profiles, is saved by Save profile, and is there again in a new window
// over the same store.
func TestAppSettingsAreSavedWithTheProfile(t *testing.T) {
	st := demoStore()
	l, _ := newTestLab(t, Backend{}, st)
	p := l.Probe()
	pick := func(l *Lab, name string) {
		t.Helper()
		if !l.Probe().SelectProfile(name) {
			t.Fatalf("no profile %q", name)
		}
		waitIdle()
	}
	pick(l, "Web server + PKCE")
	p.ShowAppSettings()
	if l.dirty {
		t.Fatal("showing the tab marked the profile unsaved")
	}
	p.AppEntry("contact").SetText("")
	test.Type(p.AppEntry("contact"), "admin@example.com")
	p.AppEntry("callbacks").SetText("http://localhost:1717/OauthRedirect\nhttp://localhost:1718/cb")
	p.AppEntry("scopes").SetText("api openid")
	if !l.app.pkce.Checked {
		t.Fatal("an External Client App's tab should start with PKCE required (Salesforce's default)")
	}
	test.Tap(l.app.pkce)              // off
	l.app.session.SetSelectedIndex(2) // 30 minutes
	if !l.dirty || l.saveBtn.Text != "Save profile •" {
		t.Fatalf("editing App settings left the profile clean (save button %q)", l.saveBtn.Text)
	}
	if !strings.HasPrefix(l.app.source.Text, "Edited here, not saved yet") {
		t.Errorf("source line %q", l.app.source.Text)
	}

	// Switching away and back keeps the edits, unsaved.
	pick(l, "Username-password: how long does it last?")
	if got := p.AppEntry("contact").Text; got != "" {
		t.Errorf("the other profile shows contact %q", got)
	}
	pick(l, "Web server + PKCE")
	if got := p.AppEntry("contact").Text; got != "admin@example.com" {
		t.Fatalf("after switching back the contact email is %q: the edit was lost", got)
	}
	if !l.dirty {
		t.Error("after switching back the profile no longer says it is unsaved")
	}

	test.Tap(l.saveBtn)
	waitIdle()
	if l.dirty || !strings.HasPrefix(p.Status(), "Saved Web server + PKCE") {
		t.Fatalf("after Save: dirty=%v status %q", l.dirty, p.Status())
	}
	if !strings.HasPrefix(l.app.source.Text, "Saved with this profile") {
		t.Errorf("source line after Save %q", l.app.source.Text)
	}
	ps, _ := st.List()
	var saved connectedapp.Settings
	if err := json.Unmarshal(ps[1].AppSettings, &saved); err != nil {
		t.Fatalf("the store holds no App settings for the profile: %v (%q)", err, ps[1].AppSettings)
	}
	if saved.ContactEmail != "admin@example.com" || len(saved.CallbackURLs) != 2 || saved.SessionTimeoutMinutes != 30 ||
		saved.PKCERequired || saved.Kind != connectedapp.External {
		t.Errorf("stored settings %+v", saved)
	}
	if ps[0].AppSettings != nil {
		t.Errorf("the untouched profile got App settings %s", ps[0].AppSettings)
	}

	// A new window over the same store (the next start of the app) shows them again.
	fb := &fakeBackend{}
	l2, _ := newTestLab(t, fb.backend(), st)
	pick(l2, "Web server + PKCE")
	l2.ShowAppSettings()
	p2 := l2.Probe()
	if got := p2.AppEntry("contact").Text; got != "admin@example.com" {
		t.Errorf("new window: contact %q", got)
	}
	if got := p2.AppEntry("callbacks").Text; got != "http://localhost:1717/OauthRedirect\nhttp://localhost:1718/cb" {
		t.Errorf("new window: callbacks %q", got)
	}
	if l2.app.session.SelectedIndex() != 2 || l2.app.pkce.Checked {
		t.Errorf("new window: session index %d, PKCE %v", l2.app.session.SelectedIndex(), l2.app.pkce.Checked)
	}
	if l2.dirty || !strings.HasPrefix(l2.app.source.Text, "Saved with this profile") {
		t.Errorf("new window: dirty=%v source %q", l2.dirty, l2.app.source.Text)
	}
	// Saved settings are what Run lints against: the profile asks for refresh_token, which
	// the saved app settings do not select.
	test.Tap(l2.runBtn)
	waitIdle()
	if got := p2.LintLine(); !strings.Contains(got, "refresh-token-not-selected") {
		t.Errorf("lint line %q, want the saved settings linted before the run", got)
	}
}

// A save that fails keeps what was typed in the App settings tab, says so on one line, and
// saving again once the store works stores it.
func TestAppSettingsKeptWhenSaveFails(t *testing.T) {
	st := &failingStore{MemoryStore: demoStore(), fail: true}
	l, _ := newTestLab(t, Backend{}, st)
	p := l.Probe()
	p.ShowAppSettings()
	p.AppEntry("api").SetText("")
	test.Type(p.AppEntry("api"), "Web_App")
	test.Tap(l.saveBtn)
	waitIdle()
	if got := p.Status(); got != "Not saved: write /home/u/.config/connectedapplab/profiles.json: no space left on device; check the disk" ||
		l.status.Importance != widget.DangerImportance {
		t.Errorf("status %q (importance %v), want the error on one line", got, l.status.Importance)
	}
	if p.LastDialog() != "Could not save the profile" {
		t.Errorf("dialog %q", p.LastDialog())
	}
	if p.AppEntry("api").Text != "Web_App" || !l.dirty {
		t.Fatalf("after the failed save: API name %q, dirty %v", p.AppEntry("api").Text, l.dirty)
	}
	l.profiles.list.Select(1)
	waitIdle()
	l.profiles.list.Select(0)
	waitIdle()
	if p.AppEntry("api").Text != "Web_App" || !l.dirty {
		t.Fatalf("after switching back: API name %q, dirty %v", p.AppEntry("api").Text, l.dirty)
	}
	st.fail = false
	test.Tap(l.saveBtn)
	waitIdle()
	ps, _ := st.List()
	var saved connectedapp.Settings
	if err := json.Unmarshal(ps[0].AppSettings, &saved); err != nil || saved.Name != "Web_App" {
		t.Errorf("stored App settings %s (%v), want the API name typed before the failed save", ps[0].AppSettings, err)
	}
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
			if len(reqs) != 2 || len(apiReqs) != 1 || len(introReqs) != 1 {
				t.Fatalf("%d runs, %d API calls, %d introspections; want 2, 1, 1", len(reqs), len(apiReqs), len(introReqs))
			}
			for what, req := range map[string]flows.Request{"run": reqs[1], "API call": apiReqs[0], "introspection": introReqs[0]} {
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
