package sfemu

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Compiled at its first use, not at every start of the binary (most commands serve nothing).
var jsonpName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$.]{0,63}$`) })

// handleRevoke is /services/oauth2/revoke (§4.1): POST form token= or GET ?token=; no
// client authentication; 200 with an empty body on success; 400 form-encoded error
// otherwise; JSONP with callback=. Revoking a refresh token revokes its access tokens.
func (e *Emulator) handleRevoke(w http.ResponseWriter, r *http.Request) {
	var form url.Values
	switch r.Method {
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			writeFormError(w, "invalid_token", "invalid token")
			return
		}
		form = r.Form
	case http.MethodGet:
		form = r.URL.Query()
	default:
		writeFormError(w, "invalid_request", "method not supported")
		return
	}
	tok := form.Get("token")
	ok := e.revoke(tok)
	if cb := form.Get("callback"); cb != "" && jsonpName().MatchString(cb) {
		w.Header().Set("Content-Type", "application/javascript;charset=UTF-8")
		if ok {
			w.Write([]byte(cb + "({})"))
		} else {
			w.Write([]byte(cb + `({"error":"invalid_token"})`))
		}
		return
	}
	if !ok {
		writeFormError(w, "invalid_token", "invalid token")
		return
	}
	w.WriteHeader(http.StatusOK)
}

// revoke revokes an access token (one session) or a refresh token with every access token
// issued from it. It reports false for an unknown or already dead token.
func (e *Emulator) revoke(tok string) bool {
	if tok == "" {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if s := e.sessions[tok]; s != nil {
		if !s.valid(now) {
			return false
		}
		s.revoked = true
		return true
	}
	if rt := e.refreshes[tok]; rt != nil && !rt.revoked && !rt.rotated {
		e.revokeFamily(rt.family)
		return true
	}
	return e.revokeByDeleteToken(tok) // an OauthToken's DeleteToken (§15.1)
}

// handleIntrospect is /services/oauth2/introspect (§4.2): client auth in the body or Basic;
// exp = last activity + idle timeout, in seconds. Introspection is not session activity.
func (e *Emulator) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, r, r.URL.Query(), &oauthError{400, "invalid_request", "method not supported"})
		return
	}
	form, oerr := parseTokenForm(r)
	if oerr != nil {
		if oerr == errUnsupportedGrant {
			oerr = &oauthError{400, "invalid_request", "unsupported content type"}
		}
		writeOAuthError(w, r, r.URL.Query(), oerr)
		return
	}
	c := readClient(r, form)
	a, err := e.clientApp(c)
	if err != nil {
		writeOAuthError(w, r, form, err)
		return
	}
	if !c.secretGiven {
		writeOAuthError(w, r, form, e.errClientCreds())
		return
	}
	if err := e.checkSecret(a, c, true); err != nil {
		writeOAuthError(w, r, form, err)
		return
	}
	writeJSON(w, http.StatusOK, e.introspect(a, form.Get("token"), form.Get("token_type_hint")))
}

func (e *Emulator) introspect(a *App, tok, hint string) obj {
	inactive := obj{{"active", false}} // RFC 7662 shape [UNCONF exact body]
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	check := []string{"access_token", "refresh_token"}
	if strings.EqualFold(hint, "refresh_token") {
		check = []string{"refresh_token", "access_token"}
	}
	for _, kind := range check {
		switch kind {
		case "access_token":
			s := e.sessions[tok]
			if s == nil {
				continue
			}
			if !s.valid(now) || (s.app != a && !a.IntrospectAllTokens) {
				return inactive
			}
			return obj{{"active", true}, {"scope", strings.Join(s.scopes, " ")}, {"client_id", s.app.ConsumerKey},
				{"username", s.user.Username}, {"sub", e.identityURL(s.user)}, {"token_type", "access_token"},
				{"exp", s.expiry().Unix()}, {"iat", s.created.Unix()}, {"nbf", s.created.Unix()}}
		case "refresh_token":
			rt := e.refreshes[tok]
			if rt == nil {
				continue
			}
			if !e.refreshValid(rt, now) || (rt.app != a && !a.IntrospectAllTokens) {
				return inactive
			}
			o := obj{{"active", true}, {"scope", strings.Join(rt.scopes, " ")}, {"client_id", rt.app.ConsumerKey},
				{"username", rt.user.Username}, {"sub", e.identityURL(rt.user)}, {"token_type", "refresh_token"}}
			// An "infinite" refresh token has no exp [UNCONF].
			if exp, ok := e.refreshExpiry(rt); ok {
				o = append(o, field{"exp", exp.Unix()})
			}
			return append(o, field{"iat", rt.created.Unix()}, field{"nbf", rt.created.Unix()})
		}
	}
	return inactive
}
