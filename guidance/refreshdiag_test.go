package guidance

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var diagNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) *time.Time { t := diagNow.Add(-d); return &t }

func approvalsAt(installed bool, ages ...time.Duration) []Approval {
	var out []Approval
	for i, a := range ages {
		c := diagNow.Add(-a)
		out = append(out, Approval{ID: "0CR" + string(rune('A'+i)), AppName: "App", Installed: installed, Created: c, LastUsed: c, UseCount: 1})
	}
	return out
}

func appState(policy string, rotation bool) *AppState {
	p, err := ParseRefreshPolicy(policy)
	if err != nil {
		panic(err)
	}
	return &AppState{Name: "App", Label: "App", Kind: AppConnected, Policy: p, Rotation: &rotation}
}

var expired = RefreshFailure{Code: "invalid_grant", Description: "expired access/refresh token", Status: 400}

func verdicts(d RefreshDiagnosis) map[string]Verdict {
	m := map[string]Verdict{}
	for _, list := range [][]Cause{d.Found, d.RuledOut, d.Open} {
		for _, c := range list {
			m[c.ID] = c.Verdict
		}
	}
	return m
}

func TestDiagnoseRefreshVerdicts(t *testing.T) {
	h, day := time.Hour, 24*time.Hour
	active := &UserState{Username: "u@x", Active: true}
	rows := []struct {
		name    string
		failure RefreshFailure
		facts   RefreshFacts
		want    map[string]Verdict
	}{
		{"the error names an inactive user", RefreshFailure{Code: "invalid_grant", Description: "inactive user"}, RefreshFacts{},
			map[string]Verdict{CauseUserInactive: VerdictFound}},
		{"the error names an IP restriction", RefreshFailure{Code: "invalid_grant", Description: "ip restricted"}, RefreshFacts{},
			map[string]Verdict{CauseIPRestricted: VerdictFound}},
		{"the error names a blocked app", RefreshFailure{Code: "app_blocked"}, RefreshFacts{},
			map[string]Verdict{CauseAppBlocked: VerdictFound}},
		{"the error names a wrong client secret: not the token", RefreshFailure{Code: "invalid_client", Description: "invalid client credentials"}, RefreshFacts{},
			map[string]Verdict{"error-invalid-client-secret": VerdictFound, CauseApprovalLimit: ""}},
		{"the error names IP ranges or login hours", RefreshFailure{Code: "invalid_grant", Description: "IP restricted or invalid login hours"}, RefreshFacts{},
			map[string]Verdict{CauseIPRestricted: VerdictFound}},
		{"nothing known: every cause stays open", expired, RefreshFacts{Now: diagNow},
			map[string]Verdict{CauseApprovalLimit: VerdictOpen, CauseRevoked: VerdictOpen, CauseRotationReuse: VerdictOpen, CausePolicyLifetime: VerdictOpen,
				CauseIdle30Days: VerdictOpen, CauseUserInactive: VerdictOpen, CauseAppUninstalled: VerdictOpen, CauseIPRestricted: VerdictRuledOut, CauseLoginHours: VerdictOpen}},
		{"immediately expire", expired, RefreshFacts{Now: diagNow, App: appState("zero", false)},
			map[string]Verdict{CausePolicyImmediate: VerdictFound}},
		{"expire after 1 hour, obtained 2 hours ago", expired, RefreshFacts{Now: diagNow, App: appState("specific_lifetime:1:HOURS", false), ObtainedAt: ago(2 * h)},
			map[string]Verdict{CausePolicyLifetime: VerdictFound, CauseIdle30Days: VerdictRuledOut}},
		{"expire after 1 hour, obtained 30 minutes ago", expired, RefreshFacts{Now: diagNow, App: appState("specific_lifetime:1:HOURS", false), ObtainedAt: ago(30 * time.Minute)},
			map[string]Verdict{CausePolicyLifetime: VerdictRuledOut}},
		{"expire after 1 hour, obtained unknown", expired, RefreshFacts{Now: diagNow, App: appState("specific_lifetime:1:HOURS", false)},
			map[string]Verdict{CausePolicyLifetime: VerdictOpen, CauseIdle30Days: VerdictOpen}},
		{"unused 2 months is capped at 30 days: 10 days old rules it out", expired, RefreshFacts{Now: diagNow, App: appState("specific_inactivity:2:MONTHS", false), ObtainedAt: ago(10 * day)},
			map[string]Verdict{CausePolicyUnused: VerdictRuledOut}},
		{"unused 2 months is capped at 30 days: 40 days old stays open", expired, RefreshFacts{Now: diagNow, App: appState("specific_inactivity:2:MONTHS", false), ObtainedAt: ago(40 * day)},
			map[string]Verdict{CausePolicyUnused: VerdictOpen}},
		{"valid until revoked, 31 days old: idle limit open", expired, RefreshFacts{Now: diagNow, App: appState("infinite", false), ObtainedAt: ago(31 * day)},
			map[string]Verdict{CausePolicyLifetime: VerdictRuledOut, CauseIdle30Days: VerdictOpen}},
		{"valid until revoked, idle limit off", expired, RefreshFacts{Now: diagNow, App: appState("infinite", false), ObtainedAt: ago(90 * day), IdleLimitOff: true},
			map[string]Verdict{CauseIdle30Days: VerdictRuledOut}},
		{"five newer approvals: the limit, with certainty", expired, RefreshFacts{Now: diagNow, User: active, App: appState("infinite", false), ObtainedAt: ago(10 * h),
			ApprovalsKnown: true, Approvals: approvalsAt(true, 9*h, 8*h, 7*h, 6*h, 5*h)},
			map[string]Verdict{CauseApprovalLimit: VerdictFound, CauseRevoked: VerdictRuledOut, CauseUserInactive: VerdictRuledOut, CauseAppUninstalled: VerdictRuledOut}},
		{"four newer approvals: not the limit, maybe revoked", expired, RefreshFacts{Now: diagNow, User: active, App: appState("infinite", true), ObtainedAt: ago(10 * h),
			ApprovalsKnown: true, Approvals: approvalsAt(true, 12*h, 9*h, 8*h, 7*h, 6*h)},
			map[string]Verdict{CauseApprovalLimit: VerdictRuledOut, CauseRevoked: VerdictOpen, CauseRotationReuse: VerdictOpen}},
		{"the token's own approval is still there", expired, RefreshFacts{Now: diagNow, User: active, App: appState("infinite", true), ObtainedAt: ago(10 * h),
			ApprovalsKnown: true, Approvals: approvalsAt(true, 10*h, 9*h, 8*h, 7*h, 6*h)},
			map[string]Verdict{CauseApprovalLimit: VerdictRuledOut, CauseRevoked: VerdictRuledOut, CauseRotationReuse: VerdictRuledOut}},
		{"five approvals, obtained unknown: open", expired, RefreshFacts{Now: diagNow, ApprovalsKnown: true, Approvals: approvalsAt(true, 9*h, 8*h, 7*h, 6*h, 5*h)},
			map[string]Verdict{CauseApprovalLimit: VerdictOpen}},
		{"user frozen (UserLogin.IsFrozen)", expired, RefreshFacts{Now: diagNow, User: &UserState{Username: "u@x", Active: true, Frozen: boolP(true)}},
			map[string]Verdict{CauseUserFrozen: VerdictFound, CauseUserInactive: VerdictRuledOut}},
		{"user not frozen", expired, RefreshFacts{Now: diagNow, User: &UserState{Username: "u@x", Active: true, Frozen: boolP(false)}},
			map[string]Verdict{CauseUserFrozen: VerdictRuledOut}},
		{"user inactive", expired, RefreshFacts{Now: diagNow, User: &UserState{Username: "u@x"}},
			map[string]Verdict{CauseUserInactive: VerdictFound}},
		{"app not installed (AppMenuItemId null)", expired, RefreshFacts{Now: diagNow, ApprovalsKnown: true, Approvals: approvalsAt(false, 3*h)},
			map[string]Verdict{CauseAppUninstalled: VerdictFound}},
		{"an unknown description keeps IP ranges open", RefreshFacts{}.failure("invalid_grant", "something new"), RefreshFacts{Now: diagNow},
			map[string]Verdict{CauseIPRestricted: VerdictOpen}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			d := DiagnoseRefresh(r.failure, r.facts)
			got := verdicts(d)
			for id, want := range r.want {
				if got[id] != want {
					t.Errorf("%s: %q, want %q (summary: %s)", id, got[id], want, d.Summary)
				}
			}
			if d.Diagnosed() != (len(d.Found) > 0) || d.Summary == "" {
				t.Errorf("diagnosed %v, summary %q", d.Diagnosed(), d.Summary)
			}
			for _, list := range [][]Cause{d.Found, d.Open} {
				for _, c := range list {
					if c.SetupPath == "" || c.Source.IsZero() {
						t.Errorf("%s (%s) lacks a Setup path or a source: %+v", c.ID, c.Verdict, c)
					}
					if c.Verdict == VerdictOpen && c.Check == "" {
						t.Errorf("%s is open but says not how to check it", c.ID)
					}
				}
			}
			if again := DiagnoseRefresh(r.failure, r.facts); !reflect.DeepEqual(again, d) {
				t.Error("the same facts gave another answer")
			}
		})
	}
}

