// Package rotationbench reproduces "intermittent invalid_grant" with refresh token rotation,
// for people who write clients: N refreshes sent at once with the same refresh token, then a
// replay of the rotated-out token, and what each request got. The report says which request
// won (got a new refresh token), what the others got and why (guidance's error catalogue),
// whether the token family was revoked and when, and what a client must store. Its timeline
// (start, end and outcome of every request) is data, for the window to draw.
//
// It runs against any org through flows (reference §3.4, §15.2); StartEmulated gives an
// emulated org (sfemu) in-process with a rotating app and a starting refresh token. It has no
// Fyne import.
package rotationbench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// Limits and defaults of a bench.
const (
	DefaultN              = 5
	MaxN                  = 50
	DefaultRequestTimeout = 15 * time.Second
	DefaultTimeout        = 2 * time.Minute
)

// Target is the org and app the bench runs against.
type Target struct {
	// Label names the target in the report ("emulated org, app ECA PKCE", "profile P").
	Label string
	// Request has the login URL, client ID, the secret when the app needs one, and
	// RefreshToken, the starting refresh token. Options (timeouts, proxy) apply to every call.
	Request flows.Request
	// Settings is what is known of the app, for the error explanations.
	Settings guidance.Settings
}

// Config tunes a bench; the zero value runs DefaultN refreshes.
type Config struct {
	N              int           // refreshes sent at once with the same token; 0 = DefaultN, 2..MaxN
	RequestTimeout time.Duration // per HTTP request; 0 = DefaultRequestTimeout
	Timeout        time.Duration // the whole bench; 0 = DefaultTimeout
}

// Phase is a part of the bench.
type Phase string

const (
	PhaseRace   Phase = "race"   // N refreshes at once with the starting token
	PhaseCheck  Phase = "check"  // is the winner's access token still live after the race?
	PhaseReplay Phase = "replay" // the starting token, rotated out by the race, sent again
	PhaseFamily Phase = "family" // after the replay: the winner's access and refresh tokens
)

// Outcome is what one request got.
type Outcome string

const (
	OutcomeRotated   Outcome = "rotated"   // refreshed, and a new refresh token came back (a winner)
	OutcomeRefreshed Outcome = "refreshed" // refreshed, no new refresh token (rotation off)
	OutcomeRefused   Outcome = "refused"   // the server answered with an error
	OutcomeLive      Outcome = "live"      // an access token was accepted by the REST API
	OutcomeRevoked   Outcome = "revoked"   // an access token was refused: INVALID_SESSION_ID
	OutcomeFailed    Outcome = "failed"    // no usable answer (network, timeout, unexpected status)
)

// Step is one request of the timeline. Tokens appear only redacted.
type Step struct {
	Phase Phase `json:"phase"`
	// Index numbers the race's requests from 1 (0 outside the race).
	Index int    `json:"index,omitempty"`
	What  string `json:"what"`
	Sent  string `json:"sent,omitempty"` // the token sent, redacted
	// Start and End are offsets from the bench's start (StartedAt, EndedAt the clock times).
	Start     time.Duration `json:"start_ns"`
	End       time.Duration `json:"end_ns"`
	StartedAt time.Time     `json:"started_at"`
	EndedAt   time.Time     `json:"ended_at"`
	Outcome   Outcome       `json:"outcome"`
	// NewRefreshToken is the refresh token that came back, redacted ("" when none).
	NewRefreshToken string `json:"new_refresh_token,omitempty"`
	// Error is the server's error (refused, revoked); Failure says why a request failed.
	Error   *flows.OAuthError `json:"error,omitempty"`
	Failure string            `json:"failure,omitempty"`
	// Explanation is guidance's reading of Error (the error catalogue); the report's JSON
	// lists each distinct one once, under explanations.
	Explanation *guidance.ErrorExplanation `json:"-"`
}

// Duration is how long the request took.
func (s Step) Duration() time.Duration { return s.End - s.Start }

// Secret is a token the report carries for the caller to keep. It prints and marshals
// redacted; Reveal gives the value.
type Secret string

func (s Secret) String() string   { return flows.RedactToken(string(s)) }
func (s Secret) GoString() string { return fmt.Sprintf("%q", s.String()) }
func (s Secret) Reveal() string   { return string(s) }

// MarshalJSON writes the redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", s.String())), nil }

