package ui

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/connectedapplab/connectedapplab/connectedapp"
)

// The App settings tab on the fake backend (lab_test.go): lint, export, read from org, and
// the settings saved with the profile.

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
	if err := json.Unmarshal(ps[1].App.Settings, &saved); err != nil {
		t.Fatalf("the store holds no App settings for the profile: %v (%q)", err, ps[1].App.Settings)
	}
	if saved.ContactEmail != "admin@example.com" || len(saved.CallbackURLs) != 2 || saved.SessionTimeoutMinutes != 30 ||
		saved.PKCERequired || saved.Kind != connectedapp.External {
		t.Errorf("stored settings %+v", saved)
	}
	if ps[0].App.Settings != nil {
		t.Errorf("the untouched profile got App settings %s", ps[0].App.Settings)
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
	if err := json.Unmarshal(ps[0].App.Settings, &saved); err != nil || saved.Name != "Web_App" {
		t.Errorf("stored App settings %s (%v), want the API name typed before the failed save", ps[0].App.Settings, err)
	}
}

// Outside the demo, settings never read nor edited are the defaults copied from the profile:
// a lint of them says so and is never green, even when it finds nothing.
func TestLintOfDefaultsSaysSoAndIsNeverGreen(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	p := l.Probe()
	p.ShowAppSettings()
	test.Tap(p.AppButton("lint"))
	waitIdle()
	if !strings.Contains(p.AppFindings(), lintFromDefaults) || strings.Contains(p.AppFindings(), "Nothing to fix") {
		t.Errorf("findings of the defaults:\n%s", p.AppFindings())
	}
	if p.StatusImportance() == widget.SuccessImportance || !strings.Contains(p.Status(), "against Salesforce's defaults") {
		t.Errorf("status %q (importance %v): want a warning that says defaults", p.Status(), p.StatusImportance())
	}
	// Once edited, the settings are the app's: a clean lint may be green.
	l.app.secretWeb.SetChecked(false)
	test.Tap(p.AppButton("lint"))
	waitIdle()
	if strings.Contains(p.AppFindings(), lintFromDefaults) {
		t.Errorf("edited settings still called defaults:\n%s", p.AppFindings())
	}
}

// Export says what is missing before it asks for a folder: no folder dialog.
func TestExportSaysTheMissingContactEmailBeforeTheFolderDialog(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	p := l.Probe()
	p.ShowAppSettings()
	p.AppEntry("api").SetText("My_App")
	p.AppEntry("callbacks").SetText("http://localhost:1717/OauthRedirect")
	p.AppEntry("scopes").SetText("api refresh_token")
	test.Tap(p.AppButton("export"))
	waitIdle()
	if p.LastDialog() != "The settings cannot become metadata yet" {
		t.Fatalf("dialog %q, want the missing contact email before any folder dialog", p.LastDialog())
	}
	p.AppEntry("contact").SetText("admin@example.com")
	test.Tap(p.AppButton("export"))
	waitIdle()
	if p.LastDialog() != "Export metadata folder" {
		t.Errorf("dialog %q with the settings complete, want the folder dialog", p.LastDialog())
	}
}
