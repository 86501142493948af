package store

import "testing"

// Plain http is for loopback only, and loopback is decided by internal/loopback: names that
// merely look local (127.example.com, *.localhost) need https (issue 14.4).
func TestProfileHTTPOnlyForLoopback(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://127.0.0.1:8443":        true,
		"http://localhost:8443":        true,
		"http://[::1]:8443":            true,
		"http://127.example.com":       false,
		"http://127.0.0.1.nip.io":      false,
		"http://emu.localhost:8443":    false,
		"https://127.example.com":      true,
		"https://login.salesforce.com": true,
	} {
		p := Profile{Name: "p", LoginURL: raw}
		err := checkURL(p.Name, "login URL", raw, true)
		if (err == nil) != ok {
			t.Errorf("%s: accepted=%v, want %v (%v)", raw, err == nil, ok, err)
		}
	}
}
