package guidance

import (
	"sort"
	"time"
)

// The token timeline (issue 18 item 1): for one login, when each token stops working as the
// client uses it. Timeline is the model the timeline package draws; every instant in it is
// computed here, from the report Explain made and the client's activity, by the rules of
// reference §7 (the sliding idle session with its half-timeout rule), §15.2 (rotation) and
// §15.3 (refresh token policies and the 30-day idle limit). Pure functions, no clock.

// RefreshMode says when a client runs the refresh token flow by itself.
type RefreshMode int

const (
	// RefreshExplicit refreshes only at Activity.Refreshes.
	RefreshExplicit RefreshMode = iota
	// RefreshOnExpired refreshes when a request finds the session ended (the 401
	// INVALID_SESSION_ID reaction reference §7 recommends), then makes the request again.
	RefreshOnExpired
	// RefreshAtExpiry refreshes at the moment each session ends, up to Activity.Until.
	RefreshAtExpiry
)

// Activity is what the client does after the login: the inputs the what-if options change.
type Activity struct {
	Requests  []time.Time // API calls with the current access token
	Refreshes []time.Time // refresh token flow runs
	Mode      RefreshMode
	Until     time.Time // the end of the period looked at (RefreshAtExpiry stops there)
	// Rotation overrides Settings.RefreshTokenRotation when set.
	Rotation *bool
	// IdleLimitOff is true when the org turned Spring '26's 30-day idle limit off.
	IdleLimitOff bool
}

// Timeline is one login's tokens on one time axis.
type Timeline struct {
	Now             time.Time
	Issued          time.Time // the login's access token was issued
	IssuedEstimated bool      // the issue time is unknown; Now stands in for it
	Timeout         time.Duration
	TimeoutSource   Source // app, profile, org, introspection or default
	TimeoutPhrase   string // "from the Connected App's session policy"
	// Sessions are the login's access token, then one per successful refresh.
	Sessions       []Session
	IDTokenExpires *time.Time // nil when no ID token came back
	Refresh        *RefreshLine
}

// Session is one access token as an idle session.
type Session struct {
	Start    time.Time
	Timeout  time.Duration
	Fixed    bool // a JWT-based access token: End is its exp, use does not move it
	Requests []SessionRequest
	// LastPush is the last activity Salesforce recorded; End = LastPush + Timeout.
	LastPush time.Time
	// End is "expires if idle until" after the requests made so far.
	End time.Time
	// Replaced is when a refresh gave the client a newer access token (nil: never).
	Replaced *time.Time
}

// Half is when a request starts to push the end back: half the timeout after the last push.
func (s Session) Half() time.Time { return s.LastPush.Add(s.Timeout / 2) }

// SessionRequest is one API call and what it did to the session.
type SessionRequest struct {
	At        time.Time
	Extended  bool      // more than half the timeout after the last push: the end moved
	Failed    bool      // the session had ended: 401 INVALID_SESSION_ID
	EndBefore time.Time // the end before this request
	EndAfter  time.Time // the end after it
}

// RefreshLine is the refresh token's horizon under its policy.
type RefreshLine struct {
	Policy    RefreshPolicy
	Rotation  bool
	IdleLimit bool // the 30-day idle limit applies to this policy
	Issued    time.Time
	LastUsed  time.Time
	Uses      []RefreshUse
	// Ends is when the refresh token (the family's current one) stops working if it is not
	// used again; nil means it works until revoked. EndsBy says which rule sets it.
	Ends   *time.Time
	EndsBy string // one of the Cause IDs: policy-immediate, policy-lifetime, policy-inactivity, idle-30-days
}

// RefreshUse is one run of the refresh token flow.
type RefreshUse struct {
	At      time.Time
	OK      bool
	Rotated bool   // a new refresh token came back and the one sent stopped working
	Why     string // why it failed
}

// SlideSession applies requests to an idle session whose last recorded activity is lastPush
// (the issue time for a new session): a request more than half the timeout after the last
// push moves the end to request + timeout; an earlier one changes nothing; one at or after
// the end fails (reference §7: 30-minute timeout, a call at minute 10 leaves the end at 30, a
// call at minute 20 moves it to 50). Requests are taken in time order.
func SlideSession(start, lastPush time.Time, timeout time.Duration, requests []time.Time) Session {
	s := Session{Start: start, Timeout: timeout, LastPush: lastPush, End: lastPush.Add(timeout)}
	for _, t := range sortedTimes(requests) {
		s.request(t)
	}
	return s
}

func (s *Session) request(t time.Time) bool {
	r := SessionRequest{At: t, EndBefore: s.End, EndAfter: s.End}
	switch {
	case !t.Before(s.End):
		r.Failed = true
	case !s.Fixed && t.Sub(s.LastPush) > s.Timeout/2:
		s.LastPush, s.End = t, t.Add(s.Timeout)
		r.Extended, r.EndAfter = true, s.End
	}
	s.Requests = append(s.Requests, r)
	return !r.Failed
}

// RefreshHorizon is when a refresh token stops working if unused from lastUsed on: the
// policy's own end and the 30-day idle limit where it applies (reference §15.3: "valid until
// revoked" gains the idle limit, "expire after N" keeps N and gains it, "expire if not used
// for N" is capped at 30 days, "immediately expire" is unchanged). issued is the start of the
// token's family ("expire after N" is not restarted by rotation). ok is false when the token
// works until revoked.
func RefreshHorizon(p RefreshPolicy, idleLimit bool, issued, lastUsed time.Time) (end time.Time, by string, ok bool) {
	switch p.Kind {
	case PolicyZero:
		return issued, CausePolicyImmediate, true
	case PolicySpecificLifetime:
		end, by, ok = p.add(issued), CausePolicyLifetime, true
	case PolicySpecificInactivity:
		end, by, ok = p.add(lastUsed), CausePolicyUnused, true
	}
	if idleLimit {
		if idle := lastUsed.Add(IdleRefreshLimit); !ok || idle.Before(end) {
			by = CauseIdle30Days
			if p.Kind == PolicySpecificInactivity {
				by = CausePolicyUnused // the policy's period, capped at 30 days
			}
			return idle, by, true
		}
	}
	return end, by, ok
}

