package sfemu

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Grant types of the token endpoint (§3).
const (
	grantAuthCode      = "authorization_code"
	grantHybridCode    = "hybrid_auth_code"
	grantPassword      = "password"
	grantRefresh       = "refresh_token"
	grantHybridRefresh = "hybrid_refresh"
	grantJWT           = "urn:ietf:params:oauth:grant-type:jwt-bearer"
	grantClientCreds   = "client_credentials"
	grantDevice        = "device"
	grantTokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
	grantSAML          = "urn:ietf:params:oauth:grant-type:saml2-bearer"
)

var errTooLarge = &oauthError{http.StatusRequestEntityTooLarge, "invalid_request", "request body too large"}

// parseTokenForm reads a token-endpoint style request body: application/x-www-form-urlencoded
// or multipart/form-data (§1.2). Anything else is "grant type not supported" (§5).
func parseTokenForm(r *http.Request) (url.Values, *oauthError) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, errUnsupportedGrant
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(maxBody)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
	default:
		return nil, errUnsupportedGrant
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge
		}
		return nil, errUnsupportedGrant
	}
	return r.Form, nil
}

// handleToken is POST /services/oauth2/token: every grant of §3 and the device
// authorization request (§3.7).
func (e *Emulator) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		// e.g. an http:// call whose redirect turned the POST into a GET (§1.1).
		writeOAuthError(w, r, r.URL.Query(), errUnsupportedGrant)
		return
	}
	form, oerr := parseTokenForm(r)
	if oerr != nil {
		writeOAuthError(w, r, r.URL.Query(), oerr)
		return
	}
	var res obj
	gt := form.Get("grant_type")
	switch {
	case gt == "" && form.Get("response_type") == "device_code":
		res, oerr = e.deviceAuthorize(r, form)
	case gt == grantAuthCode || gt == grantHybridCode:
		res, oerr = e.grantAuthCode(r, form)
	case gt == grantPassword:
		res, oerr = e.grantPassword(r, form)
	case gt == grantRefresh || gt == grantHybridRefresh:
		res, oerr = e.grantRefresh(r, form)
	case gt == grantJWT:
		res, oerr = e.grantJWT(r, form)
	case gt == grantClientCreds:
		res, oerr = e.grantClientCredentials(r, form)
	case gt == grantDevice:
		res, oerr = e.devicePoll(r, form)
	case gt == grantTokenExchange:
		res, oerr = e.grantTokenExchange(r, form)
	case gt == grantSAML:
		res, oerr = e.grantSAML(r, form)
	default:
		oerr = errUnsupportedGrant
	}
	if oerr != nil {
		writeOAuthError(w, r, form, oerr)
		return
	}
	writeOAuth(w, r, form, http.StatusOK, res)
}

// clientAuth reads client_id / client_secret from the body or HTTP Basic (§3.6, §4.2).
type clientAuth struct {
	id, secret  string
	secretGiven bool
}

func readClient(r *http.Request, form url.Values) clientAuth {
	var c clientAuth
	if u, p, ok := r.BasicAuth(); ok {
		if x, err := url.QueryUnescape(u); err == nil {
			u = x
		}
		if x, err := url.QueryUnescape(p); err == nil {
			p = x
		}
		c = clientAuth{id: u, secret: p, secretGiven: true}
	}
	if id := form.Get("client_id"); id != "" {
		c.id = id
	}
	if _, ok := form["client_secret"]; ok {
		c.secret, c.secretGiven = form.Get("client_secret"), true
	}
	return c
}

// app returns the client's app or invalid_client_id (§5).
func (e *Emulator) clientApp(c clientAuth) (*App, *oauthError) {
	a := e.org.appByKey(c.id)
	if a == nil {
		return nil, e.errClientID()
	}
	if a.isECA() && !a.Installed {
		return nil, errAppNotFound
	}
	return a, nil
}

// checkSecret: a required secret must be sent; a sent secret is always validated (§3.4).
// authenticate reads the client from the form or Basic auth, finds its app and checks the
// secret; secretRequired says whether this grant needs one for that app.
func (e *Emulator) authenticate(r *http.Request, form url.Values, secretRequired func(*App) bool) (*App, *oauthError) {
	c := readClient(r, form)
	a, err := e.clientApp(c)
	if err != nil {
		return nil, err
	}
	if err := e.checkSecret(a, c, secretRequired(a)); err != nil {
		return nil, err
	}
	return a, nil
}

