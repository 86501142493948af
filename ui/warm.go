package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// WarmFonts loads the fonts of the two text styles the window shows at start: bold on a
// goroutine, regular on the caller's, at the same time. It returns a function that waits for
// the bold one. Call it right after the app is made and wait before building the window
// (New). Fyne loads a style's fonts on its first measurement (the theme's font, the emoji font
// and a system fallback font, parsed from their files), about 20 ms per style, and caches
// them per style for the rest of the run; without this the two loads run one after the other
// inside the window's first layout.
//
// It is safe because the two run different styles, so each builds its own font faces; the
// system font lookup they share runs under Fyne's own lock; and nothing measures bold text
// until wait returns.
func WarmFonts() (wait func()) {
	if fyne.CurrentApp() == nil {
		return func() {}
	}
	size := theme.TextSize()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fyne.MeasureText("Connected App Lab", size, fyne.TextStyle{Bold: true})
	}()
	fyne.MeasureText("Connected App Lab", size, fyne.TextStyle{})
	return func() { <-done }
}
