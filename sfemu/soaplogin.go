package sfemu

import (
	"compress/gzip"
	"crypto/subtle"
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// SOAP login() and logout() of the Partner (/services/Soap/u/NN.N) and Enterprise
// (/services/Soap/c/NN.N) APIs (reference §15.6; SOAP API Developer Guide "login()",
// "logout()", "LoginResult", "GetUserInfoResult"). The result and fault shapes follow
// captured responses (simple-salesforce, WWW::Salesforce and jsforce test fixtures). The
// session id is an ordinary access token of the org: it works as a Bearer token on REST
// and in a SessionHeader, and it idles out like any session (§7).
//
// Version rules: 21.0 to 30.0 are retired ("SOAP API returns 500: UNSUPPORTED_API_VERSION",
// help article 000354473); login() is unavailable from API 65.0, answered with
// INVALID_OPERATION "The SOAP Login operation is not available in the API version
// specified (65.0)..." [OBS] forcedotcom/wsc#363; an org with SOAP login() turned off
// answers INVALID_OPERATION "SOAP API login() is disabled by default in this org..."
// [OBS] jsforce#1771, OpenFn/adaptors#1715. Winter '27's "Use Any API Auth" permission
// for login() [RN2] is not emulated.

const (
	partnerNS         = "urn:partner.soap.sforce.com"
	enterpriseNS      = "urn:enterprise.soap.sforce.com"
	maxSOAPLoginBody  = 64 << 10
	soapLoginMaxVers  = 64 // login() is unavailable from 65.0
	msgInvalidLogin   = "Invalid username, password, security token; or user locked out."
	msgNeedToken      = "Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company’s trusted networks, you must add a security token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token."
	msgRestrictedTime = "cannot log in during restricted time"
	msgAPIDisabled    = "API is not enabled for this Organization or Partner"
	msgSOAPDisabled   = "SOAP API login() is disabled by default in this org. Contact the org administrator to enable SOAP API login()."
)

// Compiled at its first use, not at every start of the binary (most commands serve nothing).
var soapLoginPath = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^/services/Soap/([uc])/(\d{1,3}\.\d)(?:/00D[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?(?:/[0-9A-Za-z]{15,18})?)?$`)
})

// soapAPIApp is the pseudo-app of sessions opened by SOAP login(): no Connected App is
// involved, and the session has the full API and UI rights of the user.
var soapAPIApp = &App{Name: "SOAP API login()", Kind: KindConnectedApp, Scopes: []string{"api", "web", "full"}, Installed: true}

// credResult is the outcome of checking a username and password (+ security token).
type credResult int

const (
	credOK credResult = iota
	credBad
	credNeedToken // the password alone was right: the security token is missing
	credFrozen
	credInactive
	credHours
)

// checkCredentials is the one check of a user's password (+ security token, §3.3) and
// state, shared by the username-password flow and SOAP login().
func checkCredentials(u *User, password string) credResult {
	if u == nil {
		return credBad
	}
	if subtle.ConstantTimeCompare([]byte(u.Password+u.SecurityToken), []byte(password)) != 1 {
		if u.SecurityToken != "" && subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) == 1 {
			return credNeedToken
		}
		return credBad
	}
	switch {
	case u.Frozen:
		return credFrozen
	case u.Inactive:
		return credInactive
	case u.RestrictedHours:
		return credHours
	}
	return credOK
}

// soapAPI is one of the two login APIs.
type soapAPI struct {
	letter  string // u or c
	ns      string
	faultNS string
}

func apiFor(letter string) soapAPI {
	if letter == "c" {
		return soapAPI{"c", enterpriseNS, "urn:fault.enterprise.soap.sforce.com"}
	}
	return soapAPI{"u", partnerNS, "urn:fault.partner.soap.sforce.com"}
}

// loginFault is a fault with its detail element type (LoginFault, UnexpectedErrorFault,
// InvalidSOAPHeader...).
type loginFault struct {
	code, msg, detail string
}

func (e *Emulator) writeLoginFault(w http.ResponseWriter, api soapAPI, f loginFault) {
	code := f.code
	if e.org.Behaviour.SOAPFaultCodePrefixed || strings.HasPrefix(code, "soapenv:") {
		if !strings.Contains(code, ":") {
			code = "sf:" + code
		}
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + soapEnvNS + `" xmlns:sf="` + api.faultNS +
		`" xmlns:xsi="` + xsiNS + `"><soapenv:Body><soapenv:Fault><faultcode>`)
	xmlText(&b, code)
	b.WriteString(`</faultcode><faultstring>`)
	if strings.HasPrefix(f.code, "soapenv:") {
		xmlText(&b, f.msg)
	} else {
		xmlText(&b, f.code+": "+f.msg)
	}
	b.WriteString(`</faultstring>`)
	if f.detail != "" {
		b.WriteString(`<detail><sf:` + f.detail + ` xsi:type="sf:` + f.detail + `"><sf:exceptionCode>`)
		xmlText(&b, f.code)
		b.WriteString(`</sf:exceptionCode><sf:exceptionMessage>`)
		xmlText(&b, f.msg)
		b.WriteString(`</sf:exceptionMessage></sf:` + f.detail + `></detail>`)
	}
	b.WriteString(`</soapenv:Fault></soapenv:Body></soapenv:Envelope>`)
	w.Header().Set("Content-Type", ctSOAP)
	w.WriteHeader(http.StatusInternalServerError) // Salesforce sends every fault with 500
	w.Write([]byte(b.String()))
}

// loginEnvelope is what login() and logout() requests carry.
type loginEnvelope struct {
	XMLName xml.Name
	Header  struct {
		Session string `xml:"SessionHeader>sessionId"`
	} `xml:"Header"`
	Body *struct {
		Ops []struct {
			XMLName  xml.Name
			Username *string `xml:"username"`
			Password *string `xml:"password"`
		} `xml:",any"`
	} `xml:"Body"`
}

// handleSOAPLogin serves /services/Soap/u/... and /services/Soap/c/...: login() and logout().
func (e *Emulator) handleSOAPLogin(w http.ResponseWriter, r *http.Request) {
	m := soapLoginPath().FindStringSubmatch(r.URL.Path)
	if m == nil {
		http.NotFound(w, r)
		return
	}
	api := apiFor(m[1])
	if !e.versionLive(m[2]) {
		e.writeLoginFault(w, api, loginFault{"UNSUPPORTED_API_VERSION", "Invalid Api version specified on URL", "UnexpectedErrorFault"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		e.writeLoginFault(w, api, loginFault{"soapenv:Client", "the SOAP API answers POST requests only", ""})
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != "text/xml" && mt != "application/soap+xml") {
		e.writeLoginFault(w, api, loginFault{"soapenv:Client", "Content-Type must be text/xml (SOAP 1.1)", ""})
		return
	}
	var in io.Reader = r.Body
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		// The Java WSC (Data Loader, older Java clients) compresses requests by default.
		// The cap below applies to the decompressed body.
		zr, zerr := gzip.NewReader(r.Body)
		if zerr != nil {
			e.writeLoginFault(w, api, loginFault{"soapenv:Client", "the gzip request body could not be read", ""})
			return
		}
		defer zr.Close()
		in = zr
	}
	body, err := io.ReadAll(io.LimitReader(in, maxSOAPLoginBody+1))
	if err != nil || len(body) > maxSOAPLoginBody {
		e.writeLoginFault(w, api, loginFault{"soapenv:Client", "request body too large or unreadable (at most 64 KiB)", ""})
		return
	}
	var env loginEnvelope
	if err := xml.Unmarshal(body, &env); err != nil {
		e.writeLoginFault(w, api, loginFault{"soapenv:Client", "Could not parse the request: " + oneLine(err.Error()), ""})
		return
	}
	if env.XMLName.Local != "Envelope" || env.XMLName.Space != soapEnvNS {
		e.writeLoginFault(w, api, loginFault{"soapenv:VersionMismatch", "the SOAP API speaks SOAP 1.1 (envelope namespace " + soapEnvNS + ")", ""})
		return
	}
	if env.Body == nil || len(env.Body.Ops) == 0 {
		e.writeLoginFault(w, api, loginFault{"soapenv:Client", "the SOAP Body has no operation", ""})
		return
	}
	op := env.Body.Ops[0]
	switch {
	case op.XMLName.Space == api.ns && op.XMLName.Local == "login":
		n, _ := parseAPIVersion(m[2])
		e.soapLogin(w, r, api, m[2], n, op.Username, op.Password)
	case op.XMLName.Space == api.ns && op.XMLName.Local == "logout":
		e.soapLogout(w, api, strings.TrimSpace(env.Header.Session))
	default:
		e.writeLoginFault(w, api, loginFault{"soapenv:Client",
			"No operation available for request {" + op.XMLName.Space + "}" + op.XMLName.Local + ", please check the WSDL for the service.", ""})
	}
}

func (e *Emulator) soapLogin(w http.ResponseWriter, r *http.Request, api soapAPI, version string, major int, username, password *string) {
	switch {
	case major > soapLoginMaxVers:
		e.writeLoginFault(w, api, loginFault{"INVALID_OPERATION", "The SOAP Login operation is not available in the API version specified (" + version + "). Refer to the documentation for supported versions.", "UnexpectedErrorFault"})
		return
	case e.org.SOAPLoginDisabled:
		e.writeLoginFault(w, api, loginFault{"INVALID_OPERATION", msgSOAPDisabled, "UnexpectedErrorFault"})
		return
	case username == nil || password == nil:
		// [UNCONF] wording for a login() without its arguments.
		e.writeLoginFault(w, api, loginFault{"INVALID_LOGIN", msgInvalidLogin, "LoginFault"})
		return
	}
	u := e.org.userByName(strings.TrimSpace(*username))
	switch checkCredentials(u, *password) {
	case credOK:
	case credNeedToken:
		e.writeLoginFault(w, api, loginFault{"LOGIN_MUST_USE_SECURITY_TOKEN", msgNeedToken, "LoginFault"})
		return
	case credHours:
		e.writeLoginFault(w, api, loginFault{"LOGIN_DURING_RESTRICTED_TIME", msgRestrictedTime, "LoginFault"})
		return
	default: // wrong credentials, frozen, inactive
		e.writeLoginFault(w, api, loginFault{"INVALID_LOGIN", msgInvalidLogin, "LoginFault"})
		return
	}
	if ipCheck(soapAPIApp, u, false) != nil {
		// The profile's login IP ranges exclude the caller (the password grant's check;
		// no Connected App relaxes it here) [UNCONF: fault as for bad credentials].
		e.writeLoginFault(w, api, loginFault{"INVALID_LOGIN", msgInvalidLogin, "LoginFault"})
		return
	}
	if e.org.APIDisabled {
		e.writeLoginFault(w, api, loginFault{"API_DISABLED_FOR_ORG", msgAPIDisabled, "UnexpectedErrorFault"})
		return
	}
	e.mu.Lock()
	_, s := e.issue(grant{app: soapAPIApp, user: u, scopes: append([]string{}, soapAPIApp.Scopes...)})
	e.mu.Unlock()

	org15 := e.org.ID[:15]
	base := e.instanceURL()
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	b := &strings.Builder{}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + soapEnvNS + `" xmlns="` + api.ns +
		`" xmlns:xsi="` + xsiNS + `"><soapenv:Body><loginResponse><result>`)
	el := func(k, v string) {
		b.WriteString("<" + k + ">")
		xmlText(b, v)
		b.WriteString("</" + k + ">")
	}
	null := func(k string) { b.WriteString("<" + k + ` xsi:nil="true"/>`) }
	el("metadataServerUrl", base+"/services/Soap/m/"+version+"/"+org15)
	el("passwordExpired", "false")
	el("sandbox", "false")
	el("serverUrl", base+"/services/Soap/"+api.letter+"/"+version+"/"+org15)
	el("sessionId", s.token)
	el("userId", u.ID)
	b.WriteString("<userInfo>")
	el("accessibilityMode", "false")
	el("chatterExternal", "false")
	el("currencySymbol", "$")
	el("orgAttachmentFileSizeLimit", "5242880")
	el("orgDefaultCurrencyIsoCode", "USD")
	el("orgDefaultCurrencyLocale", "en_US")
	el("orgDisallowHtmlAttachments", "false")
	el("orgHasPersonAccounts", "false")
	el("organizationId", e.org.ID)
	el("organizationMultiCurrency", "false")
	el("organizationName", orStr(e.org.Name, "Emulated Org"))
	el("profileId", profileID(u.Profile))
	null("roleId")
	el("sessionSecondsValid", strconv.Itoa(int(s.timeout.Seconds())))
	null("userDefaultCurrencyIsoCode")
	el("userEmail", orStr(u.Email, u.Username))
	el("userFullName", orStr(name, u.Username))
	el("userId", u.ID)
	el("userLanguage", orStr(u.Language, "en_US"))
	el("userLocale", orStr(u.Locale, "en_US"))
	el("userName", u.Username)
	el("userTimeZone", orStr(u.TimeZone, "America/Los_Angeles"))
	el("userType", "Standard")
	el("userUiSkin", "Theme3")
	b.WriteString("</userInfo></result></loginResponse></soapenv:Body></soapenv:Envelope>")
	w.Header().Set("Content-Type", ctSOAP)
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(b.String()))
}

// soapLogout ends the SessionHeader's session (any live access token of the org).
func (e *Emulator) soapLogout(w http.ResponseWriter, api soapAPI, tok string) {
	e.mu.Lock()
	s := e.sessions[tok]
	ok := tok != "" && s != nil && s.valid(e.now())
	if ok {
		s.revoked = true
	}
	e.mu.Unlock()
	if !ok {
		e.writeLoginFault(w, api, loginFault{"INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session", "UnexpectedErrorFault"})
		return
	}
	w.Header().Set("Content-Type", ctSOAP)
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="` + soapEnvNS + `" xmlns="` + api.ns +
		`"><soapenv:Body><logoutResponse/></soapenv:Body></soapenv:Envelope>`))
}
