package ui_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// In the demo, the App settings are the emulated org's: the misconfigured app's findings show
// on the first Lint, with no admin login and no Read from org, and they say where they came from.
func TestRealDemoLintKnowsTheMisconfiguredApp(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Misconfigured App (lint scenario)")
	p.ShowAppSettings()
	wantContains(t, "App settings source", p.AppSource(), "Read from the emulated org")
	wantContains(t, "callback URLs", p.AppEntry("callbacks").Text, "http://localhost:1718/callback")
	wantContains(t, "findings before Lint is pressed", p.AppFindings(), "Errors: the flow will fail", "callback-port")
	test.Tap(p.AppButton("lint"))
	waitIdle(t, 10*time.Second)
	f := p.AppFindings()
	wantContains(t, "lint findings", f, "Errors: the flow will fail", "callback-port", "refresh-token-not-selected")
	if p.StatusImportance() == widget.SuccessImportance {
		t.Errorf("status %q is green", p.Status())
	}
}

// Read from org with no token yet offers to log in as an admin right there, and reads with it.
func TestRealReadFromOrgLogsInAsTheAdminThere(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Misconfigured App (lint scenario)")
	p.ShowAppSettings()
	test.Tap(p.AppButton("read"))
	waitIdle(t, 10*time.Second)
	if p.LastDialog() != "Log in first" || !p.AdminLogin("Admin: reads app settings") {
		t.Fatalf("dialog %q; want Log in first with an admin login offered", p.LastDialog())
	}
	waitIdle(t, 30*time.Second)
	if p.LastDialog() == "Could not read the app from the org" {
		t.Fatalf("the read failed; status: %s", p.Status())
	}
	wantContains(t, "status after the read", p.Status(), "Read Misconfigured_App from the org", "2 errors")
	wantContains(t, "App settings source", p.AppSource(), "with the admin profile \"Admin: reads app settings\"")
}
