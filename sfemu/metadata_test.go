package sfemu

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// readMetadataEnvelope is the request connectedapp.Reader sends (met prefix, SessionHeader).
func readMetadataEnvelope(session, typ string, names ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="http://soap.sforce.com/2006/04/metadata">`)
	b.WriteString(`<soapenv:Header><met:SessionHeader><met:sessionId>`)
	xml.EscapeText(b2w{&b}, []byte(session))
	b.WriteString(`</met:sessionId></met:SessionHeader></soapenv:Header><soapenv:Body><met:readMetadata><met:type>` + typ + `</met:type>`)
	for _, n := range names {
		b.WriteString(`<met:fullNames>` + n + `</met:fullNames>`)
	}
	b.WriteString(`</met:readMetadata></soapenv:Body></soapenv:Envelope>`)
	return b.String()
}

func (v *env) soap(base, version, body string) resp {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/services/Soap/m/"+version, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/xml; charset=UTF-8")
	req.Header.Set("SOAPAction", `""`)
	return do(v.t, plain, req)
}

func (v *env) readMetadata(tok, typ string, names ...string) resp {
	v.t.Helper()
	return v.soap(v.e.MyDomainURL, "65.0", readMetadataEnvelope(tok, typ, names...))
}

func (v *env) adminToken() string {
	v.t.Helper()
	return str(v.password(v.user(DemoAdminUser)).m, "access_token")
}

const (
	soapHead = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><readMetadataResponse><result>`
	soapTail = `</result></readMetadataResponse></soapenv:Body></soapenv:Envelope>`
)

func wantSOAP(t *testing.T, r resp, records string) {
	t.Helper()
	if r.status != 200 || r.ct != "text/xml; charset=UTF-8" {
		t.Fatalf("status %d content type %q\n%s", r.status, r.ct, r.body)
	}
	if want := soapHead + records + soapTail; r.body != want {
		t.Fatalf("body\n got %s\nwant %s", r.body, want)
	}
}

