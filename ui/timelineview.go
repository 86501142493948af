package ui

import (
	"image/color"
	"math"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/timeline"
)

// timelineView is the Timeline tab of the results: the token timeline of the last login,
// drawn with Fyne canvas shapes from timeline.Layout's picture (it computes nothing itself),
// with the what-if toggles and "now" moving live while the tab is shown.
type timelineView struct {
	now   func() time.Time // the org's clock: Advance org clock moves it in the demo
	every time.Duration    // how often "now" moves; <= 0 never (tests)

	in    guidance.Input // the last run's, as explained
	rep   guidance.Report
	calls []time.Time // API calls made with this login's token, on the org's clock
	what  timeline.WhatIf

	every10, pause, rotate *widget.Check
	drawing                *timelineCanvas
	box                    fyne.CanvasObject

	shown    bool
	room     func(bool) // gives the tab more height while it is shown (nil: nothing)
	stopTick func()
	ticks    atomic.Int64 // how many times the ticker moved "now" (tests)
}

func newTimelineView(now func() time.Time, every time.Duration) *timelineView {
	v := &timelineView{now: now, every: every, stopTick: func() {}, drawing: newTimelineCanvas()}
	// Disabled until there is a token; struct literals, disabled before they are extended:
	// New measures no text (keyedOff says why).
	toggle := func(text string, set func(*timeline.WhatIf, bool)) *widget.Check {
		c := &widget.Check{Text: text, OnChanged: func(on bool) { set(&v.what, on); v.redraw() }}
		c.Disable()
		c.ExtendBaseWidget(c)
		return c
	}
	v.every10 = toggle("Call the API every 10 minutes", func(w *timeline.WhatIf, on bool) { w.Every10Minutes = on })
	v.pause = toggle("Stop using it for a day", func(w *timeline.WhatIf, on bool) { w.StopForADay = on })
	v.rotate = toggle("Refresh with rotation", func(w *timeline.WhatIf, on bool) { w.Rotation = on })
	whatIf := container.New(layout.NewRowWrapLayoutWithCustomPadding(theme.Padding(), 0),
		&widget.Label{Text: "What if:", TextStyle: fyne.TextStyle{Bold: true}}, v.every10, v.pause, v.rotate)
	// In a vertical scroll: the tab's minimum height is then not the what-if row's before its
	// first layout (every toggle on its own row), which held the results above the tabs to half
	// the column, so that at 1024x700 the answer's "Do this next" line scrolled out of sight.
	v.box = container.NewVScroll(container.NewBorder(whatIf, nil, nil, nil, container.NewScroll(v.drawing)))
	return v
}

// attach adds the Timeline tab to tabs; "now" moves only while it is the selected tab.
func (v *timelineView) attach(tabs *container.AppTabs) *container.TabItem {
	item := container.NewTabItem("Timeline", v.box)
	tabs.Items = append(tabs.Items, item) // not Append: it draws the tabs, measuring their texts, before the window shows

	sel, unsel := tabs.OnSelected, tabs.OnUnselected
	tabs.OnSelected = func(it *container.TabItem) {
		if sel != nil {
			sel(it)
		}
		v.setShown(it == item)
	}
	tabs.OnUnselected = func(it *container.TabItem) {
		if unsel != nil {
			unsel(it)
		}
		if it == item {
			v.setShown(false)
		}
	}
	return item
}

// show draws the timeline of a run as guidance explained it. A new login (another token)
// forgets the calls made with the previous one's token.
func (v *timelineView) show(in guidance.Input, rep guidance.Report) {
	if tokenOf(in) != tokenOf(v.in) {
		v.calls = nil
	}
	v.in, v.rep = in, rep
	v.redraw()
}

func tokenOf(in guidance.Input) *flows.TokenResponse {
	if in.Result == nil {
		return nil
	}
	return in.Result.Token
}

