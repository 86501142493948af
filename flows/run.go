package flows

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pkg/browser"
	"golang.org/x/oauth2"
)

// Run runs the flow req.Flow names in the catalogue (see Spec.Run). An unknown name fails
// with a Result that says which names exist.
func Run(ctx context.Context, req Request, progress func(Progress)) (*Result, error) {
	sp, ok := Lookup(req.Flow)
	if !ok {
		sp = Spec{Flow: req.Flow}
	}
	return sp.Run(ctx, req, progress)
}

// Run runs this flow with req (req.Flow is set to sp.Flow) and returns its Result, which is
// never nil: on failure it still holds the transcript and the checks made so far, and
// Result.Err is the returned error. progress (may be nil) is called on the calling goroutine
// for each step; it must not block long.
func (sp Spec) Run(ctx context.Context, req Request, progress func(Progress)) (*Result, error) {
	req.Flow = sp.Flow
	res := &Result{Flow: req.Flow, Started: time.Now(), RequestedScopes: append([]string(nil), req.Scopes...)}
	var s session // on this stack: only the recorder and redactor outlive the run
	s.init(&req, progress, res)
	err := s.validate(&sp)
	if err == nil {
		err = s.run(ctx, sp.step)
	}
	res.Duration = time.Since(res.Started)
	res.Transcript = s.rec.transcript()
	s.red.redactResult(res)
	if err != nil {
		err = s.red.redactError(err)
		res.Err = err
		var oe *OAuthError
		if errors.As(err, &oe) {
			res.OAuthError = oe
		}
		s.report("failed", "failed: ", err.Error())
		return res, err
	}
	s.report("done", "done")
	return res, nil
}

// session is one run's state: the request, the recording HTTP client, the result so far.
type session struct {
	req      Request
	o        Options
	ep       Endpoints
	rec      *recorder
	red      *redactor
	res      *Result
	progress func(Progress)
	nonce    string
	// usedRefreshToken is the refresh token the request spent (the refresh flow): the one to
	// keep when no new one comes back.
	usedRefreshToken string
}

// init sets up a session for req. The session itself stays with its caller (Run keeps it on
// the stack); what outlives the run, the recorder and redactor behind the Transcript and the
// Result's first timings and checks, is one allocation.
func (s *session) init(req *Request, progress func(Progress), res *Result) {
	o := req.Options
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.ListenTimeout <= 0 {
		o.ListenTimeout = DefaultListenTimeout
	}
	if o.MaxResponseBytes <= 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	base, err := transportFor(o)
	if err != nil {
		base = failingTransport{err}
	}
	all := &struct {
		rec     recorder
		red     redactor
		pending [8]known
		timings [2]Timing
		checks  [4]Check
	}{}
	red, rec := &all.red, &all.rec
	red.pending = all.pending[:0]
	res.Timings, res.Checks = all.timings[:0], all.checks[:0]
	red.addRequest(req)
	*rec = recorder{base: base, timeout: o.RequestTimeout, max: o.MaxResponseBytes, red: red}
	*s = session{req: *req, o: o, rec: rec, red: red, res: res, progress: progress, ep: endpointsFor(req)}
}

// validate checks the request before anything goes on the wire.
func (s *session) validate(sp *Spec) error {
	r := &s.req
	if sp.step == nil {
		if _, ok := Lookup(sp.Flow); !ok {
			return fmt.Errorf("unknown flow %q: use one of %s", r.Flow, Names(catalog))
		}
		return fmt.Errorf("flow %q has no run step in this build: run one of %s", r.Flow, Names(catalog))
	}
	if ft, ok := s.rec.base.(failingTransport); ok { // transportFor failed in init
		return ft.err
	}
	// The token endpoint is the login URL and a path (unless overridden): parsing it checks
	// the login URL's scheme and host just as well, and every token request of the run then
	// reuses the parsed URL instead of parsing it again.
	tokenURL := s.ep.Token
	if r.Endpoints.Token != "" {
		tokenURL = r.LoginURL
	}
	u, err := checkBaseURL("login URL", r.LoginURL, tokenURL)
	if err != nil {
		return err
	}
	if tokenURL == s.ep.Token {
		u.Host = strings.TrimSuffix(u.Host, ":") // as http.NewRequest does ("host:" is "host")
		s.rec.tokenURL, s.rec.tokenRaw = u, tokenURL
	}
	if r.MyDomainURL != "" {
		if _, err := checkBaseURL("My Domain URL", r.MyDomainURL, r.MyDomainURL); err != nil {
			return err
		}
	}
	if _, required := sp.Uses(FieldClientID); required && r.ClientID == "" {
		return errors.New("no client ID: set --client-id to the app's consumer key")
	}
	return nil
}

