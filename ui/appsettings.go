package ui

import (
	"encoding/json"
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
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/guidance"
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
)

// appFor returns the app state of profile p: the one of this window when there is one, else
// the settings saved with p, else Salesforce's defaults made from p's facts.
func (l *Lab) appFor(p Profile) *appState {
	if st, ok := l.apps[p.ID]; ok {
		return st
	}
	var bad error
	if len(p.AppSettings) > 0 {
		var s connectedapp.Settings // no defaults under it: what was saved is all there is
		if bad = json.Unmarshal(p.AppSettings, &s); bad == nil {
			st := &appState{s: s, known: true, source: appSourceSaved}
			l.apps[p.ID] = st
			return st
		}
	}
	kind := connectedapp.Connected
	if p.AppKind == AppKindExternal {
		kind = connectedapp.External
	}
	s := connectedapp.NewSettings(kind, p.AppAPIName)
	if p.CallbackURL != "" {
		s.CallbackURLs = []string{p.CallbackURL}
	}
	s.Scopes = slices.Clone(p.Scopes)
	s.SessionTimeoutMinutes = p.SessionTimeoutMinutes
	if strings.Contains(p.RefreshTokenPolicy, ":") || p.RefreshTokenPolicy == connectedapp.RefreshZero {
		if pol, err := connectedapp.ParseRefreshTokenPolicy(p.RefreshTokenPolicy); err == nil {
			s.RefreshTokenPolicy = pol
		}
	}
	st := &appState{s: s, source: appSourceDefaults}
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
	return connectedapp.Profile{Flow: p.Flow, CallbackURL: p.CallbackURL, Scopes: slices.Clone(p.Scopes), LoginURL: p.LoginURL,
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

func lintImportance(fs []connectedapp.Finding) widget.Importance {
	switch e, w, _ := connectedapp.Count(fs); {
	case e > 0:
		return widget.DangerImportance
	case w > 0:
		return widget.WarningImportance
	}
	return widget.SuccessImportance
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

// appView is the App settings tab's content.
type appView struct {
	l *Lab

	source    *widget.Label
	apiName   *keyEntry
	contact   *keyEntry
	kind      *widget.RadioGroup
	callbacks *keyEntry
	scopes    *keyEntry
	pkce      *keyCheck
	secretWeb *keyCheck
	secretRT  *keyCheck
	cc        *keyCheck
	ccUser    *keyEntry
	device    *keySelect
	policy    *keySelect
	period    *keyEntry
	unit      *keySelect
	rotation  *keyCheck
	session   *keySelect
	sessMins  []int
	permitted *keySelect
	preauth   *keyEntry

	readBtn, lintBtn, exportBtn *keyButton
	findings                    *fyne.Container
	findingsScroll              *container.Scroll
	box                         fyne.CanvasObject
	loading                     bool
}

var (
	deviceChoices    = []string{"Unknown (no metadata field on Connected Apps)", "Enabled", "Disabled"}
	appPolicyChoices = []string{"Valid until revoked (infinite)", "Immediately expire (zero)",
		"Expire after N (specific_lifetime)", "Expire if unused for N (specific_inactivity)"}
	appPolicyKinds   = []string{connectedapp.RefreshInfinite, connectedapp.RefreshZero, connectedapp.RefreshSpecificLifetime, connectedapp.RefreshSpecificInactivity}
	permittedChoices = []string{"All users may self-authorize", "Admin approved users are pre-authorized"}
	permittedValues  = []string{connectedapp.AllSelfAuthorized, connectedapp.AdminApprovedPreAuthorized}
)

func newAppView(l *Lab) *appView {
	v := &appView{l: l}
	changed := func(string) { v.changed() }
	checked := func(bool) { v.changed() }
	v.source = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Selectable: true}
	v.apiName = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "the app's API name, e.g. My_Integration_App", OnChanged: changed}})
	v.contact = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "admin@example.com (needed to export)", OnChanged: changed}})
	v.kind = &widget.RadioGroup{Options: []string{kindConnected, kindExternal}, Horizontal: true, Required: true,
		Selected: kindConnected, OnChanged: changed}
	v.callbacks = keyed(&keyEntry{Entry: widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapBreak, PlaceHolder: "one callback URL per line", OnChanged: changed}})
	v.callbacks.SetMinRowsVisible(2)
	v.scopes = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "api refresh_token openid", OnChanged: changed}})
	v.pkce = keyed(&keyCheck{Check: widget.Check{Text: "Require PKCE", OnChanged: checked}})
	v.secretWeb = keyed(&keyCheck{Check: widget.Check{Text: "for the web server flow", OnChanged: checked}})
	v.secretRT = keyed(&keyCheck{Check: widget.Check{Text: "for the refresh token flow", OnChanged: checked}})
	v.cc = keyed(&keyCheck{Check: widget.Check{Text: "Enabled, run as", OnChanged: checked}})
	v.ccUser = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "an API Only user", OnChanged: changed}})
	v.device = keyed(&keySelect{Select: widget.Select{Options: deviceChoices, OnChanged: changed}})
	v.policy = keyed(&keySelect{Select: widget.Select{Options: appPolicyChoices, OnChanged: func(string) { v.updatePeriod(); v.changed() }}})
	v.period = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "N", OnChanged: changed}})
	v.unit = keyed(&keySelect{Select: widget.Select{Options: []string{"HOURS", "DAYS", "MONTHS"}, Selected: "DAYS", OnChanged: changed}})
	v.rotation = keyed(&keyCheck{Check: widget.Check{Text: "Rotate refresh tokens", OnChanged: checked}})
	v.session = keyed(&keySelect{Select: widget.Select{OnChanged: changed}})
	v.permitted = keyed(&keySelect{Select: widget.Select{Options: permittedChoices, OnChanged: changed}})
	v.preauth = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "pre-authorized profiles and permission sets, comma-separated", OnChanged: changed}})

	bold := func(s string) *widget.Label { return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}} }
	grid := container.New(layout.NewFormLayout(),
		bold("API name"), v.apiName,
		bold("Contact email"), v.contact,
		bold("App kind"), v.kind,
		bold("Callback URLs"), v.callbacks,
		bold("Selected scopes"), v.scopes,
		bold("PKCE"), v.pkce,
		bold("Secret required"), container.NewVBox(v.secretWeb, v.secretRT),
		bold("Client credentials"), container.NewBorder(nil, nil, v.cc, nil, v.ccUser),
		bold("Device flow"), v.device,
		bold("Refresh tokens"), container.NewVBox(v.policy, container.NewGridWithColumns(2, v.period, v.unit), v.rotation),
		bold("Session timeout"), v.session,
		bold("Permitted users"), container.NewVBox(v.permitted, v.preauth),
	)
	v.readBtn = keyed(&keyButton{Button: widget.Button{Text: "Read from org", Icon: theme.DownloadIcon(), OnTapped: l.ReadAppFromOrg}})
	v.lintBtn = keyed(&keyButton{Button: widget.Button{Text: "Lint", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: l.LintApp}})
	v.exportBtn = keyed(&keyButton{Button: widget.Button{Text: "Export metadata folder…", Icon: theme.FolderNewIcon(), OnTapped: l.exportApp}})
	if l.be.ReadAppSettings == nil {
		v.readBtn.Hide()
	}
	v.findings = container.NewVBox()
	v.findingsScroll = container.NewVScroll(container.NewPadded(v.findings))
	top := container.NewBorder(nil,
		container.NewVBox(widget.NewSeparator(), container.NewHBox(v.lintBtn, v.readBtn, v.exportBtn)), nil, nil,
		container.NewVScroll(container.NewVBox(v.source, grid)))
	split := container.NewVSplit(top, v.findingsScroll)
	split.Offset = 0.55
	v.box = split
	return v
}

