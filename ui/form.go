package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/store"
)

// Login host choices.
const (
	hostProduction = "Production (login.salesforce.com)"
	hostSandbox    = "Sandbox (test.salesforce.com)"
	hostMyDomain   = "My Domain"
	hostCustom     = "Custom URL (e.g. the emulator)"

	productionURL = "https://login.salesforce.com"
	sandboxURL    = "https://test.salesforce.com"
)

// App kind choices, as shown.
const (
	kindConnected = "Connected App"
	kindExternal  = "External Client App"
)

var sessionChoices = []string{"Unknown", "15 minutes", "30 minutes", "60 minutes", "90 minutes",
	"2 hours", "4 hours", "8 hours", "12 hours", "24 hours"}
var sessionMinutes = []int{0, 15, 30, 60, 90, 120, 240, 480, 720, 1440}

var policyChoices = []string{"Unknown", "Valid until revoked (infinite)", "Immediately expire (zero)",
	"Expire after N (specific_lifetime)", "Expire if unused for N (specific_inactivity)"}
var policyKinds = []string{"", "infinite", "zero", "specific_lifetime", "specific_inactivity"}

// profileForm is the profile being edited: org, app, user and the secrets. The flow and
// scope pickers sit below it (flowpicker.go, scopes.go).
type profileForm struct {
	name       *keyEntry
	host       *keySelect
	hostURL    *keyEntry
	hostHint   *widget.Label
	myDomain   *keyEntry
	appKind    *widget.RadioGroup
	clientID   *keyEntry
	secret     *keyEntry
	callback   *keyEntry
	cbCheck    *widget.Label
	username   *keyEntry
	password   *keyEntry
	secToken   *keyEntry
	catalog    []flows.Spec // the flows whose fields the form shows (flows.Catalog)
	jwtKeyFile *keyEntry
	jwtAud     *keyEntry
	jwtKeyPEM  string
	jwtHint    *widget.Label
	jwtChoose  *keyButton
	jwtPaste   *keyButton
	refresh    *keyEntry
	subject    *keyEntry
	subjType   *keyEntry
	saml       *keyEntry
	session    *keySelect
	policy     *keySelect

	rows    map[string][2]fyne.CanvasObject // field name -> label, content
	errs    map[string]*widget.Label        // field name -> what to change before Run (formcheck.go)
	checked bool                            // problems are shown: edits check again (recheck)
	recheck func()
	grid    *fyne.Container
	loading bool
	cbSeq   int

	scopes        *scopeChecklist // told the chosen flow (showFor); nil until profileParts
	onChanged     func()
	checkCallback func(string) error // bind test, may be nil; runs off the UI goroutine
	chooseKey     func()
	pasteKey      func()
}

