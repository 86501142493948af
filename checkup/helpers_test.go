package checkup

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// appSettings reads an app's settings from the org through the Metadata API, as an admin
// does in the window's App settings tab.
func appSettings(t *testing.T, org *sfemutest.Org, apiName string) *connectedapp.Settings {
	t.Helper()
	tok := org.PasswordToken(t, sfemu.DemoWebAppKey, sfemu.DemoAdminUser)
	rd := &connectedapp.Reader{InstanceURL: org.MyDomainURL, AccessToken: tok.AccessToken}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := rd.Read(ctx, "", apiName)
	if err != nil {
		t.Fatalf("read %s: %v", apiName, err)
	}
	return &s
}

// request is a profile for app (its name) as the demo profiles make it: the demo user, the
// app's secret and JWT key, the org's free callback URL.
func request(t *testing.T, org *sfemutest.Org, app string) flows.Request {
	t.Helper()
	a := org.App(t, app)
	u := org.LoginUser(t, a)
	return flows.Request{LoginURL: org.LoginURL, MyDomainURL: org.MyDomainURL, ClientID: a.ClientID,
		ClientSecret: a.ClientSecret, CallbackURL: org.CallbackURL, Username: u.Username, Password: u.Password,
		SecurityToken: u.SecurityToken, JWTPrivateKeyPEM: []byte(a.JWTPrivateKey),
		Options: flows.Options{ListenTimeout: 10 * time.Second, RequestTimeout: 10 * time.Second}}
}

// recorder is a transport that keeps every token the org's token endpoint sends back, as
// the org sent it: the tokens a checkup made, for tests that check they were revoked or
// never printed.
type recorder struct {
	base   *http.Transport
	mu     sync.Mutex
	tokens []string
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{base: &http.Transport{}}
	t.Cleanup(r.base.CloseIdleConnections)
	return r
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := r.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/oauth2/token") {
		return res, err
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return res, nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) == nil {
		r.mu.Lock()
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if s, _ := m[k].(string); s != "" {
				r.tokens = append(r.tokens, s)
			}
		}
		r.mu.Unlock()
	}
	return res, nil
}

func (r *recorder) Tokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.tokens)
}
