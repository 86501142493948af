package guidance

// DocRef names the document a Salesforce fact comes from, so a reader can check it. Every
// platform change, every error catalogue entry and every advice that states a Salesforce fact
// carries one (reference §14 lists the documents).
type DocRef struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
	// Unconfirmed marks a fact read through a secondary source (for example a public summary
	// of the release notes) that still has to be checked against Salesforce's own text.
	Unconfirmed bool `json:"unconfirmed,omitempty"`
}

// IsZero reports whether no source is named.
func (d DocRef) IsZero() bool { return d.Title == "" && d.URL == "" }

// String is the one-line form: "Title <URL>" (and "(unconfirmed)" when it is).
func (d DocRef) String() string {
	s := d.Title
	if d.URL != "" {
		if s != "" {
			s += " "
		}
		s += "<" + d.URL + ">"
	}
	if d.Unconfirmed && s != "" {
		s += " (unconfirmed)"
	}
	return s
}

// The documents facts are taken from. Titles are Salesforce's own page titles where there is one.
var (
	refFlowErrors = DocRef{Title: "Salesforce Help: OAuth 2.0 Authorization Errors",
		URL: "https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_flow_errors.htm&type=5"}
	refUserAgentErrors = DocRef{Title: "Salesforce REST API Developer Guide: Understanding the User-Agent OAuth Authentication Flow (error codes)",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.206.0.api_rest.meta/api_rest/intro_understanding_user_agent_oauth_flow.htm"}
	refWebServerErrors = DocRef{Title: "Salesforce REST API Developer Guide: Understanding the Web Server OAuth Authentication Flow (error codes)",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.188.0.api_rest.meta/api_rest/intro_understanding_web_server_oauth_flow.htm"}
	refErrorCodeEnum = DocRef{Title: "Salesforce Mobile SDK for Android: OAuthErrorCode (the server's OAuth error codes)",
		URL: "https://github.com/forcedotcom/SalesforceMobileSDK-Android/blob/dev/libs/SalesforceSDK/src/com/salesforce/androidsdk/auth/OAuthErrorCode.kt"}
	refWebServerFlow = DocRef{Title: "Salesforce Help: OAuth 2.0 Web Server Flow for Web App Integration",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_web_server_flow_ca.htm"}
	refRefreshFlow = DocRef{Title: "Salesforce Help: OAuth 2.0 Refresh Token Flow for Renewed Sessions",
		URL: "https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_refresh_token_flow_ca.htm&type=5"}
	refJWTFlow = DocRef{Title: "Salesforce Help: OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration",
		URL: "https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm&type=5"}
	refClientCredentialsFlow = DocRef{Title: "Salesforce Help: OAuth 2.0 Client Credentials Flow for Server-to-Server Integration",
		URL: "https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_client_credentials_flow.htm&type=5"}
	refDeviceFlow = DocRef{Title: "Salesforce Help: OAuth 2.0 Device Flow for IoT Integration",
		URL: "https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_device_flow.htm"}
	refRevoke = DocRef{Title: "Salesforce Mobile SDK Development Guide: Revoking OAuth Tokens",
		URL: "https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-revoking-tokens.html"}
	refIntrospect = DocRef{Title: "Salesforce Help: OpenID Connect Token Introspection Endpoint",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oidc_token_introspection_endpoint.htm"}
	refRESTErrors = DocRef{Title: "Salesforce REST API Developer Guide: Status Codes and Error Responses",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm"}
	refSOAPLogin = DocRef{Title: "Salesforce SOAP API Developer Guide: login()",
		URL: "https://developer.salesforce.com/docs/platform/api/guide/sforce-api-calls-login.html"}
	refSOAPFaults = DocRef{Title: "Salesforce SOAP API Developer Guide: Core Data Types Used in API Calls, ExceptionCode (login faults)",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_concepts_core_data_objects.htm"}
	refLoginStatus = DocRef{Title: "Salesforce Object Reference: Login Event Type LOGIN_STATUS Values",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_eventlogfile_login_status.htm"}
	refBlockFlows = DocRef{Title: "Salesforce Help: Block Authorization Flows to Improve Security",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_disable_username_password_flow_ca.htm"}
	refUsageRestriction = DocRef{Title: "Salesforce Help article 005132365: Connected App Usage Restrictions",
		URL: "https://help.salesforce.com/s/articleView?id=005132365&type=1"}
	refUseAnyAPIClient = DocRef{Title: "Salesforce Help article 005228838: \"Use Any API Client\" no longer allows self-authorizing uninstalled apps",
		URL: "https://help.salesforce.com/s/articleView?id=005228838&type=1"}
	refDeviceCLI = DocRef{Title: "Salesforce CLI issue 3368: device flow blocked for uninstalled connected apps (August 28, 2025)",
		URL: "https://github.com/forcedotcom/cli/issues/3368"}
	refNewCARestricted = DocRef{Title: "Salesforce Help: \"New connected apps can no longer be created in Spring '26\" (banner on the Connected App help pages)",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_disable_username_password_flow_ca.htm"}
	refWinter27  = DocRef{Title: "Salesforce Winter '27 release notes (read through a public summary of the release notes)", Unconfirmed: true}
	refVPNFreeze = DocRef{Title: "Salesforce Help article 005318944: traffic from anonymizing VPNs, proxies and high-risk IPs",
		URL: "https://help.salesforce.com/s/articleView?id=005318944&type=1"}
	refECA = DocRef{Title: "Salesforce Help: Migrate a Connected App to an External Client App",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.connected_app_to_external_client_app_migration.htm"}
	refApprovals = DocRef{Title: "Salesforce Help: Manage OAuth-Enabled Connected Apps Access to Your Data (five approvals per user and app)",
		URL: "https://help.salesforce.com/s/articleView?id=000205876&type=1"}
	refSessionTimeout = DocRef{Title: "Salesforce Help: Manage Session Policies for a Connected App (Timeout Value)",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.shr_manage_session_policies_for_a_connected_app_session_timeout.htm"}
	refJWTAccessTokens = DocRef{Title: "Salesforce Help: JWT-Based Access Tokens",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.jwt_access_tokens.htm"}
	refScopes = DocRef{Title: "Salesforce Help: OAuth Tokens and Scopes",
		URL: "https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_tokens_scopes.htm"}
	refUserAgentFlow = DocRef{Title: "Salesforce REST API Developer Guide: Understanding the User-Agent OAuth Authentication Flow",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.206.0.api_rest.meta/api_rest/intro_understanding_user_agent_oauth_flow.htm"}
	// refObserved cites wordings seen on the wire (reference §5, §15.7) rather than documented.
	refObserved = DocRef{Title: "Observed Salesforce responses quoted in public issue trackers (reference §5, §15.7)"}
)
