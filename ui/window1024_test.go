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
			test.Tap(p.Button("run"))
			waitFor(t, "the device flow's user code", func() bool { return strings.Contains(p.RunView(), "/setup/connect") })
			check(name + " (running)")
			test.Tap(p.Button("cancel"))
			waitIdle(t, 30*time.Second)
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

// waitFor polls cond until it holds, or fails the test after 20 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s never came", what)
		}
	}
}

// The device flow's metadata while it runs (how long it still waits, the instruction, the
// user code, the verification URL) is shown whole at 1024x700 and 1366x800: no text is
// truncated, cut to fewer lines than it needs, or passes the side of the running view.
func TestDeviceFlowMetadataShownWholeAt1024And1366(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	fyne.CurrentApp().Settings().SetTheme(ui.NewTheme("dark"))
	pick(t, p, "Device flow")
	test.Tap(p.Button("run"))
	waitFor(t, "the device flow's user code", func() bool { return strings.Contains(p.RunView(), "/setup/connect") })
	for _, size := range [][2]float32{{1024, 700}, {1366, 800}} {
		p.Settle(size[0], size[1])
		wantContains(t, "running view", p.RunView(), "stops waiting in", "Type this code")
		for _, c := range p.DeviceRowCut() {
			t.Errorf("at %vx%v: %s", size[0], size[1], c)
		}
	}
	test.Tap(p.Button("cancel"))
	waitIdle(t, 30*time.Second)
}
