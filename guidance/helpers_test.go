package guidance

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// now is the report time of every test: ten seconds after the token was issued.
var (
	issued = time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	now    = issued.Add(10 * time.Second)
)

func boolp(b bool) *bool { return &b }

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./guidance -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run go test ./guidance -update and review the diff.\n--- got ---\n%s", path, got)
	}
}

// fakeJWT builds an unsigned JWT with the given claims (only exp/iat are read here).
func fakeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "210", "typ": "JWT"})
	p, _ := json.Marshal(claims)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + ".c2lnbmF0dXJl"
}

// tokenOpts shapes a token response the way Salesforce sends it for a flow.
type tokenOpts struct {
	scope     string // "" = no scope field
	refresh   bool
	idToken   bool
	noIssued  bool
	jwtAccess bool
}

func tokenFor(f flows.Flow, o tokenOpts) *flows.TokenResponse {
	tok := &flows.TokenResponse{
		AccessToken: "00D7F0000001I8v!ARgAQExampleAccessToken",
		InstanceURL: "https://acme.my.salesforce.com",
		ID:          "https://login.salesforce.com/id/00D7F0000001I8vUAE/0057F000000abcdQAA",
		TokenType:   "Bearer",
	}
	if o.jwtAccess {
		tok.AccessToken = fakeJWT(map[string]any{"exp": issued.Add(30 * time.Minute).Unix(), "iat": issued.Unix()})
	}
	if !o.noIssued && f != flows.JWTBearer {
		tok.IssuedAt = strconv.FormatInt(issued.UnixMilli(), 10)
		tok.Signature = "FzsgawxKkt67WpcfgkWbwYdPWBcko27IS4IAmgrkAB4="
	}
	if o.scope != "" {
		tok.Scope = o.scope
	}
	if o.refresh {
		tok.RefreshToken = "5Aep8613hy0tExampleRefresh"
	}
	if o.idToken {
		tok.IDToken = fakeJWT(map[string]any{"exp": issued.Add(2 * time.Minute).Unix(), "iat": issued.Unix()})
	}
	raw := map[string]any{}
	for k, v := range map[string]string{"access_token": tok.AccessToken, "refresh_token": tok.RefreshToken,
		"instance_url": tok.InstanceURL, "id": tok.ID, "token_type": tok.TokenType, "issued_at": tok.IssuedAt,
		"signature": tok.Signature, "scope": tok.Scope, "id_token": tok.IDToken} {
		if v != "" {
			raw[k] = v
		}
	}
	return flows.NewTokenResponse(raw)
}

func resultFor(f flows.Flow, tok *flows.TokenResponse, requested []string) *flows.Result {
	r := &flows.Result{Flow: f, Token: tok, RequestedScopes: requested, Started: issued}
	if tok != nil && tok.Scope != "" {
		r.GrantedScopes = strings.Fields(tok.Scope)
	}
	return r
}

func failedResult(f flows.Flow, code, desc string) *flows.Result {
	e := &flows.OAuthError{Code: code, Description: desc, Status: 400, Where: "token"}
	return &flows.Result{Flow: f, Err: e, OAuthError: e, Started: issued}
}

// checkWidth fails when a rendered line is wider than the wrap width (long URLs aside).
func checkWidth(t *testing.T, text string) {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if n := len([]rune(l)); n > textWidth && strings.Contains(strings.TrimSpace(l), " ") {
			t.Errorf("line %d is %d columns wide: %q", i+1, n, l)
		}
	}
}

// allFlows is every flow name of the catalogue, in its order.
func allFlows() []flows.Flow {
	var out []flows.Flow
	for _, sp := range flows.Catalog() {
		out = append(out, sp.Flow)
	}
	return out
}