func (v *appView) updatePeriod() {
	if i := v.policy.SelectedIndex(); i >= 2 {
		v.period.Show()
		v.unit.Show()
	} else {
		v.period.Hide()
		v.unit.Hide()
	}
}

// load shows st without reporting changes.
func (v *appView) load(st *appState) {
	v.loading = true
	defer func() { v.loading = false }()
	s := st.s
	v.source.SetText(st.source)
	v.apiName.SetText(s.Name)
	v.contact.SetText(s.ContactEmail)
	if s.Kind == connectedapp.External {
		v.kind.SetSelected(kindExternal)
	} else {
		v.kind.SetSelected(kindConnected)
	}
	v.callbacks.SetText(strings.Join(s.CallbackURLs, "\n"))
	v.scopes.SetText(strings.Join(s.Scopes, " "))
	v.pkce.SetChecked(s.PKCERequired)
	v.secretWeb.SetChecked(!s.ConsumerSecretOptional)
	v.secretRT.SetChecked(s.SecretRequiredForRefreshToken)
	v.cc.SetChecked(s.ClientCredentialsEnabled)
	v.ccUser.SetText(s.ClientCredentialsUser)
	switch {
	case s.DeviceFlowEnabled == nil:
		v.device.SetSelectedIndex(0)
	case *s.DeviceFlowEnabled:
		v.device.SetSelectedIndex(1)
	default:
		v.device.SetSelectedIndex(2)
	}
	v.policy.SetSelectedIndex(max(0, slices.Index(appPolicyKinds, s.RefreshTokenPolicy.Type)))
	v.period.SetText("")
	if s.RefreshTokenPolicy.Period > 0 {
		v.period.SetText(strconv.Itoa(s.RefreshTokenPolicy.Period))
	}
	if s.RefreshTokenPolicy.Unit != "" {
		v.unit.SetSelected(s.RefreshTokenPolicy.Unit)
	}
	v.updatePeriod()
	v.rotation.SetChecked(s.RefreshTokenRotation)
	opts := append([]string{"Not set on the app (profile, then org)"}, sessionChoices[1:]...)
	v.sessMins = slices.Clone(sessionMinutes)
	if s.SessionTimeoutMinutes > 0 && !slices.Contains(v.sessMins, s.SessionTimeoutMinutes) {
		opts = append(opts, fmt.Sprintf("%d minutes", s.SessionTimeoutMinutes))
		v.sessMins = append(v.sessMins, s.SessionTimeoutMinutes)
	}
	v.session.Options = opts
	v.session.SetSelectedIndex(max(0, slices.Index(v.sessMins, s.SessionTimeoutMinutes)))
	v.permitted.SetSelectedIndex(max(0, slices.Index(permittedValues, s.PermittedUsers)))
	v.preauth.SetText(strings.Join(append(slices.Clone(s.Profiles), s.PermissionSets...), ", "))
	v.renderFindings(st)
}

