// Package sfemutest starts an emulated Salesforce org (package sfemu) for one test, on
// loopback, and stops it when the test ends.
//
// It is for anyone's tests that need a Salesforce OAuth server: this project's packages and
// other people's. The org speaks the authorize, token, revoke, introspect, identity, device,
// REST and Metadata endpoints the way sfemu documents; by default it is sfemu's demo org
// (sfemu.Demo), whose apps and users are listed by the sfemu.Demo* constants.
//
//	org := sfemutest.Start(t)                         // the demo org on the real clock
//	org := sfemutest.Start(t, sfemutest.FakeClock(t0)) // org.FakeClock.Advance moves its time
//	org := sfemutest.Start(t, sfemutest.OrgFile("testdata/org.json"))
//
// org.LoginURL is the login host (login.salesforce.com's stand-in) and org.MyDomainURL the
// org's My Domain host. App and User look up the demo credentials; PasswordToken logs a user
// in with the username-password flow; Browser drives the org's login, approval and device
// pages over HTTP, for flows that need a browser. New starts an org outside a test, and
// MovePort frees an org value from the demo's fixed callback port for code that starts it.
//
// sfemutest imports only sfemu and the standard library.
package sfemutest

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/sfemu"
)

// Org is an emulated org, running for one test (Start) or until Close (New).
type Org struct {
	*sfemu.Emulator
	// FakeClock is the org's clock when the test asked for a fake one (option FakeClock),
	// else nil. (Clock, from the Emulator, is the clock the org runs on either way.)
	FakeClock *sfemu.FakeClock
	// CallbackURL is the loopback callback URL on a free port that FreeCallback added to
	// every app, else "".
	CallbackURL string
	// Desc is the org as Describe gave it at start: URLs, users with their credentials,
	// apps with their client IDs and secrets.
	Desc sfemu.Description
}

// An Option changes the org or how it is started.
type Option func(*config) error

type config struct {
	org      *sfemu.Org
	opts     sfemu.Options
	clock    *sfemu.FakeClock
	callback bool
	tweaks   []func(*sfemu.Org)
}

// WithOrg serves org instead of the demo org. FreeCallback and Tweak change org in place;
// once the org is started, later changes to org do not reach it.
func WithOrg(org *sfemu.Org) Option {
	return func(c *config) error { c.org = org; return nil }
}

// OrgFile serves the org described by a JSON file (the format of `connectedapplab emulate
// --org FILE`, sfemu.LoadOrg).
func OrgFile(path string) Option {
	return func(c *config) error {
		org, err := sfemu.LoadOrg(path)
		if err != nil {
			return err
		}
		c.org = org
		return nil
	}
}

// Tweak changes the org (the demo org unless WithOrg or OrgFile says otherwise) before it
// starts; tweaks run in the order given.
func Tweak(f func(*sfemu.Org)) Option {
	return func(c *config) error {
		if f != nil {
			c.tweaks = append(c.tweaks, f)
		}
		return nil
	}
}

// FakeClock runs the org on a fake clock starting at start; Org.FakeClock moves it.
func FakeClock(start time.Time) Option {
	return func(c *config) error {
		c.clock = sfemu.NewFakeClock(start)
		c.opts.Clock = c.clock
		return nil
	}
}

// Control serves the loopback-only /_sfemu/clock control endpoint (sfemu.Options.EnableControl).
func Control() Option {
	return func(c *config) error { c.opts.EnableControl = true; return nil }
}

// FreeCallback adds a loopback callback URL on a free port, http://127.0.0.1:PORT/callback,
// to every app, so that browser flows do not depend on the demo's port 1717 being free.
// Org.CallbackURL holds it.
func FreeCallback() Option {
	return func(c *config) error { c.callback = true; return nil }
}

// Logf receives the org's one line per request, e.g. Logf(t.Logf).
func Logf(logf func(format string, args ...any)) Option {
	return func(c *config) error { c.opts.Logf = logf; return nil }
}

// Start starts the org on 127.0.0.1 (two free ports: the login host and the My Domain host)
// and closes it when the test and its subtests end. A bad option or org fails the test.
func Start(t testing.TB, opts ...Option) *Org {
	t.Helper()
	o, err := New(opts...)
	if err != nil {
		t.Fatalf("sfemutest: %v", err)
	}
	t.Cleanup(func() { o.Close() })
	return o
}

// New starts the org as Start does, for code that has no test at hand (an example, a
// TestMain, a tool); the caller stops it with Close.
func New(opts ...Option) (*Org, error) {
	c := &config{}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.org == nil {
		c.org = sfemu.Demo()
	}
	cb := ""
	if c.callback {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		cb = fmt.Sprintf("http://127.0.0.1:%d/callback", port)
		for i := range c.org.Apps {
			c.org.Apps[i].CallbackURLs = append(c.org.Apps[i].CallbackURLs, cb)
		}
	}
	for _, f := range c.tweaks {
		f(c.org)
	}
	e, err := sfemu.Start(c.org, "127.0.0.1:0", c.opts)
	if err != nil {
		return nil, fmt.Errorf("start the emulated org: %w", err)
	}
	return &Org{Emulator: e, FakeClock: c.clock, CallbackURL: cb, Desc: e.Describe()}, nil
}

// App returns the app whose name, metadata API name or client ID is key, and fails the
// test when the org has none.
func (o *Org) App(t testing.TB, key string) sfemu.DescribedApp {
	t.Helper()
	for _, a := range o.Desc.Apps {
		if a.Name == key || a.APIName == key || a.ClientID == key {
			return a
		}
	}
	t.Fatalf("sfemutest: no app %q in the org", key)
	return sfemu.DescribedApp{}
}

// LoginUser returns the user a demo profile of app a logs in as: the app's JWT bearer user
// when it has one, else sfemu.DemoUser. It fails the test when the org has no such user.
func (o *Org) LoginUser(t testing.TB, a sfemu.DescribedApp) sfemu.DescribedUser {
	t.Helper()
	if a.JWTUsername != "" {
		return o.User(t, a.JWTUsername)
	}
	return o.User(t, sfemu.DemoUser)
}

// User returns the user with this username, and fails the test when the org has none.
func (o *Org) User(t testing.TB, username string) sfemu.DescribedUser {
	t.Helper()
	for _, u := range o.Desc.Users {
		if u.Username == username {
			return u
		}
	}
	t.Fatalf("sfemutest: no user %q in the org", username)
	return sfemu.DescribedUser{}
}

// MovePort moves every app's callback URLs on port from (the demo org's 1717) to one free
// loopback port, which it returns. It is for a test that hands the org to code that starts it
// (a demo backend); a test that starts the org itself can use FreeCallback instead.
func MovePort(t testing.TB, org *sfemu.Org, from int) int {
	t.Helper()
	port := FreePort(t)
	old, repl := fmt.Sprintf(":%d/", from), fmt.Sprintf(":%d/", port)
	for i := range org.Apps {
		for j, cb := range org.Apps[i].CallbackURLs {
			org.Apps[i].CallbackURLs[j] = strings.Replace(cb, old, repl, 1)
		}
	}
	return port
}

// FreePort returns a loopback TCP port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	port, err := freePort()
	if err != nil {
		t.Fatalf("sfemutest: %v", err)
	}
	return port
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free loopback port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
