package diagnose

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

func TestSOQLStringEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"demo@x.example":   "'demo@x.example'",
		"o'brien@x":        `'o\'brien@x'`,
		`back\slash' OR x`: `'back\\slash\' OR x'`,
	} {
		if got := soqlString(in); got != want {
			t.Errorf("soqlString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestParseSFTime(t *testing.T) {
	want := time.Date(2026, 12, 2, 15, 4, 5, 0, time.UTC)
	for _, s := range []string{"2026-12-02T15:04:05.000+0000", "2026-12-02T15:04:05+0000", "2026-12-02T15:04:05Z"} {
		if got, err := parseSFTime(s); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	if _, err := parseSFTime("yesterday"); err == nil {
		t.Error("no error for a non-date")
	}
}

func TestGatherWithoutAdminReadsNothing(t *testing.T) {
	g := Gather(context.Background(), nil, Input{Username: "u", AppAPIName: "A"})
	if g.Facts.User != nil || g.Facts.App != nil || g.Facts.ApprovalsKnown || len(g.Notes) != 1 {
		t.Errorf("%+v", g)
	}
}

// Against the emulated org: an admin reads the user, the app and the approvals; a user who
// is not an admin, or a wrong token, leaves each fact unknown with a note naming why, and
// no token appears in a note.
func TestGatherAgainstTheEmulatedOrg(t *testing.T) {
	e := sfemutest.Start(t)
	// One approval of the Web App by the demo user (the password flow issues no refresh token,
	// so none yet).
	at := e.PasswordToken(t, sfemu.DemoWebAppKey, sfemu.DemoAdminUser)
	tok, inst := at.AccessToken, at.InstanceURL
	admin := &Admin{InstanceURL: inst, AccessToken: tok, Timeout: 5 * time.Second}
	g := Gather(context.Background(), admin, Input{Username: sfemu.DemoUser, AppAPIName: "Approvals_App", Now: time.Now()})
	// The emulator has no UserLogin object: the frozen state is the one fact left unknown.
	if len(g.Notes) != 1 || g.Notes[0] != "frozen state not read: SOQL query refused (INVALID_TYPE): sObject type 'UserLogin' is not supported" || g.Facts.User == nil || g.Facts.User.Frozen != nil || !g.Facts.User.Active || g.Facts.App == nil || g.Facts.App.Label != "Approvals App" ||
		!g.Facts.ApprovalsKnown || len(g.Facts.Approvals) != 0 || g.Facts.App.Rotation == nil || *g.Facts.App.Rotation {
		t.Fatalf("gathered %+v %+v notes %v", g.Facts, g.Facts.App, g.Notes)
	}

	for name, a := range map[string]*Admin{
		"wrong token": {InstanceURL: inst, AccessToken: "00Dnotatoken!AQ0000000000000000000000000000", Timeout: 5 * time.Second},
	} {
		g := Gather(context.Background(), a, Input{Username: sfemu.DemoUser, AppAPIName: "Approvals_App"})
		if g.Facts.User != nil || g.Facts.App != nil || g.Facts.ApprovalsKnown || len(g.Notes) == 0 {
			t.Errorf("%s: %+v", name, g)
		}
		for _, n := range g.Notes {
			if strings.Contains(n, a.AccessToken) {
				t.Errorf("%s: a note shows the token: %s", name, n)
			}
		}
	}

	// A user who is not an admin cannot read OauthToken: the approvals stay unknown, with a note.
	utok := e.PasswordToken(t, sfemu.DemoWebAppKey, sfemu.DemoUser).AccessToken
	g = Gather(context.Background(), &Admin{InstanceURL: inst, AccessToken: utok, Timeout: 5 * time.Second}, Input{Username: sfemu.DemoUser, AppAPIName: "Approvals_App"})
	if g.Facts.ApprovalsKnown || len(g.Notes) == 0 {
		t.Errorf("not an admin: %+v", g)
	}
	t.Logf("not an admin: %v", g.Notes)

	// Unreachable org: every call ends within its timeout.
	start := time.Now()
	dead := &Admin{InstanceURL: "http://127.0.0.1:1", AccessToken: tok, Timeout: time.Second}
	g = Gather(context.Background(), dead, Input{Username: sfemu.DemoUser, AppAPIName: "Approvals_App"})
	if len(g.Notes) < 2 || time.Since(start) > 10*time.Second {
		t.Errorf("unreachable: %v in %s", g.Notes, time.Since(start))
	}
	for _, n := range g.Notes {
		if strings.Contains(n, tok) {
			t.Errorf("a note shows the admin token: %s", n)
		}
	}
	// A refresh with a token the org never issued is a failure, not an error.
	fl, _, err := TryRefresh(context.Background(), flows.Request{LoginURL: e.LoginURL, ClientID: sfemu.DemoWebAppKey,
		ClientSecret: "WebAppDemoSecret0001", RefreshToken: "5Aep861notatoken"})
	if err != nil || fl == nil || fl.Code != "invalid_grant" || fl.Description != "expired access/refresh token" {
		t.Errorf("TryRefresh: %+v %v", fl, err)
	}
}
