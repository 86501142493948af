package sfemu

import "time"

// Housekeeping: spent and expired records are dropped so a long-running emulator does not
// grow without bound. A purge sweeps every map under e.mu; it runs on access, at most once
// per purgeEvery of emulator time or once the inserts since the last sweep outnumber the
// records it kept (at least purgeMinInserts), so its cost is amortised O(1) per request.
//
// Nothing observable changes: a record is dropped only once the emulator would answer for
// it exactly as for an unknown one. Codes and device codes are kept for deadRetention past
// their expiry because a replayed or late one is answered "expired authorization code",
// not the unknown-code error.
const (
	purgeEvery      = time.Minute
	purgeMinInserts = 1024
	deadRetention   = time.Hour
)

// uiSession is a browser's login session on the emulated org (the sid cookie).
type uiSession struct {
	userID       string
	lastActivity time.Time
}

// uiSessionUser returns the user Id of a live UI session and records activity; a UI
// session idles out after the org's session timeout (§7). Caller holds e.mu.
func (e *Emulator) uiSessionUser(sid string, now time.Time) (string, bool) {
	s := e.browser[sid]
	if s == nil || !now.Before(s.lastActivity.Add(e.org.sessionTimeout())) {
		return "", false
	}
	s.lastActivity = now
	return s.userID, true
}

// inserted counts a new record and purges when due. Caller holds e.mu.
func (e *Emulator) inserted(now time.Time) {
	e.sincePurge++
	e.housekeep(now)
	e.enforceCaps(now) // caps.go
}

// housekeep purges when due. Caller holds e.mu.
func (e *Emulator) housekeep(now time.Time) {
	due := e.sincePurge >= max(purgeMinInserts, e.keptAtPurge)
	if !due && (e.sincePurge == 0 && e.keptAtPurge == 0 || now.Sub(e.lastPurge) < purgeEvery) {
		return
	}
	e.purge(now)
}

// purge drops every dead record. Caller holds e.mu.
func (e *Emulator) purge(now time.Time) {
	e.lastPurge, e.sincePurge = now, 0
	// A refresh token family is live while any of its refresh tokens can still be used or
	// any access token issued under it is live: a replayed rotated token must still revoke
	// them (§3.4).
	live := map[string]bool{}
	for tok, s := range e.sessions {
		if s.valid(now) {
			live[s.family] = true
		} else {
			delete(e.sessions, tok) // expired sessions never come back (touch needs a live one)
		}
	}
	for _, rt := range e.refreshes {
		if e.refreshValid(rt, now) {
			live[rt.family] = true
		}
	}
	for tok, rt := range e.refreshes {
		if rt.revoked || !e.refreshValid(rt, now) && !live[rt.family] {
			delete(e.refreshes, tok)
		}
	}
	e.dropOrphanOauthTokens()
	codeLife := time.Duration(orInt(e.org.Behaviour.AuthCodeLifetimeMinutes, 15)) * time.Minute
	for c, ac := range e.codes {
		if now.Sub(ac.created) >= codeLife+deadRetention {
			delete(e.codes, c)
		}
	}
	for dc, d := range e.devices {
		if d.used || now.Sub(d.created) >= e.deviceLifetime()+deadRetention {
			delete(e.devices, dc)
			if e.userCodes[d.userCode] == dc {
				delete(e.userCodes, d.userCode)
			}
		}
	}
	for uc, dc := range e.userCodes {
		if e.devices[dc] == nil {
			delete(e.userCodes, uc)
		}
	}
	for id, p := range e.pending {
		if now.Sub(p.created) > pendingLifetime {
			delete(e.pending, id)
		}
	}
	for otp, o := range e.otps {
		if o.used || now.Sub(o.created) >= e.otpLifetime() {
			delete(e.otps, otp) // a used or expired otp is answered like an unknown one
		}
	}
	for sid, s := range e.browser {
		if !now.Before(s.lastActivity.Add(e.org.sessionTimeout())) {
			delete(e.browser, sid)
		}
	}
	e.keptAtPurge = len(e.sessions) + len(e.refreshes) + len(e.codes) + len(e.devices) + len(e.pending) + len(e.browser) + len(e.otps)
}
