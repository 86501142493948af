package wire

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/store"
	"github.com/connectedapplab/connectedapplab/ui"
)

// StartDemo starts org (nil: sfemu.Demo()) on loopback with its clock control on, and makes
// one profile per demo scenario. The Demo's Stop shuts the emulator down.
func StartDemo(ctx context.Context, org *sfemu.Org) (*ui.Demo, error) {
	if org == nil {
		org = sfemu.Demo()
	}
	e, err := sfemu.Start(org, "127.0.0.1:0", sfemu.Options{EnableControl: true})
	if err != nil {
		return nil, err
	}
	d := e.Describe()
	profiles, secrets := DemoProfiles(d)
	readDemoApps(ctx, profiles, secrets)
	base := d.BaseURL
	return &ui.Demo{
		Store:  ui.NewMemoryStore(profiles, secrets),
		Banner: "Demo: emulated Salesforce org (sfemu) at " + base + ". Not a real org; all secrets are demo values.",
		Notes:  d.Notes,
		AdvanceClock: func(ctx context.Context, by time.Duration) error {
			return advanceClock(ctx, base, by)
		},
		Now:  e.Clock().Now, // the clock the control endpoint moves
		Stop: func() { e.Close() },
	}, nil
}

func advanceClock(ctx context.Context, base string, by time.Duration) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/_sfemu/clock/advance?by="+url.QueryEscape(by.String()), nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("emulator answered %s: %s", resp.Status, strings.TrimSpace(string(b)))
	}
	return nil
}

// DemoProfiles is one profile per demo scenario of the emulated org, the founding
// question (username-password: how long does the token last, why no refresh token) first.
func DemoProfiles(d sfemu.Description) ([]ui.Profile, map[string]ui.Secrets) {
	app := func(name string) sfemu.DescribedApp {
		for _, a := range d.Apps {
			if a.Name == name {
				return a
			}
		}
		return sfemu.DescribedApp{Name: name}
	}
	user := func(name string) sfemu.DescribedUser {
		for _, u := range d.Users {
			if u.Username == name {
				return u
			}
		}
		return sfemu.DescribedUser{Username: name}
	}
	var ps []ui.Profile
	secrets := map[string]ui.Secrets{}
	add := func(id, name, appName string, fl flows.Flow, username string, scopes []string) *ui.Profile {
		a, u := app(appName), user(username)
		kind := store.ConnectedApp
		if a.Kind == guidance.AppExternalClient {
			kind = store.ExternalClientApp
		}
		cb := ""
		if len(a.CallbackURLs) > 0 {
			cb = a.CallbackURLs[0]
		}
		login := d.BaseURL
		if fl == flows.ClientCredentials {
			login = d.MyDomainURL
		}
		if fl == flows.JWTBearer && a.JWTUsername != "" {
			username = a.JWTUsername
		}
		ps = append(ps, ui.Profile{Profile: store.Profile{ID: id, Name: name, LoginURL: login, MyDomainURL: d.MyDomainURL, AppKind: kind,
			ClientID: a.ClientID, CallbackURL: cb, Flow: string(fl), Scopes: scopes, Username: username}, AppAPIName: a.APIName})
		secrets[id] = ui.Secrets{ClientSecret: a.ClientSecret, Password: u.Password, SecurityToken: u.SecurityToken,
			PrivateKeyPEM: a.JWTPrivateKey}
		return &ps[len(ps)-1]
	}
	add("demo-1", "Username-password: how long does it last?", "Web App", flows.UsernamePassword, sfemu.DemoUser, nil)
	add("demo-2", "Username-password, 30-minute profile", "Web App", flows.UsernamePassword, sfemu.DemoShortUser, nil)
	add("demo-3", "Web server + PKCE with refresh token", "Web App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token", "openid"})
	add("demo-4", "Mobile App: no refresh_token scope", "Mobile App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token"})
	add("demo-5", "JWT bearer (server to server)", "Integration App", flows.JWTBearer, sfemu.DemoUser, nil)
	add("demo-6", "Client credentials (My Domain)", "Integration App", flows.ClientCredentials, "", nil)
	add("demo-7", "Device flow", "Device App", flows.Device, "", []string{"api", "refresh_token"})
	add("demo-8", "External Client App, PKCE + rotation", "ECA PKCE", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token", "openid"})
	add("demo-9", "Frozen user", "Web App", flows.UsernamePassword, sfemu.DemoFrozenUser, nil)
	// The lint scenario: log in as the admin, then read the misconfigured app's settings from
	// the org in the App settings tab of the profile that uses it.
	add("demo-10", "Admin: reads app settings", "Web App", flows.UsernamePassword, sfemu.DemoAdminUser, []string{"api"})
	mis := add("demo-11", "Misconfigured App (lint scenario)", "Misconfigured App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token"})
	// The five-approvals limit: each login here that returns a refresh token is one approval of
	// the user for the app; the sixth revokes the oldest (reference §15.1).
	add("demo-12", "Five approvals: the sixth revokes the oldest", "Approvals App", flows.WebServerPKCE, sfemu.DemoUser, []string{"api", "refresh_token"})
	if web := app("Web App"); len(web.CallbackURLs) > 0 {
		mis.CallbackURL = web.CallbackURLs[0] // what the other profiles use: the app has another port
	}
	return ps, secrets
}

// demoAdminProfile is the demo profile that logs in as the org's admin.
const demoAdminProfile = "demo-10"

// readDemoApps reads the real settings of every demo profile's app from the emulated org,
// through the Metadata API as the demo admin, and puts them on the profiles (App.Settings):
// the App settings tab and the lint before Run then start from what the org holds, so the
// misconfigured app shows its findings at once. A failure leaves a profile's settings
// unknown, as outside the demo; it never stops the demo.
func readDemoApps(ctx context.Context, ps []ui.Profile, secrets map[string]ui.Secrets) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var admin *ui.Profile
	for i := range ps {
		if ps[i].ID == demoAdminProfile {
			admin = &ps[i]
		}
	}
	if admin == nil {
		return
	}
	s := secrets[admin.ID]
	res, err := flows.Run(ctx, flows.Request{Flow: flows.Flow(admin.Flow), LoginURL: admin.LoginURL, ClientID: admin.ClientID,
		ClientSecret: s.ClientSecret, Username: admin.Username, Password: s.Password, SecurityToken: s.SecurityToken,
		Scopes: admin.Scopes}, nil)
	if err != nil || res == nil || res.Token == nil || res.Token.AccessToken == "" {
		return
	}
	read := map[string]json.RawMessage{}
	for i := range ps {
		p := &ps[i]
		if p.AppAPIName == "" {
			continue
		}
		raw, ok := read[p.AppAPIName]
		if !ok {
			kind := connectedapp.Connected
			if p.AppKind == store.ExternalClientApp {
				kind = connectedapp.External
			}
			if st, err := ReadAppSettings(ctx, res.Token.InstanceURL, res.Token.AccessToken, kind, p.AppAPIName); err == nil {
				raw, _ = json.Marshal(st)
			}
			read[p.AppAPIName] = raw
		}
		p.App.Settings = raw
	}
}
