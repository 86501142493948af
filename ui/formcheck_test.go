package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/store"
)

// Run checks every field the flow uses before anything goes on the wire: all problems at
// once, each under its field in the window's words, the focus on the first, scrolled into
// view; a fixed field loses its line as it is typed.
func TestRunShowsEveryProblemUnderItsFieldAndFocusesTheFirst(t *testing.T) {
	fb := &fakeBackend{}
	st := NewMemoryStore([]Profile{{Profile: store.Profile{ID: "e1", Name: "Empty username-password", LoginURL: "http://login.example.com",
		AppKind: store.ConnectedApp, Flow: string(flows.UsernamePassword)}}}, nil)
	l, w := newTestLab(t, fb.backend(), st)
	w.Resize(fyne.NewSize(1024, 700))
	l.profileScroll.ScrollToBottom()
	test.Tap(l.runBtn)
	waitIdle()
	if n := len(fb.got()); n != 0 {
		t.Fatalf("%d runs: the form was not checked first", n)
	}
	want := map[string]string{"host": "https://", "client": "consumer key", "secret": "consumer secret",
		"username": "username", "password": "password"}
	for row, words := range want {
		e := l.form.errs[row]
		if !e.Visible() || !strings.Contains(e.Text, words) {
			t.Errorf("row %s: problem shown %v, %q; want it to mention %q", row, e.Visible(), e.Text, words)
		}
		if strings.Contains(e.Text, "--") {
			t.Errorf("row %s speaks the CLI's words: %q", row, e.Text)
		}
	}
	for _, row := range []string{"name", "token", "callback", "jwt"} {
		if l.form.errs[row].Visible() {
			t.Errorf("row %s shows a problem: %q", row, l.form.errs[row].Text)
		}
	}
	if s := l.Probe().Status(); !strings.Contains(s, "5 fields need a change") {
		t.Errorf("status %q", s)
	}
	if got := w.Canvas().Focused(); got != fyne.Focusable(l.form.hostURL) {
		t.Errorf("focus on %T, want the login host entry", got)
	}
	inView(t, l, l.form.hostURL)
	inView(t, l, l.form.errs["host"]) // and what to change, under it

	// Fixing a field takes its line away at once; the others stay.
	test.Type(l.form.clientID, "3MVG9example")
	if l.form.errs["client"].Visible() || !l.form.errs["secret"].Visible() {
		t.Errorf("after typing the client ID: client line %v, secret line %v", l.form.errs["client"].Visible(), l.form.errs["secret"].Visible())
	}
}

// No flow chosen: the flow picker says so and has the focus.
func TestRunWithoutAFlowFocusesTheFlowPicker(t *testing.T) {
	fb := &fakeBackend{}
	st := NewMemoryStore([]Profile{{Profile: store.Profile{ID: "e2", Name: "No flow", LoginURL: productionURL, AppKind: store.ConnectedApp}}}, nil)
	l, w := newTestLab(t, fb.backend(), st)
	test.Tap(l.runBtn)
	waitIdle()
	if !l.flowPick.problem.Visible() || !strings.Contains(l.flowPick.problem.Text, "Choose the flow") {
		t.Errorf("flow problem %v %q", l.flowPick.problem.Visible(), l.flowPick.problem.Text)
	}
	if w.Canvas().Focused() != fyne.Focusable(l.flowPick.sel) || len(fb.got()) != 0 {
		t.Errorf("focus %T, %d runs", w.Canvas().Focused(), len(fb.got()))
	}
}

// Tab (or anything) that focuses a widget below the fold scrolls it into view.
func TestFocusedWidgetScrollsIntoView(t *testing.T) {
	fb := &fakeBackend{}
	l, w := newTestLab(t, fb.backend(), demoStore())
	w.Resize(fyne.NewSize(1024, 700))
	waitIdle()
	last := l.form.policy
	w.Canvas().Focus(last)
	inView(t, l, last)
	if l.profileScroll.Offset.Y == 0 {
		t.Error("the profile column did not scroll")
	}
	w.Canvas().Focus(l.flowPick.sel)
	inView(t, l, l.flowPick.sel)
	// Tab from the top reaches the form's fields, each in view in turn.
	for i := 0; i < 12; i++ {
		test.FocusNext(w.Canvas())
		if o, ok := w.Canvas().Focused().(fyne.CanvasObject); ok && l.profileScroll.Content.Visible() && isUnder(l.profileScroll.Content, o) {
			inView(t, l, o)
		}
	}
}

func isUnder(root, o fyne.CanvasObject) bool {
	return len(scrollsAround(root, o)) > 0 || root == o || containsObj(root, o)
}

func containsObj(root, o fyne.CanvasObject) bool {
	found := false
	var walk func(n fyne.CanvasObject)
	walk = func(n fyne.CanvasObject) {
		if found || n == nil {
			return
		}
		if n == o {
			found = true
			return
		}
		if c, ok := n.(*fyne.Container); ok {
			for _, k := range c.Objects {
				walk(k)
			}
		}
	}
	walk(root)
	return found
}

// inView fails unless o lies within the profile column's visible part.
func inView(t *testing.T, l *Lab, o fyne.CanvasObject) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	s := l.profileScroll
	top, y := d.AbsolutePositionForObject(s).Y, d.AbsolutePositionForObject(o).Y
	if y < top || y+o.Size().Height > top+s.Size().Height {
		t.Errorf("%T at y=%v..%v, the column shows %v..%v", o, y, y+o.Size().Height, top, top+s.Size().Height)
	}
}
