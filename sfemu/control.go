package sfemu

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Bounds of the clock control (issue 14 item 8): one advance moves the clock at most
// maxAdvance, and all advances together at most maxTotalAdvance, so an offset clock's
// time.Duration cannot overflow and the time stays printable as RFC 3339.
const (
	maxAdvance      = 100 * 365 * 24 * time.Hour // 876000h
	maxTotalAdvance = 2 * maxAdvance
)

// handleControl serves the loopback-only clock control endpoint (off unless
// Options.EnableControl):
//
//	GET  /_sfemu/clock               -> {"now":"RFC3339"}
//	POST /_sfemu/clock/advance?by=2h -> {"now":"RFC3339"} after moving the clock forward
//
// It answers 403 to a caller that is not on a loopback address, to a Host that is not a
// loopback literal or localhost with this server's own port (DNS rebinding), and to any
// Origin header but this server's own (a web page's cross-site request, CSRF).
func (e *Emulator) handleControl(w http.ResponseWriter, r *http.Request) {
	if !e.opts.EnableControl {
		http.NotFound(w, r)
		return
	}
	forbid := func(why string) {
		writeJSON(w, http.StatusForbidden, obj{{"error", "forbidden"}, {"error_description", why}})
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		forbid("the control endpoint answers loopback clients only")
		return
	}
	if !e.ownHostPort(r.Host) {
		forbid("the control endpoint answers only requests whose Host is this server's loopback address and port")
		return
	}
	if origin, ok := r.Header["Origin"]; ok && (len(origin) != 1 || !e.ownOrigin(origin[0])) {
		forbid("the control endpoint refuses requests from other origins")
		return
	}
	switch r.URL.Path {
	case "/_sfemu/clock":
		if r.Method != http.MethodGet {
			writeJSON(w, http.StatusMethodNotAllowed, obj{{"error", "method_not_allowed"}, {"error_description", "use GET"}})
			return
		}
	case "/_sfemu/clock/advance":
		if r.Method != http.MethodPost {
			writeJSON(w, http.StatusMethodNotAllowed, obj{{"error", "method_not_allowed"}, {"error_description", "use POST"}})
			return
		}
		d, err := time.ParseDuration(r.URL.Query().Get("by"))
		if err != nil || d < 0 || d > maxAdvance {
			writeJSON(w, http.StatusBadRequest, obj{{"error", "invalid_request"}, {"error_description", "by must be a Go duration from 0s to 876000h (100 years), such as 90s, 30m or 2h"}})
			return
		}
		adv, ok := e.clock.(advancer)
		if !ok {
			writeJSON(w, http.StatusConflict, obj{{"error", "invalid_request"}, {"error_description", "this clock cannot be advanced"}})
			return
		}
		e.mu.Lock()
		if e.advanced+d > maxTotalAdvance {
			e.mu.Unlock()
			writeJSON(w, http.StatusBadRequest, obj{{"error", "invalid_request"}, {"error_description", "the clock has been advanced as far as it can go (200 years in all)"}})
			return
		}
		e.advanced += d
		adv.Advance(d)
		e.mu.Unlock()
	default:
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, obj{{"now", e.now().UTC().Format(time.RFC3339)}})
}

// ownHostPort reports whether a Host header names this server: a loopback IP literal or
// "localhost", with one of the server's two ports (any port when the handler is served
// without Start).
func (e *Emulator) ownHostPort(hostport string) bool {
	h, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return false
	}
	if !strings.EqualFold(h, "localhost") {
		ip := net.ParseIP(h)
		if ip == nil || !ip.IsLoopback() {
			return false
		}
	}
	if e.loginPort == "" && e.myDomainPort == "" {
		return true
	}
	return port == e.loginPort || port == e.myDomainPort
}

// ownOrigin reports whether an Origin header is this server's own: http://HOST:PORT with
// HOST and PORT as ownHostPort accepts them.
func (e *Emulator) ownOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "http" || u.Path != "" || u.RawQuery != "" || u.User != nil {
		return false
	}
	return e.ownHostPort(u.Host)
}
