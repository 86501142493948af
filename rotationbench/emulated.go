package rotationbench

import (
	"context"
	"fmt"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// Emulated configures the emulated org StartEmulated starts: sfemu's demo org, whose "ECA
// PKCE" app (an External Client App with rotation on) the bench uses.
type Emulated struct {
	// NoRotation turns the app's refresh token rotation off (isRefreshTokenRotationEnabled).
	NoRotation bool
	// GraceSeconds is how long a rotated-out token may be used again without revoking the
	// family (sfemu's App.RefreshTokenReuseGraceSeconds). Salesforce documents none: 0.
	GraceSeconds int
	// RequestTimeout bounds each HTTP request of the login; 0 = DefaultRequestTimeout.
	RequestTimeout time.Duration
}

// The app and user of the emulated bench.
const (
	EmulatedApp  = "ECA PKCE"
	EmulatedUser = sfemu.DemoUser
)

// StartEmulated starts the emulated org on loopback, logs its demo user in to the app with
// the web server flow (PKCE; the org's login and approval pages are driven over HTTP, no
// browser) and returns the target with the starting refresh token. close stops the org.
func StartEmulated(ctx context.Context, e Emulated) (t Target, close func(), err error) {
	org, err := sfemutest.New(sfemutest.FreeCallback(), sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].Name == EmulatedApp {
				o.Apps[i].RefreshTokenRotation = !e.NoRotation
				o.Apps[i].RefreshTokenReuseGraceSeconds = e.GraceSeconds
			}
		}
	}))
	if err != nil {
		return Target{}, nil, err
	}
	close = func() { org.Close() }
	var app sfemu.DescribedApp
	for _, a := range org.Desc.Apps {
		if a.Name == EmulatedApp {
			app = a
		}
	}
	var password string
	for _, u := range org.Desc.Users {
		if u.Username == EmulatedUser {
			password = u.Password
		}
	}
	rt := e.RequestTimeout
	if rt <= 0 {
		rt = DefaultRequestTimeout
	}
	req := flows.Request{Flow: flows.WebServerPKCE, LoginURL: org.LoginURL, MyDomainURL: org.MyDomainURL,
		ClientID: app.ClientID, CallbackURL: org.CallbackURL, Scopes: []string{"api", "refresh_token"},
		Options: flows.Options{RequestTimeout: rt, ListenTimeout: 4 * rt, OpenBrowser: sfemutest.Browser(EmulatedUser, password)}}
	res, err := flows.Run(ctx, req, nil)
	if err != nil {
		close()
		return Target{}, nil, fmt.Errorf("log in to the emulated org: %w", err)
	}
	if res.RefreshToken == "" {
		close()
		return Target{}, nil, fmt.Errorf("log in to the emulated org: no refresh token came back")
	}
	rot := !e.NoRotation
	req.Flow, req.RefreshToken, req.CallbackURL = flows.Refresh, res.RefreshToken, ""
	req.Options.OpenBrowser = nil
	label := fmt.Sprintf("emulated org %s, app %s (rotation %s", org.LoginURL, EmulatedApp, onOff(rot))
	if rot && e.GraceSeconds > 0 {
		label += fmt.Sprintf(", reuse grace %ds", e.GraceSeconds)
	}
	t = Target{Label: label + ")", Request: req,
		Settings: guidance.Settings{AppKind: guidance.AppExternalClient, RefreshTokenRotation: &rot}}
	return t, close, nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
