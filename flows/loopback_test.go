package flows_test

import (
	"context"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Only localhost, 127.0.0.0/8 and ::1 are loopback (issue 14.4): a *.localhost login URL
// must use https (no plain http, no unverified TLS, no proxy bypass), and a *.localhost
// callback is not served.
func TestLoopbackIsOnlyLoopback(t *testing.T) {
	for _, login := range []string{"http://emu.localhost:1", "http://127.example.com:1", "http://localhost.evil.example:1"} {
		_, err := flows.Run(context.Background(), flows.Request{Flow: flows.ClientCredentials, LoginURL: login,
			ClientID: "x", ClientSecret: "y"}, nil)
		if err == nil || !strings.Contains(err.Error(), "uses http://") {
			t.Errorf("login URL %s: want the http:// refusal, got %v", login, err)
		}
	}
	for _, cb := range []string{"http://a.localhost:1717/cb", "http://127.example.com:1717/cb"} {
		if _, err := flows.ParseCallbackURL(cb); err == nil {
			t.Errorf("callback %s accepted as loopback", cb)
		}
	}
}
