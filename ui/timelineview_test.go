package ui

import (
	"context"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"go.uber.org/goleak"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/timeline"
)

// loginAt is a guidance input for a username-password login at issued under settings s,
// explained by guidance as the window explains a run.
func loginAt(t *testing.T, issued time.Time, s guidance.Settings, refresh bool) (guidance.Input, guidance.Report) {
	t.Helper()
	raw := map[string]any{"access_token": "00D!timeline", "issued_at": strconv.FormatInt(issued.UnixMilli(), 10),
		"instance_url": "https://demo.my.salesforce.com"}
	fl := flows.UsernamePassword
	if refresh {
		raw["refresh_token"] = "5Aep861timeline"
		fl = flows.WebServerPKCE
	}
	tok := flows.NewTokenResponse(raw)
	in := guidance.Input{Flow: fl, Settings: s, Result: &flows.Result{Flow: fl, Token: tok}, Now: issued}
	return in, guidance.Explain(in)
}

func policyOf(t *testing.T, s string) guidance.RefreshPolicy {
	t.Helper()
	p, err := guidance.ParseRefreshPolicy(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// drawnView is a timeline view in a window, its drawing width wide.
func drawnView(t *testing.T, now func() time.Time, every time.Duration, width float32) *timelineView {
	t.Helper()
	test.NewTempApp(t)
	v := newTimelineView(now, every)
	w := test.NewTempWindow(t, v.box)
	w.Resize(fyne.NewSize(width+40, 600))
	t.Cleanup(v.stop)
	return v
}

// checkDrawing checks that every canvas object of the drawing sits where its shape of the
// layout says, in the layout's numbers: rectangles at (X, Y) sized to (X2, Y2), lines from
// (X, Y) to (X2, Y2) Width wide (dashes within them), texts with their baseline at Y and their
// anchor at X.
func checkDrawing(t *testing.T, c *timelineCanvas) {
	t.Helper()
	near := func(a float32, b float64) bool { return math.Abs(float64(a)-b) < 0.01 }
	if len(c.objs) == 0 || len(c.objs) != len(c.shapes) {
		t.Fatalf("%d objects for %d shapes", len(c.objs), len(c.shapes))
	}
	n := 0
	for i, o := range c.objs {
		s := c.shapes[i]
		if i == 0 || c.shapes[i-1] != s {
			n++
		}
		switch x := o.(type) {
		case *canvas.Rectangle:
			if s.Kind != timeline.Rect || !near(x.Position().X, s.X) || !near(x.Position().Y, s.Y) ||
				!near(x.Size().Width, s.X2-s.X) || !near(x.Size().Height, s.Y2-s.Y) {
				t.Errorf("object %d: rectangle at %v size %v, shape %+v", i, x.Position(), x.Size(), s)
			}
		case *canvas.Line:
			ok := s.Kind == timeline.Line && near(x.StrokeWidth, s.Width)
			if s.Dashed {
				ok = ok && x.Position1.X >= float32(s.X)-0.01 && x.Position2.X <= float32(s.X2)+0.01 &&
					x.Position1.Y >= float32(s.Y)-0.01 && x.Position2.Y <= float32(s.Y2)+0.01
			} else {
				ok = ok && near(x.Position1.X, s.X) && near(x.Position1.Y, s.Y) && near(x.Position2.X, s.X2) && near(x.Position2.Y, s.Y2)
			}
			if !ok {
				t.Errorf("object %d: line %v-%v width %v, shape %+v", i, x.Position1, x.Position2, x.StrokeWidth, s)
			}
		case *canvas.Text:
			size, baseline := fyne.CurrentApp().Driver().RenderedTextSize(x.Text, x.TextSize, x.TextStyle, nil)
			ax := float64(x.Position().X)
			switch s.Anchor {
			case timeline.Middle:
				ax += float64(size.Width) / 2
			case timeline.End:
				ax += float64(size.Width)
			}
			if s.Kind != timeline.Text || x.Text != s.Text || !near(x.TextSize, s.Size) || x.TextStyle.Bold != s.Bold ||
				math.Abs(ax-s.X) > 0.01 || !near(x.Position().Y+baseline, s.Y) {
				t.Errorf("object %d: text %q at %v (size %v), shape %+v", i, x.Text, x.Position(), x.TextSize, s)
			}
		default:
			t.Errorf("object %d is a %T", i, o)
		}
	}
	if n != len(c.pic.Shapes) {
		t.Errorf("the objects draw %d shapes, the layout has %d", n, len(c.pic.Shapes))
	}
}

func TestTimelineCanvasDrawsTheLayoutsNumbers(t *testing.T) {
	issued := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		s       guidance.Settings
		refresh bool
		now     time.Duration // after the login
		calls   []time.Duration
		marks   map[string]time.Duration // marks and their instants after the login
		off     []string                 // marks beyond the axis
	}{
		{name: "app timeout 15 min, calls at 5 and 10 (the second moves the end to 25)",
			s: guidance.Settings{AppSessionTimeoutMinutes: 15}, now: 12 * time.Minute, calls: []time.Duration{5 * time.Minute, 10 * time.Minute},
			marks: map[string]time.Duration{"issued": 0, "request-0": 5 * time.Minute, "request-1": 10 * time.Minute, "now": 12 * time.Minute,
				"session-0-half": 17*time.Minute + 30*time.Second, "session-0-end": 25 * time.Minute}},
		{name: "default 2 h, valid until revoked: the 30-day idle limit off the scale",
			s: guidance.Settings{RefreshTokenPolicy: policyOf(t, "infinite")}, refresh: true, now: 30 * time.Minute,
			marks: map[string]time.Duration{"now": 30 * time.Minute, "session-0-end": 2 * time.Hour}, off: []string{"refresh-ends"}},
		{name: "profile timeout 30 min, expire if unused for 1 hour",
			s: guidance.Settings{ProfileSessionTimeoutMinutes: 30, RefreshTokenPolicy: policyOf(t, "specific_inactivity:1:HOURS")}, refresh: true,
			calls: []time.Duration{20 * time.Minute},
			marks: map[string]time.Duration{"now": 0, "request-0": 20 * time.Minute, "session-0-end": 50 * time.Minute, "refresh-ends": time.Hour}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			now := issued.Add(c.now)
			v := drawnView(t, func() time.Time { return now }, -1, 720)
			in, rep := loginAt(t, issued, c.s, c.refresh)
			v.show(in, rep)
			for _, d := range c.calls {
				v.called(issued.Add(d))
			}
			v.redraw()
			v.drawing.Refresh()
			in.Now = now
			var calls []time.Time
			for _, d := range c.calls {
				calls = append(calls, issued.Add(d))
			}
			want := timeline.Layout(timeline.Model(in, rep, guidance.Activity{Requests: calls}, timeline.WhatIf{}), float64(v.drawing.width))
			got := v.drawing.pic
			if got.Width != want.Width || got.Height != want.Height || len(got.Marks) != len(want.Marks) || len(got.Shapes) != len(want.Shapes) {
				t.Fatalf("drawn picture %vx%v with %d marks, %d shapes; the layout of the model is %vx%v, %d marks, %d shapes",
					got.Width, got.Height, len(got.Marks), len(got.Shapes), want.Width, want.Height, len(want.Marks), len(want.Shapes))
			}
			for i := range want.Marks {
				if got.Marks[i] != want.Marks[i] {
					t.Errorf("mark %d = %+v, the layout's %+v", i, got.Marks[i], want.Marks[i])
				}
			}
			for id, d := range c.marks {
				m, ok := got.Mark(id)
				if !ok || !m.At.Equal(issued.Add(d)) || m.Off {
					t.Errorf("mark %s = %+v (found %v), want at +%s on the axis", id, m, ok, d)
					continue
				}
				// On the axis from Start to End between x 150 and width-20.
				f := float64(m.At.Sub(got.Start)) / float64(got.End.Sub(got.Start))
				if x := math.Round((150+f*(got.Width-170))*100) / 100; math.Abs(m.X-x) > 0.011 {
					t.Errorf("mark %s at x=%v, want %v", id, m.X, x)
				}
			}
			for _, id := range c.off {
				if m, ok := got.Mark(id); !ok || !m.Off || m.X != got.Width-20 {
					t.Errorf("mark %s = %+v, want off the scale at the right edge", id, m)
				}
			}
			checkDrawing(t, v.drawing)
		})
	}
}

