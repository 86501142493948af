package flows_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The zitadel/oidc v3 example OP runs in-process: an independent OpenID provider to check the
// standard flows against something other than our own emulator.

var zitadelOnce sync.Mutex // storage.RegisterClients writes a package-level map

type zitadelOP struct {
	issuer, cb string
	ep         flows.Endpoints
}

func startZitadel(t *testing.T) *zitadelOP {
	t.Helper()
	zitadelOnce.Lock()
	t.Cleanup(zitadelOnce.Unlock)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String() + "/"
	cb := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	storage.RegisterClients(storage.NativeClient("native", cb), storage.WebClient("web", "secret", cb))
	router := exampleop.SetupServer(issuer, storage.NewStorage(storage.NewUserStore(issuer)),
		slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv := &http.Server{Handler: router, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	z := &zitadelOP{issuer: issuer, cb: cb}
	ep, _, err := flows.Discover(context.Background(), flows.Request{LoginURL: strings.TrimSuffix(issuer, "/")})
	if err != nil {
		t.Fatal(err)
	}
	z.ep = ep
	return z
}

var zitadelID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// zitadelBrowser logs in on the example OP's stock form (no consent screen).
func zitadelBrowser(user, pass string) func(context.Context, string) error {
	return func(ctx context.Context, u string) error {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		defer c.CloseIdleConnections()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := zitadelID.FindStringSubmatch(string(b))
		if m == nil {
			return fmt.Errorf("no login form: %.200s", b)
		}
		login := resp.Request.URL.ResolveReference(&url.URL{Path: "/login/username"})
		form := url.Values{"id": {html.UnescapeString(m[1])}, "username": {user}, "password": {pass}}
		req, _ = http.NewRequestWithContext(ctx, http.MethodPost, login.String(), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err = c.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil
	}
}

func (z *zitadelOP) request(flow flows.Flow, client, secret string, scopes ...string) flows.Request {
	host := strings.TrimSuffix(strings.TrimPrefix(z.issuer, "http://"), "/")
	h, _, _ := net.SplitHostPort(host)
	return flows.Request{Flow: flow, LoginURL: strings.TrimSuffix(z.issuer, "/"), ClientID: client, ClientSecret: secret,
		CallbackURL: z.cb, Scopes: scopes, Endpoints: z.ep,
		Options: flows.Options{ListenTimeout: 10 * time.Second, ClientAuthBasic: true,
			OpenBrowser: zitadelBrowser("test-user@"+h, "verysecure")}}
}

func TestZitadelCodePKCERefresh(t *testing.T) {
	noLeaks(t)
	z := startZitadel(t)
	res := run(t, z.request(flows.WebServerPKCE, "native", "", "openid", "profile", "offline_access"))
	wantChecks(t, res, "state", "pkce", "id_token_signature", "id_token_claims")
	if !res.RefreshTokenIssued {
		t.Fatal("no refresh token from zitadel with offline_access")
	}
	req := z.request(flows.Refresh, "native", "")
	req.RefreshToken = res.Token.RefreshToken
	ref := run(t, req)
	if ref.Token.AccessToken == "" || !ref.RefreshTokenRotated {
		t.Errorf("zitadel refresh: rotated=%v", ref.RefreshTokenRotated)
	}
}

func TestZitadelClientCredentialsAndTokenExchange(t *testing.T) {
	noLeaks(t)
	z := startZitadel(t)
	cc := z.request(flows.ClientCredentials, "sid1", "verysecret")
	res := run(t, cc)
	if res.Token.AccessToken == "" {
		t.Fatal("no token")
	}
	// token exchange: web client, subject = the admin user's access token
	code := run(t, z.request(flows.WebServer, "web", "secret", "openid", "profile"))
	req := z.request(flows.TokenExchange, "web", "secret", "openid")
	req.SubjectToken = code.Token.AccessToken
	te := run(t, req)
	if te.Token.AccessToken == "" {
		t.Fatal("no exchanged token")
	}
	// introspection, userinfo and revocation on an independent server
	ureq := z.request(flows.WebServer, "web", "secret")
	in, _, err := flows.Introspect(context.Background(), ureq, code.Token.AccessToken, "access_token")
	if err != nil || !in.Active {
		t.Errorf("introspect: %v %+v", err, in)
	}
	if _, err := flows.UserInfo(context.Background(), ureq, code.Token.AccessToken); err != nil {
		t.Errorf("userinfo: %v", err)
	}
	if _, err := flows.Revoke(context.Background(), ureq, code.Token.AccessToken); err != nil {
		t.Errorf("revoke: %v", err)
	}
}
