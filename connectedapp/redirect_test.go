package connectedapp

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// `app read` never sends the session to a host the user did not name: a 307 (which keeps
// the POST body, and with it the SessionHeader) to another host is not followed (issue 14.6).
func TestReadDoesNotFollowRedirectsWithTheSession(t *testing.T) {
	const token = "00D5g000004bcDE!AQ4AQH0dMHZfz972Szy9xY1xCgkYRrlyGOA2Bp0y7zpB"
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), token) || strings.Contains(r.Header.Get("Authorization"), token) {
			stolen.Add(1)
		}
		w.WriteHeader(500)
	}))
	defer other.Close()
	for _, code := range []int{301, 302, 303, 307, 308} {
		named := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			http.Redirect(w, r, other.URL+"/services/Soap/m/65.0?sid="+token, code)
		}))
		rd := &Reader{InstanceURL: named.URL, AccessToken: token, Timeout: 5 * time.Second}
		_, err := rd.Read(context.Background(), Connected, "My_App")
		named.Close()
		if err == nil || !strings.Contains(err.Error(), "redirected") {
			t.Errorf("%d: want a redirect error, got %v", code, err)
		}
		if err != nil && strings.Contains(err.Error(), token) {
			t.Errorf("%d: the error holds the session: %v", code, err)
		}
	}
	if n := stolen.Load(); n != 0 {
		t.Fatalf("the other host received the session %d times", n)
	}
}
