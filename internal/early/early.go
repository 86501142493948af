// Package early runs first in the program: it fixes up the process's environment before any
// other package reads it, and takes SIGINT and SIGTERM from then on (Stopped).
//
// It imports only standard packages that every other package waits for (os and os/signal
// among them), on purpose: Go initialises packages in import-path order among those whose
// imports are done, so this init runs before fyne.io/fyne/v2/lang's, which reads the locale
// and waits for go-i18n and golang.org/x/text. scripts/smoke-window checks the order in the
// real binary (GODEBUG=inittrace=1).
package early

import (
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

var stopped = make(chan struct{})

func init() {
	for _, kv := range Fixes(os.Getenv, isSocket, os.Getuid()) {
		os.Setenv(kv[0], kv[1])
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		close(stopped)
	}()
}

// Stopped is closed at the first SIGINT (Ctrl-C) or SIGTERM the process receives, also one
// that came while the other packages were still being initialised (which would otherwise end
// the process with the signal's default action, before main could close the window cleanly).
// Later signals are taken too, and ignored.
func Stopped() <-chan struct{} { return stopped }

// NoSessionBus is the D-Bus session bus address set when the process has none: an address
// with a transport no client knows, so connecting fails at once and no client autolaunches a
// bus (clients autolaunch only when DBUS_SESSION_BUS_ADDRESS is unset or "autolaunch:": the
// D-Bus specification, "Well-known Message Bus Instances",
// https://dbus.freedesktop.org/doc/dbus-specification.html).
const NoSessionBus = "disabled:"

// Fixes returns the environment variables to set, as name and value pairs, given the
// environment (getenv), whether a path exists as a socket, and the user id.
//
//   - A C or POSIX locale with a codeset (LANG=C.UTF-8, the default of Debian and most
//     containers): Fyne (through github.com/jeandeaual/go-locale) takes "C" for a language
//     tag, fails to parse it and logs "Fyne error: Error parsing user locale C" at start and
//     again later. LANGUAGE=en says what those locales mean for messages (untranslated
//     English, the same as LANG=C, which go-locale already maps to English); go-locale reads
//     LANGUAGE for any locale but plain C or POSIX. LC_ALL, LC_CTYPE and LANG stay as they
//     are, so the character set of the process and of the programs it starts does not change.
//   - No session bus (SSH with X forwarding, minimal desktops, CI): godbus, which Fyne and
//     go-keyring use, would autolaunch one through dbus-launch, a dbus-daemon that outlives
//     the app, one more at every start. Where the user's bus socket exists in the runtime
//     folder (systemd, elogind), it is named, as libdbus and sd-bus would find it; otherwise
//     the address is set to NoSessionBus, so that no client starts a bus: the keychain then
//     says that no Secret Service is reachable.
func Fixes(getenv func(string) string, isSocket func(string) bool, uid int) [][2]string {
	var set [][2]string
	if cOrPOSIXWithCodeset(messagesLocale(getenv)) && getenv("LANGUAGE") == "" {
		set = append(set, [2]string{"LANGUAGE", "en"})
	}
	if addr, ok := sessionBusAddress(getenv, isSocket, uid); ok {
		set = append(set, [2]string{"DBUS_SESSION_BUS_ADDRESS", addr})
	}
	return set
}

// messagesLocale is the locale of messages as go-locale and gettext read it: the first of
// LC_ALL, LC_MESSAGES and LANG that is set.
func messagesLocale(getenv func(string) string) string {
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return ""
}

// cOrPOSIXWithCodeset reports whether loc is C or POSIX with a codeset or modifier
// ("C.UTF-8", "C.utf8", "POSIX.UTF-8"); plain "C" and "POSIX" are not (go-locale handles them).
func cOrPOSIXWithCodeset(loc string) bool {
	i := strings.IndexAny(loc, ".@")
	if i < 0 {
		return false
	}
	base := loc[:i]
	return base == "C" || base == "POSIX"
}

// sessionBusAddress returns the session bus address to set, if one must be set: none when
// DBUS_SESSION_BUS_ADDRESS is set (to anything, "autolaunch:" included: the user asked for
// it) or when godbus finds the user's bus by itself at /run/user/UID/bus.
func sessionBusAddress(getenv func(string) string, isSocket func(string) bool, uid int) (string, bool) {
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" || uid < 0 {
		return "", false // uid < 0: Windows, which has no session bus to autolaunch
	}
	if isSocket("/run/user/" + strconv.Itoa(uid) + "/bus") {
		return "", false
	}
	if rt := getenv("XDG_RUNTIME_DIR"); strings.HasPrefix(rt, "/") && isSocket(rt+"/bus") {
		return "unix:path=" + escapeBusValue(rt+"/bus"), true
	}
	return NoSessionBus, true
}

// escapeBusValue escapes a D-Bus address value: bytes outside [-0-9A-Za-z_/.\*] become %XX
// (https://dbus.freedesktop.org/doc/dbus-specification.html#addresses).
func escapeBusValue(s string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '_' || c == '/' || c == '.' || c == '\\' || c == '*' ||
			'0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isSocket(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().Type() == os.ModeSocket
}
