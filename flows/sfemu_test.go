package flows_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

func run(t *testing.T, req flows.Request) *flows.Result {
	t.Helper()
	res, err := flows.Run(context.Background(), req, nil)
	if err != nil {
		for _, ex := range res.Transcript.Exchanges() {
			t.Logf("%s %s %s -> %d %s %s", ex.Step, ex.Method, ex.URL, ex.Status, ex.ResponseBody, ex.Error)
		}
		t.Fatalf("%s: %v", req.Flow, err)
	}
	assertNoSecrets(t, res, req.ClientSecret, req.Password, req.SecurityToken)
	return res
}

func wantChecks(t *testing.T, res *flows.Result, names ...string) {
	t.Helper()
	got := map[string]flows.Check{}
	for _, c := range res.Checks {
		got[c.Name] = c
		if !c.OK {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
	}
	for _, n := range names {
		if _, ok := got[n]; !ok {
			t.Errorf("check %s not made; made %+v", n, res.Checks)
		}
	}
}

func TestWebServerFlowsAgainstEmulator(t *testing.T) {
	e := startEmu(t, false, nil)
	cases := []struct {
		name    string
		flow    flows.Flow
		app     string
		pkce    bool
		noSec   bool
		refresh bool
		checks  []string
	}{
		{"with secret", flows.WebServer, "Web App", false, false, true, []string{"state", "signature", "id_token_signature", "id_token_claims"}},
		{"with PKCE, public client", flows.WebServerPKCE, "ECA PKCE", false, true, true, []string{"state", "pkce", "id_token_signature", "id_token_claims"}},
		{"with secret and PKCE", flows.WebServer, "Web App", true, false, true, []string{"state", "pkce", "signature", "id_token_signature"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			noLeaks(t)
			req := e.request(t, c.flow, c.app, "api", "refresh_token", "openid")
			req.Options.UsePKCE = c.pkce
			if c.noSec {
				req.ClientSecret = ""
			}
			res := run(t, req)
			if res.Token.AccessToken == "" || res.Token.InstanceURL != e.MyDomainURL {
				t.Errorf("token: %+v", res.Token)
			}
			if res.RefreshTokenIssued != c.refresh {
				t.Errorf("refresh token issued = %v, want %v", res.RefreshTokenIssued, c.refresh)
			}
			wantChecks(t, res, c.checks...)
			steps := []string{}
			for _, ex := range res.Transcript.Exchanges() {
				steps = append(steps, ex.Step)
			}
			if got := strings.Join(steps, ","); !strings.HasPrefix(got, "authorize,callback,token") {
				t.Errorf("transcript steps %s", got)
			}
		})
	}
}

func TestPKCERequiredIsShownAsAnAuthorizeError(t *testing.T) {
	e := startEmu(t, false, nil)
	req := e.request(t, flows.WebServer, "ECA PKCE", "api")
	_, err := flows.Run(context.Background(), req, nil)
	var oe *flows.OAuthError
	if !errors.As(err, &oe) || oe.Where != "authorize" || oe.Code != "invalid_request" {
		t.Fatalf("want invalid_request from the authorize callback, got %v", err)
	}
	if !strings.Contains(flows.Advice(err), "web-server-pkce") {
		t.Errorf("advice %q", flows.Advice(err))
	}
}

func TestRefreshTokenAbsentBecauseOfScope(t *testing.T) {
	e := startEmu(t, false, nil)
	// The Mobile App has no refresh_token scope; asking only for what it has gives no refresh token.
	res := run(t, e.request(t, flows.WebServerPKCE, "Mobile App", "api", "openid"))
	if res.RefreshTokenIssued || res.Token.RefreshToken != "" {
		t.Errorf("refresh token issued without the refresh_token scope")
	}
	// The Web App has the scope, but it was not requested.
	res = run(t, e.request(t, flows.WebServer, "Web App", "api", "id"))
	if res.RefreshTokenIssued {
		t.Errorf("refresh token issued without requesting refresh_token")
	}
	if len(res.GrantedScopes) == 0 {
		t.Errorf("no granted scopes")
	}
}

func TestRefreshTokenAbsentBecauseOfFlow(t *testing.T) {
	e := startEmu(t, false, nil)
	for _, c := range []struct {
		flow flows.Flow
		app  string
	}{{flows.UsernamePassword, "Web App"}, {flows.ClientCredentials, "Integration App"}, {flows.JWTBearer, "Integration App"}} {
		req := e.request(t, c.flow, c.app, "api", "refresh_token")
		req.MyDomainURL = e.MyDomainURL
		req.JWTPrivateKeyPEM = []byte(e.App(t, c.app).JWTPrivateKey)
		if c.flow != flows.UsernamePassword {
			req.Scopes = nil
		}
		res := run(t, req)
		if res.RefreshTokenIssued {
			t.Errorf("%s: refresh token issued", c.flow)
		}
	}
}

func TestUsernamePasswordAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, nil)
	var steps []string
	req := e.request(t, flows.UsernamePassword, "Web App")
	res, err := flows.Run(context.Background(), req, func(p flows.Progress) { steps = append(steps, p.Step+": "+p.Message) })
	if err != nil {
		t.Fatal(err)
	}
	wantChecks(t, res, "signature")
	if res.Token.IssuedAt == "" || res.Token.Raw()["issued_at"] == nil || len(res.Token.Raw()) < 5 {
		t.Errorf("raw response not kept: %+v", res.Token.Raw())
	}
	for _, s := range steps {
		if strings.Contains(s, req.Password) || strings.Contains(s, req.ClientSecret) {
			t.Errorf("secret in progress: %s", s)
		}
	}
	tr := res.Transcript.Exchanges()[0]
	if !strings.Contains(tr.Curl, "$SF_CLIENT_SECRET") || !strings.Contains(tr.Curl, "${SF_PASSWORD}${SF_SECURITY_TOKEN}") ||
		strings.Contains(tr.Curl, req.Password) || !strings.Contains(tr.ResponseBody, "…") {
		t.Errorf("curl or body not redacted as expected:\n%s\n%s", tr.Curl, tr.ResponseBody)
	}
	// wrong password
	req.Password = "wrong-password"
	_, err = flows.Run(context.Background(), req, nil)
	if !strings.Contains(err.Error(), "authentication failure") || !strings.Contains(flows.Advice(err), "security token") {
		t.Errorf("wrong password: %v / %s", err, flows.Advice(err))
	}
}

