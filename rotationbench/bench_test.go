package rotationbench

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// start starts an emulated org with e; the org stops when the test ends.
func start(t *testing.T, e Emulated) Target {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tg, closeOrg, err := StartEmulated(ctx, e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeOrg)
	return tg
}

func runBench(t *testing.T, tg Target, n int) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := Run(ctx, tg, Config{N: n})
	if err != nil {
		t.Fatal(err)
	}
	checkTimeline(t, r)
	if r.MaxInFlight < 1 || r.MaxInFlight > n {
		t.Errorf("max in flight %d of %d", r.MaxInFlight, n)
	}
	checkRedacted(t, r, tg.Request.RefreshToken)
	return r
}

// checkTimeline: every step ends after it starts, the race's requests all start before any
// later phase, and the phases come in order.
func checkTimeline(t *testing.T, r *Report) {
	t.Helper()
	order := map[Phase]int{PhaseRace: 0, PhaseCheck: 1, PhaseReplay: 2, PhaseFamily: 3}
	last, lastEnd := 0, time.Duration(0)
	for i, s := range r.Steps {
		if s.End < s.Start || s.Start < 0 || !s.EndedAt.After(s.StartedAt) && s.EndedAt != s.StartedAt {
			t.Errorf("step %d (%s): start %v end %v", i, s.What, s.Start, s.End)
		}
		if order[s.Phase] < last {
			t.Errorf("step %d: phase %s after phase %d", i, s.Phase, last)
		}
		if order[s.Phase] > 0 && s.Start < lastEnd {
			t.Errorf("step %d (%s) started at %v, before the one before it ended (%v)", i, s.What, s.Start, lastEnd)
		}
		last = order[s.Phase]
		if s.End > lastEnd {
			lastEnd = s.End
		}
	}
	if r.Duration < lastEnd {
		t.Errorf("report duration %v shorter than its timeline %v", r.Duration, lastEnd)
	}
}

// checkRedacted: no token reaches the report's JSON or its printed forms.
func checkRedacted(t *testing.T, r *Report, secrets ...string) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, r.Current.Reveal())
	for _, out := range []string{string(b), fmt.Sprintf("%v", r), fmt.Sprintf("%+v", *r), fmt.Sprintf("%#v", r.Current)} {
		for _, s := range secrets {
			if s != "" && strings.Contains(out, s) {
				t.Fatalf("a token is in the output unredacted: %.80s…", s)
			}
		}
		if strings.Contains(out, "00D") && strings.Contains(out, "!") && !strings.Contains(out, "…") {
			t.Errorf("an access token may be in the output: %s", out)
		}
	}
}

func phaseSteps(r *Report, p Phase) []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Phase == p {
			out = append(out, s)
		}
	}
	return out
}

func wantRefused(t *testing.T, s Step) {
	t.Helper()
	if s.Outcome != OutcomeRefused || s.Error == nil || s.Error.Code != "invalid_grant" ||
		s.Error.Description != "expired access/refresh token" || s.Error.Status != 400 {
		t.Fatalf("%s: want 400 invalid_grant \"expired access/refresh token\", got %s %+v %s", s.What, s.Outcome, s.Error, s.Failure)
	}
	if s.Explanation == nil || s.Explanation.Rule != "refresh-token-expired" || s.Explanation.Meaning == "" {
		t.Fatalf("%s: no explanation from the error catalogue: %+v", s.What, s.Explanation)
	}
}

// The outcomes do not depend on how the requests interleave (the org handles one at a time:
// whichever comes first wins, and every later one is a reuse), so these tests are not flaky
// when the machine is busy and the requests happen to arrive one after another.

