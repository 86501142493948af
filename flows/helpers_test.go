package flows_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
)

// emu is a running emulated demo org for one test.
type emu struct {
	*sfemu.Emulator
	desc  sfemu.Description
	clock *sfemu.FakeClock
	cb    string // a loopback callback URL on a free port, added to every app
}

// startEmu starts the demo org with a fresh free-port callback URL on every app, so that
// tests never fight over port 1717. tweak may change the org first.
func startEmu(t testing.TB, fakeClock bool, tweak func(*sfemu.Org)) *emu {
	t.Helper()
	org := sfemu.Demo()
	cb := fmt.Sprintf("http://127.0.0.1:%d/callback", freePort(t))
	for i := range org.Apps {
		org.Apps[i].CallbackURLs = append(org.Apps[i].CallbackURLs, cb)
	}
	if tweak != nil {
		tweak(org)
	}
	opts := sfemu.Options{EnableControl: true}
	var clock *sfemu.FakeClock
	if fakeClock {
		clock = sfemu.NewFakeClock(time.Now())
		opts.Clock = clock
	}
	e, err := sfemu.Start(org, "127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return &emu{Emulator: e, desc: e.Describe(), clock: clock, cb: cb}
}

func (e *emu) app(t testing.TB, name string) sfemu.DescribedApp {
	t.Helper()
	for _, a := range e.desc.Apps {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no app %q in the demo org", name)
	return sfemu.DescribedApp{}
}

func (e *emu) user(t testing.TB, name string) sfemu.DescribedUser {
	t.Helper()
	for _, u := range e.desc.Users {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no user %q in the demo org", name)
	return sfemu.DescribedUser{}
}

// request builds a request for one of the demo apps.
func (e *emu) request(t testing.TB, flow flows.Flow, appName string, scopes ...string) flows.Request {
	a := e.app(t, appName)
	u := e.user(t, sfemu.DemoUser)
	return flows.Request{Flow: flow, LoginURL: e.LoginURL, ClientID: a.ClientID, ClientSecret: a.ClientSecret,
		CallbackURL: e.cb, Scopes: scopes, Username: u.Username, Password: u.Password, SecurityToken: u.SecurityToken,
		Options: flows.Options{ListenTimeout: 10 * time.Second, OpenBrowser: scriptedBrowser(u.Username, u.Password)}}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

var (
	formRe   = regexp.MustCompile(`<form[^>]*action="([^"]*)"[^>]*id="([a-z_]+)"`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// scriptedBrowser is an HTTP-only "browser" for the emulator's pages: it logs in, approves,
// and for the user-agent flow does what the listener's page script does (post the fragment).
func scriptedBrowser(username, password string, userCode ...string) func(context.Context, string) error {
	return func(ctx context.Context, u string) error {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		defer c.CloseIdleConnections()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		resp, err := c.Do(req)
		for step := 0; step < 8; step++ {
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			at := resp.Request.URL
			var form url.Values
			action := ""
			if at.Fragment != "" && strings.Contains(body, "location.hash") {
				form, _ = url.ParseQuery(at.EscapedFragment())
				dst := *at
				dst.Fragment = ""
				action = dst.String()
			} else if m := formRe.FindStringSubmatch(body); m != nil {
				form = url.Values{}
				for _, h := range hiddenRe.FindAllStringSubmatch(body, -1) {
					form.Set(h[1], html.UnescapeString(h[2]))
				}
				switch m[2] {
				case "login_form":
					form.Set("username", username)
					form.Set("password", password)
				case "approval_form":
					form.Set("action", "approve")
				case "connect_form":
					form.Set("user_code", strings.Join(userCode, ""))
				default:
					return fmt.Errorf("scripted browser: unknown form %q", m[2])
				}
				ref, _ := url.Parse(html.UnescapeString(m[1]))
				action = at.ResolveReference(ref).String()
			} else {
				return nil // a page without a form: done (or an error page)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, action, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err = c.Do(req)
		}
		return fmt.Errorf("scripted browser: too many pages")
	}
}

func newJar() (http.CookieJar, error) { return cookiejar.New(nil) }
