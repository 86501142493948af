package timeline

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/guidance"
)

// Sizes of the layout, in pixels.
const (
	MinWidth   = 480.0
	pad        = 12.0
	labelCol   = 150.0 // the lane titles' column
	rightPad   = 20.0
	titleSize  = 13.0
	laneSize   = 12.0
	textSize   = 11.0
	rowHeight  = 14.0
	barHeight  = 12.0
	labelRows  = 3
	minTickGap = 70.0
)

// Layout turns a timeline into a picture width pixels wide (at least MinWidth); the height
// follows from the content. The same model and width always give the same picture.
func Layout(tl guidance.Timeline, width float64) Picture {
	if width < MinWidth || math.IsNaN(width) {
		width = MinWidth
	}
	l := &layout{tl: tl, loc: location(tl)}
	l.p.Width = width
	if len(tl.Sessions) == 0 { // the zero Timeline: nothing was modelled
		l.shape(Shape{Kind: Rect, Role: RoleBackground, X2: width, Y2: 40})
		l.text(pad, 24, "No token yet: run a flow to see its timeline.", textSize, false, RoleMuted, Start)
		l.p.Height = 40
		return l.p
	}
	l.axis(width)
	l.shape(Shape{Kind: Rect, Role: RoleBackground, X2: width, Y2: 0}) // height set at the end
	l.text(pad, 20, "Token timeline: login at "+l.when(tl.Issued, true)+l.zone(), titleSize, true, RoleTitle, Start)

	top := 48.0
	y := top
	y = l.accessLane(y)
	y = l.idTokenLane(y)
	y = l.refreshLane(y)
	y = l.axisLine(top, y)
	y = l.notes(y)
	l.p.Height = math.Ceil(y + pad)
	l.p.Shapes[0].Y2 = l.p.Height
	// Draw order: the grid behind the bars, "now" above them, every text on top.
	sort.SliceStable(l.p.Shapes, func(i, j int) bool { return layer(l.p.Shapes[i]) < layer(l.p.Shapes[j]) })
	return l.p
}

func layer(s Shape) int {
	switch {
	case s.Role == RoleBackground && s.Kind == Rect:
		return 0
	case s.Role == RoleGrid:
		return 1
	case s.Kind == Text:
		return 5
	case s.Role == RoleHalo:
		return 4
	case s.Role == RoleNow:
		return 3
	}
	return 2
}

type layout struct {
	tl       guidance.Timeline
	loc      *time.Location
	p        Picture
	x0, x1   float64 // the axis' pixel range
	t0, t1   time.Time
	rows     [][]span // the current lane's label rows
	rowsBase float64  // baseline of the first label row
	used     int      // label rows used in the current lane
}

type span struct{ a, b float64 }

func location(tl guidance.Timeline) *time.Location {
	if !tl.Now.IsZero() && tl.Now.Location() != nil {
		return tl.Now.Location()
	}
	return time.UTC
}

func (l *layout) shape(s Shape) { l.p.Shapes = append(l.p.Shapes, s) }

func (l *layout) text(x, y float64, s string, size float64, bold bool, role Role, a Anchor) {
	// A halo keeps the text readable where "now" or a grid line crosses it.
	w := textWidth(s, size, bold)
	left := x
	switch a {
	case Middle:
		left -= w / 2
	case End:
		left -= w
	}
	l.shape(Shape{Kind: Rect, Role: RoleHalo, X: round(math.Max(0, left-1)), Y: round(y - size*0.8), X2: round(math.Min(l.p.Width, left+w+1)), Y2: round(y + size*0.25)})
	l.shape(Shape{Kind: Text, Role: role, X: round(x), Y: round(y), Text: s, Size: size, Bold: bold, Anchor: a})
}

func (l *layout) rect(xa, ya, xb, yb float64, role Role) {
	l.shape(Shape{Kind: Rect, Role: role, X: round(xa), Y: round(ya), X2: round(xb), Y2: round(yb)})
}

