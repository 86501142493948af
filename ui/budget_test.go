package ui_test

import (
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// Choosing an admin before any login of an interactive profile shows the approval budget:
// the user has no approval of the app yet, so nothing is offered for revoking.
func TestRealBudgetBeforeTheFirstLogin(t *testing.T) {
	_, p := newRealLab(t, wire.Options{})
	pick(t, p, "Five approvals: the sixth revokes the oldest")
	if !p.SelectAdmin("Admin: reads app settings") {
		t.Fatal("the admin profile is not offered beside the actions")
	}
	waitIdle(t, 30*time.Second)
	wantContains(t, "approval budget above Run", p.Budget(), "no approval of this app yet", "approval 1 of 5")
	if !p.Button("revoke-stale").Hidden {
		t.Error("Revoke stale is offered although the user has no approval")
	}
}