func TestTimelineWhatIfTogglesRedraw(t *testing.T) {
	issued := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	now := issued.Add(12 * time.Minute)
	v := drawnView(t, func() time.Time { return now }, -1, 720)
	in, rep := loginAt(t, issued, guidance.Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policyOf(t, "specific_lifetime:1:DAYS")}, true)
	v.show(in, rep)
	v.drawing.Refresh()
	marks := func() string {
		var ids []string
		for _, m := range v.drawing.pic.Marks {
			ids = append(ids, m.ID)
		}
		return strings.Join(ids, " ")
	}
	if m := marks(); strings.Contains(m, "request-") || strings.Contains(m, "refresh-use-") {
		t.Fatalf("marks before any toggle: %s", m)
	}
	end0, _ := v.drawing.pic.Mark("session-0-end")

	test.Tap(v.every10)
	if _, ok := v.drawing.pic.Mark("request-3"); !ok {
		t.Errorf("every 10 minutes: marks %s, want calls at 10, 20, 30 and 40", marks())
	}
	if end, _ := v.drawing.pic.Mark("session-0-end"); !end.At.Equal(issued.Add(55 * time.Minute)) {
		t.Errorf("every 10 minutes: the session ends %s, want 10:55 (the call at 40 pushed it)", end.At.Format("15:04"))
	}
	checkDrawing(t, v.drawing)
	test.Tap(v.every10)
	if end, _ := v.drawing.pic.Mark("session-0-end"); end != end0 {
		t.Errorf("toggled off: session end %+v, want %+v again", end, end0)
	}

	test.Tap(v.pause)
	back, ok := v.drawing.pic.Mark("request-0")
	if !ok || !back.At.Equal(now.Add(24*time.Hour)) {
		t.Errorf("stop for a day: the call after the pause = %+v, want at now + 1 day", back)
	}
	if u, ok := v.drawing.pic.Mark("refresh-use-0"); !ok || !u.At.Equal(now.Add(24*time.Hour)) {
		t.Errorf("stop for a day: the refresh = %+v (%v), want it when the call finds the session ended", u, ok)
	}
	checkDrawing(t, v.drawing)
	test.Tap(v.pause)

	test.Tap(v.rotate)
	if !strings.Contains(marks(), "session-1-start") || !strings.Contains(marks(), "refresh-use-0") {
		t.Errorf("refresh with rotation: marks %s, want refreshes and new sessions", marks())
	}
	if !hasText(v.drawing, "rotation on") {
		t.Error("refresh with rotation: the refresh lane does not say rotation on")
	}
	checkDrawing(t, v.drawing)
}