func (l *layout) line(xa, ya, xb, yb, w float64, dashed bool, role Role) {
	l.shape(Shape{Kind: Line, Role: role, X: round(xa), Y: round(ya), X2: round(xb), Y2: round(yb), Width: w, Dashed: dashed})
}

func round(v float64) float64 { return math.Round(v*100) / 100 }

// axis picks the time range: every instant of the model, and the refresh token's end when it
// is near enough to show (else it is drawn off the scale, at the right edge).
func (l *layout) axis(width float64) {
	tl := l.tl
	t0, t1 := tl.Issued, tl.Issued
	see := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if t.Before(t0) {
			t0 = t
		}
		if t.After(t1) {
			t1 = t
		}
	}
	see(tl.Now)
	for _, s := range tl.Sessions {
		see(s.Start)
		see(s.End)
		for _, r := range s.Requests {
			see(r.At)
		}
	}
	if tl.IDTokenExpires != nil {
		see(*tl.IDTokenExpires)
	}
	if r := tl.Refresh; r != nil {
		for _, u := range r.Uses {
			see(u.At)
		}
		if r.Ends != nil && r.Ends.Sub(t0) <= 2*t1.Sub(t0) {
			see(*r.Ends)
		}
	}
	span := t1.Sub(t0)
	if span <= 0 {
		span = time.Minute
	}
	margin := span * 4 / 100
	l.t0, l.t1 = t0.Add(-margin), t1.Add(margin)
	l.x0, l.x1 = labelCol, width-rightPad
	l.p.Start, l.p.End = l.t0, l.t1
}

// x is where t lies; off is true when it lies beyond the axis (x is then clamped).
func (l *layout) x(t time.Time) (x float64, off bool) {
	f := float64(t.Sub(l.t0)) / float64(l.t1.Sub(l.t0))
	switch {
	case f < 0:
		return l.x0, true
	case f > 1:
		return l.x1, true
	}
	return round(l.x0 + f*(l.x1-l.x0)), false
}

func (l *layout) mark(id string, t time.Time) float64 {
	x, off := l.x(t)
	l.p.Marks = append(l.p.Marks, Mark{ID: id, At: t, X: x, Off: off})
	return x
}

// lane starts a lane at y: its title and subtitle in the left column, and empty label rows.
func (l *layout) lane(y float64, title, sub string) (barY float64) {
	barY = y + 6
	l.text(pad, barY+10, title, laneSize, true, RoleText, Start)
	if sub != "" {
		l.text(pad, barY+10+rowHeight, sub, textSize, false, RoleMuted, Start)
	}
	l.rows = make([][]span, labelRows)
	l.rowsBase = barY + barHeight + rowHeight
	l.used = 0
	return barY
}

// laneEnd is the y below the lane's labels (at least two rows for the titles).
func (l *layout) laneEnd(barY float64) float64 {
	n := l.used
	if n < 1 {
		n = 1
	}
	return barY + barHeight + float64(n)*rowHeight + 10
}

