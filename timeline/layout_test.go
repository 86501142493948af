package timeline

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/guidance"
)

const testWidth = 720.0

// xAt is where an instant m minutes after the login must land on an axis running from
// start to end minutes after the login, between x 150 (the lane titles' column) and 700.
func xAt(m, start, end float64) float64 {
	return math.Round((150+(m-start)/(end-start)*550)*100) / 100
}

type wantMark struct {
	id  string
	min float64 // minutes after the login; ignored when off
	off bool
}

func TestGeometryPerPolicy(t *testing.T) {
	day := 24 * 60.0
	cases := []struct {
		name       string
		s          guidance.Settings
		act        guidance.Activity
		w          WhatIf
		start, end float64 // the axis, in minutes after the login
		marks      []wantMark
		absent     []string
	}{
		{name: "app timeout 15 min: a call at 5 leaves the end, a call at 10 moves it to 25",
			s:   guidance.Settings{AppSessionTimeoutMinutes: 15, ProfileSessionTimeoutMinutes: 30, OrgSessionTimeoutMinutes: 120, RefreshTokenPolicy: policy(t, "infinite")},
			act: guidance.Activity{Requests: at(5, 10)}, start: -1, end: 26, // 25 minutes, 4% margin
			marks: []wantMark{{id: "issued", min: 0}, {id: "request-0", min: 5}, {id: "request-1", min: 10}, {id: "now", min: 12},
				{id: "session-0-half", min: 17.5}, {id: "session-0-end", min: 25}, {id: "id-token-expires", min: 2},
				{id: "refresh-ends", off: true}}}, // valid until revoked: the 30-day idle limit, far off the scale
		{name: "profile timeout 30 min: a call before half (10) does nothing, one after (20) moves the end to 50",
			s:   guidance.Settings{ProfileSessionTimeoutMinutes: 30, OrgSessionTimeoutMinutes: 120},
			act: guidance.Activity{Requests: at(10, 20)}, start: -2, end: 52,
			marks: []wantMark{{id: "request-0", min: 10}, {id: "request-1", min: 20}, {id: "session-0-half", min: 35}, {id: "session-0-end", min: 50}}},
		{name: "org timeout 2 h, expire after 1 day: the refresh token's end is off the scale",
			s:     guidance.Settings{OrgSessionTimeoutMinutes: 120, RefreshTokenPolicy: policy(t, "specific_lifetime:1:DAYS")},
			start: -4.8, end: 124.8,
			marks: []wantMark{{id: "now", min: 12}, {id: "session-0-half", min: 60}, {id: "session-0-end", min: 120}, {id: "refresh-ends", off: true}}},
		{name: "expire if unused for 1 hour, refresh with rotation: each refresh moves the end",
			s:     guidance.Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policy(t, "specific_inactivity:1:HOURS")},
			w:     WhatIf{Rotation: true},
			start: -3.6, end: 93.6, // refreshes at 15 and 30 (until now + 2 timeouts = 42); the last at 30 + 60
			marks: []wantMark{{id: "session-0-end", min: 15}, {id: "refresh-use-0", min: 15}, {id: "session-1-start", min: 15},
				{id: "refresh-use-1", min: 30}, {id: "session-2-end", min: 45}, {id: "refresh-ends", min: 90}}},
		{name: "expire after 1 day, stop for a day: the refresh after the day fails",
			s:     guidance.Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policy(t, "specific_lifetime:1:DAYS")},
			act:   guidance.Activity{Requests: at(5, 10)},
			w:     WhatIf{StopForADay: true},
			start: -0.04 * (day + 12), end: 1.04 * (day + 12),
			marks: []wantMark{{id: "session-0-end", min: 25}, {id: "request-2", min: day + 12}, {id: "refresh-use-0", min: day + 12},
				{id: "refresh-ends", min: day}},
			absent: []string{"session-1-start"}},
		{name: "valid until revoked with the idle limit off: no end at all",
			s:     guidance.Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policy(t, "infinite")},
			act:   guidance.Activity{IdleLimitOff: true},
			start: -0.6, end: 15.6,
			marks:  []wantMark{{id: "session-0-end", min: 15}, {id: "now", min: 12}},
			absent: []string{"refresh-ends"}},
		{name: "call every 10 minutes keeps a 15-minute session alive",
			s: guidance.Settings{AppSessionTimeoutMinutes: 15}, w: WhatIf{Every10Minutes: true},
			// Calls at 10, 20, 30 and 40 (until now + 2 timeouts = 42) each move the end: 55.
			start: -2.2, end: 57.2,
			marks: []wantMark{{id: "request-0", min: 10}, {id: "request-3", min: 40}, {id: "session-0-end", min: 55}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := Layout(model(c.s, c.act, c.w), testWidth)
			if got := p.Start.Sub(issued).Minutes(); math.Abs(got-c.start) > 1e-6 {
				t.Errorf("axis starts %v minutes after the login, want %v", got, c.start)
			}
			if got := p.End.Sub(issued).Minutes(); math.Abs(got-c.end) > 1e-6 {
				t.Errorf("axis ends %v minutes after the login, want %v", got, c.end)
			}
			for _, w := range c.marks {
				m, ok := p.Mark(w.id)
				if !ok {
					t.Errorf("no mark %s", w.id)
					continue
				}
				if m.Off != w.off {
					t.Errorf("%s: off the scale %v, want %v", w.id, m.Off, w.off)
				}
				want := xAt(w.min, c.start, c.end)
				if w.off {
					want = 700
				} else if got := m.At.Sub(issued).Minutes(); math.Abs(got-w.min) > 1e-6 {
					t.Errorf("%s at %v minutes, want %v", w.id, got, w.min)
				}
				if math.Abs(m.X-want) > 0.011 {
					t.Errorf("%s at x %v, want %v", w.id, m.X, want)
				}
			}
			for _, id := range c.absent {
				if _, ok := p.Mark(id); ok {
					t.Errorf("mark %s should not be there", id)
				}
			}
			checkNoOverlap(t, p)
		})
	}
}

