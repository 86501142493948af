package flows_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
)

// canned answers every request with the same token response, without a network: the
// benchmark below measures the client's own work.
type canned struct{ body []byte }

func (c canned) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body: io.NopCloser(bytes.NewReader(c.body)), ContentLength: int64(len(c.body)), Request: r}, nil
}

// BenchmarkClientWork is a username-password run through flows and a bare http.Client POST
// of the same form, both answered by canned (sfemu's real answer bytes, no network): the
// CPU the client itself spends per token request, for the README beside BenchmarkTokenRequest.
func BenchmarkClientWork(b *testing.B) {
	e := startEmu(b, false, nil)
	req := e.request(b, flows.UsernamePassword, "Web App")
	res, err := flows.Run(context.Background(), req, nil)
	if err != nil {
		b.Fatal(err)
	}
	if res.Token == nil {
		b.Fatal("no token")
	}
	form := url.Values{"grant_type": {"password"}, "client_id": {req.ClientID}, "client_secret": {req.ClientSecret},
		"username": {req.Username}, "password": {req.Password + req.SecurityToken}}
	resp, err := http.Post(e.LoginURL+"/services/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	c := canned{body}
	req.Options.Transport = c
	b.Run("bare", func(b *testing.B) {
		client := &http.Client{Transport: c}
		b.ReportAllocs()
		for b.Loop() {
			resp, err := client.Post(e.LoginURL+"/services/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("flows", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := flows.Run(context.Background(), req, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
