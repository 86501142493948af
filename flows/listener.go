package flows

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Listener errors; a *ListenError wraps one of them.
var (
	ErrPortBusy         = errors.New("port already in use")
	ErrListenTimeout    = errors.New("no callback arrived")
	ErrStateMismatch    = errors.New("state mismatch")
	ErrNotLoopback      = errors.New("callback URL is not a loopback URL")
	ErrBadCallbackURL   = errors.New("invalid callback URL")
	ErrListenerFinished = errors.New("listener closed")
)

// ListenError is a loopback listener failure, with what to change.
type ListenError struct {
	Err  error
	Msg  string
	Hint string
}

func (e *ListenError) Error() string {
	s := e.Msg
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

func (e *ListenError) Unwrap() error { return e.Err }

// ListenerOptions configure a loopback callback listener (RFC 8252 §7.3).
type ListenerOptions struct {
	// CallbackURL is the redirect URI: http, a loopback host (localhost, 127.0.0.1, [::1]),
	// an explicit port and a path. The listener binds exactly that host, port and path. Port 0
	// picks a free port (for servers that accept any loopback port); RedirectURI tells which.
	CallbackURL string
	// State is the value the callback must carry back.
	State string
	// Timeout bounds Wait (default 2 minutes).
	Timeout time.Duration
	// Fragment serves a page that posts the URL fragment back (user-agent flow), since the
	// fragment never reaches a server.
	Fragment bool
	// Grace is how long Close waits for the browser to fetch the result page (default 2 s).
	Grace time.Duration
	// AllowedOrigins are the origins (scheme://host[:port]) whose Private Network Access
	// preflight is answered: the OAuth server's pages that redirect the browser here. Any
	// other Origin gets a 403 without CORS headers. Empty: no preflight is answered.
	AllowedOrigins []string
}

// Callback is what came back to the listener: the query (or fragment) parameters.
type Callback struct {
	Params   url.Values
	Received time.Time
	// Error is set for an error callback (error, error_description).
	Error *OAuthError
}

// Listener is a one-shot loopback HTTP server for an OAuth callback.
type Listener struct {
	opts     ListenerOptions
	u        *url.URL
	path     string
	redirect string
	srv      *http.Server
	lns      []net.Listener
	serveWG  sync.WaitGroup

	once     sync.Once
	result   chan listenResult
	mu       sync.Mutex
	done     bool   // a final callback was received
	page     string // result page HTML
	pageSeen chan struct{}
	seenOnce sync.Once
	closed   bool
	host     string   // the only Host header served: the callback URL's host:port, lower case
	warnings []string // callbacks refused without ending the wait (wrong state), at most maxWarnings
	ignored  int      // how many were refused
}

// maxWarnings bounds the refused callbacks kept as warnings (a page could send thousands).
const maxWarnings = 10

type listenResult struct {
	cb  *Callback
	err error
}

const resultPath = "/_connectedapplab/result"

// ParseCallbackURL checks that raw is a usable loopback redirect URI.
func ParseCallbackURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, &ListenError{Err: ErrBadCallbackURL, Msg: fmt.Sprintf("callback URL %q is not a URL", raw),
			Hint: "use e.g. http://localhost:1717/OauthRedirect (the same as on the Connected App)"}
	}
	if u.Scheme != "http" {
		return nil, &ListenError{Err: ErrBadCallbackURL, Msg: fmt.Sprintf("callback URL %q must use http://", raw),
			Hint: "a loopback listener has no certificate; use http://localhost:PORT/PATH here and on the app"}
	}
	if !isLoopbackHost(u.Hostname()) {
		return nil, &ListenError{Err: ErrNotLoopback, Msg: fmt.Sprintf("callback URL %q is not on this machine's loopback", raw),
			Hint: "use localhost, 127.0.0.1 or [::1]; Connected App Lab only listens on loopback"}
	}
	if u.Port() == "" {
		return nil, &ListenError{Err: ErrBadCallbackURL, Msg: fmt.Sprintf("callback URL %q has no port", raw),
			Hint: "add the port, e.g. http://localhost:1717/OauthRedirect, here and on the app"}
	}
	if _, err := strconv.ParseUint(u.Port(), 10, 16); err != nil {
		return nil, &ListenError{Err: ErrBadCallbackURL, Msg: fmt.Sprintf("callback URL %q has an invalid port", raw)}
	}
	return u, nil
}

