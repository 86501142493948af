package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// WarmFonts loads the fonts of the two text styles the window shows at start: regular on
// the caller's goroutine, then bold on another one while the caller goes on making the window.
// It returns a function that waits for the bold one. Call it right after the app is made and
// wait before building the window (New). Fyne loads a style's fonts on its first measurement
// (the theme's font, the emoji font and a system fallback font, parsed from their files),
// about 20 ms per style, and caches them per style for the rest of the run.
//
// Regular first, not both at once: the system fallback lookup of both styles runs under one
// lock of Fyne's, and the first lookup also indexes the system fonts, so a bold load that won
// the lock made the regular one wait for both (measured: the window mapped 5-8 ms later).
// Bold then overlaps the window's creation (NewWindow) instead.
//
// It is safe because the two run different styles, so each builds its own font faces; the
// system font lookup they share runs under Fyne's own lock; and nothing measures bold text
// until wait returns.
func WarmFonts() (wait func()) {
	if fyne.CurrentApp() == nil {
		return func() {}
	}
	size := theme.TextSize()
	fyne.MeasureText("Connected App Lab", size, fyne.TextStyle{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		fyne.MeasureText("Connected App Lab", size, fyne.TextStyle{Bold: true})
	}()
	return func() { <-done }
}
