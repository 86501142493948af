package ui_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// Issue 16 item 8 in the window: each piece of guidance that states a Salesforce fact names
// where it is documented, so the user can check it; the username-password flow's retirement
// is one such fact.
func TestRealAdviceShowsItsSource(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Username-password: how long does it last?")
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	g := p.Guidance()
	wantContains(t, "guidance", g, "February 20, 2027", "Source: ")
	if n := strings.Count(g, "Source: "); n < 2 {
		t.Errorf("only %d sources named in the guidance:\n%s", n, g)
	}
}
