package sfemu

import "time"

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
