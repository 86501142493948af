package ui

import (
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// resultsPane is the right column below the actions: the running view or the results
// (lifetimes beside guidance) above the tabs of what came back (tokens, ID token claims,
// transcript, steps). It knows nothing of profiles or of the window's state: the coordinator
// hands it what to show.
type resultsPane struct {
	lifetimes  *lifetimesView
	guide      *guidanceView
	center     *fyne.Container // empty hint, running view, or results
	emptyHint  fyne.CanvasObject
	resultView fyne.CanvasObject
	tabs       *container.AppTabs
	stepsTab   *container.TabItem
	tokensTab  *container.TabItem
	claimsTab  *container.TabItem
	transTab   *container.TabItem
	box        fyne.CanvasObject
}

// newResultsPane builds the pane; steps is the running view's step list (the Steps tab).
func newResultsPane(steps fyne.CanvasObject) *resultsPane {
	v := &resultsPane{lifetimes: newLifetimesView(), guide: newGuidanceView()}
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(v.lifetimes.box)),
		container.NewVScroll(container.NewPadded(v.guide.box)))
	split.Offset = 0.45
	v.resultView = split
	v.emptyHint = container.NewCenter(&widget.Label{Text: "Results appear here: lifetimes beside guidance.",
		Importance: widget.LowImportance})
	v.center = container.NewStack(v.emptyHint)

	v.stepsTab = container.NewTabItem("Steps", steps)
	v.tokensTab = container.NewTabItem("Tokens", wrapped("No token yet."))
	v.claimsTab = container.NewTabItem("ID token", wrapped("No ID token yet."))
	v.transTab = container.NewTabItem("Transcript", wrapped("No HTTP exchange yet."))
	v.tabs = container.NewAppTabs(v.tokensTab, v.claimsTab, v.transTab, v.stepsTab)
	vs := container.NewVSplit(v.center, v.tabs)
	vs.Offset = 0.6
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

// show renders a report and what came back: the token fields (with the refresh token in use
// when the response carries none), the ID token's claims and every exchange (the run's, then
// extra: the follow-up calls').
func (v *resultsPane) show(r *guidance.Report, res *flows.Result, extra []flows.Exchange, refreshInUse string, now time.Time, copyText func(what, text string)) {
	v.lifetimes.render(r, now)
	v.guide.render(r)
	v.showCenter(v.resultView)
	v.tokensTab.Content = container.NewVScroll(tokenRows(res.Token, refreshInUse, copyText))
	v.claimsTab.Content = container.NewVScroll(claimRows(res))
	all := append(slices.Clone(res.Transcript.Exchanges()), extra...)
	v.transTab.Content = container.NewVScroll(transcriptView(all, copyText))
	v.tabs.Refresh()
}
