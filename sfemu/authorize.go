package sfemu

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	errorPagePath   = "/setup/secur/RemoteAccessErrorPage.apexp"         // §1.2
	approvePath     = "/setup/secur/RemoteAccessAuthorizationPage.apexp" // the approval ("Allow access?") page
	sessionCookie   = "sid"
	pendingLifetime = 30 * time.Minute
)

// pendingAuth is an interactive authorization in progress (authorize or device
// verification), referred to by the hidden "tx" form field.
type pendingAuth struct {
	id           string
	device       string // device_code when this is a device verification
	app          *App
	responseType string // code, token, token id_token
	redirectURI  string
	state        string
	nonce        string
	challenge    string
	method       string
	scopes       []string
	prompt       string
	immediate    bool
	loginHint    string
	issuer       string
	user         *User
	created      time.Time
}

// handleAuthorize is GET /services/oauth2/authorize (§3.1, §3.2).
func (e *Emulator) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		e.errorPage(w, r, "invalid_request", "bad request")
		return
	}
	q := r.Form
	app := e.org.appByKey(q.Get("client_id"))
	// Client errors go to Salesforce's own error page, never to the callback (§3.1, §5).
	if app == nil {
		e.errorPage(w, r, "invalid_client_id", "client identifier invalid")
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		e.errorPage(w, r, "redirect_uri_missing", "redirect_uri must match configuration")
		return
	}
	if !hasScope(app.CallbackURLs, redirect) { // exact match, port and path included (§8.3)
		e.errorPage(w, r, "redirect_uri_mismatch", "redirect_uri must match configuration")
		return
	}
	rt := normaliseResponseType(q.Get("response_type"))
	state := q.Get("state")
	if rt == "" {
		redirectError(w, r, redirect, false, state, "unsupported_response_type", "response type not supported")
		return
	}
	fragment := rt != "code"
	if fragment && e.org.BlockUserAgentFlow {
		// Org-wide block (§3.2, §8.5). Error code from Salesforce's OauthErrorCode enum;
		// delivery to the callback fragment and text are [UNCONF].
		redirectError(w, r, redirect, true, state, "oauth_flow_disabled", "user-agent flow is blocked for this org")
		return
	}
	scopes, ok := grantScopes(app, q.Get("scope"))
	if !ok {
		e.errorPage(w, r, "invalid_scope", "the requested scope is not allowed")
		return
	}
	challenge, method := q.Get("code_challenge"), q.Get("code_challenge_method")
	if !fragment {
		if challenge == "" && (app.pkceRequired() || e.org.RequirePKCE) {
			redirectError(w, r, redirect, false, state, "invalid_request", "missing required code challenge") // §3.1
			return
		}
		if challenge != "" && method != "" && method != "S256" && !(method == "plain" && e.org.Behaviour.AllowPlainPKCE) {
			redirectError(w, r, redirect, false, state, "invalid_request", "invalid code challenge method") // [UNCONF]
			return
		}
	}
	p := &pendingAuth{app: app, responseType: rt, redirectURI: redirect, state: state, nonce: q.Get("nonce"),
		challenge: challenge, method: method, scopes: scopes, prompt: q.Get("prompt"),
		immediate: q.Get("immediate") == "true", loginHint: q.Get("login_hint"), issuer: e.baseURL(r)}
	e.startInteraction(w, r, p)
}

// startInteraction registers the pending authorization and either reuses the browser's
// UI session or shows the login form.
func (e *Emulator) startInteraction(w http.ResponseWriter, r *http.Request, p *pendingAuth) {
	now := e.now()
	e.mu.Lock()
	p.id = randomToken(24)
	p.created = now
	e.pending[p.id] = p
	e.inserted(now)
	var user *User
	if c, err := r.Cookie(sessionCookie); err == nil && !strings.Contains(p.prompt, "login") {
		if uid, ok := e.uiSessionUser(c.Value, now); ok {
			user = e.org.userByID(uid)
		}
	}
	e.mu.Unlock()
	if user != nil && loginProblem(user) == "" {
		e.afterLogin(w, r, p, user)
		return
	}
	if p.immediate {
		e.finishError(w, r, p, "immediate_unsuccessful", "user must log in")
		return
	}
	e.loginForm(w, p, "")
}

// normaliseResponseType accepts code, token and "token id_token" in either order (§1.3);
// hybrid_token is treated as token.
func normaliseResponseType(s string) string {
	f := strings.Fields(s)
	switch {
	case len(f) == 1 && f[0] == "code":
		return "code"
	case len(f) == 1 && (f[0] == "token" || f[0] == "hybrid_token"):
		return "token"
	case len(f) == 2 && (f[0] == "token" && f[1] == "id_token" || f[0] == "id_token" && f[1] == "token"):
		return "token id_token"
	}
	return ""
}

