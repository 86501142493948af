package flows_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Ory Hydra v2.3.0 (OpenID Certified), built from tools/hydra; HYDRA_BIN names the binary.

type hydraOP struct {
	public, admin, cb string
	ep                flows.Endpoints
}

func startHydra(t *testing.T) *hydraOP {
	t.Helper()
	bin := os.Getenv("HYDRA_BIN")
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("HYDRA_BIN is not set: build it with tools/hydra/build.sh DIR and export HYDRA_BIN=DIR/hydra")
		}
		t.Skip("HYDRA_BIN not set (tools/hydra/build.sh builds it)")
	}
	pub, adm := freePort(t), freePort(t)
	h := &hydraOP{public: fmt.Sprintf("http://127.0.0.1:%d", pub), admin: fmt.Sprintf("http://127.0.0.1:%d", adm),
		cb: fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))}
	loginApp := httptest.NewServer(hydraLoginConsent(h.admin))
	t.Cleanup(loginApp.Close)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hydra.yml")
	os.WriteFile(cfg, []byte(`dsn: memory
serve:
  public: {host: 127.0.0.1}
  admin: {host: 127.0.0.1}
secrets:
  system: [test-only-system-secret-at-least-32-chars]
oauth2:
  pkce: {enforced_for_public_clients: true}
  hashers: {algorithm: bcrypt, bcrypt: {cost: 4}}
log: {level: error, format: text}
`), 0o600)
	cmd := exec.Command(bin, "serve", "all", "--dev", "--sqa-opt-out", "-c", cfg)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SERVE_PUBLIC_PORT=%d", pub), fmt.Sprintf("SERVE_ADMIN_PORT=%d", adm),
		"URLS_SELF_ISSUER="+h.public+"/", "URLS_LOGIN="+loginApp.URL+"/login", "URLS_CONSENT="+loginApp.URL+"/consent")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(h.admin + "/health/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("hydra did not get ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, c := range []map[string]any{
		{"client_id": "native-pkce", "grant_types": []string{"authorization_code", "refresh_token"}, "response_types": []string{"code"},
			"scope": "openid offline_access offline profile email", "redirect_uris": []string{h.cb}, "token_endpoint_auth_method": "none"},
		{"client_id": "machine", "client_secret": "machine-secret", "grant_types": []string{"client_credentials"}, "scope": "api read",
			"token_endpoint_auth_method": "client_secret_post"},
	} {
		b, _ := json.Marshal(c)
		resp, err := http.Post(h.admin+"/admin/clients", "application/json", bytes.NewReader(b))
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("register client: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	ep, _, err := flows.Discover(context.Background(), flows.Request{LoginURL: h.public})
	if err != nil {
		t.Fatal(err)
	}
	h.ep = ep
	http.DefaultClient.CloseIdleConnections()
	return h
}

// hydraLoginConsent accepts every login (as alice) and grants every requested scope.
func hydraLoginConsent(admin string) http.Handler {
	call := func(method, path, param, ch string, body any) (map[string]any, error) {
		u := admin + path + "?" + url.Values{param: {ch}}.Encode()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, u, rd)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		out := map[string]any{}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode >= 300 {
			return nil, fmt.Errorf("%s %s: %d %v", method, path, resp.StatusCode, out)
		}
		return out, nil
	}
	accept := func(w http.ResponseWriter, r *http.Request, kind, param, ch string, body any) {
		out, err := call("PUT", "/admin/oauth2/auth/requests/"+kind+"/accept", param, ch, body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		http.Redirect(w, r, out["redirect_to"].(string), http.StatusFound)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		accept(w, r, "login", "login_challenge", r.FormValue("login_challenge"), map[string]any{"subject": "alice@example.com"})
	})
	mux.HandleFunc("/consent", func(w http.ResponseWriter, r *http.Request) {
		ch := r.FormValue("consent_challenge")
		cr, err := call("GET", "/admin/oauth2/auth/requests/consent", "consent_challenge", ch, nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		accept(w, r, "consent", "consent_challenge", ch, map[string]any{"grant_scope": cr["requested_scope"],
			"grant_access_token_audience": cr["requested_access_token_audience"],
			"session":                     map[string]any{"id_token": map[string]any{"email": cr["subject"]}}})
	})
	return mux
}

// hydraBrowser just follows redirects: the login/consent app accepts everything.
func hydraBrowser(ctx context.Context, u string) error {
	jar, _ := newJar()
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	defer c.CloseIdleConnections()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil
}

func (h *hydraOP) request(flow flows.Flow, client, secret string, scopes ...string) flows.Request {
	return flows.Request{Flow: flow, LoginURL: h.public, ClientID: client, ClientSecret: secret, CallbackURL: h.cb,
		Scopes: scopes, Endpoints: h.ep,
		Options: flows.Options{ListenTimeout: 10 * time.Second, OpenBrowser: hydraBrowser}}
}

func TestHydraFlows(t *testing.T) {
	h := startHydra(t)
	ctx := context.Background()
	t.Run("code with PKCE, refresh with rotation, revocation, userinfo", func(t *testing.T) {
		res := run(t, h.request(flows.WebServerPKCE, "native-pkce", "", "openid", "offline_access", "email"))
		wantChecks(t, res, "state", "pkce", "id_token_signature", "id_token_claims")
		if !res.RefreshTokenIssued {
			t.Fatal("no refresh token")
		}
		req := h.request(flows.Refresh, "native-pkce", "")
		req.RefreshToken = res.Token.RefreshToken
		ref := run(t, req)
		if !ref.RefreshTokenRotated {
			t.Error("hydra rotates refresh tokens; rotation not noticed")
		}
		ui, err := flows.UserInfo(ctx, req, ref.Token.AccessToken)
		if err != nil || ui.Body.(map[string]any)["sub"] != "alice@example.com" {
			t.Errorf("userinfo: %v %+v", err, ui)
		}
		if _, err := flows.Revoke(ctx, req, ref.RefreshToken); err != nil {
			t.Fatalf("revoke: %v", err)
		}
		req.RefreshToken = ref.RefreshToken
		if _, err := flows.Run(ctx, req, nil); err == nil {
			t.Error("refresh after revocation worked")
		}
		// introspection is on hydra's admin port
		ireq := req
		ireq.Endpoints.Introspect = h.admin + "/admin/oauth2/introspect"
		in, _, err := flows.Introspect(ctx, ireq, ref.Token.AccessToken, "")
		if err != nil || in.Active {
			t.Errorf("introspection after revoking the refresh token: %v %+v", err, in)
		}
	})
	t.Run("client credentials", func(t *testing.T) {
		res := run(t, h.request(flows.ClientCredentials, "machine", "machine-secret", "api"))
		if res.Token.AccessToken == "" || res.RefreshTokenIssued {
			t.Errorf("client credentials: %+v", res.Token)
		}
	})
	flows.CloseIdleConnections()
}
