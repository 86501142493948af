// Package display tells, before Fyne starts, whether the window has a display to open on:
// without one, Fyne's GLFW driver panics with a stack trace. Check returns the one line to
// print instead.
package display

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// displayTimeout bounds the check that a display answers: a local socket answers at once, an
// X display forwarded over SSH (localhost:10) in well under a second.
const displayTimeout = 2 * time.Second

// errNoDisplay is the error of Check: what is missing, and how to run without a display.
func errNoDisplay(why string) error {
	return fmt.Errorf("no display found (%s): %s", why, Hint)
}

// Headless is the executable without the window (go build -tags headless) that every
// package ships beside connectedapplab: the commands, which need no display.
const Headless = "connectedapplab-cli"

// EmulateDemo says what serves the demo org without a display.
const EmulateDemo = "`" + Headless + " emulate` serves the demo org"

// Hint says what works without a window; also printed when the window fails to start.
const Hint = "the window needs a desktop session with OpenGL; without one, run the commands with " + Headless +
	", which comes with it (" + EmulateDemo + ", `" + Headless + " run --profile NAME` runs a flow), " +
	"or open the window on a virtual display with `xvfb-run -a connectedapplab --demo`"

// xDisplayAddr returns where the X server of display (the value of DISPLAY) listens, as
// Xlib reads it: [protocol/][host]:number[.screen]. An empty host, "unix" or the unix
// protocol is the local socket /tmp/.X11-unix/X<number> (on Linux also the abstract socket of
// that name, which Xlib tries first); any other host is TCP port 6000+number.
func xDisplayAddr(display string) (network string, addrs []string, err error) {
	i := strings.LastIndex(display, ":")
	if i < 0 {
		return "", nil, fmt.Errorf("DISPLAY=%q is not [host]:number", display)
	}
	host, rest := display[:i], display[i+1:]
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 65535-6000 {
		return "", nil, fmt.Errorf("DISPLAY=%q has no display number", display)
	}
	proto := ""
	if p, h, ok := strings.Cut(host, "/"); ok {
		proto, host = p, h
	}
	if strings.HasSuffix(host, ":") { // host::n is DECnet, which nobody runs any more
		return "", nil, fmt.Errorf("DISPLAY=%q names a DECnet display", display)
	}
	if proto == "unix" || proto == "local" || host == "" || host == "unix" {
		path := "/tmp/.X11-unix/X" + num
		return "unix", []string{"@" + path, path}, nil
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return "tcp", []string{net.JoinHostPort(host, strconv.Itoa(6000+n))}, nil
}

// dialAny reports nil when one of addrs accepts a connection within timeout (closing it at
// once), else the last error.
func dialAny(network string, addrs []string, timeout time.Duration) error {
	var err error
	for _, a := range addrs {
		var c net.Conn
		if c, err = net.DialTimeout(network, a, timeout); err == nil {
			c.Close()
			return nil
		}
	}
	return err
}

// shortNetErr is a dial error without the dial's own prefix: "connection refused",
// "no such file or directory", "i/o timeout".
func shortNetErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}