func newProfileForm() *profileForm {
	f := &profileForm{rows: map[string][2]fyne.CanvasObject{}, errs: map[string]*widget.Label{}, catalog: flows.Catalog()}
	changed := func(string) { f.changed() }
	f.name = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "a name you will recognise, e.g. prod-integration", OnChanged: changed}})
	f.hostURL = keyed(&keyEntry{Entry: widget.Entry{OnChanged: func(string) { f.updateHost(); f.changed() }}})
	f.hostHint = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapBreak} // a long My Domain URL wraps, never cut short
	f.host = keyed(&keySelect{Select: widget.Select{Options: []string{hostProduction, hostSandbox, hostMyDomain, hostCustom},
		Selected: hostProduction, OnChanged: func(string) { f.updateHost(); f.changed() }}})
	f.myDomain = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "https://yourdomain.my.salesforce.com (client credentials need it)", OnChanged: changed}})
	f.appKind = &widget.RadioGroup{Options: []string{kindConnected, kindExternal}, // one under the other: the column stays narrow
		Required: true, Selected: kindConnected, OnChanged: changed}
	f.clientID = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "the app's consumer key (3MVG…)", OnChanged: changed}})
	f.secret = newKeyPasswordEntry()
	f.secret.PlaceHolder = "the app's consumer secret; kept in the keychain"
	f.secret.OnChanged = changed
	f.callback = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "http://localhost:1717/OauthRedirect", OnChanged: func(string) {
		f.checkCallbackNow()
		f.changed()
	}}})
	f.cbCheck = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	f.username = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "user@example.com", OnChanged: changed}})
	f.password = newKeyPasswordEntry()
	f.password.PlaceHolder = "the user's password; kept in the keychain"
	f.password.OnChanged = changed
	f.secToken = newKeyPasswordEntry()
	f.secToken.PlaceHolder = "appended to the password unless the IP is trusted"
	f.secToken.OnChanged = changed
	f.jwtKeyFile = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "/path/to/server.key (PEM RSA private key)", OnChanged: changed}})
	f.jwtAud = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "empty: the login host; an Experience Cloud site: https://site.my.site.com/path", OnChanged: changed}})
	f.jwtHint = &widget.Label{Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord}
	f.jwtChoose = keyed(&keyButton{Button: widget.Button{Text: "Choose…", Icon: theme.FolderOpenIcon(), OnTapped: func() { call(f.chooseKey) }}})
	f.jwtPaste = keyed(&keyButton{Button: widget.Button{Text: "Paste PEM…", Icon: theme.ContentPasteIcon(), OnTapped: func() { call(f.pasteKey) }}})
	f.refresh = newKeyPasswordEntry()
	f.refresh.PlaceHolder = "filled in from the last run that returned one"
	f.refresh.OnChanged = changed
	f.subject = newKeyPasswordEntry()
	f.subject.PlaceHolder = "the token from the other identity provider"
	f.subject.OnChanged = changed
	f.subjType = keyed(&keyEntry{Entry: widget.Entry{PlaceHolder: "urn:ietf:params:oauth:token-type:jwt", OnChanged: changed}})
	f.saml = newKeyPasswordEntry()
	f.saml.PlaceHolder = "base64url-encoded signed SAML 2.0 assertion"
	f.saml.OnChanged = changed
	f.session = keyed(&keySelect{Select: widget.Select{Options: sessionChoices, Selected: sessionChoices[0], OnChanged: changed}})
	f.policy = keyed(&keySelect{Select: widget.Select{Options: policyChoices, Selected: policyChoices[0], OnChanged: changed}})

	var cells []fyne.CanvasObject // the grid is made once at the end: each Add would lay it out again
	add := func(key, label string, content fyne.CanvasObject) {
		l := &widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}}
		f.errs[key] = errLine()
		content = container.NewVBox(content, f.errs[key])
		f.rows[key] = [2]fyne.CanvasObject{l, content}
		cells = append(cells, l, content)
	}
	add("name", "Profile name", f.name)
	add("host", "Login host", container.NewVBox(f.host, f.hostURL, f.hostHint))
	add("mydomain", "My Domain URL", f.myDomain)
	add("kind", "App kind", f.appKind)
	add("client", "Client ID", f.clientID)
	add("secret", "Client secret", f.secret)
	add("callback", "Callback URL", container.NewVBox(f.callback, f.cbCheck))
	add("username", "Username", f.username)
	add("password", "Password", f.password)
	add("token", "Security token", f.secToken)
	add("jwt", "JWT private key", container.NewVBox(
		f.jwtKeyFile, newFlow(f.jwtChoose, f.jwtPaste), f.jwtHint)) // the buttons under the path: the column stays narrow
	add("audience", "JWT audience", f.jwtAud)
	add("refresh", "Refresh token", f.refresh)
	add("subject", "Subject token", f.subject)
	add("subjtype", "Subject token type", f.subjType)
	add("saml", "SAML assertion", f.saml)
	add("session", "App session timeout", f.session)
	add("policy", "Refresh token policy", f.policy)
	f.grid = container.New(layout.NewFormLayout(), cells...)
	f.updateHost()
	f.checkCallbackNow()
	return f
}

func (f *profileForm) changed() {
	if f.loading {
		return
	}
	if f.recheck != nil {
		f.recheck()
	}
	if f.onChanged != nil {
		f.onChanged()
	}
}

// formRows names the form row of each request field the catalogue lists (flows.Spec.Fields);
// the login host, client ID and scopes are always shown (the host and client rows, the scope
// checklist).
var formRows = map[flows.Field]string{
	flows.FieldMyDomainURL:      "mydomain",
	flows.FieldClientSecret:     "secret",
	flows.FieldCallbackURL:      "callback",
	flows.FieldUsername:         "username",
	flows.FieldPassword:         "password",
	flows.FieldSecurityToken:    "token",
	flows.FieldJWTKey:           "jwt",
	flows.FieldJWTAudience:      "audience",
	flows.FieldRefreshToken:     "refresh",
	flows.FieldSubjectToken:     "subject",
	flows.FieldSubjectTokenType: "subjtype",
	flows.FieldSAMLAssertion:    "saml",
}

