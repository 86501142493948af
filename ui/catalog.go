package ui

import (
	"github.com/connectedapplab/connectedapplab/flows"
)

// The pickers' catalogues. package main passes guidance.Flows and guidance.Scopes through
// Backend.Flows and Backend.Scopes; these defaults only keep the window usable without them.

func (b *Backend) flowInfos() []FlowInfo {
	if b.Flows != nil {
		if fi := b.Flows(); len(fi) > 0 {
			return fi
		}
	}
	return defaultFlows
}

func (b *Backend) scopeInfos() []ScopeInfo {
	if b.Scopes != nil {
		if si := b.Scopes(); len(si) > 0 {
			return si
		}
	}
	return defaultScopes
}

func flowInfoOf(list []FlowInfo, f flows.Flow) FlowInfo {
	for _, fi := range list {
		if fi.Flow == f {
			return fi
		}
	}
	return FlowInfo{Flow: f, Title: string(f)}
}

// defaultFlows names every flow; guidance.Flows says much more.
var defaultFlows = []FlowInfo{
	{Flow: flows.WebServer, Title: "Web server flow", Needs: "Consumer key and secret, a matching callback URL, a browser.", CanIssueRefreshToken: "yes, with the refresh_token scope"},
	{Flow: flows.WebServerPKCE, Title: "Web server flow with PKCE", Needs: "Consumer key, a matching callback URL, a browser.", CanIssueRefreshToken: "yes, with the refresh_token scope"},
	{Flow: flows.UserAgent, Title: "User-agent flow (implicit)", Needs: "Consumer key, a matching callback URL, a browser.", CanIssueRefreshToken: "only with the refresh_token scope and a special callback"},
	{Flow: flows.UsernamePassword, Title: "Username-password flow", Needs: "Consumer key and secret, username, password and security token.", CanIssueRefreshToken: "never"},
	{Flow: flows.Refresh, Title: "Refresh token flow", Needs: "A refresh token, the consumer key (and secret).", CanIssueRefreshToken: "only with rotation"},
	{Flow: flows.JWTBearer, Title: "JWT bearer flow", Needs: "Consumer key, a private key whose certificate is on the app, a pre-authorized user.", CanIssueRefreshToken: "never"},
	{Flow: flows.ClientCredentials, Title: "Client credentials flow", Needs: "Consumer key and secret, a Run As user, the My Domain URL.", CanIssueRefreshToken: "never"},
	{Flow: flows.Device, Title: "Device flow", Needs: "Consumer key, device flow enabled on the app, a person who types a code.", CanIssueRefreshToken: "yes, with the refresh_token scope"},
	{Flow: flows.TokenExchange, Title: "Token exchange flow", Needs: "Token exchange enabled, an Apex handler, a subject token.", CanIssueRefreshToken: "reported yes with the refresh_token scope"},
	{Flow: flows.SAMLBearer, Title: "SAML bearer assertion flow", Needs: "Consumer key, a signed SAML assertion, a pre-authorized user.", CanIssueRefreshToken: "never"},
}