// Tri is yes, no or unknown.
type Tri string

const (
	Yes     Tri = "yes"
	No      Tri = "no"
	Unknown Tri = "unknown"
)

// Report is what a bench found.
type Report struct {
	Target    string        `json:"target"`
	N         int           `json:"n"`
	StartedAt time.Time     `json:"started_at"`
	Duration  time.Duration `json:"duration_ns"`
	// Rotation is whether a refresh returned a new refresh token.
	Rotation bool `json:"rotation"`
	// MaxInFlight is the most race requests that were in flight at one moment (N when they
	// all overlapped), as the client measured it.
	MaxInFlight int `json:"max_in_flight"`
	// Winners are the race's requests that got a new refresh token (Index values).
	Winners []int `json:"winners"`
	// Refused are the race's requests the server refused.
	Refused []int `json:"refused"`
	// ReplayRefused: the replayed starting token was refused.
	ReplayRefused bool `json:"replay_refused"`
	// FamilyRevoked says whether the winner's tokens died, and RevokedBy by which phase
	// (race or replay; "" when not revoked or unknown).
	FamilyRevoked Tri    `json:"family_revoked"`
	RevokedBy     Phase  `json:"revoked_by,omitempty"`
	Steps         []Step `json:"steps"`
	// Findings say what happened, one sentence each; Store says what a client must store and do.
	Findings []string `json:"findings"`
	// Explanations are guidance's explanations of the distinct errors the steps got.
	Explanations []*guidance.ErrorExplanation `json:"explanations"`
	Store        []string                     `json:"store"`
	// Current is the refresh token that still works after the bench ("" when none does): the
	// one a client (or a profile) must keep from now on.
	Current Secret `json:"current_refresh_token,omitempty"`
}

