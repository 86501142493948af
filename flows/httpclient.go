package flows

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/connectedapplab/connectedapplab/internal/loopback"
)

// Defaults for Options fields left at zero.
const (
	DefaultRequestTimeout = 30 * time.Second
	// DefaultListenTimeout is how long a browser flow's loopback listener waits for the
	// callback: the one value the command line, the window and the README use.
	DefaultListenTimeout = 2 * time.Minute
	// DefaultDeviceTimeout is how long the device flow polls for the user's approval.
	DefaultDeviceTimeout    = 10 * time.Minute
	DefaultMaxResponseBytes = 1 << 20 // every response body is capped at 1 MiB
)

// Sentinel errors; the errors a run returns wrap them so callers can use errors.Is.
var (
	ErrResponseTooLarge = errors.New("response body too large")
	ErrTimeout          = errors.New("no answer in time")
	ErrNotJSON          = errors.New("not JSON")
	ErrConnection       = errors.New("connection failed")
	ErrTLS              = errors.New("TLS certificate not trusted")
)

// RequestError is a failed HTTP exchange: the request could not be sent, no answer came in
// time, or the answer could not be read. Hint says what to change.
type RequestError struct {
	Step   string
	Method string
	URL    string // redacted
	Err    error
	Hint   string
}

func (e *RequestError) Error() string {
	s := fmt.Sprintf("%s %s: %v", e.Method, e.URL, e.Err)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

func (e *RequestError) Unwrap() error { return e.Err }

// HTTPError is an answer that is neither a token nor an OAuth error: a 5xx, an HTML page, a
// body that is not the JSON expected.
type HTTPError struct {
	Step        string
	Status      int
	ContentType string
	Snippet     string // start of the body, redacted
	Err         error  // ErrNotJSON, or nil for a plain bad status
	Hint        string
}

func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s endpoint answered %d %s", e.Step, e.Status, http.StatusText(e.Status))
	if e.Err != nil {
		fmt.Fprintf(&b, " (%v", e.Err)
		if e.ContentType != "" {
			fmt.Fprintf(&b, ", Content-Type %s", strings.Join(strings.Fields(e.ContentType), " "))
		}
		b.WriteString(")")
	}
	if e.Snippet != "" {
		fmt.Fprintf(&b, ": %q", e.Snippet)
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	return b.String()
}

func (e *HTTPError) Unwrap() error { return e.Err }

// dualTransport keeps two transports: one for loopback hosts (no proxy, TLS not verified:
// the emulator and local test peers use throw-away self-signed certificates, and an attacker
// who can answer on this machine's loopback already owns it), one for everything else (proxy
// from the environment or the request, system roots plus the extra CA bundle, always verified).
type dualTransport struct {
	loopback, remote *http.Transport
}

func (d *dualTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if isLoopbackHost(r.URL.Hostname()) {
		return d.loopback.RoundTrip(r)
	}
	return d.remote.RoundTrip(r)
}

var (
	transports       sync.Map                      // config key -> *dualTransport
	defaultTransport atomic.Pointer[dualTransport] // the one without proxy URL and CA bundle, also in transports
)

// CloseIdleConnections closes the kept-alive connections of every transport flows made.
// Runs share transports (one per proxy and CA bundle) so that repeated requests reuse
// connections; call this when done, or before checking for leftover goroutines.
func CloseIdleConnections() {
	transports.Range(func(_, v any) bool {
		d := v.(*dualTransport)
		d.loopback.CloseIdleConnections()
		d.remote.CloseIdleConnections()
		return true
	})
}

// transportFor returns the shared transport for the networking options.
func transportFor(o Options) (http.RoundTripper, error) {
	if o.Transport != nil {
		return o.Transport, nil
	}
	plain := o.ProxyURL == "" && len(o.CABundlePEM) == 0
	if plain {
		if d := defaultTransport.Load(); d != nil {
			return d, nil
		}
	}
	sum := sha256.Sum256(o.CABundlePEM)
	key := o.ProxyURL + "\x00" + string(sum[:])
	if t, ok := transports.Load(key); ok {
		return t.(*dualTransport), nil
	}
	proxy := http.ProxyFromEnvironment // HTTP_PROXY, HTTPS_PROXY, NO_PROXY
	if o.ProxyURL != "" {
		pu, err := url.Parse(o.ProxyURL)
		if err != nil || pu.Host == "" || (pu.Scheme != "http" && pu.Scheme != "https" && pu.Scheme != "socks5") {
			return nil, fmt.Errorf("invalid proxy URL %q: use http://host:port", o.ProxyURL)
		}
		proxy = http.ProxyURL(pu)
	}
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(o.CABundlePEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(o.CABundlePEM) {
			return nil, errors.New("the CA bundle holds no PEM certificate: pass a file with -----BEGIN CERTIFICATE----- blocks")
		}
		tlsConf.RootCAs = pool
	}
	base := http.DefaultTransport.(*http.Transport)
	remote := base.Clone()
	remote.Proxy = proxy
	remote.TLSClientConfig = tlsConf
	remote.MaxIdleConnsPerHost = 4
	loop := base.Clone()
	loop.Proxy = nil
	loop.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // loopback only, see dualTransport
	loop.MaxIdleConnsPerHost = 4
	d := &dualTransport{loopback: loop, remote: remote}
	actual, _ := transports.LoadOrStore(key, d)
	if plain {
		defaultTransport.Store(actual.(*dualTransport))
	}
	return actual.(*dualTransport), nil
}

// isLoopbackHost is the repository's one loopback rule (internal/loopback).
var isLoopbackHost = loopback.IsLoopbackHost

// record is one exchange as captured, unredacted; it never leaves the package. Its Exchange
// is redacted once, when the transcript is read (recorder.exchanges, at the end of a run):
// during the run the recorder only keeps bytes, and redaction then knows every secret and
// token the run has seen (a superset of those known when the request was sent).
type record struct {
	ex         Exchange // Step, Method, Status, Duration, Error, Note; the rest is filled by redaction
	final      bool     // ex is complete (added already redacted, or redacted before)
	url        *url.URL
	reqHeader  http.Header
	reqBody    []byte
	respHeader http.Header
	respBody   []byte // at most 512 bytes when truncated
	truncated  bool
	parsed     map[string]any // the token response's fields, decoded once for the caller and redaction
}

// recorder sends every request of a run (send): it applies the per-request timeout, caps
// the body and records the exchange.
type recorder struct {
	base    http.RoundTripper
	timeout time.Duration
	max     int64
	red     *redactor

	// tokenURL is the token endpoint tokenRaw as parsed by validation, shared (read only)
	// by the run's token requests.
	tokenURL *url.URL
	tokenRaw string

	mu      sync.Mutex
	records []*record
	tr      Transcript
}

// send sends one request of the run and returns the answer with its body read in full
// (capped at Options.MaxResponseBytes), recording the exchange. It calls the transport
// itself rather than through an http.Client: the client would add nothing a run uses (no
// cookies, no client timeout) and one thing it must not do, follow redirects. A redirect
// from an OAuth endpoint is a misconfiguration (http:// instead of https://, a wrong host);
// following it would turn a POST into a GET, so a 3xx is returned as it came.
func (rc *recorder) send(parent context.Context, step, method, endpoint string, h http.Header, reqBody []byte) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(parent, rc.timeout)
	defer cancel()
	var body io.Reader
	if reqBody != nil {
		body = bytes.NewReader(reqBody)
	}
	var r *http.Request
	var err error
	if rc.tokenURL != nil && endpoint == rc.tokenRaw {
		// Already parsed: the request gets it as NewRequest would set it from the string.
		if r, err = http.NewRequestWithContext(ctx, method, "", body); err == nil {
			r.URL, r.Host = rc.tokenURL, rc.tokenURL.Host
		}
	} else {
		r, err = http.NewRequestWithContext(ctx, method, endpoint, body)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("bad %s URL %q: %w", step, rc.red.scrub(endpoint), err)
	}
	r.Header = h
	rec := &record{ex: Exchange{Step: step, Method: method}, url: r.URL, reqHeader: h, reqBody: reqBody}
	start := time.Now()
	resp, err := rc.base.RoundTrip(r)
	if err != nil {
		rec.ex.Duration = time.Since(start)
		rerr := rc.classify(step, r, err, parent, ctx)
		rec.ex.Error = rerr.Error()
		rc.add(rec)
		return nil, nil, rerr
	}
	var buf []byte
	if resp.ContentLength >= 0 && resp.ContentLength <= rc.max {
		buf = make([]byte, 0, resp.ContentLength+1) // +1: room to see EOF without growing
	}
	buf, err = readAllInto(buf, io.LimitReader(resp.Body, rc.max+1))
	resp.Body.Close()
	rec.ex.Duration = time.Since(start)
	rec.ex.Status = resp.StatusCode
	rec.respHeader = resp.Header
	if err != nil {
		rerr := rc.classify(step, r, err, parent, ctx)
		rec.ex.Error = rerr.Error()
		rc.add(rec)
		return nil, nil, rerr
	}
	if int64(len(buf)) > rc.max {
		rerr := &RequestError{Step: step, Method: method, URL: rc.red.url(r.URL.String()),
			Err:  fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, rc.max),
			Hint: "this is not a Salesforce OAuth answer; check the login URL and any proxy in between"}
		rec.respBody = buf[:min(len(buf), 512):min(len(buf), 512)]
		rec.truncated = true
		rec.ex.Error = rerr.Error()
		rc.add(rec)
		return nil, nil, rerr
	}
	rec.respBody = buf
	resp.Body = http.NoBody
	resp.ContentLength = int64(len(buf))
	rc.add(rec)
	return resp, buf, nil
}