func TestRefreshKeepsOrRotates(t *testing.T) {
	e := startEmu(t, false, nil)
	// Web App: no rotation, the old refresh token is kept.
	first := run(t, e.request(t, flows.WebServer, "Web App", "api", "refresh_token"))
	req := e.request(t, flows.Refresh, "Web App")
	req.RefreshToken = first.Token.RefreshToken
	res := run(t, req)
	if res.RefreshTokenIssued || res.RefreshTokenRotated || res.RefreshToken != first.Token.RefreshToken {
		t.Errorf("no rotation: issued=%v rotated=%v kept=%v", res.RefreshTokenIssued, res.RefreshTokenRotated, res.RefreshToken == first.Token.RefreshToken)
	}
	assertNoSecrets(t, res, first.Token.RefreshToken)

	// ECA PKCE: rotation on; the old one dies.
	req = e.request(t, flows.WebServerPKCE, "ECA PKCE", "api", "refresh_token")
	req.ClientSecret = ""
	first = run(t, req)
	req = e.request(t, flows.Refresh, "ECA PKCE")
	req.ClientSecret = ""
	req.RefreshToken = first.Token.RefreshToken
	res = run(t, req)
	if !res.RefreshTokenRotated || res.RefreshToken == first.Token.RefreshToken || res.RefreshToken == "" {
		t.Errorf("rotation not noticed: %+v", res)
	}
	_, err := flows.Run(context.Background(), req, nil) // replay the old one
	var oe *flows.OAuthError
	if !errors.As(err, &oe) || oe.Code != "invalid_grant" {
		t.Errorf("replaying a rotated refresh token: %v", err)
	}
}

