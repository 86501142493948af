package sfemutest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// The org a test starts answers on loopback while the test runs and is closed when it ends.
func TestStartServesUntilTheTestEnds(t *testing.T) {
	var login, myDomain string
	t.Run("inner", func(t *testing.T) {
		org := sfemutest.Start(t)
		login, myDomain = org.LoginURL, org.MyDomainURL
		for _, u := range []string{login, myDomain} {
			if !strings.HasPrefix(u, "http://127.0.0.1:") {
				t.Errorf("URL %q is not on loopback", u)
			}
		}
		tok := org.PasswordToken(t, "Web App", sfemu.DemoUser)
		if tok.AccessToken == "" || tok.InstanceURL != myDomain || !strings.HasPrefix(tok.ID, login+"/id/") {
			t.Errorf("password token: %+v", tok)
		}
	})
	c := &http.Client{Timeout: 2 * time.Second}
	if res, err := c.Get(login + "/.well-known/openid-configuration"); err == nil {
		res.Body.Close()
		t.Errorf("the org still answers after its test ended: HTTP %d", res.StatusCode)
	}
}

func TestAppAndUserLookUpTheDemoCredentials(t *testing.T) {
	org := sfemutest.Start(t)
	for _, key := range []string{"Web App", "Web_App", sfemu.DemoWebAppKey} {
		if a := org.App(t, key); a.ClientID != sfemu.DemoWebAppKey || a.ClientSecret == "" {
			t.Errorf("App(%q) = %+v", key, a)
		}
	}
	if u := org.User(t, sfemu.DemoAdminUser); u.Password == "" || u.SecurityToken == "" {
		t.Errorf("User(admin) = %+v", u)
	}
	if org.FakeClock != nil || org.CallbackURL != "" {
		t.Errorf("options not asked for: clock %v, callback %q", org.FakeClock, org.CallbackURL)
	}
}

// LoginUser is the app's JWT bearer user when it names one, else the demo user; the user
// comes with the credentials.
func TestLoginUserIsTheAppsJWTUserOrTheDemoUser(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].ConsumerKey == sfemu.DemoIntegrationAppKey {
				o.Apps[i].JWTUsername = sfemu.DemoAdminUser
			}
		}
	}))
	if u := org.LoginUser(t, org.App(t, sfemu.DemoIntegrationAppKey)); u.Username != sfemu.DemoAdminUser || u.Password == "" {
		t.Errorf("an app with a JWT user: %+v", u)
	}
	if u := org.LoginUser(t, org.App(t, sfemu.DemoWebAppKey)); u.Username != sfemu.DemoUser || u.Password == "" || u.SecurityToken == "" {
		t.Errorf("an app without one: %+v", u)
	}
}

// A fake clock is the org's clock: moving it moves the org's time.
func TestFakeClockIsTheOrgsClock(t *testing.T) {
	t0 := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	org := sfemutest.Start(t, sfemutest.FakeClock(t0))
	if got := org.Clock().Now(); !got.Equal(t0) {
		t.Fatalf("org time %s, want %s", got, t0)
	}
	org.FakeClock.Advance(3 * time.Hour)
	if got := org.Clock().Now(); !got.Equal(t0.Add(3 * time.Hour)) {
		t.Errorf("after Advance: org time %s", got)
	}
}

func TestFreeCallbackAndTweakChangeEveryApp(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.FreeCallback(), sfemutest.Control(),
		sfemutest.Tweak(func(o *sfemu.Org) { o.Apps = o.Apps[:2] }), sfemutest.Tweak(nil))
	if !strings.HasPrefix(org.CallbackURL, "http://127.0.0.1:") || strings.Contains(org.CallbackURL, ":1717/") {
		t.Fatalf("callback %q", org.CallbackURL)
	}
	if len(org.Desc.Apps) != 2 {
		t.Fatalf("%d apps after the tweak, want 2", len(org.Desc.Apps))
	}
	for _, a := range org.Desc.Apps {
		if !slices.Contains(a.CallbackURLs, org.CallbackURL) {
			t.Errorf("%s lacks the free callback: %q", a.Name, a.CallbackURLs)
		}
	}
	if org.Desc.Endpoints["control"] == "" {
		t.Error("Control did not serve the control endpoint")
	}
}

func TestOrgFile(t *testing.T) {
	org := sfemutest.Start(t, sfemutest.OrgFile("testdata/org.json"))
	if len(org.Desc.Apps) != 1 || org.App(t, "Only_App").ClientID != "3MVG9sfemutest.OnlyApp" {
		t.Fatalf("apps %+v", org.Desc.Apps)
	}
	if tok := org.PasswordToken(t, "Only App", "tess@sfemutest.example"); tok.AccessToken == "" {
		t.Error("no token from the org file's user")
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"users": 3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(t.TempDir(), "missing.json")} {
		if o, err := sfemutest.New(sfemutest.OrgFile(path)); err == nil || o != nil || !strings.Contains(err.Error(), "org file") {
			t.Errorf("%s: org %v, error %v", path, o, err)
		}
	}
}

func TestLogfGetsOneLinePerRequest(t *testing.T) {
	var lines []string
	org := sfemutest.Start(t, sfemutest.Logf(func(f string, args ...any) { lines = append(lines, f) }))
	org.PasswordToken(t, "Web App", sfemu.DemoUser)
	org.Close()
	if len(lines) == 0 {
		t.Error("Logf received nothing")
	}
}

// Browser logs in and allows the app, then follows the redirect to the callback, where
// the client under test (here a bare handler) receives the code.
func TestBrowserLogsInAndApproves(t *testing.T) {
	got := make(chan string, 1)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.Query().Get("code")
	}))
	defer cb.Close()
	org := sfemutest.Start(t, sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			o.Apps[i].CallbackURLs = append(o.Apps[i].CallbackURLs, cb.URL+"/cb")
		}
	}))
	u := org.User(t, sfemu.DemoUser)
	auth := org.LoginURL + "/services/oauth2/authorize?response_type=code&client_id=" + sfemu.DemoWebAppKey + "&redirect_uri=" + cb.URL + "/cb"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sfemutest.Browser(u.Username, u.Password)(ctx, auth); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-got:
		if code == "" {
			t.Error("the callback came without a code")
		}
	default:
		t.Error("the browser never reached the callback")
	}

	// A wrong password leaves the browser on the login page: no callback.
	err := sfemutest.Browser(u.Username, "wrong")(ctx, auth)
	if err == nil || !strings.Contains(err.Error(), "more than eight pages") {
		t.Errorf("wrong password: %v, want the browser to give up", err)
	}
	select {
	case code := <-got:
		t.Errorf("a wrong password reached the callback with code %q", code)
	default:
	}
}

func TestMovePortMovesOnlyThatPort(t *testing.T) {
	org := sfemu.Demo()
	port := sfemutest.MovePort(t, org, 1717)
	moved, kept := 0, 0
	for _, a := range org.Apps {
		for _, cb := range a.CallbackURLs {
			switch {
			case strings.Contains(cb, ":1717/"):
				t.Errorf("%s still has %s", a.Name, cb)
			case strings.Contains(cb, fmt.Sprintf(":%d/", port)):
				moved++
			case strings.Contains(cb, ":1718/"):
				kept++ // the misconfigured app's deliberately wrong port stays wrong
			}
		}
	}
	if moved == 0 || kept != 1 {
		t.Errorf("moved %d, kept %d callbacks on 1718", moved, kept)
	}
	sfemutest.Start(t, sfemutest.WithOrg(org)) // still a valid org
}
