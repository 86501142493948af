package sfemu

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"time"
)

// jsforceLogin is the envelope jsforce's conn.login sends without a client id (SOAP
// login(), jsforce 3).
func jsforceLogin(ns, user, pass string) string {
	var b strings.Builder
	b.WriteString(`<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body><login xmlns="` + ns + `"><username>`)
	xml.EscapeText(b2w{&b}, []byte(user))
	b.WriteString(`</username><password>`)
	xml.EscapeText(b2w{&b}, []byte(pass))
	b.WriteString(`</password></login></se:Body></se:Envelope>`)
	return b.String()
}

func logoutEnvelope(ns, session string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="` + ns +
		`"><soapenv:Header><p:SessionHeader><p:sessionId>` + session + `</p:sessionId></p:SessionHeader></soapenv:Header><soapenv:Body><p:logout/></soapenv:Body></soapenv:Envelope>`
}

func (v *env) soapAt(url, body string) resp {
	v.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("SOAPAction", `""`)
	return do(v.t, plain, req)
}

type loginResult struct {
	MetadataServerURL string `xml:"Body>loginResponse>result>metadataServerUrl"`
	ServerURL         string `xml:"Body>loginResponse>result>serverUrl"`
	SessionID         string `xml:"Body>loginResponse>result>sessionId"`
	UserID            string `xml:"Body>loginResponse>result>userId"`
	OrgID             string `xml:"Body>loginResponse>result>userInfo>organizationId"`
	UserName          string `xml:"Body>loginResponse>result>userInfo>userName"`
	Seconds           int    `xml:"Body>loginResponse>result>userInfo>sessionSecondsValid"`
}

