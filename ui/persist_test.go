package ui_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/store"
	"github.com/connectedapplab/connectedapplab/ui"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// openLab opens the window on the profiles in dir (the real store, secrets in memory).
func openLab(t *testing.T, dir string, kc store.Keychain) (*ui.Lab, ui.Probe) {
	t.Helper()
	s, err := store.Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	l := ui.New(w, ui.Backend{}, ui.Options{Store: wire.NewStore(s), TickEvery: -1})
	w.SetContent(l.Content())
	l.Install()
	w.Resize(fyne.NewSize(1280, 800))
	l.Start()
	waitIdle(t, 10*time.Second)
	t.Cleanup(l.Close)
	return l, l.Probe()
}

// The App settings tab's edits are saved in the profiles file, through the store the app
// uses, and a window opened on that file later (the next start) shows them.
func TestAppSettingsSurviveARestart(t *testing.T) {
	test.NewTempApp(t)
	dir, kc := t.TempDir(), store.MemoryKeychain()
	s, err := store.Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Alpha", "Beta"} {
		if _, err := s.Add(store.Profile{Name: name, LoginURL: "https://login.salesforce.com", ClientID: "3MVG-" + name,
			CallbackURL: "http://localhost:1717/OauthRedirect", Flow: "web-server-pkce", Scopes: []string{"api", "refresh_token"}}); err != nil {
			t.Fatal(err)
		}
	}

	l, p := openLab(t, dir, kc)
	pick(t, p, "Beta")
	p.ShowAppSettings()
	p.AppEntry("api").SetText("Beta_App")
	p.AppEntry("contact").SetText("admin@example.com")
	p.AppEntry("scopes").SetText("api refresh_token openid")
	test.Tap(p.Button("save"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after Save", p.Status(), "Saved Beta")
	l.Close()

	got, err := s.Get("Beta")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.App.Settings) == 0 {
		t.Fatal("the profiles file holds no App settings for Beta")
	}
	if a, _ := s.Get("Alpha"); len(a.App.Settings) != 0 {
		t.Errorf("Alpha got App settings %s", a.App.Settings)
	}

	_, p2 := openLab(t, dir, kc)
	pick(t, p2, "Beta")
	p2.ShowAppSettings()
	for entry, want := range map[string]string{"api": "Beta_App", "contact": "admin@example.com", "scopes": "api refresh_token openid",
		"callbacks": "http://localhost:1717/OauthRedirect"} {
		if got := p2.AppEntry(entry).Text; got != want {
			t.Errorf("after the restart the App settings %s is %q, want %q", entry, got, want)
		}
	}
	// The other profile keeps its own (default) settings.
	pick(t, p2, "Alpha")
	if got := p2.AppEntry("contact").Text; got != "" {
		t.Errorf("Alpha shows contact %q", got)
	}
}

// A profile exported with `connectedapplab profiles export` and imported through the window's
// Import… keeps its App settings, session timeout and refresh token policy (the window's
// own decoding used to drop them).
func TestImportKeepsAppSettings(t *testing.T) {
	test.NewTempApp(t)
	src, err := store.Open(t.TempDir(), store.MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	thirty := 30
	settings := json.RawMessage(`{"kind":"ConnectedApp","api_name":"Beta_App","contact_email":"admin@example.com"}`)
	if _, err := src.Add(store.Profile{Name: "Beta", LoginURL: "https://login.salesforce.com", ClientID: "3MVG-Beta",
		Flow: "web-server-pkce", App: store.AppSettings{Settings: settings, SessionTimeoutMinutes: &thirty,
			RefreshTokenPolicy: "zero"}}); err != nil {
		t.Fatal(err)
	}
	data, err := src.Export("Beta")
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	dst, err := store.Open(dir, store.MemoryKeychain())
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, nil)
	l := ui.New(w, wire.NewBackend(wire.Options{}), ui.Options{Store: wire.NewStore(dst), TickEvery: -1})
	w.SetContent(l.Content())
	l.Start()
	waitIdle(t, 10*time.Second)
	t.Cleanup(l.Close)
	l.Probe().Import(data)
	waitIdle(t, 10*time.Second)

	got, err := dst.Get("Beta")
	if err != nil {
		t.Fatalf("the imported profile is not in the store: %v", err)
	}
	var gotSettings, wantSettings map[string]any
	if err := json.Unmarshal(got.App.Settings, &gotSettings); err != nil {
		t.Fatalf("imported App settings %q: %v", got.App.Settings, err)
	}
	json.Unmarshal(settings, &wantSettings)
	if !reflect.DeepEqual(gotSettings, wantSettings) {
		t.Errorf("imported App settings = %s, want %s", got.App.Settings, settings)
	}
	if got.App.SessionTimeoutMinutes == nil || *got.App.SessionTimeoutMinutes != 30 || got.App.RefreshTokenPolicy != "zero" {
		t.Errorf("imported session timeout %v, refresh token policy %q; want 30 and zero", got.App.SessionTimeoutMinutes, got.App.RefreshTokenPolicy)
	}
}

