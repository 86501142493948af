package flows_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
)

// No client sends a secret, a token or a session to a host the user did not name: a redirect
// from the named host to another is never followed, whatever its status (issue 14.6).
func TestNoCredentialsFollowRedirects(t *testing.T) {
	noLeaks(t)
	var hits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"stolen-but-valid-looking-token","instance_url":"https://x"}`)
	}))
	defer other.Close()
	for _, code := range []int{301, 302, 303, 307, 308} {
		named := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			http.Redirect(w, r, other.URL+r.URL.Path, code)
		}))
		req := passwordRequest(named.URL)
		if _, err := flows.Run(context.Background(), req, nil); err == nil || !strings.Contains(err.Error(), "redirect") {
			t.Errorf("%d: token request: want an error about the redirect, got %v", code, err)
		}
		for _, f := range []flows.Flow{flows.Refresh, flows.ClientCredentials} {
			r := req
			r.Flow, r.RefreshToken = f, "5Aep861TSESvWeug_refresh"
			if _, err := flows.Run(context.Background(), r, nil); err == nil {
				t.Errorf("%d %s: followed the redirect", code, f)
			}
		}
		const at = "00D5g000004bcDE!AQ4AQH0dMHZfz972Szy9xY1xCgkYRrlyGOA2Bp0y7zpB"
		flows.UserInfo(context.Background(), req, at)
		flows.REST(context.Background(), req, named.URL, at, "/services/data/v62.0/limits")
		flows.Identity(context.Background(), req, named.URL+"/id/00D/005", at)
		flows.Revoke(context.Background(), req, at)
		flows.Introspect(context.Background(), req, at, "access_token")
		named.Close()
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the host nobody named received %d requests", n)
	}
}
