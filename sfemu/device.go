package sfemu

import (
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// deviceAuth is one device authorization (§3.7, Salesforce's pre-RFC 8628 variant).
type deviceAuth struct {
	deviceCode string
	userCode   string
	app        *App
	scopes     []string
	created    time.Time
	lastPoll   time.Time
	polled     bool
	user       *User // set when the user approved at /setup/connect
	denied     bool
	used       bool
	issuer     string
}

func (e *Emulator) deviceInterval() time.Duration {
	return time.Duration(orInt(e.org.Behaviour.DeviceIntervalSeconds, 5)) * time.Second
}

// newUserCode returns 8 uppercase alphanumerics (§3.7).
func newUserCode() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// deviceAuthorize answers response_type=device_code on /token with the four fields of the
// real fixture: user_code, device_code, interval, verification_uri (§3.7). No expires_in.
func (e *Emulator) deviceAuthorize(r *http.Request, form url.Values) (obj, *oauthError) {
	a, err := e.authenticate(r, form, secretOptional)
	if err != nil {
		return nil, err
	}
	if !a.DeviceFlowEnabled {
		return nil, errDeviceDisabled
	}
	// Since August 2025 the device flow is blocked for uninstalled apps (§3.7, §9).
	if e.org.UninstalledAppGate && !a.Installed {
		return nil, errNotInstalled
	}
	if !e.deviceFlowAllowed(a) {
		return nil, errGrant(orStr(e.org.Behaviour.DeviceFlowRetiredDescription, "device flow is not enabled for the app"))
	}
	scopes, ok := grantScopes(a, form.Get("scope"))
	if !ok {
		return nil, errInvalidScope
	}
	now := e.now()
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	e.mu.Lock()
	defer e.mu.Unlock()
	uc := newUserCode()
	for e.userCodes[uc] != "" {
		uc = newUserCode()
	}
	// device_code is base64 of "<consumer key>;<client IP>;<ms timestamp>;<user_code>" (§3.7).
	dc := base64.StdEncoding.EncodeToString([]byte(a.ConsumerKey + ";" + ip + ";" + strconv.FormatInt(now.UnixMilli(), 10) + ";" + uc))
	e.devices[dc] = &deviceAuth{deviceCode: dc, userCode: uc, app: a, scopes: scopes, created: now, issuer: e.baseURL(r)}
	e.userCodes[uc] = dc
	e.inserted(now)
	return obj{{"user_code", uc}, {"device_code", dc}, {"interval", int(e.deviceInterval() / time.Second)},
		{"verification_uri", e.baseURL(r) + "/setup/connect"}}, nil
}

func (e *Emulator) deviceLifetime() time.Duration {
	return time.Duration(orInt(e.org.Behaviour.DeviceCodeLifetimeMinutes, 10)) * time.Minute
}

// devicePoll is grant_type=device with code=<device_code> (§3.7).
func (e *Emulator) devicePoll(r *http.Request, form url.Values) (obj, *oauthError) {
	c := readClient(r, form)
	a, err := e.clientApp(c)
	if err != nil {
		return nil, err
	}
	if !a.DeviceFlowEnabled {
		return nil, errDeviceDisabled
	}
	// The CLI docs tie an omitted secret to "Require Secret for Refresh Token Flow" (§3.7).
	if err := e.checkSecret(a, c, a.secretRequiredRefresh()); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.devices[form.Get("code")]
	if d == nil || d.app != a || d.used {
		return nil, errDeviceExchange
	}
	now := e.now()
	if now.Sub(d.created) >= e.deviceLifetime() {
		return nil, errExpiredCode // [UNCONF] device code expiry
	}
	if d.polled && now.Sub(d.lastPoll) < e.deviceInterval() {
		d.lastPoll = now
		return nil, &oauthError{400, "slow_down", orStr(e.org.Behaviour.SlowDownDescription, "polling too quickly for the token endpoint")}
	}
	d.polled, d.lastPoll = true, now
	if d.denied {
		return nil, &oauthError{400, "access_denied", orStr(e.org.Behaviour.AccessDeniedDescription, "end-user denied authorization")}
	}
	if d.user == nil {
		return nil, &oauthError{400, "authorization_pending", orStr(e.org.Behaviour.AuthorizationPendingDescription, "authorization pending")}
	}
	if err := userCheck(d.user); err != nil {
		return nil, err
	}
	d.used = true
	delete(e.userCodes, d.userCode)
	o, _ := e.issue(grant{app: a, user: d.user, scopes: d.scopes, showScope: true, refresh: hasRefreshScope(d.scopes),
		idToken: true, issuedAt: true, issuer: d.issuer})
	return o, nil
}

// handleDeviceConnect is the verification page /setup/connect (§1.2): GET shows the code
// form (prefilled from ?user_code=), POST checks the code and continues with the login form
// and the approval page.
func (e *Emulator) handleDeviceConnect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		e.connectForm(w, r.URL.Query().Get("user_code"), "")
		return
	}
	if err := r.ParseForm(); err != nil {
		e.connectForm(w, "", "Invalid request.")
		return
	}
	code := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(r.PostForm.Get("user_code")))
	now := e.now()
	e.mu.Lock()
	d := e.devices[e.userCodes[code]]
	if d != nil && (d.used || d.user != nil || d.denied || now.Sub(d.created) >= e.deviceLifetime()) {
		d = nil
	}
	e.mu.Unlock()
	if d == nil {
		e.connectForm(w, code, "Invalid or expired code. Check the code on your device and try again.")
		return
	}
	p := &pendingAuth{device: d.deviceCode, app: d.app, scopes: d.scopes, prompt: r.URL.Query().Get("prompt"), issuer: d.issuer}
	e.startInteraction(w, r, p)
}

func (e *Emulator) connectForm(w http.ResponseWriter, prefill, msg string) {
	var b strings.Builder
	b.WriteString(`<h1>Connect Your Device</h1>`)
	if msg != "" {
		b.WriteString(`<p id="error">` + htmlEscape(msg) + `</p>`)
	}
	b.WriteString(`<form method="post" action="/setup/connect" id="connect_form">`)
	b.WriteString(`<label for="user_code">Enter the code shown on your device</label> `)
	b.WriteString(`<input type="text" id="user_code" name="user_code" value="` + htmlEscape(prefill) + `">`)
	b.WriteString(`<button type="submit" id="connect" name="connect">Connect</button></form>`)
	writeHTML(w, http.StatusOK, "Connect Your Device", b.String())
}

// defaultDeviceFlowECAOnlyFrom: from November 30, 2026 the device flow works only for
// local External Client Apps with a localhost callback; Connected Apps must migrate
// (Winter '27 release update, reference §15.8 [RN2]).
var defaultDeviceFlowECAOnlyFrom = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// deviceFlowAllowed applies that rule by the org's clock (Behaviour.DeviceFlowECAOnlyFrom).
func (e *Emulator) deviceFlowAllowed(a *App) bool {
	from := defaultDeviceFlowECAOnlyFrom
	switch v := e.org.Behaviour.DeviceFlowECAOnlyFrom; v {
	case "":
	case "never":
		return true
	default:
		from, _ = time.Parse(time.DateOnly, v) // checked by Validate
	}
	if e.now().Before(from) {
		return true
	}
	if !a.isECA() {
		return false
	}
	for _, cb := range a.CallbackURLs {
		if u, err := url.Parse(cb); err == nil && (u.Scheme == "http" || u.Scheme == "https") && isLoopbackHost(u.Hostname()) {
			return true
		}
	}
	return false
}

// isLoopbackHost: localhost, 127.0.0.0/8 or ::1.
func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
