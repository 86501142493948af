package ui

import (
	"reflect"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

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