// defaultScopes is every Salesforce scope string of the reference (§6), with one line each.
var defaultScopes = []ScopeInfo{
	{Name: "refresh_token", Metadata: "RefreshToken", Synonyms: []string{"offline_access"}, Prominent: true,
		Meaning: "Perform requests at any time: lets a refresh token come back. Without it you get none, even with full."},
	{Name: "offline_access", Metadata: "OfflineAccess", Synonyms: []string{"refresh_token"}, Prominent: true,
		Meaning: "Synonym of refresh_token (the OpenID Connect name)."},
	{Name: "api", Metadata: "Api", Prominent: true,
		Meaning: "Manage user data via APIs: REST, SOAP, Bulk; includes chatter_api."},
	{Name: "openid", Metadata: "OpenID", Prominent: true,
		Meaning: "Access unique user identifiers: an id_token comes back (web server, user-agent, refresh, device)."},
	{Name: "id", Metadata: "Basic", Synonyms: []string{"profile", "email", "address", "phone"}, Prominent: true,
		Meaning: "Access the identity URL service (same as profile, email, address, phone)."},
	{Name: "web", Metadata: "Web", Prominent: true,
		Meaning: "Use the token in a web browser (frontdoor.jsp); includes visualforce."},
	{Name: "full", Metadata: "Full", Prominent: true,
		Meaning: "All data the user can access. Does not return a refresh token: add refresh_token."},
	{Name: "profile", Metadata: "Profile", Synonyms: []string{"id"}, Meaning: "Synonym of id: identity URL service."},
	{Name: "email", Metadata: "Email", Synonyms: []string{"id"}, Meaning: "Synonym of id: identity URL service."},
	{Name: "address", Metadata: "Address", Synonyms: []string{"id"}, Meaning: "Synonym of id: identity URL service."},
	{Name: "phone", Metadata: "Phone", Synonyms: []string{"id"}, Meaning: "Synonym of id: identity URL service."},
	{Name: "chatter_api", Metadata: "Chatter", Meaning: "Connect REST API resources only."},
	{Name: "custom_permissions", Metadata: "CustomPermissions", Meaning: "The user's custom permissions in the identity URL and ID token."},
	{Name: "visualforce", Metadata: "CustomApplications", Meaning: "Customer-created Visualforce pages only."},
	{Name: "wave_api", Metadata: "Wave", Meaning: "CRM Analytics REST API."},
	{Name: "eclair_api", Metadata: "Eclair", Meaning: "Analytics REST API charts geodata."},
	{Name: "pardot_api", Metadata: "Pardot", Meaning: "Account Engagement (Pardot) services."},
	{Name: "lightning", Metadata: "Lightning", Meaning: "Hybrid apps obtain Lightning child sessions."},
	{Name: "content", Metadata: "Content", Meaning: "Hybrid apps obtain content child sessions."},
	{Name: "cdp_ingest_api", Metadata: "CDPIngest", Meaning: "Data Cloud Ingestion API data."},
	{Name: "cdp_profile_api", Metadata: "CDPProfile", Meaning: "Data Cloud profile data."},
	{Name: "cdp_query_api", Metadata: "CDPQuery", Meaning: "ANSI SQL queries on Data Cloud data."},
	{Name: "cdp_segment_api", Metadata: "CDPSegment", Meaning: "Data Cloud segments."},
	{Name: "cdp_identityresolution_api", Metadata: "CDPIdentityResolution", Meaning: "Data Cloud identity resolution."},
	{Name: "cdp_calculated_insight_api", Metadata: "CDPCalculatedInsight", Meaning: "Data Cloud calculated insights."},
	{Name: "cdp_api", Metadata: "CDP", Meaning: "Data Cloud APIs."},
	{Name: "chatbot_api", Metadata: "Chatbot", Meaning: "Einstein Bot and Agent API."},
	{Name: "sfap_api", Metadata: "SFAP", Meaning: "Salesforce API Platform (api.salesforce.com, e.g. Models API)."},
	{Name: "einstein_gpt_api", Metadata: "EinsteinGPT", Meaning: "Einstein generative AI."},
	{Name: "interaction_api", Metadata: "Interaction", Meaning: "Interaction API (meaning not confirmed)."},
	{Name: "mcp_api", Metadata: "MCP", Meaning: "Salesforce-hosted MCP servers."},
	{Name: "scrt_api", Metadata: "SCRT", Meaning: "Meaning not confirmed."},
	{Name: "data_cloud_user_claims", Metadata: "DataCloudUserClaims", Meaning: "Meaning not confirmed."},
	{Name: "forgot_password", Metadata: "ForgotPassword", Meaning: "Headless forgot-password API."},
	{Name: "user_registration_api", Metadata: "UserRegistration", Meaning: "Headless user registration API."},
	{Name: "pwdless_login_api", Metadata: "PwdlessLogin", Meaning: "Headless passwordless login API."},
}
