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

	"github.com/connectedapplab/connectedapplab/checkup"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/rotationbench"
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
	// Version is the lab's version, for the checkup's report (cli.Version).
	Version string
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
		Explain:         guidance.Explain,
		CheckCallback:   CheckBind,
		StartDemo:       func(ctx context.Context) (*ui.Demo, error) { return StartDemo(ctx, org()) },
		ImportProfiles:  ImportProfiles,
		DiagnoseRefresh: DiagnoseRefresh,
		ApprovalBudget:  ApprovalBudget,
		RevokeStale:     RevokeStale,
		ExplainURL:      ExplainURL,
		Checkup: func(ctx context.Context, in checkup.Input) *checkup.Report {
			if in.Version == "" {
				in.Version = opt.Version
			}
			if opt.OpenBrowser != nil && in.Request.Options.OpenBrowser == nil {
				in.Request.Options.OpenBrowser = opt.OpenBrowser // the browser flows, when asked for
			}
			return checkup.Run(ctx, in)
		},
		RotationBench: RotationBench,
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

// RotationBench is ui.Backend.RotationBench: an emulated org of its own (sfemu's demo org,
// its ECA PKCE app with rotation as asked), a login for the starting refresh token, then the
// bench, as `connectedapplab bench rotation` runs it. The org stops when the bench ends.
func RotationBench(ctx context.Context, cfg ui.BenchConfig) (*rotationbench.Report, error) {
	ctx, cancel := context.WithTimeout(ctx, rotationbench.DefaultTimeout)
	defer cancel()
	t, stop, err := rotationbench.StartEmulated(ctx, rotationbench.Emulated{NoRotation: cfg.NoRotation, GraceSeconds: cfg.GraceSeconds})
	if err != nil {
		return nil, err
	}
	defer stop()
	return rotationbench.Run(ctx, t, rotationbench.Config{N: cfg.N})
}
