package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// The scopes sit right under the flow, above the form's fields; refresh_token carries its
// Setup name and offline_access; it is disabled, with the reason, for a flow the catalogue
// says never returns a refresh token, and enabled again (with the profile's choice) for one
// that can; the descriptions start at one edge.
func TestScopesSitUnderFlowAndRefreshTokenFollowsTheCatalogue(t *testing.T) {
	fb := &fakeBackend{}
	l, _ := newTestLab(t, fb.backend(), demoStore())
	abs := func(o fyne.CanvasObject) fyne.Position {
		return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	}
	flowY, scopesY, clientY := abs(l.flowPick.sel).Y, abs(l.scopes.box).Y, abs(l.form.clientID).Y
	if !(flowY < scopesY && scopesY < clientY) {
		t.Errorf("flow at y=%v, scopes at %v, client ID at %v: want the scopes right under the flow, above the fields", flowY, scopesY, clientY)
	}
	if scopesY-flowY > 400 {
		t.Errorf("the scopes are %v px below the flow", scopesY-flowY)
	}
	rt := l.scopes.checks["refresh_token"]
	if got := texts(l.scopes.box); !strings.Contains(got, "Perform requests at any time (refresh_token, offline_access)") {
		t.Errorf("the checklist lacks refresh_token's Setup name:\n%s", got)
	}
	// The first profile is username-password: never a refresh token.
	if !rt.Disabled() || rt.Checked || !l.scopes.refreshWhy.Visible() ||
		!strings.Contains(l.scopes.refreshWhy.Text, "username-password flow: it never returns a refresh token") {
		t.Errorf("username-password: refresh_token disabled %v, checked %v, reason %q", rt.Disabled(), rt.Checked, l.scopes.refreshWhy.Text)
	}
	if strings.Contains(l.scopes.refreshWhy.Text, "Setup") {
		t.Errorf("the reason points to Setup: %q", l.scopes.refreshWhy.Text)
	}
	// The second asks for refresh_token with a flow that can return one.
	if !l.Probe().SelectProfile("Web server + PKCE") {
		t.Fatal("no second profile")
	}
	waitIdle()
	if rt.Disabled() || !rt.Checked || l.scopes.refreshWhy.Visible() {
		t.Errorf("web server + PKCE: refresh_token disabled %v, checked %v, reason shown %v", rt.Disabled(), rt.Checked, l.scopes.refreshWhy.Visible())
	}
	// Choosing JWT bearer disables it; back to PKCE, the choice is there again.
	l.flowPick.set(flows.JWTBearer)
	l.form.showFor(flows.JWTBearer)
	if !rt.Disabled() || slicesHas(l.scopes.selected(), "refresh_token") {
		t.Errorf("JWT bearer: refresh_token disabled %v, selected %q", rt.Disabled(), l.scopes.selected())
	}
	l.form.showFor(flows.WebServerPKCE)
	if rt.Disabled() || !rt.Checked {
		t.Errorf("back to PKCE: refresh_token disabled %v, checked %v", rt.Disabled(), rt.Checked)
	}
	// Aligned: every description of the top rows starts at the same x.
	grid := l.scopes.box.Objects[2].(*fyne.Container)
	var xs []float32
	for i := 1; i < len(grid.Objects); i += 2 {
		xs = append(xs, abs(grid.Objects[i]).X)
	}
	for _, x := range xs {
		if x != xs[0] {
			t.Errorf("descriptions start at %v: not aligned", xs)
			break
		}
	}
}

// The reason comes from the catalogue, not from a list of the window's own: a catalogue that
// says the web server flow never returns a refresh token disables it there.
func TestRefreshTokenScopeReadsTheCatalogue(t *testing.T) {
	test.NewTempApp(t)
	cat := flows.Catalog()
	for i := range cat {
		if cat[i].Flow == flows.WebServer {
			cat[i].Refresh = flows.RefreshNever
		}
	}
	c := newScopeChecklist(guidance.Scopes())
	c.forFlow(cat, flows.WebServer)
	if !c.checks["refresh_token"].Disabled() {
		t.Error("refresh_token enabled for a flow the catalogue says never returns one")
	}
	c.forFlow(flows.Catalog(), flows.WebServer)
	if c.checks["refresh_token"].Disabled() {
		t.Error("refresh_token disabled for the web server flow of the real catalogue")
	}
}

func slicesHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