// label places s at x below the bar, in the first row where it overlaps nothing; a label
// that would leave the axis turns to the other side of x; one that fits nowhere is left out.
func (l *layout) label(x float64, s string, role Role) bool {
	w := textWidth(s, textSize, false)
	a, b, anchor := x+3, x+3+w, Start
	if b > l.x1+rightPad-4 {
		a, b, anchor = x-3-w, x-3, End
	}
	if a < l.x0-6 {
		a, b, anchor = l.x0-6, l.x0-6+w, Start
		x = a - 3
	}
	for i := range l.rows {
		free := true
		for _, o := range l.rows[i] {
			if a < o.b+8 && o.a < b+8 {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		l.rows[i] = append(l.rows[i], span{a, b})
		tx := x + 3
		if anchor == End {
			tx = x - 3
		}
		l.text(tx, l.rowsBase+float64(i)*rowHeight, s, textSize, false, role, anchor)
		if i+1 > l.used {
			l.used = i + 1
		}
		return true
	}
	return false
}

func (l *layout) accessLane(y float64) float64 {
	tl := l.tl
	sub := "idle " + shortDuration(tl.Timeout)
	if tl.TimeoutSource != "" {
		sub += ", " + string(tl.TimeoutSource)
	}
	last := tl.Sessions[len(tl.Sessions)-1]
	if last.Fixed {
		sub = "fixed " + shortDuration(last.Timeout) + " (JWT)"
	}
	barY := l.lane(y, "Access token", sub)
	l.mark("issued", tl.Issued)
	req, failedSaid, moved := 0, false, 0
	var firstReq *time.Time
	for i, s := range tl.Sessions {
		xs := l.mark("session-"+strconv.Itoa(i)+"-start", s.Start)
		xe := l.mark("session-"+strconv.Itoa(i)+"-end", s.End)
		xu := xe
		if s.Replaced != nil && s.Replaced.Before(s.End) {
			xu, _ = l.x(*s.Replaced)
			l.rect(xu, barY+3, xe, barY+barHeight-3, RoleAccessUnused)
		}
		l.rect(xs, barY, math.Max(xu, xs+1), barY+barHeight, RoleAccess)
		if i > 0 { // a refresh started a new access token here
			l.line(xs, barY, xs, barY+barHeight, 2, false, RoleBackground)
		}
		if !s.Fixed {
			l.mark("session-"+strconv.Itoa(i)+"-half", s.Half())
		}
		for _, r := range s.Requests {
			x := l.mark("request-"+strconv.Itoa(req), r.At)
			req++
			if firstReq == nil {
				t := r.At
				firstReq = &t
			}
			switch {
			case r.Failed:
				l.line(x, barY-6, x, barY+barHeight+4, 2, false, RoleFailed)
				if !failedSaid {
					failedSaid = l.label(x, "call at "+l.when(r.At, false)+" fails: session ended", RoleFailed)
				}
			case r.Extended:
				moved++
				l.line(x, barY-7, x, barY+barHeight+5, 3, false, RoleRequestExtends)
			default:
				l.line(x, barY-4, x, barY+barHeight+2, 2, false, RoleRequest)
			}
		}
	}
	if firstReq != nil && !last.Fixed {
		x, _ := l.x(*firstReq)
		l.label(x, plural(req, "call", "calls")+", "+strconv.Itoa(moved)+" moved the end", RoleMuted)
	}
	if !last.Fixed && last.Half().Before(last.End) {
		xh, _ := l.x(last.Half())
		l.line(xh, barY-8, xh, barY+barHeight+6, 1, true, RoleHalf)
		l.label(xh, "half "+l.when(last.Half(), false), RoleMuted)
	}
	xe, _ := l.x(last.End)
	l.line(xe, barY-8, xe, barY+barHeight+6, 2, false, RoleEnd)
	switch {
	case last.Fixed:
		l.label(xe, "expires "+l.when(last.End, false)+" (fixed)", RoleEnd)
	case !tl.Now.IsZero() && !tl.Now.Before(last.End):
		l.label(xe, "ended "+l.when(last.End, false)+" (idle)", RoleEnd)
	default:
		l.label(xe, "expires if idle until "+l.when(last.End, false), RoleEnd)
	}
	return l.laneEnd(barY)
}

func (l *layout) idTokenLane(y float64) float64 {
	tl := l.tl
	barY := l.lane(y, "ID token", "checks only")
	if tl.IDTokenExpires == nil {
		l.text(l.x0, barY+10, "none: request openid to get one", textSize, false, RoleMuted, Start)
		return l.laneEnd(barY)
	}
	xs, _ := l.x(tl.Issued)
	xe := l.mark("id-token-expires", *tl.IDTokenExpires)
	l.rect(xs, barY, math.Max(xe, xs+1), barY+barHeight, RoleIDToken)
	l.label(xe, "expires "+l.when(*tl.IDTokenExpires, false), RoleText)
	return l.laneEnd(barY)
}

func (l *layout) refreshLane(y float64) float64 {
	r := l.tl.Refresh
	if r == nil {
		barY := l.lane(y, "Refresh token", "")
		l.text(l.x0, barY+10, "none came back with this token", textSize, false, RoleMuted, Start)
		return l.laneEnd(barY)
	}
	sub := "no rotation"
	if r.Rotation {
		sub = "rotation on"
	}
	barY := l.lane(y, "Refresh token", sub)
	xs, _ := l.x(r.Issued)
	var xe float64
	var off bool
	if r.Ends != nil {
		xe, off = l.x(*r.Ends)
		l.p.Marks = append(l.p.Marks, Mark{ID: "refresh-ends", At: *r.Ends, X: xe, Off: off})
	} else {
		xe, off = l.x1, true
	}
	l.rect(xs, barY, math.Max(xe, xs+1), barY+barHeight, RoleRefresh)
	if off {
		// The bar runs off the scale: an arrow head at the edge.
		for i := 0.0; i < 5; i++ {
			l.line(xe+i, barY-4+i, xe+i, barY+barHeight+4-i, 1, false, RoleRefresh)
		}
	} else {
		l.line(xe, barY-8, xe, barY+barHeight+6, 2, false, RoleEnd)
	}
	n, rotated, failSaid := 0, 0, false
	for i, u := range r.Uses {
		x := l.mark("refresh-use-"+strconv.Itoa(i), u.At)
		if !u.OK {
			l.line(x, barY-6, x, barY+barHeight+4, 2, false, RoleFailed)
			if !failSaid {
				failSaid = l.label(x, "refresh at "+l.when(u.At, false)+" fails: expired", RoleFailed)
			}
			continue
		}
		n++
		if u.Rotated {
			rotated++
		}
		l.line(x, barY-6, x, barY+barHeight+4, 2, false, RoleRefreshUse)
	}
	l.label(xe, l.refreshEnd(r, off), RoleText)
	if n > 0 {
		s := plural(n, "refresh", "refreshes")
		if rotated > 0 {
			s += ", each returns a new token"
		}
		x, _ := l.x(r.Uses[0].At)
		l.label(x, s, RoleMuted)
	}
	return l.laneEnd(barY)
}

func (l *layout) refreshEnd(r *guidance.RefreshLine, off bool) string {
	var s string
	switch {
	case r.Ends == nil:
		s = "valid until revoked"
	case r.EndsBy == guidance.CausePolicyImmediate:
		s = "expires immediately: no new sessions"
	case r.EndsBy == guidance.CausePolicyLifetime:
		s = "ends " + l.when(*r.Ends, false) + " (" + r.Policy.Short() + ")"
	case r.EndsBy == guidance.CauseIdle30Days:
		s = "expires if unused until " + l.when(*r.Ends, true) + " (30-day idle limit)"
	default:
		s = "expires if unused until " + l.when(*r.Ends, false)
	}
	if off {
		s += " →"
	}
	return s
}

func (l *layout) axisLine(top, y float64) float64 {
	tl := l.tl
	axisY := y + 4
	// Now, across every lane, labelled above them.
	if !tl.Now.IsZero() {
		x := l.mark("now", tl.Now)
		l.line(x, top-4, x, axisY, 1.5, false, RoleNow)
		w := textWidth("now", textSize, true)
		anchor, tx := Middle, x
		if x+w/2 > l.p.Width-4 {
			anchor, tx = End, x
		}
		l.text(tx, top-8, "now "+l.when(tl.Now, false), textSize, true, RoleNow, anchor)
	}
	l.line(l.x0, axisY, l.x1, axisY, 1, false, RoleAxis)
	step := tickStep(l.t1.Sub(l.t0), l.x1-l.x0)
	_, off := l.t0.In(l.loc).Zone()
	o := time.Duration(off) * time.Second
	first := l.t0.Add(o).Truncate(step).Add(-o)
	if first.Before(l.t0) {
		first = first.Add(step)
	}
	lastEnd := math.Inf(-1)
	var prev time.Time
	for t := first; !t.After(l.t1); t = t.Add(step) {
		x, _ := l.x(t)
		l.line(x, top, x, axisY, 1, false, RoleGrid)
		l.line(x, axisY, x, axisY+4, 1, false, RoleAxis)
		s := t.In(l.loc).Format("15:04")
		if step >= 24*time.Hour {
			s = t.In(l.loc).Format("Jan 2")
		} else if prev.IsZero() || prev.In(l.loc).YearDay() != t.In(l.loc).YearDay() {
			s = t.In(l.loc).Format("Jan 2 15:04")
		}
		prev = t
		w := textWidth(s, textSize, false)
		if x-w/2 < lastEnd+10 || x+w/2 > l.p.Width-2 {
			continue
		}
		lastEnd = x + w/2
		l.text(x, axisY+16, s, textSize, false, RoleMuted, Middle)
	}
	return axisY + 24
}

var steps = []time.Duration{time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
	30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
	2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour}

// tickStep is the smallest step that leaves minTickGap pixels between ticks.
func tickStep(span time.Duration, px float64) time.Duration {
	for _, s := range steps {
		if float64(s)/float64(span)*px >= minTickGap {
			return s
		}
	}
	return steps[len(steps)-1]
}

// notes are the footnotes that say what the picture rests on.
func (l *layout) notes(y float64) float64 {
	tl := l.tl
	var ns []string
	last := tl.Sessions[len(tl.Sessions)-1]
	if last.Fixed {
		ns = append(ns, "Access token: a JWT-based token with a fixed lifetime; using it does not extend it.")
	} else {
		s := "Access token: idle timeout " + guidance.IdleTimeoutWords(tl.Timeout)
		if tl.TimeoutPhrase != "" {
			s += ", " + tl.TimeoutPhrase
		}
		ns = append(ns, s+".")
		ns = append(ns, "Only a call made more than half the timeout after the last push moves the end (tall ticks); earlier calls (short ticks) do not.")
	}
	if r := tl.Refresh; r != nil {
		s := "Refresh token: " + r.Policy.Short()
		if r.IdleLimit && r.Policy.Kind != guidance.PolicySpecificInactivity {
			s += "; since Spring '26 also ends after 30 days unused"
		}
		if r.Rotation {
			s += "; rotation: each refresh returns a new token and the old one stops working"
		}
		ns = append(ns, s+".")
	}
	if tl.IssuedEstimated {
		ns = append(ns, "The issue time is unknown: the picture counts from now.")
	}
	for _, s := range ns {
		for _, line := range wrap(s, l.p.Width-2*pad) {
			y += rowHeight
			l.text(pad, y, line, textSize, false, RoleMuted, Start)
		}
	}
	return y
}

// wrap breaks s into lines at most w pixels wide (a single word wider than w keeps its line).
func wrap(s string, w float64) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if cur != "" && textWidth(next, textSize, false) > w {
			lines = append(lines, cur)
			next = "  " + word
		}
		cur = next
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// when formats an instant for a label: the clock time, with the date when it is not the
// login's day or long says so.
func (l *layout) when(t time.Time, long bool) string {
	t = t.In(l.loc)
	i := l.tl.Issued.In(l.loc)
	if long || t.YearDay() != i.YearDay() || t.Year() != i.Year() {
		return t.Format("Jan 2 15:04")
	}
	return t.Format("15:04")
}

func (l *layout) zone() string {
	name, _ := l.tl.Issued.In(l.loc).Zone()
	return " " + name
}

func shortDuration(d time.Duration) string {
	switch {
	case d >= 24*time.Hour && d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day", "days")
	case d >= time.Hour && d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " h"
	}
	return strconv.Itoa(int(math.Round(d.Minutes()))) + " min"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