// read returns the settings the view holds, on top of base (which keeps what the view does
// not show, such as the certificate or the org settings of a read).
func (v *appView) read(base connectedapp.Settings) connectedapp.Settings {
	s := base
	s.Name = strings.TrimSpace(v.apiName.Text)
	if s.Label == "" || s.Label == base.Name {
		s.Label = s.Name
	}
	s.ContactEmail = strings.TrimSpace(v.contact.Text)
	s.Kind = connectedapp.Connected
	if v.kind.Selected == kindExternal {
		s.Kind = connectedapp.External
	}
	s.CallbackURLs = nil
	for _, line := range strings.Split(v.callbacks.Text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			s.CallbackURLs = append(s.CallbackURLs, line)
		}
	}
	s.Scopes = connectedapp.NormalizeScopes([]string{v.scopes.Text})
	s.PKCERequired = v.pkce.Checked
	s.ConsumerSecretOptional = !v.secretWeb.Checked
	s.SecretRequiredForRefreshToken = v.secretRT.Checked
	s.ClientCredentialsEnabled = v.cc.Checked
	s.ClientCredentialsUser = strings.TrimSpace(v.ccUser.Text)
	switch v.device.SelectedIndex() {
	case 1:
		t := true
		s.DeviceFlowEnabled = &t
	case 2:
		f := false
		s.DeviceFlowEnabled = &f
	default:
		s.DeviceFlowEnabled = nil
	}
	pol := connectedapp.RefreshTokenPolicy{Type: appPolicyKinds[max(0, v.policy.SelectedIndex())]}
	if v.policy.SelectedIndex() >= 2 {
		pol.Period, _ = strconv.Atoi(strings.TrimSpace(v.period.Text))
		pol.Unit = v.unit.Selected
	}
	s.RefreshTokenPolicy = pol
	s.RefreshTokenRotation = v.rotation.Checked
	if i := v.session.SelectedIndex(); i >= 0 && i < len(v.sessMins) {
		s.SessionTimeoutMinutes = v.sessMins[i]
	}
	s.PermittedUsers = permittedValues[max(0, v.permitted.SelectedIndex())]
	// Profiles and permission sets are one list here; lint only asks whether there are any.
	s.Profiles, s.PermissionSets = nil, nil
	for _, n := range strings.Split(v.preauth.Text, ",") {
		if n = strings.TrimSpace(n); n != "" {
			s.Profiles = append(s.Profiles, n)
		}
	}
	return s
}