// Listen binds the callback URL's host, port and path. Call it before opening the browser.
func Listen(ctx context.Context, o ListenerOptions) (*Listener, error) {
	u, err := ParseCallbackURL(o.CallbackURL)
	if err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultListenTimeout
	}
	if o.Grace <= 0 {
		o.Grace = 2 * time.Second
	}
	l := &Listener{opts: o, u: u, path: u.EscapedPath(), result: make(chan listenResult, 1),
		pageSeen: make(chan struct{})}
	if l.path == "" {
		l.path = "/"
	}
	port := u.Port()
	host := u.Hostname()
	hosts := []string{host}
	if strings.EqualFold(host, "localhost") {
		// Browsers resolve localhost to 127.0.0.1 and ::1 and may try ::1 first; both must be
		// ours, or a program holding [::1]:PORT receives the code (or, in the user-agent flow,
		// the token). Half-bound is never an option (issue 14.1).
		hosts = []string{"127.0.0.1", "::1"}
	}
	var err2 error
	for attempt := 0; attempt < 8; attempt++ {
		l.lns, err2 = bindAll(ctx, u, hosts, port)
		if err2 == nil || port != "0" {
			break
		}
		// port 0: the port the first address got is taken on another; pick a new one
	}
	if err2 != nil {
		return nil, err2
	}
	ru := *u
	if port == "0" {
		ru.Host = net.JoinHostPort(host, strconv.Itoa(l.lns[0].Addr().(*net.TCPAddr).Port))
		if strings.Contains(host, ":") {
			ru.Host = net.JoinHostPort(host, strconv.Itoa(l.lns[0].Addr().(*net.TCPAddr).Port))
		}
	}
	l.redirect = ru.String()
	l.host = strings.ToLower(ru.Host)
	l.srv = &http.Server{Handler: http.HandlerFunc(l.serveHTTP), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: nil}
	for _, ln := range l.lns {
		l.serveWG.Add(1)
		go func(ln net.Listener) {
			defer l.serveWG.Done()
			_ = l.srv.Serve(ln)
		}(ln)
	}
	return l, nil
}

