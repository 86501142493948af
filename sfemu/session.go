package sfemu

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// session is an access token: an idle Salesforce session (§7).
type session struct {
	token        string
	app          *App
	user         *User
	scopes       []string
	created      time.Time
	lastActivity time.Time
	timeout      time.Duration
	family       string // refresh token family it was issued under, if any
	revoked      bool
}

// expiry is when the idle session ends: last recorded activity plus the timeout.
func (s *session) expiry() time.Time { return s.lastActivity.Add(s.timeout) }

func (s *session) valid(now time.Time) bool { return !s.revoked && now.Before(s.expiry()) }

// touch records activity. The idle timer is pushed back only when more than half of the
// timeout has elapsed since the last recorded activity (§7: 30-minute timeout, activity at
// minute 10 does not extend, logout at 30; activity at minute 20 extends to 50).
func (s *session) touch(now time.Time) {
	if now.Sub(s.lastActivity) > s.timeout/2 {
		s.lastActivity = now
	}
}

// refreshToken is a refresh token record (§3.4, §7).
type refreshToken struct {
	token     string
	app       *App
	user      *User
	scopes    []string
	created   time.Time // start of the family, for specific_lifetime
	lastUsed  time.Time // for specific_inactivity
	family    string
	rotated   bool // replaced by a newer token (rotation); replay revokes the family
	rotatedAt time.Time
	revoked   bool
}

// authCode is an authorization code (§3.1).
type authCode struct {
	app         *App
	user        *User
	redirectURI string
	challenge   string
	method      string
	scopes      []string
	nonce       string
	created     time.Time
	used        bool
	issuer      string
}

// approval records that a user approved an app interactively.
type approval struct {
	scopes      []string
	withRefresh bool
}

func approvalKey(u *User, a *App) string { return u.ID + "|" + a.ConsumerKey }

// hasApproved reports whether the user approved the app before (§3.5: an interactive flow
// that included refresh_token scope counts for JWT bearer) and, when scopes is non-nil,
// whether that approval covered them. Caller holds e.mu.
func (e *Emulator) hasApproved(u *User, a *App, scopes []string, needRefresh bool) bool {
	ap, ok := e.approvals[approvalKey(u, a)]
	if !ok {
		return false
	}
	if needRefresh && !ap.withRefresh {
		return false
	}
	for _, s := range scopes {
		if !hasScope(ap.scopes, s) {
			return false
		}
	}
	return true
}

// recordApproval remembers an approval. Caller holds e.mu.
func (e *Emulator) recordApproval(u *User, a *App, scopes []string) {
	k := approvalKey(u, a)
	ap := e.approvals[k]
	for _, s := range scopes {
		if !hasScope(ap.scopes, s) {
			ap.scopes = append(ap.scopes, s)
		}
	}
	if hasScope(scopes, "refresh_token") || hasScope(scopes, "offline_access") {
		ap.withRefresh = true
	}
	e.approvals[k] = ap
}

// grant describes what to issue.
type grant struct {
	app          *App
	user         *User
	scopes       []string // granted scopes (session scopes)
	showScope    bool     // include "scope" in the response
	refresh      bool     // issue a refresh token
	family       string   // existing family (refresh flow)
	idToken      bool     // include id_token when openid granted
	nonce        string
	issuedAt     bool // include issued_at and signature
	issuer       string
	apiInstance  bool
	issuedType   bool // RFC 8693 issued_token_type
	rotateFrom   *refreshToken
	reuseRefresh bool
}

