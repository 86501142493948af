// Package ui is the window of Connected App Lab: profiles on the left, the profile form with
// the flow and scope pickers in the middle, and on the right what came back (lifetimes) beside
// what it means (guidance), with the token fields, ID token claims and transcript below.
//
// ui does no HTTP and no OAuth: everything it runs comes through Backend, a struct of function
// fields that package ui/wire fills. Background work touches widgets only through bridge.go.
package ui

import (
	"context"
	"time"

	"github.com/connectedapplab/connectedapplab/checkup"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/rotationbench"
	"github.com/connectedapplab/connectedapplab/store"
)

// Backend is what the window needs from the rest of the program. Every field is optional: a
// nil field hides or disables what depends on it, so the zero value opens a working window.
type Backend struct {
	// RunFlow runs one flow. It reports steps through progress (from any goroutine) and
	// returns when the flow is done, failed, or ctx is cancelled. It never returns nil.
	RunFlow func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result
	// Refresh runs the refresh token flow for req (req.RefreshToken is set). When nil, the
	// window uses RunFlow with req.Flow = flows.Refresh.
	Refresh func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result
	// Introspect asks the introspection endpoint about token, with req's client credentials.
	Introspect func(ctx context.Context, req flows.Request, token string) (*flows.Introspection, []flows.Exchange, error)
	// Revoke revokes token (an access or a refresh token).
	Revoke func(ctx context.Context, req flows.Request, token string) ([]flows.Exchange, error)
	// CallAPI makes one authenticated REST call with the token (for example the limits or
	// the identity resource). A REST error comes back as a *flows.OAuthError with Where "rest"
	// (INVALID_SESSION_ID for an expired session), together with the exchanges.
	CallAPI func(ctx context.Context, req flows.Request, tok *flows.TokenResponse) ([]flows.Exchange, error)

	// ReadAppSettings reads an app's settings from the org through the Metadata API
	// (connectedapp.Reader) with an admin's access token and the token response's
	// instance_url. Kind "" tries a Connected App, then an External Client App. When nil, the
	// App settings tab has no Read from org button.
	ReadAppSettings func(ctx context.Context, instanceURL, accessToken string, kind connectedapp.Kind, apiName string) (connectedapp.Settings, error)

	// Explain turns a run into lifetimes and advice (guidance.Explain). When nil, the window
	// shows what came back with a note that guidance is not part of this build. The flow
	// picker and the scope checklist read guidance.FlowsAt and guidance.Scopes directly.
	Explain func(guidance.Input) guidance.Report

	// CheckCallback says whether the loopback listener can bind the callback URL's host and
	// port, for example by listening on it for a moment. The form first checks the URL's shape
	// itself (loopback host, http, explicit port); CheckCallback only adds the bind test.
	CheckCallback func(callbackURL string) error

	// StartDemo starts the emulated org and returns its demo profiles. When nil, the window
	// does not offer the demo.
	StartDemo func(ctx context.Context) (*Demo, error)

	// ImportProfiles reads a profiles file (store's JSON form). When nil, the window decodes
	// the file itself (profiles.go, decodeProfiles) and saves each profile through the store.
	ImportProfiles func(data []byte) ([]Profile, error)

	// DiagnoseRefresh says why a refresh failed: it runs in.Admin headless for an admin's
	// token, reads the org's facts (the user's approvals of the app, the user, the app's
	// refresh token policy) and walks the documented causes. When nil, there is no "Why did it
	// stop?" button.
	DiagnoseRefresh func(ctx context.Context, in DiagnoseInput) (*Diagnosis, error)
	// ApprovalBudget says where in.Profile's user stands against the five approvals of the
	// app, before an interactive login; RevokeStale revokes the least recently used approval
	// and returns a sentence saying which.
	ApprovalBudget func(ctx context.Context, in BudgetInput) (*Budget, error)
	RevokeStale    func(ctx context.Context, in BudgetInput) (string, error)
	// ExplainURL explains the real error behind a pasted Salesforce error-page or callback URL.
	ExplainURL func(p Profile, raw string, now time.Time) (string, error)

	// Checkup checks the app of a profile at once (checkup.Run): lint, every flow that needs
	// no browser, then introspect, userinfo, REST and revoke. When nil, there is no Check
	// button (checkview.go).
	Checkup func(ctx context.Context, in checkup.Input) *checkup.Report
	// RotationBench starts an emulated org with a rotating app and runs the rotation bench on
	// it (rotationbench.StartEmulated, then Run). When nil, there is no Rotation bench button
	// (benchview.go).
	RotationBench func(ctx context.Context, cfg BenchConfig) (*rotationbench.Report, error)

	// Now is the clock; tests set it. When nil, time.Now.
	Now func() time.Time
}

// BenchConfig is what the bench view asks for: N refreshes at once, rotation on or off on
// the emulated app, and its reuse grace period.
type BenchConfig struct {
	N            int
	NoRotation   bool
	GraceSeconds int
}

// Demo is a running emulated org and the profiles that use it.
type Demo struct {
	// Store holds the demo profiles and their (demo) secrets, in memory only.
	Store ProfileStore
	// Banner is the sentence the window shows above everything while the demo runs.
	Banner string
	// Notes are the emulator's notes (shown in the demo banner's details).
	Notes []string
	// AdvanceClock moves the emulated org's clock forward, so that a session expires without
	// waiting. Nil when the emulator's clock control is off.
	AdvanceClock func(ctx context.Context, by time.Duration) error
	// Now reads the emulated org's clock, which AdvanceClock moves; it is called from any
	// goroutine. The window puts it (as flows.Options.Now) on every request it sends to the
	// demo org, so that what the client dates itself (a JWT assertion's iat and exp, the ID
	// token checks) follows the org. Nil means this machine's clock plus how far the window
	// moved the org's clock.
	Now func() time.Time
	// Stop shuts the emulator down; the window calls it once, when it closes.
	Stop func()
}

// Profile is one saved profile as the window holds it: store's profile (one org, one app, one
// way to log in; its JSON is store's profiles file, so ui can import that file on its own) and
// what only the window knows of it.
type Profile struct {
	store.Profile
	// AppAPIName is the app's API name (Metadata fullName), which Read from org and the
	// metadata export use; the demo profiles set it. It is not saved.
	AppAPIName string `json:"-"`
}

// Secrets are a profile's secrets (store's: the window leaves KeyPassphrase empty). They
// travel apart from the profile: store keeps them in the OS keychain, the demo in memory.
// RefreshToken is kept only when the profile opts in.
type Secrets = store.Secrets

// ProfileStore keeps profiles and their secrets. Save assigns an ID to a new profile (empty
// ID) and returns the profile as saved.
type ProfileStore interface {
	List() ([]Profile, error)
	Save(p Profile, s Secrets) (Profile, error)
	Delete(id string) error
	Secrets(id string) (Secrets, error)
	// RememberRefreshToken replaces the kept refresh token of profile id with token when the
	// profile opts in (RememberRefreshToken), and reports whether it did. After a rotation the
	// token that was sent no longer works, so an error here must reach the user.
	RememberRefreshToken(id, token string) (bool, error)
}

// sessionMinutesOf is p's app session timeout in minutes; 0 when not known or none.
func sessionMinutesOf(p Profile) int {
	if m := p.App.SessionTimeoutMinutes; m != nil {
		return *m
	}
	return 0
}

func (b *Backend) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}
