//go:build ignore

// wm-close asks a window to close the way a window manager does when its close button is
// clicked: a WM_DELETE_WINDOW client message (ICCCM 4.2.8.1,
// https://x.org/releases/X11R7.7/doc/xorg-docs/icccm/icccm.html#Window_Deletion). Xvfb runs
// no window manager, and xdotool 3.2016 has no such command (its windowclose destroys the
// window, windowkill drops the client). Used by scripts/shake-window.
//
//	go build -o wm-close scripts/lib/wm-close/main.go
//	DISPLAY=:N wm-close WINDOW_ID
package main

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

static int close_window(Window w) {
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) return 1;
	XEvent ev = {0};
	ev.xclient.type = ClientMessage;
	ev.xclient.window = w;
	ev.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = XInternAtom(d, "WM_DELETE_WINDOW", False);
	ev.xclient.data.l[1] = CurrentTime;
	Status ok = XSendEvent(d, w, False, NoEventMask, &ev);
	XSync(d, False);
	XCloseDisplay(d);
	return ok ? 0 : 2;
}
*/
import "C"

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: wm-close WINDOW_ID")
		os.Exit(2)
	}
	id, err := strconv.ParseUint(os.Args[1], 0, 32)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wm-close: %q is not a window id\n", os.Args[1])
		os.Exit(2)
	}
	if rc := C.close_window(C.Window(id)); rc != 0 {
		fmt.Fprintf(os.Stderr, "wm-close: could not send WM_DELETE_WINDOW to %#x on DISPLAY=%s (%d)\n", id, os.Getenv("DISPLAY"), rc)
		os.Exit(1)
	}
}
