// Package wire connects the window (package ui) to the rest of the program: the OAuth client
// (flows), guidance, the emulated org (sfemu) and the profile store. It imports no Fyne
// driver, so tests build the window on the real backend with `go test` (no cgo, no X); only
// package main imports fyne.io/fyne/v2/app.
package wire

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/ui"
)

// Options change NewBackend's defaults. The zero value is what the app uses.
type Options struct {
	// OpenBrowser opens a browser flow's authorize URL; nil means the system browser.
	// Tests put headless Chromium here.
	OpenBrowser func(ctx context.Context, authorizeURL string) error
	// DemoOrg is the org the demo emulates; nil means sfemu.Demo(). Tests move its
	// callback URLs to a free port.
	DemoOrg func() *sfemu.Org
}

// NewBackend fills the window's Backend with the real flows, guidance, a bind check of the
// callback URL and the demo org.
func NewBackend(opt Options) ui.Backend {
	run := func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
		if opt.OpenBrowser != nil && req.Options.OpenBrowser == nil {
			req.Options.OpenBrowser = opt.OpenBrowser
		}
		res, _ := flows.Run(ctx, req, progress) // res is never nil; res.Err holds the error
		return res
	}
	org := opt.DemoOrg
	if org == nil {
		org = sfemu.Demo
	}
	return ui.Backend{
		RunFlow: run,
		Introspect: func(ctx context.Context, req flows.Request, token string) (*flows.Introspection, []flows.Exchange, error) {
			in, op, err := flows.Introspect(ctx, req, token, "access_token")
			return in, transcript(op), err
		},
		Revoke: func(ctx context.Context, req flows.Request, token string) ([]flows.Exchange, error) {
			op, err := flows.Revoke(ctx, req, token)
			return transcript(op), err
		},
		CallAPI: func(ctx context.Context, req flows.Request, tok *flows.TokenResponse) ([]flows.Exchange, error) {
			op, err := flows.REST(ctx, req, tok.InstanceURL, tok.AccessToken, flows.DefaultRESTPath)
			return transcript(op), err
		},
		ReadAppSettings: ReadAppSettings,
		Explain:         Explain,
		Flows:           FlowInfos,
		Scopes:          ScopeInfos,
		CheckCallback:   CheckBind,
		StartDemo:       func(ctx context.Context) (*ui.Demo, error) { return StartDemo(ctx, org()) },
		ImportProfiles:  ImportProfiles,
		DiagnoseRefresh: DiagnoseRefresh,
		ApprovalBudget:  ApprovalBudget,
		RevokeStale:     RevokeStale,
		ExplainURL:      ExplainURL,
	}
}

// ReadAppSettings reads an app's settings with the Metadata API's readMetadata call
// (connectedapp.Reader), authenticated by an admin's access token.
func ReadAppSettings(ctx context.Context, instanceURL, accessToken string, kind connectedapp.Kind, apiName string) (connectedapp.Settings, error) {
	r := &connectedapp.Reader{InstanceURL: instanceURL, AccessToken: accessToken}
	return r.Read(ctx, kind, apiName)
}

func transcript(op *flows.OpResult) []flows.Exchange {
	if op == nil {
		return nil
	}
	return op.Transcript.Exchanges()
}

// CheckBind listens on the callback URL's host and port for a moment, as the loopback
// listener will; an error says the port is taken or not allowed.
func CheckBind(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", u.Host)
	if err != nil {
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			return fmt.Errorf("%v (another program uses the port? pick another one on the app and here)", op.Err)
		}
		return err
	}
	return ln.Close()
}

// Explain converts between the window's view types and guidance.
func Explain(in ui.ExplainInput) ui.Report {
	p := in.Profile
	set := profileSettings(p)
	r := guidance.Explain(guidance.Input{Flow: in.Flow, Settings: set, Result: in.Result,
		Introspection: in.Introspection, Now: in.Now, RequestedScopes: in.RequestedScopes})
	out := ui.Report{Flow: r.Flow, Headline: r.Headline, ExpiresIfIdleAt: r.ExpiresIfIdleAt, ExpiryEstimated: r.ExpiryEstimated,
		Scopes: ui.ScopeDiagnosis{Requested: r.Scopes.Requested, Allowed: r.Scopes.Allowed, Granted: r.Scopes.Granted,
			AllowedKnown: r.Scopes.AllowedKnown, GrantedReported: r.Scopes.GrantedReported,
			RefreshTokenIssued: r.Scopes.RefreshTokenIssued, RefreshTokenWhyNot: r.Scopes.RefreshTokenWhyNot, Notes: r.Scopes.Notes}}
	for _, l := range r.Lifetimes {
		out.Lifetimes = append(out.Lifetimes, ui.LifetimeRow{Label: l.Label, Value: l.Value, Source: l.Source, Note: l.Note, At: l.At, Estimated: l.Estimated})
	}
	for _, a := range r.Advice {
		out.Advice = append(out.Advice, advice(a))
	}
	for _, pn := range r.Platform {
		out.Advice = append(out.Advice, ui.Advice{Severity: ui.SeverityInfo, Title: pn.When + ": " + pn.Change, Reason: pn.Applies})
	}
	if e := r.Error; e != nil {
		x := &ui.ErrorExplanation{Code: e.Code, Description: e.Description, Causes: e.Causes}
		for _, a := range e.Fixes {
			x.Fixes = append(x.Fixes, advice(a))
		}
		out.Error = x
	}
	return out
}

func advice(a guidance.Advice) ui.Advice {
	return ui.Advice{Severity: ui.Severity(a.Severity), Title: a.Title, Reason: a.Reason, Fix: a.Fix,
		SetupPath: a.SetupPath, MetadataField: a.MetadataField}
}

// FlowInfos is guidance.FlowsAt(now) in the window's terms: a retirement reads "retires on"
// or "retired since" from today's date.
func FlowInfos() []ui.FlowInfo {
	var out []ui.FlowInfo
	for _, f := range guidance.FlowsAt(time.Now()) {
		out = append(out, ui.FlowInfo{Flow: f.Flow, Title: f.Title, Needs: f.Needs, Summary: f.Summary,
			CanIssueRefreshToken: f.CanIssueRefreshToken, Legacy: f.Legacy})
	}
	return out
}

// ScopeInfos is guidance.Scopes in the window's terms.
func ScopeInfos() []ui.ScopeInfo {
	var out []ui.ScopeInfo
	for _, s := range guidance.Scopes() {
		out = append(out, ui.ScopeInfo{Name: s.Name, Metadata: s.Metadata, Meaning: s.Meaning, Synonyms: s.Synonyms, Prominent: s.Prominent})
	}
	return out
}
