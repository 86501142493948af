package connectedapp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// The Reader against the emulated org: readMetadata over real HTTP, for every demo app,
// then Lint on the deliberately misconfigured one.
func TestReadAgainstEmulator(t *testing.T) {
	e := sfemutest.Start(t)
	d := e.Desc
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	tokRes := e.PasswordToken(t, sfemu.DemoWebAppKey, sfemu.DemoAdminUser)
	if tokRes.InstanceURL != e.MyDomainURL {
		t.Fatalf("instance_url %q, want %q", tokRes.InstanceURL, e.MyDomainURL)
	}
	rd := &Reader{InstanceURL: e.MyDomainURL, AccessToken: tokRes.AccessToken}

	org := e.Org()
	if len(org.Apps) != len(d.Apps) {
		t.Fatalf("%d apps in the org, %d described", len(org.Apps), len(d.Apps))
	}
	got := map[string]Settings{}
	for i, a := range org.Apps {
		da := d.Apps[i]
		if da.APIName == "" {
			t.Fatalf("%s has no api_name", a.Name)
		}
		s, err := rd.Read(ctx, "", da.APIName)
		if err != nil {
			t.Fatalf("Read %s: %v", da.APIName, err)
		}
		got[da.APIName] = s
		wantKind := Connected
		if a.Kind == sfemu.KindExternalClientApp {
			wantKind = External
		}
		if s.Kind != wantKind || s.Name != da.APIName || s.Label != a.Name || s.ConsumerKey != a.ConsumerKey {
			t.Errorf("%s: kind %q name %q label %q key %q", da.APIName, s.Kind, s.Name, s.Label, s.ConsumerKey)
		}
		if !slices.Equal(s.CallbackURLs, a.CallbackURLs) {
			t.Errorf("%s callbacks %q, want %q", da.APIName, s.CallbackURLs, a.CallbackURLs)
		}
		if !slices.Equal(s.Scopes, a.Scopes) {
			t.Errorf("%s scopes %q, want %q", da.APIName, s.Scopes, a.Scopes)
		}
		pkce := a.RequirePKCE != nil && *a.RequirePKCE || a.RequirePKCE == nil && wantKind == External
		if s.PKCERequired != pkce {
			t.Errorf("%s PKCE required %v, want %v", da.APIName, s.PKCERequired, pkce)
		}
		if s.ClientCredentialsEnabled != a.ClientCredentialsEnabled || s.ClientCredentialsUser != a.ClientCredentialsUser {
			t.Errorf("%s client credentials %v/%q, want %v/%q", da.APIName, s.ClientCredentialsEnabled, s.ClientCredentialsUser,
				a.ClientCredentialsEnabled, a.ClientCredentialsUser)
		}
		wantPolicy := a.RefreshTokenPolicy
		if wantPolicy == "" {
			wantPolicy = "infinite"
		}
		if s.RefreshTokenPolicy.String() != wantPolicy || s.RefreshTokenRotation != a.RefreshTokenRotation {
			t.Errorf("%s refresh policy %q rotation %v, want %q %v", da.APIName, s.RefreshTokenPolicy, s.RefreshTokenRotation, wantPolicy, a.RefreshTokenRotation)
		}
		secretOptional := a.RequireSecretForWebServerFlow != nil && !*a.RequireSecretForWebServerFlow
		secretRefresh := a.RequireSecretForRefreshToken == nil || *a.RequireSecretForRefreshToken
		if s.ConsumerSecretOptional != secretOptional || s.SecretRequiredForRefreshToken != secretRefresh {
			t.Errorf("%s secret optional %v / refresh %v, want %v / %v", da.APIName, s.ConsumerSecretOptional, s.SecretRequiredForRefreshToken, secretOptional, secretRefresh)
		}
		wantUsers := a.PermittedUsers
		if wantUsers == "" {
			wantUsers = map[Kind]string{Connected: AllSelfAuthorized, External: AdminApprovedPreAuthorized}[wantKind]
		}
		if s.PermittedUsers != wantUsers {
			t.Errorf("%s permitted users %q, want %q", da.APIName, s.PermittedUsers, wantUsers)
		}
		if wantUsers == AdminApprovedPreAuthorized && !slices.Equal(s.Profiles, a.PermittedProfiles) {
			t.Errorf("%s profiles %q, want %q", da.APIName, s.Profiles, a.PermittedProfiles)
		}
		if (s.Certificate != "") != (a.CertificatePEM != "") || s.IntrospectAllTokens != a.IntrospectAllTokens {
			t.Errorf("%s certificate %v introspect-all %v", da.APIName, s.Certificate != "", s.IntrospectAllTokens)
		}
		if wantKind == External && (s.DeviceFlowEnabled == nil || *s.DeviceFlowEnabled != a.DeviceFlowEnabled) {
			t.Errorf("%s device flow %v", da.APIName, s.DeviceFlowEnabled)
		}
		if js, _ := json.Marshal(s); strings.Contains(string(js), a.ConsumerSecret) && a.ConsumerSecret != "" {
			t.Errorf("%s: the consumer secret came back", da.APIName)
		}
	}
	for _, name := range []string{"Web_App", "Mobile_App", "Integration_App", "Device_App", "ECA_PKCE", "Misconfigured_App"} {
		if _, ok := got[name]; !ok {
			t.Errorf("demo app %s was not read", name)
		}
	}
	if rot := got["ECA_PKCE"]; rot.Kind != External || !rot.RefreshTokenRotation || !rot.PKCERequired {
		t.Errorf("ECA_PKCE: %+v", rot)
	}

	// Unknown name: ErrNotFound after trying both kinds.
	if _, err := rd.Read(ctx, "", "No_Such_App"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown app: %v", err)
	}
	// A bad token is a SOAP fault the caller can recognise, without the token in the text.
	bad := &Reader{InstanceURL: e.MyDomainURL, AccessToken: tokRes.AccessToken + "x"}
	_, err := bad.Read(ctx, Connected, "Web_App")
	var f *SOAPFault
	if !errors.As(err, &f) || f.Code != "INVALID_SESSION_ID" || f.Status != 500 || strings.Contains(err.Error(), bad.AccessToken) {
		t.Errorf("bad token: %v", err)
	}

	// Lint the misconfigured app against what the demo profiles run.
	mis := got["Misconfigured_App"]
	codes := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Code)
		}
		return out
	}
	web1 := Lint(Profile{Flow: flows.WebServer, CallbackURL: "http://localhost:1717/callback", LoginURL: e.LoginURL,
		Scopes: []string{"api", "refresh_token"}}, mis)
	for _, want := range []string{"callback-port", "refresh-token-not-selected"} {
		if !slices.Contains(codes(web1), want) {
			t.Errorf("web server lint lacks %s: %q", want, codes(web1))
		}
	}
	for _, f := range web1 {
		if f.Code == "callback-port" && (f.Severity != Error || !strings.Contains(f.Problem, "1717") || !strings.Contains(f.Problem, "1718")) {
			t.Errorf("callback-port finding: %+v", f)
		}
	}
	cc := Lint(Profile{Flow: flows.ClientCredentials, LoginURL: e.MyDomainURL}, mis)
	if !slices.Contains(codes(cc), "client-credentials-no-user") || slices.Contains(codes(cc), "client-credentials-disabled") {
		t.Errorf("client credentials lint: %q", codes(cc))
	}
	// The well-configured Web App passes the same web server profile (on its own port).
	if fs := Lint(Profile{Flow: flows.WebServer, CallbackURL: "http://localhost:1717/OauthRedirect", LoginURL: e.LoginURL,
		Scopes: []string{"api", "refresh_token"}}, got["Web_App"]); HasErrors(fs) {
		t.Errorf("Web_App lint errors: %q", codes(fs))
	}
	// And the emulator agrees with lint on the wire: client credentials fail without a Run As user.
	res, err := http.PostForm(e.MyDomainURL+"/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {sfemu.DemoMisconfiguredKey}, "client_secret": {"MisconfiguredDemoSecret0006"}})
	if err != nil {
		t.Fatal(err)
	}
	var oe struct {
		Error string `json:"error"`
		Desc  string `json:"error_description"`
	}
	json.NewDecoder(res.Body).Decode(&oe)
	res.Body.Close()
	if res.StatusCode != 400 || oe.Error != "invalid_grant" || oe.Desc != "no client credentials user enabled" {
		t.Errorf("client credentials on the misconfigured app: %d %+v", res.StatusCode, oe)
	}
}
