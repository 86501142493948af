package sfemu

import "time"

// Table caps (issue 14 item 8): every table a client can grow (access tokens, refresh
// tokens, authorization codes, device codes, pending logins, UI sessions, frontdoor
// one-time passwords) holds at most Options.MaxRecordsPerTable records. Dead records are
// purged first (purge.go); when a table is still over its cap, its oldest records are
// evicted, and the emulator then answers for them as for unknown ones (an evicted access
// token is "Session expired or invalid", an evicted refresh token "expired access/refresh
// token"), so a flood of requests costs memory no longer than the cap allows.

// defaultMaxRecords is the default cap per table.
const defaultMaxRecords = 100000

func (e *Emulator) maxRecords() int {
	if e.opts.MaxRecordsPerTable > 0 {
		return e.opts.MaxRecordsPerTable
	}
	return defaultMaxRecords
}

// enforceCaps evicts the oldest records of every table over its cap. Caller holds e.mu.
func (e *Emulator) enforceCaps(now time.Time) {
	limit := e.maxRecords()
	over := func() bool {
		return len(e.sessions) > limit || len(e.refreshes) > limit || len(e.codes) > limit || len(e.devices) > limit ||
			len(e.pending) > limit || len(e.browser) > limit || len(e.otps) > limit
	}
	if !over() {
		return
	}
	e.purge(now)
	evictOldest(e.sessions, limit, func(s *session) time.Time { return s.created })
	if len(evictOldest(e.refreshes, limit, func(r *refreshToken) time.Time { return r.created })) > 0 {
		e.dropOrphanOauthTokens()
	}
	evictOldest(e.codes, limit, func(c *authCode) time.Time { return c.created })
	for _, dc := range evictOldest(e.devices, limit, func(d *deviceAuth) time.Time { return d.created }) {
		for uc, d := range e.userCodes {
			if d == dc {
				delete(e.userCodes, uc)
			}
		}
	}
	evictOldest(e.pending, limit, func(p *pendingAuth) time.Time { return p.created })
	evictOldest(e.browser, limit, func(s *uiSession) time.Time { return s.lastActivity })
	evictOldest(e.otps, limit, func(o *frontdoorOTP) time.Time { return o.created })
}

// evictOldest deletes the oldest entries of m until it holds at most limit, and returns
// their keys. It scans the map once per eviction: it runs only when a table is over its
// cap, one insert past it.
func evictOldest[V any](m map[string]V, limit int, created func(V) time.Time) []string {
	var gone []string
	for len(m) > limit {
		var oldestKey string
		var oldest time.Time
		first := true
		for k, v := range m {
			if t := created(v); first || t.Before(oldest) {
				oldestKey, oldest, first = k, t, false
			}
		}
		delete(m, oldestKey)
		gone = append(gone, oldestKey)
	}
	return gone
}
