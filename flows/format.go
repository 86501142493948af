package flows

import (
	"fmt"
	"log/slog"
	"net/url"
)

// The types below hold secrets. Their String, GoString and LogValue methods print them
// redacted, so that fmt (%v, %+v, %s, %#v) and log/slog never show a secret, even when a
// caller logs a whole request or result by mistake.

// redactSecret is Redacted for a set secret, "" for an unset one.
func redactSecret(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

// redactProxyURL keeps a proxy URL's host but not its password.
func redactProxyURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Redacted
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return RedactText(u.String())
}

// redacted returns a copy of r with every secret replaced.
func (r Request) redacted() Request {
	c := r
	c.ClientSecret = redactSecret(r.ClientSecret)
	c.Password = redactSecret(r.Password)
	c.SecurityToken = redactSecret(r.SecurityToken)
	if len(r.JWTPrivateKeyPEM) > 0 {
		c.JWTPrivateKeyPEM = []byte(Redacted)
	}
	c.RefreshToken = RedactToken(r.RefreshToken)
	c.SubjectToken = RedactToken(r.SubjectToken)
	c.SAMLAssertion = redactSecret(r.SAMLAssertion)
	c.Options = r.Options.redacted()
	return c
}

func (o Options) redacted() Options {
	c := o
	c.ProxyURL = redactProxyURL(o.ProxyURL)
	return c
}

// requestView and optionsView are the types without their methods, for printing.
type (
	requestView Request
	optionsView Options
)

// String prints the request with its secrets redacted.
func (r Request) String() string { return fmt.Sprintf("%+v", requestView(r.redacted())) }

// GoString is %#v, redacted.
func (r Request) GoString() string { return fmt.Sprintf("flows.Request%+v", requestView(r.redacted())) }

// LogValue is the request for log/slog, redacted.
func (r Request) LogValue() slog.Value {
	c := r.redacted()
	return slog.GroupValue(slog.String("flow", string(c.Flow)), slog.String("login_url", c.LoginURL),
		slog.String("client_id", c.ClientID), slog.String("client_secret", c.ClientSecret),
		slog.String("callback_url", c.CallbackURL), slog.Any("scopes", c.Scopes), slog.String("username", c.Username),
		slog.String("password", c.Password), slog.String("security_token", c.SecurityToken),
		slog.String("jwt_private_key", string(c.JWTPrivateKeyPEM)), slog.String("refresh_token", c.RefreshToken),
		slog.String("subject_token", c.SubjectToken), slog.String("saml_assertion", c.SAMLAssertion),
		slog.String("proxy_url", c.Options.ProxyURL))
}

// String prints the options with the proxy password redacted.
func (o Options) String() string { return fmt.Sprintf("%+v", optionsView(o.redacted())) }

// GoString is %#v, redacted.
func (o Options) GoString() string { return fmt.Sprintf("flows.Options%+v", optionsView(o.redacted())) }

// LogValue is the options for log/slog, redacted.
func (o Options) LogValue() slog.Value { return slog.StringValue(o.String()) }

// tokenView is what a TokenResponse prints: the named fields, tokens shortened.
type tokenView struct {
	AccessToken, RefreshToken, InstanceURL, APIInstanceURL, ID, TokenType, IssuedAt, Signature, Scope, IDToken string
	ExpiresIn                                                                                                  *int64
}

func (tr *TokenResponse) view() tokenView {
	if tr == nil {
		return tokenView{}
	}
	return tokenView{AccessToken: RedactToken(tr.AccessToken), RefreshToken: RedactToken(tr.RefreshToken),
		InstanceURL: tr.InstanceURL, APIInstanceURL: tr.APIInstanceURL, ID: tr.ID, TokenType: tr.TokenType,
		IssuedAt: tr.IssuedAt, Signature: tr.Signature, Scope: tr.Scope, IDToken: RedactToken(tr.IDToken), ExpiresIn: tr.ExpiresIn}
}

// String prints the token response with its tokens shortened (RedactToken).
func (tr *TokenResponse) String() string {
	if tr == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", tr.view())
}

// GoString is %#v, redacted.
func (tr *TokenResponse) GoString() string { return "&flows.TokenResponse" + tr.String() }

// LogValue is the token response for log/slog, redacted.
func (tr *TokenResponse) LogValue() slog.Value {
	v := tr.view()
	return slog.GroupValue(slog.String("access_token", v.AccessToken), slog.String("refresh_token", v.RefreshToken),
		slog.String("instance_url", v.InstanceURL), slog.String("id", v.ID), slog.String("scope", v.Scope),
		slog.String("id_token", v.IDToken))
}

// resultView is what a Result prints.
type resultView struct {
	Flow                Flow
	Token               string
	GrantedScopes       []string
	Checks              []Check
	Err                 string
	RefreshToken        string
	RefreshTokenIssued  bool
	RefreshTokenRotated bool
	AuthorizeURL        string
	RedirectURI         string
	Warnings            []string
}

func (r Result) view() resultView {
	v := resultView{Flow: r.Flow, GrantedScopes: r.GrantedScopes, Checks: r.Checks, RefreshToken: RedactToken(r.RefreshToken),
		RefreshTokenIssued: r.RefreshTokenIssued, RefreshTokenRotated: r.RefreshTokenRotated,
		AuthorizeURL: RedactText(r.AuthorizeURL), RedirectURI: r.RedirectURI, Warnings: r.Warnings}
	if r.Token != nil {
		v.Token = r.Token.String()
	}
	if r.Err != nil {
		v.Err = RedactText(r.Err.Error())
	}
	return v
}

// String prints the result with its tokens shortened.
func (r Result) String() string { return fmt.Sprintf("%+v", r.view()) }

// GoString is %#v, redacted.
func (r Result) GoString() string { return "flows.Result" + r.String() }

// LogValue is the result for log/slog, redacted.
func (r Result) LogValue() slog.Value { return slog.StringValue(r.String()) }

// String prints the callback with its code and tokens redacted.
func (c Callback) String() string {
	q := (&redactor{}).values(c.Params).Encode()
	s := fmt.Sprintf("{Params:%s Received:%s", q, c.Received.Format("2006-01-02T15:04:05.000Z07:00"))
	if c.Error != nil {
		s += " Error:" + RedactText(c.Error.Error())
	}
	return s + "}"
}

// GoString is %#v, redacted.
func (c Callback) GoString() string { return "flows.Callback" + c.String() }

// LogValue is the callback for log/slog, redacted.
func (c Callback) LogValue() slog.Value { return slog.StringValue(c.String()) }