// splitRoom is a timelineView.room for the tabs below split: while the timeline is shown the
// divider moves up to offset at most, so that the whole picture fits; it goes back when the
// timeline is hidden, unless the person moved it meanwhile.
func splitRoom(split *container.Split, offset float64) func(bool) {
	var before, set float64
	moved := false
	return func(on bool) {
		switch {
		case on && split.Offset > offset:
			before, set, moved = split.Offset, offset, true
			split.SetOffset(offset)
		case !on && moved:
			if split.Offset == set {
				split.SetOffset(before)
			}
			moved = false
		}
	}
}

// called records an API call made with the login's token at at (the org's clock).
func (v *timelineView) called(at time.Time) { v.calls = append(v.calls, at) }

// setShown starts "now" moving when the tab is shown and stops it when it is hidden.
func (v *timelineView) setShown(on bool) {
	if on == v.shown {
		return
	}
	v.shown = on
	v.stopTick()
	v.stopTick = func() {}
	if v.room != nil {
		v.room(on)
	}
	if on {
		v.redraw()
		v.stopTick = ticker(v.every, func() {
			doneMu.Lock() // uncontended on the UI goroutine; orders the ticks with tests (bridge.go)
			defer doneMu.Unlock()
			v.ticks.Add(1)
			v.redraw()
		})
	}
}

// stop stops the ticker (the window closes).
func (v *timelineView) stop() { v.setShown(false) }

// model is what the drawing shows: the lifetime model of the last login at the org's now,
// with the client's calls and the what-if options; the zero Timeline when there is no token.
func (v *timelineView) model() guidance.Timeline {
	res := v.in.Result
	if res == nil || res.Token == nil || res.Token.AccessToken == "" {
		return guidance.Timeline{}
	}
	in := v.in
	in.Now = v.now()
	return timeline.Model(in, v.rep, guidance.Activity{Requests: v.calls}, v.what)
}

func (v *timelineView) redraw() {
	hasToken := v.in.Result != nil && v.in.Result.Token != nil && v.in.Result.Token.AccessToken != ""
	for _, c := range []*widget.Check{v.every10, v.pause, v.rotate} {
		if hasToken {
			c.Enable()
		} else {
			c.Disable()
		}
	}
	v.drawing.set(v.model())
}

// timelineCanvas draws a timeline.Picture as canvas objects: one per shape, in order, at the
// picture's own coordinates. The picture is laid out again at the widget's width; nothing is
// laid out or measured before the widget is first drawn.
type timelineCanvas struct {
	widget.BaseWidget
	model  guidance.Timeline
	width  float32
	dirty  bool
	pic    timeline.Picture
	shapes []timeline.Shape // the shape each object of objs draws (a dashed line is several)
	objs   []fyne.CanvasObject
}

func newTimelineCanvas() *timelineCanvas {
	c := &timelineCanvas{width: timeline.MinWidth, dirty: true}
	c.ExtendBaseWidget(c)
	return c
}

func (c *timelineCanvas) set(m guidance.Timeline) {
	c.model, c.dirty = m, true
	c.Refresh()
}

// layout lays the model out at the current width and makes its objects, when the model or
// the width changed.
func (c *timelineCanvas) layout() {
	if !c.dirty {
		return
	}
	c.dirty = false
	c.pic = timeline.Layout(c.model, float64(c.width))
	c.objs, c.shapes = nil, nil
	for _, s := range c.pic.Shapes {
		for _, o := range shapeObjects(s) {
			c.objs = append(c.objs, o)
			c.shapes = append(c.shapes, s)
		}
	}
}

func (c *timelineCanvas) MinSize() fyne.Size {
	c.layout()
	return fyne.NewSize(timeline.MinWidth, float32(c.pic.Height))
}

func (c *timelineCanvas) CreateRenderer() fyne.WidgetRenderer { return &timelineRenderer{c} }

type timelineRenderer struct{ c *timelineCanvas }