// With rotation on and no grace (Salesforce's documented behaviour, reference §15.2): one
// request wins; every other request of the race sends a token that is already rotated out,
// which the org takes as reuse: the family dies in the race itself, the winner's new tokens
// with it; the replay and the winner's refresh token are refused.
func TestRotationOn(t *testing.T) {
	tg := start(t, Emulated{})
	const n = 5
	r := runBench(t, tg, n)
	if !r.Rotation || len(r.Winners) != 1 || len(r.Refused) != n-1 {
		t.Fatalf("want one winner and %d refused, got rotation %v winners %v refused %v", n-1, r.Rotation, r.Winners, r.Refused)
	}
	race := phaseSteps(r, PhaseRace)
	if len(race) != n {
		t.Fatalf("%d race steps, want %d", len(race), n)
	}
	for _, s := range race {
		if s.Index == r.Winners[0] {
			if s.Outcome != OutcomeRotated || s.NewRefreshToken == "" || s.NewRefreshToken == s.Sent {
				t.Errorf("winner #%d: %s, new token %q", s.Index, s.Outcome, s.NewRefreshToken)
			}
			continue
		}
		wantRefused(t, s)
	}
	if c := phaseSteps(r, PhaseCheck); len(c) != 1 || c[0].Outcome != OutcomeRevoked || !flows.IsInvalidSession(c[0].Error) {
		t.Errorf("after the race the winner's access token should be revoked: %+v", c)
	}
	wantRefused(t, *r.Step(PhaseReplay))
	if !r.ReplayRefused {
		t.Error("ReplayRefused not set")
	}
	fam := phaseSteps(r, PhaseFamily)
	if len(fam) != 2 || fam[0].Outcome != OutcomeRevoked {
		t.Fatalf("family steps: %+v", fam)
	}
	wantRefused(t, fam[1])
	if r.FamilyRevoked != Yes || r.RevokedBy != PhaseRace || r.Current != "" {
		t.Errorf("family revoked %s by %q, current %q", r.FamilyRevoked, r.RevokedBy, r.Current)
	}
	if len(r.Explanations) != 1 || r.Explanations[0].Rule != "refresh-token-expired" {
		t.Errorf("explanations: %+v", r.Explanations)
	}
	b, _ := json.Marshal(r)
	if want := `"outcome":"refused","error":{"code":"invalid_grant","description":"expired access/refresh token","status":400,"where":"token"}`; !strings.Contains(string(b), want) {
		t.Errorf("JSON: want %s in %s", want, b)
	}
	wantLines(t, r.Findings, fmt.Sprintf("request #%d won", r.Winners[0]), "race itself revoked the token family")
	wantLines(t, r.Store, "in place of the old one", "one refresh in flight", "Never send a refresh token twice")
}

// With rotation off every refresh works and none returns a refresh token; the starting token
// survives, replay included.
func TestRotationOff(t *testing.T) {
	tg := start(t, Emulated{NoRotation: true})
	const n = 6
	r := runBench(t, tg, n)
	if r.Rotation || len(r.Winners) != 0 || len(r.Refused) != 0 {
		t.Fatalf("rotation off: rotation %v winners %v refused %v", r.Rotation, r.Winners, r.Refused)
	}
	for _, s := range phaseSteps(r, PhaseRace) {
		if s.Outcome != OutcomeRefreshed || s.NewRefreshToken != "" || s.Error != nil {
			t.Errorf("#%d: %s %q %+v", s.Index, s.Outcome, s.NewRefreshToken, s.Error)
		}
	}
	if s := r.Step(PhaseReplay); s.Outcome != OutcomeRefreshed || r.ReplayRefused {
		t.Errorf("replay with rotation off: %s", s.Outcome)
	}
	if s := r.Step(PhaseCheck); s == nil || s.Outcome != OutcomeLive {
		t.Errorf("check after the race: %+v", s)
	}
	if r.FamilyRevoked != No || r.RevokedBy != "" || r.Current.Reveal() != tg.Request.RefreshToken {
		t.Errorf("family %s by %q; current is the starting token: %v", r.FamilyRevoked, r.RevokedBy, r.Current.Reveal() == tg.Request.RefreshToken)
	}
	if len(r.Explanations) != 0 {
		t.Errorf("explanations without errors: %+v", r.Explanations)
	}
	wantLines(t, r.Findings, "Rotation is off: 6 of 6 refreshes worked", "Nothing was revoked")
	wantLines(t, r.Store, "Keep the refresh token you have")
}

