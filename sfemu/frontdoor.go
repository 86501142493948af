package sfemu

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Frontdoor (reference §15.4, §1.2).
//
// GET|POST {instance_url}/services/oauth2/singleaccess with "Authorization: Bearer <AT>"
// (or an access_token form parameter on a POST)
// and an optional redirect_uri (a relative path, in the query or the form) answers
// {"frontdoor_uri":"<instance_url>/secur/frontdoor.jsp?otp=<otp>[&startURL=<path>]"}; the
// otp is single use and short-lived. `sf org open` uses it since August 2025 (sfdx-core
// Org.getFrontDoorUrl). An expired or unknown access token gets 403, not 401 (comment in
// sfdx-core org.ts), and API-only users are refused (Spring '26 release notes,
// "Bad_OAuth_Token"; the body shape is [UNCONF]: the emulator answers both with the
// 403 "Bad_OAuth_Token" text body its userinfo uses).
//
// GET /secur/frontdoor.jsp?otp=<otp> (or the Mobile SDK's ?sid=<access token>&retURL=)
// turns that into a UI session: the "sid" cookie (HttpOnly) and a redirect to the start
// page, a relative path, else the org's home page /home/home.jsp.

const (
	frontdoorPath = "/secur/frontdoor.jsp"
	homePath      = "/home/home.jsp"
)

// frontdoorOTP is a one-time password minted by singleaccess.
type frontdoorOTP struct {
	userID   string
	startURL string
	created  time.Time
	used     bool
}

// otpLifetime is how long an otp can be redeemed; 0 means 60 seconds [UNCONF: Salesforce
// says only "short-lived"].
func (e *Emulator) otpLifetime() time.Duration {
	return time.Duration(orInt(e.org.Behaviour.FrontdoorOTPLifetimeSeconds, 60)) * time.Second
}

// relativePath accepts a relative path such as "/lightning/page/home" or, as Salesforce's
// own examples write it, "lightning/setup/ManageUsers/home" (Spring '25 release notes),
// and returns it with a leading "/". No scheme, no host, no "//" or "\" tricks, no control
// characters: it returns "" otherwise.
func relativePath(p string) string {
	if p == "" || strings.HasPrefix(p, "//") || len(p) > 2048 {
		return ""
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return ""
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// handleSingleAccess is /services/oauth2/singleaccess.
func (e *Emulator) handleSingleAccess(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		writeOAuthError(w, r, nil, &oauthError{http.StatusMethodNotAllowed, "invalid_request", "method not supported"})
		return
	}
	start := r.URL.Query().Get("redirect_uri")
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			writeOAuthError(w, r, nil, &oauthError{http.StatusBadRequest, "invalid_request", "could not read the request body"})
			return
		}
		if v := r.PostForm.Get("redirect_uri"); v != "" {
			start = v
		}
	}
	if start != "" && relativePath(start) == "" {
		// [UNCONF] wording; Salesforce documents redirect_uri as a relative path.
		writeOAuthError(w, r, nil, &oauthError{http.StatusBadRequest, "invalid_request", "redirect_uri must be a relative path"})
		return
	}
	tok := bearerToken(r)
	if tok == "" && r.Method == http.MethodPost {
		// A POST may carry the token as an access_token form parameter; an access token
		// in the URL query string is blocked since Spring '25 ("GET Requests with Access
		// Tokens in the URL Query String Are Blocked for the Single Access Endpoint"), so it
		// is not read there and the request is answered as one without a token.
		tok = r.PostForm.Get("access_token")
	}
	s := e.useSession(tok)
	if s == nil || s.user.APIOnly {
		badOAuthToken(w)
		return
	}
	otp := randomToken(32)
	e.mu.Lock()
	now := e.now()
	e.otps[otp] = &frontdoorOTP{userID: s.user.ID, startURL: relativePath(start), created: now}
	e.inserted(now)
	e.mu.Unlock()
	u := e.instanceURL() + frontdoorPath + "?otp=" + url.QueryEscape(otp)
	if start != "" {
		u += "&startURL=" + url.QueryEscape(start)
	}
	writeJSON(w, http.StatusOK, obj{{"frontdoor_uri", u}})
}

// handleFrontdoor is /secur/frontdoor.jsp.
func (e *Emulator) handleFrontdoor(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	e.mu.Lock()
	now := e.now()
	var userID, start string
	if otp := q.Get("otp"); otp != "" {
		if o := e.otps[otp]; o != nil && !o.used && now.Sub(o.created) < e.otpLifetime() {
			o.used = true
			userID, start = o.userID, o.startURL
		}
	} else if sid := q.Get("sid"); sid != "" {
		if s := e.sessions[sid]; s != nil && s.valid(now) && !s.user.APIOnly {
			s.touch(now)
			userID = s.user.ID
		}
	}
	for _, k := range []string{"startURL", "retURL"} {
		if v := relativePath(q.Get(k)); v != "" && start == "" {
			start = v
		}
	}
	u := e.org.userByID(userID)
	if u == nil || u.Frozen || u.Inactive {
		e.mu.Unlock()
		// Salesforce shows its login page; the emulator says why in one line [UNCONF].
		writeHTML(w, http.StatusUnauthorized, "Session expired", `<p id="error">This frontdoor link is invalid, used or expired. Log in again from your application.</p>`)
		return
	}
	sid := randomToken(24)
	e.browser[sid] = &uiSession{userID: u.ID, lastActivity: now}
	e.inserted(now)
	e.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sid, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, orStr(relativePath(start), homePath), http.StatusFound)
}

// handleHome is the org's home page: who is logged in, from the sid cookie.
func (e *Emulator) handleHome(w http.ResponseWriter, r *http.Request) {
	var u *User
	if c, err := r.Cookie(sessionCookie); err == nil {
		e.mu.Lock()
		if id, ok := e.uiSessionUser(c.Value, e.now()); ok {
			u = e.org.userByID(id)
		}
		e.mu.Unlock()
	}
	if u == nil {
		writeHTML(w, http.StatusUnauthorized, "Login", `<p id="error">You are not logged in to this emulated org.</p>`)
		return
	}
	writeHTML(w, http.StatusOK, "Home | "+e.org.Name, `<h1>Home</h1><p id="user">Logged in as `+htmlEscape(u.Username)+
		`</p><p>`+htmlEscape(e.org.Name)+` (`+htmlEscape(e.org.ID)+`). This is sfemu, not Salesforce.</p>`)
}
