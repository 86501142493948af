package cli

import (
	"net"

	"github.com/connectedapplab/connectedapplab/internal/loopback"
)

// isLoopbackAddr reports whether host:port names a loopback host (127.0.0.0/8, ::1, localhost).
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	return loopback.IsLoopbackHost(host)
}
