package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

// The App settings tab: the Salesforce side of the current profile (the Connected App or
// External Client App it logs in with). It edits the settings that change OAuth behaviour,
// lints them against the profile (connectedapp.Lint), exports them as an SFDX project
// (connectedapp.Generate) and reads them from the org (Backend.ReadAppSettings, with the last
// run's access token). The view is built the first time the tab is shown.

// appState is what the window knows of one profile's app.
type appState struct {
	s        connectedapp.Settings
	known    bool   // read from the org or edited here: Run lints against it
	defaults bool   // Salesforce's defaults made from the profile, never read nor edited: lint says so
	source   string // where the settings came from
	findings []connectedapp.Finding
	linted   bool
}

const (
	appSourceDefaults = "Not read from the org yet: Salesforce's defaults with the profile's callback URL and scopes. " +
		"Edit them, or run a flow as an admin and press Read from org."
	appSourceEdited = "Edited here, not saved yet: Save profile (Ctrl+S) keeps them with the profile. Run lints the profile " +
		"against them. They are not saved in the org: export the metadata folder and deploy it."
	appSourceSaved = "Saved with this profile: Run lints the profile against these settings. They are not saved in the org: " +
		"export the metadata folder and deploy it."
	appSourceReadPrefix = "Read from the org at "
	appSourceDemo       = "Read from the emulated org when the demo started: the app's real settings there. " +
		"Read from org reads them again; edits here are not saved in the org."
	// lintFromDefaults heads a lint result computed from the defaults: it is never green.
	lintFromDefaults = "Checked against Salesforce's defaults, not the app: these settings were copied from the profile, " +
		"never read from the org. Press Read from org (an admin's login), or edit them to match Setup, then Lint again."
)

// appFor returns the app state of profile p: the one of this window when there is one, else
// the settings saved with p, else Salesforce's defaults made from p's facts.
func (l *Lab) appFor(p Profile) *appState {
	if st, ok := l.apps[p.ID]; ok {
		return st
	}
	var bad error
	if len(p.App.Settings) > 0 {
		var s connectedapp.Settings // no defaults under it: what was saved is all there is
		if bad = json.Unmarshal(p.App.Settings, &s); bad == nil {
			st := &appState{s: s, known: true, source: appSourceSaved}
			if l.demo != nil {
				st.source = appSourceDemo
			}
			l.apps[p.ID] = st
			return st
		}
	}
	kind := connectedapp.Connected
	if p.AppKind == store.ExternalClientApp {
		kind = connectedapp.External
	}
	s := connectedapp.NewSettings(kind, p.AppAPIName)
	if p.CallbackURL != "" {
		s.CallbackURLs = []string{p.CallbackURL}
	}
	s.Scopes = slices.Clone(p.Scopes)
	s.SessionTimeoutMinutes = sessionMinutesOf(p)
	if pt := p.App.PolicyText(); strings.Contains(pt, ":") || pt == connectedapp.RefreshZero {
		if pol, err := connectedapp.ParseRefreshTokenPolicy(pt); err == nil {
			s.RefreshTokenPolicy = pol
		}
	}
	st := &appState{s: s, source: appSourceDefaults, defaults: true}
	if bad != nil {
		// Not known, so saving the profile keeps the saved settings as they are (readForm).
		st.source = "The settings saved with this profile cannot be read (" + bad.Error() + "); these are Salesforce's defaults. " +
			"Saving the profile keeps the saved ones unless you edit these."
	}
	l.apps[p.ID] = st
	return st
}

// appSettingsJSON is what Save stores for the app of the profile in the form: the tab's
// settings once they are known (edited here or read from the org), else nil (the store keeps
// what it has).
func (l *Lab) appSettingsJSON() json.RawMessage {
	st, ok := l.apps[l.current.ID]
	if !ok || !st.known {
		return nil
	}
	b, err := json.Marshal(st.s)
	if err != nil {
		return nil
	}
	return b
}

// appSaved notes that the profile with ID id was saved with its app's settings.
func (l *Lab) appSaved(id string) {
	st, ok := l.apps[id]
	if !ok || !st.known {
		return
	}
	st.source = appSourceSaved
	if l.app != nil && id == l.current.ID {
		l.app.source.SetText(st.source)
	}
}

