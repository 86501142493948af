package connectedapp

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const testToken = "00D5e000000AbCd!AQ0AQFakeAdminAccessTokenForTests"

// soapOrg is a local stand-in for Salesforce's Metadata API SOAP endpoint (a fake: no real
// org can run here). It checks the request the way Salesforce would and answers with the
// captured responses in testdata.
type soapOrg struct {
	t         *testing.T
	responses map[string]string // metadata type → testdata file; missing → nil record
	calls     []string
}

func (o *soapOrg) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t := o.t
	if r.Method != http.MethodPost || r.URL.Path != "/services/Soap/m/65.0" {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("SOAPAction") != `""` || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
		t.Errorf("headers: SOAPAction %q Content-Type %q", r.Header.Get("SOAPAction"), r.Header.Get("Content-Type"))
	}
	var env struct {
		Session string `xml:"Header>SessionHeader>sessionId"`
		Read    struct {
			XMLName   xml.Name
			Type      string   `xml:"type"`
			FullNames []string `xml:"fullNames"`
		} `xml:"Body>readMetadata"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := xml.Unmarshal(body, &env); err != nil {
		t.Errorf("request is not a SOAP envelope: %v\n%s", err, body)
	}
	if env.Read.XMLName.Space != MetadataNS {
		t.Errorf("readMetadata namespace %q", env.Read.XMLName.Space)
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	if env.Session != testToken {
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(mustRead(t, "testdata/fault_INVALID_SESSION_ID.xml"))
		return
	}
	o.calls = append(o.calls, env.Read.Type+":"+strings.Join(env.Read.FullNames, ","))
	file, ok := o.responses[env.Read.Type]
	if !ok {
		w.Write(mustRead(t, "testdata/readMetadata_notfound.xml"))
		return
	}
	w.Write(mustRead(t, file))
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ecaResponses() map[string]string {
	m := map[string]string{}
	for _, typ := range []string{TypeECA, TypeECAGlobal, TypeECAOauth, TypeECAPolicies} {
		m[typ] = "testdata/readMetadata_" + typ + ".xml"
	}
	return m
}

func newReader(t *testing.T, org *soapOrg) *Reader {
	org.t = t
	srv := httptest.NewServer(org)
	t.Cleanup(srv.Close)
	return &Reader{InstanceURL: srv.URL, AccessToken: testToken, Timeout: 5 * time.Second}
}

func TestReadConnectedAppThroughMetadataAPI(t *testing.T) {
	org := &soapOrg{responses: map[string]string{TypeConnectedApp: "testdata/readMetadata_ConnectedApp.xml"}}
	r := newReader(t, org)
	s, err := r.Read(context.Background(), Connected, "Lab_Web_App")
	if err != nil {
		t.Fatal(err)
	}
	want := NewSettings(Connected, "Lab_Web_App")
	want.Label, want.ContactEmail, want.Description = "Lab Web App", "admin@example.com", "Connected App Lab test app"
	want.ConsumerKey = "3MVG9lKcPoNINVBIPJjdw1J9LLM82HnFVVX19KY1uA5mu0QqEWhqKpoW3svG3X4BdXqZ.cNoSEcG6xxRgNa7Z"
	want.CallbackURLs = []string{"http://localhost:1717/OauthRedirect", "https://app.example.com/oauth/callback"}
	want.Scopes = []string{"api", "refresh_token", "openid", "id"}
	want.IDTokenValidityMinutes = 5
	want.PermittedUsers = AdminApprovedPreAuthorized
	want.ClientCredentialsEnabled = true
	want.ClientCredentialsUser = "integration@example.com"
	want.PKCERequired = true
	want.RefreshTokenPolicy = RefreshTokenPolicy{Type: RefreshSpecificLifetime, Period: 30, Unit: "DAYS"}
	want.PermissionSets = []string{"Lab_Integration"}
	want.Profiles = []string{"System Administrator"}
	want.SessionTimeoutMinutes = 30
	if !equalSettings(s, want) {
		t.Errorf("got  %+v\nwant %+v", s, want)
	}
	if !slices.Equal(org.calls, []string{"ConnectedApp:Lab_Web_App"}) {
		t.Errorf("calls %v", org.calls)
	}
}

func equalSettings(a, b Settings) bool {
	norm := func(s *Settings) {
		for _, l := range []*[]string{&s.CallbackURLs, &s.Scopes, &s.CustomScopes, &s.Profiles, &s.PermissionSets} {
			if len(*l) == 0 {
				*l = nil
			}
		}
	}
	norm(&a)
	norm(&b)
	return reflect.DeepEqual(a, b)
}

func fmtSettings(s Settings) string {
	b, _ := xml.Marshal(struct{ S Settings }{s}) // stable, comparable dump
	return string(b)
}

func TestReadExternalClientAppThroughMetadataAPI(t *testing.T) {
	org := &soapOrg{responses: ecaResponses()}
	r := newReader(t, org)
	s, err := r.Read(context.Background(), External, "Lab_ECA")
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != External || s.Name != "Lab_ECA" || s.Label != "Lab ECA" || !slices.Equal(s.CallbackURLs, []string{"http://127.0.0.1:1717/OauthRedirect"}) ||
		!slices.Equal(s.Scopes, []string{"api", "refresh_token", "openid"}) || !s.PKCERequired || !s.RefreshTokenRotation ||
		s.DeviceFlowEnabled == nil || *s.DeviceFlowEnabled || !s.ClientCredentialsEnabled || s.ClientCredentialsUser != "integration@example.com" ||
		s.IPRelaxation != IPEnforceRelaxRefresh || s.RefreshTokenPolicy != (RefreshTokenPolicy{Type: RefreshSpecificInactivity, Period: 7, Unit: "DAYS"}) ||
		s.SessionTimeoutMinutes != 60 || s.PermittedUsers != AdminApprovedPreAuthorized || !slices.Equal(s.PermissionSets, []string{"Lab_Integration"}) {
		t.Errorf("settings %+v", s)
	}
	if strings.Contains(fmtSettings(s), "SHOULD-NEVER-BE-KEPT") {
		t.Error("the consumer secret from the response was kept")
	}
	want := []string{"ExternalClientApplication:Lab_ECA", "ExtlClntAppGlobalOauthSettings:Lab_ECA_glbloauth",
		"ExtlClntAppOauthSettings:Lab_ECA_oauth", "ExtlClntAppOauthConfigurablePolicies:Lab_ECA_oauthPlcy,Lab_ECA_oauth_defaultPolicy"}
	if !slices.Equal(org.calls, want) {
		t.Errorf("calls %v\nwant  %v", org.calls, want)
	}
	// The live settings lint like any other.
	fs := Lint(Profile{Flow: "web-server-pkce", CallbackURL: "http://localhost:1717/OauthRedirect"}, s)
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.Code == "callback-loopback-host" }) {
		t.Errorf("lint of the live app: %v", codes(fs))
	}
}

func TestReadWithoutKindFallsBackToExternalClientApp(t *testing.T) {
	org := &soapOrg{responses: ecaResponses()}
	s, err := newReader(t, org).Read(context.Background(), "", "Lab_ECA")
	if err != nil || s.Kind != External {
		t.Fatalf("kind %q err %v", s.Kind, err)
	}
	if org.calls[0] != "ConnectedApp:Lab_ECA" {
		t.Errorf("first call %v", org.calls)
	}
}

func TestReadFailures(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) *Reader
		want  string
		is    error
	}{
		{"unknown app is not found", func(t *testing.T) *Reader { return newReader(t, &soapOrg{}) }, "no Connected App or External Client App named", ErrNotFound},
		{"invalid session becomes a one-line fault", func(t *testing.T) *Reader {
			r := newReader(t, &soapOrg{})
			r.AccessToken = "00D!expired"
			return r
		}, "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader", nil},
		{"slow server times out", func(t *testing.T) *Reader {
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-release:
				}
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(release) }) // runs first: lets the handler end
			return &Reader{InstanceURL: srv.URL, AccessToken: testToken, Timeout: 100 * time.Millisecond}
		}, "no answer within 100ms", nil},
		{"oversized body is refused", func(t *testing.T) *Reader {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(strings.Repeat("x", 4096)))
			}))
			t.Cleanup(srv.Close)
			return &Reader{InstanceURL: srv.URL, AccessToken: testToken, MaxBody: 1024}
		}, "larger than 1024 bytes", nil},
		{"non-SOAP answer names the HTTP status", func(t *testing.T) *Reader {
			srv := httptest.NewServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			return &Reader{InstanceURL: srv.URL, AccessToken: testToken}
		}, "HTTP 404", nil},
		{"plain http to a remote host is refused", func(t *testing.T) *Reader {
			return &Reader{InstanceURL: "http://acme.my.salesforce.com", AccessToken: testToken}
		}, "uses http", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.setup(t).Read(context.Background(), "", "Lab_App")
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") || strings.Contains(msg, testToken) {
				t.Errorf("error %q: want one line containing %q and no token", msg, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
		})
	}
}

func TestReadMetadataRequestEscapesAndNamesTheType(t *testing.T) {
	b := string(ReadMetadataRequest("tok<&>", TypeConnectedApp, "A&B"))
	for _, want := range []string{`<met:sessionId>tok&lt;&amp;&gt;</met:sessionId>`, `<met:type>ConnectedApp</met:type>`, `<met:fullNames>A&amp;B</met:fullNames>`,
		`xmlns:met="http://soap.sforce.com/2006/04/metadata"`, `xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"`} {
		if !strings.Contains(b, want) {
			t.Errorf("request lacks %s:\n%s", want, b)
		}
	}
}
