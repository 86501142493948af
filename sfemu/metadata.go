package sfemu

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/connectedapplab/connectedapplab/internal/sfenum"
)

// The Metadata API's SOAP readMetadata call (POST /services/Soap/m/{version}), answered
// from the org description. It serves the metadata types of reference §8.1 (ConnectedApp)
// and §8.4 (the External Client App family) so a client can read a live app's settings;
// the consumer secret is never returned (§8.1: "never returned on retrieve").

const (
	soapEnvNS  = "http://schemas.xmlsoap.org/soap/envelope/"
	metadataNS = "http://soap.sforce.com/2006/04/metadata"
	xsiNS      = "http://www.w3.org/2001/XMLSchema-instance"
	ctSOAP     = "text/xml; charset=UTF-8"
	soapPrefix = "/services/Soap/m/"
	// minECAVersion: the External Client App types are refused as INVALID_TYPE below this
	// API version (reference §8.4 "Minimum API ~60–61") [UNCONF exact version].
	minECAVersion = 60.0
)

// Metadata type names (§8.1, §8.4).
const (
	mdConnectedApp = "ConnectedApp"
	mdECA          = "ExternalClientApplication"
	mdECAGlobal    = "ExtlClntAppGlobalOauthSettings"
	mdECAOauth     = "ExtlClntAppOauthSettings"
	mdECAPolicies  = "ExtlClntAppOauthConfigurablePolicies"
)

// ecaSuffix is the fullName suffix of each External Client App child component.
var ecaSuffix = map[string]string{mdECA: "", mdECAGlobal: "_glbloauth", mdECAOauth: "_oauth", mdECAPolicies: "_oauthPlcy"}

