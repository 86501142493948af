package sfemutest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// TokenRecorder is an http.RoundTripper for the client under test (flows.Options.Transport)
// that keeps every token the org's token endpoint sends back, exactly as sent, and counts the
// requests: for tests that check the tokens a client made were revoked, or never printed.
type TokenRecorder struct {
	base     *http.Transport
	mu       sync.Mutex
	tokens   []string
	kinds    map[string]bool // the token response fields seen: access_token, refresh_token, id_token
	requests int
	onToken  func()
}

// NewTokenRecorder returns a recorder whose connections close when the test ends.
func NewTokenRecorder(t testing.TB) *TokenRecorder {
	r := &TokenRecorder{base: &http.Transport{}, kinds: map[string]bool{}}
	t.Cleanup(r.base.CloseIdleConnections)
	return r
}

// RoundTrip sends req and, for a token endpoint (…/oauth2/token), keeps the access, refresh
// and ID tokens of the response (read up to 1 MiB; the caller gets the body unchanged).
func (r *TokenRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.requests++
	r.mu.Unlock()
	res, err := r.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/oauth2/token") {
		return res, err
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(b))
	var m map[string]any
	if err == nil && json.Unmarshal(b, &m) == nil {
		r.mu.Lock()
		for _, k := range []string{"access_token", "refresh_token", "id_token"} {
			if s, _ := m[k].(string); s != "" {
				r.tokens = append(r.tokens, s)
				r.kinds[k] = true
			}
		}
		on := r.onToken
		r.mu.Unlock()
		if on != nil {
			on()
		}
	}
	return res, nil
}

// OnToken makes f run after each token response is recorded (on the request's goroutine,
// with no lock held); nil stops it.
func (r *TokenRecorder) OnToken(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.onToken = f
}

// Tokens returns the tokens recorded, in the order they came.
func (r *TokenRecorder) Tokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.tokens)
}

// Kinds returns how many of access_token, refresh_token and id_token came at least once.
func (r *TokenRecorder) Kinds() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.kinds)
}

// Requests returns how many requests went through the recorder.
func (r *TokenRecorder) Requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.requests
}