// grantScopes returns the scopes granted for a request: all of the app's scopes when scope
// is omitted, else the requested ones, which must all be allowed (§6).
func grantScopes(app *App, requested string) ([]string, bool) {
	req := splitScopes(requested)
	if len(req) == 0 {
		return append([]string{}, app.Scopes...), true
	}
	for _, s := range req {
		if !scopeAllowed(app, s) {
			return nil, false
		}
	}
	return req, true
}

// scopeAllowed applies the synonyms of §6: refresh_token = offline_access; id = profile =
// email = address = phone; full covers every scope except refresh_token/offline_access.
func scopeAllowed(app *App, s string) bool {
	if hasScope(app.Scopes, s) {
		return true
	}
	groups := [][]string{{"refresh_token", "offline_access"}, {"id", "profile", "email", "address", "phone"}}
	for _, g := range groups {
		if hasScope(g, s) {
			for _, x := range g {
				if hasScope(app.Scopes, x) {
					return true
				}
			}
			return false
		}
	}
	return hasScope(app.Scopes, "full") && s != "openid"
}

func hasRefreshScope(scopes []string) bool {
	return hasScope(scopes, "refresh_token") || hasScope(scopes, "offline_access")
}

// errorPage sends the browser to Salesforce's RemoteAccessErrorPage (§1.2, §3.1).
func (e *Emulator) errorPage(w http.ResponseWriter, r *http.Request, code, desc string) {
	http.Redirect(w, r, errorPagePath+"?error="+pct(code)+"&error_description="+pct(desc), http.StatusFound)
}

// pct percent-encodes with %20 for spaces, as in the observed error page URLs (§3.1).
func pct(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// handleErrorPage renders the error page.
func (e *Emulator) handleErrorPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code, desc := q.Get("error"), q.Get("error_description")
	writeHTML(w, http.StatusOK, "Error", `<h1>OAuth Error</h1>`+
		`<p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p>`+
		`<p id="error">`+htmlEscape("OAUTH_APPROVAL_ERROR_GENERIC : An unexpected error has occured during authentication. Please try again.")+`</p>`+
		`<dl><dt>error</dt><dd id="error_code">`+htmlEscape(code)+`</dd><dt>error_description</dt><dd id="error_description">`+
		htmlEscape(desc)+`</dd></dl>`)
}

func (e *Emulator) handleSuccessPage(w http.ResponseWriter, r *http.Request) {
	writeHTML(w, http.StatusOK, "Success", `<p>Remote Access Authorization succeeded.</p>`)
}

// redirectTo builds redirect_uri with params in the query (code flow) or fragment (token
// flow, §3.2), keeping any query the URI already has.
func redirectTo(redirect string, fragment bool, o obj) string {
	enc := formEncode(o)
	if fragment {
		return strings.SplitN(redirect, "#", 2)[0] + "#" + enc
	}
	base := strings.SplitN(redirect, "#", 2)[0]
	if strings.Contains(base, "?") {
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			return base + enc
		}
		return base + "&" + enc
	}
	return base + "?" + enc
}

func redirectError(w http.ResponseWriter, r *http.Request, redirect string, fragment bool, state, code, desc string) {
	o := obj{{"error", code}, {"error_description", desc}}
	if state != "" {
		o = append(o, field{"state", state})
	}
	http.Redirect(w, r, redirectTo(redirect, fragment, o), http.StatusFound)
}

// finishError ends a pending authorization with an error sent to the callback (or shown,
// for the device flow).
func (e *Emulator) finishError(w http.ResponseWriter, r *http.Request, p *pendingAuth, code, desc string) {
	e.mu.Lock()
	delete(e.pending, p.id)
	if p.device != "" {
		if d := e.devices[p.device]; d != nil && code == "access_denied" {
			d.denied = true
		}
	}
	e.mu.Unlock()
	if p.device != "" {
		writeHTML(w, http.StatusOK, "Device", `<h1>Not connected</h1><p id="error">`+htmlEscape(code+": "+desc)+`</p>`)
		return
	}
	redirectError(w, r, p.redirectURI, p.responseType != "code", p.state, code, desc)
}

