package ui

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/rotationbench"
)

// emulatedBench is what the window's backend runs (wire.RotationBench): an emulated org of its
// own, a login, then the bench.
func emulatedBench(ctx context.Context, cfg BenchConfig) (*rotationbench.Report, error) {
	t, stop, err := rotationbench.StartEmulated(ctx, rotationbench.Emulated{NoRotation: cfg.NoRotation, GraceSeconds: cfg.GraceSeconds})
	if err != nil {
		return nil, err
	}
	defer stop()
	return rotationbench.Run(ctx, t, rotationbench.Config{N: cfg.N})
}

func benchTexts(c *benchChart) string {
	var b strings.Builder
	for _, o := range c.objs {
		if t, ok := o.(*canvas.Text); ok {
			b.WriteString(t.Text + "\n")
		}
	}
	return b.String()
}

func TestBenchViewDrawsTheRequestsOfARotationRace(t *testing.T) {
	for _, rotation := range []bool{true, false} {
		t.Run(map[bool]string{true: "rotation on", false: "rotation off"}[rotation], func(t *testing.T) {
			test.NewTempApp(t)
			v := newBenchView(context.Background(), emulatedBench, func() {})
			w := test.NewTempWindow(t, v.box)
			w.Resize(fyne.NewSize(900, 700))
			v.rotation.SetChecked(rotation)
			test.Tap(v.startB)
			waitIdle()
			r := v.report
			if r == nil {
				t.Fatalf("no report; the view says %q", v.summary.Text)
			}
			if r.N != 5 || r.Rotation != rotation {
				t.Fatalf("bench of %d, rotation %v", r.N, r.Rotation)
			}
			v.chart.Refresh()
			// One row per request, the race by index first; each bar spans its request's start
			// and end on the axis from 0 to the last end.
			if len(v.chart.bars) != len(r.Steps) {
				t.Fatalf("%d bars for %d requests", len(v.chart.bars), len(r.Steps))
			}
			var total time.Duration
			for _, s := range r.Steps {
				total = max(total, s.End)
			}
			px := float64(v.chart.width) - benchLabelCol - benchRight
			for i, s := range v.chart.steps {
				bar := v.chart.bars[i]
				x0 := benchLabelCol + float64(s.Start)/float64(total)*px
				x1 := benchLabelCol + float64(s.End)/float64(total)*px
				if math.Abs(float64(bar.Position().X)-x0) > 0.01 || math.Abs(float64(bar.Size().Width)-math.Max(x1-x0, 2)) > 0.01 {
					t.Errorf("bar %d (%s #%d, %v to %v): x %v width %v, want x %.2f width %.2f", i, s.Phase, s.Index, s.Start, s.End,
						bar.Position().X, bar.Size().Width, x0, x1-x0)
				}
				if i < r.N && (s.Phase != rotationbench.PhaseRace || s.Index != i+1) {
					t.Errorf("row %d is %s #%d, want race #%d", i, s.Phase, s.Index, i+1)
				}
			}
			drawn := benchTexts(v.chart)
			all := v.summary.Text + "\n" + texts(v.details)
			if rotation {
				if len(r.Winners) != 1 || len(r.Refused) != r.N-1 {
					t.Errorf("winners %v, refused %v", r.Winners, r.Refused)
				}
				if strings.Count(drawn, "won: new refresh token") != 1 || strings.Count(drawn, "refused: invalid_grant") < r.N-1 {
					t.Errorf("the chart does not show one winner and the refused others:\n%s", drawn)
				}
				for _, want := range []string{"rotation on: won: #", "The token family was revoked", "What a client must store and do",
					"Allow one refresh in flight per token"} {
					if !strings.Contains(all, want) {
						t.Errorf("the view does not say %q:\n%s", want, all)
					}
				}
			} else {
				if len(r.Winners) != 0 || strings.Contains(drawn, "won") || strings.Count(drawn, "refreshed, no new refresh token") < r.N {
					t.Errorf("rotation off: winners %v; chart:\n%s", r.Winners, drawn)
				}
				if !strings.Contains(all, "rotation off: no request got a new refresh token; 0 refused. Family not revoked.") {
					t.Errorf("summary %q", v.summary.Text)
				}
			}
			if tok := tokenShape.FindString(drawn + all); tok != "" {
				t.Errorf("the view shows a token: %s", tok)
			}
			if v.running || v.startB.Disabled() || !v.cancelB.Disabled() {
				t.Error("after the bench: Run should be enabled again and Cancel disabled")
			}
		})
	}
}

// Cancel stops the bench; the view says so and can run again.
func TestBenchViewCancel(t *testing.T) {
	test.NewTempApp(t)
	started := make(chan struct{})
	v := newBenchView(context.Background(), func(ctx context.Context, cfg BenchConfig) (*rotationbench.Report, error) {
		close(started)
		<-ctx.Done()
		return emulatedBench(ctx, cfg)
	}, func() {})
	w := test.NewTempWindow(t, v.box)
	w.Resize(fyne.NewSize(900, 700))
	test.Tap(v.startB)
	<-started
	if !v.startB.Disabled() {
		t.Error("Run the bench is enabled while it runs")
	}
	test.Tap(v.cancelB)
	waitIdle()
	if !strings.HasPrefix(v.summary.Text, "The bench did not run: Cancelled:") || v.startB.Disabled() || v.running {
		t.Errorf("after Cancel: %q, Run disabled %v", v.summary.Text, v.startB.Disabled())
	}
}
