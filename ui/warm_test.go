package ui

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// The texts WarmTexts measures ahead must be the texts the first frame draws, in the same
// size and style (Fyne's text size cache is keyed by all three), or the warming is for
// nothing: each visible text of the first view on the user's first start (no profile yet)
// is looked up in firstViewTexts.
func TestFirstViewTextsAreTheTextsOfTheFirstFrame(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	fb := &fakeBackend{}
	l := New(w, fb.backend(), Options{Store: NewMemoryStore(nil, nil), TickEvery: -1})
	t.Cleanup(l.Close)
	listed := firstViewTexts(l.Content()) // as the window does: after New, before it opens
	warm := map[shownText]bool{}
	for _, s := range listed {
		warm[s] = true
	}
	w.SetContent(l.Content())
	w.Resize(fyne.NewSize(1280, 800)) // the first frame (Start, which adds the parts below the fold, comes later)
	var drawn, missed []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text == "" {
				return
			}
			k := fmt.Sprintf("%q %v %+v", x.Text, x.TextSize, x.TextStyle)
			drawn = append(drawn, k)
			if !warm[shownText{x.Text, x.TextSize, x.TextStyle}] && !pieceOf(x.Text, listed) {
				missed = append(missed, k)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(w.Canvas().Content())
	if len(drawn) < 30 {
		t.Fatalf("only %d texts drawn: %v", len(drawn), drawn)
	}
	if len(missed) > 0 {
		t.Errorf("%d of the %d texts of the first frame were not measured ahead:\n%v", len(missed), len(drawn), missed)
	}
}

// pieceOf reports whether s is a line of a wrapped text, or the start of a text cut with an
// ellipsis to its width, that was listed whole (neither can be known before the layout).
func pieceOf(s string, listed []shownText) bool {
	cut, truncated := strings.CutSuffix(s, "…")
	for _, l := range listed {
		if len(l.text) > len(s) && strings.Contains(l.text, s) || truncated && len(l.text) > len(cut) && strings.HasPrefix(l.text, cut) {
			return true
		}
	}
	return false
}

// The window's root waits for the warming once, at its first measurement with content: not
// while it is still empty (SetContent comes before the content joins, and waiting there
// would keep the window's creation from overlapping the warming).
func TestWaitingStackWaitsOnceWhenItHasContent(t *testing.T) {
	waits := 0
	l := WaitingStack(func() { waits++ })
	l.MinSize(nil)
	l.Layout(nil, fyne.NewSize(10, 10))
	if waits != 0 {
		t.Fatalf("waited %d times while empty", waits)
	}
	obj := canvas.NewRectangle(nil)
	obj.SetMinSize(fyne.NewSize(3, 4))
	if got := l.MinSize([]fyne.CanvasObject{obj}); got != fyne.NewSize(3, 4) {
		t.Errorf("MinSize = %v, want the stack's (3x4)", got)
	}
	l.Layout([]fyne.CanvasObject{obj}, fyne.NewSize(10, 10))
	if waits != 1 || obj.Size() != fyne.NewSize(10, 10) {
		t.Errorf("waited %d times (want 1), object laid out at %v (want 10x10)", waits, obj.Size())
	}
}

// countingTheme counts the font lookups: Fyne asks the theme for a style's font the first
// time it measures text in that style after its caches were cleared.
type countingTheme struct {
	fyne.Theme
	fonts atomic.Int32
}

func (c *countingTheme) Font(s fyne.TextStyle) fyne.Resource {
	c.fonts.Add(1)
	return c.Theme.Font(s)
}

// New measures no text (outside the demo): the window loads its fonts and measures the first
// view's texts on the second core while it is being created (WarmTexts), and whatever New
// measured would be measured before that, on the UI goroutine, font loading included.
// Building a widget's renderer measures its text, so New leaves renderers to the first layout
// (keyedOff for the buttons that start disabled).
func TestNewMeasuresNoText(t *testing.T) {
	a := test.NewTempApp(t)
	th := &countingTheme{Theme: theme.DefaultTheme()}
	a.Settings().SetTheme(th) // clears Fyne's font and text size caches
	w := test.NewTempWindow(t, nil)
	fb := &fakeBackend{}
	l := New(w, fb.backend(), Options{Store: NewMemoryStore(nil, nil), TickEvery: -1})
	t.Cleanup(l.Close)
	if n := th.fonts.Load(); n != 0 {
		t.Errorf("New looked up fonts %d times: it measured text", n)
	}
	fyne.MeasureText("control", theme.TextSize(), fyne.TextStyle{Bold: true})
	if th.fonts.Load() == 0 {
		t.Fatal("measuring text did not ask the theme for a font: the test sees nothing")
	}
}