// lintProfile is what the profile in the form is about to run, in lint's terms.
func lintProfile(p Profile, s Secrets) connectedapp.Profile {
	has := s.ClientSecret != ""
	return connectedapp.Profile{Flow: flows.Flow(p.Flow), CallbackURL: p.CallbackURL, Scopes: slices.Clone(p.Scopes), LoginURL: p.LoginURL,
		HasSecret: &has, ExpectIDToken: slices.Contains(p.Scopes, "openid")}
}

// lintSummary is one line: "2 errors, 1 warning (callback-port, refresh-token-not-selected)".
func lintSummary(fs []connectedapp.Finding) string {
	e, w, i := connectedapp.Count(fs)
	plural := func(n int, one string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + one + "s"
	}
	var codes []string
	for _, f := range fs {
		if f.Severity != connectedapp.Info && !slices.Contains(codes, f.Code) {
			codes = append(codes, f.Code)
		}
	}
	out := plural(e, "error") + ", " + plural(w, "warning")
	if i > 0 {
		out += ", " + strconv.Itoa(i) + " info"
	}
	if len(codes) > 0 {
		out += " (" + strings.Join(codes, ", ") + ")"
	}
	return out
}

// lintImportance is the colour of a lint result: never green when it was computed from the
// defaults (st.defaults), whatever it found.
func lintImportance(st *appState) widget.Importance {
	switch e, w, _ := connectedapp.Count(st.findings); {
	case e > 0:
		return widget.DangerImportance
	case w > 0 || st.defaults:
		return widget.WarningImportance
	}
	return widget.SuccessImportance
}

// lintOutcome is a lint result on one line, saying when it was computed from the defaults.
func lintOutcome(st *appState) string {
	if st.defaults {
		return lintSummary(st.findings) + ", against Salesforce's defaults, not the app's settings (Read from org to check the app)"
	}
	return lintSummary(st.findings)
}

// lintBeforeRun lints the app of the profile about to run, when its settings are known, and
// shows the outcome on the line above Run. It never stops the run.
func (l *Lab) lintBeforeRun(p Profile, s Secrets) {
	st, ok := l.apps[l.current.ID]
	if !ok || !st.known {
		l.lintLine.Hide()
		return
	}
	st.findings, st.linted = connectedapp.Lint(lintProfile(p, s), st.s), true
	if l.app != nil {
		l.app.renderFindings(st)
	}
	e, w, _ := connectedapp.Count(st.findings)
	if e+w == 0 {
		l.lintLine.Hide()
		return
	}
	l.lintText.SetText("App settings lint: " + lintSummary(st.findings) + ". The run goes ahead anyway.")
	l.lintLine.Show()
}

func (l *Lab) currentApp() *appState { return l.appFor(l.current) }

// showApp builds the App settings tab on first use and loads the current profile's app.
func (l *Lab) showApp() {
	if l.app == nil {
		l.app = newAppView(l, l.be.ReadAppSettings != nil)
		l.app.load(l.appFor(l.current))
		l.addAppView(l.app.box)
	}
}

// ShowAppSettings selects the App settings tab.
func (l *Lab) ShowAppSettings() {
	l.showApp()
	l.selectApp()
}

// LintApp lints the app's settings against the profile in the form and shows the findings.
func (l *Lab) LintApp() {
	l.showApp()
	st := l.appFor(l.current)
	st.s = l.app.read(st.s)
	st.known = st.known || !st.defaults
	p, s := l.readForm()
	st.findings, st.linted = connectedapp.Lint(lintProfile(p, s), st.s), true
	l.app.renderFindings(st)
	flow := p.Flow
	if flow == "" {
		flow = "no flow chosen"
	}
	l.setStatus(fmt.Sprintf("Lint (%s): %s.", flow, lintOutcome(st)), lintImportance(st))
}