func (r *timelineRenderer) Layout(size fyne.Size) {
	w := float32(math.Max(timeline.MinWidth, math.Floor(float64(size.Width))))
	if w != r.c.width {
		r.c.width, r.c.dirty = w, true
	}
	r.c.layout()
}
func (r *timelineRenderer) MinSize() fyne.Size { return r.c.MinSize() }
func (r *timelineRenderer) Refresh() {
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}
func (r *timelineRenderer) Objects() []fyne.CanvasObject { r.c.layout(); return r.c.objs }
func (r *timelineRenderer) Destroy()                     {}

// shapeObjects is the canvas objects of one shape: a rectangle, a line (a dashed one as
// 3-pixel dashes 6 pixels apart, as the PNG draws it), or a text whose baseline and anchor
// are the shape's.
func shapeObjects(s timeline.Shape) []fyne.CanvasObject {
	col := roleColor(s.Role)
	switch s.Kind {
	case timeline.Rect:
		r := canvas.NewRectangle(col)
		r.Move(fyne.NewPos(float32(s.X), float32(s.Y)))
		r.Resize(fyne.NewSize(float32(s.X2-s.X), float32(s.Y2-s.Y)))
		return []fyne.CanvasObject{r}
	case timeline.Line:
		if !s.Dashed {
			return []fyne.CanvasObject{line(s.X, s.Y, s.X2, s.Y2, s.Width, col)}
		}
		var out []fyne.CanvasObject
		if s.X == s.X2 {
			for y := s.Y; y < s.Y2; y += 6 {
				out = append(out, line(s.X, y, s.X, math.Min(y+3, s.Y2), s.Width, col))
			}
		} else {
			for x := s.X; x < s.X2; x += 6 {
				out = append(out, line(x, s.Y, math.Min(x+3, s.X2), s.Y, s.Width, col))
			}
		}
		return out
	case timeline.Text:
		t := canvas.NewText(s.Text, col)
		t.TextSize = float32(s.Size)
		t.TextStyle = fyne.TextStyle{Bold: s.Bold}
		size, baseline := fyne.CurrentApp().Driver().RenderedTextSize(s.Text, t.TextSize, t.TextStyle, nil)
		x := float32(s.X)
		switch s.Anchor {
		case timeline.Middle:
			x -= size.Width / 2
		case timeline.End:
			x -= size.Width
		}
		t.Move(fyne.NewPos(x, float32(s.Y)-baseline))
		t.Resize(size)
		return []fyne.CanvasObject{t}
	}
	return nil
}

func line(x1, y1, x2, y2, w float64, col color.Color) *canvas.Line {
	l := canvas.NewLine(col)
	l.StrokeWidth = float32(w)
	l.Position1 = fyne.NewPos(float32(x1), float32(y1))
	l.Position2 = fyne.NewPos(float32(x2), float32(y2))
	return l
}

// roleColor is a role's colour in the window: the theme's for the background, texts and
// lines, timeline.Colors for the bars (they read on light and dark backgrounds alike).
func roleColor(r timeline.Role) color.Color {
	switch r {
	case timeline.RoleBackground, timeline.RoleHalo:
		return theme.Color(theme.ColorNameBackground)
	case timeline.RoleTitle, timeline.RoleText:
		return theme.Color(theme.ColorNameForeground)
	case timeline.RoleMuted, timeline.RoleAxis, timeline.RoleHalf:
		return theme.Color(theme.ColorNamePlaceHolder)
	case timeline.RoleGrid:
		return theme.Color(theme.ColorNameSeparator)
	case timeline.RoleEnd:
		return theme.Color(theme.ColorNameWarning)
	case timeline.RoleFailed:
		return theme.Color(theme.ColorNameError)
	case timeline.RoleRequestExtends:
		return theme.Color(theme.ColorNamePrimary)
	case timeline.RoleRefreshUse:
		return theme.Color(theme.ColorNameSuccess)
	}
	if c, ok := timeline.Colors[r]; ok {
		return c
	}
	return theme.Color(theme.ColorNameForeground)
}
