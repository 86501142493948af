package flows

import (
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
