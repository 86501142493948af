package flows_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

func TestCatalogueIsCompleteAndACopy(t *testing.T) {
	cat := flows.Catalog()
	seen := map[flows.Flow]bool{}
	for _, sp := range cat {
		if sp.Flow == "" || sp.Label == "" || sp.Summary == "" || sp.Needs == "" || len(sp.Fields) == 0 || len(sp.AppSettings) == 0 {
			t.Errorf("%s: incomplete entry %+v", sp.Flow, sp)
		}
		if seen[sp.Flow] {
			t.Errorf("%s is in the catalogue twice", sp.Flow)
		}
		seen[sp.Flow] = true
		if got, ok := flows.Lookup(sp.Flow); !ok || got.Label != sp.Label {
			t.Errorf("Lookup(%s) = %+v, %v", sp.Flow, got, ok)
		}
		if used, required := sp.Uses(flows.FieldLoginURL); !used || !required {
			t.Errorf("%s does not require the login URL", sp.Flow)
		}
		if sp.Browser != sp.DependsOn("callback-url") {
			t.Errorf("%s: browser %v, but depends on the callback URL setting: %v", sp.Flow, sp.Browser, sp.DependsOn("callback-url"))
		}
		if (sp.Renew != "") != (sp.Server && sp.Refresh == flows.RefreshNever) {
			t.Errorf("%s: Renew %q goes with server flows that never refresh", sp.Flow, sp.Renew)
		}
	}
	if len(cat) != 10 {
		t.Errorf("%d flows, want the 10 of the design", len(cat))
	}
	cat[0].Label = "changed"
	cat[0].Fields[0].Required = false
	if sp := flows.Catalog()[0]; sp.Label == "changed" || !sp.Fields[0].Required {
		t.Error("changing Catalog's result changed the catalogue")
	}
	if _, ok := flows.Lookup("magic"); ok {
		t.Error("Lookup found an unknown flow")
	}
}

// countingTransport fails every request and counts them.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, errors.New("no network in this test")
}

// A field the catalogue marks required is one the run refuses to go without: with every
// field set but that one, the run fails before anything is sent.
func TestRequiredFieldsAreRequired(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	full := flows.Request{LoginURL: "https://login.example.com", MyDomainURL: "https://x.my.salesforce.com", ClientID: "cid",
		ClientSecret: "secret", CallbackURL: "http://localhost:1717/OauthRedirect", Scopes: []string{"api"},
		Username: "u@example.com", Password: "pw", SecurityToken: "tok", JWTPrivateKeyPEM: keyPEM, JWTAudience: "https://login.example.com",
		RefreshToken: "rt", SubjectToken: "st", SubjectTokenType: "jwt", SAMLAssertion: "PHNhbWw+"}
	clear := map[flows.Field]func(*flows.Request){
		flows.FieldLoginURL: func(r *flows.Request) { r.LoginURL = "" }, flows.FieldClientID: func(r *flows.Request) { r.ClientID = "" },
		flows.FieldClientSecret: func(r *flows.Request) { r.ClientSecret = "" }, flows.FieldCallbackURL: func(r *flows.Request) { r.CallbackURL = "" },
		flows.FieldUsername: func(r *flows.Request) { r.Username = "" }, flows.FieldPassword: func(r *flows.Request) { r.Password = "" },
		flows.FieldJWTKey: func(r *flows.Request) { r.JWTPrivateKeyPEM = nil }, flows.FieldRefreshToken: func(r *flows.Request) { r.RefreshToken = "" },
		flows.FieldSubjectToken: func(r *flows.Request) { r.SubjectToken = "" }, flows.FieldSAMLAssertion: func(r *flows.Request) { r.SAMLAssertion = "" },
	}
	for _, sp := range flows.Catalog() {
		for _, n := range sp.Fields {
			if !n.Required {
				continue
			}
			c, ok := clear[n.Field]
			if !ok {
				t.Errorf("%s requires %s, which this test cannot clear", sp.Flow, n.Field)
				continue
			}
			ct := &countingTransport{}
			r := full
			r.Options.Transport = ct
			r.Options.NoBrowser = true
			r.Options.ListenTimeout = 100 * time.Millisecond
			c(&r)
			var steps []string
			res, err := sp.Run(context.Background(), r, func(p flows.Progress) { steps = append(steps, p.Step) })
			if err == nil || ct.n.Load() != 0 || res == nil || res.Err == nil || len(steps) != 1 || steps[0] != "failed" {
				t.Errorf("%s without %s: err %v, %d requests sent, steps %v; want an error before anything is done", sp.Flow, n.Field, err, ct.n.Load(), steps)
			}
		}
	}
}