// issue creates a session (and maybe a refresh token) and builds the response object in
// the wire order of §2 / §13. Caller holds e.mu.
func (e *Emulator) issue(g grant) (obj, *session) {
	now := e.now()
	s := &session{token: e.newAccessToken(), app: g.app, user: g.user, scopes: g.scopes, created: now,
		lastActivity: now, timeout: e.org.effectiveTimeout(g.app, g.user), family: g.family}
	var rt *refreshToken
	if g.refresh {
		newFamily := g.family == ""
		if newFamily {
			g.family = randomToken(12)
			s.family = g.family
		}
		rt = &refreshToken{token: newRefreshToken(), app: g.app, user: g.user, scopes: g.scopes, created: now,
			lastUsed: now, family: g.family}
		if g.rotateFrom != nil {
			rt.created = g.rotateFrom.created
			if !g.rotateFrom.rotated {
				g.rotateFrom.rotated, g.rotateFrom.rotatedAt = true, now
			}
		}
		e.refreshes[rt.token] = rt
		if newFamily {
			e.recordOauthToken(g.app, g.user, g.family, now) // a new approval (approvals.go)
		}
	}
	e.sessions[s.token] = s
	e.inserted(now)

	id := e.identityURL(g.user)
	issuedAt := strconv.FormatInt(now.UnixMilli(), 10)
	o := obj{{"access_token", s.token}}
	if rt != nil {
		o = append(o, field{"refresh_token", rt.token})
	}
	if g.issuedAt {
		o = append(o, field{"signature", signature(g.app.ConsumerSecret, id, issuedAt)})
	}
	if g.showScope {
		o = append(o, field{"scope", strings.Join(g.scopes, " ")})
	}
	if g.idToken && hasScope(g.scopes, "openid") {
		o = append(o, field{"id_token", e.idToken(g.app, g.user, g.issuer, g.nonce, s.token, now)})
	}
	o = append(o, field{"instance_url", e.instanceURL()}, field{"id", id}, field{"token_type", "Bearer"})
	if g.issuedAt {
		o = append(o, field{"issued_at", issuedAt})
	}
	if g.apiInstance {
		o = append(o, field{"api_instance_url", orStr(e.org.Behaviour.APIInstanceURL, "https://api.salesforce.com")})
	}
	if g.issuedType {
		o = append(o, field{"issued_token_type", "urn:ietf:params:oauth:token-type:access_token"})
	}
	return o, s
}

// signature is base64(HMAC-SHA256(key = consumer secret, message = id + issued_at)) (§2).
func signature(secret, id, issuedAt string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(id + issuedAt))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// revokeFamily revokes every refresh token of a family and every access token issued
// under it (§3.4 reuse detection, §4.1), and removes its OauthToken record (§15.1). Caller
// holds e.mu.
func (e *Emulator) revokeFamily(family string) {
	if family == "" {
		return
	}
	e.dropOauthToken(family)
	for _, rt := range e.refreshes {
		if rt.family == family {
			rt.revoked = true
		}
	}
	for _, s := range e.sessions {
		if s.family == family {
			s.revoked = true
		}
	}
}

// idleRefreshLimit is Spring '26's "Limit Idle Refresh Token TTL to 30 Days" (reference
// §15.3, help xcloud.connected_app_limit_idle_ttl), on unless Org.NoIdleRefreshTokenLimit.
const idleRefreshLimit = 30 * 24 * time.Hour

// refreshExpiry is the refresh token's current expiry under its app's policy (§7) and the
// 30-day idle limit (§15.3): "valid until revoked" then expires after 30 days unused,
// "expire after N" keeps N and gains the idle limit, "expire if not used for N" is capped
// at 30 days, "immediately expire" is unchanged.
func (e *Emulator) refreshExpiry(rt *refreshToken) (time.Time, bool) {
	p := rt.app.refreshPolicy()
	var exp time.Time
	has := true
	switch p.kind {
	case "zero":
		return rt.created, true
	case "specific_lifetime":
		exp = p.after(rt.created)
	case "specific_inactivity":
		exp = p.after(rt.lastUsed)
	default:
		has = false
	}
	if !e.org.NoIdleRefreshTokenLimit {
		if idle := rt.lastUsed.Add(idleRefreshLimit); !has || idle.Before(exp) {
			exp, has = idle, true
		}
	}
	return exp, has
}

// refreshPolicyValid applies the expiry alone, evaluated when the token is used.
func (e *Emulator) refreshPolicyValid(rt *refreshToken, now time.Time) bool {
	if rt.app.refreshPolicy().kind == "zero" {
		return false
	}
	exp, ok := e.refreshExpiry(rt)
	return !ok || now.Before(exp)
}

// refreshValid: not revoked, not rotated away, not expired.
func (e *Emulator) refreshValid(rt *refreshToken, now time.Time) bool {
	return !rt.revoked && !rt.rotated && e.refreshPolicyValid(rt, now)
}

// bearerToken reads the access token from the Authorization header or the oauth_token
// parameter (§4.4).
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "Bearer ") {
		return strings.TrimSpace(h[7:])
	}
	if len(h) > 6 && strings.EqualFold(h[:6], "OAuth ") {
		return strings.TrimSpace(h[6:])
	}
	return ""
}

// useSession looks the token up, checks it is live and records activity (§7). It returns
// nil for an unknown, revoked or expired token.
func (e *Emulator) useSession(token string) *session {
	if token == "" {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	s := e.sessions[token]
	if s == nil || !s.valid(now) {
		return nil
	}
	s.touch(now)
	return s
}
