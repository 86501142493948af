package sfemu

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxBody caps every request body (1 MiB).
const maxBody = 1 << 20

// Options configure Start.
type Options struct {
	// Clock is the emulator's clock; nil means the real clock.
	Clock Clock
	// EnableControl serves the loopback-only /_sfemu/clock control endpoint.
	EnableControl bool
	// MaxRecordsPerTable caps each table of sessions, refresh tokens, codes, pending
	// logins, UI sessions and frontdoor one-time passwords (caps.go); 0 means 100000.
	MaxRecordsPerTable int
	// Logf, if set, receives one line per request and per recovered panic.
	Logf func(format string, args ...any)
}

// Emulator is a running emulated org.
type Emulator struct {
	// LoginURL is the generic login host (https://login.salesforce.com's stand-in),
	// http://127.0.0.1:PORT.
	LoginURL string
	// MyDomainURL is the org's My Domain host (instance_url), a second loopback port.
	MyDomainURL string

	org     *Org
	clock   Clock
	opts    Options
	key     *rsa.PrivateKey
	kid     string
	handler http.Handler

	loginPort, myDomainPort string
	servers                 []*http.Server
	closeOnce               sync.Once

	mu        sync.Mutex
	sessions  map[string]*session      // access token -> session
	refreshes map[string]*refreshToken // refresh token -> record
	codes     map[string]*authCode
	devices   map[string]*deviceAuth // device_code -> record
	userCodes map[string]string      // user_code -> device_code
	pending   map[string]*pendingAuth
	browser   map[string]*uiSession    // UI session cookie -> login
	otps      map[string]*frontdoorOTP // frontdoor one-time passwords (frontdoor.go)
	approvals map[string]approval
	// oauthTokens are the OauthToken records (approvals.go), oldest first.
	oauthTokens []*oauthToken
	// advanced is how far the control endpoint moved the clock in all (control.go).
	advanced time.Duration
	// created is when the emulator started: the CreatedDate of its records.
	created time.Time

	// Housekeeping (purge.go).
	lastPurge   time.Time
	sincePurge  int
	keptAtPurge int
}

// Start validates a copy of org and serves it: the login host on addr (e.g.
// "127.0.0.1:0") and the My Domain host on a second free port of the same loopback host.
// Client credentials work only on the My Domain host (§1.1, §3.6).
func Start(org *Org, addr string, opts Options) (*Emulator, error) {
	e, err := newEmulator(org, opts)
	if err != nil {
		return nil, err
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("sfemu: address %q: %v", addr, err)
	}
	ln1, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("sfemu: login host: %v", err)
	}
	ln2, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		ln1.Close()
		return nil, fmt.Errorf("sfemu: My Domain host: %v", err)
	}
	e.LoginURL = "http://" + ln1.Addr().String()
	e.MyDomainURL = "http://" + ln2.Addr().String()
	_, e.loginPort, _ = net.SplitHostPort(ln1.Addr().String())
	_, e.myDomainPort, _ = net.SplitHostPort(ln2.Addr().String())
	for _, ln := range []net.Listener{ln1, ln2} {
		srv := &http.Server{Handler: e.handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
		e.servers = append(e.servers, srv)
		go srv.Serve(ln)
	}
	return e, nil
}

func newEmulator(org *Org, opts Options) (*Emulator, error) {
	if org == nil {
		return nil, errors.New("sfemu: nil org")
	}
	o := org.clone()
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("sfemu: org: %v", err)
	}
	clk := opts.Clock
	if clk == nil {
		clk = SystemClock
	}
	if _, ok := clk.(advancer); !ok && opts.EnableControl {
		// A real clock can still be moved through the control endpoint.
		clk = &offsetClock{base: clk}
	}
	e := &Emulator{
		org: o, clock: clk, opts: opts,
		kid:       orStr(o.SigningKeyID, "248"),
		sessions:  map[string]*session{},
		refreshes: map[string]*refreshToken{},
		codes:     map[string]*authCode{},
		devices:   map[string]*deviceAuth{},
		userCodes: map[string]string{},
		pending:   map[string]*pendingAuth{},
		browser:   map[string]*uiSession{},
		otps:      map[string]*frontdoorOTP{},
		approvals: map[string]approval{},
		created:   clk.Now(),
	}
	if o.SigningKeyPEM != "" {
		k, err := parseRSAPrivateKey(o.SigningKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("sfemu: signing_key_pem: %v", err)
		}
		e.key = k
	} else {
		k, err := processKey()
		if err != nil {
			return nil, err
		}
		e.key = k
	}
	e.handler = e.routes()
	return e, nil
}