// TestSOAPLogin: Partner and Enterprise login() and logout() with Salesforce's result and
// fault shapes, the same credential and user checks as OAuth, and the version rules (§15.6).
func TestSOAPLogin(t *testing.T) {
	v := newEnv(t, nil)
	demo := v.user(DemoUser)
	org15 := v.e.Org().ID[:15]

	r := v.soapAt(v.e.LoginURL+"/services/Soap/u/50.0", jsforceLogin(partnerNS, DemoUser, "Demo-Pass-1DEMOTOKEN1"))
	var res loginResult
	if r.status != 200 || r.ct != ctSOAP || xml.Unmarshal([]byte(r.body), &res) != nil {
		t.Fatalf("login: %d %q %s", r.status, r.ct, r.body)
	}
	if !strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><loginResponse><result><metadataServerUrl>`) ||
		!strings.Contains(r.body, `</sessionId><userId>`+demo.ID+`</userId><userInfo><accessibilityMode>false</accessibilityMode>`) ||
		!strings.Contains(r.body, `<roleId xsi:nil="true"/>`) {
		t.Errorf("login body shape: %s", r.body)
	}
	if res.ServerURL != v.e.MyDomainURL+"/services/Soap/u/50.0/"+org15 || res.MetadataServerURL != v.e.MyDomainURL+"/services/Soap/m/50.0/"+org15 ||
		res.UserID != demo.ID || res.OrgID != v.e.Org().ID || res.UserName != DemoUser || res.Seconds != 7200 || !strings.HasPrefix(res.SessionID, org15+"!") {
		t.Errorf("login result: %+v", res)
	}
	// The session id is a Bearer token on REST (jsforce then calls REST with it).
	if u := v.rest(v.e.MyDomainURL, "/services/data/v50.0/sobjects/User/"+demo.ID, res.SessionID); u.status != 200 || str(u.m, "Username") != DemoUser {
		t.Errorf("REST with the session id: %d %s", u.status, u.body)
	}
	// logout() at the serverUrl ends the session; a second logout() is INVALID_SESSION_ID.
	if lo := v.soapAt(res.ServerURL, logoutEnvelope(partnerNS, res.SessionID)); lo.status != 200 || !strings.Contains(lo.body, "<soapenv:Body><logoutResponse/></soapenv:Body>") {
		t.Errorf("logout: %d %s", lo.status, lo.body)
	}
	if u := v.rest(v.e.MyDomainURL, "/services/data/v50.0/limits", res.SessionID); u.status != 401 || u.body != bodyExpired {
		t.Errorf("REST after logout: %d %s", u.status, u.body)
	}
	wantLoginFault(t, v.soapAt(res.ServerURL, logoutEnvelope(partnerNS, res.SessionID)), "INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session")

	// Enterprise API; the session idles out like any other (§7).
	r = v.soapAt(v.e.MyDomainURL+"/services/Soap/c/64.0", jsforceLogin(enterpriseNS, DemoShortUser, "Short-Pass-1SHORTTOKEN1"))
	res = loginResult{}
	if r.status != 200 || xml.Unmarshal([]byte(r.body), &res) != nil || !strings.Contains(r.body, `xmlns="urn:enterprise.soap.sforce.com"`) ||
		res.ServerURL != v.e.MyDomainURL+"/services/Soap/c/64.0/"+org15 || res.Seconds != 1800 {
		t.Fatalf("enterprise login: %d %+v %s", r.status, res, r.body)
	}
	v.clk.Advance(31 * time.Minute)
	if u := v.rest(v.e.MyDomainURL, "/services/data/v64.0/limits", res.SessionID); u.status != 401 {
		t.Errorf("session after its timeout: %d", u.status)
	}

	// An admin's login() session reads metadata at its metadataServerUrl.
	r = v.soapAt(v.e.LoginURL+"/services/Soap/u/60.0", jsforceLogin(partnerNS, DemoAdminUser, "Admin-Pass-1ADMINTOKEN1"))
	res = loginResult{}
	xml.Unmarshal([]byte(r.body), &res)
	if md := v.soapAt(res.MetadataServerURL, readMetadataEnvelope(res.SessionID, "ConnectedApp", "Web_App")); md.status != 200 || !strings.Contains(md.body, "<fullName>Web_App</fullName>") {
		t.Errorf("readMetadata at metadataServerUrl: %d %s", md.status, md.body)
	}

	// The exact INVALID_LOGIN fault (simple-salesforce's captured fixture).
	r = v.soapAt(v.e.LoginURL+"/services/Soap/u/50.0", jsforceLogin(partnerNS, DemoUser, "wrong"))
	want := `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring><detail><sf:LoginFault xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode><sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
	if r.status != 500 || r.body != want {
		t.Errorf("INVALID_LOGIN:\n got %d %s\nwant %s", r.status, r.body, want)
	}

	o := testOrg()
	o.Users = append(o.Users, User{ID: id18("0055g00000Hours"), Username: "hours@connectedapplab.example", Password: "p", SecurityToken: "t", Profile: "Standard User", RestrictedHours: true})
	v2 := newEnv(t, o)
	login := func(base, path, user, pass string) resp {
		return v2.soapAt(base+path, jsforceLogin(partnerNS, user, pass))
	}
	l := v2.e.LoginURL
	rows := []struct {
		name, path, user, pass, code, msg string
	}{
		{"unknown user", "/services/Soap/u/50.0", "nobody@x", "p", "INVALID_LOGIN", "INVALID_LOGIN: Invalid username, password, security token; or user locked out."},
		{"password without the security token", "/services/Soap/u/50.0", DemoUser, "Demo-Pass-1", "LOGIN_MUST_USE_SECURITY_TOKEN", "LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. Are you at a new location?"},
		{"frozen user", "/services/Soap/u/50.0", DemoFrozenUser, "Frozen-Pass-1FROZENTOKEN1", "INVALID_LOGIN", "INVALID_LOGIN: "},
		{"inactive user", "/services/Soap/u/50.0", userInactive, "pt", "INVALID_LOGIN", "INVALID_LOGIN: "},
		{"login IP ranges", "/services/Soap/u/50.0", userRestricted, "pt", "INVALID_LOGIN", "INVALID_LOGIN: "},
		{"login hours", "/services/Soap/u/50.0", "hours@connectedapplab.example", "pt", "LOGIN_DURING_RESTRICTED_TIME", "LOGIN_DURING_RESTRICTED_TIME: cannot log in during restricted time"},
		{"API 65.0", "/services/Soap/u/65.0", DemoUser, "Demo-Pass-1DEMOTOKEN1", "INVALID_OPERATION", "INVALID_OPERATION: The SOAP Login operation is not available in the API version specified (65.0). Refer to the documentation for supported versions."},
		{"API 68.0 enterprise", "/services/Soap/c/68.0", DemoUser, "Demo-Pass-1DEMOTOKEN1", "", ""},
		{"retired API 30.0", "/services/Soap/u/30.0", DemoUser, "Demo-Pass-1DEMOTOKEN1", "UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: Invalid Api version specified on URL"},
		{"unknown API 99.0", "/services/Soap/u/99.0", DemoUser, "Demo-Pass-1DEMOTOKEN1", "UNSUPPORTED_API_VERSION", "UNSUPPORTED_API_VERSION: "},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			r := login(l, row.path, row.user, row.pass)
			if row.code == "" { // the enterprise namespace on an enterprise path is checked below
				return
			}
			wantLoginFault(t, r, row.code, row.msg)
		})
	}
	// Enterprise at 68.0: INVALID_OPERATION too (its namespace is the enterprise one).
	wantLoginFault(t, v2.soapAt(l+"/services/Soap/c/68.0", jsforceLogin(enterpriseNS, DemoUser, "Demo-Pass-1DEMOTOKEN1")), "INVALID_OPERATION", "INVALID_OPERATION: The SOAP Login operation is not available in the API version specified (68.0).")
	// The partner namespace on the enterprise path is no operation of that service.
	wantLoginFault(t, v2.soapAt(l+"/services/Soap/c/50.0", jsforceLogin(partnerNS, DemoUser, "Demo-Pass-1DEMOTOKEN1")), "soapenv:Client", "No operation available for request {urn:partner.soap.sforce.com}login")
	// A gzip-compressed request (the Java WSC's default), and a gzip bomb stays capped.
	gz := func(s string) *bytes.Buffer {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
		return &b
	}
	for body, want := range map[string]int{jsforceLogin(partnerNS, DemoUser, "Demo-Pass-1DEMOTOKEN1"): 200, strings.Repeat("<", 10<<20): 500, "": 500} {
		req, _ := http.NewRequest(http.MethodPost, l+"/services/Soap/u/50.0", gz(body))
		req.Header.Set("Content-Type", "text/xml; charset=UTF-8")
		req.Header.Set("Content-Encoding", "gzip")
		if r := do(t, plain, req); r.status != want {
			t.Errorf("gzip body of %d bytes: %d %s", len(body), r.status, r.body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, l+"/services/Soap/u/50.0", strings.NewReader("not gzip"))
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("Content-Encoding", "gzip")
	wantLoginFault(t, do(t, plain, req), "soapenv:Client", "the gzip request body could not be read")
	// Malformed requests.
	wantLoginFault(t, v2.soapAt(l+"/services/Soap/u/50.0", "<not xml"), "soapenv:Client", "Could not parse the request")
	wantLoginFault(t, v2.soapAt(l+"/services/Soap/u/50.0", strings.Repeat(" ", 70<<10)+jsforceLogin(partnerNS, DemoUser, "x")), "soapenv:Client", "request body too large")
	wantLoginFault(t, v2.soapAt(l+"/services/Soap/u/50.0", `<Envelope><Body><login/></Body></Envelope>`), "soapenv:VersionMismatch", "the SOAP API speaks SOAP 1.1")
	req, _ = http.NewRequest(http.MethodGet, l+"/services/Soap/u/50.0", nil)
	wantLoginFault(t, do(t, plain, req), "soapenv:Client", "the SOAP API answers POST requests only")
	req, _ = http.NewRequest(http.MethodPost, l+"/services/Soap/u/50.0", strings.NewReader(jsforceLogin(partnerNS, DemoUser, "x")))
	req.Header.Set("Content-Type", "application/json")
	wantLoginFault(t, do(t, plain, req), "soapenv:Client", "Content-Type must be text/xml")
	if r := v2.soapAt(l+"/services/Soap/u/50.0/extra", jsforceLogin(partnerNS, DemoUser, "x")); r.status != 404 {
		t.Errorf("malformed path: %d", r.status)
	}

	// Org settings: SOAP login() disabled, API disabled, the sf: prefix.
	for _, tc := range []struct {
		mod        func(*Org)
		code, want string
	}{
		{func(o *Org) { o.SOAPLoginDisabled = true }, "INVALID_OPERATION", "INVALID_OPERATION: SOAP API login() is disabled by default in this org."},
		{func(o *Org) { o.APIDisabled = true }, "API_DISABLED_FOR_ORG", "API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner"},
	} {
		o := testOrg()
		tc.mod(o)
		v3 := newEnv(t, o)
		wantLoginFault(t, v3.soapAt(v3.e.LoginURL+"/services/Soap/u/50.0", jsforceLogin(partnerNS, DemoUser, "Demo-Pass-1DEMOTOKEN1")), tc.code, tc.want)
	}
	o = testOrg()
	o.Behaviour.SOAPFaultCodePrefixed = true
	v4 := newEnv(t, o)
	wantLoginFault(t, v4.soapAt(v4.e.LoginURL+"/services/Soap/u/50.0", jsforceLogin(partnerNS, DemoUser, "bad")), "sf:INVALID_LOGIN", "INVALID_LOGIN: ")
}

// FuzzSOAPLogin: no request body makes the login handler panic or answer anything but a
// SOAP envelope.
func FuzzSOAPLogin(f *testing.F) {
	f.Add(jsforceLogin(partnerNS, DemoUser, "Demo-Pass-1DEMOTOKEN1"))
	f.Add(logoutEnvelope(partnerNS, "00D!x"))
	f.Add(`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`)
	f.Add(`<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>&lt;</username></login></se:Body></se:Envelope>`)
	e, err := newEmulator(testOrg(), Options{Clock: NewFakeClock(t0)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		w := newRecorder()
		req := mustReq(http.MethodPost, "/services/Soap/u/50.0", body)
		req.Header.Set("Content-Type", "text/xml")
		e.Handler().ServeHTTP(w, req)
		if w.Code != 200 && w.Code != 500 || !strings.Contains(w.Body.String(), "<soapenv:Envelope") {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
	})
}

// wantLoginFault checks a login-API fault: HTTP 500, the fault namespace of the Partner or
// Enterprise API, and the code and message.
func wantLoginFault(t *testing.T, r resp, code, msgPrefix string) {
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
	if r.status != 500 || r.ct != ctSOAP || env.Fault.Code != code || !strings.HasPrefix(env.Fault.String, msgPrefix) {
		t.Fatalf("got %d %q %q %q, want %q %q…\n%s", r.status, r.ct, env.Fault.Code, env.Fault.String, code, msgPrefix, r.body)
	}
	if !strings.HasPrefix(r.body, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.`) {
		t.Fatalf("fault envelope shape: %s", r.body)
	}
}
