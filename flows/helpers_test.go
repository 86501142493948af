package flows_test

import (
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// emu is a running emulated demo org for one test, with a loopback callback URL on a free
// port added to every app (CallbackURL), so that tests never fight over port 1717.
type emu struct{ *sfemutest.Org }

// startEmu starts the demo org with its control endpoint; tweak may change the org first.
func startEmu(t testing.TB, fakeClock bool, tweak func(*sfemu.Org)) *emu {
	t.Helper()
	opts := []sfemutest.Option{sfemutest.Control(), sfemutest.FreeCallback(), sfemutest.Tweak(tweak)}
	if fakeClock {
		opts = append(opts, sfemutest.FakeClock(time.Now()))
	}
	return &emu{sfemutest.Start(t, opts...)}
}

// request builds a request for one of the demo apps.
func (e *emu) request(t testing.TB, flow flows.Flow, appName string, scopes ...string) flows.Request {
	a := e.App(t, appName)
	u := e.User(t, sfemu.DemoUser)
	return flows.Request{Flow: flow, LoginURL: e.LoginURL, ClientID: a.ClientID, ClientSecret: a.ClientSecret,
		CallbackURL: e.CallbackURL, Scopes: scopes, Username: u.Username, Password: u.Password, SecurityToken: u.SecurityToken,
		Options: flows.Options{ListenTimeout: 10 * time.Second, OpenBrowser: sfemutest.Browser(u.Username, u.Password)}}
}

func freePort(t testing.TB) int { return sfemutest.FreePort(t) }

func newJar() (http.CookieJar, error) { return cookiejar.New(nil) }
