package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/checkup"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// checkView is the app checkup (checkup.Run) of the current profile: the rows as they run,
// Cancel, then the matrix of flow by result with the fix of each failure, and the report's
// export as Markdown, HTML or JSON (checkup's writers: redacted, with the version and date).
type checkView struct {
	run  func(ctx context.Context, in checkup.Input) *checkup.Report
	save func(name string, write func(io.Writer) error) // asks where, then writes (a file dialog)
	ctx  context.Context                                // the window's: closing it stops the checkup
	tell func(string, widget.Importance)                // the window's status line

	title   *widget.Label
	summary *widget.Label
	lint    *fyne.Container
	rows    *fyne.Container
	browser *widget.Check
	cancelB *keyButton
	againB  *keyButton
	exports []*keyButton
	status  *widget.Label
	box     fyne.CanvasObject

	cancel  context.CancelFunc
	running bool
	seq     int
	shown   []checkup.Row // the rows so far, in the order they started
	report  *checkup.Report
	again   func() // runs the checkup of the same profile once more
}

func newCheckView(ctx context.Context, run func(context.Context, checkup.Input) *checkup.Report,
	save func(string, func(io.Writer) error), tell func(string, widget.Importance), back func()) *checkView {
	v := &checkView{run: run, save: save, ctx: ctx, tell: tell}
	v.title = &widget.Label{Text: "App checkup", TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	v.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.status = &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, BaseWidget: widget.BaseWidget{Hidden: true}}
	v.lint = container.NewVBox()
	v.rows = container.NewVBox()
	v.browser = &widget.Check{Text: "Include browser flows"}
	v.cancelB = keyedOff(&keyButton{Button: widget.Button{Text: "Cancel", Icon: theme.MediaStopIcon(), OnTapped: v.stop}})
	v.againB = keyedOff(&keyButton{Button: widget.Button{Text: "Check again", Icon: theme.ViewRefreshIcon(), OnTapped: func() {
		if v.again != nil {
			v.again()
		}
	}}})
	for _, f := range []struct{ text, ext string }{{"Markdown", "md"}, {"HTML", "html"}, {"JSON", "json"}} {
		ext := f.ext
		v.exports = append(v.exports, keyedOff(&keyButton{Button: widget.Button{Text: f.text + "…", Icon: theme.DocumentSaveIcon(),
			OnTapped: func() { v.export(ext) }}}))
	}
	backB := keyed(&keyButton{Button: widget.Button{Text: "Back to results", Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: back}})
	row := []fyne.CanvasObject{v.browser, layout.NewSpacer(), &widget.Label{Text: "Export:"}}
	for _, b := range v.exports {
		row = append(row, b) // not Add: it lays the row out, measuring its texts
	}
	bottomRow := container.NewHBox(row...)
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(v.cancelB, v.againB, backB), v.title),
		v.summary, widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHScroll(bottomRow), v.status)
	v.box = container.NewBorder(top, bottom, nil, nil, container.NewVScroll(container.NewVBox(v.lint, v.rows)))
	return v
}

// start runs the checkup of the input load returns (it runs in the background: it may read a
// key file). A checkup already running is left to run.
func (v *checkView) start(name string, load func() (checkup.Input, error)) {
	if v.running {
		return
	}
	v.running = true
	v.seq++
	seq := v.seq
	ctx, cancel := context.WithCancel(v.ctx)
	v.cancel = cancel
	v.report, v.shown = nil, nil
	v.title.SetText("Checkup of " + name)
	v.summary.SetText("Each flow the app allows runs in turn; the rows fill in as they finish.")
	v.summary.Importance = widget.MediumImportance
	v.lint.RemoveAll()
	v.rows.RemoveAll()
	v.say("")
	v.cancelB.Enable()
	v.againB.Disable()
	v.browser.Disable()
	for _, b := range v.exports {
		b.Disable()
	}
	browser := v.browser.Checked
	progress := onUI(func(r checkup.Row) {
		if seq == v.seq {
			v.progress(r)
		}
	})
	run := v.run
	background(func() *checkup.Report {
		in, err := load()
		if err != nil {
			return &checkup.Report{Date: time.Now().UTC(), Rows: []checkup.Row{{Step: "start", Status: checkup.Fails, Detail: flows.RedactText(err.Error())}}}
		}
		in.Browser = browser
		in.Progress = progress
		return run(ctx, in)
	}, func(r *checkup.Report) {
		cancel()
		if seq != v.seq {
			return
		}
		v.running, v.cancel = false, nil
		v.done(r)
	})
}

// say shows a line below the matrix ("" hides it).
func (v *checkView) say(text string) {
	v.status.SetText(text)
	if text == "" {
		v.status.Hide()
	} else {
		v.status.Show()
	}
}

// stop cancels the running checkup; the steps not run come back as cancelled.
func (v *checkView) stop() {
	if v.cancel != nil {
		v.say("Cancelling: the step under way stops, the rest is not run…")
		v.cancel()
	}
}

