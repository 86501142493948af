package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/rotationbench"
)

// benchView is the rotation bench (rotationbench) for people who write clients: N refreshes
// at once with one refresh token on an emulated org, then a replay of the rotated-out token,
// drawn as a timeline of requests: which won, what the others got, whether the family was
// revoked, and what a client must store.
type benchView struct {
	run func(ctx context.Context, cfg BenchConfig) (*rotationbench.Report, error)
	ctx context.Context

	n        *widget.Select
	rotation *widget.Check
	grace    *widget.Select
	startB   *keyButton
	cancelB  *keyButton
	summary  *widget.Label
	chart    *benchChart
	details  *fyne.Container
	box      fyne.CanvasObject

	cancel  context.CancelFunc
	running bool
	seq     int
	report  *rotationbench.Report
}

// graceChoices are the emulated app's reuse grace periods: none, as Salesforce documents.
var graceChoices = []string{"none", "5 s", "30 s"}

func newBenchView(ctx context.Context, run func(context.Context, BenchConfig) (*rotationbench.Report, error), back func()) *benchView {
	v := &benchView{run: run, ctx: ctx, chart: newBenchChart()}
	// Struct literals with their state set: New measures no text (keyedOff says why).
	v.n = &widget.Select{Options: []string{"2", "3", "5", "10", "20"}, Selected: strconv.Itoa(rotationbench.DefaultN)}
	v.grace = &widget.Select{Options: graceChoices, Selected: graceChoices[0]}
	v.rotation = &widget.Check{Text: "Rotation on", Checked: true, OnChanged: func(on bool) {
		if on {
			v.grace.Enable()
		} else {
			v.grace.Disable()
		}
	}}
	v.startB = keyed(&keyButton{Button: widget.Button{Text: "Run bench", Icon: theme.MediaPlayIcon(), Importance: widget.HighImportance, OnTapped: v.start}})
	v.cancelB = keyedOff(&keyButton{Button: widget.Button{Text: "Cancel", Icon: theme.MediaStopIcon(), OnTapped: v.stop}})
	backB := keyed(&keyButton{Button: widget.Button{Text: "Back to results", Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: back}})
	v.summary = &widget.Label{Wrapping: fyne.TextWrapWord,
		Text: "Sends N refreshes at once with the same refresh token to an emulated org of its own (app ECA PKCE), then replays " +
			"the starting token: the \"intermittent invalid_grant\" of clients that refresh in parallel, reproduced offline."}
	v.details = container.NewVBox()
	title := &widget.Label{Text: "Rotation bench", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Truncation: fyne.TextTruncateEllipsis}
	controls := container.New(layout.NewRowWrapLayoutWithCustomPadding(theme.Padding(), 0),
		container.NewHBox(widget.NewLabel("Refreshes at once:"), v.n), v.rotation, container.NewHBox(widget.NewLabel("Reuse grace:"), v.grace))
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(v.startB, v.cancelB, backB), title),
		controls, v.summary, widget.NewSeparator())
	v.box = container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewPadded(container.NewVBox(v.chart, v.details))))
	return v
}

func (v *benchView) config() BenchConfig {
	n, _ := strconv.Atoi(v.n.Selected)
	cfg := BenchConfig{N: n, NoRotation: !v.rotation.Checked}
	if !cfg.NoRotation {
		switch v.grace.Selected {
		case "5 s":
			cfg.GraceSeconds = 5
		case "30 s":
			cfg.GraceSeconds = 30
		}
	}
	return cfg
}

// start runs the bench in the background.
func (v *benchView) start() {
	if v.running || v.run == nil {
		return
	}
	v.running = true
	v.seq++
	seq := v.seq
	ctx, cancel := context.WithCancel(v.ctx)
	v.cancel = cancel
	cfg := v.config()
	v.startB.Disable()
	v.cancelB.Enable()
	v.summary.Importance = widget.MediumImportance
	v.summary.SetText(fmt.Sprintf("Starting an emulated org, logging in for a refresh token, then %d refreshes at once…", cfg.N))
	run := v.run
	type out struct {
		r   *rotationbench.Report
		err error
	}
	background(func() out { r, err := run(ctx, cfg); return out{r, err} }, func(o out) {
		cancel()
		if seq != v.seq {
			return
		}
		v.running, v.cancel = false, nil
		v.startB.Enable()
		v.cancelB.Disable()
		if o.err != nil {
			v.summary.Importance = widget.DangerImportance
			msg := flows.RedactText(o.err.Error())
			if ctx.Err() != nil {
				msg = "Cancelled: " + msg
			}
			v.summary.SetText("The bench did not run: " + msg)
			return
		}
		v.show(o.r)
	})
}

func (v *benchView) stop() {
	if v.cancel != nil {
		v.cancel()
	}
}