// fieldsFor lists the form rows a flow uses, beyond name, host, kind, client and the app
// facts: the fields of its entry in the catalogue cat. With no flow chosen, the rows of
// the usual credentials.
func fieldsFor(cat []flows.Spec, fl flows.Flow) []string {
	sp, ok := flows.LookupIn(cat, fl)
	if !ok {
		return []string{"secret", "callback", "username", "password", "token", "jwt"}
	}
	var out []string
	for _, n := range sp.Fields {
		if row, ok := formRows[n.Field]; ok {
			out = append(out, row)
		}
	}
	return out
}

// showFor shows the rows the flow uses and hides the rest. Hidden fields keep their values.
func (f *profileForm) showFor(fl flows.Flow) {
	always := map[string]bool{"name": true, "host": true, "kind": true, "client": true, "session": true, "policy": true}
	for _, k := range fieldsFor(f.catalog, fl) {
		always[k] = true
	}
	for k, row := range f.rows {
		if always[k] {
			row[0].Show()
			row[1].Show()
		} else {
			row[0].Hide()
			row[1].Hide()
		}
	}
	if f.scopes != nil {
		f.scopes.forFlow(f.catalog, fl)
	}
	if !f.grid.Size().IsZero() { // before the first layout there is nothing to lay out again
		f.grid.Refresh()
	}
}

func (f *profileForm) updateHost() {
	switch f.host.Selected {
	case hostMyDomain:
		f.hostURL.SetPlaceHolder("yourdomain, or https://yourdomain.my.salesforce.com")
		f.hostURL.Show()
	case hostCustom:
		f.hostURL.SetPlaceHolder("https://… (any login host, e.g. the emulator)")
		f.hostURL.Show()
	default:
		f.hostURL.Hide()
	}
	if u := f.loginURL(); u != "" {
		f.hostHint.SetText("Logs in at " + u)
	} else {
		f.hostHint.SetText("Type the host above")
	}
}

// loginURL resolves the login host choice to a URL.
func (f *profileForm) loginURL() string {
	v := strings.TrimSpace(f.hostURL.Text)
	switch f.host.Selected {
	case hostSandbox:
		return sandboxURL
	case hostMyDomain:
		if v == "" {
			return ""
		}
		if !strings.Contains(v, "://") {
			if !strings.Contains(v, ".") {
				v += ".my.salesforce.com"
			}
			v = "https://" + v
		}
		return strings.TrimRight(v, "/")
	case hostCustom:
		return strings.TrimRight(v, "/")
	}
	return productionURL
}

func (f *profileForm) setLoginURL(u string) {
	u = strings.TrimRight(u, "/")
	switch {
	case u == "" || u == productionURL:
		f.host.SetSelected(hostProduction)
		f.hostURL.SetText("")
	case u == sandboxURL:
		f.host.SetSelected(hostSandbox)
		f.hostURL.SetText("")
	case strings.HasSuffix(u, ".my.salesforce.com"):
		f.host.SetSelected(hostMyDomain)
		f.hostURL.SetText(u)
	default:
		f.host.SetSelected(hostCustom)
		f.hostURL.SetText(u)
	}
	f.updateHost()
}

// checkCallbackShape says whether the loopback listener can serve this redirect URI: plain
// http on a loopback host with an explicit port. The listener binds exactly that host and port.
func checkCallbackShape(raw string) (hostport string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("empty: browser flows need the callback URL configured on the app")
	}
	u, err := flows.ParseCallbackURL(raw)
	if err != nil {
		return "", err
	}
	return u.Host, nil
}