func (v *appView) changed() {
	if v.loading {
		return
	}
	l := v.l
	st := l.appFor(l.current)
	st.s = v.read(st.s)
	if !st.known || st.source != appSourceEdited && !strings.HasPrefix(st.source, appSourceReadPrefix) {
		st.source = appSourceEdited
		v.source.SetText(st.source)
	}
	st.known = true
	l.markDirty() // saved with the profile, through Save profile
	if st.linted {
		p, s := l.readForm()
		st.findings = connectedapp.Lint(lintProfile(p, s), st.s)
		v.renderFindings(st)
	}
}

// renderFindings shows st's findings grouped by severity, errors first.
func (v *appView) renderFindings(st *appState) {
	v.findings.RemoveAll()
	if !st.linted {
		v.findings.Add(&widget.Label{Text: "Lint checks these settings against the profile: its flow, callback URL, scopes and secret.",
			Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance})
		v.findings.Objects = append(v.findings.Objects, v.readinessViews(st)...)
		v.findings.Refresh()
		return
	}
	title := &widget.Label{Text: "Lint: " + lintSummary(st.findings), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, Selectable: true}
	objs := []fyne.CanvasObject{title}
	if len(st.findings) == 0 {
		objs = append(objs, &widget.Label{Text: "Nothing to fix for this profile's flow.", Importance: widget.SuccessImportance})
	}
	groups := []struct {
		sev   connectedapp.Severity
		title string
	}{{connectedapp.Error, "Errors: the flow will fail"}, {connectedapp.Warning, "Warnings: it may fail, or lack something"}, {connectedapp.Info, "Worth knowing"}}
	for _, g := range groups {
		var items []fyne.CanvasObject
		for _, f := range st.findings {
			if f.Severity == g.sev {
				items = append(items, findingView(f))
			}
		}
		if len(items) == 0 {
			continue
		}
		imp := map[connectedapp.Severity]widget.Importance{connectedapp.Error: widget.DangerImportance,
			connectedapp.Warning: widget.WarningImportance}[g.sev]
		objs = append(objs, widget.NewSeparator(),
			&widget.Label{Text: fmt.Sprintf("%s (%d)", g.title, len(items)), TextStyle: fyne.TextStyle{Bold: true}, Importance: imp})
		objs = append(objs, items...)
	}
	objs = append(objs, v.readinessViews(st)...)
	v.findings.Objects = objs
	v.findings.Refresh()
	v.findingsScroll.ScrollToTop()
}

// readinessViews lists what Salesforce's dated platform changes break in this profile and app,
// and when (connectedapp.Readiness, dated from today; issue 16 item 7).
func (v *appView) readinessViews(st *appState) []fyne.CanvasObject {
	p, s := v.l.readForm()
	rd := connectedapp.Readiness(lintProfile(p, s), st.s, time.Now())
	objs := []fyne.CanvasObject{widget.NewSeparator(),
		&widget.Label{Text: fmt.Sprintf("Readiness: dated Salesforce changes that affect this profile (%d)", len(rd)), TextStyle: fyne.TextStyle{Bold: true}}}
	if len(rd) == 0 {
		return append(objs, &widget.Label{Text: "No announced platform change breaks this profile's flow or app.", Wrapping: fyne.TextWrapWord, Importance: widget.SuccessImportance})
	}
	for _, f := range rd {
		objs = append(objs, findingView(f))
	}
	return objs
}