var (
	procKeyOnce sync.Once
	procKey     *rsa.PrivateKey
	procKeyErr  error
)

// processKey is the ID token signing key generated once per process (Org.SigningKeyPEM
// overrides it).
func processKey() (*rsa.PrivateKey, error) {
	procKeyOnce.Do(func() { procKey, procKeyErr = rsa.GenerateKey(rand.Reader, 2048) })
	return procKey, procKeyErr
}

// Close stops both listeners.
func (e *Emulator) Close() error {
	var err error
	e.closeOnce.Do(func() {
		for _, s := range e.servers {
			if cerr := s.Close(); cerr != nil && err == nil {
				err = cerr
			}
		}
	})
	return err
}

// Handler is the emulator's single handler; it tells the login host from the My Domain
// host by the port of the request's Host.
func (e *Emulator) Handler() http.Handler { return e.handler }

// Clock is the clock the emulator reads (an offset clock around the real one when control
// is enabled without an injected clock).
func (e *Emulator) Clock() Clock { return e.clock }

// Org returns the emulator's (validated) copy of the org. Treat it as read-only while the
// emulator runs.
func (e *Emulator) Org() *Org { return e.org }

func (e *Emulator) now() time.Time { return e.clock.Now() }

func (e *Emulator) logf(format string, args ...any) {
	if e.opts.Logf != nil {
		e.opts.Logf(format, args...)
	}
}

// isMyDomain reports whether the request came to the My Domain host.
func (e *Emulator) isMyDomain(r *http.Request) bool {
	if e.myDomainPort == "" {
		return false
	}
	_, port, err := net.SplitHostPort(r.Host)
	return err == nil && port == e.myDomainPort
}

// baseURL is the base URL of the host the request came to.
func (e *Emulator) baseURL(r *http.Request) string {
	if e.isMyDomain(r) {
		return e.MyDomainURL
	}
	if e.LoginURL != "" {
		return e.LoginURL
	}
	return "http://" + r.Host
}

func (e *Emulator) loginURL() string    { return e.LoginURL }
func (e *Emulator) instanceURL() string { return e.MyDomainURL }
func (e *Emulator) identityURL(u *User) string {
	return e.loginURL() + "/id/" + e.org.ID + "/" + u.ID
}

func (e *Emulator) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/services/oauth2/authorize", e.handleAuthorize)
	mux.HandleFunc("/login", e.handleLogin)
	mux.HandleFunc(approvePath, e.handleApprove)
	mux.HandleFunc(errorPagePath, e.handleErrorPage)
	mux.HandleFunc("/services/oauth2/success", e.handleSuccessPage)
	mux.HandleFunc("/services/oauth2/token", e.handleToken)
	mux.HandleFunc("/services/oauth2/revoke", e.handleRevoke)
	mux.HandleFunc("/services/oauth2/introspect", e.handleIntrospect)
	mux.HandleFunc("/services/oauth2/userinfo", e.handleUserinfo)
	mux.HandleFunc("/services/oauth2/singleaccess", e.handleSingleAccess)
	mux.HandleFunc(frontdoorPath, e.handleFrontdoor)
	mux.HandleFunc(homePath, e.handleHome)
	mux.HandleFunc("/id/keys", e.handleJWKS)
	mux.HandleFunc("/id/", e.handleIdentity)
	mux.HandleFunc("/.well-known/openid-configuration", e.handleDiscovery)
	mux.HandleFunc("/setup/connect", e.handleDeviceConnect)
	mux.HandleFunc("/services/data/", e.handleREST)
	mux.HandleFunc("/services/data", e.handleREST)
	mux.HandleFunc(soapPrefix, e.handleSOAP)
	mux.HandleFunc("/services/Soap/u/", e.handleSOAPLogin)
	mux.HandleFunc("/services/Soap/c/", e.handleSOAPLogin)
	mux.HandleFunc("/_sfemu/", e.handleControl)
	mux.HandleFunc("/", e.handleRoot)
	return e.wrap(mux)
}