// ReadAppFromOrg reads the app named in the API name field from the org, with an admin's
// access token (the Metadata API needs Customize Application and View Setup): the admin
// chosen beside the actions, logged in headless here; else the last run's token; else it
// offers to log in as one of the profiles that can log in headless.
func (l *Lab) ReadAppFromOrg() {
	l.showApp()
	if l.be.ReadAppSettings == nil {
		return
	}
	name := strings.TrimSpace(l.app.apiName.Text)
	if name == "" {
		l.showError("Which app?", "Type the app's API name ("+guidance.SetupPath("App Manager", "the app", "View")+" shows it), then press Read from org again.", "")
		return
	}
	if admin, ok := l.adminRequest(); ok && l.be.RunFlow != nil {
		l.readAppAs(name, l.adminSel.Selected, admin)
		return
	}
	// The last run's token, even when choosing this profile cleared that run's result.
	tok := l.lastRunToken()
	if tok == nil || tok.InstanceURL == "" {
		l.offerAdminLogin(name)
		return
	}
	who := "the last run's token"
	if st := l.last; st != nil && st.profile.Name != "" {
		who += " (" + st.profile.Name + ")"
	} else if st := l.cleared; st != nil && st.profile.Name != "" {
		who += " (" + st.profile.Name + ")"
	}
	l.readApp(name, who, func(context.Context) (*flows.TokenResponse, error) {
		return tok, nil
	})
}

// adminLoginTimeout bounds the headless admin login before a read from the org.
const adminLoginTimeout = 2 * time.Minute

// readAppAs logs in headless as the admin profile named who (its request admin), then reads.
func (l *Lab) readAppAs(name, who string, admin flows.Request) {
	run := l.be.RunFlow
	l.readApp(name, "the admin profile \""+who+"\"", func(ctx context.Context) (*flows.TokenResponse, error) {
		ctx, cancel := context.WithTimeout(ctx, adminLoginTimeout)
		defer cancel()
		res := run(ctx, admin, nil)
		switch {
		case res == nil:
			return nil, errors.New("the admin login returned nothing")
		case res.Err != nil:
			return nil, fmt.Errorf("the admin login (%s) failed: %w", who, res.Err)
		case res.Token == nil || res.Token.AccessToken == "" || res.Token.InstanceURL == "":
			return nil, fmt.Errorf("the admin login (%s) returned no access token and instance_url", who)
		}
		return res.Token, nil
	})
}

// offerAdminLogin says why Read from org needs a login and, when some profile can log in
// headless, offers to log in as it right there.
func (l *Lab) offerAdminLogin(name string) {
	why := "Read from org needs an admin's access token: a user with Customize Application and View Setup (the Metadata API)."
	names := l.adminNames()[1:]
	if len(names) == 0 {
		l.showError("Log in first", why+" Add a profile for an admin user with a flow that logs in without a browser "+
			"(username-password, JWT bearer or client credentials), or run a flow as an admin first: Read from org then uses that run's token.", "")
		return
	}
	sel := &widget.Select{Options: names, Selected: names[0]}
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), "admin") {
			sel.Selected = n
			break
		}
	}
	login := func(who string) {
		l.adminSel.SetSelected(who) // the admin beside the actions: the next read uses it too
		if admin, ok := l.adminRequest(); ok {
			l.readAppAs(name, who, admin)
		}
	}
	l.app.adminLogin = login
	body := container.NewVBox(
		&widget.Label{Text: why + " Log in as one of these profiles now (no browser), or run a flow as an admin first: " +
			"Read from org then uses that run's token.", Wrapping: fyne.TextWrapWord},
		container.NewBorder(nil, nil, &widget.Label{Text: "Admin profile", TextStyle: fyne.TextStyle{Bold: true}}, nil, sel))
	d := dialog.NewCustomConfirm("Log in first", "Log in and read", "Cancel", body, func(ok bool) {
		if ok && sel.Selected != "" {
			login(sel.Selected)
		}
	}, l.win)
	d.Resize(fyne.NewSize(560, 0))
	l.lastDialog = "Log in first"
	d.Show()
}