// checkBaseURL checks the base URL raw by parsing parse, which is raw or raw followed by a
// path (same scheme and host), and returns the parsed URL.
func checkBaseURL(what, raw, parse string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("no %s: set it, e.g. https://login.salesforce.com or https://MYDOMAIN.my.salesforce.com", what)
	}
	u, err := url.Parse(parse)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%s %q is not an http(s) URL: use e.g. https://login.salesforce.com", what, raw)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%s %q uses http://: Salesforce needs https:// (over http the redirect turns the token POST into a GET)", what, raw)
	}
	return u, nil
}

func endpointsFor(req *Request) Endpoints {
	ep := SalesforceEndpoints(req.LoginURL)
	o := req.Endpoints
	for _, p := range []struct{ dst, src *string }{{&ep.Issuer, &o.Issuer}, {&ep.Authorize, &o.Authorize},
		{&ep.Token, &o.Token}, {&ep.Revoke, &o.Revoke}, {&ep.Introspect, &o.Introspect},
		{&ep.UserInfo, &o.UserInfo}, {&ep.JWKS, &o.JWKS}} {
		if *p.src != "" {
			*p.dst = *p.src
		}
	}
	return ep
}

// SalesforceEndpoints returns Salesforce's endpoint URLs on a login host (reference §1.2).
func SalesforceEndpoints(loginURL string) Endpoints {
	b := strings.TrimRight(loginURL, "/")
	// The six URLs are slices of one string: one allocation per run instead of six.
	const (
		authorize  = "/services/oauth2/authorize"
		token      = "/services/oauth2/token"
		revoke     = "/services/oauth2/revoke"
		introspect = "/services/oauth2/introspect"
		userinfo   = "/services/oauth2/userinfo"
		keys       = "/id/keys"
	)
	all := b + authorize + b + token + b + revoke + b + introspect + b + userinfo + b + keys
	ep := Endpoints{Issuer: b}
	i := 0
	for _, f := range []struct {
		dst  *string
		path string
	}{{&ep.Authorize, authorize}, {&ep.Token, token}, {&ep.Revoke, revoke}, {&ep.Introspect, introspect},
		{&ep.UserInfo, userinfo}, {&ep.JWKS, keys}} {
		n := len(b) + len(f.path)
		*f.dst = all[i : i+n]
		i += n
	}
	return ep
}

func (s *session) run(ctx context.Context, step stepFunc) error {
	tr, err := step(s, ctx)
	if err != nil {
		return err
	}
	s.accept(ctx, tr)
	return nil
}

// accept records a token response in the result and makes the checks it allows.
func (s *session) accept(ctx context.Context, tr *TokenResponse) {
	s.red.addToken(tr.AccessToken)
	s.red.addToken(tr.RefreshToken)
	s.red.addToken(tr.IDToken)
	r := s.res
	r.Token = tr
	r.GrantedScopes = strings.Fields(tr.Scope)
	r.RefreshTokenIssued = tr.RefreshToken != ""
	switch {
	case tr.RefreshToken != "":
		r.RefreshToken = tr.RefreshToken
	case s.usedRefreshToken != "":
		r.RefreshToken = s.usedRefreshToken
	}
	if s.usedRefreshToken != "" && tr.RefreshToken != "" && tr.RefreshToken != s.usedRefreshToken {
		r.RefreshTokenRotated = true
	}
	if c, ok := checkSignature(tr, s.req.ClientSecret); ok {
		r.Checks = append(r.Checks, c)
	}
	if tr.IDToken != "" {
		r.Checks = append(r.Checks, s.checkIDToken(ctx, tr)...)
	}
}

// failingTransport stands in when the networking options are invalid, so that the session
// (and its transcript) exists and the error surfaces on the first request.
type failingTransport struct{ err error }

func (f failingTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, f.err }

// report sends a progress step whose message is the parts joined (joined only when someone
// listens).
func (s *session) report(step string, msg ...string) {
	if s.progress == nil {
		return
	}
	s.progress(Progress{Step: step, Message: s.red.scrub(strings.Join(msg, "")), Time: time.Now()})
}

func (s *session) reportP(p Progress) {
	if s.progress == nil {
		return
	}
	p.Message = s.red.scrub(p.Message)
	p.Time = time.Now()
	s.progress(p)
}

func (s *session) timing(step string, start time.Time) {
	s.res.Timings = append(s.res.Timings, Timing{Step: step, Duration: time.Since(start)})
}