// progress shows a row that started (running) or ended.
func (v *checkView) progress(r checkup.Row) {
	for i, s := range v.shown {
		if s.Name() == r.Name() {
			v.shown[i] = r
			v.rows.Objects[i] = checkRowView(r)
			v.rows.Refresh()
			return
		}
	}
	v.shown = append(v.shown, r)
	v.rows.Add(checkRowView(r))
}

func (v *checkView) done(r *checkup.Report) {
	v.report = r
	v.cancelB.Disable()
	v.againB.Enable()
	v.browser.Enable()
	for _, b := range v.exports {
		b.Enable()
	}
	v.say("")
	v.summary.SetText(checkSummary(r))
	switch {
	case r.Cancelled:
		v.summary.Importance = widget.WarningImportance
	case r.Passed():
		v.summary.Importance = widget.SuccessImportance
	default:
		v.summary.Importance = widget.DangerImportance
	}
	v.summary.Refresh()
	if v.tell != nil {
		v.tell("Checkup: "+v.summary.Text, v.summary.Importance)
	}
	v.lint.RemoveAll()
	if r.SettingsKnown {
		errs, warns, _ := connectedapp.Count(r.Lint)
		v.lint.Add(&widget.Label{Text: fmt.Sprintf("Lint of the app's settings: %d errors, %d warnings", errs, warns), TextStyle: fyne.TextStyle{Bold: true}})
		for _, f := range r.Lint {
			if f.Severity != connectedapp.Info {
				v.lint.Add(caption(fmt.Sprintf("%s %s: %s. Fix: %s", f.Severity, f.Code, f.Problem, f.Fix)))
			}
		}
	} else {
		v.lint.Add(caption("Lint skipped: the profile holds no app settings (read them in the App settings tab, then check again)."))
	}
	v.lint.Add(widget.NewSeparator())
	v.rows.RemoveAll()
	v.shown = nil
	for _, row := range matrixOrder(r.Rows) {
		v.rows.Add(checkRowView(row))
	}
}

// matrixOrder is the rows as the finished matrix shows them: what fails first (with its
// fix), then what was cancelled, what works, and what was skipped; each group in the order
// the checkup ran it. The exports keep the run's order.
func matrixOrder(rows []checkup.Row) []checkup.Row {
	rank := map[checkup.Status]int{checkup.Fails: 0, checkup.Cancelled: 1, checkup.Works: 2, checkup.Skipped: 3}
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b checkup.Row) int { return rank[a.Status] - rank[b.Status] })
	return out
}

func checkSummary(r *checkup.Report) string {
	switch {
	case r.Cancelled:
		return "Cancelled: " + r.Summary() + ". The rows below say what ran."
	case r.Passed():
		return "Every flow that ran works: " + r.Summary() + "."
	}
	return "Some flows fail: " + r.Summary() + ". Each failure has its fix below."
}

// checkRowView is one row of the matrix, as one wrapped text: the step and its result, what
// came back or why not, what it means and the fix.
func checkRowView(r checkup.Row) fyne.CanvasObject {
	icon, col := theme.InfoIcon(), theme.ColorNamePlaceHolder
	switch r.Status {
	case checkup.Works:
		icon, col = theme.NewSuccessThemedResource(theme.ConfirmIcon()), theme.ColorNameSuccess
	case checkup.Fails:
		icon, col = theme.NewErrorThemedResource(theme.ErrorIcon()), theme.ColorNameError
	case checkup.Cancelled:
		icon, col = theme.NewWarningThemedResource(theme.WarningIcon()), theme.ColorNameWarning
	case checkup.Running:
		icon, col = theme.MediaPlayIcon(), theme.ColorNamePrimary
	}
	status := string(r.Status)
	if r.Status == checkup.Running {
		status = "running…"
	}
	small := widget.RichTextStyle{SizeName: theme.SizeNameCaptionText}
	segs := []widget.RichTextSegment{
		&widget.TextSegment{Text: r.Name(), Style: widget.RichTextStyle{Inline: true, TextStyle: fyne.TextStyle{Bold: true}}},
		&widget.TextSegment{Text: "  " + status, Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}, ColorName: col}},
	}
	if r.Detail != "" && r.Status != checkup.Running {
		segs = append(segs, &widget.TextSegment{Text: r.Detail, Style: small})
	}
	if r.Meaning != "" {
		segs = append(segs, &widget.TextSegment{Text: r.Meaning, Style: small})
	}
	if r.Fix != "" {
		segs = append(segs, &widget.TextSegment{Text: "Fix: " + r.Fix, Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}}})
	}
	if r.SetupPath != "" {
		segs = append(segs, &widget.TextSegment{Text: "Setup: " + r.SetupPath, Style: small})
	}
	text := widget.NewRichText(segs...)
	text.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewVBox(container.NewPadded(widget.NewIcon(icon))), nil, text)
}

// rowText is a row as the view shows it, one line per part (tests).
func rowText(o fyne.CanvasObject) string {
	var out []string
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			if rt, ok := x.(*widget.RichText); ok {
				for _, s := range rt.Segments {
					if ts, ok := s.(*widget.TextSegment); ok {
						out = append(out, strings.TrimSpace(ts.Text))
					}
				}
			}
		}
	}
	return strings.Join(out, "\n")
}

