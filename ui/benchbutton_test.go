package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// visibleButtons counts the shown buttons titled text under o (hidden parents hide them).
func visibleButtons(o fyne.CanvasObject, text string) int {
	if o == nil || !o.Visible() {
		return 0
	}
	switch x := o.(type) {
	case *keyButton:
		if x.Text == text {
			return 1
		}
	case *fyne.Container:
		n := 0
		for _, c := range x.Objects {
			n += visibleButtons(c, text)
		}
		return n
	case *container.Scroll:
		return visibleButtons(x.Content, text)
	case *container.Split:
		return visibleButtons(x.Leading, text) + visibleButtons(x.Trailing, text)
	}
	return 0
}

// The demo has one Rotation bench button, the banner's: the actions bar keeps two rows, so
// that at 1024x700 the answer above the tabs has the room of the third. Without the demo
// (no banner) the actions bar has it.
func TestOneRotationBenchButton(t *testing.T) {
	barHeight := map[bool]float32{}
	for _, demo := range []bool{false, true} {
		test.NewTempApp(t)
		w := test.NewTempWindow(t, nil)
		be := (&fakeBackend{}).backend()
		be.RotationBench = emulatedBench
		opt := Options{Store: demoStore(), TickEvery: -1}
		if demo {
			opt = Options{Demo: &Demo{Store: demoStore(), Banner: "Demo: an emulated org."}, TickEvery: -1}
		}
		l := New(w, be, opt)
		w.SetContent(l.Content())
		w.Resize(fyne.NewSize(1024, 660))
		l.Start()
		waitIdle()
		all := visibleButtons(l.Content().(*fyne.Container), "Rotation bench")
		inBar := visibleButtons(l.actionsBar, "Rotation bench")
		inBanner := visibleButtons(l.banner, "Rotation bench")
		barHeight[demo] = l.actionsBar.MinSize().Height
		switch {
		case all != 1:
			t.Errorf("demo %v: %d Rotation bench buttons shown, want 1", demo, all)
		case demo && (inBanner != 1 || inBar != 0):
			t.Errorf("demo: Rotation bench in the banner %d, in the actions bar %d; want the banner's only", inBanner, inBar)
		case !demo && inBar != 1:
			t.Errorf("no demo: Rotation bench in the actions bar %d, want 1", inBar)
		}
		// The banner's button opens the bench like the bar's.
		if demo {
			for _, o := range l.banner.Objects {
				tapButton(t, o, "Rotation bench")
			}
			waitIdle()
			if l.center.Objects[0] != l.benches.box {
				t.Errorf("demo: the banner's Rotation bench did not show the bench")
			}
		}
		l.Close()
	}
	if barHeight[true] >= barHeight[false] {
		t.Errorf("the actions bar is %v high in the demo and %v without: the demo's should be a row lower", barHeight[true], barHeight[false])
	}
}

// tapButton taps the first shown button titled text under o.
func tapButton(t *testing.T, o fyne.CanvasObject, text string) bool {
	t.Helper()
	switch x := o.(type) {
	case *keyButton:
		if x.Text == text && x.Visible() {
			test.Tap(x)
			return true
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if tapButton(t, c, text) {
				return true
			}
		}
	}
	return false
}

// At 1024x700 (a 1024x660 window) the results above the tabs get the split's share before
// the Timeline tab was ever shown: its what-if toggles, not yet laid out, count as one row each
// in a minimum height, and that minimum held the answer to half the column.
func TestAnswerGetsItsShareAt1024(t *testing.T) {
	l, w := newTestLab(t, (&fakeBackend{}).backend(), demoStore())
	w.Resize(fyne.NewSize(1024, 660))
	waitIdle()
	sp := l.resultsPane.box.(*container.Split)
	total := sp.Size().Height
	if got := l.center.Size().Height; got < 0.64*total {
		t.Errorf("the results above the tabs are %v of %v pixels (%.2f), want the split's 0.66", got, total, got/total)
	}
	if h := l.tabs.MinSize().Height; h > 0.34*total {
		t.Errorf("the tabs' minimum height is %v of %v: it pushes the split up", h, total)
	}
}