func hasText(c *timelineCanvas, s string) bool {
	for _, o := range c.objs {
		if x, ok := o.(*canvas.Text); ok && strings.Contains(x.Text, s) {
			return true
		}
	}
	return false
}

func TestTimelineWithoutTokenSaysSoAndDisablesTheToggles(t *testing.T) {
	v := drawnView(t, time.Now, -1, 600)
	v.show(guidance.Input{Flow: flows.UsernamePassword, Result: &flows.Result{Flow: flows.UsernamePassword, Err: context.Canceled}}, guidance.Report{})
	v.drawing.Refresh()
	if !hasText(v.drawing, "No token yet") || !v.every10.Disabled() || !v.rotate.Disabled() {
		t.Errorf("without a token: texts %q, toggles disabled %v", texts(v.box), v.every10.Disabled())
	}
}

// "Now" moves while the tab is shown and stops when it is hidden or the window closes: the
// ticker's goroutine is gone.
func TestTimelineNowTickerStopsWhenHidden(t *testing.T) {
	test.NewTempApp(t)
	issued := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(int64(time.Minute))
	v := newTimelineView(func() time.Time { return issued.Add(time.Duration(clock.Load())) }, 5*time.Millisecond)
	w := test.NewWindow(v.box)
	w.Resize(fyne.NewSize(760, 500))
	in, rep := loginAt(t, issued, guidance.Settings{AppSessionTimeoutMinutes: 15}, false)
	v.show(in, rep)
	ignore := goleak.IgnoreCurrent()

	waitTicks := func(n int64) bool {
		deadline := time.Now().Add(5 * time.Second)
		for v.ticks.Load() < n && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		return v.ticks.Load() >= n
	}
	time.Sleep(30 * time.Millisecond)
	if n := v.ticks.Load(); n != 0 {
		t.Fatalf("%d ticks before the tab was shown", n)
	}
	v.setShown(true)
	clock.Store(int64(7 * time.Minute))
	if !waitTicks(3) {
		t.Fatalf("shown: %d ticks in 5 s", v.ticks.Load())
	}
	waitIdle()
	doneMu.Lock()
	m, _ := v.drawing.pic.Mark("now")
	doneMu.Unlock()
	if !m.At.Equal(issued.Add(7 * time.Minute)) {
		t.Errorf("now = %s after the clock moved, want 10:07", m.At.Format("15:04:05"))
	}
	v.setShown(false)
	time.Sleep(20 * time.Millisecond)
	n := v.ticks.Load()
	time.Sleep(50 * time.Millisecond)
	if got := v.ticks.Load(); got != n {
		t.Errorf("hidden: ticked %d more times", got-n)
	}
	v.setShown(true)
	if !waitTicks(n + 2) {
		t.Fatal("shown again: no ticks")
	}
	w.Close()
	v.stop() // the window closes: Lab.Close stops it
	goleak.VerifyNone(t, ignore)
	n = v.ticks.Load()
	time.Sleep(30 * time.Millisecond)
	if got := v.ticks.Load(); got != n {
		t.Errorf("stopped: ticked %d more times", got-n)
	}
}