// checkNoOverlap fails when two texts overlap or a shape leaves the picture.
func checkNoOverlap(t *testing.T, p Picture) {
	t.Helper()
	type box struct {
		a, b, top, bottom float64
		s                 string
	}
	var boxes []box
	for _, s := range p.Shapes {
		if s.X < 0 || s.X2 > p.Width || s.Y < 0 || s.Y2 > p.Height {
			t.Errorf("%v %q leaves the %vx%v picture", s.Role, s.Text, p.Width, p.Height)
		}
		if s.Kind != Text {
			continue
		}
		w := textWidth(s.Text, s.Size, s.Bold)
		a := s.X
		switch s.Anchor {
		case Middle:
			a -= w / 2
		case End:
			a -= w
		}
		if a < 0 || a+w > p.Width {
			t.Errorf("%q (x %v to %v) leaves the picture", s.Text, a, a+w)
		}
		b := box{a, a + w, s.Y - s.Size*0.8, s.Y + s.Size*0.25, s.Text}
		for _, o := range boxes {
			if b.a < o.b && o.a < b.b && b.top < o.bottom && o.top < b.bottom {
				t.Errorf("%q overlaps %q", b.s, o.s)
			}
		}
		boxes = append(boxes, b)
	}
}

func TestWhatIfOptionsChangeOnlyTheInputs(t *testing.T) {
	s := guidance.Settings{AppSessionTimeoutMinutes: 15, RefreshTokenPolicy: policy(t, "specific_inactivity:1:HOURS")}
	in := guidance.Input{Settings: s, Result: login(true), Now: now}
	rep := guidance.Explain(in)
	act := guidance.Activity{Requests: at(5, 10)}
	// The same inputs given to guidance directly give the same model as the option.
	direct := guidance.BuildTimeline(in, rep, guidance.Activity{Requests: append(at(5, 10), issued.Add(12*time.Minute+Pause)),
		Mode: guidance.RefreshOnExpired, Until: issued.Add(12*time.Minute + Pause)})
	got := Model(in, rep, act, WhatIf{StopForADay: true})
	if len(got.Sessions) != len(direct.Sessions) || !got.End().Equal(direct.End()) || len(got.Refresh.Uses) != 1 || got.Refresh.Uses[0].OK {
		t.Errorf("stop for a day: %+v, want %+v", got, direct)
	}
	if len(act.Requests) != 2 {
		t.Errorf("the option changed the caller's activity: %v", act.Requests)
	}
}

func TestLayoutIsDeterministicAndClampsWidth(t *testing.T) {
	tl := model(guidance.Settings{AppSessionTimeoutMinutes: 15}, guidance.Activity{Requests: at(5, 10)}, WhatIf{})
	a, b := Layout(tl, 100), Layout(tl, MinWidth)
	if a.Width != MinWidth || len(a.Shapes) != len(b.Shapes) {
		t.Fatalf("width %v, %d vs %d shapes", a.Width, len(a.Shapes), len(b.Shapes))
	}
	for i := range a.Shapes {
		if a.Shapes[i] != b.Shapes[i] {
			t.Fatalf("shape %d differs: %+v vs %+v", i, a.Shapes[i], b.Shapes[i])
		}
	}
	checkNoOverlap(t, a)
}

func TestZeroTimelineSaysThereIsNothingYet(t *testing.T) {
	p := Layout(guidance.Timeline{}, 600)
	if len(p.Shapes) == 0 || p.Height <= 0 || p.Shapes[len(p.Shapes)-1].Text == "" {
		t.Errorf("picture %+v", p)
	}
	checkNoOverlap(t, p)
}

func TestLongNotesWrapInsteadOfLeavingThePicture(t *testing.T) {
	s := guidance.Settings{OrgSessionTimeoutMinutes: 120, RefreshTokenPolicy: policy(t, "specific_lifetime:1:DAYS")}
	p := Layout(model(s, guidance.Activity{Requests: at(5, 10)}, WhatIf{StopForADay: true, Rotation: true}), MinWidth)
	var rotation bool
	for _, sh := range p.Shapes {
		if sh.Kind == Text && strings.Contains(sh.Text, "stops working.") {
			rotation = true
		}
	}
	if !rotation {
		t.Error("the rotation note's end is missing")
	}
	checkNoOverlap(t, p)
}