// readAllInto is io.ReadAll appending to b (whose capacity may already fit the body).
func readAllInto(b []byte, r io.Reader) ([]byte, error) {
	if cap(b) == 0 {
		b = make([]byte, 0, 512)
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}

func (rc *recorder) add(rec *record) {
	rc.mu.Lock()
	rc.records = append(rc.records, rec)
	rc.mu.Unlock()
}

// shareParsed hands the decoded body of the last answer to the transcript, so that
// redaction does not decode it again. The map is only read.
func (rc *recorder) shareParsed(body []byte, parsed map[string]any) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if n := len(rc.records); n > 0 {
		if r := rc.records[n-1]; !r.truncated && len(r.respBody) == len(body) && (len(body) == 0 || &r.respBody[0] == &body[0]) {
			r.parsed = parsed
		}
	}
}

// addExchange records an exchange that is already redacted (the browser's legs).
func (rc *recorder) addExchange(ex Exchange) {
	rc.mu.Lock()
	rc.records = append(rc.records, &record{ex: ex, final: true})
	rc.mu.Unlock()
}

// transcript hands the run's records to a Transcript, which redacts them when first read.
func (rc *recorder) transcript() *Transcript {
	rc.tr.rec = rc // the Transcript lives in the recorder: one allocation less per run
	return &rc.tr
}

