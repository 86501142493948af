package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

var txField = regexp.MustCompile(`name="tx" value="([^"]+)"`)

// browserLogin plays the person at the browser with plain HTTP: it opens the authorize URL,
// posts the emulated org's login form (sfemu/authorize.go) and its approval form when shown,
// and returns the callback URL the org redirected to (not followed: nothing listens there).
func browserLogin(ctx context.Context, d *desc, authURL, callbackPrefix string, u user) (*url.URL, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Timeout: 20 * time.Second, Jar: jar, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), callbackPrefix) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	do := func(method, target string, form url.Values) (*http.Response, string, error) {
		var req *http.Request
		var err error
		if form != nil {
			req, err = http.NewRequestWithContext(ctx, method, target, strings.NewReader(form.Encode()))
			if req != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
		} else {
			req, err = http.NewRequestWithContext(ctx, method, target, nil)
		}
		if err != nil {
			return nil, "", err
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, "", err
		}
		body, err := readBody(resp)
		return resp, body, err
	}
	resp, body, err := do(http.MethodGet, authURL, nil)
	for step := 0; err == nil && step < 4; step++ {
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && strings.HasPrefix(loc, callbackPrefix) {
			return url.Parse(loc)
		}
		m := txField.FindStringSubmatch(body)
		if m == nil {
			return nil, fmt.Errorf("the org showed neither a login nor an approval form (HTTP %d at %s)", resp.StatusCode, resp.Request.URL.Path)
		}
		if strings.Contains(body, `id="login_form"`) {
			if step > 0 {
				return nil, errors.New("the login form came back: the demo credentials were refused")
			}
			resp, body, err = do(http.MethodPost, d.BaseURL+"/login", url.Values{"tx": {m[1]}, "username": {u.name}, "password": {u.password}})
		} else {
			resp, body, err = do(http.MethodPost, d.BaseURL+"/setup/secur/RemoteAccessAuthorizationPage.apexp", url.Values{"tx": {m[1]}, "action": {"approve"}})
		}
	}
	if err != nil {
		return nil, err
	}
	return nil, errors.New("the login never reached the callback")
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func runOIDC(r *runner) {
	d := r.d
	web := d.app(webApp)
	demo := d.user(demoUser)
	const callback = "http://localhost:1717/OauthRedirect"
	const timeout = 60 * time.Second
	var (
		provider *oidc.Provider
		cfg      oauth2.Config
		tok      *oauth2.Token
		nonce    string
	)
	// Every client call gets a context that carries an HTTP client with a timeout.
	clientCtx := func(ctx context.Context) context.Context {
		return oidc.ClientContext(context.WithValue(ctx, oauth2.HTTPClient, httpClient), httpClient)
	}

	r.run("discovery", timeout, func(ctx context.Context) (string, error) {
		p, err := oidc.NewProvider(clientCtx(ctx), d.BaseURL) // checks the document's issuer too
		if err != nil {
			return "", err
		}
		var claims struct {
			JWKS     string `json:"jwks_uri"`
			UserInfo string `json:"userinfo_endpoint"`
		}
		if err := p.Claims(&claims); err != nil {
			return "", err
		}
		if claims.JWKS == "" || claims.UserInfo == "" {
			return "", fmt.Errorf("discovery has no jwks_uri or userinfo_endpoint")
		}
		provider = p
		cfg = oauth2.Config{ClientID: web.id, ClientSecret: web.secret, Endpoint: p.Endpoint(), RedirectURL: callback,
			Scopes: []string{oidc.ScopeOpenID, "api", "refresh_token", "id"}}
		return "authorize " + p.Endpoint().AuthURL + ", token " + p.Endpoint().TokenURL, nil
	})

	r.run("authorization code with PKCE", timeout, func(ctx context.Context) (string, error) {
		if provider == nil {
			return "", errors.New("needs discovery")
		}
		verifier, state := oauth2.GenerateVerifier(), randomHex(12)
		nonce = randomHex(12)
		authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
		back, err := browserLogin(ctx, d, authURL, callback, demo)
		if err != nil {
			return "", err
		}
		q := back.Query()
		if q.Get("state") != state {
			return "", errors.New("the callback state differs from the one sent")
		}
		if q.Get("code") == "" {
			return "", fmt.Errorf("no code: %s %s", q.Get("error"), q.Get("error_description"))
		}
		t, err := cfg.Exchange(clientCtx(ctx), q.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			return "", err
		}
		if t.RefreshToken == "" {
			return "", errors.New("no refresh token (the app has the refresh_token scope)")
		}
		tok = t
		return "token type " + t.TokenType + ", refresh token received", nil
	})

	r.run("ID token verified against the JWKS", timeout, func(ctx context.Context) (string, error) {
		if tok == nil {
			return "", errors.New("needs the code flow")
		}
		raw, _ := tok.Extra("id_token").(string)
		if raw == "" {
			return "", errors.New("the token response has no id_token (openid was requested)")
		}
		idt, err := provider.Verifier(&oidc.Config{ClientID: web.id}).Verify(clientCtx(ctx), raw)
		if err != nil {
			return "", err
		}
		if idt.Nonce != nonce {
			return "", errors.New("the ID token's nonce differs from the one sent")
		}
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return "", fmt.Errorf("at_hash: %v", err)
		}
		var c struct {
			PreferredUsername string `json:"preferred_username"`
		}
		if err := idt.Claims(&c); err != nil {
			return "", err
		}
		if c.PreferredUsername != demoUser {
			return "", fmt.Errorf("preferred_username %q, want %q", c.PreferredUsername, demoUser)
		}
		return "signature, iss, aud, exp, nonce and at_hash checked", nil
	})

	r.run("userinfo", timeout, func(ctx context.Context) (string, error) {
		if tok == nil {
			return "", errors.New("needs the code flow")
		}
		ui, err := provider.UserInfo(clientCtx(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			return "", err
		}
		var c struct {
			PreferredUsername string `json:"preferred_username"`
		}
		if err := ui.Claims(&c); err != nil {
			return "", err
		}
		if c.PreferredUsername != demoUser || ui.Email == "" {
			return "", fmt.Errorf("userinfo: preferred_username %q, email %q", c.PreferredUsername, ui.Email)
		}
		return "preferred_username and email", nil
	})

	r.run("refresh", timeout, func(ctx context.Context) (string, error) {
		if tok == nil {
			return "", errors.New("needs the code flow")
		}
		// Salesforce sends no expires_in, so x/oauth2 never sees the token expire by itself:
		// a token source holding only the refresh token must refresh.
		t, err := cfg.TokenSource(clientCtx(ctx), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		if err != nil {
			return "", err
		}
		if t.AccessToken == "" || t.AccessToken == tok.AccessToken {
			return "", errors.New("the refresh returned no new access token")
		}
		if _, err := provider.UserInfo(clientCtx(ctx), oauth2.StaticTokenSource(t)); err != nil {
			return "", fmt.Errorf("userinfo with the refreshed token: %v", err)
		}
		return "new access token works with userinfo", nil
	})
}
