package ui

import (
	"strings"
	"sync"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// WarmTexts loads the fonts and measures the texts of the window's first view on another
// goroutine, and returns a function that waits for it. Call it after New (which measures
// nothing: TestNewMeasuresNoText), before the window is shown, and make the window's root
// wait for it before its first measurement (WaitingStack). The window's creation (about 90 ms
// of GL set-up on the UI goroutine) then overlaps this work on the second core: Fyne loads a
// style's fonts on its first measurement (the theme's font, the emoji font and a system
// fallback font, parsed from their files; about 20 ms per style, 40 ms for the first, which
// also indexes the system fonts), and shapes each new string with a HarfBuzz font it builds
// anew (about 0.1 ms per string); the first layout then finds both in Fyne's caches.
//
// Only strings go to the goroutine: the widgets are read here, on the caller's goroutine,
// and nothing else measures text until the returned function has been waited for (the
// goroutine's fonts and text sizes are then Fyne's cached ones, shared as usual).
func (l *Lab) WarmTexts() (wait func()) {
	texts := firstViewTexts(l.Content())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, t := range texts {
			fyne.MeasureText(t.text, t.size, t.style)
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { <-done }) }
}

// shownText is a text as Fyne measures it: the string, its size and style.
type shownText struct {
	text  string
	size  float32
	style fyne.TextStyle
}

// firstViewTexts lists the texts the visible widgets under o draw as Fyne's renderers draw
// them (labels in their size and style, button and tab titles in bold, an entry's text or
// its bullets and its placeholder). Hidden objects are left out, like Fyne's layout leaves
// them out; wrapped text is listed whole (the wrapping's own pieces cannot be known here).
func firstViewTexts(o fyne.CanvasObject) []shownText {
	var out []shownText
	text := theme.TextSize()
	add := func(s string, size float32, style fyne.TextStyle) {
		if s != "" {
			out = append(out, shownText{s, size, style})
		}
	}
	bold := fyne.TextStyle{Bold: true}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch w := o.(type) {
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(w.Content)
		case *container.Split:
			walk(w.Leading)
			walk(w.Trailing)
		case *container.AppTabs:
			for _, it := range w.Items {
				add(it.Text, text, bold)
				walk(it.Content)
			}
		case *widget.Label:
			for _, line := range strings.Split(w.Text, "\n") {
				add(line, theme.Size(orText(w.SizeName)), w.TextStyle)
			}
		case *keyButton:
			add(w.Text, text, bold)
		case *keyEntry:
			if w.Password {
				add(strings.Repeat("•", utf8.RuneCountInString(w.Text)), text, w.TextStyle)
			} else {
				add(w.Text, text, w.TextStyle)
			}
			add(w.PlaceHolder, text, w.TextStyle)
		case *keySelect:
			add(w.Selected, text, fyne.TextStyle{})
			add(w.PlaceHolder, text, fyne.TextStyle{})
		case *keyCheck:
			add(w.Text, text, fyne.TextStyle{})
		case *widget.RadioGroup:
			for _, opt := range w.Options {
				add(opt, text, fyne.TextStyle{})
			}
		case *widget.Accordion: // the headers; a closed item's detail is not drawn
			for _, it := range w.Items {
				add(it.Title, text, bold)
			}
		}
	}
	walk(o)
	return out
}

func orText(n fyne.ThemeSizeName) fyne.ThemeSizeName {
	if n == "" {
		return theme.SizeNameText
	}
	return n
}

// WaitingStack is a stack layout that calls wait once, before it first measures or lays out
// objects: the window's root, so that its first layout waits for WarmTexts.
func WaitingStack(wait func()) fyne.Layout {
	return &waitingStack{wait: wait, stack: layout.NewStackLayout()}
}

type waitingStack struct {
	once  sync.Once
	wait  func()
	stack fyne.Layout
}

func (s *waitingStack) ready(objects []fyne.CanvasObject) {
	if len(objects) > 0 { // an empty root (SetContent before the content joins) needs nothing
		s.once.Do(s.wait)
	}
}

func (s *waitingStack) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s.ready(objects)
	return s.stack.MinSize(objects)
}

func (s *waitingStack) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	s.ready(objects)
	s.stack.Layout(objects, size)
}