// Transcript is a run's HTTP exchanges. Recording keeps only the bytes; redaction (and the
// curl commands) happen on the first call of Exchanges, when every secret and token the run
// has seen is known, so a run whose transcript nobody reads does not pay for it. The
// unredacted bytes never leave the package and are dropped once redacted.
type Transcript struct {
	once sync.Once
	rec  *recorder
	list []Exchange
}

// NewTranscript returns a transcript of exchanges that are already redacted.
func NewTranscript(ex ...Exchange) *Transcript {
	t := &Transcript{list: ex}
	t.once.Do(func() {})
	return t
}

// Exchanges returns the redacted exchanges in the order they happened. It is safe to call
// from several goroutines; nil has none.
func (t *Transcript) Exchanges() []Exchange {
	if t == nil {
		return nil
	}
	t.once.Do(func() {
		if t.rec != nil {
			t.list = t.rec.exchanges()
			t.rec = nil
		}
	})
	return t.list
}

// exchanges returns the redacted transcript, redacting what was recorded since the last call.
func (rc *recorder) exchanges() []Exchange {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make([]Exchange, len(rc.records))
	for i, r := range rc.records {
		if !r.final {
			rc.red.redactRequest(r)
			rc.red.redactResponse(r)
			r.ex.Error = rc.red.scrub(r.ex.Error)
			r.final = true
			r.reqHeader, r.reqBody, r.respHeader, r.respBody, r.parsed = nil, nil, nil, nil, nil
		}
		out[i] = r.ex
	}
	return out
}

// classify turns a transport error into one line that says what happened and what to change.
func (rc *recorder) classify(step string, r *http.Request, err error, parent, ctx context.Context) *RequestError {
	e := &RequestError{Step: step, Method: r.Method, URL: rc.red.url(r.URL.String()), Err: err}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var dnsErr *net.DNSError
	switch {
	case parent.Err() != nil:
		e.Err = parent.Err()
		if errors.Is(parent.Err(), context.DeadlineExceeded) {
			e.Hint = "the run's time limit passed"
		} else {
			e.Hint = "cancelled"
		}
	case ctx.Err() != nil || isTimeout(err):
		e.Err = fmt.Errorf("%w within %s", ErrTimeout, rc.timeout)
		e.Hint = "the server is slow or unreachable: check the login URL and the proxy settings (HTTPS_PROXY, NO_PROXY, --proxy), or raise --request-timeout"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		e.Err = fmt.Errorf("%w: %v", ErrTLS, err)
		e.Hint = "if a corporate proxy inspects TLS, pass its CA certificates with --ca-bundle FILE"
	case errors.As(err, &dnsErr):
		e.Err = fmt.Errorf("%w: cannot resolve %s", ErrConnection, r.URL.Hostname())
		e.Hint = "check the login URL's host name, or set HTTPS_PROXY when only a proxy can resolve it"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Err = fmt.Errorf("%w: connection refused", ErrConnection)
		e.Hint = "nothing listens at " + r.URL.Host + ": check the login URL"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		e.Err = fmt.Errorf("%w: the server closed the connection without a complete answer", ErrConnection)
		e.Hint = "a proxy or firewall may be cutting the connection: check HTTPS_PROXY/NO_PROXY, or try again"
	}
	return e
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// mediaType returns the bare media type of a Content-Type header, lower case. It is what
// mime.ParseMediaType returns (and what it falls back to when the parameters are invalid)
// without parsing the parameters, which no caller needs.
func mediaType(ct string) string {
	base, _, _ := strings.Cut(ct, ";")
	base = strings.TrimSpace(base)
	for i := 0; i < len(base); i++ {
		if c := base[i]; 'A' <= c && c <= 'Z' || c >= utf8.RuneSelf {
			return strings.ToLower(base)
		}
	}
	return base
}

func looksLikeHTML(ct string, body []byte) bool {
	if mt := mediaType(ct); mt == "text/html" || mt == "application/xhtml+xml" {
		return true
	}
	b := bytes.TrimSpace(body)
	return len(b) > 0 && b[0] == '<'
}
