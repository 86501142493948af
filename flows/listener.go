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
}

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
	if !isLoopbackHost(u.Hostname()) || strings.HasSuffix(strings.ToLower(u.Hostname()), ".localhost") {
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
		// browsers resolve localhost to 127.0.0.1 or ::1; serve both when the machine has IPv6
		hosts = []string{"127.0.0.1", "::1"}
	}
	if port != "0" {
		// Like the Salesforce CLI, first see whether something already answers there: on some
		// systems a bind succeeds next to another program's wildcard socket.
		d := net.Dialer{Timeout: 300 * time.Millisecond}
		if c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(hosts[0], port)); err == nil {
			c.Close()
			return nil, busyError(u, nil)
		}
	}
	var lc net.ListenConfig
	for i, h := range hosts {
		p := port
		if i > 0 && port == "0" {
			p = strconv.Itoa(l.lns[0].Addr().(*net.TCPAddr).Port)
		}
		ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(h, p))
		if err != nil {
			if i > 0 { // no IPv6 loopback on this machine: 127.0.0.1 is enough
				continue
			}
			return nil, busyError(u, err)
		}
		l.lns = append(l.lns, ln)
	}
	ru := *u
	if port == "0" {
		ru.Host = net.JoinHostPort(host, strconv.Itoa(l.lns[0].Addr().(*net.TCPAddr).Port))
		if strings.Contains(host, ":") {
			ru.Host = net.JoinHostPort(host, strconv.Itoa(l.lns[0].Addr().(*net.TCPAddr).Port))
		}
	}
	l.redirect = ru.String()
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

func busyError(u *url.URL, err error) error {
	msg := fmt.Sprintf("cannot listen on %s: port %s is already in use", u.Host, u.Port())
	if err != nil && !errors.Is(err, syscall.EADDRINUSE) && !strings.Contains(err.Error(), "Only one usage") {
		msg = fmt.Sprintf("cannot listen on %s: %v", u.Host, err)
	}
	return &ListenError{Err: ErrPortBusy, Msg: msg,
		Hint: fmt.Sprintf("close the program using port %s (another login, the Salesforce CLI?), or change the port in the callback URL both on the Connected App and in --callback-url", u.Port())}
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
		return nil, &ListenError{Err: ErrListenTimeout,
			Msg: fmt.Sprintf("no callback reached %s within %s", l.redirect, l.opts.Timeout),
			Hint: "look at the browser tab: a wrong client ID (\"client identifier invalid\"), a callback URL that differs from the app's " +
				"(\"redirect_uri must match configuration\"), or a scope the app does not allow is shown on Salesforce's page and never reaches " +
				"Connected App Lab; otherwise the login was not finished in time (raise --listen-timeout)"}
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
	if r.Method == http.MethodOptions {
		// Chrome's Private Network Access preflight before a public page navigates to loopback.
		if r.Header.Get("Access-Control-Request-Private-Network") == "true" {
			w.Header().Set("Access-Control-Allow-Private-Network", "true")
		}
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
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
		err := &ListenError{Err: ErrStateMismatch,
			Msg:  "the callback's state does not match the one sent (" + describeState(params.Get("state")) + ")",
			Hint: "it belongs to another login attempt (an old browser tab?) or was forged: close old tabs and run the flow again"}
		l.finish(w, r, listenResult{cb: cb, err: err}, resultPage(false, "State mismatch",
			"This callback does not belong to the login Connected App Lab started, so it was refused. Go back to Connected App Lab and start again."))
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