// loginForm renders the login page: inputs id="username" and id="password", a submit button.
func (e *Emulator) loginForm(w http.ResponseWriter, p *pendingAuth, msg string) {
	var b strings.Builder
	b.WriteString(`<h1>Log in to ` + htmlEscape(e.org.Name) + `</h1>`)
	b.WriteString(`<p>Application: ` + htmlEscape(p.app.Name) + `</p>`)
	if msg != "" {
		b.WriteString(`<p id="error" class="loginError">` + htmlEscape(msg) + `</p>`)
	}
	b.WriteString(`<form method="post" action="/login" id="login_form">`)
	b.WriteString(`<input type="hidden" name="tx" value="` + htmlEscape(p.id) + `">`)
	b.WriteString(`<label for="username">Username</label> <input type="email" id="username" name="username" value="` + htmlEscape(p.loginHint) + `"><br>`)
	b.WriteString(`<label for="password">Password</label> <input type="password" id="password" name="password"><br>`)
	b.WriteString(`<button type="submit" id="Login" name="Login">Log In</button></form>`)
	writeHTML(w, http.StatusOK, "Login | Salesforce", b.String())
}

// loginProblem says why a user cannot log in to the UI, or "".
func loginProblem(u *User) string {
	switch {
	case u.Frozen:
		return "Your account has been frozen. Contact your Salesforce administrator."
	case u.Inactive:
		return "Please check your username and password. If you still can't log in, contact your Salesforce administrator."
	case u.APIOnly:
		return "API-only users can't log in to the user interface. Contact your Salesforce administrator."
	}
	return ""
}

const badLogin = "Please check your username and password. If you still can't log in, contact your Salesforce administrator."

// postedPending reads the POST of a login or approval page and finds the pending request its
// tx names. It answers what it cannot find, and then returns nil: another method, a form
// that does not parse, or a tx that is unknown or used (the page saying the "what" request
// expired: "login" or "authorization").
func (e *Emulator) postedPending(w http.ResponseWriter, r *http.Request, what string) *pendingAuth {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		writeHTML(w, http.StatusBadRequest, "Error", `<p id="error">bad request</p>`)
		return nil
	}
	p := e.takePending(r.PostForm.Get("tx"))
	if p == nil {
		writeHTML(w, http.StatusOK, "Error", expiredPage(what))
	}
	return p
}

func expiredPage(what string) string {
	return `<p id="error">This ` + what + ` request has expired. Start again from your application.</p>`
}

// handleLogin is POST /login from the login form.
func (e *Emulator) handleLogin(w http.ResponseWriter, r *http.Request) {
	p := e.postedPending(w, r, "login")
	if p == nil {
		return
	}
	u := e.org.userByName(r.PostForm.Get("username"))
	if u == nil || subtle.ConstantTimeCompare([]byte(u.Password), []byte(r.PostForm.Get("password"))) != 1 {
		e.loginForm(w, p, badLogin)
		return
	}
	if msg := loginProblem(u); msg != "" {
		e.loginForm(w, p, msg)
		return
	}
	sid := randomToken(24)
	e.mu.Lock()
	now := e.now()
	e.browser[sid] = &uiSession{userID: u.ID, lastActivity: now}
	e.inserted(now)
	e.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	e.afterLogin(w, r, p, u)
}

// takePending returns a copy of the pending authorization with that id (nil if unknown or
// too old).
func (e *Emulator) takePending(id string) *pendingAuth {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := e.pending[id]
	if p == nil || e.now().Sub(p.created) > pendingLifetime {
		return nil
	}
	cp := *p // callers read the copy without holding e.mu
	return &cp
}

// afterLogin applies the app gates for the logged-in user, then shows the approval page
// or completes.
func (e *Emulator) afterLogin(w http.ResponseWriter, r *http.Request, p *pendingAuth, u *User) {
	e.mu.Lock()
	p.user = u
	if stored := e.pending[p.id]; stored != nil {
		stored.user = u
	}
	approvedBefore := e.hasApproved(u, p.app, nil, false)
	approvedScopes := e.hasApproved(u, p.app, p.scopes, false)
	e.mu.Unlock()
	// September 2025 usage restriction (§9): uninstalled apps only for users who may approve
	// uninstalled apps or who authorized the app before. Shown on the error page (§5).
	if p.device == "" && e.org.UninstalledAppGate && !p.app.Installed && !u.canApproveUninstalled() && !approvedBefore {
		e.mu.Lock()
		delete(e.pending, p.id)
		e.mu.Unlock()
		e.errorPage(w, r, "invalid_client", "app must be installed into org")
		return
	}
	if p.app.permittedUsers() == AdminApprovedPreAuthorized {
		if !p.app.preAuthorized(u) {
			// Error code per §5 (token endpoint); its delivery to the callback is [UNCONF].
			e.finishError(w, r, p, "invalid_app_access", "user is not admin approved to access this app")
			return
		}
		e.complete(w, r, p)
		return
	}
	if !approvedScopes || strings.Contains(p.prompt, "consent") {
		if p.immediate {
			e.finishError(w, r, p, "immediate_unsuccessful", "user approval required")
			return
		}
		e.approvalPage(w, p)
		return
	}
	e.complete(w, r, p)
}

