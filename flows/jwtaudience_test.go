package flows

import (
	"slices"
	"testing"
)

// TestJWTAudiences: the aud values the JWT bearer flow tries, in order. An Experience Cloud
// site's aud is its URL with the path (Salesforce Help, "OAuth 2.0 JWT Bearer Flow for
// Server-to-Server Integration"; reference §15.5); the login hosts keep theirs.
func TestJWTAudiences(t *testing.T) {
	for _, c := range []struct {
		login, myDomain, override string
		first                     string
		want                      []string // must all be present
	}{
		{login: "https://login.salesforce.com", first: "https://login.salesforce.com"},
		{login: "https://test.salesforce.com", first: "https://test.salesforce.com"},
		{login: "https://acme.my.site.com/partners", first: "https://acme.my.site.com/partners",
			want: []string{"https://acme.my.site.com"}},
		{login: "https://acme.my.site.com/partners/", first: "https://acme.my.site.com/partners"},
		{login: "https://acme.force.com/customers", first: "https://acme.force.com/customers",
			want: []string{"https://login.salesforce.com"}},
		{login: "https://acme.my.salesforce.com", myDomain: "https://acme.my.salesforce.com", first: "https://login.salesforce.com",
			want: []string{"https://acme.my.salesforce.com"}},
		{login: "https://acme.my.site.com/partners", override: "https://acme.my.site.com/partners", first: "https://acme.my.site.com/partners"},
	} {
		got := JWTAudiences(Request{LoginURL: c.login, MyDomainURL: c.myDomain, JWTAudience: c.override})
		if len(got) == 0 || got[0] != c.first {
			t.Errorf("%s: audiences %q, want %q first", c.login, got, c.first)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: audiences %q lack %q", c.login, got, w)
			}
		}
	}
}