// Run runs the bench: the race, a check of the winner's access token, the replay of the
// starting token, and the family check. It returns an error only when the bench could not
// run (bad input, or every race request failed without an answer); what the server refused is
// in the report.
func Run(ctx context.Context, t Target, cfg Config) (*Report, error) {
	n := cfg.N
	if n == 0 {
		n = DefaultN
	}
	if n < 2 || n > MaxN {
		return nil, fmt.Errorf("the number of concurrent refreshes must be 2 to %d, not %d", MaxN, n)
	}
	if t.Request.RefreshToken == "" {
		return nil, errors.New("no starting refresh token: the bench needs one to refresh with")
	}
	if t.Request.LoginURL == "" || t.Request.ClientID == "" {
		return nil, errors.New("the target needs a login URL and a client ID")
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req := t.Request
	req.Flow = flows.Refresh
	if cfg.RequestTimeout > 0 {
		req.Options.RequestTimeout = cfg.RequestTimeout
	} else if req.Options.RequestTimeout <= 0 {
		req.Options.RequestTimeout = DefaultRequestTimeout
	}
	b := &bench{t: t, req: req, start: time.Now()}
	b.rep = &Report{Target: t.Label, N: n, StartedAt: b.start, FamilyRevoked: Unknown, Winners: []int{}, Refused: []int{}}
	if err := b.race(ctx, n); err != nil {
		return nil, err
	}
	b.afterRace(ctx)
	b.replay(ctx)
	b.family(ctx)
	b.conclude()
	b.rep.Duration = time.Since(b.start)
	return b.rep, nil
}

// bench is one run's state; the raw tokens stay here, never in the report.
type bench struct {
	t     Target
	req   flows.Request
	start time.Time
	rep   *Report

	// The token set the checks use: the first winner's (rotation), else the first success's.
	access, instance, refresh string
	// current is the newest refresh token known to work.
	current string
	// raceLive: the winner's access token after the race (Unknown when not checked).
	raceLive, familyLive Tri
	familyRefresh        Outcome
}

func (b *bench) since(t time.Time) time.Duration { return t.Sub(b.start) }

// refreshStep sends one refresh with token and turns the result into a step.
func (b *bench) refreshStep(ctx context.Context, phase Phase, index int, what, token string) (Step, *flows.Result) {
	req := b.req
	req.RefreshToken = token
	st := time.Now()
	res, _ := flows.Run(ctx, req, nil)
	end := time.Now()
	s := Step{Phase: phase, Index: index, What: what, Sent: flows.RedactToken(token),
		Start: b.since(st), End: b.since(end), StartedAt: st, EndedAt: end}
	switch {
	case res.Err == nil && res.RefreshTokenRotated:
		s.Outcome, s.NewRefreshToken = OutcomeRotated, flows.RedactToken(res.RefreshToken)
	case res.Err == nil:
		s.Outcome = OutcomeRefreshed
	case res.OAuthError != nil:
		s.Outcome, s.Error = OutcomeRefused, res.OAuthError
		s.Explanation = guidance.ExplainError(flows.Refresh, res.OAuthError, b.t.Settings)
	default:
		s.Outcome, s.Failure = OutcomeFailed, res.Err.Error()
	}
	return s, res
}

// accessStep makes one REST call with an access token: live or revoked.
func (b *bench) accessStep(ctx context.Context, phase Phase, what string) Step {
	st := time.Now()
	_, err := flows.REST(ctx, b.req, b.instance, b.access, "")
	end := time.Now()
	s := Step{Phase: phase, What: what, Sent: flows.RedactToken(b.access),
		Start: b.since(st), End: b.since(end), StartedAt: st, EndedAt: end, Outcome: OutcomeLive}
	var oe *flows.OAuthError
	switch {
	case err == nil:
	case flows.IsInvalidSession(err) && errors.As(err, &oe):
		s.Outcome, s.Error = OutcomeRevoked, oe
	default:
		s.Outcome, s.Failure = OutcomeFailed, flows.RedactText(err.Error())
	}
	return s
}

// race sends n refreshes with the starting token at once: every goroutine waits at one gate.
func (b *bench) race(ctx context.Context, n int) error {
	steps := make([]Step, n)
	results := make([]*flows.Result, n)
	gate := make(chan struct{})
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-gate
			steps[i], results[i] = b.refreshStep(ctx, PhaseRace, i+1, "refresh with the starting token", b.req.RefreshToken)
		}()
	}
	ready.Wait()
	close(gate)
	done.Wait()

	failed := 0
	var firstOK *flows.Result
	firstEnd := time.Duration(-1)
	for i, s := range steps {
		switch s.Outcome {
		case OutcomeRotated:
			b.rep.Rotation = true
			b.rep.Winners = append(b.rep.Winners, s.Index)
			// The winner the checks follow: the one that finished first.
			if b.refresh == "" || s.End < firstEnd {
				b.refresh, firstEnd = results[i].RefreshToken, s.End
				b.access, b.instance = results[i].Token.AccessToken, results[i].Token.InstanceURL
			}
		case OutcomeRefreshed:
			if firstOK == nil {
				firstOK = results[i]
			}
		case OutcomeRefused:
			b.rep.Refused = append(b.rep.Refused, s.Index)
		case OutcomeFailed:
			failed++
		}
	}
	b.rep.Steps = append(b.rep.Steps, steps...)
	b.rep.MaxInFlight = maxInFlight(steps)
	if failed == n {
		return fmt.Errorf("every refresh failed without an answer from the server: %s", steps[0].Failure)
	}
	if b.refresh != "" {
		b.current = b.refresh
	} else if firstOK != nil {
		// Rotation off: the starting token stays the one to keep.
		b.access, b.instance = firstOK.Token.AccessToken, firstOK.Token.InstanceURL
		b.current = b.req.RefreshToken
	}
	return nil
}

// afterRace checks, without changing anything, whether the winner's access token survived
// the race (the losers' requests may have counted as replays).
func (b *bench) afterRace(ctx context.Context) {
	b.raceLive = Unknown
	if b.access == "" {
		return
	}
	s := b.accessStep(ctx, PhaseCheck, b.accessLabel())
	b.rep.Steps = append(b.rep.Steps, s)
	b.raceLive = triOf(s.Outcome)
}

// replay sends the starting token again, after the race.
func (b *bench) replay(ctx context.Context) {
	s, res := b.refreshStep(ctx, PhaseReplay, 0, "replay of the starting token", b.req.RefreshToken)
	b.rep.Steps = append(b.rep.Steps, s)
	b.rep.ReplayRefused = s.Outcome == OutcomeRefused
	switch {
	case s.Outcome == OutcomeRotated:
		// Accepted again (a grace period): its new token is now the newest.
		b.rep.Rotation = true
		if b.refresh == "" {
			b.refresh, b.access, b.instance = res.RefreshToken, res.Token.AccessToken, res.Token.InstanceURL
		}
		b.current = res.RefreshToken
	case s.Outcome == OutcomeRefreshed && b.current == "":
		b.current = b.req.RefreshToken
	}
}