// Saving a profile from the window through the store the app uses changes what the form edits
// and keeps the rest as stored: the refresh token opt-in and the kept token, PKCE required,
// the refresh token policy with its period.
func TestSaveThroughTheStoreKeepsWhatTheFormDoesNotShow(t *testing.T) {
	test.NewTempApp(t)
	dir, kc := t.TempDir(), store.MemoryKeychain()
	s, err := store.Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	yes, thirty := true, 30
	added, err := s.Add(store.Profile{Name: "Gamma", LoginURL: "https://login.salesforce.com", ClientID: "3MVG-Gamma",
		CallbackURL: "http://localhost:1717/OauthRedirect", Flow: "web-server-pkce", Scopes: []string{"api", "refresh_token"},
		RememberRefreshToken: true, App: store.AppSettings{PKCERequired: &yes, SessionTimeoutMinutes: &thirty,
			RefreshTokenPolicy: store.RefreshExpireAfter, RefreshTokenValidity: 3, RefreshTokenValidityUnit: "days"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecrets(added, store.Secrets{ClientSecret: "gamma-secret", RefreshToken: "5Aep861-gamma-kept"}); err != nil {
		t.Fatal(err)
	}

	l, p := openLab(t, dir, kc)
	pick(t, p, "Gamma")
	// Another process (profiles import --replace, the CLI) changes what the form does not
	// show while the window is open: the window's Save must keep the file's value, not write
	// back its own copy.
	changed, err := s.Get("Gamma")
	if err != nil {
		t.Fatal(err)
	}
	no := false // the window read true at start
	changed.App.PKCERequired = &no
	if _, err := s.Update(changed); err != nil {
		t.Fatal(err)
	}
	p.Entry("client").SetText("3MVG-Gamma-2")
	test.Tap(p.Button("save"))
	waitIdle(t, 10*time.Second)
	wantContains(t, "status after Save", p.Status(), "Saved Gamma")
	l.Close()

	got, err := s.Get("Gamma")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != added.ID || got.ClientID != "3MVG-Gamma-2" {
		t.Errorf("saved ID %q client ID %q, want %q and the edited 3MVG-Gamma-2", got.ID, got.ClientID, added.ID)
	}
	if !got.RememberRefreshToken || got.App.PKCERequired == nil || *got.App.PKCERequired ||
		got.App.SessionTimeoutMinutes == nil || *got.App.SessionTimeoutMinutes != 30 || got.App.PolicyText() != "specific_lifetime:3:DAYS" {
		t.Errorf("saved remember=%v PKCE=%v session=%v policy=%q; want what was stored kept (PKCE required false, as the file says since the window opened)",
			got.RememberRefreshToken, got.App.PKCERequired, got.App.SessionTimeoutMinutes, got.App.PolicyText())
	}
	sec, err := s.Secrets(got)
	if err != nil {
		t.Fatal(err)
	}
	if sec.ClientSecret != "gamma-secret" || sec.RefreshToken != "5Aep861-gamma-kept" {
		t.Errorf("secrets after Save: client secret kept=%v, refresh token kept=%v", sec.ClientSecret == "gamma-secret",
			sec.RefreshToken == "5Aep861-gamma-kept")
	}
}