// bindAll binds port on every host, or none: on any failure the ones bound are closed.
// With port "0" the first host picks the port and the others bind the same one.
func bindAll(ctx context.Context, u *url.URL, hosts []string, port string) ([]net.Listener, error) {
	var lns []net.Listener
	fail := func(addr string, err error) ([]net.Listener, error) {
		for _, ln := range lns {
			ln.Close()
		}
		return nil, busyError(u, addr, err)
	}
	if port != "0" {
		// Like the Salesforce CLI, first see whether something already answers there: on some
		// systems a bind succeeds next to another program's wildcard socket.
		for _, h := range hosts {
			addr := net.JoinHostPort(h, port)
			d := net.Dialer{Timeout: 300 * time.Millisecond}
			if c, err := d.DialContext(ctx, "tcp", addr); err == nil {
				c.Close()
				return fail(addr, nil)
			}
		}
	}
	var lc net.ListenConfig
	for i, h := range hosts {
		p := port
		if i > 0 {
			p = strconv.Itoa(lns[0].Addr().(*net.TCPAddr).Port)
		}
		addr := net.JoinHostPort(h, p)
		ln, err := lc.Listen(ctx, "tcp", addr)
		if err != nil {
			if i > 0 && !hasLoopback(ctx, h) {
				// this machine has no such loopback (no IPv6): nobody can listen there either
				continue
			}
			return fail(addr, err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// hasLoopback reports whether this machine can listen on the loopback address ip at all
// (any port): ::1 is missing where IPv6 is disabled.
func hasLoopback(ctx context.Context, ip string) bool {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// busyError says that addr (one of the addresses the callback host stands for) cannot be
// bound, naming the port and the address, in one line.
func busyError(u *url.URL, addr string, err error) error {
	where := u.Host
	if h, _, _ := net.SplitHostPort(addr); h != "" && !strings.EqualFold(h, u.Hostname()) {
		where = addr + " (" + u.Hostname() + " stands for it too)"
	}
	msg := fmt.Sprintf("cannot listen on %s: port %s is already in use on %s", where, u.Port(), addrHost(addr))
	if u.Port() == "0" {
		msg = fmt.Sprintf("cannot listen on %s: no port is free on every address of %s", where, u.Hostname())
	}
	if err != nil && !errors.Is(err, syscall.EADDRINUSE) && !strings.Contains(err.Error(), "Only one usage") {
		msg = fmt.Sprintf("cannot listen on %s: %v", where, err)
	}
	return &ListenError{Err: ErrPortBusy, Msg: msg,
		Hint: fmt.Sprintf("close the program using port %s (another login, the Salesforce CLI?), or change the port in the callback URL both on the Connected App and in --callback-url", u.Port())}
}

func addrHost(addr string) string {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return h
}

// RedirectURI is the callback URL being served (with the real port when port 0 was asked for).
func (l *Listener) RedirectURI() string { return l.redirect }

// Wait blocks until one valid callback arrives, the timeout passes, or ctx ends. An error
// callback returns the Callback and its *OAuthError.
func (l *Listener) Wait(ctx context.Context) (*Callback, error) {
	t := time.NewTimer(l.opts.Timeout)
	defer t.Stop()
	select {
	case r := <-l.result:
		return r.cb, r.err
	case <-ctx.Done():
		return nil, &ListenError{Err: ctx.Err(), Msg: "stopped waiting for the browser: " + ctx.Err().Error()}
	case <-t.C:
		msg := fmt.Sprintf("no callback reached %s within %s", l.redirect, l.opts.Timeout)
		if n := l.ignoredCount(); n > 0 {
			msg = fmt.Sprintf("no valid callback reached %s within %s (%d with a wrong state were ignored)", l.redirect, l.opts.Timeout, n)
		}
		return nil, &ListenError{Err: ErrListenTimeout,
			Msg: msg,
			Hint: "look at the browser tab: a wrong client ID (\"client identifier invalid\"), a callback URL that differs from the app's " +
				"(\"redirect_uri must match configuration\"), or a scope the app does not allow is shown on Salesforce's page and never reaches " +
				"Connected App Lab; otherwise the login was not finished in time (raise --listen-timeout)"}
	}
}

// Warnings are the callbacks refused without ending the wait (a wrong state: an old tab, or
// a page trying to abort or hijack the login), one line each, the first few of them.
func (l *Listener) Warnings() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := append([]string(nil), l.warnings...)
	if l.ignored > len(l.warnings) {
		out = append(out, fmt.Sprintf("%d more callbacks with a wrong state were ignored", l.ignored-len(l.warnings)))
	}
	return out
}

func (l *Listener) ignoredCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ignored
}

func (l *Listener) warn(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ignored++
	if len(l.warnings) < maxWarnings {
		l.warnings = append(l.warnings, msg)
	}
}

// Close stops the listener, after giving the browser a moment to fetch the result page.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	done := l.done
	l.mu.Unlock()
	if done {
		t := time.NewTimer(l.opts.Grace)
		select {
		case <-l.pageSeen:
		case <-t.C:
		}
		t.Stop()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := l.srv.Shutdown(ctx)
	if err != nil {
		l.srv.Close()
	}
	l.serveWG.Wait()
	return nil
}

func (l *Listener) finish(w http.ResponseWriter, r *http.Request, res listenResult, page string) {
	l.mu.Lock()
	if l.done {
		l.mu.Unlock()
		writePage(w, http.StatusGone, "Already done", "Connected App Lab already received a callback for this login. You can close this tab.")
		return
	}
	l.done = true
	l.page = page
	l.mu.Unlock()
	l.result <- res
	// 303 to a local page: the browser's address bar then no longer shows the code.
	http.Redirect(w, r, resultPath, http.StatusSeeOther)
}

func (l *Listener) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !strings.EqualFold(r.Host, l.host) {
		// DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 sends
		// Host: evil.example:PORT. Only the callback's own host:port is served.
		http.Error(w, "misdirected request: this listener serves only "+l.host, http.StatusMisdirectedRequest)
		return
	}
	if r.Method == http.MethodOptions {
		// Chrome's Private Network Access preflight before a public page navigates to loopback:
		// answered only for the OAuth server's own origins. The user-agent flow's page posts
		// to its own origin, which needs no preflight.
		o := r.Header.Get("Origin")
		if o == "" || !slices.Contains(l.opts.AllowedOrigins, o) {
			http.Error(w, "origin not allowed", http.StatusForbidden)
			return
		}
		w.Header().Set("Vary", "Origin")
		w.Header().Set("Access-Control-Allow-Origin", o)
		if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
			w.Header().Set("Access-Control-Allow-Private-Network", "true")
		}
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch r.URL.Path {
	case "/favicon.ico", "/apple-touch-icon.png", "/apple-touch-icon-precomposed.png":
		http.NotFound(w, r)
		return
	case resultPath:
		l.mu.Lock()
		page := l.page
		l.mu.Unlock()
		if page == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
		l.seenOnce.Do(func() { close(l.pageSeen) })
		return
	}
	if r.URL.EscapedPath() != l.path {
		http.NotFound(w, r)
		return
	}
	var params url.Values
	switch {
	case r.Method == http.MethodGet && l.opts.Fragment && r.URL.RawQuery == "":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, fragmentPage)
		return
	case r.Method == http.MethodGet:
		params = r.URL.Query()
	case r.Method == http.MethodPost && l.opts.Fragment:
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			writePage(w, http.StatusBadRequest, "Bad callback", "The callback could not be read.")
			return
		}
		params = r.PostForm
	default:
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	l.handleParams(w, r, params)
}

func (l *Listener) handleParams(w http.ResponseWriter, r *http.Request, params url.Values) {
	cb := &Callback{Params: params, Received: time.Now()}
	if params.Get("state") != l.opts.State {
		// Not this login's callback: an old tab, or a page trying to end the login early. It
		// is refused and noted, and the listener keeps waiting for the right one.
		l.warn("ignored a callback whose state does not match the one sent (" + describeState(params.Get("state")) +
			"): it belongs to another login attempt (an old browser tab?) or was forged")
		writePage(w, http.StatusBadRequest, "State mismatch",
			"This callback does not belong to the login Connected App Lab started, so it was ignored. Connected App Lab is still waiting for the login it started.")
		return
	}
	if e := params.Get("error"); e != "" {
		oe := &OAuthError{Code: e, Description: params.Get("error_description"), Where: "authorize"}
		cb.Error = oe
		l.finish(w, r, listenResult{cb: cb, err: oe}, resultPage(false, "Salesforce returned an error",
			e+": "+params.Get("error_description")+"\n\nGo back to Connected App Lab for what it means and what to change."))
		return
	}
	if params.Get("code") == "" && params.Get("access_token") == "" {
		writePage(w, http.StatusBadRequest, "Not a callback", "This request carries neither a code nor a token nor an error. Go back to Connected App Lab.")
		return
	}
	l.finish(w, r, listenResult{cb: cb}, resultPage(true, "Login received",
		"Connected App Lab received the login. You can close this tab and go back to Connected App Lab."))
}

func describeState(s string) string {
	if s == "" {
		return "the callback has none"
	}
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return "got " + strconv.Quote(s)
}

func resultPage(ok bool, title, text string) string {
	color := "#b00020"
	if ok {
		color = "#0a7d32"
	}
	return `<!doctype html><html><head><meta charset="utf-8"><title>` + html.EscapeString(title) + ` - Connected App Lab</title></head>` +
		`<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1 id="` + map[bool]string{true: "done", false: "failed"}[ok] +
		`" style="color:` + color + `">` + html.EscapeString(title) + `</h1><p style="white-space:pre-wrap">` + html.EscapeString(text) + `</p></body></html>`
}

func writePage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, resultPage(false, title, text))
}

// fragmentPage posts the URL fragment (user-agent flow) back to the same path, after taking
// it out of the address bar and history.
const fragmentPage = `<!doctype html><html><head><meta charset="utf-8"><title>Connected App Lab</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto"><p id="wait">Handing the login to Connected App Lab…</p>
<form id="f" method="post"></form>
<script>
(function () {
  var h = location.hash.replace(/^#/, "");
  history.replaceState(null, "", location.pathname);
  var f = document.getElementById("f");
  f.action = location.pathname;
  new URLSearchParams(h).forEach(function (v, k) {
    var i = document.createElement("input");
    i.type = "hidden"; i.name = k; i.value = v; f.appendChild(i);
  });
  f.submit();
})();
</script></body></html>`
