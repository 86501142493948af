package loopback

import "testing"

func TestIsLoopbackHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost":            true,
		"LocalHost":            true,
		"127.0.0.1":            true,
		"127.1.2.3":            true,
		"127.255.255.254":      true,
		"::1":                  true,
		"[::1]":                true,
		"0:0:0:0:0:0:0:1":      true,
		"":                     false,
		"[]":                   false,
		"x.localhost":          false,
		"evil.localhost":       false,
		"localhost.":           false,
		"localhost.evil.com":   false,
		"127.example.com":      false,
		"127.0.0.1.nip.io":     false,
		"127.1":                false,
		"0x7f.0.0.1":           false,
		"127.000.000.001":      false,
		"128.0.0.1":            false,
		"126.255.255.255":      false,
		"0.0.0.0":              false,
		"::":                   false,
		"[::]":                 false,
		"::ffff:127.0.0.1":     false,
		"::1%lo":               false,
		"[::1%25lo]":           false,
		"[127.0.0.1]":          false,
		"10.0.0.1":             false,
		"login.salesforce.com": false,
	} {
		if got := IsLoopbackHost(host); got != want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestIsLoopbackURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://localhost:1717/OauthRedirect": true,
		"https://127.0.0.1:8443":              true,
		"http://[::1]:1717/cb":                true,
		"http://a.localhost:1717/cb":          false,
		"https://127.example.com/":            false,
		"http://user@evil.com#@localhost/":    false,
		"localhost:1717":                      false, // no scheme: "localhost" is the scheme
		"/relative":                           false,
		"http://%zz":                          false,
	} {
		if got := IsLoopbackURL(raw); got != want {
			t.Errorf("IsLoopbackURL(%q) = %v, want %v", raw, got, want)
		}
	}
}