// show draws a report: the requests on their time axis, what happened, what the errors
// mean, and what a client must store.
func (v *benchView) show(r *rotationbench.Report) {
	v.report = r
	verdict := "Family not revoked."
	switch {
	case r.FamilyRevoked == rotationbench.Yes:
		verdict = fmt.Sprintf("The token family was revoked (by the %s).", r.RevokedBy)
	case r.FamilyRevoked == rotationbench.Unknown:
		verdict = "Whether the family was revoked could not be told."
	}
	won := "no request got a new refresh token"
	if len(r.Winners) > 0 {
		won = "won: #" + joinInts(r.Winners, ", #")
	}
	v.summary.Importance = widget.MediumImportance
	if r.FamilyRevoked == rotationbench.Yes {
		v.summary.Importance = widget.WarningImportance
	}
	v.summary.SetText(fmt.Sprintf("%d refreshes at once, rotation %s: %s; %d refused. %s", r.N, onOff(r.Rotation), won, len(r.Refused), verdict))
	v.chart.set(r)
	v.details.RemoveAll()
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		v.details.Add(&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}})
		for _, l := range lines {
			v.details.Add(wrapped("• " + l))
		}
	}
	section("What happened", r.Findings)
	var meant []string
	for _, x := range r.Explanations {
		meant = append(meant, fmt.Sprintf("%s %q: %s", x.Code, x.Description, x.Meaning))
	}
	section("What the errors mean", meant)
	section("What a client must store and do", r.Store)
	v.details.Add(caption("Target: " + r.Target))
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func joinInts(xs []int, sep string) string {
	s := ""
	for i, x := range xs {
		if i > 0 {
			s += sep
		}
		s += strconv.Itoa(x)
	}
	return s
}

// Geometry of the bench chart, in pixels.
const (
	benchLabelCol = 150.0 // the requests' names
	benchRow      = 24.0
	benchBar      = 14.0
	benchTop      = 8.0
	benchRight    = 12.0
	benchMinWidth = 420.0
)

// benchChart draws the bench's requests on one time axis (milliseconds from the start): a
// row per request, its bar from Start to End coloured by its outcome, the winner marked.
type benchChart struct {
	widget.BaseWidget
	r     *rotationbench.Report
	steps []rotationbench.Step // the rows: the race by index, then the other phases
	width float32
	objs  []fyne.CanvasObject
	bars  []*canvas.Rectangle // one per step (tests read their geometry)
	dirty bool
}

func newBenchChart() *benchChart {
	c := &benchChart{width: benchMinWidth}
	c.ExtendBaseWidget(c)
	return c
}

func (c *benchChart) set(r *rotationbench.Report) {
	c.r, c.dirty = r, true
	c.steps = append(r.RaceSteps(), nonRaceSteps(r.Steps)...)
	c.Refresh()
}

func nonRaceSteps(steps []rotationbench.Step) []rotationbench.Step {
	var out []rotationbench.Step
	for _, s := range steps {
		if s.Phase != rotationbench.PhaseRace {
			out = append(out, s)
		}
	}
	return out
}

// total is the axis' end: the last step's end.
func (c *benchChart) total() time.Duration {
	var t time.Duration
	for _, s := range c.steps {
		t = max(t, s.End)
	}
	return max(t, time.Millisecond)
}

// x is where an offset from the bench's start lies.
func (c *benchChart) x(d time.Duration) float32 {
	w := float64(c.width) - benchLabelCol - benchRight
	return float32(benchLabelCol + float64(d)/float64(c.total())*w)
}

func (c *benchChart) height() float32 {
	if c.r == nil {
		return 0
	}
	return float32(benchTop + float64(len(c.steps))*benchRow + 30)
}

func (c *benchChart) MinSize() fyne.Size { return fyne.NewSize(benchMinWidth, c.height()) }

