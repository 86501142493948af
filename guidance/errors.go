package guidance

import (
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// errCtx is what an error rule looks at.
type errCtx struct {
	flow flows.Flow
	s    Settings
	e    *flows.OAuthError
	now  time.Time // zero = unknown
	// What is known of the token the error is about (Explain's input; zero when unknown).
	intro     *flows.Introspection // its introspection: the timeout it shows
	revoked   bool                 // this client revoked it
	idleEnded int                  // by introspection's exp: 1 the idle session has ended, -1 not yet, 0 unknown
}

func (c errCtx) at(p appPlace) place { return p.at(c.s.AppKind) }

func fixErr(title, reason, fix string, at place) Advice {
	return advice(SeverityError, title, reason, fix, at)
}

func fixInfo(title, reason, fix string, at place) Advice {
	return advice(SeverityInfo, title, reason, fix, at)
}

var none = place{}

func genericError(c errCtx) ([]string, []Advice) {
	return []string{
			"Salesforce refused the request with an error this version does not know in detail.",
			"The user's Login History usually records the real reason for token endpoint failures.",
		}, []Advice{fixErr("Look up the reason in Login History", "Salesforce often gives one short error for several causes; Login History names the real one.",
			"Open the user's Login History and read the Status of the failed attempt.", placeLoginHistory)}
}

// The catalogue entries are in rules.go.

func explainBlocked(c errCtx) ([]string, []Advice) {
	return []string{"An admin blocked the app in this org, or the app is blocked because it is not installed."},
		[]Advice{fixErr("Unblock the app", "Blocked apps cannot authorize anyone.", "Unblock it (or install it).", c.at(placeBlockApp))}
}

func explainInvalidClient(c errCtx) ([]string, []Advice) {
	causes := []string{"The client secret is wrong, missing, or from another app (copy it again: it is shown only in Manage Consumer Details)."}
	switch c.flow {
	case flows.WebServer, flows.WebServerPKCE:
		causes = append(causes, "The app requires a secret for the web server flow (\"Require Secret for Web Server Flow\") and none was sent.")
	case flows.Refresh:
		causes = append(causes, "\"Require Secret for Refresh Token Flow\" is on and no secret was sent — or it is off but a wrong secret was sent (Salesforce still checks it).")
	case flows.ClientCredentials:
		causes = append(causes, "The Authorization: Basic header is not base64(client_id:client_secret).")
	case flows.Device:
		causes = append(causes, "A secret was sent (or is required by \"Require Secret for Refresh Token Flow\") and does not match.")
	}
	causes = append(causes, "The consumer secret was rotated and the client still has the old one.")
	fixes := []Advice{fixErr("Copy the consumer secret again", "Salesforce did not accept the client's credentials.", "Copy the Consumer Secret exactly and store it again.", c.at(placeConsumer))}
	switch c.flow {
	case flows.WebServer, flows.WebServerPKCE:
		fixes = append(fixes, fixInfo("Or stop requiring the secret (public clients with PKCE)", "Apps that cannot keep a secret should use PKCE.", "Untick Require Secret for Web Server Flow and use web-server-pkce.", c.at(placeSecretWebServer)))
	case flows.Refresh, flows.Device:
		fixes = append(fixes, fixInfo("Or stop requiring the secret for refresh", "Public clients cannot keep a secret.", "Untick Require Secret for Refresh Token Flow.", c.at(placeSecretRefresh)))
	}
	return causes, fixes
}

// explainAuthFailure covers invalid_grant "authentication failure": a wrong password and a
// blocked username-password flow look the same on the wire (reference §3.3, §5).
func explainAuthFailure(c errCtx) ([]string, []Advice) {
	if c.flow != flows.UsernamePassword {
		return []string{
				"The user is locked, frozen or inactive, or logs in outside the profile's Login Hours or IP ranges.",
				"The login host does not match the org (sandbox users log in at test.salesforce.com or the sandbox My Domain).",
			}, []Advice{fixErr("Read the failed login in Login History", "Salesforce gives one error for many causes; Login History names the real one.",
				"Open Login History, find the attempt, and fix what its Status says.", placeLoginHistory)}
	}
	var causes []string
	if c.s.AppKind == AppExternalClient {
		causes = append(causes, "The app is an External Client App: External Client Apps do not support the username-password flow at all.")
	}
	if c.s.UsernamePasswordBlocked != nil && *c.s.UsernamePasswordBlocked {
		causes = append(causes, "The username-password flow is blocked in this org (you said so): Salesforce answers \"authentication failure\" even to the right password. Login History shows \"Username-Password Flow Disabled\".")
	}
	causes = append(causes,
		"The password is wrong, or the security token is missing or outdated: send the password immediately followed by the user's security token (not needed from a trusted IP range); resetting the password also resets the token.")
	if c.s.UsernamePasswordBlocked == nil {
		causes = append(causes, "The username-password flow is blocked in this org — the default in orgs created since Summer '23. Salesforce answers \"authentication failure\" even to the right password; Login History shows \"Username-Password Flow Disabled\".")
	}
	if c.s.AppKind == "" {
		causes = append(causes, "If the app is an External Client App: those do not support this flow at all.")
	}
	if Change(ChangeUnPwRetired).Past(c.now) { // before the date the platform notes tell it; after it, it is a cause
		causes = append(causes, "For Connected Apps the flow "+status(ChangeUnPwRetired, c.now)+".")
	}
	causes = append(causes,
		"The user is locked out, frozen or inactive, outside Login Hours or Login IP Ranges, or the login host is wrong (sandboxes use test.salesforce.com).")
	fixes := []Advice{
		fixErr("Read the failed login in Login History", "It tells a wrong password from a blocked flow (\"Username-Password Flow Disabled\").",
			"Open Login History, find this attempt, and read its Status.", placeLoginHistory),
		fixErr("If the password is the problem: send password + security token", "From outside trusted IP ranges Salesforce wants the security token appended to the password.",
			"Reset the security token and send password followed by the token.", placeSecurityToken),
		fixErr("If the flow is blocked: move off it (or allow it for now)", "A blocked flow fails for every user, and Salesforce is retiring it for Connected Apps.",
			"Use the web server flow with PKCE for people, or the JWT bearer or client credentials flow for integrations. Allowing the flow again only buys time.", placeUnPwFlow),
	}
	return causes, fixes
}
