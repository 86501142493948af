package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keys a focused widget has no use for go on to the window.
//
// Fyne hands a key to the focused widget alone: while, say, the profile list has the focus
// (a click on a profile gives it), the canvas' OnTypedKey, where Install puts Escape, hears
// nothing. A focused Entry likewise takes every shortcut, its own or not, so Ctrl+. or Ctrl+S
// typed in the form did nothing. Fyne's answer is to extend the widgets
// (https://github.com/fyne-io/fyne/issues/1522), so every focusable widget the window makes
// is one of the types below: each passes Escape to the window, and the entry the window's own
// shortcuts too, as if nothing had the focus.
//
// What these types cannot reach are the focusable parts Fyne makes inside its own widgets:
// a radio option of a RadioGroup, an Accordion's header, and the text of a selectable Label.
// With one of those focused, Escape still stops there; Ctrl+. works from a radio option and an
// accordion header, and Cancel (or a click elsewhere, which takes the focus away) always does.

// keyed makes w its own widget (ExtendBaseWidget) and returns it.
func keyed[W interface {
	fyne.Widget
	ExtendBaseWidget(fyne.Widget)
}](w W) W {
	w.ExtendBaseWidget(w)
	return w
}

// keyedOff is keyed for a widget that starts disabled. Disable before ExtendBaseWidget only
// sets the flag; after it, Fyne also makes the widget's renderer there and then (measuring its
// text, colourising its icon), long before the window lays it out and with nothing warmed
// (WarmTexts) yet.
func keyedOff[W interface {
	fyne.Widget
	ExtendBaseWidget(fyne.Widget)
	Disable()
}](w W) W {
	w.Disable()
	return keyed(w)
}

// windowKey gives Escape to the window's key handler (the canvas' OnTypedKey) and reports
// whether it did; other keys stay with the widget.
func windowKey(o fyne.CanvasObject, e *fyne.KeyEvent) bool {
	if e.Name != fyne.KeyEscape {
		return false
	}
	c := canvasOf(o)
	if c == nil {
		return false
	}
	h := c.OnTypedKey()
	if h == nil {
		return false
	}
	h(e)
	return true
}

// windowShortcut gives a shortcut with a modifier (desktop.CustomShortcut: Ctrl+Enter,
// Ctrl+., Ctrl+S, …) to the window's shortcuts. Copy, paste, cut, select all, undo and redo
// are other types and stay with the widget.
func windowShortcut(o fyne.CanvasObject, s fyne.Shortcut) {
	if _, ok := s.(*desktop.CustomShortcut); !ok {
		return
	}
	if c, ok := canvasOf(o).(fyne.Shortcutable); ok {
		c.TypedShortcut(s)
	}
}

func canvasOf(o fyne.CanvasObject) fyne.Canvas {
	a := fyne.CurrentApp()
	if a == nil {
		return nil
	}
	return a.Driver().CanvasForObject(o)
}

// keyList is a List that passes Escape on.
type keyList struct{ widget.List }

func (w *keyList) TypedKey(e *fyne.KeyEvent) {
	if !windowKey(w, e) {
		w.List.TypedKey(e)
	}
}

// keyEntry is an Entry that passes Escape and the window's shortcuts on. Escape means nothing
// to an Entry, and the window's shortcuts are none of the Entry's (its own with a modifier are
// the arrows, Backspace and Delete with Ctrl, Alt or Super).
type keyEntry struct{ widget.Entry }

func (w *keyEntry) TypedKey(e *fyne.KeyEvent) {
	if !windowKey(w, e) {
		w.Entry.TypedKey(e)
	}
}

func (w *keyEntry) TypedShortcut(s fyne.Shortcut) {
	w.Entry.TypedShortcut(s)
	windowShortcut(w, s)
}

// newKeyPasswordEntry is widget.NewPasswordEntry as a keyEntry (the show/hide button comes
// with its renderer).
func newKeyPasswordEntry() *keyEntry {
	return keyed(&keyEntry{Entry: widget.Entry{Password: true, Wrapping: fyne.TextWrap(fyne.TextTruncateClip)}})
}

// keySelect is a Select that passes Escape on (its open menu is an overlay that takes Escape
// itself, to close).
type keySelect struct{ widget.Select }

func (w *keySelect) TypedKey(e *fyne.KeyEvent) {
	if !windowKey(w, e) {
		w.Select.TypedKey(e)
	}
}

// keyCheck is a Check that passes Escape on.
type keyCheck struct{ widget.Check }

func (w *keyCheck) TypedKey(e *fyne.KeyEvent) {
	if !windowKey(w, e) {
		w.Check.TypedKey(e)
	}
}

// keyButton is a Button that passes Escape on (a button takes the focus through Tab).
type keyButton struct{ widget.Button }

func (w *keyButton) TypedKey(e *fyne.KeyEvent) {
	if !windowKey(w, e) {
		w.Button.TypedKey(e)
	}
}

// The focused widget scrolls into view (reveal, formcheck.go): Tab moves the focus through
// the whole form, and Fyne would leave it on a widget below the fold.

func (w *keyEntry) FocusGained()  { w.Entry.FocusGained(); reveal(w) }
func (w *keySelect) FocusGained() { w.Select.FocusGained(); reveal(w) }
func (w *keyCheck) FocusGained()  { w.Check.FocusGained(); reveal(w) }
func (w *keyButton) FocusGained() { w.Button.FocusGained(); reveal(w) }
