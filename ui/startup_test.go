package ui

import (
	"reflect"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

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

// New measures no text (outside the demo): window.go lays the content out once, at the
// window's real size, and whatever New measured (font loading included) would be measured
// before that on the UI goroutine and thrown away. Building a widget's renderer measures its
// text, so New leaves renderers to the first layout (keyedOff for the buttons that start
// disabled).
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

// New measures no text with every call of the backend present, as the real window has them
// (wire.NewBackend sets them all; a nil field hides what needs it, and a test backend with
// few fields would miss the bars that only grow with them). Every function field gets a
// function that returns zero values; New calls none of them.
func TestNewMeasuresNoTextWithEveryBackendCall(t *testing.T) {
	a := test.NewTempApp(t)
	th := &countingTheme{Theme: theme.DefaultTheme()}
	a.Settings().SetTheme(th)
	w := test.NewTempWindow(t, nil)
	var be Backend
	v := reflect.ValueOf(&be).Elem()
	funcs := 0
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.Func || !f.CanSet() {
			continue
		}
		ft := f.Type()
		f.Set(reflect.MakeFunc(ft, func([]reflect.Value) []reflect.Value {
			out := make([]reflect.Value, ft.NumOut())
			for j := range out {
				out[j] = reflect.Zero(ft.Out(j))
			}
			return out
		}))
		funcs++
	}
	if funcs < 10 {
		t.Fatalf("only %d function fields set: the Backend's calls were not found", funcs)
	}
	l := New(w, be, Options{Store: demoStore(), OfferDemo: true, TickEvery: -1}) // a returning user: profiles to list
	t.Cleanup(l.Close)
	if n := th.fonts.Load(); n != 0 {
		t.Errorf("New with every backend call looked up fonts %d times: it measured text", n)
	}
}
