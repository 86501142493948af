package ui

import (
	"bytes"
	"image/png"
	"io"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Hooks for the tests of package ui_test (backend_test.go). Those drive the window on the
// real backend (ui/wire), so they cannot be in package ui: wire imports ui.

// WaitIdle blocks until all background work of the window has landed.
func WaitIdle() { waitIdle() }

// Import imports profiles from data as the Import… button does with a chosen file.
func (p Probe) Import(data []byte) { p.l.importFrom(io.NopCloser(bytes.NewReader(data))) }

// Probe reads and drives a Lab's widgets by name.
type Probe struct{ l *Lab }

// Probe returns the test view of l.
func (l *Lab) Probe() Probe { return Probe{l} }

// SelectProfile selects the profile named name in the list, as a click would.
func (p Probe) SelectProfile(name string) bool {
	for i, q := range p.l.profiles.items {
		if q.Name == name {
			p.l.profiles.list.Select(i)
			return true
		}
	}
	return false
}

// ProfileNames lists the profiles in the list.
func (p Probe) ProfileNames() []string {
	var out []string
	for _, q := range p.l.profiles.items {
		out = append(out, q.Name)
	}
	return out
}

// Entry is one of the form's entries: name, client, secret, callback, username, password,
// token. Like the other widgets Probe gives, it is the Fyne widget inside the window's own
// (keys.go): fine to type into or tap, but the window's object is the one that takes focus.
func (p Probe) Entry(name string) *widget.Entry {
	f := p.l.form
	e := map[string]*keyEntry{"name": f.name, "client": f.clientID, "secret": f.secret, "callback": f.callback,
		"username": f.username, "password": f.password, "token": f.secToken, "refresh": f.refresh, "audience": f.jwtAud}[name]
	if e == nil {
		return nil
	}
	return &e.Entry
}

// Button is one of the window's buttons: run, cancel, save, introspect, refresh, revoke,
// call, copy, advance.
func (p Probe) Button(name string) *widget.Button {
	l := p.l
	b := map[string]*keyButton{"run": l.runBtn, "cancel": l.cancelBtn, "save": l.saveBtn,
		"introspect": l.introspectBtn, "refresh": l.refreshBtn, "revoke": l.revokeBtn, "call": l.callBtn,
		"copy": l.copyBtn, "advance": l.advanceBtn, "diagnose": l.diagnoseBtn, "revoke-stale": l.budgetRevoke}[name]
	if b == nil {
		return nil
	}
	return &b.Button
}

func (p Probe) Status() string    { return p.l.status.Text }
func (p Probe) Countdown() string { return p.l.lifetimes.countdown.Text }
func (p Probe) Answer() string    { return p.l.answer.shown }
func (p Probe) Running() bool     { return p.l.running }
func (p Probe) Clipboard() string { return p.l.clipboard }

// LastDialog is the title of the last dialog shown.
func (p Probe) LastDialog() string { return p.l.lastDialog }

// Lifetimes is every text of the lifetimes pane, one per line.
func (p Probe) Lifetimes() string { return texts(p.l.lifetimes.box) }

// Guidance is every text of the guidance pane (error explanation, advice, scopes).
func (p Probe) Guidance() string { return texts(p.l.guide.box) }

// RunView is every text of the running flow's view (steps, user code, authorize URL).
func (p Probe) RunView() string { return texts(p.l.run.box) }

// Tab is every text of the tab named name (Tokens, ID token, Transcript, Steps).
func (p Probe) Tab(name string) string {
	for _, it := range p.l.tabs.Items {
		if it.Text == name {
			return texts(it.Content)
		}
	}
	return ""
}

// SelectedTab is the name of the selected tab.
func (p Probe) SelectedTab() string { return p.l.tabs.Selected().Text }

// ConfirmRevoke answers the open Revoke dialog with Revoke, for the refresh token when refresh
// is set (and there is one), else for the access token. It reports false when no dialog is open.
func (p Probe) ConfirmRevoke(refresh bool) bool {
	if p.l.confirmRevoke == nil {
		return false
	}
	p.l.confirmRevoke(refresh)
	return true
}

// ShowAppSettings selects the App settings tab (building it on first use).
func (p Probe) ShowAppSettings() { p.l.ShowAppSettings() }

// AppEntry is one of the App settings tab's entries: api, contact, callbacks, scopes.
func (p Probe) AppEntry(name string) *widget.Entry {
	v := p.l.app
	e := map[string]*keyEntry{"api": v.apiName, "contact": v.contact, "callbacks": v.callbacks, "scopes": v.scopes}[name]
	if e == nil {
		return nil
	}
	return &e.Entry
}

// AppButton is one of the App settings tab's buttons: read, lint, export.
func (p Probe) AppButton(name string) *widget.Button {
	v := p.l.app
	b := map[string]*keyButton{"read": v.readBtn, "lint": v.lintBtn, "export": v.exportBtn}[name]
	if b == nil {
		return nil
	}
	return &b.Button
}

// AppFindings is every text of the lint findings under the App settings.
func (p Probe) AppFindings() string { return texts(p.l.app.findings) }

// LintLine is the lint warning above Run, or "" when it is hidden.
func (p Probe) LintLine() string {
	if !p.l.lintLine.Visible() {
		return ""
	}
	return p.l.lintText.Text
}

// texts collects the texts under o, one per line, hidden parts included (a closed accordion
// item's detail too), so tests can assert what a pane says without a markup golden.
func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case nil:
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(x.Content)
		case *container.Split:
			walk(x.Leading)
			walk(x.Trailing)
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *widget.Entry:
			b.WriteString(x.Text + "\n")
		case *keyEntry:
			b.WriteString(x.Text + "\n")
		case *widget.Button:
			if x.Text != "" {
				b.WriteString(x.Text + "\n")
			}
		case *keyButton:
			if x.Text != "" {
				b.WriteString(x.Text + "\n")
			}
		case *lazyDetail:
			walk(x.obj)
		case *widget.Accordion:
			for _, it := range x.Items {
				b.WriteString(it.Title + "\n")
				walk(it.Detail)
			}
		}
	}
	walk(o)
	return b.String()
}

