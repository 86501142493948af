package sfemu

import (
	"crypto/subtle"
	"time"
)

// oauthToken is one OauthToken record: an approval of an app by a user that issued a
// refresh token (reference §15.1, object reference "OauthToken").
type oauthToken struct {
	id          string // "0CR" Id
	app         *App
	user        *User
	family      string // the refresh token family this approval issued
	created     time.Time
	lastUsed    time.Time
	useCount    int
	deleteToken string
}

// oauthTokenRecord is the OauthToken sObject row. AppMenuItemId is null when the app is
// known but not installed (§15.1).
func (e *Emulator) oauthTokenRecord(t *oauthToken) soqlRecord {
	var menu any
	if t.app.Installed {
		menu = appMenuItemID(t.app)
	}
	return soqlRecord{
		"Id": t.id, "AppName": t.app.Name, "AppMenuItemId": menu, "UserId": t.user.ID,
		"CreatedDate": sfDateTime(t.created), "LastUsedDate": sfDateTime(t.lastUsed), "UseCount": t.useCount,
		"DeleteToken": t.deleteToken,
	}
}

// appMenuItemID is a stable AppMenuItem Id ("0DS") for an app.
func appMenuItemID(a *App) string {
	p := profileID("app|" + a.ConsumerKey) // a stable 15-char body
	return id18("0DS" + p[3:15])
}

// maxApprovalsPerUserApp: "Each connected app allows five unique approvals per user. After
// a fifth approval is made, the oldest approval is revoked" (help "Manage OAuth-Enabled
// Connected Apps Access to Your Data", 000205876; reference §15.1). Every refresh token
// grant that starts a new token family is one approval (separate scopes make separate
// entries); rotation keeps the family and its record. Five are kept; the next evicts the
// oldest, whose refresh token then fails invalid_grant "expired access/refresh token".
const maxApprovalsPerUserApp = 5

// recordOauthToken adds the OauthToken record of a new refresh token family, evicting the
// user's oldest approval of the app when five exist. Caller holds e.mu.
func (e *Emulator) recordOauthToken(a *App, u *User, family string, now time.Time) {
	var mine []*oauthToken
	for _, t := range e.oauthTokens {
		if t.user == u && t.app == a {
			mine = append(mine, t)
		}
	}
	for len(mine) >= maxApprovalsPerUserApp {
		oldest := mine[0] // e.oauthTokens is kept in creation order
		mine = mine[1:]
		e.revokeFamily(oldest.family) // also drops the record
	}
	e.oauthTokens = append(e.oauthTokens, &oauthToken{id: newRecordID("0CR"), app: a, user: u, family: family,
		created: now, lastUsed: now, useCount: 1, deleteToken: randomToken(32)})
}

// touchOauthToken records a use of the family's refresh token. UseCount starts at 1 for
// the grant that issued it [UNCONF]. Caller holds e.mu.
func (e *Emulator) touchOauthToken(family string, now time.Time) {
	for _, t := range e.oauthTokens {
		if t.family == family {
			t.lastUsed = now
			t.useCount++
		}
	}
}

// dropOauthToken removes the record of a family. Caller holds e.mu.
func (e *Emulator) dropOauthToken(family string) {
	kept := e.oauthTokens[:0]
	for _, t := range e.oauthTokens {
		if t.family != family {
			kept = append(kept, t)
		}
	}
	clear(e.oauthTokens[len(kept):])
	e.oauthTokens = kept
}

// revokeByDeleteToken is /services/oauth2/revoke?token=<DeleteToken> (§15.1): it revokes
// the approval's refresh token family. Caller holds e.mu.
func (e *Emulator) revokeByDeleteToken(tok string) bool {
	for _, t := range e.oauthTokens {
		if subtle.ConstantTimeCompare([]byte(t.deleteToken), []byte(tok)) == 1 {
			e.revokeFamily(t.family)
			return true
		}
	}
	return false
}

// newRecordID returns a random 18-character Id with the given key prefix.
func newRecordID(prefix string) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := []byte(prefix + "5g")
	r := []byte(randomToken(16))
	for i := 0; len(b) < 15; i++ {
		b = append(b, alnum[int(r[i])%62])
	}
	return id18(string(b))
}

// dropOrphanOauthTokens removes the records whose family has no refresh token left (purged
// after expiry, or evicted by a table cap): such an approval can no longer be used.
// Caller holds e.mu.
func (e *Emulator) dropOrphanOauthTokens() {
	if len(e.oauthTokens) == 0 {
		return
	}
	live := map[string]bool{}
	for _, rt := range e.refreshes {
		live[rt.family] = true
	}
	kept := e.oauthTokens[:0]
	for _, t := range e.oauthTokens {
		if live[t.family] {
			kept = append(kept, t)
		}
	}
	clear(e.oauthTokens[len(kept):])
	e.oauthTokens = kept
}
