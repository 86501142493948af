//go:build (linux || freebsd || openbsd || netbsd || dragonfly) && wayland

package display

import "strings"

// Check reports, as one line, why the window cannot open: a Wayland build needs the
// compositor's socket, WAYLAND_DISPLAY (default wayland-0) in XDG_RUNTIME_DIR unless it is a
// path, as libwayland-client finds it.
func Check(getenv func(string) string) error {
	name := getenv("WAYLAND_DISPLAY")
	if name == "" {
		name = "wayland-0"
	}
	path := name
	if !strings.HasPrefix(name, "/") {
		rt := getenv("XDG_RUNTIME_DIR")
		if rt == "" {
			return errNoDisplay("XDG_RUNTIME_DIR is not set, so there is no Wayland socket")
		}
		path = rt + "/" + name
	}
	if err := dialAny("unix", []string{path}, displayTimeout); err != nil {
		return errNoDisplay("no Wayland compositor answers on " + path + ": " + shortNetErr(err))
	}
	return nil
}
