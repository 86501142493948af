//go:build !headless

package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// The window opens within the screen: Fyne 2.7 has no call that says how large the screen is,
// so the window asks GLFW (which Fyne's desktop driver runs on) once the driver has started,
// on the UI goroutine, and shrinks the window to the screen's work area (the screen less its
// task bars) when it is larger. When GLFW cannot tell, the window fits a 1024x700 screen.

// fallbackScreen is the screen assumed when its size cannot be read: the smallest the window
// is laid out for (its minimum size fits it: ui's TestWindowMinimumSizeStaysPutAndFits1024x700).
var fallbackScreen = fyne.NewSize(1024, 700)

// titleBar is what the window manager's decoration takes above the window's content.
const titleBar = 40

// fitScreen is the window's size when it opens: want (the last size, or the default), no
// larger than the screen's work area less a title bar; screen is zero when unknown.
func fitScreen(want, screen fyne.Size) fyne.Size {
	if screen.Width <= 0 || screen.Height <= 0 {
		screen = fallbackScreen
	}
	return fyne.NewSize(min(want.Width, screen.Width), min(want.Height, screen.Height-titleBar))
}

// screenSize is the primary monitor's work area in Fyne's units (pixels over scale), or zero
// when GLFW cannot tell. Call it on the UI goroutine once the driver has started.
func screenSize(scale float32) (s fyne.Size) {
	defer func() {
		if recover() != nil { // GLFW not running (a driver other than Fyne's desktop one)
			s = fyne.Size{}
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	_, _, w, h := m.GetWorkarea()
	if w <= 0 || h <= 0 {
		if mode := m.GetVideoMode(); mode != nil {
			w, h = mode.Width, mode.Height
		}
	}
	if scale <= 0 {
		scale = 1
	}
	return fyne.NewSize(float32(w)/scale, float32(h)/scale)
}
