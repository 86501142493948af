package checkup

import (
	"context"
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