// wrap caps bodies and turns a panic into a Salesforce-shaped 500 instead of a dropped
// connection.
func (e *Emulator) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				e.logf("sfemu: panic serving %s %s: %v", r.Method, r.URL.Path, v)
				writeJSON(w, http.StatusInternalServerError, obj{{"error", "server_error"}, {"error_description", "internal server error"}})
			}
		}()
		e.logf("sfemu: %s %s%s", r.Method, r.Host, r.URL.Path)
		// Salesforce serves "//services/data" as "/services/data": the Salesforce CLI stores
		// an access-token login's instance URL with a trailing "/" and jsforce joins it with
		// "/services/...". ServeMux would answer 301 with a relative Location, which jsforce
		// cannot follow, so repeated slashes are collapsed here instead.
		if strings.Contains(r.URL.Path, "//") {
			r.URL.Path = collapseSlashes(r.URL.Path)
			r.URL.RawPath = ""
		}
		e.mu.Lock()
		e.housekeep(e.now()) // amortised purge of dead records (purge.go)
		e.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (e *Emulator) handleRoot(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	writeHTML(w, http.StatusOK, "Connected App Lab emulated org", `<h1>Emulated Salesforce org</h1><p>`+
		htmlEscape(e.org.Name)+` (`+htmlEscape(e.org.ID)+`). This is sfemu, not Salesforce.</p>`)
}

// randomToken returns n random bytes, URL-safe base64 without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// New token shapes (§11.2).
func (e *Emulator) newAccessToken() string { return e.org.ID[:15] + "!" + randomToken(72) }
func newRefreshToken() string              { return "5Aep861" + randomToken(60) }

// newAuthCode returns an "aPrx…==" style code (§3.1): standard base64 ending in "==".
func newAuthCode() string {
	b := make([]byte, 43) // 43 = 3*14+1 bytes, so standard base64 ends with "=="
	rand.Read(b)
	s := base64.StdEncoding.EncodeToString(b)
	return "aPrx" + s
}

// Description is what `connectedapplab emulate --json` prints.
type Description struct {
	BaseURL     string            `json:"base_url"`
	MyDomainURL string            `json:"my_domain_url"`
	Users       []DescribedUser   `json:"users"`
	Apps        []DescribedApp    `json:"apps"`
	Notes       []string          `json:"notes"`
	Endpoints   map[string]string `json:"endpoints,omitempty"`
}

// DescribedUser is one user in a Description.
type DescribedUser struct {
	Username              string `json:"username"`
	Password              string `json:"password"`
	SecurityToken         string `json:"security_token"`
	Profile               string `json:"profile"`
	SessionTimeoutMinutes int    `json:"session_timeout_minutes"`
	Status                string `json:"status,omitempty"`
	APIOnly               bool   `json:"api_only,omitempty"`
}

// DescribedApp is one app in a Description.
type DescribedApp struct {
	Name          string   `json:"name"`
	APIName       string   `json:"api_name"`
	Kind          string   `json:"kind"`
	ClientID      string   `json:"client_id"`
	ClientSecret  string   `json:"client_secret"`
	CallbackURLs  []string `json:"callback_urls"`
	Scopes        []string `json:"scopes"`
	Flows         []string `json:"flows"`
	JWTPrivateKey string   `json:"jwt_private_key,omitempty"`
	JWTUsername   string   `json:"jwt_username,omitempty"`
}

