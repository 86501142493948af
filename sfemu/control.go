package sfemu

import (
	"net"
	"net/http"
	"time"
)

// handleControl serves the loopback-only clock control endpoint (off unless
// Options.EnableControl):
//
//	GET  /_sfemu/clock               -> {"now":"RFC3339"}
//	POST /_sfemu/clock/advance?by=2h -> {"now":"RFC3339"} after moving the clock forward
//
// Requests from a non-loopback address get 403.
func (e *Emulator) handleControl(w http.ResponseWriter, r *http.Request) {
	if !e.opts.EnableControl {
		http.NotFound(w, r)
		return
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		writeJSON(w, http.StatusForbidden, obj{{"error", "forbidden"}, {"error_description", "the control endpoint answers loopback clients only"}})
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
		if err != nil || d < 0 {
			writeJSON(w, http.StatusBadRequest, obj{{"error", "invalid_request"}, {"error_description", "by must be a non-negative Go duration such as 90s, 30m or 2h"}})
			return
		}
		adv, ok := e.clock.(advancer)
		if !ok {
			writeJSON(w, http.StatusConflict, obj{{"error", "invalid_request"}, {"error_description", "this clock cannot be advanced"}})
			return
		}
		adv.Advance(d)
	default:
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, obj{{"now", e.now().UTC().Format(time.RFC3339)}})
}
