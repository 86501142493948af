package ui

import (
	"sync"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/store"
)

// appFactsStore holds one username-password profile whose app facts are all known: an
// External Client App that requires PKCE, a 30-minute session and refresh tokens that expire
// after 3 days.
func appFactsStore() *MemoryStore {
	yes, thirty := true, 30
	return NewMemoryStore([]Profile{{Profile: store.Profile{ID: "f", Name: "Facts", LoginURL: productionURL,
		AppKind: store.ExternalClientApp, ClientID: "3MVG-facts", Flow: string(flows.UsernamePassword), Username: "demo@connectedapplab.example",
		App: store.AppSettings{PKCERequired: &yes, SessionTimeoutMinutes: &thirty, RefreshTokenPolicy: store.RefreshExpireAfter,
			RefreshTokenValidity: 3, RefreshTokenValidityUnit: "days"}}}},
		map[string]Secrets{"f": {ClientSecret: "s", Password: "p"}})
}

// A run tells guidance everything the profile knows of its app, PKCERequired too (the
// window's own copy of this conversion used to drop it; appfacts.Settings is now the one the
// CLI's run --profile uses as well).
func TestRunGivesGuidanceTheProfilesAppFacts(t *testing.T) {
	fb := &fakeBackend{}
	be := fb.backend()
	var mu sync.Mutex
	var got []guidance.Settings
	be.Explain = func(in guidance.Input) guidance.Report {
		mu.Lock()
		got = append(got, in.Settings)
		mu.Unlock()
		return fakeExplain(in)
	}
	l, _ := newTestLab(t, be, appFactsStore())
	waitIdle()
	l.Run()
	waitIdle()
	mu.Lock()
	defer mu.Unlock()
	if len(got) == 0 {
		t.Fatalf("guidance was not asked (status %q)", l.status.Text)
	}
	s := got[len(got)-1]
	if s.PKCERequired == nil || !*s.PKCERequired {
		t.Errorf("PKCERequired = %v, want true", s.PKCERequired)
	}
	if s.AppKind != guidance.AppExternalClient || s.AppSessionTimeoutMinutes != 30 {
		t.Errorf("app kind %q, session timeout %d; want %q and 30", s.AppKind, s.AppSessionTimeoutMinutes, guidance.AppExternalClient)
	}
	if p := s.RefreshTokenPolicy; p.Kind != guidance.PolicySpecificLifetime || p.N != 3 || p.Unit != "DAYS" {
		t.Errorf("refresh token policy %+v, want specific_lifetime 3 DAYS", p)
	}
}

// Saving the form keeps the refresh token policy's period while the policy stays, drops it
// when another policy is picked, and keeps what the form does not show (PKCERequired).
func TestSaveKeepsThePolicyPeriodUntilThePolicyChanges(t *testing.T) {
	st := appFactsStore()
	l, _ := newTestLab(t, (&fakeBackend{}).backend(), st)
	waitIdle()
	saved := func() store.Profile {
		t.Helper()
		ps, err := st.List()
		if err != nil || len(ps) != 1 {
			t.Fatalf("store holds %d profiles (%v)", len(ps), err)
		}
		return ps[0].Profile
	}
	l.form.name.SetText("Facts 2")
	l.Save()
	waitIdle()
	p := saved()
	if p.Name != "Facts 2" || p.App.PolicyText() != "specific_lifetime:3:DAYS" || p.App.SessionTimeoutMinutes == nil ||
		*p.App.SessionTimeoutMinutes != 30 || p.App.PKCERequired == nil || !*p.App.PKCERequired {
		t.Errorf("after renaming: %q, policy %q, session %v, PKCE %v; want the app facts kept", p.Name, p.App.PolicyText(),
			p.App.SessionTimeoutMinutes, p.App.PKCERequired)
	}
	l.form.policy.SetSelectedIndex(indexOf(policyKinds, "zero"))
	l.form.session.SetSelectedIndex(0) // unknown
	l.Save()
	waitIdle()
	p = saved()
	if p.App.RefreshTokenPolicy != store.RefreshImmediatelyExpire || p.App.RefreshTokenValidity != 0 || p.App.RefreshTokenValidityUnit != "" {
		t.Errorf("after picking zero: policy %q, period %d %q; want zero without a period", p.App.RefreshTokenPolicy,
			p.App.RefreshTokenValidity, p.App.RefreshTokenValidityUnit)
	}
	if p.App.SessionTimeoutMinutes != nil {
		t.Errorf("after picking an unknown session timeout: %d minutes, want unknown (nil)", *p.App.SessionTimeoutMinutes)
	}
}
