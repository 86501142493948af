//go:build (linux || freebsd || openbsd || netbsd || dragonfly) && !wayland

package display

// Check reports, as one line, why the window cannot open: Fyne's default (X11)
// driver needs DISPLAY to name an X server that accepts connections (XWayland counts).
func Check(getenv func(string) string) error {
	display := getenv("DISPLAY")
	if display == "" {
		why := "DISPLAY is not set"
		if getenv("WAYLAND_DISPLAY") != "" {
			why = "DISPLAY is not set, and this build draws through X11: start XWayland or use an X11 session"
		}
		return errNoDisplay(why)
	}
	network, addrs, err := xDisplayAddr(display)
	if err != nil {
		return errNoDisplay(err.Error())
	}
	if err := dialAny(network, addrs, displayTimeout); err != nil {
		return errNoDisplay("no X server answers on DISPLAY=" + display + ": " + shortNetErr(err))
	}
	return nil
}