func (c *benchChart) build() {
	if !c.dirty {
		return
	}
	c.dirty = false
	c.objs, c.bars = nil, nil
	if c.r == nil {
		return
	}
	text := func(s string, x, y float32, col color.Color, bold bool) *canvas.Text {
		t := canvas.NewText(s, col)
		t.TextSize = theme.CaptionTextSize()
		t.TextStyle.Bold = bold
		t.Move(fyne.NewPos(x, y))
		c.objs = append(c.objs, t)
		return t
	}
	fg, muted := theme.Color(theme.ColorNameForeground), theme.Color(theme.ColorNamePlaceHolder)
	axisY := float32(benchTop + float64(len(c.steps))*benchRow + 4)
	// The grid: ticks at a round number of milliseconds.
	total := c.total()
	step := benchTick(total, float64(c.width)-benchLabelCol-benchRight)
	for t := time.Duration(0); t <= total; t += step {
		x := c.x(t)
		g := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
		g.Position1, g.Position2 = fyne.NewPos(x, benchTop), fyne.NewPos(x, axisY)
		c.objs = append(c.objs, g)
		l := text(fmt.Sprintf("%g ms", float64(t.Microseconds())/1000), x, axisY+2, muted, false)
		l.Move(fyne.NewPos(x-l.MinSize().Width/2, axisY+2))
	}
	prev := rotationbench.Phase("")
	for i, s := range c.steps {
		y := float32(benchTop + float64(i)*benchRow)
		name := string(s.Phase)
		if s.Phase == rotationbench.PhaseRace {
			name = fmt.Sprintf("race #%d", s.Index)
		}
		if s.Phase != prev && i > 0 {
			sep := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
			sep.Position1, sep.Position2 = fyne.NewPos(0, y-2), fyne.NewPos(c.width, y-2)
			c.objs = append(c.objs, sep)
		}
		prev = s.Phase
		won := s.Outcome == rotationbench.OutcomeRotated && s.Phase == rotationbench.PhaseRace
		text(name, 4, y+3, fg, won)
		xa, xb := c.x(s.Start), c.x(s.End)
		bar := canvas.NewRectangle(outcomeColor(s.Outcome))
		bar.Move(fyne.NewPos(xa, y+(benchRow-benchBar)/2))
		bar.Resize(fyne.NewSize(float32(math.Max(float64(xb-xa), 2)), benchBar))
		c.objs = append(c.objs, bar)
		c.bars = append(c.bars, bar)
		label := outcomeText(s)
		if won {
			label = "won: " + label
		}
		l := text(label, xb+4, y+3, fg, won)
		w := l.MinSize().Width
		switch {
		case xb+4+w <= c.width-2: // right of the bar
		case xb-xa >= w+8: // inside it, in the colour that reads on it
			l.Move(fyne.NewPos(xa+4, y+3))
			l.Color = onOutcomeColor(s.Outcome)
		default: // left of it, or as far left as the axis goes
			l.Move(fyne.NewPos(max(benchLabelCol-w-4, xa-4-w), y+3))
		}
	}
}

// benchTick is a round step that leaves at least 80 pixels between ticks.
func benchTick(total time.Duration, px float64) time.Duration {
	for _, ms := range []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000} {
		step := time.Duration(ms * float64(time.Millisecond))
		if float64(step)/float64(total)*px >= 80 {
			return step
		}
	}
	return 10 * time.Second
}

// outcomeColors names, per outcome, the bar's colour and the text colour that reads on it.
func outcomeColors(o rotationbench.Outcome) (bar, on fyne.ThemeColorName) {
	switch o {
	case rotationbench.OutcomeRotated, rotationbench.OutcomeLive:
		return theme.ColorNameSuccess, theme.ColorNameForegroundOnSuccess
	case rotationbench.OutcomeRefreshed:
		return theme.ColorNamePrimary, theme.ColorNameForegroundOnPrimary
	case rotationbench.OutcomeRefused, rotationbench.OutcomeRevoked:
		return theme.ColorNameError, theme.ColorNameForegroundOnError
	}
	return theme.ColorNameWarning, theme.ColorNameForegroundOnWarning
}

func outcomeColor(o rotationbench.Outcome) color.Color {
	bar, _ := outcomeColors(o)
	return theme.Color(bar)
}

// onOutcomeColor is the text colour that reads on outcomeColor(o).
func onOutcomeColor(o rotationbench.Outcome) color.Color {
	_, on := outcomeColors(o)
	return theme.Color(on)
}

// outcomeText is a step's outcome in a few words (tokens only redacted).
func outcomeText(s rotationbench.Step) string {
	switch {
	case s.NewRefreshToken != "":
		return "new refresh token " + s.NewRefreshToken
	case s.Error != nil:
		return string(s.Outcome) + ": " + s.Error.Code
	case s.Failure != "":
		return "failed: " + s.Failure
	case s.Outcome == rotationbench.OutcomeRefreshed:
		return "refreshed, no new refresh token"
	case s.Outcome == rotationbench.OutcomeLive:
		return "access token live"
	}
	return string(s.Outcome)
}

func (c *benchChart) CreateRenderer() fyne.WidgetRenderer { return &benchRenderer{c} }

type benchRenderer struct{ c *benchChart }

func (r *benchRenderer) Layout(size fyne.Size) {
	w := max(benchMinWidth, float32(math.Floor(float64(size.Width))))
	if w != r.c.width {
		r.c.width, r.c.dirty = w, true
	}
	r.c.build()
}
func (r *benchRenderer) MinSize() fyne.Size           { return r.c.MinSize() }
func (r *benchRenderer) Refresh()                     { r.Layout(r.c.Size()); canvas.Refresh(r.c) }
func (r *benchRenderer) Objects() []fyne.CanvasObject { r.c.build(); return r.c.objs }
func (r *benchRenderer) Destroy()                     {}

// benchButtons is the demo banner's Rotation bench button (none without a bench).
func (l *Lab) benchButtons() []fyne.CanvasObject {
	if l.be.RotationBench == nil {
		return nil
	}
	return []fyne.CanvasObject{keyed(&keyButton{Button: widget.Button{Text: "Rotation bench", Icon: theme.MediaFastForwardIcon(), OnTapped: l.Bench}})}
}

// Bench shows the rotation bench in place of the results.
func (l *Lab) Bench() {
	if l.be.RotationBench == nil {
		return
	}
	l.showCenter(l.benches.box)
}
