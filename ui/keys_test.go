package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/flows"
)

// pressKey delivers a key press as Fyne's desktop driver does (glfw window.processKeyPressed,
// after the shortcut check): to the focused widget when there is one, else to the canvas'
// OnTypedKey. fyne/test has no helper that goes through the focus.
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := c.OnTypedKey(); h != nil {
		h(ev)
	}
}

// pressShortcut delivers a key with a modifier as the desktop driver does (triggersShortcut):
// to the focused widget when it takes shortcuts, else to the canvas.
func pressShortcut(c fyne.Canvas, key fyne.KeyName, mod fyne.KeyModifier) {
	s := &desktop.CustomShortcut{KeyName: key, Modifier: mod}
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// waitIdleFor is waitIdle with a limit, so that a run nobody cancels fails the test instead
// of hanging it.
func waitIdleFor(t *testing.T, d time.Duration) bool {
	t.Helper()
	done := make(chan struct{})
	go func() { waitIdle(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// blockingBackend's runs report an authorize URL, as a browser flow does, then wait until
// their context is cancelled.
func blockingBackend() (Backend, <-chan struct{}) {
	started := make(chan struct{}, 16)
	return Backend{
		RunFlow: func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
			progress(flows.Progress{Step: "browser", Message: "Log in in the browser", Time: t0,
				AuthorizeURL: "https://login.salesforce.com/services/oauth2/authorize?client_id=x"})
			started <- struct{}{}
			<-ctx.Done()
			return &flows.Result{Flow: req.Flow, Err: ctx.Err()}
		},
		Explain: fakeExplain,
		Now:     func() time.Time { return t0 },
	}, started
}

// expectCancelled checks that the run ended as a cancel, and the window says so. A run that is
// still going is cancelled here, so that the test ends.
func expectCancelled(t *testing.T, l *Lab, how string) {
	t.Helper()
	if !waitIdleFor(t, 3*time.Second) {
		l.Cancel()
		waitIdle()
		t.Fatalf("%s did not cancel the run", how)
	}
	if l.running || !strings.HasPrefix(l.status.Text, "Cancelled") || l.runBtn.Disabled() || !l.cancelBtn.Disabled() {
		t.Fatalf("after %s: running=%v status %q, Run disabled %v, Cancel disabled %v", how, l.running, l.status.Text,
			l.runBtn.Disabled(), l.cancelBtn.Disabled())
	}
}

// The reported defect: with the profile list focused (a click on a profile focuses it),
// Escape did not reach the window, so it did not cancel.
func TestEscapeCancelsWhileTheProfileListHasFocus(t *testing.T) {
	be, started := blockingBackend()
	l, w := newTestLab(t, be, demoStore())
	c := w.Canvas()
	c.Focus(l.profiles.list)
	if c.Focused() == nil {
		t.Fatal("the profile list did not take the focus")
	}
	pressShortcut(c, fyne.KeyReturn, fyne.KeyModifierShortcutDefault) // Ctrl+Enter runs
	select {
	case <-started:
	case <-time.After(3 * time.Second):
		t.Fatalf("Ctrl+Enter with the list focused did not start the run; status %q", l.status.Text)
	}
	if !l.running || !strings.Contains(l.status.Text, "Esc") {
		t.Fatalf("running=%v status %q", l.running, l.status.Text)
	}
	if c.Focused() != fyne.Focusable(l.profiles.list) {
		t.Fatalf("focus moved to %T", c.Focused())
	}
	pressKey(c, fyne.KeyEscape)
	expectCancelled(t, l, "Escape with the profile list focused")
	if c.Focused() != fyne.Focusable(l.profiles.list) {
		t.Errorf("Escape moved the focus to %T", c.Focused())
	}
	// The list still works with the keyboard.
	pressKey(c, fyne.KeyDown)
	pressKey(c, fyne.KeySpace)
	waitIdle()
	if l.form.name.Text != "Web server + PKCE" {
		t.Errorf("Down, Space in the list selected %q, want the second profile", l.form.name.Text)
	}
}

// Escape and Ctrl+. cancel whichever of the window's widgets has the focus: in the profiles,
// the form, the App settings tab and the running flow's view.
func TestEscapeCancelsWhateverWidgetHasFocus(t *testing.T) {
	be, started := blockingBackend()
	l, w := newTestLab(t, be, demoStore())
	c := w.Canvas()
	l.ShowAppSettings() // builds the tab
	l.midTabs.SelectIndex(0)
	for _, tc := range []struct {
		name   string
		w      fyne.Focusable
		appTab bool // the widget is on the App settings tab
	}{
		{"profile list", l.profiles.list, false},
		{"client ID entry", l.form.clientID, false},
		{"password entry", l.form.password, false},
		{"login host select", l.form.host, false},
		{"flow select", l.flowPick.sel, false},
		{"scope check", l.scopes.checks["api"], false},
		{"other scopes entry", l.scopes.other, false},
		{"Save button", l.saveBtn, false},
		{"New profile button", l.profiles.add, false},
		{"App settings callback URLs", l.app.callbacks, true},
		{"App settings PKCE check", l.app.pkce, true},
		{"App settings session select", l.app.session, true},
		{"authorize URL", l.run.authURL, false},
		{"run view Cancel button", l.run.cancel, false},
	} {
		for _, key := range []string{"Escape", "Ctrl+."} {
			t.Run(fmt.Sprintf("%s/%s", tc.name, key), func(t *testing.T) {
				l.midTabs.SelectIndex(map[bool]int{false: 0, true: 1}[tc.appTab])
				test.Tap(l.runBtn)
				select {
				case <-started:
				case <-time.After(3 * time.Second):
					t.Fatalf("the run did not start; status %q", l.status.Text)
				}
				c.Focus(tc.w)
				if c.Focused() != tc.w {
					l.Cancel()
					waitIdle()
					t.Fatalf("%s did not take the focus", tc.name)
				}
				if key == "Escape" {
					pressKey(c, fyne.KeyEscape)
				} else {
					pressShortcut(c, fyne.KeyPeriod, fyne.KeyModifierShortcutDefault)
				}
				expectCancelled(t, l, key+" with the "+tc.name+" focused")
				c.Unfocus()
			})
		}
	}
}

// A focused entry passes the window's shortcuts on, and keeps its own: Ctrl+S saves what was
// typed, Ctrl+A still selects the entry's text.
func TestShortcutsReachTheWindowFromAFocusedEntry(t *testing.T) {
	st := demoStore()
	l, w := newTestLab(t, Backend{}, st)
	c := w.Canvas()
	c.Focus(l.form.clientID)
	test.Type(l.form.clientID, "-typed")
	pressShortcut(c, fyne.KeyS, fyne.KeyModifierShortcutDefault)
	waitIdle()
	ps, _ := st.List()
	if ps[0].ClientID != "-typed3MVG9CALdemo.WebApp.0001" || l.dirty {
		t.Fatalf("Ctrl+S in the client ID entry: stored %q, dirty %v; status %q", ps[0].ClientID, l.dirty, l.status.Text)
	}
	c.Focus(l.form.clientID)
	l.form.clientID.TypedShortcut(&fyne.ShortcutSelectAll{})
	if got := l.form.clientID.SelectedText(); got != "-typed3MVG9CALdemo.WebApp.0001" {
		t.Errorf("Ctrl+A selected %q, want the entry's text", got)
	}
}
