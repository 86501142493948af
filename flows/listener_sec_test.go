package flows_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// squat listens on [::1]:0 as another local program would and records every HTTP request it
// gets. It skips the test on a machine without IPv6 loopback (nobody can squat ::1 there).
func squat(t *testing.T) (port string, requests func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback on this machine (%v): the squat cannot happen", err)
	}
	var mu sync.Mutex
	var got []string
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL.String())
		mu.Unlock()
	}), ReadHeaderTimeout: time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	return port, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// A program holding [::1]:PORT must make a localhost listener fail, naming the port and the
// address: never serve 127.0.0.1 alone while ::1 belongs to someone else (issue 14.1).
func TestListenerLocalhostRefusesHalfBound(t *testing.T) {
	noLeaks(t)
	port, requests := squat(t)
	cb := "http://localhost:" + port + "/OauthRedirect"
	l, err := flows.Listen(context.Background(), flows.ListenerOptions{CallbackURL: cb, State: "x"})
	if err == nil {
		l.Close()
		t.Fatal("listened on localhost while [::1]:" + port + " belongs to another program")
	}
	msg := err.Error()
	if !errors.Is(err, flows.ErrPortBusy) || !strings.Contains(msg, port) || !strings.Contains(msg, "::1") || strings.Contains(msg, "\n") {
		t.Fatalf("want one line naming port %s and ::1, got %q", port, msg)
	}
	// nothing of ours stays bound on 127.0.0.1
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+port, time.Second); err == nil {
		c.Close()
		t.Error("127.0.0.1:" + port + " still answers after the failed Listen")
	}
	// Through a browser flow: the run fails before any browser opens, so the squatter never
	// sees the authorize redirect's callback.
	var opened atomic.Bool
	res, err := flows.Run(context.Background(), flows.Request{Flow: flows.WebServerPKCE, LoginURL: "http://127.0.0.1:1",
		ClientID: "x", CallbackURL: cb, Options: flows.Options{OpenBrowser: func(ctx context.Context, u string) error {
			opened.Store(true)
			return nil
		}}}, nil)
	if !errors.Is(err, flows.ErrPortBusy) || opened.Load() || res.Token != nil {
		t.Fatalf("run: want ErrPortBusy and no browser, got %v (browser opened: %v)", err, opened.Load())
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("the squatter received %q", got)
	}
}

// With both addresses free, a localhost listener serves both, on the same port.
func TestListenerLocalhostBindsBoth(t *testing.T) {
	noLeaks(t)
	for _, cbURL := range []string{"http://localhost:0/cb", "http://localhost:" + itoa(freePort(t)) + "/cb"} {
		l := listen(t, flows.ListenerOptions{CallbackURL: cbURL})
		u, _ := url.Parse(l.RedirectURI())
		c4, err := net.DialTimeout("tcp", "127.0.0.1:"+u.Port(), time.Second)
		if err != nil {
			t.Fatalf("%s: 127.0.0.1 not served: %v", cbURL, err)
		}
		c4.Close()
		if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
			ln.Close()
			c6, err := net.DialTimeout("tcp", "[::1]:"+u.Port(), time.Second)
			if err != nil {
				t.Fatalf("%s: ::1 not served: %v", cbURL, err)
			}
			c6.Close()
		}
		l.Close()
	}
}

// DNS rebinding: a request whose Host is not the callback's own host:port gets 421 and does
// not count as a callback.
func TestListenerChecksHost(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{CallbackURL: "http://localhost:0/cb", Timeout: 300 * time.Millisecond})
	u, _ := url.Parse(l.RedirectURI())
	for _, host := range []string{"evil.example:" + u.Port(), "localhost:1", "127.0.0.1:" + u.Port(), "localhost.:" + u.Port()} {
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+u.Port()+"/cb?code=c0de&state=st8", nil)
		req.Host = host
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %q: want 421, got %d", host, resp.StatusCode)
		}
	}
	if _, err := l.Wait(context.Background()); !errors.Is(err, flows.ErrListenTimeout) {
		t.Fatalf("a request for another host was taken as the callback: %v", err)
	}
	// the callback's own Host, in any case, is served
	l2 := listen(t, flows.ListenerOptions{CallbackURL: "http://LocalHost:0/cb"})
	u2, _ := url.Parse(l2.RedirectURI())
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+u2.Port()+"/cb?code=c0de&state=st8", nil)
	req.Host = "localhost:" + u2.Port()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("own host: %d", resp.StatusCode)
	}
	if cb, err := l2.Wait(context.Background()); err != nil || cb.Params.Get("code") != "c0de" {
		t.Fatalf("own host: %v", err)
	}
	noRedirect.CloseIdleConnections()
}

// The Private Network Access preflight is answered for the OAuth server's origins only.
func TestListenerPreflightOnlyForAllowedOrigins(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{AllowedOrigins: []string{"https://login.salesforce.com"}})
	for origin, want := range map[string]int{"https://login.salesforce.com": 204, "https://evil.example": 403,
		"null": 403, "": 403, "https://login.salesforce.com.evil.example": 403} {
		req, _ := http.NewRequest(http.MethodOptions, l.RedirectURI(), nil)
		req.Header.Set("Access-Control-Request-Private-Network", "true")
		req.Header.Set("Access-Control-Request-Method", "GET")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		acao, pna := resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Access-Control-Allow-Private-Network")
		if resp.StatusCode != want {
			t.Errorf("Origin %q: status %d, want %d", origin, resp.StatusCode, want)
		}
		if want == 204 && (acao != origin || pna != "true") {
			t.Errorf("Origin %q: allowed but headers %v", origin, resp.Header)
		}
		if want != 204 && (acao != "" || pna != "") {
			t.Errorf("Origin %q: refused but CORS headers %v", origin, resp.Header)
		}
	}
	http.DefaultClient.CloseIdleConnections()
}

// A page that sends a forged callback during a real login neither ends nor hijacks it: the
// run succeeds and the bad callback is a warning in the result.
func TestRunSurvivesForgedCallback(t *testing.T) {
	noLeaks(t)
	e := startEmu(t, false, nil)
	req := e.request(t, flows.WebServerPKCE, "Web App", "api", "refresh_token")
	real := req.Options.OpenBrowser
	req.Options.OpenBrowser = func(ctx context.Context, au string) error {
		u, _ := url.Parse(au)
		cb := u.Query().Get("redirect_uri")
		resp, err := noRedirect.Get(cb + "?code=attacker-code&state=forged")
		if err != nil {
			return err
		}
		resp.Body.Close()
		return real(ctx, au)
	}
	var steps []string
	res, err := flows.Run(context.Background(), req, func(p flows.Progress) { steps = append(steps, p.Step+": "+p.Message) })
	if err != nil || res.Token == nil {
		t.Fatalf("run: %v", err)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], `"forged"`) {
		t.Fatalf("want the forged callback as a warning, got %q", res.Warnings)
	}
	if !strings.Contains(strings.Join(steps, "\n"), "warning: ignored a callback") {
		t.Errorf("the warning is not in the step log: %q", steps)
	}
	noRedirect.CloseIdleConnections()
}
