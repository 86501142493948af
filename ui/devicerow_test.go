package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/store"
)

// The device flow's metadata while it runs (how long it still waits, the instruction, the
// user code, the verification URL) is shown whole at 1024x700 and 1366x800: no text is
// truncated, cut to fewer lines than it needs, or passes the side of the running view; and
// no control of the window is cut off meanwhile. The flow waits for the test, so that
// nothing changes the window while the test reads it.
func TestDeviceFlowMetadataShownWholeAt1024And1366(t *testing.T) {
	shown, release := make(chan struct{}), make(chan struct{})
	fb := &fakeBackend{}
	be := fb.backend()
	be.RunFlow = func(ctx context.Context, req flows.Request, progress func(flows.Progress)) *flows.Result {
		url := "https://mycompany.my.salesforce.com/setup/connect"
		progress(flows.Progress{Step: "user-code", Message: "enter code ABCD-1234 at " + url, Time: t0,
			UserCode: "ABCD-1234", VerificationURL: url})
		shown <- struct{}{}
		<-release
		return &flows.Result{Flow: req.Flow, Err: fmt.Errorf("device flow stopped while waiting for the user: %w", context.Canceled)}
	}
	st := NewMemoryStore([]Profile{{Profile: store.Profile{ID: "d", Name: "Device flow", LoginURL: productionURL, ClientID: "3MVG-device", Flow: string(flows.Device)}}}, nil)
	l, _ := newTestLab(t, be, st)
	fyne.CurrentApp().Settings().SetTheme(NewTheme("dark")) // the window's own sizes and fonts
	p := l.Probe()
	test.Tap(l.runBtn)
	<-shown
	for _, size := range [][2]float32{{1024, 700}, {1366, 800}} {
		p.Settle(size[0], size[1])
		if !l.run.device.Visible() || l.run.userCode.Text != "ABCD-1234" {
			t.Fatalf("at %vx%v the running view shows no user code", size[0], size[1])
		}
		for _, c := range p.DeviceRowCut() {
			t.Errorf("at %vx%v: %s", size[0], size[1], c)
		}
		for _, c := range p.CutOff() {
			t.Errorf("at %vx%v: %s", size[0], size[1], c)
		}
	}
	// The probe sees a cut when there is one: the countdown cut with an ellipsis to its width
	// is reported (else the checks above could pass on a window that cuts the row).
	cd := l.run.countdown
	text, wrap := cd.Text, cd.Wrapping
	cd.Wrapping, cd.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
	cd.SetText(strings.Repeat("stops waiting for the user in 9m 59s ", 12))
	p.Settle(1024, 700)
	if len(p.DeviceRowCut()) == 0 {
		t.Error("a countdown cut with an ellipsis is not reported: the check sees nothing")
	}
	cd.Wrapping, cd.Truncation = wrap, fyne.TextTruncateOff
	cd.SetText(text)
	close(release)
	waitIdle()
}