func findingView(f connectedapp.Finding) fyne.CanvasObject {
	a := guidance.Advice{Severity: guidance.Severity(f.Severity), Title: f.Problem, Reason: "Why: " + f.Cause, Fix: f.Fix,
		SetupPath: f.SetupPath, MetadataField: f.MetadataField}
	extra := []string{"Lint code: " + f.Code}
	if f.Source != nil && !f.Source.IsZero() {
		extra = append(extra, "Source: "+f.Source.String())
	}
	if f.WireError != "" {
		extra = append([]string{"Salesforce answers: " + f.WireError}, extra...)
	}
	return adviceView(a, extra...)
}

// showApp builds the App settings tab on first use and loads the current profile's app.
func (l *Lab) showApp() {
	if l.app == nil {
		l.app = newAppView(l)
		l.app.load(l.appFor(l.current))
		l.app.box.Hide()
		l.midStack.Add(l.app.box)
	}
}

// ShowAppSettings selects the App settings tab.
func (l *Lab) ShowAppSettings() {
	l.showApp()
	l.midTabs.Select(l.appTab)
}

// LintApp lints the app's settings against the profile in the form and shows the findings.
func (l *Lab) LintApp() {
	l.showApp()
	st := l.appFor(l.current)
	st.s = l.app.read(st.s)
	st.known = true
	p, s := l.readForm()
	st.findings, st.linted = connectedapp.Lint(lintProfile(p, s), st.s), true
	l.app.renderFindings(st)
	flow := string(p.Flow)
	if flow == "" {
		flow = "no flow chosen"
	}
	l.setStatus(fmt.Sprintf("Lint (%s): %s.", flow, lintSummary(st.findings)), lintImportance(st.findings))
}

// ReadAppFromOrg reads the app named in the API name field from the org of the last run, with
// its access token (an admin's: the Metadata API needs Customize Application and View Setup).
func (l *Lab) ReadAppFromOrg() {
	l.showApp()
	if l.be.ReadAppSettings == nil {
		return
	}
	name := strings.TrimSpace(l.app.apiName.Text)
	if name == "" {
		l.showError("Which app?", "Type the app's API name (Setup > App Manager > the app > View shows it), then press Read from org again.", "")
		return
	}
	if !l.hasToken() || l.last.result.Token.InstanceURL == "" {
		l.showError("Log in first", "Read from org uses the access token and instance_url of the last run. Run a flow as an admin "+
			"(a user with Customize Application and View Setup) first; in the demo, the \"Admin: reads app settings\" profile.", "")
		return
	}
	tok := l.last.result.Token
	read, ctx, id, kind := l.be.ReadAppSettings, l.ctx, l.current.ID, connectedapp.Kind("")
	l.app.readBtn.Disable()
	l.setStatus("Reading "+name+" from "+tok.InstanceURL+"…", widget.MediumImportance)
	type got struct {
		s   connectedapp.Settings
		err error
	}
	background(func() got {
		s, err := read(ctx, tok.InstanceURL, tok.AccessToken, kind, name)
		return got{s, err}
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
		st.s, st.known = r.s, true
		st.source = appSourceReadPrefix + tok.InstanceURL + " (" + name + "), not saved yet: Save profile (Ctrl+S) keeps them with the profile."
		if id != l.current.ID {
			return // another profile was picked meanwhile; its own state is untouched
		}
		l.markDirty()
		p, s := l.readForm()
		st.findings, st.linted = connectedapp.Lint(lintProfile(p, s), st.s), true
		l.app.load(st)
		l.setStatus("Read "+name+" from the org. Lint: "+lintSummary(st.findings)+".", lintImportance(st.findings))
	})
}

func (l *Lab) exportApp() {
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