// In the demo, Advance org clock moves "now" along the picture, and an API call lands on it.
func TestTimelineTabFollowsTheDemoOrgClock(t *testing.T) {
	fb := &fakeBackend{}
	be := fb.backend()
	advanced := false
	be.CallAPI = func(context.Context, flows.Request, *flows.TokenResponse) ([]flows.Exchange, error) {
		if advanced { // the session ended: the org answers as sfemu does
			return nil, &flows.OAuthError{Code: "INVALID_SESSION_ID", Description: "Session expired or invalid", Status: 401, Where: "rest"}
		}
		return nil, nil
	}
	be.Explain = guidance.Explain // Salesforce's default idle timeout: 2 hours
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	demo := &Demo{Store: demoStore(), AdvanceClock: func(context.Context, time.Duration) error { advanced = true; return nil }}
	l := New(w, be, Options{Demo: demo, TickEvery: -1})
	w.SetContent(l.Content())
	w.Resize(fyne.NewSize(1280, 800))
	l.Start()
	waitIdle()
	defer l.Close()

	test.Tap(l.runBtn)
	waitIdle()
	var tab *container.TabItem
	for _, it := range l.tabs.Items {
		if it.Text == "Timeline" {
			tab = it
		}
	}
	if tab == nil {
		t.Fatal("no Timeline tab in the results")
	}
	l.tabs.Select(tab)
	if !l.timelineTab.shown {
		t.Error("the Timeline tab is selected but its view is not shown")
	}
	now := func() time.Time { m, _ := l.timelineTab.drawing.pic.Mark("now"); return m.At }
	if !now().Equal(t0) {
		t.Errorf("now = %s, want the run's %s", now(), t0)
	}
	test.Tap(l.callBtn)
	waitIdle()
	if r, ok := l.timelineTab.drawing.pic.Mark("request-0"); !ok || !r.At.Equal(t0) {
		t.Errorf("the API call is not on the timeline: %+v", r)
	}
	test.Tap(l.advanceBtn) // 2h
	waitIdle()
	if !now().Equal(t0.Add(2 * time.Hour)) {
		t.Errorf("now = %s after Advance org clock 2h, want %s", now(), t0.Add(2*time.Hour))
	}
	if !hasText(l.timelineTab.drawing, "ended") {
		m, _ := l.timelineTab.drawing.pic.Mark("session-0-end")
		t.Errorf("after 2 hours idle the access lane does not say the session ended (end %s)", m.At)
	}
	test.Tap(l.callBtn) // fails: INVALID_SESSION_ID; both calls are on the timeline
	waitIdle()
	if _, ok := l.timelineTab.drawing.pic.Mark("request-1"); !ok || !hasText(l.timelineTab.drawing, "fails: session ended") {
		t.Errorf("the failed call is not on the timeline: %s", texts(l.timelineTab.box))
	}
	l.tabs.Select(l.tokensTab)
	if l.timelineTab.shown {
		t.Error("another tab is selected but the timeline still ticks")
	}
}

// Showing the timeline gives the tabs the room the picture needs; hiding it gives it back.
func TestTimelineTabMakesRoomAndGivesItBack(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	sp := l.resultsPane.box.(*container.Split)
	before := sp.Offset
	tab := l.tabs.Items[len(l.tabs.Items)-1]
	l.tabs.Select(tab)
	if sp.Offset != 0.3 {
		t.Errorf("timeline shown: the divider is at %v, want 0.3", sp.Offset)
	}
	l.tabs.Select(l.tokensTab)
	if sp.Offset != before {
		t.Errorf("timeline hidden: the divider is at %v, want %v back", sp.Offset, before)
	}
	l.tabs.Select(tab)
	sp.SetOffset(0.2) // the person drags it
	l.tabs.Select(l.tokensTab)
	if sp.Offset != 0.2 {
		t.Errorf("the divider the person moved went to %v", sp.Offset)
	}
}
