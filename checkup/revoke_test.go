package checkup

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// revokeCutter passes requests to the org; at the first revoke it ends the revoke's context,
// after the org answered (between revokes) or instead of asking it (mid-request).
type revokeCutter struct {
	base    *http.Transport
	cancel  context.CancelFunc
	mid     bool
	mu      sync.Mutex
	revokes int
}

func (r *revokeCutter) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(req.URL.Path, "/revoke") {
		return r.base.RoundTrip(req)
	}
	r.mu.Lock()
	r.revokes++
	first := r.revokes == 1
	r.mu.Unlock()
	if first && r.mid {
		r.cancel()
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	res, err := r.base.RoundTrip(req)
	if first {
		r.cancel()
	}
	return res, err
}

// When the time for revoking runs out with tokens not yet tried, the row counts them as not
// revoked and says so: never "revoked the 3 tokens", never "1 of 3".
func TestRevokeCountsTheTokensNeverTried(t *testing.T) {
	org := sfemutest.Start(t)
	for _, tc := range []struct {
		mid  bool
		want string
	}{
		{false, "2 of 3 tokens not revoked; 2 never tried: "},
		{true, "3 of 3 tokens not revoked: "},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		rc := &revokeCutter{base: &http.Transport{}, cancel: cancel, mid: tc.mid}
		req := request(t, org, "Web App")
		req.Options.Transport = rc
		c := &checker{in: Input{Request: req}}
		for range 3 {
			c.tokens = append(c.tokens, token{flow: flows.UsernamePassword, access: org.PasswordToken(t, sfemu.DemoWebAppKey, sfemu.DemoUser).AccessToken})
		}
		row := c.revoke(ctx, Row{Step: "revoke"})
		cancel()
		rc.base.CloseIdleConnections()
		if row.Status != Fails || !strings.HasPrefix(row.Detail, tc.want) || row.Fix == "" {
			t.Errorf("mid-request %v: %s %q (fix %q), want fails %q…", tc.mid, row.Status, row.Detail, row.Fix, tc.want)
		}
		if tc.mid && !strings.Contains(row.Detail, "; 2 never tried: ") {
			t.Errorf("mid-request: %q does not say that 2 were never tried", row.Detail)
		}
		if rc.revokes != 1 {
			t.Errorf("mid-request %v: %d revoke requests, want 1", tc.mid, rc.revokes)
		}
	}
}

// A cancel while revoke runs is answered too (Input.CancelRevoking), once, before Run returns.
func TestCancelDuringRevokeIsAnswered(t *testing.T) {
	org := sfemutest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var calls []int
	rep := Run(ctx, Input{Request: request(t, org, "Web App"), Settings: appSettings(t, org, "Web_App"),
		Progress: func(r Row) {
			if r.Step == "revoke" && r.Status == Running {
				cancel()
			}
		},
		CancelRevoking: func(n int) { mu.Lock(); calls = append(calls, n); mu.Unlock() }})
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 1 || calls[0] < 1 {
		t.Errorf("CancelRevoking called with %v, want once with the tokens to revoke", calls)
	}
	if row := rowOf(t, rep, "revoke"); row.Status != Works {
		t.Errorf("revoke %s: %s", row.Status, row.Detail)
	}
}
