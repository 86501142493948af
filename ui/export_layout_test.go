package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Hooks for the window-size tests (window1024_test.go, package ui_test).

// ShowProfileTab shows the Profile tab of the middle column.
func (p Probe) ShowProfileTab() { p.l.midTabs.SelectIndex(0) }

// Settle resizes the window to w×h and lays it out a second time, as the GLFW driver does
// on the next frame when a minimum size changed (a wrapped label or bar got another row at
// its new width: common.Canvas.EnsureMinSize); the test driver has no frames.
func (p Probe) Settle(w, h float32) {
	p.l.win.Resize(fyne.NewSize(w, h))
	p.l.content.Refresh()
}

// CutOff lists the window's controls (buttons, selects, entries, checks) that are not shown
// whole: one that passes the canvas's edge or the edge of a scroll it is in. Inside a scroll,
// only the sides count (scrolling up and down is how a column shows more); outside any
// scroll, every edge counts.
func (p Probe) CutOff() []string {
	c := p.l.win.Canvas()
	var out []string
	var walk func(o fyne.CanvasObject, at fyne.Position, clip [4]float32, scrolled bool)
	walk = func(o fyne.CanvasObject, at fyne.Position, clip [4]float32, scrolled bool) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		x0, y0, x1, y1 := pos.X, pos.Y, pos.X+o.Size().Width, pos.Y+o.Size().Height
		if name := controlName(o); name != "" {
			const e = 0.5
			if x0 < clip[0]-e || x1 > clip[2]+e || (!scrolled && (y0 < clip[1]-e || y1 > clip[3]+e)) {
				out = append(out, fmt.Sprintf("%s at x %.0f-%.0f y %.0f-%.0f, shown within x %.0f-%.0f y %.0f-%.0f",
					name, x0, x1, y0, y1, clip[0], clip[2], clip[1], clip[3]))
			}
			return
		}
		var kids []fyne.CanvasObject
		switch x := o.(type) {
		case *fyne.Container:
			kids = x.Objects
		case *container.Scroll:
			clip = [4]float32{max(clip[0], x0), max(clip[1], y0), min(clip[2], x1), min(clip[3], y1)}
			scrolled = true
			kids = []fyne.CanvasObject{x.Content}
		case *widget.List, *widget.Label, *widget.RichText, *widget.Hyperlink:
			return // list rows scroll; texts are not controls
		case fyne.Widget:
			kids = test.WidgetRenderer(x).Objects()
		}
		for _, k := range kids {
			walk(k, pos, clip, scrolled)
		}
	}
	s := c.Size()
	walk(c.Content(), fyne.Position{}, [4]float32{0, 0, s.Width, s.Height}, false)
	return out
}

// controlName names o when it is a control CutOff checks, "" otherwise.
func controlName(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *keyButton:
		return fmt.Sprintf("button %q", x.Text)
	case *widget.Button:
		return fmt.Sprintf("button %q", x.Text)
	case *keySelect:
		return fmt.Sprintf("select %q/%q", x.Selected, x.PlaceHolder)
	case *widget.Select:
		return fmt.Sprintf("select %q/%q", x.Selected, x.PlaceHolder)
	case *keyEntry:
		return fmt.Sprintf("entry %q", x.PlaceHolder)
	case *widget.Entry:
		return fmt.Sprintf("entry %q", x.PlaceHolder)
	case *keyCheck:
		return fmt.Sprintf("check %q", x.Text)
	case *widget.Check:
		return fmt.Sprintf("check %q", x.Text)
	}
	return ""
}

// FlowBrowser says whether the flow in the form runs in a browser.
func (p Probe) FlowBrowser() bool {
	f := p.l.flowPick.flow()
	for _, s := range p.l.form.catalog {
		if s.Flow == f {
			return s.Browser
		}
	}
	return false
}

// ResultsLeft is where the results column (the actions bar above it) begins, in the window.
func (p Probe) ResultsLeft() float32 {
	x, ok := absX(p.l.win.Canvas().Content(), p.l.actionsBar, 0)
	if !ok {
		return -1
	}
	return x
}

// AnswerCut says, when the answer's lines are not all within the results' view at the top of
// the results, by how many pixels they pass its bottom ("" when shown whole).
func (p Probe) AnswerCut() string {
	root := p.l.win.Canvas().Content()
	a, ok1 := absPos(root, p.l.answer.box, fyne.Position{})
	r, ok2 := absPos(root, p.l.resultScr, fyne.Position{})
	if !ok1 || !ok2 {
		return "the answer is not shown"
	}
	bottom, view := a.Y+p.l.answer.box.Size().Height, r.Y+p.l.resultScr.Size().Height
	if bottom > view+0.5 {
		return fmt.Sprintf("the answer ends at y %.0f, %.0f pixels below the results' view", bottom, bottom-view)
	}
	return ""
}

func absX(o, target fyne.CanvasObject, at float32) (float32, bool) {
	p, ok := absPos(o, target, fyne.NewPos(at, 0))
	return p.X, ok
}

func absPos(o, target fyne.CanvasObject, at fyne.Position) (fyne.Position, bool) {
	if o == nil || !o.Visible() {
		return at, false
	}
	at = at.Add(o.Position())
	if o == target {
		return at, true
	}
	var kids []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		kids = x.Objects
	case *widget.List, *widget.Label, *widget.RichText:
	case fyne.Widget:
		kids = test.WidgetRenderer(x).Objects()
	}
	for _, k := range kids {
		if q, ok := absPos(k, target, at); ok {
			return q, true
		}
	}
	return at, false
}

// DeviceRowCut lists the texts of a running device flow (the countdown, the instruction, the
// user code, the verification URL) that are not shown whole: hidden or empty, truncated,
// laid out smaller than their minimum (a wrapped text's lines cut), or passing a side of the
// running view's scroll.
func (p Probe) DeviceRowCut() []string {
	v := p.l.run
	root := p.l.win.Canvas().Content()
	bx, ok := absX(root, v.body, 0)
	if !ok {
		return []string{"the running view is not shown"}
	}
	labels := []*widget.Label{v.countdown}
	for _, o := range v.device.Objects {
		if lb, ok := o.(*widget.Label); ok {
			labels = append(labels, lb)
		}
	}
	var out []string
	for _, lb := range labels {
		x, ok := absX(root, lb, 0)
		m, s := lb.MinSize(), lb.Size()
		switch {
		case !ok || lb.Text == "":
			out = append(out, fmt.Sprintf("%q is not shown", lb.Text))
		case lb.Truncation != fyne.TextTruncateOff && fyne.MeasureText(lb.Text, 14, lb.TextStyle).Width > s.Width:
			out = append(out, fmt.Sprintf("%q is truncated to %v", lb.Text, s.Width))
		case m.Width > s.Width+0.5 || m.Height > s.Height+0.5:
			out = append(out, fmt.Sprintf("%q needs %v, has %v", lb.Text, m, s))
		case x < bx-0.5 || x+s.Width > bx+v.body.Size().Width+0.5:
			out = append(out, fmt.Sprintf("%q at x %.0f-%.0f, the running view x %.0f-%.0f", lb.Text, x, x+s.Width, bx, bx+v.body.Size().Width))
		}
	}
	return out
}