// BuildTimeline lays the report's lifetimes and the client's activity on one axis. rep is
// what Explain(in) gave; the ID token's expiry and the issue time are read from its rows.
func BuildTimeline(in Input, rep Report, act Activity) Timeline {
	tl := Timeline{Now: in.Now, Timeout: rep.IdleTimeout, TimeoutSource: rep.IdleTimeoutSource}
	if tl.Timeout <= 0 {
		tl.Timeout = DefaultIdleTimeout
	}
	var jwtExp *time.Time
	for _, row := range rep.Lifetimes {
		switch row.ID {
		case "access-token-issued-at":
			if row.At != nil {
				tl.Issued = *row.At
			}
		case "idle-timeout":
			tl.TimeoutPhrase = row.Source
		case "id-token-expires-at":
			tl.IDTokenExpires = row.At
		case "expires-at":
			jwtExp = row.At
		}
	}
	if tl.Issued.IsZero() {
		tl.Issued, tl.IssuedEstimated = in.Now, true
	}
	first := Session{Start: tl.Issued, Timeout: tl.Timeout, LastPush: tl.Issued, End: tl.Issued.Add(tl.Timeout)}
	switch {
	case jwtExp != nil:
		first.Fixed, first.End = true, *jwtExp
		first.Timeout = jwtExp.Sub(tl.Issued)
	case rep.ExpiresIfIdleAt != nil && !rep.ExpiryEstimated:
		// Introspection's exp is a reading: the last push it reflects is exp − timeout.
		first.End = *rep.ExpiresIfIdleAt
		first.LastPush = first.End.Add(-tl.Timeout)
	}

	rotation := in.Settings.RefreshTokenRotation != nil && *in.Settings.RefreshTokenRotation
	if act.Rotation != nil {
		rotation = *act.Rotation
	}
	var rl *RefreshLine
	if rep.Scopes.RefreshTokenIssued {
		p := in.Settings.RefreshTokenPolicy
		rl = &RefreshLine{Policy: p, Rotation: rotation, IdleLimit: !act.IdleLimitOff && p.Kind != PolicyZero,
			Issued: tl.Issued, LastUsed: tl.Issued}
		rl.horizon(act.IdleLimitOff)
	}

	cur := first
	sessions := []Session{}
	refresh := func(t time.Time) bool {
		use := RefreshUse{At: t}
		switch {
		case rl != nil && len(rl.Uses) >= maxRefreshes:
			return false
		case rl == nil:
			use.Why = "no refresh token"
		case rl.Ends != nil && !t.Before(*rl.Ends):
			use.Why = "expired access/refresh token (" + rl.EndsBy + ")"
		default:
			use.OK, use.Rotated = true, rl.Rotation
			rl.LastUsed = t
			rl.horizon(act.IdleLimitOff)
		}
		if rl != nil {
			rl.Uses = append(rl.Uses, use)
		}
		if !use.OK {
			return false
		}
		cur.Replaced = &t
		sessions = append(sessions, cur)
		cur = Session{Start: t, Timeout: tl.Timeout, LastPush: t, End: t.Add(tl.Timeout)}
		return true
	}

	type event struct {
		at      time.Time
		refresh bool
	}
	var evs []event
	for _, t := range act.Requests {
		evs = append(evs, event{at: t})
	}
	for _, t := range act.Refreshes {
		evs = append(evs, event{at: t, refresh: true})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	for _, e := range evs {
		if act.Mode == RefreshAtExpiry {
			for !cur.End.After(e.at) && cur.End.Before(act.Until) && refresh(cur.End) {
			}
		}
		if e.refresh {
			refresh(e.at)
			continue
		}
		if !cur.request(e.at) && act.Mode == RefreshOnExpired && refresh(e.at) {
			cur.request(e.at)
		}
	}
	if act.Mode == RefreshAtExpiry {
		for cur.End.Before(act.Until) && refresh(cur.End) {
		}
	}
	tl.Sessions = append(sessions, cur)
	tl.Refresh = rl
	return tl
}

func (rl *RefreshLine) horizon(idleLimitOff bool) {
	end, by, ok := RefreshHorizon(rl.Policy, !idleLimitOff, rl.Issued, rl.LastUsed)
	rl.Ends, rl.EndsBy = nil, ""
	if ok {
		rl.Ends, rl.EndsBy = &end, by
	}
}

// maxRefreshes bounds the refreshes one timeline models (RefreshAtExpiry over a long period).
const maxRefreshes = 500

// End is when the timeline's last session ends if idle.
func (tl Timeline) End() time.Time { return tl.Sessions[len(tl.Sessions)-1].End }

func sortedTimes(ts []time.Time) []time.Time {
	out := append([]time.Time(nil), ts...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// Short says in a few words what the policy does ("valid until revoked", "expires after 1
// hour without use"), for a label.
func (p RefreshPolicy) Short() string { return p.short() }

// IdleTimeoutWords renders a timeout as the lifetimes table does ("15 minutes", "2 hours").
func IdleTimeoutWords(d time.Duration) string { return humanDuration(d) }