func (f *profileForm) checkCallbackNow() {
	f.cbSeq++
	seq := f.cbSeq
	raw := f.callback.Text
	hp, err := checkCallbackShape(raw)
	if err != nil {
		f.cbCheck.Importance = widget.WarningImportance
		f.cbCheck.SetText("✗ " + err.Error())
		return
	}
	path := "/"
	if u, _ := flows.ParseCallbackURL(strings.TrimSpace(raw)); u != nil && u.Path != "" {
		path = u.Path
	}
	ok := fmt.Sprintf("✓ loopback: the listener will bind %s and answer on %s", hp, path)
	f.cbCheck.Importance = widget.SuccessImportance
	f.cbCheck.SetText(ok)
	if f.checkCallback == nil {
		return
	}
	check := f.checkCallback
	background(func() error { return check(raw) }, func(err error) {
		if seq != f.cbSeq || err == nil {
			return
		}
		f.cbCheck.Importance = widget.WarningImportance
		f.cbCheck.SetText("✗ cannot bind " + hp + ": " + err.Error())
	})
}

// load fills the form from a profile and its secrets without reporting changes.
func (f *profileForm) load(p Profile, s Secrets) {
	f.loading = true
	defer func() { f.loading = false }()
	f.checked = false
	f.showProblems(nil)
	f.name.SetText(p.Name)
	f.setLoginURL(p.LoginURL)
	f.myDomain.SetText(p.MyDomainURL)
	if p.AppKind == store.ExternalClientApp {
		f.appKind.SetSelected(kindExternal)
	} else {
		f.appKind.SetSelected(kindConnected)
	}
	f.clientID.SetText(p.ClientID)
	f.secret.SetText(s.ClientSecret)
	f.callback.SetText(p.CallbackURL)
	f.username.SetText(p.Username)
	f.password.SetText(s.Password)
	f.secToken.SetText(s.SecurityToken)
	f.jwtKeyFile.SetText(p.JWTKeyFile)
	f.jwtAud.SetText(p.JWTAudience)
	f.jwtKeyPEM = s.PrivateKeyPEM
	f.updateJWTHint()
	f.refresh.SetText(s.RefreshToken)
	f.session.SetSelectedIndex(max(0, indexOf(sessionMinutes, sessionMinutesOf(p))))
	f.policy.SetSelectedIndex(max(0, indexOf(policyKinds, string(p.App.RefreshTokenPolicy))))
	f.checkCallbackNow()
}

func (f *profileForm) updateJWTHint() {
	if f.jwtKeyPEM != "" {
		f.jwtHint.SetText(fmt.Sprintf("A pasted key (%d bytes) is used; it is kept with the secrets, not in a file.", len(f.jwtKeyPEM)))
	} else {
		f.jwtHint.SetText("The private key whose certificate is uploaded on the app.")
	}
}

func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// read returns what the form holds, on top of base (which keeps ID, flow and scopes).
func (f *profileForm) read(base Profile) (Profile, Secrets) {
	p := base
	p.Name = strings.TrimSpace(f.name.Text)
	p.LoginURL = f.loginURL()
	p.MyDomainURL = strings.TrimRight(strings.TrimSpace(f.myDomain.Text), "/")
	p.AppKind = store.ConnectedApp
	if f.appKind.Selected == kindExternal {
		p.AppKind = store.ExternalClientApp
	}
	p.ClientID = strings.TrimSpace(f.clientID.Text)
	p.CallbackURL = strings.TrimSpace(f.callback.Text)
	p.Username = strings.TrimSpace(f.username.Text)
	p.JWTKeyFile = strings.TrimSpace(f.jwtKeyFile.Text)
	p.JWTAudience = strings.TrimSpace(f.jwtAud.Text)
	if i := f.session.SelectedIndex(); i >= 0 {
		p.App.SessionTimeoutMinutes = nil // 0: not known
		if m := sessionMinutes[i]; m > 0 {
			p.App.SessionTimeoutMinutes = &m
		}
	}
	if i := f.policy.SelectedIndex(); i >= 0 && policyKinds[i] != string(base.App.RefreshTokenPolicy) {
		p.App.SetPolicyText(policyKinds[i]) // another policy: the old one's period goes
	}
	s := Secrets{
		ClientSecret:  f.secret.Text,
		Password:      f.password.Text,
		SecurityToken: f.secToken.Text,
		PrivateKeyPEM: f.jwtKeyPEM,
		RefreshToken:  f.refresh.Text,
	}
	return p, s
}

func (f *profileForm) content() fyne.CanvasObject { return f.grid }
