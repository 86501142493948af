package cli

import (
	"net"
	"strings"
)

// isLoopbackAddr reports whether host:port names a loopback host (127.0.0.0/8, ::1, localhost).
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
