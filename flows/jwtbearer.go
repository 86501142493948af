package flows

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var jwtBearerSpec = Spec{
	Flow:  JWTBearer,
	Label: "JWT bearer flow",
	Summary: "A server signs a short JWT naming the user and gets an access token, with no password and no browser. " +
		"To \"refresh\", sign a new JWT.",
	Needs: "Consumer key, a private key whose certificate is uploaded on the app, a pre-authorized user (or one who approved the app before).",
	Fields: []Need{req(FieldLoginURL), opt(FieldMyDomainURL), req(FieldClientID), req(FieldUsername), req(FieldJWTKey),
		opt(FieldJWTAudience)},
	Server:      true,
	Refresh:     RefreshNever,
	Renew:       "sign a new JWT",
	AppSettings: []string{"certificate", "permitted-users", "scopes", "session-timeout"},
	step:        (*session).jwtBearer,
}

// jwtBearer runs the JWT bearer flow (reference §3.5): an RS256 assertion with iss = client
// ID, sub = username, aud = the login host, signed with the key whose certificate is on the
// app. Written by hand: x/oauth2/jwt neither retries audiences nor reports the OAuth error
// in a structured way, and the issue asks for golang-jwt.
func (s *session) jwtBearer(ctx context.Context) (*TokenResponse, error) {
	if len(s.req.JWTPrivateKeyPEM) == 0 {
		return nil, errors.New("the JWT bearer flow needs the private key: set --jwt-key FILE (PEM) matching the certificate on the app")
	}
	if s.req.Username == "" {
		return nil, errors.New("the JWT bearer flow needs --username: the user the token is for (JWT sub)")
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM(s.req.JWTPrivateKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("cannot read the JWT private key (%v): pass an RSA private key in PEM (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)", err)
	}
	auds := JWTAudiences(s.req)
	var lastErr error
	for i, aud := range auds {
		now := s.o.Now()
		claims := jwt.MapClaims{"iss": s.req.ClientID, "sub": s.req.Username, "aud": aud,
			"exp": now.Add(3 * time.Minute).Unix(), "iat": now.Unix(), "jti": randomString(12)}
		assertion, err := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)
		if err != nil {
			return nil, fmt.Errorf("signing the JWT: %w", err)
		}
		s.red.addSecret(assertion)
		s.report("requesting", "requesting a token with a JWT for ", s.req.Username, " (aud ", aud, ")")
		tr, err := s.postToken(ctx, "token", newForm("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
			"assertion", assertion), false)
		if err == nil {
			s.check("jwt_audience", true, "accepted aud "+aud)
			return tr, nil
		}
		lastErr = err
		var oe *OAuthError
		if !errors.As(err, &oe) || oe.Code != "invalid_grant" || i == len(auds)-1 {
			break
		}
		d := strings.ToLower(oe.Description)
		if !strings.Contains(d, "audience") && !strings.Contains(d, "approved") && !strings.Contains(d, "invalid assertion") {
			break
		}
		s.check("jwt_audience", false, "aud "+aud+" refused ("+oe.Error()+"); trying the next audience")
	}
	return nil, lastErr
}

// JWTAudiences lists the aud values the JWT bearer flow tries, in order (reference §3.5 and
// §10: the Salesforce CLI tries several; orgs differ on whether a My Domain aud works).
func JWTAudiences(req Request) []string {
	if req.JWTAudience != "" {
		return []string{req.JWTAudience}
	}
	origin := func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return ""
		}
		return u.Scheme + "://" + u.Host
	}
	const prod, sandbox = "https://login.salesforce.com", "https://test.salesforce.com"
	login := origin(req.LoginURL)
	host := ""
	if u, err := url.Parse(req.LoginURL); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	var out []string
	add := func(a string) {
		if a != "" && !hasScope(out, a) {
			out = append(out, a)
		}
	}
	// An Experience Cloud site logs in under a path (https://acme.my.site.com/partners): its aud
	// is the site's URL including that path (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for
	// Server-to-Server Integration": "If you're implementing this flow for an Experience Cloud
	// site, use the Experience Cloud site URL"; reference §15.5). Salesforce's own login hosts
	// have no path, so a path marks a site.
	if u, err := url.Parse(req.LoginURL); err == nil && u.Host != "" {
		if p := strings.TrimRight(u.EscapedPath(), "/"); p != "" {
			add(u.Scheme + "://" + u.Host + p)
		}
	}
	switch {
	case host == "login.salesforce.com":
		add(prod)
	case host == "test.salesforce.com":
		add(sandbox)
	case strings.Contains(host, ".sandbox.my.salesforce.com") || strings.Contains(host, "--"):
		add(sandbox)
		add(login)
		add(origin(req.MyDomainURL))
	case strings.HasSuffix(host, ".salesforce.com") || strings.HasSuffix(host, ".force.com"):
		add(prod)
		add(login)
		add(origin(req.MyDomainURL))
	default: // an Experience Cloud site, the emulator or another server: its own origin first
		add(login)
		add(origin(req.MyDomainURL))
		add(prod)
		add(sandbox)
	}
	return out
}