// soapVersionPath: /services/Soap/m/NN.N, optionally followed by the org Id as in a
// login() result's metadataServerUrl.
// Compiled at its first use, not at every start of the binary (most commands serve nothing).
var soapVersionPath = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^/services/Soap/m/(\d{2})\.(\d)(?:/00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?)?$`)
})

// SOAP fault strings. The INVALID_SESSION_ID text follows the captured fault (the hash is a
// digest of the token, never the token); the others are [UNCONF] wording.
const (
	faultInvalidSession = "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session. Session not found, missing session hash: %s\nThis error usually occurs after a session expires or a user logs out."
	faultNotAPISession  = "INVALID_SESSION_ID: This session is not valid for use with the API"
	faultInsufficient   = "INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions"
	faultInvalidType    = "INVALID_TYPE: This type of metadata is not available for this organization"
)

// handleSOAP is POST /services/Soap/m/{version}: readMetadata only.
func (e *Emulator) handleSOAP(w http.ResponseWriter, r *http.Request) {
	m := soapVersionPath().FindStringSubmatch(r.URL.Path)
	if m == nil {
		writeSOAPFault(w, http.StatusNotFound, "sf:UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: the Metadata API endpoint is /services/Soap/m/{version}, e.g. /services/Soap/m/"+e.latestVersion())
		return
	}
	version, _ := strconv.ParseFloat(m[1]+"."+m[2], 64)
	if !e.versionLive(m[1] + "." + m[2]) { // 31.0 to the org's newest (§15.6)
		writeSOAPFault(w, http.StatusInternalServerError, "sf:UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL")
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeSOAPFault(w, http.StatusMethodNotAllowed, "soapenv:Client", "the Metadata API answers POST requests only")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != "text/xml" && mt != "application/soap+xml") {
		writeSOAPFault(w, http.StatusInternalServerError, "soapenv:Client", "Content-Type must be text/xml (SOAP 1.1)")
		return
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(r.Body); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeSOAPFault(w, http.StatusRequestEntityTooLarge, "soapenv:Client", "request body too large")
			return
		}
		writeSOAPFault(w, http.StatusBadRequest, "soapenv:Client", "could not read the request body")
		return
	}
	req, perr := parseSOAPRequest(body.Bytes())
	if perr != nil {
		writeSOAPFault(w, http.StatusInternalServerError, perr.code, perr.msg)
		return
	}
	s, f := e.sessionForSOAP(req.session)
	if f != nil {
		writeSOAPFault(w, http.StatusInternalServerError, f.code, f.msg)
		return
	}
	if req.op != "readMetadata" || req.opNS != metadataNS {
		writeSOAPFault(w, http.StatusInternalServerError, "soapenv:Client",
			"No operation available for request {"+req.opNS+"}"+req.op+", please check the WSDL for the service.")
		return
	}
	if !s.user.Admin {
		writeSOAPFault(w, http.StatusInternalServerError, "sf:INSUFFICIENT_ACCESS", faultInsufficient)
		return
	}
	typ := strings.TrimSpace(req.typ)
	if _, known := ecaSuffix[typ]; !known && typ != mdConnectedApp {
		writeSOAPFault(w, http.StatusInternalServerError, "sf:INVALID_TYPE", faultInvalidType)
		return
	}
	if typ != mdConnectedApp && version < minECAVersion {
		writeSOAPFault(w, http.StatusInternalServerError, "sf:INVALID_TYPE", faultInvalidType)
		return
	}
	if len(req.names) > 10 {
		// readMetadata reads at most 10 components per call [UNCONF fault wording].
		writeSOAPFault(w, http.StatusInternalServerError, "sf:LIMIT_EXCEEDED", "LIMIT_EXCEEDED: readMetadata accepts at most 10 fullNames per call")
		return
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + soapEnvNS + `" xmlns="` + metadataNS +
		`" xmlns:xsi="` + xsiNS + `"><soapenv:Body><readMetadataResponse><result>`)
	for _, n := range req.names {
		rec := e.metadataRecord(typ, strings.TrimSpace(n))
		if rec == nil {
			b.WriteString(`<records xsi:nil="true"/>`)
			continue
		}
		b.WriteString(`<records xsi:type="` + typ + `">`)
		writeXMLFields(&b, rec)
		b.WriteString(`</records>`)
	}
	b.WriteString(`</result></readMetadataResponse></soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", ctSOAP)
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(b.String()))
}

type soapFault struct{ code, msg string }

type soapRequest struct {
	session  string
	op, opNS string
	typ      string
	names    []string
}

// parseSOAPRequest reads a SOAP 1.1 envelope: the SessionHeader's sessionId and the first
// element of the Body (the operation) with its type and fullNames children.
func parseSOAPRequest(body []byte) (soapRequest, *soapFault) {
	var env struct {
		XMLName xml.Name
		Header  struct {
			Session string `xml:"SessionHeader>sessionId"`
		} `xml:"Header"`
		Body *struct {
			Ops []struct {
				XMLName   xml.Name
				Type      string   `xml:"type"`
				FullNames []string `xml:"fullNames"`
			} `xml:",any"`
		} `xml:"Body"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return soapRequest{}, &soapFault{"soapenv:Client", "Could not parse the request: " + err.Error()}
	}
	if env.XMLName.Local != "Envelope" {
		return soapRequest{}, &soapFault{"soapenv:Client", "the request is not a SOAP envelope (root <" + env.XMLName.Local + ">)"}
	}
	if env.XMLName.Space != soapEnvNS {
		return soapRequest{}, &soapFault{"soapenv:VersionMismatch", "the Metadata API speaks SOAP 1.1 (envelope namespace " + soapEnvNS + ")"}
	}
	if env.Body == nil || len(env.Body.Ops) == 0 {
		return soapRequest{}, &soapFault{"soapenv:Client", "the SOAP Body has no operation"}
	}
	op := env.Body.Ops[0]
	return soapRequest{session: strings.TrimSpace(env.Header.Session), op: op.XMLName.Local, opNS: op.XMLName.Space,
		typ: op.Type, names: op.FullNames}, nil
}

// sessionForSOAP applies the REST session rules (§5.1, §7) to the SessionHeader: an
// unknown, expired or revoked token is INVALID_SESSION_ID; a live one without api (or
// full) scope cannot use the API; a usable one records activity.
func (e *Emulator) sessionForSOAP(tok string) (*session, *soapFault) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	s := e.sessions[tok]
	if tok == "" || s == nil || !s.valid(now) {
		sum := sha256.Sum256([]byte("sfemu-session-hash|" + tok))
		return nil, &soapFault{"sf:INVALID_SESSION_ID", strings.Replace(faultInvalidSession, "%s", base64.RawStdEncoding.EncodeToString(sum[:18]), 1)}
	}
	if !restAllowed(s) {
		return nil, &soapFault{"sf:INVALID_SESSION_ID", faultNotAPISession}
	}
	s.touch(now)
	return s, nil
}

