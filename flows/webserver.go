package flows

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

var webServerSpec = Spec{
	Flow:  WebServer,
	Label: "Web server flow",
	Summary: "A person logs in through the browser; the app gets an authorization code and trades it for tokens. " +
		"The usual choice for any app that acts for a person.",
	Needs:       "Consumer key and secret, a callback URL on the app that matches exactly, a browser to log in.",
	Fields:      []Need{req(FieldLoginURL), req(FieldClientID), req(FieldClientSecret), req(FieldCallbackURL), opt(FieldScopes)},
	Browser:     true,
	IDToken:     true,
	Refresh:     RefreshWithScope,
	AppSettings: []string{"callback-url", "scopes", "secret-web-server", "pkce", "org-pkce", "id-token", "refresh-token-policy", "session-timeout"},
	step:        (*session).webServer,
}

var webServerPKCESpec = Spec{
	Flow:  WebServerPKCE,
	Label: "Web server flow with PKCE",
	Summary: "The web server flow plus a one-time code verifier, so a stolen code is useless. " +
		"Recommended for desktop, mobile and command-line apps; External Client Apps require it by default.",
	Needs:       "Consumer key (secret optional when \"Require Secret for Web Server Flow\" is off), a matching callback URL, a browser.",
	Fields:      []Need{req(FieldLoginURL), req(FieldClientID), opt(FieldClientSecret), req(FieldCallbackURL), opt(FieldScopes)},
	Browser:     true,
	IDToken:     true,
	Refresh:     RefreshWithScope,
	AppSettings: []string{"callback-url", "scopes", "secret-web-server", "id-token", "refresh-token-policy", "session-timeout"},
	step:        (*session).webServerPKCE,
}

// webServer runs the web server (authorization code) flow, with the consumer secret, with
// PKCE S256, or both (reference §3.1). x/oauth2 builds the authorize URL; the token request
// is postToken's.
// StepBrowserNotOpened is the progress step of a browser flow whose browser could not be
// opened: its Message says why, and AuthorizeURL is the address to open by hand.
const StepBrowserNotOpened = "browser-not-opened"

func (s *session) webServer(ctx context.Context) (*TokenResponse, error) {
	return s.webServerWith(ctx, s.o.UsePKCE)
}

// webServerPKCE is the web server flow with PKCE always on.
func (s *session) webServerPKCE(ctx context.Context) (*TokenResponse, error) {
	return s.webServerWith(ctx, true)
}

func (s *session) webServerWith(ctx context.Context, pkce bool) (*TokenResponse, error) {
	if !pkce && s.req.ClientSecret == "" {
		return nil, errors.New("the web server flow without PKCE needs the consumer secret: set --client-secret (or SF_CLIENT_SECRET), or use --flow web-server-pkce")
	}
	state := randomString(16)
	var verifier string
	if pkce {
		verifier = oauth2.GenerateVerifier()
	}
	var cfg *oauth2.Config
	cb, finish, err := s.browserLeg(ctx, state, false, func(redirectURI string) string {
		cfg = s.oauth2Config(redirectURI)
		opts := s.authorizeParams()
		if pkce {
			opts = append(opts, oauth2.S256ChallengeOption(verifier))
		}
		return cfg.AuthCodeURL(state, opts...)
	})
	defer finish()
	if err != nil {
		return nil, err
	}
	s.red.addToken(cb.Params.Get("code"))
	s.report("exchanging", "exchanging code")
	// the form x/oauth2's Exchange sends (see oauth2Config for why we send it ourselves)
	form := newForm("grant_type", "authorization_code", "code", cb.Params.Get("code"))
	if cfg.RedirectURL != "" {
		form = form.add("redirect_uri", cfg.RedirectURL)
	}
	if pkce {
		form = form.add("code_verifier", verifier)
	}
	tr, err := s.postToken(ctx, "token", form, true)
	if pkce {
		if err == nil {
			s.check("pkce", true, "S256 code_challenge sent; the server accepted the code_verifier")
		} else {
			var oe *OAuthError
			if errors.As(err, &oe) {
				s.check("pkce", false, "S256 code_challenge sent; the token request failed: "+oe.Error())
			}
		}
	}
	return tr, err
}

// authorizeParams are the optional authorize parameters shared by the browser flows.
func (s *session) authorizeParams() []oauth2.AuthCodeOption {
	var opts []oauth2.AuthCodeOption
	if s.o.Prompt != "" {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", s.o.Prompt))
	}
	if s.o.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", s.o.LoginHint))
	}
	if s.nonce = s.o.Nonce; s.nonce == "" && hasScope(s.req.Scopes, "openid") {
		s.nonce = randomString(12)
	}
	if s.nonce != "" {
		opts = append(opts, oauth2.SetAuthURLParam("nonce", s.nonce))
	}
	return opts
}

