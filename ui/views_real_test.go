package ui_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// The window's Check app, Rotation bench and Timeline on the real backend (ui/wire) and the
// demo org: the checkup of the JWT bearer profile as the form holds it, the bench on an
// emulated org of its own, and the timeline of a username-password login.
func TestRealCheckBenchAndTimeline(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "JWT bearer (server to server)")
	p.CheckApp()
	waitIdle(t, 60*time.Second)
	rows := p.CheckMatrix()
	for _, want := range []string{"jwt-bearer (aud login host)=works", "client-credentials=works", "username-password=works", "revoke=works"} {
		if !slices.Contains(rows, want) {
			t.Errorf("the checkup does not show %s: %q", want, rows)
		}
	}
	if !strings.HasPrefix(p.CheckSummary(), "Every flow that ran works") {
		t.Errorf("checkup summary %q", p.CheckSummary())
	}

	p.RunBench("3")
	waitIdle(t, 60*time.Second)
	wantContains(t, "bench", p.BenchSummary(), "3 refreshes at once, rotation on: won: #", "2 refused", "won: new refresh token",
		"What a client must store and do")

	pick(t, p, "Username-password: how long does it last?")
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "timeline", p.TimelineTexts(), "Token timeline: login at", "expires if idle until", "none came back with this token")
}
