// Package loopback decides, in one place, which hosts count as this machine's loopback.
// Every package that treats loopback specially (plain http allowed, the emulator's
// self-signed certificate accepted, no proxy, the callback listener) asks it.
//
// Loopback is exactly: the name "localhost" (any case), an IPv4 address in 127.0.0.0/8 in
// dotted-decimal form, and the IPv6 address ::1. Nothing else: not "*.localhost" names
// (RFC 6761 lets them resolve anywhere a resolver chooses), not "127.example.com", not
// IPv4-mapped or zoned IPv6 forms, not shorthand such as "127.1".
package loopback

import (
	"net/netip"
	"net/url"
	"strings"
)

// IsLoopbackHost reports whether host (a URL's host without the port; brackets around an
// IPv6 address are allowed) names this machine's loopback.
func IsLoopbackHost(host string) bool {
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
		a, err := netip.ParseAddr(host)
		return err == nil && a == netip.IPv6Loopback()
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.Zone() != "" {
		return false
	}
	if a.Is4() {
		return a.As4()[0] == 127
	}
	return a == netip.IPv6Loopback()
}

// IsLoopbackURL reports whether raw is an absolute URL whose host is loopback.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}
