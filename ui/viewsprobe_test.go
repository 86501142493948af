package ui

import "strings"

// Hooks of the timeline, checkup and bench views for package ui_test (views_real_test.go).

// CheckApp presses Check app.
func (p Probe) CheckApp() { p.l.Check() }

// CheckMatrix is the checkup's rows as shown, "name=status" each, once it is done.
func (p Probe) CheckMatrix() []string { return shownRows(p.l.checks) }

// CheckSummary is the checkup's summary line.
func (p Probe) CheckSummary() string { return p.l.checks.summary.Text }

// RunBench opens the rotation bench and runs it with n refreshes at once.
func (p Probe) RunBench(n string) {
	p.l.Bench()
	p.l.benches.n.SetSelected(n)
	p.l.benches.start()
}

// BenchSummary is the bench's summary and its chart's texts, one per line.
func (p Probe) BenchSummary() string {
	return p.l.benches.summary.Text + "\n" + benchTexts(p.l.benches.chart) + texts(p.l.benches.details)
}

// TimelineTexts are the texts the Timeline tab draws.
func (p Probe) TimelineTexts() string {
	var b strings.Builder
	for _, s := range p.l.timelineTab.drawing.pic.Shapes {
		if s.Text != "" {
			b.WriteString(s.Text + "\n")
		}
	}
	return b.String()
}
