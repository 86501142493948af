package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The demo org: the window switched to an emulated org (sfemu) and its demo profiles.

// useDemo switches the window to the emulated org.
func (l *Lab) useDemo(d *Demo) {
	l.demo = d
	l.store = d.Store
	l.current = Profile{}
	l.drafts = map[string]draft{}
	l.apps = map[string]*appState{}
	text := d.Banner
	if text == "" {
		text = "Demo: this is an emulated Salesforce org running on this machine, not a real org. Every secret is a demo value."
	}
	msg := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.WarningImportance}
	// The org's own controls sit in the banner: the actions bar is full with the token's.
	var right []fyne.CanvasObject
	if d.AdvanceClock != nil {
		right = append(right, wideSelect(l.advanceSel), l.advanceBtn) // the choice in full, not "3…"
	}
	right = append(right, l.benchButtons()...) // the rotation bench runs on an emulated org too
	if l.benchBtn != nil {
		// One Rotation bench button: the banner's. The actions bar's would take a third row
		// from the answer above the tabs (at 1024x700 its "Do this next" line then scrolled).
		l.benchBtn.Hide()
	}
	if len(d.Notes) > 0 {
		notesText := strings.Join(d.Notes, "\n")
		right = append(right, keyed(&keyButton{Button: widget.Button{Text: "Notes", Icon: theme.InfoIcon(), Importance: widget.LowImportance,
			OnTapped: func() { l.showError("About the emulated org", text, notesText) }}}))
	}
	l.banner.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon())),
		container.NewHBox(right...), msg), widget.NewSeparator()}
	l.banner.Refresh()
	l.updateActions()
}

func (l *Lab) offerDemo() {
	l.lastDialog = "No profiles yet"
	dialog.ShowCustomConfirm("No profiles yet", "Open the demo org", "Start empty",
		&widget.Label{Text: "Connected App Lab keeps one profile per org and app. You have none yet.\n\n" +
			"The demo starts an emulated Salesforce org on this machine with one profile per scenario " +
			"(including the username-password question), so you can run every flow without a real org.",
			Wrapping: fyne.TextWrapWord},
		func(ok bool) {
			if ok {
				l.StartDemo()
			} else {
				l.addProfile()
			}
		}, l.win)
}

// StartDemo starts the emulated org in the background and switches to its profiles.
func (l *Lab) StartDemo() {
	if l.be.StartDemo == nil {
		return
	}
	l.setStatus("Starting the emulated org…", widget.MediumImportance)
	start, ctx := l.be.StartDemo, l.ctx
	type started struct {
		d   *Demo
		err error
	}
	background(func() started { d, err := start(ctx); return started{d, err} }, func(r started) {
		if r.err != nil {
			l.showError("The demo org did not start", "The emulated org could not start on this machine.", r.err.Error())
			return
		}
		l.useDemo(r.d)
		l.setStatus("Demo org started. Pick a scenario on the left and press Run.", widget.SuccessImportance)
		l.reload("", nil)
	})
}
