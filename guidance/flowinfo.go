package guidance

import (
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// FlowInfo is what a person should know about a flow before picking it.
type FlowInfo struct {
	Flow    flows.Flow
	Title   string // "Username-password flow"
	Needs   string // what the user must supply and enable
	Summary string // one or two sentences: who it is for and what comes back
	// CanIssueRefreshToken answers "will I get a refresh token?" in a few words.
	CanIssueRefreshToken string
	Legacy               string // why the flow is legacy or at risk; empty when it is not
}

// refreshKind classifies flows by refresh token issuance (reference §3.11).
type refreshKind int

const (
	refreshWithScope       refreshKind = iota // yes, when refresh_token/offline_access is granted
	refreshSpecialRedirect                    // user-agent: scope + custom scheme or /services/oauth2/success
	refreshNever                              // never
	refreshRotationOnly                       // refresh flow: only with rotation
	refreshUnconfirmed                        // token exchange: reported yes with scope, unconfirmed
)

var flowInfos = []FlowInfo{
	{
		Flow:  flows.WebServer,
		Title: "Web server flow",
		Needs: "Consumer key and secret, a callback URL on the app that matches exactly, a browser to log in.",
		Summary: "A person logs in through the browser; the app gets an authorization code and trades it for tokens. " +
			"The usual choice for any app that acts for a person.",
		CanIssueRefreshToken: "yes, with the refresh_token scope",
	},
	{
		Flow:  flows.WebServerPKCE,
		Title: "Web server flow with PKCE",
		Needs: "Consumer key (secret optional when \"Require Secret for Web Server Flow\" is off), a matching callback URL, a browser.",
		Summary: "The web server flow plus a one-time code verifier, so a stolen code is useless. " +
			"Recommended for desktop, mobile and command-line apps; External Client Apps require it by default.",
		CanIssueRefreshToken: "yes, with the refresh_token scope",
	},
	{
		Flow:  flows.UserAgent,
		Title: "User-agent flow (implicit)",
		Needs: "Consumer key, a matching callback URL, a browser; the org must allow OAuth user-agent flows.",
		Summary: "The access token comes back in the browser URL's fragment, with no code exchange. " +
			"Older browser and mobile apps use it; prefer the web server flow with PKCE.",
		CanIssueRefreshToken: "only with the refresh_token scope and a custom-scheme callback or /services/oauth2/success",
		// Legacy: from the platform table, see legacy.
	},
	{
		Flow:  flows.UsernamePassword,
		Title: "Username-password flow",
		Needs: "Consumer key and secret, the username, and the password followed by the user's security token; the org must allow the flow.",
		Summary: "The app sends the user's password straight to the token endpoint. " +
			"Returns an access token only: no refresh token, no scope field.",
		CanIssueRefreshToken: "never",
		// Legacy: from the platform table, see legacy.
	},
	{
		Flow:  flows.Refresh,
		Title: "Refresh token flow",
		Needs: "A refresh token from an earlier run, the consumer key, and the secret when \"Require Secret for Refresh Token Flow\" is on.",
		Summary: "Trades a refresh token for a new access token (a new session) without the user. " +
			"The refresh token stays the same unless rotation is on.",
		CanIssueRefreshToken: "only when refresh token rotation is on (a new one each time)",
	},
	{
		Flow:  flows.JWTBearer,
		Title: "JWT bearer flow",
		Needs: "Consumer key, a private key whose certificate is uploaded on the app, a pre-authorized user (or one who approved the app before).",
		Summary: "A server signs a short JWT naming the user and gets an access token, with no password and no browser. " +
			"To \"refresh\", sign a new JWT.",
		CanIssueRefreshToken: "never (not needed: sign a new JWT)",
	},
	{
		Flow:  flows.ClientCredentials,
		Title: "Client credentials flow",
		Needs: "Consumer key and secret, the flow enabled on the app with a Run As user (API Only), the org's My Domain URL.",
		Summary: "A server gets an access token for the app's Run As user with only the app's key and secret. " +
			"To \"refresh\", ask again the same way.",
		CanIssueRefreshToken: "never (not needed: ask again)",
	},
	{
		Flow:  flows.Device,
		Title: "Device flow",
		Needs: "Consumer key, \"Enable for Device Flow\" on the app, an installed app, and a person who types a code at /setup/connect.",
		Summary: "For devices with no browser: the device shows a code, the person approves it on another screen, " +
			"the device polls the token endpoint.",
		CanIssueRefreshToken: "yes, with the refresh_token scope",
		// Legacy: from the platform table, see legacy.
	},
	{
		Flow:  flows.TokenExchange,
		Title: "Token exchange flow",
		Needs: "Token exchange enabled on the app, an Apex token exchange handler, a subject token from another identity provider.",
		Summary: "Trades a token from another identity provider for a Salesforce access token; " +
			"an Apex handler validates it and maps the user.",
		CanIssueRefreshToken: "reported yes with the refresh_token scope (not confirmed)",
	},
	{
		Flow:                 flows.SAMLBearer,
		Title:                "SAML bearer assertion flow",
		Needs:                "Consumer key, a signed SAML 2.0 assertion from an identity provider the org trusts, a pre-authorized user.",
		Summary:              "Trades a SAML assertion for an access token, with no browser. To \"refresh\", send a new assertion.",
		CanIssueRefreshToken: "never (not needed: send a new assertion)",
	},
}

// Flows lists every flow in the order of flows.AllFlows, with what a person should know
// before picking it. Dated changes are told without judging past or future; FlowsAt dates
// them from now (the window and the CLI pass time.Now()).
func Flows() []FlowInfo { return FlowsAt(time.Time{}) }

// FlowsAt is Flows with each flow's legacy note dated from now ("retires on …", "has been
// retired since …"), read from the platform table.
func FlowsAt(now time.Time) []FlowInfo {
	out := make([]FlowInfo, len(flowInfos))
	copy(out, flowInfos)
	for i := range out {
		out[i].Legacy = legacy(out[i].Flow, now)
	}
	return out
}

// legacy says why a flow is legacy or at risk, from the platform table; "" when it is not.
func legacy(f flows.Flow, now time.Time) string {
	switch f {
	case flows.UsernamePassword:
		return "Blocked by default in orgs created since Summer '23, not supported by External Client Apps, " +
			"and for Connected Apps it " + status(ChangeUnPwRetired, now) + "."
	case flows.UserAgent:
		return "Implicit flow: the token travels in the URL. Orgs can block it (Allow OAuth User-Agent Flows), and for Connected Apps it " +
			status(ChangeUserAgentRetired, now) + "; use the web server flow with PKCE instead."
	case flows.Device:
		return Change(ChangeDeviceUninstalled).Sentence(now) + " " + Change(ChangeDeviceECALocalhost).Sentence(now)
	}
	return ""
}

// flowInfo returns the facts of one flow (a generic entry for an unknown name).
func flowInfo(f flows.Flow) FlowInfo {
	for _, fi := range flowInfos {
		if fi.Flow == f {
			fi.Legacy = legacy(f, time.Time{})
			return fi
		}
	}
	return FlowInfo{Flow: f, Title: string(f) + " flow", CanIssueRefreshToken: "unknown"}
}

func refreshKindOf(f flows.Flow) refreshKind {
	switch f {
	case flows.UserAgent:
		return refreshSpecialRedirect
	case flows.UsernamePassword, flows.JWTBearer, flows.ClientCredentials, flows.SAMLBearer:
		return refreshNever
	case flows.Refresh:
		return refreshRotationOnly
	case flows.TokenExchange:
		return refreshUnconfirmed
	}
	return refreshWithScope
}

// isBrowserFlow reports flows whose authorize step runs in a browser.
func isBrowserFlow(f flows.Flow) bool {
	return f == flows.WebServer || f == flows.WebServerPKCE || f == flows.UserAgent
}

// isServerFlow reports flows meant for integrations that simply ask again instead of refreshing.
func isServerFlow(f flows.Flow) bool {
	return f == flows.JWTBearer || f == flows.ClientCredentials || f == flows.SAMLBearer
}
