package ui

import (
	"encoding/base64"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The tokens and ID token tabs and the durations the results print.

func TestTokenFieldsMaskedInOrder(t *testing.T) {
	raw := maps.Clone(okResult(flows.Request{}).Token.Raw())
	raw["refresh_token"] = "5Aep861refresh"
	raw["sfdc_community_url"] = "https://x"
	tok := flows.NewTokenResponse(raw)
	var keys []string
	for _, f := range tokenFields(tok) {
		keys = append(keys, f[0])
	}
	if got := strings.Join(keys, " "); got != "access_token refresh_token instance_url id token_type issued_at signature sfdc_community_url" {
		t.Errorf("order = %s", got)
	}
	if m := mask(tok.AccessToken); strings.Contains(m, "FakeAccessToken") || !strings.HasPrefix(m, "00D5g0") {
		t.Errorf("mask = %q", m)
	}
}

func TestIDTokenClaimsDecoded(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"https://login.salesforce.com/id/00D/005","exp":1767348120,"aud":"3MVG"}`))
	claims, err := decodeJWTClaims("eyJhbGciOiJSUzI1NiJ9." + payload + ".sig")
	if err != nil || claims["aud"] != "3MVG" || claims["exp"].(float64) != 1767348120 {
		t.Fatalf("claims %v, err %v", claims, err)
	}
	if _, err := decodeJWTClaims("opaque"); err == nil {
		t.Error("an opaque token decoded as a JWT")
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		2 * time.Hour:                     "2h 00m 00s",
		90*time.Second + time.Millisecond: "1m 30s",
		5 * time.Second:                   "5s",
		50 * time.Hour:                    "2d 2h",
	} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
