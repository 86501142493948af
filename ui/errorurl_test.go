package ui_test

import (
	"testing"

	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// A pasted OAUTH_APPROVAL_ERROR_GENERIC page (RemoteAccessErrorPage) carries the real error in
// its retURL (issue 16 item 6): the window explains invalid_scope, not the generic page.
func TestRealExplainPastedErrorPageURL(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Five approvals: the sixth revokes the oldest")
	p.ExplainErrorURL("https://login.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APPROVAL_ERROR_GENERIC" +
		"&error_description=An+unexpected+error+has+occured+during+authentication.&retURL=%2Fservices%2Foauth2%2Fauthorize%3Ferror%3Dinvalid_scope" +
		"%26error_description%3Dthe%2Brequested%2Bscope%2Bis%2Bnot%2Ballowed")
	got := p.Center()
	wantContains(t, "the explained error page", got, "The error behind the pasted page", "Salesforce's error: invalid_scope",
		"the requested scope is not allowed", "Source: ", "Back to results")
	wantContains(t, "status", p.Status(), "Explained the error")

	p.ExplainErrorURL("https://example.com/no/error/here")
	if p.LastDialog() != "Could not read an error from that address" {
		t.Errorf("an address without an error showed dialog %q", p.LastDialog())
	}
}

// The App settings tab lists what dated platform changes break in the profile (issue 16
// item 7): the username-password flow of a Connected App retires on February 20, 2027.
func TestRealAppSettingsShowReadiness(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Username-password: how long does it last?")
	p.ShowAppSettings()
	wantContains(t, "App settings findings", p.AppFindings(), "Readiness: dated Salesforce changes that affect this profile",
		"February 20, 2027", "Source: ")
}
