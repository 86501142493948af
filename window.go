package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/connectedapplab/connectedapplab/cli"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/store"
	"github.com/connectedapplab/connectedapplab/ui"
)

// AppID is the Fyne app ID; FyneApp.toml has the same.
const AppID = "io.github.connectedapplab"

//go:embed assets/icon.png
var iconPNG []byte

// Preference keys of the window's own state (ui keeps the last profile).
const (
	prefWidth  = "windowWidth"
	prefHeight = "windowHeight"
	prefSeen   = "firstRunDone"
)

// openWindow opens the window: `connectedapplab` on the user's profiles (offering the demo
// on a first run), `connectedapplab --demo` on the built-in emulated org.
func openWindow(ctx context.Context, args []string, env *cli.Env) int {
	fs := flag.NewFlagSet("connectedapplab", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	demo := fs.Bool("demo", false, "open the window on the built-in emulated Salesforce org (sfemu) with one profile per demo scenario")
	configDir := fs.String("config-dir", "", "`directory` of the profiles file (default: the user config directory)")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", iconPNG))
	w := a.NewWindow("Connected App Lab")
	prefs := a.Preferences()

	be := backend()
	opt := ui.Options{Prefs: prefs}
	if *demo {
		d, err := startDemo(ctx)
		if err != nil {
			fmt.Fprintf(env.Stderr, "connectedapplab: the demo org did not start: %v\n", err)
			return 1
		}
		opt.Demo = d
		w.SetTitle("Connected App Lab — demo (emulated org)")
	} else {
		st, err := openStore(*configDir)
		if err != nil {
			fmt.Fprintf(env.Stderr, "connectedapplab: %v\n", err)
			return 1
		}
		opt.Store = st
		opt.OfferDemo = !prefs.Bool(prefSeen)
		prefs.SetBool(prefSeen, true)
	}

	lab := ui.New(w, be, opt)
	w.SetContent(lab.Content())
	lab.Install()
	wd, ht := prefs.FloatWithFallback(prefWidth, 1280), prefs.FloatWithFallback(prefHeight, 800)
	w.Resize(fyne.NewSize(float32(max(wd, 900)), float32(max(ht, 600))))
	w.SetMaster()
	w.SetCloseIntercept(func() {
		s := w.Canvas().Size()
		prefs.SetFloat(prefWidth, float64(s.Width))
		prefs.SetFloat(prefHeight, float64(s.Height))
		lab.Close()
		w.Close()
	})
	go func() { // Ctrl-C in the terminal closes the window like the close button
		<-ctx.Done()
		fyne.Do(func() {
			lab.Close()
			a.Quit()
		})
	}()
	lab.Start()
	w.ShowAndRun()
	lab.Close()
	return 0
}

// backend fills the window's Backend with the real flows, guidance and a bind check.
func backend() ui.Backend {
	return ui.Backend{
		RunFlow: func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
			res, _ := flows.Run(ctx, req, progress) // res is never nil; res.Err holds the error
			return res
		},
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
		Explain:       explain,
		Flows:         flowInfos,
		Scopes:        scopeInfos,
		CheckCallback: checkBind,
		StartDemo:     startDemo,
	}
}

func transcript(op *flows.OpResult) []flows.Exchange {
	if op == nil {
		return nil
	}
	return op.Transcript
}

