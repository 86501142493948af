package ui_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// Issue 16 item 3 in the window: the JWT bearer form has an audience field, and an Experience
// Cloud site's URL with its path goes into the assertion's aud as typed. The emulated org here
// accepts only that site as the audience, as a site's token endpoint does.
func TestRealJWTBearerAudienceIsAnExperienceCloudSite(t *testing.T) {
	const site = "https://acme.my.site.com/partners"
	org := demoOrg(t)
	org.Behaviour.JWTAudiences = []string{site}
	_, p := newRealLabOn(t, wire.Options{}, org)
	pick(t, p, "JWT bearer (server to server)")
	aud := p.Entry("audience")
	if aud == nil || !aud.Visible() {
		t.Fatal("the JWT bearer form has no visible audience field")
	}

	// Without it, the flow's default audiences (the login host, login/test.salesforce.com) are
	// refused by the site.
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status without the site as audience", p.Status(), "Failed", "audience")

	aud.SetText(site)
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status with the site as audience", p.Status(), "jwt-bearer flow done in")
	wantContains(t, "Tokens tab", p.Tab("Tokens"), "access_token")
}
