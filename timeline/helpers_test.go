package timeline

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"strconv"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

var update = flag.Bool("update", false, "rewrite testdata/ from the current output")

// The fixed clock of every test: the login at 10:00 UTC, the picture drawn at 10:12.
var (
	issued = time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	now    = issued.Add(12 * time.Minute)
)

func fakeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	p, _ := json.Marshal(claims)
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + ".c2ln"
}

// login is a web server login at issued with a refresh token and an ID token valid 2 minutes.
func login(refresh bool) *flows.Result {
	raw := map[string]any{
		"access_token": "00D000000000001!AQ0ExampleAccess",
		"instance_url": "https://acme.my.salesforce.com",
		"id":           "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA",
		"token_type":   "Bearer",
		"issued_at":    strconv.FormatInt(issued.UnixMilli(), 10),
		"scope":        "api openid",
		"id_token":     fakeJWT(map[string]any{"exp": issued.Add(2 * time.Minute).Unix(), "iat": issued.Unix()}),
	}
	if refresh {
		raw["refresh_token"] = "5Aep861ExampleRefresh"
		raw["scope"] = "api openid refresh_token"
	}
	tok := flows.NewTokenResponse(raw)
	return &flows.Result{Flow: flows.WebServer, Token: tok, Started: issued, RefreshTokenIssued: refresh,
		GrantedScopes: []string{"api", "openid", "refresh_token"}}
}

func policy(t *testing.T, s string) guidance.RefreshPolicy {
	t.Helper()
	p, err := guidance.ParseRefreshPolicy(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// model explains the login under s and builds its timeline with the activity and options.
func model(s guidance.Settings, act guidance.Activity, w WhatIf) guidance.Timeline {
	in := guidance.Input{Flow: flows.WebServer, Settings: s, Result: login(true), Now: now}
	return Model(in, guidance.Explain(in), act, w)
}

func at(m ...int) []time.Time {
	var out []time.Time
	for _, n := range m {
		out = append(out, issued.Add(time.Duration(n)*time.Minute))
	}
	return out
}