// export writes the report as Markdown, HTML or JSON through save.
func (v *checkView) export(ext string) {
	r := v.report
	if r == nil || v.save == nil {
		return
	}
	write := map[string]func(io.Writer) error{"md": r.WriteMarkdown, "html": r.WriteHTML, "json": r.WriteJSON}[ext]
	v.save(exportName(r, ext), write)
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// exportName is the suggested file name: checkup-<profile>-<date>.<ext>.
func exportName(r *checkup.Report, ext string) string {
	name := strings.Trim(unsafeName.ReplaceAllString(r.Profile, "-"), "-")
	if len(name) > 40 {
		name = name[:40]
	}
	if name == "" {
		name = "app"
	}
	return fmt.Sprintf("checkup-%s-%s.%s", name, r.Date.UTC().Format("2006-01-02"), ext)
}

// saveDialog asks for a file with a save dialog and writes it; said reports the outcome in
// one line.
func saveDialog(win fyne.Window, said func(string, widget.Importance)) func(string, func(io.Writer) error) {
	return func(name string, write func(io.Writer) error) {
		d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				if err != nil {
					said("Not exported: "+oneLine(err.Error()), widget.DangerImportance)
				}
				return
			}
			werr := write(w)
			if cerr := w.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				said("Not exported: "+oneLine(werr.Error()), widget.DangerImportance)
				return
			}
			said("Exported the checkup to "+w.URI().Path()+" (secrets redacted).", widget.SuccessImportance)
		}, win)
		d.SetFileName(name)
		if home, err := os.UserHomeDir(); err == nil {
			if u, err := storage.ListerForURI(storage.NewFileURI(home)); err == nil {
				d.SetLocation(u)
			}
		}
		d.Resize(fyne.NewSize(720, 520))
		d.Show()
	}
}

// checkInput is the checkup's input for a profile as the form holds it, with its secrets (as
// Run gets them): the flow request, and the App settings when the profile has them. The JWT
// key file is read here (call it in the background).
func checkInput(p Profile, s Secrets, clock func() time.Time) (checkup.Input, error) {
	req := buildRequest(p, s)
	if clock != nil {
		req.Options.Now = clock
	}
	if len(req.JWTPrivateKeyPEM) == 0 && p.JWTKeyFile != "" {
		pem, err := userfile.Read(p.JWTKeyFile, "JWT private key", userfile.KeyLimit)
		if err != nil {
			return checkup.Input{}, fmt.Errorf("%w; choose the PEM file of the key whose certificate is on the app", err)
		}
		req.JWTPrivateKeyPEM = pem
	}
	in := checkup.Input{Profile: p.Name, Request: req, SiteURL: p.JWTAudience, Now: clock}
	if len(p.App.Settings) > 0 {
		var cs connectedapp.Settings
		if err := json.Unmarshal(p.App.Settings, &cs); err == nil {
			in.Settings = &cs
		}
	}
	return in, nil
}

// Check runs the app checkup of the profile in the form and shows it in place of the
// results; while one runs, Check shows it again.
func (l *Lab) Check() {
	if l.be.Checkup == nil {
		return
	}
	if l.checks.running {
		l.showCenter(l.checks.box)
		return
	}
	p, s := l.readForm()
	if p.LoginURL == "" || p.ClientID == "" {
		l.setStatus("Fill in the login URL and the client ID first: the checkup logs in with them.", widget.WarningImportance)
		return
	}
	l.showCenter(l.checks.box)
	clock := l.orgClock()
	l.checks.again = l.Check
	l.setStatus("Checking the app: every flow it allows, one by one… (Cancel in the checkup stops it)", widget.MediumImportance)
	l.checks.start(p.Name, func() (checkup.Input, error) { return checkInput(p, s, clock) }) // last: it may end at once (tests)
}

// backToResults shows the last run's results again (or the empty hint).
func (l *Lab) backToResults() {
	if l.last != nil {
		l.explainAndShow()
		return
	}
	l.showCenter(l.emptyHint)
}

// addViewButtons adds Check app beside Run (it checks the profile in the form) and Rotation
// bench to the actions bar, when the backend can run them; it returns the Rotation bench button
// (nil without a bench).
// The bars get them in their objects, not by Add, which lays a bar out and so measures its
// texts before the window shows (TestNewMeasuresNoText).
func addViewButtons(runBar, actions *fyne.Container, be Backend, check, bench func()) *keyButton {
	if be.Checkup != nil {
		runBar.Objects = append(runBar.Objects, keyed(&keyButton{Button: widget.Button{Text: "Check app", Icon: theme.ListIcon(), OnTapped: check}}))
	}
	if be.RotationBench == nil {
		return nil
	}
	b := keyed(&keyButton{Button: widget.Button{Text: "Rotation bench", Icon: theme.MediaFastForwardIcon(), OnTapped: bench}})
	actions.Objects = append(actions.Objects, b)
	return b
}
