package flows_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// noRedirect is an HTTP client that does not follow the listener's 303.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func listen(t *testing.T, o flows.ListenerOptions) *flows.Listener {
	t.Helper()
	if o.CallbackURL == "" {
		o.CallbackURL = "http://127.0.0.1:0/callback"
	}
	if o.State == "" {
		o.State = "st8"
	}
	if o.Grace == 0 {
		o.Grace = 50 * time.Millisecond
	}
	l, err := flows.Listen(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func TestListenerAcceptsOneValidCallback(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{})
	resp, _ := get(t, noRedirect, l.RedirectURI()+"?code=aPrx123%3D%3D&state=st8")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") == "" {
		t.Fatalf("want a 303 to a local page, got %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	cb, err := l.Wait(context.Background())
	if err != nil || cb.Params.Get("code") != "aPrx123==" {
		t.Fatalf("Wait: %v %+v", err, cb)
	}
	u, _ := url.Parse(l.RedirectURI())
	page, body := get(t, http.DefaultClient, "http://"+u.Host+resp.Header.Get("Location"))
	if page.StatusCode != 200 || !strings.Contains(body, "go back to Connected App Lab") {
		t.Errorf("success page: %d %s", page.StatusCode, body)
	}
	again, _ := get(t, noRedirect, l.RedirectURI()+"?code=other&state=st8")
	if again.StatusCode != http.StatusGone {
		t.Errorf("second callback: want 410, got %d", again.StatusCode)
	}
	l.Close()
	if _, err := http.Get(l.RedirectURI()); err == nil {
		t.Error("listener still answers after Close")
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestListenerIgnoresWrongStateAndKeepsWaiting(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{})
	// a forged callback (another page, an old tab) must not end the login ...
	resp, body := get(t, noRedirect, l.RedirectURI()+"?code=abcdef&state=forged")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "still waiting") {
		t.Errorf("forged callback: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, noRedirect, l.RedirectURI()+"?error=access_denied&state=forged2")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("forged error callback: %d", resp.StatusCode)
	}
	// ... the right one still arrives
	resp, _ = get(t, noRedirect, l.RedirectURI()+"?code=right&state=st8")
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right callback: %d", resp.StatusCode)
	}
	cb, err := l.Wait(context.Background())
	if err != nil || cb.Params.Get("code") != "right" {
		t.Fatalf("Wait: %v %+v", err, cb)
	}
	w := l.Warnings()
	if len(w) != 2 || !strings.Contains(w[0], `"forged"`) || !strings.Contains(w[0], "state") {
		t.Fatalf("want two warnings naming the bad state, got %q", w)
	}
	noRedirect.CloseIdleConnections()
}

func TestListenerShowsErrorCallbacks(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{})
	resp, _ := get(t, http.DefaultClient, l.RedirectURI()+"?error=access_denied&error_description=end-user+denied+authorization&state=st8")
	b, _ := io.ReadAll(resp.Body)
	_ = b
	cb, err := l.Wait(context.Background())
	var oe *flows.OAuthError
	if !errors.As(err, &oe) || oe.Code != "access_denied" || oe.Description != "end-user denied authorization" || cb.Error != oe {
		t.Fatalf("want access_denied, got %v", err)
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestListenerIgnoresFaviconAnswersPreflightAndTimesOut(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{Timeout: 300 * time.Millisecond})
	u, _ := url.Parse(l.RedirectURI())
	if resp, _ := get(t, http.DefaultClient, "http://"+u.Host+"/favicon.ico"); resp.StatusCode != 404 {
		t.Errorf("favicon: %d", resp.StatusCode)
	}
	if resp, _ := get(t, http.DefaultClient, l.RedirectURI()+"?foo=bar&state=st8"); resp.StatusCode != 400 {
		t.Errorf("callback without code: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodOptions, l.RedirectURI(), nil)
	req.Header.Set("Access-Control-Request-Private-Network", "true")
	req.Header.Set("Origin", "https://login.salesforce.com")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("Access-Control-Allow-Private-Network") != "" || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("preflight without allowed origins: %d %v", resp.StatusCode, resp.Header)
	}
	_, err = l.Wait(context.Background())
	if !errors.Is(err, flows.ErrListenTimeout) || !strings.Contains(err.Error(), "client identifier invalid") {
		t.Fatalf("want a timeout naming the likely causes, got %v", err)
	}
	http.DefaultClient.CloseIdleConnections()
}

func TestListenerBusyPort(t *testing.T) {
	noLeaks(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	cb := "http://127.0.0.1:" + itoa(port) + "/OauthRedirect"
	_, err = flows.Listen(context.Background(), flows.ListenerOptions{CallbackURL: cb, State: "x"})
	if !errors.Is(err, flows.ErrPortBusy) || !strings.Contains(err.Error(), itoa(port)) || !strings.Contains(err.Error(), "callback URL") {
		t.Fatalf("want a busy-port error naming the port and what to change, got %v", err)
	}
	// the same through a flow
	_, err = flows.Run(context.Background(), flows.Request{Flow: flows.WebServerPKCE, LoginURL: "http://127.0.0.1:1",
		ClientID: "x", CallbackURL: cb, Options: flows.Options{NoBrowser: true}}, nil)
	if !errors.Is(err, flows.ErrPortBusy) {
		t.Fatalf("flow: want ErrPortBusy, got %v", err)
	}
}

func TestListenerFragmentMode(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{Fragment: true})
	_, page := get(t, http.DefaultClient, l.RedirectURI())
	if !strings.Contains(page, "location.hash") {
		t.Fatalf("no fragment page: %s", page)
	}
	resp, err := noRedirect.PostForm(l.RedirectURI(), url.Values{"access_token": {"00Dxx!token"}, "state": {"st8"}, "instance_url": {"https://x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cb, err := l.Wait(context.Background())
	if err != nil || cb.Params.Get("access_token") != "00Dxx!token" {
		t.Fatalf("%v %+v", err, cb)
	}
	http.DefaultClient.CloseIdleConnections()
	noRedirect.CloseIdleConnections()
}

func TestListenerRejectsNonLoopbackAndBadURLs(t *testing.T) {
	for _, u := range []string{"http://example.com:1717/cb", "https://localhost:1717/cb", "http://localhost/cb", "nope", "http://10.0.0.1:1717/x"} {
		if _, err := flows.Listen(context.Background(), flows.ListenerOptions{CallbackURL: u, State: "x"}); err == nil {
			t.Errorf("%s: no error", u)
		}
	}
}

func TestListenerCancel(t *testing.T) {
	noLeaks(t)
	l := listen(t, flows.ListenerOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("want Canceled, got %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