// With a reuse grace period (an emulator setting: Salesforce documents none), the same token
// works more than once for a while: every request of the race wins and the family survives.
func TestRotationGrace(t *testing.T) {
	tg := start(t, Emulated{GraceSeconds: 60})
	const n = 4
	r := runBench(t, tg, n)
	if !r.Rotation || len(r.Winners) != n || len(r.Refused) != 0 {
		t.Fatalf("grace: winners %v refused %v", r.Winners, r.Refused)
	}
	if s := r.Step(PhaseReplay); s.Outcome != OutcomeRotated {
		t.Errorf("replay within the grace period: %s %+v", s.Outcome, s.Error)
	}
	if r.FamilyRevoked != No || r.Current == "" {
		t.Errorf("family %s, current %q", r.FamilyRevoked, r.Current)
	}
	// The token the report says to keep works.
	again, err := Run(context.Background(), withToken(tg, r.Current.Reveal()), Config{N: 2})
	if err != nil || len(again.Winners) != 2 {
		t.Fatalf("the current token: %v %+v", err, again)
	}
	wantLines(t, r.Findings, "more than once", "survived the replay")
	wantLines(t, r.Store, "Salesforce documents no grace period")
}

func withToken(t Target, tok string) Target {
	t.Request.RefreshToken = tok
	return t
}

func wantLines(t *testing.T, lines []string, wants ...string) {
	t.Helper()
	all := strings.Join(lines, "\n")
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("want a line with %q in:\n%s", w, all)
		}
	}
}

func TestBadInput(t *testing.T) {
	tg := Target{Request: flows.Request{LoginURL: "http://127.0.0.1:1", ClientID: "x", RefreshToken: "5Aep-starting-token-0123456789"}}
	for _, c := range []struct {
		name string
		tg   Target
		n    int
		want string
	}{
		{"one request is no race", tg, 1, "must be 2 to 50, not 1"},
		{"too many", tg, 51, "must be 2 to 50, not 51"},
		{"no token", withToken(tg, ""), 3, "no starting refresh token"},
		{"no client", Target{Request: flows.Request{RefreshToken: "x"}}, 3, "login URL and a client ID"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), c.tg, Config{N: c.n})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// A server that never answers: each request gives up at RequestTimeout, and the bench says
// that nothing answered, without printing the token.
func TestServerHangs(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	tok := "5Aep861hangingtoken0123456789abcdef"
	begin := time.Now()
	_, err := Run(context.Background(), Target{Request: flows.Request{LoginURL: srv.URL, ClientID: "c", RefreshToken: tok}},
		Config{N: 3, RequestTimeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "every refresh failed") || strings.Contains(err.Error(), tok) {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Fatalf("took %v", d)
	}
}

// Nothing listens: the bench fails at once with one line.
func TestNoServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = Run(context.Background(), Target{Request: flows.Request{LoginURL: "http://" + addr, ClientID: "c", RefreshToken: "5Aep861closedport0123456789abcdef"}}, Config{N: 2})
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v", err)
	}
}

// A starting token that is already dead (here: the family revoked by an earlier bench): every
// request is refused, nothing is checked that cannot be, and the advice is to log in again.
func TestDeadStartingToken(t *testing.T) {
	tg := start(t, Emulated{})
	runBench(t, tg, 2)
	r := runBench(t, tg, 3)
	if r.Rotation || len(r.Winners) != 0 || len(r.Refused) != 3 || !r.ReplayRefused {
		t.Fatalf("dead token: rotation %v winners %v refused %v replay refused %v", r.Rotation, r.Winners, r.Refused, r.ReplayRefused)
	}
	if len(r.Steps) != 4 || r.FamilyRevoked != Unknown || r.Current != "" {
		t.Errorf("steps %d, family %s, current %q", len(r.Steps), r.FamilyRevoked, r.Current)
	}
	wantLines(t, r.Findings, "No refresh worked", "3 requests got invalid_grant")
	wantLines(t, r.Store, "does not work: log in again")
}

func TestMaxInFlight(t *testing.T) {
	ms := time.Millisecond
	st := func(a, z time.Duration) Step { return Step{Start: a * ms, End: z * ms} }
	for _, c := range []struct {
		steps []Step
		want  int
	}{
		{nil, 0},
		{[]Step{st(0, 5)}, 1},
		{[]Step{st(0, 5), st(1, 6), st(2, 7)}, 3},
		{[]Step{st(0, 1), st(1, 2), st(2, 3)}, 1}, // touching, not overlapping
		{[]Step{st(0, 10), st(1, 2), st(3, 4), st(3, 5)}, 3},
	} {
		if got := maxInFlight(c.steps); got != c.want {
			t.Errorf("%v: got %d, want %d", c.steps, got, c.want)
		}
	}
}
