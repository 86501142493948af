package flows

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
)

func TestFormBodyMatchesNetURL(t *testing.T) {
	for _, tc := range []struct{ k, v string }{
		{"grant_type", "password"}, {"password", "p@ss w0rd&x=y+z%"}, {"scope", "api refresh_token"},
		{"redirect_uri", "http://localhost:1717/OauthRedirect?a=b#c"}, {"k", ""}, {"ünï", "çødé 日本"},
		{"ctl", "\x00\x1f\x7f\xff"}, {"-_.~", "!*'();:@&=+$,/?#[]"},
	} {
		f := newForm("a", "1").add(tc.k, tc.v)
		want := "a=1&" + url.QueryEscape(tc.k) + "=" + url.QueryEscape(tc.v)
		if string(f) != want {
			t.Errorf("form %q=%q: got %q, want %q", tc.k, tc.v, f, want)
		}
		got, err := url.ParseQuery(string(f))
		if err != nil || got.Get(tc.k) != tc.v || got.Get("a") != "1" {
			t.Errorf("form %q=%q does not parse back: %v %v", tc.k, tc.v, got, err)
		}
	}
	if got := string(newForm().add("password", "pw", "tok en")); got != "password=pw"+"tok+en" {
		t.Errorf("parts: got %q", got)
	}
}

func FuzzAppendQueryEscape(f *testing.F) {
	for _, s := range []string{"", "a b", "%zz", "日本", "\xff\x00", "a+b=c&d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendQueryEscape(nil, s)), url.QueryEscape(s); got != want {
			t.Fatalf("appendQueryEscape(%q) = %q, url.QueryEscape = %q", s, got, want)
		}
	})
}

type captureTransport struct{ got *http.Request }

func (c *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.got = r
	return nil, errors.New("captured")
}

// The token request reuses the URL parsed by validation; it must be the request that
// parsing the endpoint string gives.
func TestTokenRequestReusesParsedURL(t *testing.T) {
	for _, login := range []string{"https://login.salesforce.com", "https://x.my.salesforce.com/", "http://127.0.0.1:8080",
		"http://[::1]:9/base/", "http://localhost:", "https://h/p%20q", "https://h?x=1", "https://h#f"} {
		ct := &captureTransport{}
		req := Request{Flow: UsernamePassword, LoginURL: login, ClientID: "id", ClientSecret: "secret",
			Username: "u", Password: "p", Options: Options{Transport: ct}}
		var s session
		s.init(&req, nil, &Result{})
		if err := s.validate(&usernamePasswordSpec); err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		if s.rec.tokenURL == nil {
			t.Fatalf("%s: token URL not kept", login)
		}
		s.postToken(context.Background(), "token", newForm("grant_type", "password"), true)
		want, err := http.NewRequest(http.MethodPost, s.ep.Token, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ct.got == nil || ct.got.URL.String() != want.URL.String() || ct.got.Host != want.Host || *ct.got.URL != *want.URL {
			t.Errorf("%s: sent %+v (host %q), want %+v (host %q)", login, ct.got.URL, ct.got.Host, want.URL, want.Host)
		}
	}
}