func wantFault(t *testing.T, r resp, status int, code, msgPrefix string) {
	t.Helper()
	var env struct {
		Fault struct {
			Code   string `xml:"faultcode"`
			String string `xml:"faultstring"`
		} `xml:"Body>Fault"`
	}
	if err := xml.Unmarshal([]byte(r.body), &env); err != nil {
		t.Fatalf("fault is not XML: %v\n%s", err, r.body)
	}
	if r.status != status || r.ct != "text/xml; charset=UTF-8" || env.Fault.Code != code || !strings.HasPrefix(env.Fault.String, msgPrefix) {
		t.Fatalf("got %d %q %q %q, want %d %q %q…\n%s", r.status, r.ct, env.Fault.Code, env.Fault.String, status, code, msgPrefix, r.body)
	}
	if !strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>`) {
		t.Fatalf("fault envelope shape: %s", r.body)
	}
}

func TestReadMetadataConnectedApp(t *testing.T) {
	v := newEnv(t, nil)
	tok := v.adminToken()
	r := v.readMetadata(tok, "ConnectedApp", "Web_App")
	wantSOAP(t, r, `<records xsi:type="ConnectedApp"><fullName>Web_App</fullName><label>Web App</label><oauthConfig>`+
		"<callbackUrl>http://localhost:1717/OauthRedirect\nhttp://127.0.0.1:1717/callback</callbackUrl>"+
		`<consumerKey>`+DemoWebAppKey+`</consumerKey><idTokenConfig><idTokenIncludeAttributes>false</idTokenIncludeAttributes>`+
		`<idTokenIncludeCustomPerms>false</idTokenIncludeCustomPerms><idTokenIncludeStandardClaims>true</idTokenIncludeStandardClaims>`+
		`<idTokenValidity>2</idTokenValidity></idTokenConfig><isAdminApproved>false</isAdminApproved>`+
		`<isClientCredentialEnabled>false</isClientCredentialEnabled><isCodeCredentialEnabled>false</isCodeCredentialEnabled>`+
		`<isCodeCredentialPostOnly>false</isCodeCredentialPostOnly><isConsumerSecretOptional>false</isConsumerSecretOptional>`+
		`<isIntrospectAllTokens>false</isIntrospectAllTokens><isNamedUserJwtEnabled>false</isNamedUserJwtEnabled>`+
		`<isPkceRequired>false</isPkceRequired><isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>`+
		`<isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken><isSecretRequiredForTokenExchange>true</isSecretRequiredForTokenExchange>`+
		`<isTokenExchangeEnabled>false</isTokenExchangeEnabled>`+
		`<scopes>Api</scopes><scopes>RefreshToken</scopes><scopes>OpenID</scopes><scopes>Basic</scopes><scopes>Web</scopes></oauthConfig>`+
		`<oauthPolicy><ipRelaxation>ENFORCE</ipRelaxation><isTokenExchangeFlowEnabled>false</isTokenExchangeFlowEnabled>`+
		`<refreshTokenPolicy>infinite</refreshTokenPolicy></oauthPolicy></records>`)

	// Admin-approved app with client credentials, certificate, profiles; case-insensitive name.
	r = v.readMetadata(tok, "ConnectedApp", "integration_app")
	for _, want := range []string{`<fullName>Integration_App</fullName>`, `<certificate>-----BEGIN CERTIFICATE-----`,
		`<isAdminApproved>true</isAdminApproved><isClientCredentialEnabled>true</isClientCredentialEnabled>`,
		`<isIntrospectAllTokens>true</isIntrospectAllTokens>`,
		`<oauthClientCredentialUser>` + DemoIntegration + `</oauthClientCredentialUser>`,
		`</oauthPolicy><profileName>Standard User</profileName><profileName>Short Session User</profileName><profileName>System Administrator</profileName></records>`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("Integration_App lacks %s\n%s", want, r.body)
		}
	}
	// Never the consumer secret, for any app or type.
	for _, a := range v.e.Org().Apps {
		typ := "ConnectedApp"
		name := a.apiName()
		if a.isECA() {
			typ, name = "ExtlClntAppGlobalOauthSettings", name+"_glbloauth"
		}
		r := v.readMetadata(tok, typ, name)
		if r.status != 200 || !strings.Contains(r.body, "<fullName>"+name+"</fullName>") ||
			strings.Contains(r.body, "consumerSecret") || a.ConsumerSecret != "" && strings.Contains(r.body, a.ConsumerSecret) {
			t.Errorf("%s %s: %d %s", typ, name, r.status, r.body)
		}
	}
	// An app's timeout and refresh policy; session policy present only when set.
	r = v.readMetadata(tok, "ConnectedApp", "Lifetime", "App_Timeout")
	if !strings.Contains(r.body, `<refreshTokenPolicy>specific_lifetime:2:HOURS</refreshTokenPolicy></oauthPolicy></records>`) ||
		!strings.Contains(r.body, `</oauthPolicy><sessionPolicy><sessionTimeout>15</sessionTimeout></sessionPolicy></records>`) {
		t.Errorf("policies: %s", r.body)
	}
}

func TestReadMetadataExternalClientApp(t *testing.T) {
	v := newEnv(t, nil)
	tok := v.adminToken()
	wantSOAP(t, v.readMetadata(tok, "ExternalClientApplication", "ECA_PKCE"),
		`<records xsi:type="ExternalClientApplication"><fullName>ECA_PKCE</fullName><distributionState>Local</distributionState>`+
			`<isProtected>false</isProtected><label>ECA PKCE</label><orgScopedExternalApp>00D5g00000CALab:ECA_PKCE</orgScopedExternalApp></records>`)
	wantSOAP(t, v.readMetadata(tok, "ExtlClntAppGlobalOauthSettings", "ECA_PKCE_glbloauth"),
		`<records xsi:type="ExtlClntAppGlobalOauthSettings"><fullName>ECA_PKCE_glbloauth</fullName>`+
			"<callbackUrl>http://localhost:1717/OauthRedirect\nhttp://127.0.0.1:1717/callback</callbackUrl>"+
			`<consumerKey>`+DemoECAKey+`</consumerKey><externalClientApplication>ECA_PKCE</externalClientApplication>`+
			`<isClientCredentialsFlowEnabled>false</isClientCredentialsFlowEnabled><isCodeCredFlowEnabled>false</isCodeCredFlowEnabled>`+
			`<isCodeCredPostOnly>false</isCodeCredPostOnly><isConsumerSecretOptional>true</isConsumerSecretOptional>`+
			`<isDeviceFlowEnabled>false</isDeviceFlowEnabled><isIntrospectAllTokens>false</isIntrospectAllTokens>`+
			`<isNamedUserJwtEnabled>false</isNamedUserJwtEnabled><isPkceRequired>true</isPkceRequired>`+
			`<isRefreshTokenRotationEnabled>true</isRefreshTokenRotationEnabled><isSecretRequiredForRefreshToken>false</isSecretRequiredForRefreshToken>`+
			`<isSecretRequiredForTokenExchange>true</isSecretRequiredForTokenExchange><isTokenExchangeEnabled>false</isTokenExchangeEnabled>`+
			`<label>ECA PKCE Global OAuth</label><shouldRotateConsumerKey>false</shouldRotateConsumerKey>`+
			`<shouldRotateConsumerSecret>false</shouldRotateConsumerSecret></records>`)
	wantSOAP(t, v.readMetadata(tok, "ExtlClntAppOauthSettings", "ECA_PKCE_oauth"),
		`<records xsi:type="ExtlClntAppOauthSettings"><fullName>ECA_PKCE_oauth</fullName>`+
			`<commaSeparatedOauthScopes>Api, RefreshToken, OpenID, Basic, Web</commaSeparatedOauthScopes>`+
			`<externalClientApplication>ECA_PKCE</externalClientApplication><isFirstPartyAppEnabled>false</isFirstPartyAppEnabled>`+
			`<label>ECA PKCE OAuth Settings</label></records>`)
	// The client asks for N_oauthPlcy and N_oauth_defaultPolicy: one record per name, in order.
	wantSOAP(t, v.readMetadata(tok, "ExtlClntAppOauthConfigurablePolicies", "ECA_PKCE_oauthPlcy", "ECA_PKCE_oauth_defaultPolicy"),
		`<records xsi:type="ExtlClntAppOauthConfigurablePolicies"><fullName>ECA_PKCE_oauthPlcy</fullName>`+
			`<externalClientApplication>ECA_PKCE</externalClientApplication><ipRelaxationPolicyType>Enforce</ipRelaxationPolicyType>`+
			`<isClientCredentialsFlowEnabled>false</isClientCredentialsFlowEnabled><isGuestCodeCredFlowEnabled>false</isGuestCodeCredFlowEnabled>`+
			`<isTokenExchangeFlowEnabled>false</isTokenExchangeFlowEnabled><label>ECA PKCE OAuth Policies</label>`+
			`<permittedUsersPolicyType>AllSelfAuthorized</permittedUsersPolicyType><refreshTokenPolicyType>Infinite</refreshTokenPolicyType>`+
			`<requiredSessionLevel>STANDARD</requiredSessionLevel></records><records xsi:nil="true"/>`)

	// ECA settings the demo leaves at defaults: policies with lifetime, profiles, timeout.
	o := testOrg()
	o.Apps = append(o.Apps, App{Name: "Closed ECA", APIName: "Closed_ECA", Kind: KindExternalClientApp, ConsumerKey: "3MVG9test.ClosedECA",
		CallbackURLs: []string{cb}, Scopes: []string{"api"}, PermittedProfiles: []string{"Standard User", "System Administrator"},
		RefreshTokenPolicy: "specific_inactivity:7:DAYS", SessionTimeoutMinutes: 60, IPRelaxation: IPEnforceRelaxRefresh,
		ClientCredentialsEnabled: true, ClientCredentialsUser: DemoIntegration, DeviceFlowEnabled: true, IDTokenValidityMinutes: 5})
	v = newEnv(t, o)
	tok = v.adminToken()
	r := v.readMetadata(tok, "ExtlClntAppOauthConfigurablePolicies", "closed_eca_oauthplcy")
	wantSOAP(t, r, `<records xsi:type="ExtlClntAppOauthConfigurablePolicies"><fullName>Closed_ECA_oauthPlcy</fullName>`+
		`<clientCredentialsFlowUser>`+DemoIntegration+`</clientCredentialsFlowUser><commaSeparatedProfile>Standard User,System Administrator</commaSeparatedProfile>`+
		`<externalClientApplication>Closed_ECA</externalClientApplication><ipRelaxationPolicyType>Enforce_RelaxRefresh</ipRelaxationPolicyType>`+
		`<isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled><isGuestCodeCredFlowEnabled>false</isGuestCodeCredFlowEnabled>`+
		`<isTokenExchangeFlowEnabled>false</isTokenExchangeFlowEnabled><label>Closed ECA OAuth Policies</label>`+
		`<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType><refreshTokenPolicyType>SpecificInactivity</refreshTokenPolicyType>`+
		`<refreshTokenValidityPeriod>7</refreshTokenValidityPeriod><refreshTokenValidityUnit>Days</refreshTokenValidityUnit>`+
		`<requiredSessionLevel>STANDARD</requiredSessionLevel><sessionTimeoutInMinutes>60</sessionTimeoutInMinutes></records>`)
	r = v.readMetadata(tok, "ExtlClntAppGlobalOauthSettings", "Closed_ECA_glbloauth")
	if !strings.Contains(r.body, `<externalClientApplication>Closed_ECA</externalClientApplication><idTokenConfig><idTokenValidityInMinutes>5</idTokenValidityInMinutes></idTokenConfig><isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>`) ||
		!strings.Contains(r.body, `<isDeviceFlowEnabled>true</isDeviceFlowEnabled>`) {
		t.Errorf("global settings: %s", r.body)
	}
}

func TestReadMetadataNilRecords(t *testing.T) {
	v := newEnv(t, nil)
	tok := v.adminToken()
	nilRec := `<records xsi:nil="true"/>`
	for _, c := range []struct{ typ, name string }{
		{"ConnectedApp", "No_Such_App"},
		{"ConnectedApp", "ECA_PKCE"},                       // an ECA is not a ConnectedApp
		{"ExternalClientApplication", "Web_App"},           // and the reverse
		{"ExtlClntAppGlobalOauthSettings", "ECA_PKCE"},     // missing suffix
		{"ExtlClntAppOauthSettings", "ECA_PKCE_glbloauth"}, // wrong suffix for the type
		{"ExtlClntAppOauthSettings", "_oauth"},
		{"ConnectedApp", ""},
	} {
		wantSOAP(t, v.readMetadata(tok, c.typ, c.name), nilRec)
	}
	wantSOAP(t, v.readMetadata(tok, "ConnectedApp"), "")
	r := v.readMetadata(tok, "ConnectedApp", "Nope", "Mobile_App")
	if !strings.HasPrefix(r.body, soapHead+nilRec+`<records xsi:type="ConnectedApp"><fullName>Mobile_App</fullName>`) {
		t.Errorf("order: %s", r.body)
	}
	// The login host answers too, and any live API version, 31.0 to the newest (68.0, §15.6).
	for _, ver := range []string{"31.0", "48.0", "66.0", "68.0"} {
		r := v.soap(v.e.LoginURL, ver, readMetadataEnvelope(tok, "ConnectedApp", "Approvals_App"))
		if r.status != 200 || !strings.Contains(r.body, "<fullName>Approvals_App</fullName>") {
			t.Errorf("version %s: %d %s", ver, r.status, r.body)
		}
	}
}

func TestReadMetadataSessionFaults(t *testing.T) {
	v := newEnv(t, nil)
	tok := v.adminToken()
	for _, bad := range []string{"", "00D5g00000CALab!nope", "<&>"} {
		r := v.readMetadata(bad, "ConnectedApp", "Web_App")
		wantFault(t, r, 500, "sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session. Session not found, missing session hash: ")
		if !strings.Contains(r.body, "\nThis error usually occurs after a session expires or a user logs out.</faultstring>") {
			t.Errorf("fault text: %s", r.body)
		}
	}
	// A SOAP call is session activity (§7): at minute 70 of a 120-minute session it pushes
	// the idle timer back, so the token is still live at minute 170.
	v.clk.Advance(70 * time.Minute)
	wantSOAP(t, v.readMetadata(tok, "ConnectedApp", "No_Such_App"), `<records xsi:nil="true"/>`)
	v.clk.Advance(100 * time.Minute)
	if r := v.rest(v.e.MyDomainURL, "/services/data/v65.0/limits", tok); r.status != 200 {
		t.Fatalf("SOAP activity did not extend the session: %d %s", r.status, r.body)
	}
	// Expired.
	v.clk.Advance(121 * time.Minute)
	r := v.readMetadata(tok, "ConnectedApp", "Web_App")
	wantFault(t, r, 500, "sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID")
	if strings.Contains(r.body, tok) {
		t.Error("the fault echoes the token")
	}
	// Revoked.
	tok = v.adminToken()
	if r := v.postForm(v.e.LoginURL, "/services/oauth2/revoke", url.Values{"token": {tok}}); r.status != 200 {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	wantFault(t, v.readMetadata(tok, "ConnectedApp", "Web_App"), 500, "sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID")

	// A live token without api (or full) scope cannot use the API.
	r = v.token(url.Values{"grant_type": {"password"}, "client_id": {keyWebOnly}, "client_secret": {testSecret},
		"username": {DemoAdminUser}, "password": {"Admin-Pass-1ADMINTOKEN1"}})
	wantOK(t, r)
	wantFault(t, v.readMetadata(str(r.m, "access_token"), "ConnectedApp", "Web_App"), 500, "sf:INVALID_SESSION_ID",
		"INVALID_SESSION_ID: This session is not valid for use with the API")

	// A non-admin user's token.
	std := str(v.password(v.user(DemoUser)).m, "access_token")
	wantFault(t, v.readMetadata(std, "ConnectedApp", "Web_App"), 500, "sf:INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS: ")
	// The client credentials Run As user is not an admin either.
	r = v.postForm(v.e.MyDomainURL, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {DemoIntegrationAppKey}, "client_secret": {"IntegrationAppDemoSecret0003"}})
	wantOK(t, r)
	wantFault(t, v.readMetadata(str(r.m, "access_token"), "ConnectedApp", "Web_App"), 500, "sf:INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS: ")
}

func TestReadMetadataBadRequests(t *testing.T) {
	v := newEnv(t, nil)
	tok := v.adminToken()
	good := readMetadataEnvelope(tok, "ConnectedApp", "Web_App")
	for _, c := range []struct {
		name, body, code, msg string
		status                int
	}{
		{"malformed", `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`, "soapenv:Client", "Could not parse the request: ", 500},
		{"not XML", "grant_type=password", "soapenv:Client", "Could not parse the request: ", 500},
		{"empty", "", "soapenv:Client", "Could not parse the request: ", 500},
		{"mismatched tags", strings.Replace(good, "</met:type>", "</met:typo>", 1), "soapenv:Client", "Could not parse the request: ", 500},
		{"not an envelope", `<readMetadata/>`, "soapenv:Client", "the request is not a SOAP envelope", 500},
		{"SOAP 1.2", strings.Replace(good, "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope", 1), "soapenv:VersionMismatch", "the Metadata API speaks SOAP 1.1", 500},
		{"no operation", strings.Replace(good, good[strings.Index(good, "<soapenv:Body>"):], "<soapenv:Body></soapenv:Body></soapenv:Envelope>", 1), "soapenv:Client", "the SOAP Body has no operation", 500},
		{"other operation", strings.ReplaceAll(good, "met:readMetadata", "met:listMetadata"), "soapenv:Client", "No operation available for request {http://soap.sforce.com/2006/04/metadata}listMetadata", 500},
		{"unknown type", readMetadataEnvelope(tok, "ApexClass", "Foo"), "sf:INVALID_TYPE", "INVALID_TYPE: ", 500},
		{"too many names", readMetadataEnvelope(tok, "ConnectedApp", strings.Split("a b c d e f g h i j k", " ")...), "sf:LIMIT_EXCEEDED", "LIMIT_EXCEEDED: ", 500},
	} {
		t.Run(c.name, func(t *testing.T) {
			wantFault(t, v.soap(v.e.MyDomainURL, "65.0", c.body), c.status, c.code, c.msg)
		})
	}
	// ECA types need a recent API version [UNCONF exact minimum].
	wantFault(t, v.soap(v.e.MyDomainURL, "50.0", readMetadataEnvelope(tok, "ExternalClientApplication", "ECA_PKCE")), 500, "sf:INVALID_TYPE", "INVALID_TYPE: ")
	// Retired (21.0–30.0) and unknown versions, and malformed paths; SOAP answers a retired
	// version "500: UNSUPPORTED_API_VERSION" (help article 000354473).
	for _, ver := range []string{"29.0", "30.0", "69.0", "99.0"} {
		wantFault(t, v.soap(v.e.MyDomainURL, ver, good), 500, "sf:UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: ")
	}
	for _, p := range []string{"65", "v65.0", "65.0/extra", ""} {
		wantFault(t, v.soap(v.e.MyDomainURL, p, good), 404, "sf:UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: ")
	}
	// GET and a non-XML content type.
	req, _ := http.NewRequest(http.MethodGet, v.e.MyDomainURL+"/services/Soap/m/65.0", nil)
	wantFault(t, do(t, plain, req), 405, "soapenv:Client", "the Metadata API answers POST requests only")
	req, _ = http.NewRequest(http.MethodPost, v.e.MyDomainURL+"/services/Soap/m/65.0", strings.NewReader(good))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	wantFault(t, do(t, plain, req), 500, "soapenv:Client", "Content-Type must be text/xml")
	// Body cap: over 1 MiB is refused with a fault, not a dropped connection or a panic.
	big := strings.Replace(good, "<soapenv:Header>", "<soapenv:Header><pad>"+strings.Repeat("a", 2<<20)+"</pad>", 1)
	wantFault(t, v.soap(v.e.MyDomainURL, "65.0", big), 413, "soapenv:Client", "request body too large")
	// Deeply nested input is an ordinary parse (no stack blow-up) and gets an answer.
	deep := strings.Replace(good, "<soapenv:Header>", "<soapenv:Header>"+strings.Repeat("<x>", 20000)+strings.Repeat("</x>", 20000), 1)
	if r := v.soap(v.e.MyDomainURL, "65.0", deep); r.status != 200 && r.status != 500 {
		t.Errorf("deep nesting: %d %s", r.status, r.body)
	}
	// The emulator still serves after all that.
	wantSOAP(t, v.soap(v.e.MyDomainURL, "65.0", readMetadataEnvelope(tok, "ConnectedApp", "Nope")), `<records xsi:nil="true"/>`)
}

func TestXMLTextEscaping(t *testing.T) {
	var b strings.Builder
	xmlText(&b, "a&b<c>d\"e'f\ng\r\x01\xff")
	if got, want := b.String(), "a&amp;b&lt;c&gt;d\"e'f\ng&#xD;\uFFFD\uFFFD"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}
