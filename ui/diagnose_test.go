package ui_test

import (
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// "Why did it stop?" end to end (issue 16 item 4) in the window, on the emulated org: six web
// server logins of the same user to the Approvals App (the org's clock moved 30 minutes
// between them), so the sixth approval revokes the oldest; the first refresh token then fails
// with invalid_grant, and the diagnosis, with the demo admin's access, names the
// five-approvals limit with certainty because the window recorded when it received the token.
// Before the sixth login, choosing the admin shows the approval budget (item 5).
func TestRealDiagnoseNamesTheApprovalLimit(t *testing.T) {
	open, pages := chromium(t)
	go func() { // the pages are not checked here; keep the channel from filling up
		for range pages {
		}
	}()
	_, p := newRealLab(t, wire.Options{OpenBrowser: open})
	pick(t, p, "Five approvals: the sixth revokes the oldest")

	var first string
	login := func(i int) {
		t.Helper()
		if i > 1 {
			p.AdvanceBy("30m")
			test.Tap(p.Button("advance"))
			waitIdle(t, 10*time.Second)
		}
		test.Tap(p.Button("run"))
		waitIdle(t, 90*time.Second)
		wantContains(t, "status after login "+string(rune('0'+i)), p.Status(), "web-server-pkce flow done in")
		if i == 1 {
			first = p.LastRefreshToken()
		}
	}
	for i := 1; i <= 5; i++ {
		login(i)
	}
	if first == "" {
		t.Fatal("the first login returned no refresh token")
	}

	// Item 5: with an admin chosen, the budget before the sixth login.
	if !p.SelectAdmin("Admin: reads app settings") {
		t.Fatal("the admin profile is not offered beside the actions")
	}
	waitIdle(t, 30*time.Second)
	wantContains(t, "approval budget above Run", p.Budget(), "This will be approval 6 of 5", "will be revoked")
	if p.Button("revoke-stale").Hidden {
		t.Error("no Revoke stale offer beside the budget")
	}
	if !p.Button("diagnose").Disabled() {
		t.Error("Why did it stop? is enabled although no refresh failed")
	}

	login(6)

	// Refresh with the first refresh token, as an app that kept it would.
	p.Entry("refresh").SetText(first)
	p.SetFlow(flows.Refresh)
	test.Tap(p.Button("run"))
	waitIdle(t, 30*time.Second)
	wantContains(t, "status after refreshing with the first token", p.Status(), "invalid_grant")
	if p.Button("diagnose").Disabled() {
		t.Fatal("Why did it stop? is disabled after a failed refresh")
	}
	test.Tap(p.Button("diagnose"))
	waitIdle(t, 60*time.Second)
	d := p.Diagnosis()
	wantContains(t, "diagnosis", d, "Why did it stop? invalid_grant", "Found (1)",
		"A sixth approval revoked this one (five approvals per user and app)", "5 newer approvals",
		"How to check: ", "Setup: ", "Source: ", "Ruled out", "Approvals: ")
	wantContains(t, "results area", p.Center(), "A sixth approval revoked this one", "Back to results")
	wantContains(t, "status", p.Status(), "Diagnosis: ")
	if path := os.Getenv("UI_DIAGNOSIS_SHOT"); path != "" { // a picture of the diagnosis, on request
		if err := p.Shot(path, 1024, 700); err != nil {
			t.Errorf("screenshot: %v", err)
		}
	}
}
