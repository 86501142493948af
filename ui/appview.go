package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// The App settings view: the form of the app's OAuth settings and the lint findings below it.
// It sees the coordinator through appHost only.

var (
	deviceChoices    = []string{"Unknown (no metadata field on Connected Apps)", "Enabled", "Disabled"}
	appPolicyChoices = []string{"Valid until revoked (infinite)", "Immediately expire (zero)",
		"Expire after N (specific_lifetime)", "Expire if unused for N (specific_inactivity)"}
	appPolicyKinds   = []string{connectedapp.RefreshInfinite, connectedapp.RefreshZero, connectedapp.RefreshSpecificLifetime, connectedapp.RefreshSpecificInactivity}
	permittedChoices = []string{"All users may self-authorize", "Admin approved users are pre-authorized"}
	permittedValues  = []string{connectedapp.AllSelfAuthorized, connectedapp.AdminApprovedPreAuthorized}
)

// appView is the App settings tab's content.
type appView struct {
	h appHost

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
	adminLogin                  func(admin string) // what the Log in first dialog's button does (tests)
}

// appHost is what the App settings view needs of the coordinator: the current profile's app
// state and form, and the tab's three actions.
type appHost interface {
	currentApp() *appState
	readForm() (Profile, Secrets)
	markDirty()
	ReadAppFromOrg()
	LintApp()
	exportApp()
}

// newAppView builds the view; canRead shows Read from org.
func newAppView(h appHost, canRead bool) *appView {
	v := &appView{h: h}
	changed := func(string) { v.changed() }
	checked := func(bool) { v.changed() }
	v.source = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Selectable: true}
	v.apiName = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "the app's API name, e.g. My_Integration_App", OnChanged: changed}})
	v.contact = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "admin@example.com (needed to export)", OnChanged: changed}})
	v.kind = &widget.RadioGroup{Options: []string{kindConnected, kindExternal}, Required: true, // one under the other: the column stays narrow
		Selected: kindConnected, OnChanged: changed}
	v.callbacks = keyed(&keyEntry{Entry: widget.Entry{MultiLine: true, Wrapping: fyne.TextWrapBreak, PlaceHolder: "one callback URL per line", OnChanged: changed}})
	v.callbacks.SetMinRowsVisible(2)
	v.scopes = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "api refresh_token openid", OnChanged: changed}})
	v.pkce = keyed(&keyCheck{Check: widget.Check{Text: "Require PKCE", OnChanged: checked}})
	v.secretWeb = keyed(&keyCheck{Check: widget.Check{Text: "web server flow", OnChanged: checked}})
	v.secretRT = keyed(&keyCheck{Check: widget.Check{Text: "refresh token flow", OnChanged: checked}})
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
	v.readBtn = keyed(&keyButton{Button: widget.Button{Text: "Read from org", Icon: theme.DownloadIcon(), OnTapped: h.ReadAppFromOrg}})
	v.lintBtn = keyed(&keyButton{Button: widget.Button{Text: "Lint", Icon: theme.ConfirmIcon(), Importance: widget.HighImportance, OnTapped: h.LintApp}})
	v.exportBtn = keyed(&keyButton{Button: widget.Button{Text: "Export metadata folder…", Icon: theme.FolderNewIcon(), OnTapped: h.exportApp}})
	if !canRead {
		v.readBtn.Hide()
	}
	v.findings = container.NewVBox()
	v.findingsScroll = container.NewVScroll(container.NewPadded(v.findings))
	top := container.NewBorder(nil,
		container.NewVBox(widget.NewSeparator(), newFlow(v.lintBtn, v.readBtn, v.exportBtn)), nil, nil,
		container.NewVScroll(container.NewVBox(v.source, grid)))
	split := container.NewVSplit(top, v.findingsScroll)
	split.Offset = 0.55
	v.box = split
	return v
}

// fieldFor is the entry to fix first when s cannot become metadata, or nil.
func (v *appView) fieldFor(s connectedapp.Settings) fyne.Focusable {
	switch {
	case s.Name == "" || connectedapp.ValidateForMetadata(connectedapp.Settings{Kind: s.Kind, Name: s.Name, ContactEmail: "a@b.c",
		CallbackURLs: []string{"http://x"}, Scopes: []string{"api"}}) != nil:
		return v.apiName
	case s.ContactEmail == "" || !strings.Contains(s.ContactEmail, "@"):
		return v.contact
	case len(s.CallbackURLs) == 0:
		return v.callbacks
	case len(s.Scopes) == 0:
		return v.scopes
	}
	return nil
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
	if st.known && !st.linted { // the app's own settings (read from the org, saved, edited): their findings at once
		p, sec := v.h.readForm()
		st.findings, st.linted = connectedapp.Lint(lintProfile(p, sec), st.s), true
	}
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
	st := v.h.currentApp()
	st.s = v.read(st.s)
	if !st.known || st.source != appSourceEdited && !strings.HasPrefix(st.source, appSourceReadPrefix) {
		st.source = appSourceEdited
		v.source.SetText(st.source)
	}
	st.known, st.defaults = true, false
	v.h.markDirty() // saved with the profile, through Save profile
	if st.linted {
		p, s := v.h.readForm()
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
	switch {
	case st.defaults:
		objs = append(objs, &widget.Label{Text: lintFromDefaults, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	case len(st.findings) == 0:
		objs = append(objs, &widget.Label{Text: "Nothing to fix for this profile's flow.", Importance: widget.SuccessImportance, Wrapping: fyne.TextWrapWord})
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
			&widget.Label{Text: fmt.Sprintf("%s (%d)", g.title, len(items)), TextStyle: fyne.TextStyle{Bold: true}, Importance: imp, Wrapping: fyne.TextWrapWord})
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
	p, s := v.h.readForm()
	rd := connectedapp.Readiness(lintProfile(p, s), st.s, time.Now())
	objs := []fyne.CanvasObject{widget.NewSeparator(),
		&widget.Label{Text: fmt.Sprintf("Readiness: dated Salesforce changes that affect this profile (%d)", len(rd)), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}}
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
