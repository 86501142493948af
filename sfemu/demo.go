package sfemu

import "strings"

// Demo consumer keys and user names, exported so other packages' tests and demo profiles
// can refer to them without parsing Describe.
const (
	DemoWebAppKey         = "3MVG9CALdemo.WebApp.0001"
	DemoMobileAppKey      = "3MVG9CALdemo.MobileApp.0002"
	DemoIntegrationAppKey = "3MVG9CALdemo.IntegrationApp.0003"
	DemoDeviceAppKey      = "3MVG9CALdemo.DeviceApp.0004"
	DemoECAKey            = "3MVG9CALdemo.EcaPkce.0005"
	DemoMisconfiguredKey  = "3MVG9CALdemo.Misconfigured.0006"
	DemoApprovalsAppKey   = "3MVG9CALdemo.ApprovalsApp.0007"
	DemoSalesforceCLIKey  = "PlatformCLI"

	DemoUser        = "demo@connectedapplab.example"
	DemoShortUser   = "shortsession@connectedapplab.example"
	DemoIntegration = "integration@connectedapplab.example"
	DemoFrozenUser  = "frozen@connectedapplab.example"
	DemoAdminUser   = "admin@connectedapplab.example"
)

// Demo returns the built-in demo org; each call returns a fresh copy.
//
// Apps: "Web App" (web server, refresh, username-password), "Mobile App" (no refresh_token
// scope: the "why is there no refresh token" case), "Integration App" (client credentials
// run as an API-only user, JWT bearer pre-authorized for the demo profiles), "Device App"
// (device flow), "ECA PKCE" (External Client App, PKCE required, rotation on) and
// "Misconfigured App" (deliberately wrong, for the lint scenario: callback on port 1718 instead
// of 1717, no refresh_token scope, client credentials on without a Run As user). Their
// metadata API names (readMetadata fullNames) are Web_App, Mobile_App, Integration_App,
// Device_App, ECA_PKCE, Approvals_App, Salesforce_CLI and Misconfigured_App. "Salesforce
// CLI" is the CLI's own PlatformCLI app, so the real CLI logs in without --client-id. "Approvals App" (web server +
// refresh) shows the five-approvals limit (§15.1); "Device App" is an External Client App
// with a localhost callback, as the device flow requires from November 30, 2026 (§15.8).
func Demo() *Org {
	t, f := true, false
	callbacks := []string{"http://localhost:1717/OauthRedirect", "http://127.0.0.1:1717/callback"}
	o := &Org{
		ID:                    id18("00D5g00000CALab"),
		Name:                  "Connected App Lab Demo",
		MyDomain:              "connectedapplab-demo",
		Instance:              "EMU1",
		SessionTimeoutMinutes: 120,
		// Username-password is allowed here so the flow can be tried; real orgs created
		// Summer '23 or later block it by default (§3.3, §8.5).
		BlockUsernamePasswordFlow: false,
		UninstalledAppGate:        true,
		Users: []User{
			{ID: id18("0055g00000Demo1"), Username: DemoUser, Password: "Demo-Pass-1", SecurityToken: "DEMOTOKEN1",
				FirstName: "Dana", LastName: "Demo", Email: "dana.demo@connectedapplab.example",
				Profile: "Standard User"},
			{ID: id18("0055g00000Short"), Username: DemoShortUser, Password: "Short-Pass-1", SecurityToken: "SHORTTOKEN1",
				FirstName: "Sam", LastName: "Short", Email: "sam.short@connectedapplab.example",
				Profile: "Short Session User", ProfileSessionTimeoutMinutes: 30},
			{ID: id18("0055g00000Integ"), Username: DemoIntegration, Password: "Integration-Pass-1", SecurityToken: "INTEGTOKEN1",
				FirstName: "Integration", LastName: "User", Email: "integration@connectedapplab.example",
				Profile: "Minimum Access - API Only Integrations", APIOnly: true},
			{ID: id18("0055g00000Froze"), Username: DemoFrozenUser, Password: "Frozen-Pass-1", SecurityToken: "FROZENTOKEN1",
				FirstName: "Fran", LastName: "Frozen", Email: "fran.frozen@connectedapplab.example",
				Profile: "Standard User", Frozen: true},
			{ID: id18("0055g00000Admin"), Username: DemoAdminUser, Password: "Admin-Pass-1", SecurityToken: "ADMINTOKEN1",
				FirstName: "Ada", LastName: "Admin", Email: "ada.admin@connectedapplab.example",
				Profile: "System Administrator", Admin: true},
		},
		Apps: []App{
			{
				Name: "Web App", APIName: "Web_App", Kind: KindConnectedApp,
				ConsumerKey: DemoWebAppKey, ConsumerSecret: "WebAppDemoSecret0001",
				CallbackURLs:                  callbacks,
				Scopes:                        []string{"api", "refresh_token", "openid", "id", "web"},
				RequireSecretForWebServerFlow: &t,
				PermittedUsers:                AllSelfAuthorized,
				Installed:                     true,
			},
			{
				Name: "Mobile App", APIName: "Mobile_App", Kind: KindConnectedApp,
				ConsumerKey: DemoMobileAppKey, ConsumerSecret: "MobileAppDemoSecret0002",
				CallbackURLs: callbacks,
				// No refresh_token scope: the "why is there no refresh token" case (§6).
				Scopes:                        []string{"api", "openid", "id", "web"},
				RequireSecretForWebServerFlow: &f,
				PermittedUsers:                AllSelfAuthorized,
				Installed:                     true,
			},
			{
				Name: "Integration App", APIName: "Integration_App", Kind: KindConnectedApp,
				ConsumerKey: DemoIntegrationAppKey, ConsumerSecret: "IntegrationAppDemoSecret0003",
				CallbackURLs:             []string{"http://localhost:1717/OauthRedirect"},
				Scopes:                   []string{"api", "id", "refresh_token"},
				ClientCredentialsEnabled: true,
				ClientCredentialsUser:    DemoIntegration,
				CertificatePEM:           strings.TrimSpace(demoJWTCertificate),
				PermittedUsers:           AdminApprovedPreAuthorized,
				PermittedProfiles:        []string{"Standard User", "Short Session User", "System Administrator"},
				Installed:                true,
				IntrospectAllTokens:      true,
				JWTPrivateKeyPEM:         strings.TrimSpace(demoJWTPrivateKey),
				JWTUsername:              DemoUser,
			},
			{
				// An External Client App with a localhost callback: from November 30, 2026
				// the device flow works only for those (§15.8).
				Name: "Device App", APIName: "Device_App", Kind: KindExternalClientApp,
				ConsumerKey: DemoDeviceAppKey, ConsumerSecret: "DeviceAppDemoSecret0004",
				CallbackURLs:      []string{"http://localhost:1717/OauthRedirect"},
				Scopes:            []string{"api", "refresh_token", "openid", "id", "web"},
				DeviceFlowEnabled: true,
				// The CLI's advice: turn this off when the device does not hold a secret (§3.7).
				RequireSecretForRefreshToken: &f,
				PermittedUsers:               AllSelfAuthorized,
				Installed:                    true,
			},
			{
				Name: "ECA PKCE", APIName: "ECA_PKCE", Kind: KindExternalClientApp,
				ConsumerKey: DemoECAKey, ConsumerSecret: "EcaPkceDemoSecret0005",
				CallbackURLs:                  callbacks,
				Scopes:                        []string{"api", "refresh_token", "openid", "id", "web"},
				RequirePKCE:                   &t,
				RequireSecretForWebServerFlow: &f,
				RequireSecretForRefreshToken:  &f,
				RefreshTokenRotation:          true,
				PermittedUsers:                AllSelfAuthorized,
				Installed:                     true,
			},
			{
				// The five-approvals limit (§15.1): every refresh token grant is an approval;
				// the sixth revokes the oldest. Web server + refresh, nothing else.
				Name: "Approvals App", APIName: "Approvals_App", Kind: KindConnectedApp,
				ConsumerKey: DemoApprovalsAppKey, ConsumerSecret: "ApprovalsAppDemoSecret0007",
				CallbackURLs:   callbacks,
				Scopes:         []string{"api", "refresh_token", "web"},
				PermittedUsers: AllSelfAuthorized,
				Installed:      true,
			},
			{
				// The Salesforce CLI's own global connected app: consumer key PlatformCLI, no
				// secret, callback on port 1717, scopes "refresh_token api web" (sfdx-core's
				// default connected app, reference §10), so `sf org login web
				// --instance-url <base_url>` works with no --client-id.
				Name: "Salesforce CLI", APIName: "Salesforce_CLI", Kind: KindConnectedApp,
				ConsumerKey:                   DemoSalesforceCLIKey,
				CallbackURLs:                  []string{"http://localhost:1717/OauthRedirect"},
				Scopes:                        []string{"refresh_token", "api", "web"},
				RequireSecretForWebServerFlow: &f,
				RequireSecretForRefreshToken:  &f,
				PermittedUsers:                AllSelfAuthorized,
				Installed:                     true,
			},
			{
				// Deliberately misconfigured for the lint scenario (see Notes).
				Name: "Misconfigured App", APIName: "Misconfigured_App", Kind: KindConnectedApp,
				ConsumerKey: DemoMisconfiguredKey, ConsumerSecret: "MisconfiguredDemoSecret0006",
				CallbackURLs:             []string{"http://localhost:1718/callback"},
				Scopes:                   []string{"api", "openid", "id"},
				RequirePKCE:              &f,
				ClientCredentialsEnabled: true,
				PermittedUsers:           AllSelfAuthorized,
				Installed:                true,
			},
		},
		Notes: []string{
			"Username-password flow: allowed in this demo org, but blocked by default in orgs created Summer '23 or later, never supported by External Client Apps, and retiring for connected apps on February 20, 2027 (postponed from Winter '27; Salesforce Help: Block Authorization Flows to Improve Security). Prefer the web server flow with PKCE, JWT bearer or client credentials.",
			"Client credentials work only on the My Domain host (my_domain_url), as on Salesforce (Salesforce Help: OAuth 2.0 Client Credentials Flow for Server-to-Server Integration).",
			"Access tokens carry no expires_in: they are idle sessions (app timeout, else profile, else org Session Settings; 120 min here, 30 min for " + DemoShortUser + "). Introspection exp is the only direct reading (Salesforce Help: Manage Session Policies for a Connected App; OpenID Connect Token Introspection Endpoint).",
			"The device flow is Salesforce's pre-RFC 8628 variant and is deprecated for uninstalled apps since August 2025 (Salesforce Help: OAuth 2.0 Device Flow for IoT Integration); from November 30, 2026 it works only for External Client Apps with a localhost callback, so Device App is one.",
			"\"Approvals App\" (Approvals_App) shows the five-approvals limit (Salesforce Help: Manage OAuth-Enabled Connected Apps Access to Your Data): each web server login that returns a refresh token is one approval; the sixth revokes the oldest, whose refresh token then fails with invalid_grant \"expired access/refresh token\". As the admin, list them with GET my_domain_url/services/data/v68.0/query?q=SELECT Id, AppName, UserId, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken, and revoke one with /services/oauth2/revoke?token=<DeleteToken>.",
			"Every secret shown is a demo value of this emulator, not a real credential.",
			"\"Misconfigured App\" (Misconfigured_App) is wrong on purpose, for the lint scenario: its callback is http://localhost:1718/callback (the profiles use port 1717), it has no refresh_token scope, PKCE is not required, and client credentials are on with no Run As user.",
			"Real clients work against this org: REST API v31.0 to v68.0 (GET my_domain_url/services/data/), a SOQL subset (query?q=SELECT ... FROM User|Organization|OauthToken ...), the frontdoor (/services/oauth2/singleaccess), SOAP login() at base_url/services/Soap/u/64.0 (unavailable from 65.0, as on Salesforce), and the Salesforce CLI's own app PlatformCLI (sf org login web --instance-url base_url).",
			"The Metadata API readMetadata call (POST my_domain_url/services/Soap/m/68.0, an admin's access token in the SessionHeader) reads each app by its api_name; the consumer secret is never returned.",
		},
	}
	if err := o.Validate(); err != nil {
		panic("sfemu: demo org invalid: " + err.Error())
	}
	return o
}