// approvalPage renders "Allow Access?" with an Allow button id="approve".
func (e *Emulator) approvalPage(w http.ResponseWriter, p *pendingAuth) {
	var b strings.Builder
	b.WriteString(`<h1>Allow Access?</h1><p>` + htmlEscape(p.app.Name) + ` is asking to:</p><ul>`)
	for _, s := range p.scopes {
		b.WriteString(`<li>` + htmlEscape(s) + `</li>`)
	}
	b.WriteString(`</ul><form method="post" action="` + approvePath + `" id="approval_form">`)
	b.WriteString(`<input type="hidden" name="tx" value="` + htmlEscape(p.id) + `">`)
	b.WriteString(`<button type="submit" id="approve" name="action" value="approve">Allow</button> `)
	b.WriteString(`<button type="submit" id="deny" name="action" value="deny">Deny</button></form>`)
	writeHTML(w, http.StatusOK, "Allow Access?", b.String())
}

// handleApprove is POST of the approval page.
func (e *Emulator) handleApprove(w http.ResponseWriter, r *http.Request) {
	p := e.postedPending(w, r, "authorization")
	if p == nil {
		return
	}
	if p.user == nil { // the approval page before a login
		writeHTML(w, http.StatusOK, "Error", expiredPage("authorization"))
		return
	}
	if r.PostForm.Get("action") != "approve" {
		e.finishError(w, r, p, "access_denied", orStr(e.org.Behaviour.AccessDeniedDescription, "end-user denied authorization"))
		return
	}
	e.mu.Lock()
	e.recordApproval(p.user, p.app, p.scopes)
	e.mu.Unlock()
	e.complete(w, r, p)
}

// complete issues the code or tokens (authorize) or marks the device approved.
func (e *Emulator) complete(w http.ResponseWriter, r *http.Request, p *pendingAuth) {
	e.mu.Lock()
	delete(e.pending, p.id)
	if p.app.permittedUsers() == AdminApprovedPreAuthorized {
		// Pre-authorized users count as approved for later JWT bearer / token exchange.
		e.recordApproval(p.user, p.app, p.scopes)
	}
	if p.device != "" {
		d := e.devices[p.device]
		if d != nil {
			d.user = p.user
		}
		e.mu.Unlock()
		if d == nil {
			writeHTML(w, http.StatusOK, "Device", `<p id="error">This code has expired.</p>`)
			return
		}
		writeHTML(w, http.StatusOK, "Connected", `<h1 id="connected">You're all set!</h1><p>Return to your device to continue.</p>`)
		return
	}
	if p.responseType == "code" {
		code := newAuthCode()
		e.codes[code] = &authCode{app: p.app, user: p.user, redirectURI: p.redirectURI, challenge: p.challenge,
			method: p.method, scopes: p.scopes, nonce: p.nonce, created: e.now(), issuer: p.issuer}
		e.inserted(e.now())
		e.mu.Unlock()
		o := obj{{"code", code}}
		if p.state != "" {
			o = append(o, field{"state", p.state})
		}
		http.Redirect(w, r, redirectTo(p.redirectURI, false, o), http.StatusFound)
		return
	}
	// User-agent flow (§3.2): tokens in the fragment; a refresh token only for a custom
	// scheme or the /services/oauth2/success redirect, and only with the scope.
	o, _ := e.issue(grant{app: p.app, user: p.user, scopes: p.scopes, showScope: true,
		refresh: hasRefreshScope(p.scopes) && e.userAgentRefreshEligible(p.redirectURI),
		idToken: p.responseType == "token id_token", nonce: p.nonce, issuedAt: true, issuer: p.issuer})
	e.mu.Unlock()
	if p.state != "" {
		o = append(o, field{"state", p.state})
	}
	http.Redirect(w, r, redirectTo(p.redirectURI, true, o), http.StatusFound)
}

// userAgentRefreshEligible: custom (non-HTTP) scheme, or exactly a Salesforce
// /services/oauth2/success URL (the real hosts or this emulator's) (§3.2).
func (e *Emulator) userAgentRefreshEligible(redirect string) bool {
	u, err := url.Parse(redirect)
	if err != nil {
		return false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return true
	}
	switch redirect {
	case "https://login.salesforce.com/services/oauth2/success", "https://test.salesforce.com/services/oauth2/success",
		e.LoginURL + "/services/oauth2/success", e.MyDomainURL + "/services/oauth2/success":
		return true
	}
	// The org's real My Domain host serves the success page too (§3.2, §3.11).
	return e.org.MyDomain != "" && strings.EqualFold(redirect, "https://"+e.org.MyDomain+".my.salesforce.com/services/oauth2/success")
}