// AdvanceBy chooses how far the Advance org clock button moves the demo org's clock: one of
// 30m, 1h, 2h, 1d.
func (p Probe) AdvanceBy(choice string) bool {
	if !slices.Contains(p.l.advanceSel.Options, choice) {
		return false
	}
	p.l.advanceSel.SetSelected(choice)
	return true
}

// SetFlow chooses f in the flow picker, as picking it in the list does.
func (p Probe) SetFlow(f flows.Flow) {
	p.l.flowPick.set(f)
	p.l.form.showFor(f)
}

// LastRefreshToken is the refresh token the window would refresh with.
func (p Probe) LastRefreshToken() string {
	if p.l.last == nil {
		return ""
	}
	return p.l.refreshTokenOf(p.l.last)
}

// SelectAdmin chooses the admin profile beside the actions; false when it is not offered.
func (p Probe) SelectAdmin(name string) bool {
	if !slices.Contains(p.l.adminSel.Options, name) {
		return false
	}
	// As a click would, but the budget check starts after the select has redrawn: under the
	// test driver a background done runs on its own goroutine, beside this one.
	sel := p.l.adminSel
	cb := sel.OnChanged
	sel.OnChanged = nil
	sel.SetSelected(name)
	sel.OnChanged = cb
	cb(name)
	return true
}

// Diagnosis is the shown diagnosis as text, "" when none is shown; Center is every text of
// the results area.
func (p Probe) Diagnosis() string {
	if p.l.diagnosis == nil {
		return ""
	}
	return p.l.diagText
}
func (p Probe) Center() string { return texts(p.l.center) }

// Budget is the approval budget line above Run, or "" when it is hidden.
func (p Probe) Budget() string {
	if !p.l.budgetLine.Visible() {
		return ""
	}
	return p.l.budgetText.Text
}

// ExplainErrorURL explains raw as the Explain error page dialog's Explain does.
func (p Probe) ExplainErrorURL(raw string) { p.l.ExplainErrorURL(raw) }

// Shot resizes the window to w×h and saves what its canvas paints as a PNG at path.
func (p Probe) Shot(path string, w, h float32) error {
	p.l.win.Resize(fyne.NewSize(w, h))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, p.l.win.Canvas().Capture())
}