// checkBind listens on the callback URL's host and port for a moment, as the loopback
// listener will; an error says the port is taken or not allowed.
func checkBind(raw string) error {
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

// explain converts between the window's view types and guidance.
func explain(in ui.ExplainInput) ui.Report {
	p := in.Profile
	set := guidance.Settings{CallbackURL: p.CallbackURL, AppSessionTimeoutMinutes: p.SessionTimeoutMinutes}
	switch p.AppKind {
	case ui.AppKindConnected:
		set.AppKind = guidance.AppConnected
	case ui.AppKindExternal:
		set.AppKind = guidance.AppExternalClient
	}
	if p.RefreshTokenPolicy != "" {
		if pol, err := guidance.ParseRefreshPolicy(p.RefreshTokenPolicy); err == nil {
			set.RefreshTokenPolicy = pol
		}
	}
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

func flowInfos() []ui.FlowInfo {
	var out []ui.FlowInfo
	for _, f := range guidance.Flows() {
		out = append(out, ui.FlowInfo{Flow: f.Flow, Title: f.Title, Needs: f.Needs, Summary: f.Summary,
			CanIssueRefreshToken: f.CanIssueRefreshToken, Legacy: f.Legacy})
	}
	return out
}

func scopeInfos() []ui.ScopeInfo {
	var out []ui.ScopeInfo
	for _, s := range guidance.Scopes() {
		out = append(out, ui.ScopeInfo{Name: s.Name, Metadata: s.Metadata, Meaning: s.Meaning, Synonyms: s.Synonyms, Prominent: s.Prominent})
	}
	return out
}

// startDemo starts sfemu on loopback and makes one profile per demo scenario.
func startDemo(ctx context.Context) (*ui.Demo, error) {
	e, err := sfemu.Start(sfemu.Demo(), "127.0.0.1:0", sfemu.Options{EnableControl: true})
	if err != nil {
		return nil, err
	}
	d := e.Describe()
	profiles, secrets := demoProfiles(d)
	base := d.BaseURL
	return &ui.Demo{
		Store: ui.NewMemoryStore(profiles, secrets),
		Banner: "Demo: an emulated Salesforce org (sfemu) is running on this machine at " + base +
			". It is not a real org; every secret here is a demo value.",
		Notes: d.Notes,
		AdvanceClock: func(ctx context.Context, by time.Duration) error {
			return advanceClock(ctx, base, by)
		},
		Stop: func() { e.Close() },
	}, nil
}

func advanceClock(ctx context.Context, base string, by time.Duration) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/_sfemu/clock/advance?by="+url.QueryEscape(by.String()), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
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

// demoProfiles is one profile per demo scenario of the emulated org, the founding
// question (username-password: how long does the token last, why no refresh token) first.
func demoProfiles(d sfemu.Description) ([]ui.Profile, map[string]ui.Secrets) {
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
	add := func(id, name, appName string, fl flows.Flow, username string, scopes []string) {
		a, u := app(appName), user(username)
		kind := ui.AppKindConnected
		if a.Kind == guidance.AppExternalClient {
			kind = ui.AppKindExternal
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
		ps = append(ps, ui.Profile{ID: id, Name: name, LoginURL: login, MyDomainURL: d.MyDomainURL, AppKind: kind,
			ClientID: a.ClientID, CallbackURL: cb, Flow: fl, Scopes: scopes, Username: username})
		secrets[id] = ui.Secrets{ClientSecret: a.ClientSecret, Password: u.Password, SecurityToken: u.SecurityToken,
			JWTKeyPEM: a.JWTPrivateKey}
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
	return ps, secrets
}

// openStore opens the user's profiles with secrets in the OS keychain.
func openStore(dir string) (ui.ProfileStore, error) {
	if dir == "" {
		var err error
		if dir, err = store.DefaultDir(); err != nil {
			return nil, err
		}
	}
	s, err := store.Open(dir, nil)
	if err != nil {
		return nil, err
	}
	return storeAdapter{s}, nil
}

// storeAdapter serves the window's ProfileStore from store.Store.
type storeAdapter struct{ s *store.Store }

func (a storeAdapter) find(id string) (store.Profile, error) {
	ps, err := a.s.List()
	if err != nil {
		return store.Profile{}, err
	}
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
	}
	return store.Profile{}, fmt.Errorf("no profile with ID %s (deleted by another window?)", id)
}

func (a storeAdapter) List() ([]ui.Profile, error) {
	ps, err := a.s.List()
	if err != nil {
		return nil, err
	}
	out := make([]ui.Profile, 0, len(ps))
	for _, p := range ps {
		q := ui.Profile{ID: p.ID, Name: p.Name, LoginURL: p.LoginURL, MyDomainURL: p.MyDomainURL, AppKind: string(p.AppKind),
			ClientID: p.ClientID, CallbackURL: p.CallbackURL, Flow: flows.Flow(p.Flow), Scopes: p.Scopes, Username: p.Username,
			JWTKeyFile: p.JWTKeyFile, Notes: p.Notes, RefreshTokenPolicy: string(p.App.RefreshTokenPolicy)}
		if p.App.SessionTimeoutMinutes != nil {
			q.SessionTimeoutMinutes = *p.App.SessionTimeoutMinutes
		}
		if p.App.RefreshTokenValidity > 0 && p.App.RefreshTokenValidityUnit != "" {
			q.RefreshTokenPolicy += fmt.Sprintf(":%d:%s", p.App.RefreshTokenValidity, strings.ToUpper(p.App.RefreshTokenValidityUnit))
		}
		out = append(out, q)
	}
	return out, nil
}

func (a storeAdapter) Save(p ui.Profile, sec ui.Secrets) (ui.Profile, error) {
	var sp store.Profile
	if p.ID != "" {
		var err error
		if sp, err = a.find(p.ID); err != nil {
			return ui.Profile{}, err
		}
	}
	sp.Name, sp.LoginURL, sp.MyDomainURL = p.Name, p.LoginURL, p.MyDomainURL
	sp.AppKind, sp.ClientID, sp.CallbackURL = store.AppKind(p.AppKind), p.ClientID, p.CallbackURL
	sp.Flow, sp.Scopes, sp.Username, sp.JWTKeyFile, sp.Notes = string(p.Flow), p.Scopes, p.Username, p.JWTKeyFile, p.Notes
	if sec.JWTKeyPEM != "" {
		sp.JWTKeyInKeychain = true
	}
	if p.SessionTimeoutMinutes > 0 {
		n := p.SessionTimeoutMinutes
		sp.App.SessionTimeoutMinutes = &n
	} else {
		sp.App.SessionTimeoutMinutes = nil
	}
	kind, rest, _ := strings.Cut(p.RefreshTokenPolicy, ":")
	sp.App.RefreshTokenPolicy = store.RefreshTokenPolicy(kind)
	if n, unit, ok := strings.Cut(rest, ":"); ok {
		fmt.Sscan(n, &sp.App.RefreshTokenValidity)
		sp.App.RefreshTokenValidityUnit = strings.ToLower(unit)
	}
	saved, err := a.s.Save(sp)
	if err != nil {
		return ui.Profile{}, err
	}
	ks := store.Secrets{ClientSecret: sec.ClientSecret, Password: sec.Password, SecurityToken: sec.SecurityToken,
		PrivateKeyPEM: sec.JWTKeyPEM}
	if saved.RememberRefreshToken {
		ks.RefreshToken = sec.RefreshToken
	}
	if err := a.s.SetSecrets(saved, ks); err != nil {
		return ui.Profile{}, fmt.Errorf("profile saved, but its secrets were not: %w", err)
	}
	p.ID = saved.ID
	return p, nil
}

func (a storeAdapter) Delete(id string) error {
	p, err := a.find(id)
	if err != nil {
		return err
	}
	return a.s.Delete(p.Name)
}

func (a storeAdapter) Secrets(id string) (ui.Secrets, error) {
	p, err := a.find(id)
	if err != nil {
		return ui.Secrets{}, err
	}
	s, err := a.s.Secrets(p)
	if err != nil {
		return ui.Secrets{}, err
	}
	return ui.Secrets{ClientSecret: s.ClientSecret, Password: s.Password, SecurityToken: s.SecurityToken,
		JWTKeyPEM: s.PrivateKeyPEM, RefreshToken: s.RefreshToken}, nil
}
