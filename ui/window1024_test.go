package ui_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/ui"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// The window as an admin uses it (issue 20): at 1024x700, for every demo profile's flow (run,
// or running for the device flow; as loaded for the flows that need a browser) and with its
// App settings shown, every control of every bar (the demo banner, the actions above the
// results, Run and Save below the profile, the profile list's buttons, the theme picker) lies
// whole inside the window, the answer after a run is all in view, and no control anywhere, the results column's included, passes a
// side of the window or of the scroll it is in.
func TestEveryControlShownWholeAt1024x700ForEveryDemoProfile(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	fyne.CurrentApp().Settings().SetTheme(ui.NewTheme("dark")) // the window's own sizes and fonts
	names := p.ProfileNames()
	if len(names) < 12 {
		t.Fatalf("the demo has %d profiles, want its 12: %q", len(names), names)
	}
	p.Settle(1024, 700)
	left := p.ResultsLeft() // the columns' shares, with the first profile's form
	if left < 500 || left > 620 {
		t.Fatalf("at 1024 pixels the results column begins at x %v; want the window's shares (about 590)", left)
	}
	check := func(what string) {
		t.Helper()
		p.Settle(1024, 700)
		// The profile column does not widen with its content (a JWT key row, App settings).
		if x := p.ResultsLeft(); x != left {
			t.Errorf("%s: the results column begins at x %v, not %v: the profile column widened", what, x, left)
		}
		for _, c := range p.CutOff() {
			t.Errorf("%s: %s", what, c)
		}
	}
	for _, name := range names {
		p.ShowProfileTab()
		pick(t, p, name)
		switch {
		case p.FlowBrowser():
			check(name + " (not run: its flow needs a browser)")
		case strings.Contains(name, "Device"):
			// Running: TestDeviceFlowMetadataShownWholeAt1024And1366 (a flow that waits for the
			// test, so that nothing changes the window while the test reads it).
			check(name + " (not run)")
		default:
			test.Tap(p.Button("run"))
			waitIdle(t, 30*time.Second)
			check(name + " (after Run: " + p.Status() + ")")
			if p.Answer() != "" {
				if cut := p.AnswerCut(); cut != "" {
					t.Errorf("%s: %s", name, cut)
				}
			}
		}
		p.ShowAppSettings()
		waitIdle(t, 10*time.Second)
		check(name + " with App settings shown")
	}
}
