package guidance

import (
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// standardTimeouts are the session timeouts Salesforce offers (reference §7), used to tell
// whether introspection's exp − iat is a timeout or an already-extended session.
var standardTimeouts = map[time.Duration]bool{
	15 * time.Minute: true, 30 * time.Minute: true, 60 * time.Minute: true, 90 * time.Minute: true,
	2 * time.Hour: true, 4 * time.Hour: true, 8 * time.Hour: true, 12 * time.Hour: true, 24 * time.Hour: true,
}

// timeoutChoice is the effective idle timeout and where it comes from.
type timeoutChoice struct {
	d      time.Duration
	src    Source
	phrase string // "from the app's session policy"
	place  place  // where to change it
}

// effectiveTimeout walks app → profile → org → introspection → default (reference §7).
func effectiveTimeout(s Settings, intro *flows.Introspection) timeoutChoice {
	appWord := "the app"
	switch s.AppKind {
	case AppConnected:
		appWord = "the Connected App"
	case AppExternalClient:
		appWord = "the External Client App"
	}
	switch {
	case s.AppSessionTimeoutMinutes > 0:
		return timeoutChoice{time.Duration(s.AppSessionTimeoutMinutes) * time.Minute, SourceApp,
			"from " + appWord + "'s session policy", placeAppTimeout.at(s.AppKind)}
	case s.ProfileSessionTimeoutMinutes > 0:
		return timeoutChoice{time.Duration(s.ProfileSessionTimeoutMinutes) * time.Minute, SourceProfile,
			"from the user's profile (Session Times Out After); the app sets none", placeProfileTimeout}
	case s.OrgSessionTimeoutMinutes > 0:
		return timeoutChoice{time.Duration(s.OrgSessionTimeoutMinutes) * time.Minute, SourceOrg,
			"from the org's Session Settings; neither the app nor the profile sets one", placeOrgTimeout}
	}
	if intro != nil && intro.Active && intro.Exp > 0 && intro.Iat > 0 {
		d := time.Duration(intro.Exp-intro.Iat) * time.Second
		if standardTimeouts[d] {
			return timeoutChoice{d, SourceIntrospection, "inferred from introspection (exp − iat)", placeAppTimeout.at(s.AppKind)}
		}
	}
	return timeoutChoice{DefaultIdleTimeout, SourceDefault,
		"assumed: Salesforce's default is 2 hours; your org may differ", placeOrgTimeout}
}

// lifetimeResult is what the lifetime computation gives the report.
type lifetimeResult struct {
	rows        []LifetimeRow
	advice      []Advice
	timeout     timeoutChoice
	expiresIdle *time.Time
	estimated   bool
	jwtAccess   bool
	inactive    bool // introspection says active: false, or the token was revoked
	revoked     bool // this client revoked it (Input.Revoked)
	issued      *time.Time
	issuedFrom  Source
}

func computeLifetimes(in Input, tok *flows.TokenResponse, loc *time.Location) lifetimeResult {
	s := in.Settings
	now := in.Now
	intro := in.Introspection
	lr := lifetimeResult{timeout: effectiveTimeout(s, intro)}
	tc := lr.timeout
	add := func(r LifetimeRow) { lr.rows = append(lr.rows, r) }

	if tok == nil {
		v := "none: the flow did not return one"
		if in.Result == nil {
			v = "none yet: the flow has not run"
		}
		add(LifetimeRow{Label: "Access token", Value: v})
		v = humanDuration(tc.d)
		if tc.src == SourceDefault {
			v += " (assumed)"
		}
		add(LifetimeRow{Label: "Idle timeout", Value: v, Source: tc.phrase, Estimated: tc.src == SourceDefault,
			Note: "What a session from this flow would last once it works."})
		return lr
	}

	var jwtExp, jwtIat time.Time
	if claims, ok := jwtClaims(tok.AccessToken); ok {
		if t, ok := claimTime(claims, "exp"); ok {
			jwtExp, lr.jwtAccess = t, true
		}
		jwtIat, _ = claimTime(claims, "iat")
	}

	// Issued at.
	var base time.Time
	if t, ok := parseIssuedAt(tok.IssuedAt); ok {
		base, lr.issuedFrom = t, SourceResponse
		add(LifetimeRow{Label: "Access token issued at", Value: fmtAt(t, now, loc), Source: "issued_at in the response (milliseconds)", At: ptrTime(t.In(loc))})
	} else if !jwtIat.IsZero() {
		base, lr.issuedFrom = jwtIat, SourceToken
		add(LifetimeRow{Label: "Access token issued at", Value: fmtAt(jwtIat, now, loc), Source: "iat claim of the JWT access token",
			Note: "The response carried no issued_at.", At: ptrTime(jwtIat.In(loc))})
	} else if intro != nil && intro.Iat > 0 {
		t := time.Unix(intro.Iat, 0)
		base, lr.issuedFrom = t, SourceIntrospection
		add(LifetimeRow{Label: "Access token issued at", Value: fmtAt(t, now, loc), Source: "introspection iat",
			Note: "The response carried no issued_at.", At: ptrTime(t.In(loc))})
	} else if !now.IsZero() {
		base, lr.issuedFrom = now, SourceNow
		note := "The response carried no issued_at; estimates below count from the time of this report."
		if in.Flow == flows.JWTBearer {
			note = "The JWT bearer response carries no issued_at; estimates below count from the time of this report."
		}
		add(LifetimeRow{Label: "Access token issued at", Value: "unknown", Source: "not in the response", Note: note,
			Estimated: true})
	} else {
		add(LifetimeRow{Label: "Access token issued at", Value: "unknown", Source: "not in the response"})
	}
	if !base.IsZero() {
		lr.issued = ptrTime(base.In(loc))
	}

	// What kind of token.
	if !lr.jwtAccess && s.JWTAccessTokens != nil && *s.JWTAccessTokens && in.Flow != flows.UsernamePassword {
		lr.advice = append(lr.advice, advice(SeverityInfo, "JWT-based access tokens are on, but this token is opaque",
			"The app issues JWT-based access tokens only to named users in supported flows; this one is an ordinary session ID.",
			"Nothing to change if opaque tokens are fine; otherwise check the setting and the flow.", placeJWTTokens.at(s.AppKind), refJWTAccessTokens))
	}
	if lr.jwtAccess {
		add(LifetimeRow{Label: "Access token kind", Value: "JWT-based access token: fixed lifetime, not extended by use",
			Source: "the token is a JWT", Note: "Usable for the REST APIs only; the lifetime is the app's JWT timeout (or the session timeout when set to \"UserSession\")."})
	} else {
		// That Salesforce sends no expires_in is said by the Lifetime answer line (answer.go).
		add(LifetimeRow{Label: "Access token kind", Value: "an opaque session ID: a Salesforce session that times out when idle"})
	}

	// Introspection.
	if intro != nil {
		if !intro.Active {
			lr.inactive = true
			add(LifetimeRow{Label: "Introspection", Value: "active: false: this token no longer works", Source: "introspection",
				Note: "The session timed out, was revoked, or the user logged out. Get a new token."})
		} else {
			add(LifetimeRow{Label: "Introspection", Value: "active: true", Source: "introspection"})
		}
	}

	if in.Revoked != nil {
		lr.inactive, lr.revoked = true, true
		add(LifetimeRow{Label: "Revoked", Value: fmtAt(*in.Revoked, now, loc) + ": this token no longer works", Source: "this client's revoke request",
			At: ptrTime(in.Revoked.In(loc)), Note: "A revoked session does not come back; get a new token."})
	}

	// Idle timeout.
	if !lr.jwtAccess {
		// An assumed timeout is explained once, by the advice "The idle timeout is assumed".
		v, src := humanDuration(tc.d), tc.phrase
		if tc.src == SourceDefault {
			v, src = v+" (assumed)", "Salesforce's default"
		}
		add(LifetimeRow{Label: "Idle timeout", Value: v, Source: src, Estimated: tc.src == SourceDefault})
	}

	// Expires if idle until.
	switch {
	case lr.inactive:
		// nothing to estimate
	case intro != nil && intro.Exp > 0:
		t := time.Unix(intro.Exp, 0).In(loc)
		lr.expiresIdle = &t
		add(LifetimeRow{Label: "Expires if idle until", Value: fmtAt(t, now, loc), Source: "introspection exp (a reading, not an estimate)", At: ptrTime(t),
			Note: "Exact at the time of introspection; later use can push it back."})
	case lr.jwtAccess:
		t := jwtExp.In(loc)
		lr.expiresIdle = &t
	case !base.IsZero():
		t := base.Add(tc.d).In(loc)
		lr.expiresIdle, lr.estimated = &t, true
		note := "Estimate: issued at + idle timeout, assuming the token is not used."
		if lr.issuedFrom == SourceNow {
			note = "Estimate: the time of this report + idle timeout, because the issue time is unknown."
		}
		if !now.IsZero() && t.Before(now) {
			note += " By this estimate the session has already ended, unless the token was used since."
		}
		src := "estimate (" + humanDuration(tc.d) + " after issue)"
		if lr.issuedFrom == SourceNow {
			src = "estimate (" + humanDuration(tc.d) + " after this report)"
		}
		add(LifetimeRow{Label: "Expires if idle until", Value: fmtAt(t, now, loc) + ", estimated", Source: src,
			Note: note, At: ptrTime(t), Estimated: true})
	}

	// Expires at (absolute).
	if lr.jwtAccess {
		t := jwtExp.In(loc)
		add(LifetimeRow{Label: "Expires at", Value: fmtAt(t, now, loc), Source: "exp claim of the JWT access token", At: ptrTime(t),
			Note: "Fixed: using the token does not extend it. Ask for a new token (or refresh) before then."})
	} else if !lr.inactive {
		add(LifetimeRow{Label: "Expires at", Value: "no fixed time: the session lasts as long as it keeps being used",
			Note: "It also ends at once when revoked, when the user logs out, or when an admin ends the session."})
		half := tc.d / 2
		add(LifetimeRow{Label: "Keeping it alive", Value: "only use after half the timeout (" + humanDuration(half) + ") pushes the end back",
			Source: "Salesforce session rule", Note: halfTimeoutRule(tc.d)})
	}

	// Refresh token.
	lr.rows = append(lr.rows, refreshRows(in, tok, base, loc)...)
	lr.advice = append(lr.advice, refreshAdvice(in, tok, tc)...)

	// ID token.
	if tok.IDToken != "" {
		if claims, ok := jwtClaims(tok.IDToken); ok {
			if t, ok := claimTime(claims, "exp"); ok {
				add(LifetimeRow{Label: "ID token expires at", Value: fmtAt(t, now, loc), Source: "exp claim of the id_token", At: ptrTime(t.In(loc)),
					Note: "Only for checking the ID token when it arrives (default validity 2 minutes); it does not limit the session."})
			}
		} else {
			add(LifetimeRow{Label: "ID token", Value: "present, but its exp claim could not be read"})
		}
	} else if s.IDTokenValidityMinutes > 0 && (in.Flow == flows.WebServer || in.Flow == flows.WebServerPKCE || in.Flow == flows.UserAgent || in.Flow == flows.Device || in.Flow == flows.Refresh) {
		add(LifetimeRow{Label: "ID token validity", Value: humanDuration(time.Duration(s.IDTokenValidityMinutes) * time.Minute), Source: "the app's ID token setting",
			Note: "No ID token came back; request openid to get one."})
	}

	// Codes.
	switch in.Flow {
	case flows.WebServer, flows.WebServerPKCE:
		add(LifetimeRow{Label: "Authorization code", Value: "single use, already exchanged", Source: "Salesforce documentation (not confirmed)",
			Note: "Commonly quoted as valid for 15 minutes; exchange it at once. Reusing it gives invalid_grant \"expired authorization code\"."})
	case flows.Device:
		add(LifetimeRow{Label: "Device and user codes", Value: "no expiry given", Source: "the device response has no expires_in",
			Note: "Poll at the returned interval until the person approves; the codes' lifetime is not documented."})
	}
	return lr
}

// halfTimeoutRule explains the sliding session in plain words with the timeout's own numbers.
func halfTimeoutRule(d time.Duration) string {
	early := d / 4
	late := d * 3 / 4
	return "Using the token can push its end back, but only once more than half of the timeout has passed since the last push. With " +
		humanDuration(d) + ": a call " + humanDuration(early) + " after issue changes nothing (the session still ends " + humanDuration(d) +
		" after issue); a call " + humanDuration(late) + " after issue moves the end to " + humanDuration(late+d) + " after issue."
}

func refreshRows(in Input, tok *flows.TokenResponse, base time.Time, loc *time.Location) []LifetimeRow {
	s := in.Settings
	var rows []LifetimeRow
	kind := refreshKindOf(in.Flow)
	has := tok.RefreshToken != ""
	if has {
		rows = append(rows, LifetimeRow{Label: "Refresh token", Value: "yes", Source: "refresh_token in the response"})
	} else {
		v := "none"
		switch kind {
		case refreshNever:
			v = "none: this flow never issues one"
		case refreshRotationOnly:
			v = "no new one: keep using the refresh token you sent"
		}
		rows = append(rows, LifetimeRow{Label: "Refresh token", Value: v})
	}
	if !has && kind != refreshRotationOnly {
		return rows
	}
	p := s.RefreshTokenPolicy
	src := "the app's Refresh Token Policy"
	if p.Kind == "" {
		src = "unknown: the default is assumed"
	}
	row := LifetimeRow{Label: "Refresh token policy", Value: p.Describe(), Source: src, Estimated: p.Kind == ""}
	switch p.Kind {
	case PolicySpecificLifetime:
		if has && !base.IsZero() {
			t := p.add(base).In(loc)
			row.At, row.Estimated = &t, true
			row.Note = "So it stops working around " + fmtTime(t, loc) + " (estimated from the access token's issue time)."
		}
	case PolicySpecificInactivity:
		if has && !base.IsZero() {
			t := p.add(base).In(loc)
			row.At, row.Estimated = &t, true
			row.Note = "Unused, it stops working around " + fmtTime(t, loc) + "; every refresh moves that back."
		}
	case PolicyZero:
		row.Note = "When this access token's session ends, the user must log in again."
	default:
		row.Note = "It still ends when revoked: by the user, by an admin (Setup → Connected Apps OAuth Usage), or through /services/oauth2/revoke."
	}
	rows = append(rows, row)
	rot := "unknown (off unless \"Enable Refresh Token Rotation\" is set)"
	if s.RefreshTokenRotation != nil {
		if *s.RefreshTokenRotation {
			rot = "on: each refresh returns a new refresh token and invalidates the old one"
		} else {
			rot = "off: the same refresh token is used for every refresh"
		}
	}
	rows = append(rows, LifetimeRow{Label: "Refresh token rotation", Value: rot})
	return rows
}

func refreshAdvice(in Input, tok *flows.TokenResponse, tc timeoutChoice) []Advice {
	s := in.Settings
	var adv []Advice
	canRefresh := tok.RefreshToken != "" || in.Flow == flows.Refresh
	if !canRefresh {
		return nil
	}
	pp := placeRefreshPolicy.at(s.AppKind)
	switch s.RefreshTokenPolicy.Kind {
	case PolicyZero:
		adv = append(adv, advice(SeverityWarning, "The refresh token is useless: the policy expires it immediately",
			"With \"Immediately expire refresh token\" the refresh token cannot start a new session; when this "+humanDuration(tc.d)+" idle session ends the user must log in again.",
			"Choose \"Refresh token is valid until revoked\" or \"Expire refresh token if not used for N\" if the app should work without the user.", pp, refRefreshFlow))
	case PolicySpecificLifetime:
		adv = append(adv, advice(SeverityInfo, "The refresh token has a fixed lifetime of "+s.RefreshTokenPolicy.period(),
			"After that, refreshing fails with invalid_grant \"expired access/refresh token\" and the user must log in again, however often it was used.",
			"Plan a re-login before then, or choose a longer or inactivity-based policy.", pp, refRefreshFlow))
	case PolicySpecificInactivity:
		adv = append(adv, advice(SeverityInfo, "The refresh token expires after "+s.RefreshTokenPolicy.period()+" without use",
			"Each refresh starts the period again; left unused longer, refreshing fails with invalid_grant \"expired access/refresh token\".",
			"Refresh at least once per period, or choose \"valid until revoked\".", pp, refRefreshFlow))
	case "":
		if tok.RefreshToken != "" {
			adv = append(adv, advice(SeverityInfo, "Check the refresh token policy",
				"The policy is not known here; Salesforce's default keeps the refresh token valid until revoked, but an admin may have set a lifetime, an inactivity limit or immediate expiry.",
				"Look it up and enter it to get exact dates.", pp, refRefreshFlow))
		}
	}
	if s.RefreshTokenRotation != nil && *s.RefreshTokenRotation {
		adv = append(adv, advice(SeverityInfo, "Refresh token rotation is on: store the new refresh token after every refresh",
			"Each refresh returns a new refresh token and invalidates the old one; sending an old one again revokes the current one and its access tokens (reuse detection).",
			"Save the refresh_token of every refresh response, atomically, before using the new access token.", placeRotation.at(s.AppKind), refRefreshFlow))
	}
	return adv
}