// authenticateAllowlisted is authenticate for the two flows an External Client App's refresh
// token IP allowlist restricts, the web server and refresh flows (§15.3): a caller outside
// it is refused. The org's apps do not change while it runs, so this needs no lock.
func (e *Emulator) authenticateAllowlisted(r *http.Request, form url.Values, secretRequired func(*App) bool) (*App, *oauthError) {
	a, err := e.authenticate(r, form, secretRequired)
	if err != nil {
		return nil, err
	}
	if !a.allowlisted(r.RemoteAddr) {
		return nil, e.errAllowlist()
	}
	return a, nil
}

func secretAlways(*App) bool   { return true }
func secretOptional(*App) bool { return false }

func (e *Emulator) checkSecret(a *App, c clientAuth, required bool) *oauthError {
	if !c.secretGiven {
		if required && a.ConsumerSecret != "" {
			return e.errClientCreds()
		}
		return nil
	}
	if subtle.ConstantTimeCompare([]byte(c.secret), []byte(a.ConsumerSecret)) != 1 {
		return e.errClientCreds()
	}
	return nil
}

// userCanUseToken applies the user state checks shared by the token grants (§5).
func userCheck(u *User) *oauthError {
	if u.Inactive || u.Frozen {
		return errInactiveUser
	}
	return nil
}

func ipCheck(a *App, u *User, refresh bool) *oauthError {
	if !u.RestrictedIP || a.IPRelaxation == IPBypass || (refresh && a.IPRelaxation == IPEnforceRelaxRefresh) {
		return nil
	}
	return errIPRestricted
}

// grantAuthCode exchanges an authorization code (§3.1).
func (e *Emulator) grantAuthCode(r *http.Request, form url.Values) (obj, *oauthError) {
	a, err := e.authenticateAllowlisted(r, form, (*App).secretRequiredWebServer)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	ac := e.codes[form.Get("code")]
	if ac == nil || ac.app != a {
		return nil, errGrant("invalid authorization code") // [UNCONF] text for an unknown code
	}
	life := time.Duration(orInt(e.org.Behaviour.AuthCodeLifetimeMinutes, 15)) * time.Minute
	if ac.used || e.now().Sub(ac.created) >= life {
		return nil, errExpiredCode // single use (§3.1, §5)
	}
	ac.used = true
	if form.Get("redirect_uri") != ac.redirectURI {
		return nil, &oauthError{400, "redirect_uri_mismatch", "redirect_uri must match configuration"}
	}
	if ac.challenge != "" {
		v := form.Get("code_verifier")
		if v == "" {
			return nil, errGrant(orStr(e.org.Behaviour.PKCEMissingVerifierDescription, "invalid code verifier"))
		}
		want := v
		if ac.method != "plain" {
			sum := sha256.Sum256([]byte(v))
			want = base64.RawURLEncoding.EncodeToString(sum[:])
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(ac.challenge)) != 1 {
			return nil, &oauthError{400, orStr(e.org.Behaviour.PKCEMismatchError, "invalid_grant"),
				orStr(e.org.Behaviour.PKCEMismatchDescription, "invalid code verifier")}
		}
	}
	if err := userCheck(ac.user); err != nil {
		return nil, err
	}
	o, _ := e.issue(grant{app: a, user: ac.user, scopes: ac.scopes, showScope: true, refresh: hasRefreshScope(ac.scopes),
		idToken: true, nonce: ac.nonce, issuedAt: true, issuer: ac.issuer})
	return o, nil
}