// Describe lists the org's URLs, demo credentials and apps with the flows each allows.
func (e *Emulator) Describe() Description {
	d := Description{BaseURL: e.LoginURL, MyDomainURL: e.MyDomainURL, Notes: append([]string{}, e.org.Notes...),
		Users: []DescribedUser{}, Apps: []DescribedApp{},
		Endpoints: map[string]string{
			"authorize":    e.LoginURL + "/services/oauth2/authorize",
			"token":        e.LoginURL + "/services/oauth2/token",
			"revoke":       e.LoginURL + "/services/oauth2/revoke",
			"introspect":   e.LoginURL + "/services/oauth2/introspect",
			"userinfo":     e.MyDomainURL + "/services/oauth2/userinfo",
			"discovery":    e.LoginURL + "/.well-known/openid-configuration",
			"jwks":         e.LoginURL + "/id/keys",
			"device":       e.LoginURL + "/setup/connect",
			"singleaccess": e.MyDomainURL + "/services/oauth2/singleaccess",
			"soap_login":   e.LoginURL + "/services/Soap/u/64.0",
			"rest":         e.MyDomainURL + "/services/data/v" + e.latestVersion() + "/",
			"metadata":     e.MyDomainURL + soapPrefix + e.latestVersion(),
		}}
	if e.opts.EnableControl {
		d.Endpoints["control"] = e.LoginURL + "/_sfemu/clock"
	}
	for i := range e.org.Users {
		u := &e.org.Users[i]
		st := "active"
		if u.Frozen {
			st = "frozen"
		}
		if u.Inactive {
			st = "inactive"
		}
		d.Users = append(d.Users, DescribedUser{Username: u.Username, Password: u.Password, SecurityToken: u.SecurityToken,
			Profile: u.Profile, SessionTimeoutMinutes: int(e.org.effectiveTimeout(nil, u) / time.Minute), Status: st, APIOnly: u.APIOnly})
	}
	for i := range e.org.Apps {
		a := &e.org.Apps[i]
		d.Apps = append(d.Apps, DescribedApp{Name: a.Name, APIName: a.apiName(), Kind: a.Kind, ClientID: a.ConsumerKey, ClientSecret: a.ConsumerSecret,
			CallbackURLs: append([]string{}, a.CallbackURLs...), Scopes: append([]string{}, a.Scopes...), Flows: e.appFlows(a),
			JWTPrivateKey: a.JWTPrivateKeyPEM, JWTUsername: a.JWTUsername})
	}
	return d
}

// appFlows lists the flow names (DESIGN.md) the app allows in this org.
func (e *Emulator) appFlows(a *App) []string {
	var f []string
	hasCB := len(a.CallbackURLs) > 0
	pkce := a.pkceRequired() || e.org.RequirePKCE
	if hasCB && !pkce {
		f = append(f, "web-server")
	}
	if hasCB {
		f = append(f, "web-server-pkce")
	}
	if hasCB && !e.org.BlockUserAgentFlow {
		f = append(f, "user-agent")
	}
	if !a.isECA() && !e.org.BlockUsernamePasswordFlow {
		f = append(f, "username-password")
	}
	if hasScope(a.Scopes, "refresh_token") || hasScope(a.Scopes, "offline_access") {
		f = append(f, "refresh")
	}
	if a.CertificatePEM != "" {
		f = append(f, "jwt-bearer")
	}
	if a.ClientCredentialsEnabled && a.ClientCredentialsUser != "" {
		f = append(f, "client-credentials")
	}
	if a.DeviceFlowEnabled && (a.Installed || !e.org.UninstalledAppGate) && e.deviceFlowAllowed(a) {
		f = append(f, "device")
	}
	if a.TokenExchangeEnabled {
		f = append(f, "token-exchange")
	}
	if a.CertificatePEM != "" {
		f = append(f, "saml-bearer")
	}
	if f == nil {
		f = []string{}
	}
	return f
}

func hasScope(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func splitScopes(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range strings.Fields(s) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// collapseSlashes replaces every run of "/" with one.
func collapseSlashes(p string) string {
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}
