package ui

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
)

// runView is what a running flow shows: its latest step (the Steps tab beside it lists them
// all), the device flow's user
// code, the authorize URL to copy into a browser elsewhere, and how long it still waits.
type runView struct {
	out linkOut
	now func() time.Time

	title     *widget.Label
	lastStep  *widget.Label
	countdown *widget.Label
	deadline  time.Time

	device     *fyne.Container
	userCode   *widget.Label
	verifyURL  *widget.Label
	verifyLink string

	auth      *fyne.Container
	authURL   *keyEntry
	authLink  string
	notOpened *widget.Label // the browser could not be opened: why, and what to do
	authIntro *widget.Label

	box     *fyne.Container
	body    *container.Scroll // under the title: the countdown, the code or URL, the latest step
	cancel  *keyButton
	history []flows.Progress

	// The Steps tab: the same steps with their names, filled as they happen.
	stepsBox    *fyne.Container
	stepsScroll *container.Scroll
}

// linkOut is where the running view's buttons send a code or an address: the clipboard, or
// the system browser.
type linkOut interface {
	copyText(what, text string)
	openURL(raw string)
}

func newRunView(out linkOut, cancel func(), now func() time.Time) *runView {
	v := &runView{out: out, now: now}
	v.stepsBox = container.NewVBox(wrapped("No run yet."))
	v.stepsScroll = container.NewVScroll(v.stepsBox)
	v.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord}
	v.lastStep = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.countdown = &widget.Label{Wrapping: fyne.TextWrapWord}

	v.userCode = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameHeadingText,
		Alignment: fyne.TextAlignCenter, Selectable: true}
	v.verifyURL = &widget.Label{Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapBreak}
	v.device = container.NewVBox(
		&widget.Label{Text: "Type this code on the verification page, on any device:", Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord},
		v.userCode, v.verifyURL,
		// Two buttons side by side when there is room, one under the other in a narrow column.
		container.NewGridWrap(fyne.NewSize(220, 36),
			keyed(&keyButton{Button: widget.Button{Text: "Copy code", Icon: theme.ContentCopyIcon(), OnTapped: func() { out.copyText("user code", v.userCode.Text) }}}),
			keyed(&keyButton{Button: widget.Button{Text: "Open verification page", Icon: theme.ComputerIcon(), Importance: widget.HighImportance,
				OnTapped: func() { out.openURL(v.verifyLink) }}}),
		),
	)
	v.authURL = keyed(&keyEntry{Entry: widget.Entry{Wrapping: fyne.TextWrapBreak, MultiLine: true}})
	v.authURL.OnChanged = func(string) { // read-only, but selectable and not greyed out
		if v.authURL.Text != v.authLink {
			v.authURL.SetText(v.authLink)
		}
	}
	v.notOpened = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance, TextStyle: fyne.TextStyle{Bold: true}}
	v.authIntro = &widget.Label{Text: authIntroText, Wrapping: fyne.TextWrapWord}
	v.auth = container.NewVBox(v.notOpened, v.authIntro, v.authURL,
		container.NewGridWrap(fyne.NewSize(180, 36),
			keyed(&keyButton{Button: widget.Button{Text: "Copy URL", Icon: theme.ContentCopyIcon(), OnTapped: func() { out.copyText("authorize URL", v.authLink) }}}),
			keyed(&keyButton{Button: widget.Button{Text: "Open in browser", Icon: theme.ComputerIcon(), OnTapped: func() { out.openURL(v.authLink) }}}),
		),
	)
	v.cancel = keyed(&keyButton{Button: widget.Button{Text: "Cancel", Icon: theme.MediaStopIcon(), OnTapped: cancel}})
	// The title and Cancel stay in place; the rest scrolls below them inside the space the
	// results have, and only the latest step is shown (a device flow polls for minutes, one
	// step each time; the Steps tab lists them): nothing here raises the window's minimum
	// size, nor draws over the tabs below.
	v.body = container.NewVScroll(container.NewVBox(v.countdown, v.device, v.auth, widget.NewSeparator(), v.lastStep))
	v.box = container.NewBorder(container.NewBorder(nil, nil, nil, v.cancel, v.title), nil, nil, nil, v.body)
	return v
}

const authIntroText = "Authorize URL: the browser should be open at it; to log in on another browser, copy it there:"

// reset prepares the view for a new run that waits for a person until deadline.
func (v *runView) reset(f flows.Flow, started, deadline time.Time) {
	v.title.SetText(fmt.Sprintf("Running the %s flow", f))
	v.lastStep.SetText("")
	v.stepsBox.RemoveAll()
	v.history = nil
	v.deadline = deadline
	v.countdown.SetText("")
	v.countdown.Hide()
	v.device.Hide()
	v.auth.Hide()
	v.notOpened.Hide()
	v.authIntro.SetText(authIntroText)
	v.authLink = ""
	v.add(flows.Progress{Step: "start", Message: "Starting…", Time: started})
}

// add shows one progress step.
func (v *runView) add(p flows.Progress) {
	v.history = append(v.history, p)
	when := ""
	if !p.Time.IsZero() {
		when = p.Time.Local().Format("15:04:05") + "  "
	}
	msg := p.Message
	if msg == "" {
		msg = p.Step
	}
	v.lastStep.SetText(when + msg)
	v.stepsBox.Add(&widget.Label{Text: when + "[" + p.Step + "] " + msg, Wrapping: fyne.TextWrapWord, Selectable: true})
	v.stepsScroll.ScrollToBottom()
	if p.UserCode != "" {
		v.userCode.SetText(p.UserCode)
		v.verifyLink = p.VerificationURL
		v.verifyURL.SetText(p.VerificationURL)
		v.device.Show()
		v.countdown.Show()
	}
	if p.Step == flows.StepBrowserNotOpened {
		why, _, _ := strings.Cut(p.Message, "; open this URL yourself")
		why = strings.TrimSuffix(strings.TrimPrefix(why, "could not open a browser ("), ")")
		v.notOpened.SetText("The browser could not be opened: " + why + ".")
		v.notOpened.Show()
		v.authIntro.SetText("Copy the authorize URL and open it in a browser on this machine; the app is waiting for its callback:")
	}
	if p.AuthorizeURL != "" {
		v.authLink = p.AuthorizeURL
		v.authURL.SetText(p.AuthorizeURL)
		v.auth.Show()
		v.countdown.Show()
	}
	v.tick(v.now())
	v.box.Refresh()
}

// tick updates how long the flow still waits for the person.
func (v *runView) tick(now time.Time) {
	if !v.countdown.Visible() {
		return
	}
	left := v.deadline.Sub(now)
	if left < 0 {
		left = 0
	}
	v.countdown.SetText(fmt.Sprintf("Waiting for you: the app stops waiting in %s (Cancel stops now).", shortDuration(left)))
}

// clearSteps empties the Steps tab (the result it belonged to was cleared).
func (v *runView) clearSteps() {
	v.stepsBox.RemoveAll()
	v.stepsBox.Add(wrapped("No run yet."))
	v.history = nil
}

// stepsList is the Steps tab's content: the steps of the current or last run, added as they
// happen.
func (v *runView) stepsList() fyne.CanvasObject { return v.stepsScroll }