func TestExpiredSessionAfterClockMoves(t *testing.T) {
	e := startEmu(t, true, nil)
	req := e.request(t, flows.WebServer, "Web App", "api", "refresh_token")
	res := run(t, req)
	tok := res.Token
	if r, err := flows.REST(context.Background(), req, tok.InstanceURL, tok.AccessToken, ""); err != nil || r.Status != 200 {
		t.Fatalf("REST before: %v", err)
	}
	// move the clock through the control endpoint, past the 120-minute idle timeout
	resp, err := http.Post(e.LoginURL+"/_sfemu/clock/advance?by=3h", "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("advance: %v %v", err, resp)
	}
	resp.Body.Close()
	r, err := flows.REST(context.Background(), req, tok.InstanceURL, tok.AccessToken, "")
	if !flows.IsInvalidSession(err) || r.Status != 401 {
		t.Fatalf("want INVALID_SESSION_ID after the clock moved, got %v", err)
	}
	if !strings.Contains(flows.Advice(err), "refresh") {
		t.Errorf("advice %q", flows.Advice(err))
	}
	in, _, err := flows.Introspect(context.Background(), req, tok.AccessToken, "access_token")
	if err != nil || in.Active {
		t.Errorf("introspection of an expired token: %v %+v", err, in)
	}
	rreq := e.request(t, flows.Refresh, "Web App")
	rreq.RefreshToken = tok.RefreshToken
	fresh := run(t, rreq)
	if r, err := flows.REST(context.Background(), req, fresh.Token.InstanceURL, fresh.Token.AccessToken, ""); err != nil || r.Status != 200 {
		t.Fatalf("REST after refresh: %v", err)
	}
}

func TestOperationsAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, nil)
	req := e.request(t, flows.WebServer, "Web App", "api", "refresh_token", "openid", "id")
	res := run(t, req)
	tok := res.Token
	ctx := context.Background()
	in, op, err := flows.Introspect(ctx, req, tok.AccessToken, "access_token")
	if err != nil || !in.Active || in.Exp == 0 || in.ClientID != req.ClientID {
		t.Errorf("introspect: %v %+v", err, in)
	}
	if strings.Contains(op.Transcript.Exchanges()[0].RequestBody, tok.AccessToken) {
		t.Error("token not redacted in the introspect transcript")
	}
	if r, err := flows.UserInfo(ctx, req, tok.AccessToken); err != nil || r.Body.(map[string]any)["preferred_username"] != sfemu.DemoUser {
		t.Errorf("userinfo: %v %+v", err, r)
	}
	if r, err := flows.Identity(ctx, req, tok.ID, tok.AccessToken); err != nil || r.Body.(map[string]any)["username"] != sfemu.DemoUser {
		t.Errorf("identity: %v %+v", err, r)
	}
	if _, err := flows.Revoke(ctx, req, tok.RefreshToken); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	_, err = flows.REST(ctx, req, tok.InstanceURL, tok.AccessToken, "")
	if !flows.IsInvalidSession(err) {
		t.Errorf("REST after revoking the refresh token: want INVALID_SESSION_ID, got %v", err)
	}
	rreq := e.request(t, flows.Refresh, "Web App")
	rreq.RefreshToken = tok.RefreshToken
	if _, err := flows.Run(ctx, rreq, nil); err == nil {
		t.Error("refresh with a revoked token worked")
	}
}

func TestUserAgentAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, nil)
	res := run(t, e.request(t, flows.UserAgent, "Web App", "api", "openid"))
	if res.Token.AccessToken == "" || res.Token.InstanceURL == "" {
		t.Fatalf("no token from the fragment: %+v", res.Token)
	}
	wantChecks(t, res, "state", "signature", "id_token_signature", "id_token_claims")
	if res.RefreshTokenIssued {
		t.Error("user-agent flow with a loopback callback issued a refresh token")
	}
}

func TestJWTBearerAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, nil)
	a := e.App(t, "Integration App")
	req := e.request(t, flows.JWTBearer, "Integration App")
	req.ClientSecret = ""
	req.Username = a.JWTUsername
	req.JWTPrivateKeyPEM = []byte(a.JWTPrivateKey)
	res := run(t, req)
	wantChecks(t, res, "jwt_audience")
	if strings.Contains(res.Transcript.Exchanges()[0].RequestBody, "eyJ") {
		t.Errorf("assertion not redacted: %s", res.Transcript.Exchanges()[0].RequestBody)
	}
	// a wrong audience is refused
	req.JWTAudience = "https://elsewhere.example"
	if _, err := flows.Run(context.Background(), req, nil); err == nil || !strings.Contains(flows.Advice(err), "audience") {
		t.Errorf("wrong audience: %v", err)
	}
}

func TestClientCredentialsAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, nil)
	req := e.request(t, flows.ClientCredentials, "Integration App")
	_, err := flows.Run(context.Background(), req, nil) // generic login host
	if err == nil || !strings.Contains(err.Error(), "My Domain") {
		t.Fatalf("client credentials on the login host: want a My Domain error, got %v", err)
	}
	req.MyDomainURL = e.MyDomainURL
	res := run(t, req)
	if res.Token.APIInstanceURL == "" && res.Token.Raw()["api_instance_url"] == nil {
		t.Logf("no api_instance_url (optional)")
	}
	wantChecks(t, res, "signature")
}

func TestDeviceFlowAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, func(o *sfemu.Org) { o.Behaviour.DeviceIntervalSeconds = 1 })
	req := e.request(t, flows.Device, "Device App", "api", "refresh_token", "openid")
	u := e.User(t, sfemu.DemoUser)
	var wg sync.WaitGroup
	var browseErr error
	var sawCode, sawPoll bool
	res, err := flows.Run(context.Background(), req, func(p flows.Progress) {
		switch p.Step {
		case "user-code":
			sawCode = p.UserCode != "" && p.VerificationURL != ""
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(1200 * time.Millisecond) // let one poll be pending
				browseErr = sfemutest.Browser(u.Username, u.Password, p.UserCode)(context.Background(), p.VerificationURL)
			}()
		case "polling":
			sawPoll = true
		}
	})
	wg.Wait()
	if browseErr != nil {
		t.Fatal(browseErr)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !sawCode || !sawPoll || !res.RefreshTokenIssued {
		t.Errorf("code %v poll %v refresh %v", sawCode, sawPoll, res.RefreshTokenIssued)
	}
	wantChecks(t, res, "id_token_signature")
}

func TestDeviceFlowCancel(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, func(o *sfemu.Org) { o.Behaviour.DeviceIntervalSeconds = 1 })
	req := e.request(t, flows.Device, "Device App", "api")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := flows.Run(ctx, req, func(p flows.Progress) {
		if p.Step == "polling" {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want Canceled, got %v", err)
	}
}

func TestTokenExchangeAndSAMLBearerAgainstEmulator(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].Name == "Web App" {
				o.Apps[i].TokenExchangeEnabled = true
			}
		}
	})
	first := run(t, e.request(t, flows.WebServer, "Web App", "api", "refresh_token"))
	req := e.request(t, flows.TokenExchange, "Web App", "api")
	req.SubjectToken = first.Token.AccessToken
	res := run(t, req)
	if res.Token.AccessToken == "" || res.Token.AccessToken == first.Token.AccessToken {
		t.Errorf("token exchange: %+v", res.Token)
	}
	assertNoSecrets(t, res, first.Token.AccessToken)

	a := e.App(t, "Integration App")
	assertion := `<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>` + a.ClientID + `</Issuer>` +
		`<Subject><NameID>` + sfemu.DemoUser + `</NameID></Subject><Conditions NotBefore="` + time.Now().Add(-time.Minute).UTC().Format(time.RFC3339) +
		`" NotOnOrAfter="` + time.Now().Add(5*time.Minute).UTC().Format(time.RFC3339) + `"><AudienceRestriction><Audience>` + e.LoginURL +
		`</Audience></AudienceRestriction></Conditions></Assertion>`
	sreq := flows.Request{Flow: flows.SAMLBearer, LoginURL: e.LoginURL, SAMLAssertion: base64.RawURLEncoding.EncodeToString([]byte(assertion))}
	res = run(t, sreq)
	if res.Token.AccessToken == "" || res.RefreshTokenIssued {
		t.Errorf("SAML bearer: %+v", res.Token)
	}
	if strings.Contains(res.Transcript.Exchanges()[0].RequestBody, sreq.SAMLAssertion) {
		t.Error("assertion not redacted")
	}
}