// readApp gets a token (token, off the UI goroutine), reads the app name with it and lints.
// with says whose token it is, for the status line.
func (l *Lab) readApp(name, with string, token func(context.Context) (*flows.TokenResponse, error)) {
	read, ctx, id, kind := l.be.ReadAppSettings, l.ctx, l.current.ID, connectedapp.Kind("")
	l.app.readBtn.Disable()
	l.setStatus("Reading "+name+" from the org with "+with+"…", widget.MediumImportance)
	type got struct {
		s    connectedapp.Settings
		inst string
		err  error
	}
	background(func() got {
		tok, err := token(ctx)
		if err != nil {
			return got{err: err}
		}
		s, err := read(ctx, tok.InstanceURL, tok.AccessToken, kind, name)
		return got{s, tok.InstanceURL, err}
	}, func(r got) {
		if l.app == nil {
			return
		}
		l.app.readBtn.Enable()
		if r.err != nil {
			l.setStatus("Reading "+name+" failed.", widget.DangerImportance)
			l.showError("Could not read the app from the org", "Nothing in the view was changed.", r.err.Error())
			return
		}
		st := l.apps[id]
		if st == nil {
			st = l.appFor(l.current)
		}
		st.s, st.known, st.defaults = r.s, true, false
		st.source = appSourceReadPrefix + r.inst + " (" + name + ") with " + with + ", not saved yet: Save profile (Ctrl+S) keeps them with the profile."
		if id != l.current.ID {
			return // another profile was picked meanwhile; its own state is untouched
		}
		l.markDirty()
		p, s := l.readForm()
		st.findings, st.linted = connectedapp.Lint(lintProfile(p, s), st.s), true
		l.app.load(st)
		l.setStatus("Read "+name+" from the org. Lint: "+lintSummary(st.findings)+".", lintImportance(st))
	})
}

// exportApp checks the settings first (a missing contact email is said before any folder is
// asked for), then asks for the folder.
func (l *Lab) exportApp() {
	l.showApp()
	st := l.appFor(l.current)
	st.s = l.app.read(st.s)
	if err := connectedapp.ValidateForMetadata(st.s); err != nil {
		if focus := l.app.fieldFor(st.s); focus != nil {
			l.win.Canvas().Focus(focus) // before the dialog: the focus is there when it closes
		}
		l.showError("The settings cannot become metadata yet", "Fix this in App settings, then export again. Nothing was written.", err.Error())
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			l.showError("Could not open the folder", "Nothing was written.", err.Error())
			return
		}
		if u != nil {
			l.exportAppTo(u.Path())
		}
	}, l.win)
	l.lastDialog = "Export metadata folder"
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// exportAppTo writes the app's SFDX project into a new folder named after the app under dir.
// It refuses when that folder exists: nothing is overwritten.
func (l *Lab) exportAppTo(dir string) {
	l.showApp()
	st := l.appFor(l.current)
	st.s = l.app.read(st.s)
	p, _ := l.readForm()
	proj, err := connectedapp.Generate(st.s, connectedapp.GenerateOptions{LoginURL: exportLoginURL(p.LoginURL)})
	if err != nil {
		l.showError("The settings cannot become metadata yet", "Fix this in App settings, then export again. Nothing was written.", err.Error())
		return
	}
	out := filepath.Join(dir, st.s.Name)
	type written struct{ err error }
	background(func() written {
		if _, err := os.Stat(out); err == nil {
			return written{fmt.Errorf("%s already exists; nothing was written. Choose another folder, or move that one away first", out)}
		}
		return written{proj.Write(out)}
	}, func(w written) {
		if w.err != nil {
			l.showError("Export refused", "The metadata folder was not written, so nothing was overwritten.", w.err.Error())
			return
		}
		l.setStatus(fmt.Sprintf("Exported %d files to %s; deploy with: sf project deploy start --source-dir %s", len(proj.Files), out, connectedapp.PackageDir), widget.SuccessImportance)
	})
}

// exportLoginURL is the sfdcLoginUrl of an exported project: the profile's login host when it
// is a Salesforce one (an emulator's loopback URL means nothing to sf).
func exportLoginURL(u string) string {
	if strings.HasPrefix(u, "https://") {
		return u
	}
	return ""
}