// family checks the winner's access token and refresh token after the replay.
func (b *bench) family(ctx context.Context) {
	b.familyLive, b.familyRefresh = Unknown, ""
	if b.access != "" {
		s := b.accessStep(ctx, PhaseFamily, b.accessLabel())
		b.rep.Steps = append(b.rep.Steps, s)
		b.familyLive = triOf(s.Outcome)
	}
	if b.refresh == "" {
		return // rotation off: the replay already showed the starting token still works
	}
	tok := b.refresh
	if b.current != "" {
		tok = b.current
	}
	s, res := b.refreshStep(ctx, PhaseFamily, 0, "refresh with the newest refresh token", tok)
	b.rep.Steps = append(b.rep.Steps, s)
	b.familyRefresh = s.Outcome
	switch s.Outcome {
	case OutcomeRotated:
		b.current = res.RefreshToken
	case OutcomeRefreshed:
		b.current = tok
	case OutcomeRefused:
		b.current = ""
	}
}

func (b *bench) accessLabel() string {
	if b.refresh == "" {
		return "REST call with an access token from the race"
	}
	return "REST call with the winner's access token"
}

// maxInFlight is the most steps whose [Start, End] intervals overlap at one moment.
func maxInFlight(steps []Step) int {
	type edge struct {
		at  time.Duration
		add int
	}
	var edges []edge
	for _, s := range steps {
		edges = append(edges, edge{s.Start, 1}, edge{s.End, -1})
	}
	// At equal times an end comes before a start: touching intervals do not overlap.
	sort.Slice(edges, func(i, j int) bool {
		if edges[i].at != edges[j].at {
			return edges[i].at < edges[j].at
		}
		return edges[i].add < edges[j].add
	})
	most, cur := 0, 0
	for _, e := range edges {
		cur += e.add
		most = max(most, cur)
	}
	return most
}

func triOf(o Outcome) Tri {
	switch o {
	case OutcomeLive:
		return Yes
	case OutcomeRevoked:
		return No
	}
	return Unknown
}

// conclude fills the verdicts, the findings and what a client must store.
func (b *bench) conclude() {
	r := b.rep
	r.Current = Secret(b.current)
	sort.Ints(r.Winners)
	sort.Ints(r.Refused)
	switch {
	case b.raceLive == No:
		r.FamilyRevoked, r.RevokedBy = Yes, PhaseRace
	case b.familyLive == No || b.familyRefresh == OutcomeRefused:
		r.FamilyRevoked, r.RevokedBy = Yes, PhaseReplay
	case b.familyLive == Yes || b.familyRefresh == OutcomeRotated || b.familyRefresh == OutcomeRefreshed:
		r.FamilyRevoked = No
	}
	r.Explanations = []*guidance.ErrorExplanation{}
	seen := map[string]bool{}
	for _, s := range r.Steps {
		if x := s.Explanation; x != nil && !seen[x.Code+"\x00"+x.Description] {
			seen[x.Code+"\x00"+x.Description] = true
			r.Explanations = append(r.Explanations, x)
		}
	}
	r.Findings = findings(r, b)
	r.Store = storeAdvice(r)
}

// RaceSteps returns the race's steps, by Index.
func (r *Report) RaceSteps() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Phase == PhaseRace {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// Step returns the first step of a phase (nil when there is none).
func (r *Report) Step(p Phase) *Step {
	for i := range r.Steps {
		if r.Steps[i].Phase == p {
			return &r.Steps[i]
		}
	}
	return nil
}

// stepErrorJSON is a step's error in the report's JSON, named as the run command's JSON names it.
type stepErrorJSON struct {
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Status      int    `json:"status,omitempty"`
	Where       string `json:"where,omitempty"`
}

// MarshalJSON writes the step with its error in lower-case field names.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	out := struct {
		plain
		Error *stepErrorJSON `json:"error,omitempty"`
	}{plain: plain(s)}
	if e := s.Error; e != nil {
		out.Error = &stepErrorJSON{Code: e.Code, Description: e.Description, Status: e.Status, Where: e.Where}
	}
	return json.Marshal(out)
}
