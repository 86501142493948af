package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// resultsPane is the right column below the actions: the running view or the results (the
// answer first, then lifetimes beside guidance, in one scroll) above the tabs of what came
// back (tokens, ID token claims, transcript, steps). It knows nothing of profiles or of the
// window's state: the coordinator hands it what to show.
//
// Nothing in it raises the window's minimum size: every long text wraps, and what can grow
// without bound (the steps of a device flow that polls for minutes, a transcript's long
// titles) sits in a scroll.
type resultsPane struct {
	label      *widget.Label // whose result this is: profile, flow and time
	answer     *answerView
	lifetimes  *lifetimesView
	guide      *guidanceView
	center     *fyne.Container // empty hint, running view, or results
	emptyHint  *widget.Label
	emptyView  fyne.CanvasObject
	resultView fyne.CanvasObject
	resultScr  *container.Scroll // the results' one scroll: back to the top on each result
	tabs       *container.AppTabs
	stepsTab   *container.TabItem
	tokensTab  *container.TabItem
	claimsTab  *container.TabItem
	transTab   *container.TabItem
	box        fyne.CanvasObject
}

// emptyText is what the results say before the first run.
const emptyText = "Results appear here: the answer first, then lifetimes beside guidance."

// newResultsPane builds the pane; steps is the running view's step list (the Steps tab).
func newResultsPane(steps fyne.CanvasObject) *resultsPane {
	v := &resultsPane{lifetimes: newLifetimesView(), guide: newGuidanceView(), answer: newAnswerView(),
		label: &widget.Label{Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, TextStyle: fyne.TextStyle{Italic: true}}}
	split := container.NewHSplit(v.lifetimes.box, v.guide.box)
	split.Offset = 0.45
	// Both ways: the column's minimum width stays what it was before any result (the wrapped
	// texts take the width there is; only a column narrower than the widest word scrolls).
	v.resultScr = container.NewScroll(container.NewPadded(container.NewVBox(v.label, v.answer.box, widget.NewSeparator(), split)))
	v.resultView = v.resultScr
	v.emptyHint = &widget.Label{Text: emptyText, Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	v.emptyView = container.NewVScroll(container.NewPadded(v.emptyHint))
	v.center = container.NewStack(v.emptyView)

	v.stepsTab = container.NewTabItem("Steps", steps)
	v.tokensTab = container.NewTabItem("Tokens", wrapped("No token yet."))
	v.claimsTab = container.NewTabItem("ID token", wrapped("No ID token yet."))
	v.transTab = container.NewTabItem("Transcript", wrapped("No HTTP exchange yet."))
	v.tabs = container.NewAppTabs(v.tokensTab, v.claimsTab, v.transTab, v.stepsTab)
	vs := container.NewVSplit(v.center, v.tabs)
	// The answer first: at 1024x700, under the actions' three rows, the answer's three lines
	// are whole above the tabs (TestEveryControlShownWholeAt1024x700ForEveryDemoProfile).
	vs.Offset = 0.75
	v.box = vs
	return v
}

// showRunning puts a running flow's view in place of the results, with its steps in front.
func (v *resultsPane) showRunning(run fyne.CanvasObject) {
	v.center.Objects = []fyne.CanvasObject{run}
	v.center.Refresh()
	v.tabs.Select(v.stepsTab)
	v.tabs.Refresh()
}

// showCenter puts o (the results, or a diagnosis) above the tabs.
func (v *resultsPane) showCenter(o fyne.CanvasObject) {
	v.center.Objects = []fyne.CanvasObject{o}
	v.center.Refresh()
}

// showEmpty clears the results: text says why (nothing run yet, or another profile chosen).
func (v *resultsPane) showEmpty(text string) {
	v.emptyHint.SetText(text)
	v.showCenter(v.emptyView)
	v.tokensTab.Content = wrapped("No token yet.")
	v.claimsTab.Content = wrapped("No ID token yet.")
	v.transTab.Content = wrapped("No HTTP exchange yet.")
	v.tabs.Refresh()
}

// show renders a report and what came back, labelled with whose result it is: the token
// fields (with the refresh token in use when the response carries none), the ID token's
// claims and every exchange (the run's, then extra: the follow-up calls'). top scrolls the
// results back to their beginning (a new run, another profile); a follow-up call keeps the
// place.
func (v *resultsPane) show(label string, r *guidance.Report, res *flows.Result, extra []flows.Exchange, refreshInUse string, now time.Time, copyText func(what, text string), top bool) {
	v.label.SetText(label)
	v.answer.render(r)
	v.lifetimes.render(r, now)
	v.guide.render(r)
	v.showCenter(v.resultView)
	if top {
		v.resultScr.ScrollToTop()
	}
	// The tabs scroll both ways for the same reason; an exchange's title (method, path,
	// status) is one line that may be long.
	v.tokensTab.Content = container.NewScroll(tokenRows(res.Token, refreshInUse, copyText))
	v.claimsTab.Content = container.NewScroll(claimRows(res))
	all := append(slices.Clone(res.Transcript.Exchanges()), extra...)
	v.transTab.Content = container.NewScroll(transcriptView(all, copyText))
	v.tabs.Refresh()
}

// answerView is the answer first: guidance's three lines (Lifetime, Refresh token, Do this
// next), each with its severity's icon, the same lines the command line prints.
type answerView struct {
	box   *fyne.Container
	shown string // the lines as "Label: text", one a line (tests)
}

func newAnswerView() *answerView { return &answerView{box: container.NewVBox()} }

func (v *answerView) render(r *guidance.Report) {
	v.box.RemoveAll()
	v.shown = r.Answer.Text()
	for _, line := range r.Answer.Lines() {
		if line.Text == "" {
			continue
		}
		// "Label: text" in one paragraph, the label in bold: three lines take three paragraphs'
		// height, not six.
		style := widget.RichTextStyleInline
		if line.Severity == guidance.SeverityError {
			style.ColorName = theme.ColorNameError
		}
		text := widget.NewRichText(
			&widget.TextSegment{Style: widget.RichTextStyleStrong, Text: line.Label + ": "},
			&widget.TextSegment{Style: style, Text: line.Text})
		text.Wrapping = fyne.TextWrapWord
		v.box.Add(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(severityIcon(line.Severity))), nil, text))
	}
	v.box.Refresh()
}