// writeSOAPFault writes a SOAP 1.1 fault in the captured shape (Salesforce uses HTTP 500).
func writeSOAPFault(w http.ResponseWriter, status int, code, msg string) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + soapEnvNS +
		`" xmlns:sf="` + metadataNS + `"><soapenv:Body><soapenv:Fault><faultcode>`)
	xmlText(&b, code)
	b.WriteString(`</faultcode><faultstring>`)
	xmlText(&b, msg)
	b.WriteString(`</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", ctSOAP)
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

// xmlText escapes character data, keeping newlines literal as Salesforce does in
// callbackUrl and faultstring.
func xmlText(b *strings.Builder, s string) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == utf8.RuneError && size == 1, r < 0x20 && r != '\n' && r != '\t':
			b.WriteRune('\uFFFD') // not representable in XML 1.0
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
}

// writeXMLFields writes an ordered object as child elements: a []string repeats the
// element, a nested obj nests, a nil or empty string is left out.
func writeXMLFields(b *strings.Builder, o obj) {
	for _, f := range o {
		switch v := f.v.(type) {
		case nil:
		case obj:
			b.WriteString("<" + f.k + ">")
			writeXMLFields(b, v)
			b.WriteString("</" + f.k + ">")
		case []string:
			for _, s := range v {
				b.WriteString("<" + f.k + ">")
				xmlText(b, s)
				b.WriteString("</" + f.k + ">")
			}
		case string:
			if v == "" {
				continue
			}
			b.WriteString("<" + f.k + ">")
			xmlText(b, v)
			b.WriteString("</" + f.k + ">")
		default:
			b.WriteString("<" + f.k + ">" + scalar(v) + "</" + f.k + ">")
		}
	}
}

// metadataRecord returns the record of type typ named fullName, or nil. Names are matched
// case-insensitively [UNCONF]; the record carries the canonical name.
func (e *Emulator) metadataRecord(typ, fullName string) obj {
	if fullName == "" {
		return nil
	}
	if typ == mdConnectedApp {
		a := e.org.appByAPIName(fullName, KindConnectedApp)
		if a == nil {
			return nil
		}
		return e.connectedAppRecord(a)
	}
	suffix := ecaSuffix[typ]
	if len(fullName) <= len(suffix) || !strings.EqualFold(fullName[len(fullName)-len(suffix):], suffix) {
		return nil
	}
	a := e.org.appByAPIName(fullName[:len(fullName)-len(suffix)], KindExternalClientApp)
	if a == nil {
		return nil
	}
	switch typ {
	case mdECA:
		return e.ecaRecord(a)
	case mdECAGlobal:
		return e.ecaGlobalRecord(a)
	case mdECAOauth:
		return ecaOauthRecord(a)
	default:
		return ecaPoliciesRecord(a)
	}
}

// connectedAppRecord is the ConnectedApp record in WSDL element order (§8.1). There is no
// device flow field in ConnectedApp metadata, and consumerSecret is never returned.
func (e *Emulator) connectedAppRecord(a *App) obj {
	name := a.apiName()
	admin := a.permittedUsers() == AdminApprovedPreAuthorized
	oc := obj{
		{"callbackUrl", strings.Join(a.CallbackURLs, "\n")},
		{"certificate", a.CertificatePEM},
		{"consumerKey", a.ConsumerKey},
		{"idTokenConfig", obj{
			{"idTokenIncludeAttributes", false}, {"idTokenIncludeCustomPerms", false},
			{"idTokenIncludeStandardClaims", true}, {"idTokenValidity", orInt(a.IDTokenValidityMinutes, 2)},
		}},
		{"isAdminApproved", admin},
		{"isClientCredentialEnabled", a.ClientCredentialsEnabled},
		{"isCodeCredentialEnabled", false},
		{"isCodeCredentialPostOnly", false},
		{"isConsumerSecretOptional", !a.secretRequiredWebServer()},
		{"isIntrospectAllTokens", a.IntrospectAllTokens},
		{"isNamedUserJwtEnabled", false},
		{"isPkceRequired", a.pkceRequired()},
		{"isRefreshTokenRotationEnabled", a.RefreshTokenRotation},
		{"isSecretRequiredForRefreshToken", a.secretRequiredRefresh()},
		{"isSecretRequiredForTokenExchange", a.secretRequiredExchange()},
		{"isTokenExchangeEnabled", a.TokenExchangeEnabled},
		{"oauthClientCredentialUser", a.ClientCredentialsUser},
		{"scopes", scopeEnums(a.Scopes)},
	}
	rec := obj{
		{"fullName", name},
		{"label", a.Name},
		{"oauthConfig", oc},
		{"oauthPolicy", obj{
			{"ipRelaxation", orStr(a.IPRelaxation, IPEnforce)},
			{"isTokenExchangeFlowEnabled", a.TokenExchangeEnabled},
			{"refreshTokenPolicy", a.refreshPolicy().String()},
		}},
	}
	if admin {
		rec = append(rec, field{"profileName", append([]string{}, a.PermittedProfiles...)})
	}
	if a.SessionTimeoutMinutes > 0 {
		rec = append(rec, field{"sessionPolicy", obj{{"sessionTimeout", a.SessionTimeoutMinutes}}})
	}
	return rec
}

func (e *Emulator) ecaRecord(a *App) obj {
	return obj{
		{"fullName", a.apiName()},
		{"distributionState", "Local"},
		{"isProtected", false},
		{"label", a.Name},
		{"orgScopedExternalApp", e.org.ID[:15] + ":" + a.apiName()},
	}
}

func (e *Emulator) ecaGlobalRecord(a *App) obj {
	name := a.apiName()
	rec := obj{
		{"fullName", name + ecaSuffix[mdECAGlobal]},
		{"callbackUrl", strings.Join(a.CallbackURLs, "\n")},
		{"certificate", a.CertificatePEM},
		{"consumerKey", a.ConsumerKey},
		{"externalClientApplication", name},
	}
	if a.IDTokenValidityMinutes > 0 {
		rec = append(rec, field{"idTokenConfig", obj{{"idTokenValidityInMinutes", a.IDTokenValidityMinutes}}})
	}
	return append(rec,
		field{"isClientCredentialsFlowEnabled", a.ClientCredentialsEnabled},
		field{"isCodeCredFlowEnabled", false},
		field{"isCodeCredPostOnly", false},
		field{"isConsumerSecretOptional", !a.secretRequiredWebServer()},
		field{"isDeviceFlowEnabled", a.DeviceFlowEnabled},
		field{"isIntrospectAllTokens", a.IntrospectAllTokens},
		field{"isNamedUserJwtEnabled", false},
		field{"isPkceRequired", a.pkceRequired()},
		field{"isRefreshTokenRotationEnabled", a.RefreshTokenRotation},
		field{"isSecretRequiredForRefreshToken", a.secretRequiredRefresh()},
		field{"isSecretRequiredForTokenExchange", a.secretRequiredExchange()},
		field{"isTokenExchangeEnabled", a.TokenExchangeEnabled},
		field{"label", a.Name + " Global OAuth"},
		field{"shouldRotateConsumerKey", false},
		field{"shouldRotateConsumerSecret", false},
	)
}

func ecaOauthRecord(a *App) obj {
	name := a.apiName()
	return obj{
		{"fullName", name + ecaSuffix[mdECAOauth]},
		{"commaSeparatedOauthScopes", strings.Join(scopeEnums(a.Scopes), ", ")},
		{"externalClientApplication", name},
		{"isFirstPartyAppEnabled", false},
		{"label", a.Name + " OAuth Settings"},
	}
}

// ECA enum spellings (§8.2).
var (
	ecaIPRelax = sfenum.ECAIPRelaxation
	ecaRefresh = sfenum.ECARefreshPolicy // by the org file's refresh_token_policy kinds, which are the metadata's
)

func ecaPoliciesRecord(a *App) obj {
	name := a.apiName()
	p := a.refreshPolicy()
	var profiles string
	if a.permittedUsers() == AdminApprovedPreAuthorized {
		profiles = strings.Join(a.PermittedProfiles, ",")
	}
	rec := obj{
		{"fullName", name + ecaSuffix[mdECAPolicies]},
		{"clientCredentialsFlowUser", a.ClientCredentialsUser},
		{"commaSeparatedProfile", profiles},
		{"externalClientApplication", name},
		{"ipRelaxationPolicyType", ecaIPRelax[orStr(a.IPRelaxation, IPEnforce)]},
		{"isClientCredentialsFlowEnabled", a.ClientCredentialsEnabled},
		{"isGuestCodeCredFlowEnabled", false},
		{"isTokenExchangeFlowEnabled", a.TokenExchangeEnabled},
		{"label", a.Name + " OAuth Policies"},
		{"permittedUsersPolicyType", a.permittedUsers()},
		{"refreshTokenPolicyType", ecaRefresh[p.kind]},
	}
	if p.kind == "specific_lifetime" || p.kind == "specific_inactivity" {
		rec = append(rec, field{"refreshTokenValidityPeriod", p.n},
			field{"refreshTokenValidityUnit", strings.ToUpper(p.unit[:1]) + strings.ToLower(p.unit[1:])})
	}
	rec = append(rec, field{"requiredSessionLevel", "STANDARD"})
	if a.SessionTimeoutMinutes > 0 {
		rec = append(rec, field{"sessionTimeoutInMinutes", a.SessionTimeoutMinutes})
	}
	return rec
}

// String is the ConnectedApp spelling of the policy: infinite, zero, specific_lifetime:N:UNIT.
func (p refreshPolicy) String() string {
	switch p.kind {
	case "specific_lifetime", "specific_inactivity":
		return p.kind + ":" + strconv.Itoa(p.n) + ":" + p.unit
	case "":
		return "infinite"
	}
	return p.kind
}

// scopeTable maps OAuth scope strings to ConnectedAppOauthAccessScope enum names (§6).
var scopeTable = map[string]string{
	"api": "Api", "web": "Web", "full": "Full", "refresh_token": "RefreshToken", "offline_access": "OfflineAccess",
	"id": "Basic", "profile": "Profile", "email": "Email", "address": "Address", "phone": "Phone", "openid": "OpenID",
	"chatter_api": "Chatter", "custom_permissions": "CustomPermissions", "visualforce": "CustomApplications",
	"wave_api": "Wave", "eclair_api": "Eclair", "pardot_api": "Pardot", "lightning": "Lightning", "content": "Content",
	"cdp_ingest_api": "CDPIngest", "cdp_profile_api": "CDPProfile", "cdp_query_api": "CDPQuery",
	"cdp_segment_api": "CDPSegment", "cdp_identityresolution_api": "CDPIdentityResolution",
	"cdp_calculated_insight_api": "CDPCalculatedInsight", "cdp_api": "CDP", "chatbot_api": "Chatbot",
	"sfap_api": "SFAP", "einstein_gpt_api": "EinsteinGPT", "interaction_api": "Interaction", "mcp_api": "MCP",
	"scrt_api": "SCRT", "data_cloud_user_claims": "DataCloudUserClaims", "forgot_password": "ForgotPassword",
	"user_registration_api": "UserRegistration", "pwdless_login_api": "PwdlessLogin",
}

// scopeEnums converts the app's OAuth scope strings to metadata enum names; an unknown
// (custom) scope is kept verbatim.
func scopeEnums(scopes []string) []string {
	out := []string{}
	for _, s := range scopes {
		if e, ok := scopeTable[strings.ToLower(s)]; ok {
			out = append(out, e)
		} else {
			out = append(out, s)
		}
	}
	return out
}

// Compiled at its first use, not at every start of the binary (most commands serve nothing).
var apiNamePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,79}$`) })

// validAPIName: letters, digits and underscores, starting with a letter, no double or
// trailing underscore (Salesforce's developer-name rules).
func validAPIName(s string) bool {
	return apiNamePattern().MatchString(s) && !strings.Contains(s, "__") && !strings.HasSuffix(s, "_")
}

// derivedAPIName turns a label into an API name ("Web App" -> "Web_App").
func derivedAPIName(label string) string {
	var b strings.Builder
	under := false
	for _, r := range label {
		if r < 128 && (r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
		} else {
			under = true
		}
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "X" + s
	}
	if len(s) > 80 {
		s = strings.TrimRight(s[:80], "_")
	}
	return s
}

// apiName is the app's metadata fullName: APIName, else derived from Name.
func (a *App) apiName() string {
	if a.APIName != "" {
		return a.APIName
	}
	return derivedAPIName(a.Name)
}

// appByAPIName finds an app of the kind by its (effective) API name, case-insensitively.
func (o *Org) appByAPIName(name, kind string) *App {
	for i := range o.Apps {
		if o.Apps[i].Kind == kind && strings.EqualFold(o.Apps[i].apiName(), name) {
			return &o.Apps[i]
		}
	}
	return nil
}