func boolP(b bool) *bool { return &b }

func (RefreshFacts) failure(code, desc string) RefreshFailure {
	return RefreshFailure{Code: code, Description: desc}
}

// With every fact known, each documented cause is judged once.
func TestDiagnoseRefreshWalksEveryCauseOnce(t *testing.T) {
	d := DiagnoseRefresh(expired, RefreshFacts{Now: diagNow, User: &UserState{Username: "u", Active: true}, App: appState("infinite", true),
		ObtainedAt: ago(10 * time.Hour), ApprovalsKnown: true, Approvals: approvalsAt(true, 9*time.Hour)})
	seen := map[string]int{}
	for _, list := range [][]Cause{d.Found, d.RuledOut, d.Open} {
		for _, c := range list {
			seen[c.ID]++
		}
	}
	for _, id := range []string{CauseApprovalLimit, CausePolicyLifetime, CauseIdle30Days, CauseRotationReuse, CauseRevoked, CauseUserInactive,
		CauseUserFrozen, CauseAppUninstalled, CauseAppBlocked, CauseIPRestricted, CauseLoginHours} {
		if seen[id] != 1 {
			t.Errorf("%s judged %d times", id, seen[id])
		}
	}
}

func TestApprovalBudget(t *testing.T) {
	h := time.Hour
	if b := BudgetFor(nil, diagNow); b.Evicts != nil || !strings.Contains(b.Message, "approval 1 of 5") {
		t.Errorf("none: %+v", b)
	}
	if b := BudgetFor(approvalsAt(true, 3*h, 2*h, h), diagNow); b.Evicts != nil || b.Count != 3 || !strings.Contains(b.Message, "approval 4 of 5 and revokes nothing") {
		t.Errorf("three: %+v", b)
	}
	five := approvalsAt(true, 50*h, 40*h, 30*h, 20*h, 10*h)
	five[0].LastUsed = diagNow.Add(-time.Minute) // the oldest is in use; the second is the stale one
	b := BudgetFor(five, diagNow)
	if b.Evicts == nil || b.Evicts.ID != five[0].ID || b.Stale == nil || b.Stale.ID != five[1].ID {
		t.Fatalf("five: %+v", b)
	}
	want := "This will be approval 6 of 5 for this user and app: the approval from " + dateTime(five[0].Created) + " (last used " + dateTime(five[0].LastUsed) + ") will be revoked"
	if !strings.HasPrefix(b.Message, want) || !strings.Contains(b.Message, "revoke the least used one instead: the approval from "+dateTime(five[1].Created)) {
		t.Errorf("message: %s", b.Message)
	}
	if b.Source != refApprovals {
		t.Errorf("source: %+v", b.Source)
	}
}