// grantPassword is the username-password flow (§3.3): no refresh token, no scope.
func (e *Emulator) grantPassword(r *http.Request, form url.Values) (obj, *oauthError) {
	a, err := e.authenticate(r, form, secretAlways)
	if err != nil {
		return nil, err
	}
	// A blocked flow and an External Client App (never supports it) look exactly like bad
	// credentials on the wire (§3.3); the ECA's error text is [UNCONF].
	if e.org.BlockUsernamePasswordFlow || a.isECA() {
		return nil, errAuthFailure
	}
	u := e.org.userByName(form.Get("username"))
	switch checkCredentials(u, form.Get("password")) { // shared with SOAP login() (soaplogin.go)
	case credOK:
	case credInactive:
		return nil, errInactiveUser
	default: // a missing security token, a frozen user and login hours all look alike (§3.3)
		return nil, errAuthFailure
	}
	if err := ipCheck(a, u, false); err != nil {
		return nil, err
	}
	if a.permittedUsers() == AdminApprovedPreAuthorized && !a.preAuthorized(u) {
		return nil, errNotAdminApproved
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	o, _ := e.issue(grant{app: a, user: u, scopes: append([]string{}, a.Scopes...), issuedAt: true})
	return o, nil
}

// grantRefresh is the refresh token flow (§3.4) with rotation and reuse detection.
func (e *Emulator) grantRefresh(r *http.Request, form url.Values) (obj, *oauthError) {
	a, err := e.authenticateAllowlisted(r, form, (*App).secretRequiredRefresh)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rt := e.refreshes[form.Get("refresh_token")]
	if rt == nil || rt.app != a {
		return nil, errExpiredToken
	}
	now := e.now()
	if rt.rotated && !rt.revoked {
		// Replay of a rotated-out token "invalidates the current refresh token and any
		// associated access tokens" (§3.4, §15.2: the whole family), unless it comes within
		// the app's grace period (none documented: App.RefreshTokenReuseGraceSeconds, 0).
		grace := time.Duration(a.RefreshTokenReuseGraceSeconds) * time.Second
		if grace <= 0 || now.Sub(rt.rotatedAt) >= grace {
			e.revokeFamily(rt.family)
			return nil, errExpiredToken
		}
	}
	if rt.revoked || !e.refreshPolicyValid(rt, now) {
		return nil, errExpiredToken
	}
	if err := userCheck(rt.user); err != nil {
		return nil, err
	}
	if err := ipCheck(a, rt.user, true); err != nil {
		return nil, err
	}
	rt.lastUsed = now
	e.touchOauthToken(rt.family, now)
	g := grant{app: a, user: rt.user, scopes: rt.scopes, showScope: true, family: rt.family, idToken: true,
		issuedAt: true, issuer: e.baseURL(r)}
	if a.RefreshTokenRotation {
		g.refresh, g.rotateFrom = true, rt
	}
	o, _ := e.issue(g)
	return o, nil
}

// assertionScopes are the scopes of an assertion grant: the app's, without refresh scopes.
func assertionScopes(a *App) []string {
	var out []string
	for _, s := range a.Scopes {
		if s != "refresh_token" && s != "offline_access" {
			out = append(out, s)
		}
	}
	return out
}

func (e *Emulator) audiences() []string {
	if e.org.Behaviour.JWTAudiences != nil {
		return e.org.Behaviour.JWTAudiences
	}
	aud := []string{"https://login.salesforce.com", "https://test.salesforce.com"}
	if e.org.MyDomain != "" {
		aud = append(aud, "https://"+e.org.MyDomain+".my.salesforce.com")
	}
	return append(aud, e.LoginURL, e.MyDomainURL)
}

func (e *Emulator) audienceOK(auds []string) bool {
	for _, a := range auds {
		a = strings.TrimRight(a, "/")
		for _, ok := range e.audiences() {
			if ok != "" && a == strings.TrimRight(ok, "/") {
				return true
			}
		}
	}
	return false
}

// assertionApproval: pre-authorized by an admin, or approved interactively with the
// refresh_token scope (§3.5).
func (e *Emulator) assertionApproval(a *App, u *User, needRefresh bool) *oauthError {
	if a.permittedUsers() == AdminApprovedPreAuthorized {
		if !a.preAuthorized(u) {
			return errNotAdminApproved
		}
		return nil
	}
	if !e.hasApproved(u, a, nil, needRefresh) {
		return errNotApproved
	}
	return nil
}

// grantJWT is the JWT bearer flow (§3.5).
func (e *Emulator) grantJWT(r *http.Request, form url.Values) (obj, *oauthError) {
	j, perr := parseJWT(form.Get("assertion"))
	if perr != nil {
		return nil, errInvalidAssertion
	}
	a := e.org.appByKey(j.str("iss"))
	if a == nil {
		return nil, e.errClientID()
	}
	if a.isECA() && !a.Installed {
		return nil, errAppNotFound // §15.5
	}
	if a.CertificatePEM == "" {
		return nil, errInvalidAssertion
	}
	pub, kerr := parsePublicKey(a.CertificatePEM)
	if kerr != nil || !j.verifyRS256(pub) { // RS256 only: alg none / HS256 are refused
		return nil, errInvalidAssertion
	}
	if !e.audienceOK(j.audiences()) {
		return nil, errAudience
	}
	exp, ok := j.numeric("exp")
	if !ok {
		return nil, errInvalidAssertion
	}
	// A far-future exp (the CLI sends milliseconds) is accepted (§3.5).
	if int64(exp) <= e.now().Unix() {
		return nil, errGrant(orStr(e.org.Behaviour.ExpiredAssertionDescription, "expired authorization code"))
	}
	name := j.str("sub")
	if prn := j.str("prn"); prn != "" { // legacy prn wins (§3.5)
		name = prn
	}
	u := e.org.userByName(name)
	if u == nil {
		return nil, errInvalidAssertion // [UNCONF] text for an unknown subject
	}
	if err := userCheck(u); err != nil {
		return nil, err
	}
	if err := ipCheck(a, u, false); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.assertionApproval(a, u, true); err != nil {
		return nil, err
	}
	// Response per Salesforce's example: no refresh_token, no issued_at/signature (setting).
	o, _ := e.issue(grant{app: a, user: u, scopes: assertionScopes(a), showScope: true,
		issuedAt: e.org.Behaviour.JWTBearerIssuedAt})
	return o, nil
}

// grantClientCredentials is the client credentials flow (§3.6), My Domain host only.
func (e *Emulator) grantClientCredentials(r *http.Request, form url.Values) (obj, *oauthError) {
	if !e.isMyDomain(r) {
		return nil, errWrongDomain
	}
	a, err := e.authenticate(r, form, secretAlways)
	if err != nil {
		return nil, err
	}
	if !a.ClientCredentialsEnabled {
		return nil, errGrant(orStr(e.org.Behaviour.ClientCredentialsDisabledDescription, "client credentials flow not enabled"))
	}
	u := e.org.userByName(a.ClientCredentialsUser)
	if u == nil {
		return nil, errNoCCUser
	}
	if err := userCheck(u); err != nil {
		return nil, err
	}
	// Reported to grant all app scopes except full, web and the refresh scopes (§3.6).
	var scopes []string
	for _, s := range a.Scopes {
		switch s {
		case "full", "web", "refresh_token", "offline_access":
		default:
			scopes = append(scopes, s)
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	o, _ := e.issue(grant{app: a, user: u, scopes: scopes, showScope: true, issuedAt: true, apiInstance: true})
	return o, nil
}

// grantTokenExchange exchanges an access or refresh token of this org (§3.9). The Apex
// handler is emulated by accepting this org's own live tokens; response details are
// [UNCONF] and set by Behaviour.
func (e *Emulator) grantTokenExchange(r *http.Request, form url.Values) (obj, *oauthError) {
	c := readClient(r, form)
	a, err := e.clientApp(c)
	if err != nil {
		return nil, err
	}
	if !a.TokenExchangeEnabled {
		return nil, errGrant("token exchange is not enabled for the app") // [UNCONF] text
	}
	if err := e.checkSecret(a, c, a.secretRequiredExchange()); err != nil {
		return nil, err
	}
	scopes, ok := grantScopes(a, form.Get("scope"))
	if !ok {
		return nil, errInvalidScope
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	var u *User
	tok := form.Get("subject_token")
	switch form.Get("subject_token_type") {
	case "urn:ietf:params:oauth:token-type:access_token":
		if s := e.sessions[tok]; s != nil && s.valid(now) {
			u = s.user
		}
	case "urn:ietf:params:oauth:token-type:refresh_token":
		if rt := e.refreshes[tok]; rt != nil && e.refreshValid(rt, now) {
			u = rt.user
		}
	default:
		return nil, &oauthError{400, "invalid_request", "unsupported subject_token_type"} // [UNCONF]
	}
	if u == nil {
		return nil, errGrant("invalid subject token") // [UNCONF] text
	}
	if err := userCheck(u); err != nil {
		return nil, err
	}
	if !e.org.Behaviour.TokenExchangeSkipsApproval {
		if err := e.assertionApproval(a, u, false); err != nil {
			return nil, err
		}
	}
	o, _ := e.issue(grant{app: a, user: u, scopes: scopes, showScope: true,
		refresh: hasRefreshScope(scopes) && !e.org.Behaviour.OmitTokenExchangeRefreshToken,
		idToken: true, issuedAt: true, issuer: e.baseURL(r), issuedType: !e.org.Behaviour.OmitTokenExchangeIssuedTokenType})
	return o, nil
}