func (s *session) check(name string, ok bool, detail string) {
	s.res.Checks = append(s.res.Checks, Check{Name: name, OK: ok, Detail: detail})
}

// oauth2Config is the x/oauth2 view of the request; x/oauth2 builds the authorize URL (and
// the PKCE challenge). The token requests themselves are sent by postToken, not by x/oauth2:
// x/oauth2 decodes the answer into its own Token (a second JSON parse we cannot skip, and it
// keeps only the fields it knows, no byte-exact raw map), silently truncates bodies at 1 MiB
// and cannot tell an HTML page from bad JSON, so its parse was thrown away; sending the same
// form ourselves (the fields x/oauth2 sends, client auth as AuthStyleInParams or
// AuthStyleInHeader) decodes each answer once. Its only other cost was per-call allocation.
func (s *session) oauth2Config(redirectURI string) *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if s.o.ClientAuthBasic && s.req.ClientSecret != "" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{ClientID: s.req.ClientID, ClientSecret: s.req.ClientSecret, RedirectURL: redirectURI,
		Scopes: s.req.Scopes, Endpoint: oauth2.Endpoint{AuthURL: s.ep.Authorize, TokenURL: s.ep.Token, AuthStyle: style}}
}

// postForm POSTs a form; clientAuth adds client_id and client_secret (in the body, or as
// HTTP Basic with Options.ClientAuthBasic).
func (s *session) postForm(ctx context.Context, step, endpoint string, form formBody, clientAuth bool) (*http.Response, []byte, error) {
	h := formHeader
	if clientAuth {
		if s.o.ClientAuthBasic && s.req.ClientSecret != "" {
			h = formHeader.Clone()
			h["Authorization"] = []string{"Basic " + base64.StdEncoding.EncodeToString(
				[]byte(url.QueryEscape(s.req.ClientID)+":"+url.QueryEscape(s.req.ClientSecret)))}
		} else {
			if s.req.ClientID != "" {
				form = form.add("client_id", s.req.ClientID)
			}
			if s.req.ClientSecret != "" {
				form = form.add("client_secret", s.req.ClientSecret)
			}
		}
	}
	return s.rec.send(ctx, step, http.MethodPost, endpoint, h, form)
}

// userAgent is the User-Agent of every request a run sends.
const userAgent = "ConnectedAppLab"

// formHeader is the header of a form POST without HTTP Basic client auth. It is shared by
// every such request and never modified: neither the transport (a RoundTripper must not
// change the request) nor the transcript (it reads headers to redact them) writes to it.
var formHeader = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"},
	"User-Agent": {userAgent}}

// get does a GET with a bearer token.
func (s *session) get(ctx context.Context, step, endpoint, accessToken string) (*http.Response, []byte, error) {
	h := http.Header{"Accept": {"application/json"}, "User-Agent": {userAgent}}
	if accessToken != "" {
		h["Authorization"] = []string{"Bearer " + accessToken}
	}
	return s.rec.send(ctx, step, http.MethodGet, endpoint, h, nil)
}

// postToken POSTs a token request to the token endpoint and parses the answer.
func (s *session) postToken(ctx context.Context, step string, form formBody, clientAuth bool) (*TokenResponse, error) {
	return s.postTokenTo(ctx, step, s.ep.Token, form, clientAuth)
}

// postTokenTo POSTs a token request to endpoint and parses the answer. The decoded body is
// shared with the transcript, which redacts it without decoding it again.
func (s *session) postTokenTo(ctx context.Context, step, endpoint string, form formBody, clientAuth bool) (*TokenResponse, error) {
	start := time.Now()
	resp, body, err := s.postForm(ctx, step, endpoint, form, clientAuth)
	s.timing(step, start)
	if err != nil {
		return nil, err
	}
	ct := resp.Header.Get("Content-Type")
	tr, err := ParseTokenResponse("token", resp.StatusCode, ct, body)
	if err == nil && mediaType(ct) != "application/x-www-form-urlencoded" {
		s.rec.shareParsed(body, tr.raw)
	}
	return tr, err
}

var browserOnce sync.Once

// SystemBrowser opens u in the user's default browser (github.com/pkg/browser). It is the
// default Options.OpenBrowser.
func SystemBrowser(_ context.Context, u string) error {
	browserOnce.Do(func() {
		// pkg/browser copies the opener's output to our stdout, which would corrupt --json.
		browser.Stdout = io.Discard
		browser.Stderr = io.Discard
	})
	return browser.OpenURL(u)
}

// randomString returns n random bytes as base64url.
func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hasScope(scopes []string, want ...string) bool {
	for _, s := range scopes {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}
