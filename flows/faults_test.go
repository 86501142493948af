package flows_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/connectedapplab/connectedapplab/flows"
)

// noLeaks checks, at the end of a test, that no goroutine it started is left behind.
func noLeaks(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		flows.CloseIdleConnections()
		goleak.VerifyNone(t, opt)
	})
}

const (
	testSecret   = "sekrit-consumer-secret-123"
	testPassword = "hunter2-password"
	testSecToken = "SECTOKEN987654"
)

func passwordRequest(loginURL string) flows.Request {
	return flows.Request{Flow: flows.UsernamePassword, LoginURL: loginURL, ClientID: "3MVGclient",
		ClientSecret: testSecret, Username: "user@example.com", Password: testPassword, SecurityToken: testSecToken,
		Options: flows.Options{RequestTimeout: 500 * time.Millisecond}}
}

// assertNoSecrets fails when a secret value appears anywhere in the result's transcript.
func assertNoSecrets(t *testing.T, res *flows.Result, secrets ...string) {
	t.Helper()
	b, err := json.Marshal(res.Transcript.Exchanges())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(secrets, testSecret, testPassword, testSecToken) {
		if s != "" && strings.Contains(string(b), s) {
			t.Errorf("secret %q appears in the transcript: %s", s, b)
		}
	}
}

func TestFaultsGiveClearErrors(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		is      error  // errors.Is target, when not nil
		want    string // substring of the error
	}{
		{"server error 503", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(503)
			w.Write([]byte("<html><body>Down for maintenance</body></html>"))
		}, flows.ErrNotJSON, "503"},
		{"HTML page where JSON was expected", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<!doctype html><html><title>Sign in to the proxy</title></html>"))
		}, flows.ErrNotJSON, "HTML page"},
		{"cut-off JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token": "abc", `))
		}, flows.ErrNotJSON, "cut off after 24 bytes (truncated JSON)"},
		{"invalid JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token": "abc",, }`))
		}, flows.ErrNotJSON, "invalid JSON"},
		{"server slower than the timeout", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body) // the server notices the client leaving only once the body is read
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		}, flows.ErrTimeout, "within 500ms"},
		{"connection reset", func(w http.ResponseWriter, r *http.Request) {
			c, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}, flows.ErrConnection, "closed the connection"},
		{"oversized body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"`))
			w.Write([]byte(strings.Repeat("a", 2<<20)))
			w.Write([]byte(`"}`))
		}, flows.ErrResponseTooLarge, "more than 1048576 bytes"},
		{"200 without access_token", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"instance_url":"https://x"}`))
		}, nil, "no access_token"},
		{"OAuth error", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			w.WriteHeader(400)
			w.Write([]byte(`{"error":"invalid_grant","error_description":"authentication failure"}`))
		}, nil, "invalid_grant: authentication failure"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			noLeaks(t)
			req := passwordRequest(srv.URL)
			if c.name == "oversized body" {
				// reading 1 MiB under -race on a busy machine can take longer than 500 ms
				req.Options.RequestTimeout = 20 * time.Second
			}
			res, err := flows.Run(context.Background(), req, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if res == nil || res.Err != err {
				t.Fatalf("result does not carry the error: %+v", res)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %v is not %v", err, c.is)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if len(res.Transcript.Exchanges()) != 1 {
				t.Errorf("transcript has %d exchanges, want 1", len(res.Transcript.Exchanges()))
			}
			assertNoSecrets(t, res)
			srv.CloseClientConnections()
		})
	}
}

func TestOAuthErrorIsStructured(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		w.Write([]byte(`{"error":"invalid_client_id","error_description":"client identifier invalid"}`))
	}))
	defer srv.Close()
	res, err := flows.Run(context.Background(), passwordRequest(srv.URL), nil)
	var oe *flows.OAuthError
	if !errors.As(err, &oe) || oe.Code != "invalid_client_id" || oe.Status != 400 || res.OAuthError != oe {
		t.Fatalf("want OAuthError invalid_client_id, got %v / %+v", err, res.OAuthError)
	}
	if a := flows.Advice(err); !strings.Contains(a, "--client-id") {
		t.Errorf("advice %q does not say what to change", a)
	}
}

func TestRequestValidation(t *testing.T) {
	cases := []struct {
		name string
		req  flows.Request
		want string
	}{
		{"unknown flow", flows.Request{Flow: "magic", LoginURL: "https://login.salesforce.com", ClientID: "x"}, "unknown flow"},
		{"no login URL", flows.Request{Flow: flows.UsernamePassword, ClientID: "x"}, "no login URL"},
		{"http login URL", flows.Request{Flow: flows.UsernamePassword, LoginURL: "http://login.salesforce.com", ClientID: "x"}, "https://"},
		{"no client ID", flows.Request{Flow: flows.UsernamePassword, LoginURL: "https://login.salesforce.com"}, "--client-id"},
		{"password without secret", flows.Request{Flow: flows.UsernamePassword, LoginURL: "https://login.salesforce.com", ClientID: "x", Username: "u", Password: "p"}, "consumer secret"},
		{"client credentials on login host", flows.Request{Flow: flows.ClientCredentials, LoginURL: "https://login.salesforce.com", ClientID: "x", ClientSecret: "s"}, "My Domain"},
		{"callback not loopback", flows.Request{Flow: flows.WebServerPKCE, LoginURL: "https://login.salesforce.com", ClientID: "x", CallbackURL: "http://example.com:1717/cb"}, "loopback"},
		{"bad proxy", flows.Request{Flow: flows.UsernamePassword, LoginURL: "https://login.salesforce.com", ClientID: "x", Options: flows.Options{ProxyURL: "::nope"}}, "proxy URL"},
		{"bad CA bundle", flows.Request{Flow: flows.UsernamePassword, LoginURL: "https://login.salesforce.com", ClientID: "x", Options: flows.Options{CABundlePEM: []byte("nope")}}, "CA bundle"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := flows.Run(context.Background(), c.req, nil)
			if err == nil || !strings.Contains(err.Error()+flows.Advice(err), c.want) {
				t.Fatalf("error %v, want it to mention %q", err, c.want)
			}
			if len(res.Transcript.Exchanges()) != 0 {
				t.Errorf("something went on the wire: %+v", res.Transcript.Exchanges())
			}
		})
	}
}

func TestCancelStopsARun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	noLeaks(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	req := passwordRequest(srv.URL)
	req.Options.RequestTimeout = 10 * time.Second
	_, err := flows.Run(ctx, req, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}