// browserLeg binds the loopback listener, then opens the browser on the authorize URL and
// waits for one valid callback. The caller calls finish (always, after the token exchange):
// it lets the browser fetch the result page, waits for the opener, and closes the listener.
func (s *session) browserLeg(ctx context.Context, state string, fragment bool, authorizeURL func(redirectURI string) string) (_ *Callback, finish func(), _ error) {
	finish = func() {}
	if s.req.CallbackURL == "" {
		return nil, finish, errors.New("no callback URL: set --callback-url to one of the app's callback URLs, e.g. http://localhost:1717/OauthRedirect")
	}
	l, err := Listen(ctx, ListenerOptions{CallbackURL: s.req.CallbackURL, State: state, Timeout: s.o.ListenTimeout, Fragment: fragment,
		AllowedOrigins: originsOf(s.ep.Authorize, s.req.LoginURL, s.req.MyDomainURL)})
	if err != nil {
		return nil, finish, err
	}
	s.res.RedirectURI = l.RedirectURI()
	s.report("listening", "listening on ", l.RedirectURI())
	au := authorizeURL(l.RedirectURI())
	s.res.AuthorizeURL = au
	s.rec.addExchange(Exchange{Step: "authorize", Method: "GET", URL: s.red.url(au),
		Note: "opened in the browser; the login and consent pages are between the browser and the server"})

	openCtx, cancelOpen := context.WithCancel(ctx)
	openDone := make(chan error, 1)
	if s.o.NoBrowser {
		openDone <- nil
		s.reportP(Progress{Step: "browser", AuthorizeURL: au, Message: "open this URL in a browser on this machine " +
			"(over SSH, forward the port first: ssh -L " + l.u.Port() + ":localhost:" + l.u.Port() + "): " + au})
	} else {
		s.reportP(Progress{Step: "browser", AuthorizeURL: au, Message: "waiting for browser"})
		open := s.o.OpenBrowser
		if open == nil {
			open = SystemBrowser
		}
		go func() { openDone <- open(openCtx, au) }()
	}
	start := time.Now()
	type waitResult struct {
		cb  *Callback
		err error
	}
	waitDone := make(chan waitResult, 1)
	go func() {
		cb, err := l.Wait(ctx)
		waitDone <- waitResult{cb, err}
	}()
	var wr waitResult
	opened := false
	for done := false; !done; {
		select {
		case err := <-openDone:
			opened = true
			if err != nil {
				s.reportP(Progress{Step: StepBrowserNotOpened, AuthorizeURL: au,
					Message: "could not open a browser (" + err.Error() + "); open this URL yourself: " + au})
			}
		case wr = <-waitDone:
			done = true
		}
	}
	finish = func() {
		if !opened && wr.cb != nil { // a callback came: let the browser show the result page
			// give the browser a moment to show the result page before its context ends
			t := time.NewTimer(2 * time.Second)
			select {
			case <-openDone:
				opened = true
			case <-t.C:
			}
			t.Stop()
		}
		cancelOpen()
		if !opened {
			<-openDone // the opener returns once its context ends
		}
		l.Close()
	}
	s.timing("browser", start)
	for _, w := range l.Warnings() {
		s.res.Warnings = append(s.res.Warnings, w)
		s.report("warning", w)
	}
	if wr.cb != nil {
		cbURL, _ := url.Parse(l.RedirectURI())
		if fragment {
			cbURL.Fragment = wr.cb.Params.Encode()
		} else {
			cbURL.RawQuery = wr.cb.Params.Encode()
		}
		s.red.addToken(wr.cb.Params.Get("code"))
		s.red.addToken(wr.cb.Params.Get("access_token"))
		s.red.addToken(wr.cb.Params.Get("refresh_token"))
		s.rec.addExchange(Exchange{Step: "callback", Method: "GET", URL: s.red.url(cbURL.String()), Status: 303,
			Note: "received by the loopback listener"})
	}
	if wr.err != nil {
		return wr.cb, finish, wr.err
	}
	s.check("state", true, "the callback carried back the state sent")
	return wr.cb, finish, nil
}

// originsOf returns the distinct origins (scheme://host[:port]) of the URLs: the pages that
// may redirect the browser to the callback (the authorize endpoint, the login host, My Domain).
func originsOf(urls ...string) []string {
	var out []string
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			continue
		}
		o := strings.ToLower(u.Scheme + "://" + u.Host)
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
