package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/store"
)

// End to end against the emulated org: `run --profile` refreshes with rotation on and stores
// the new refresh token, and the profile records when. Five later logins of the same user to
// the app evict the approval that token belongs to; `diagnose refresh --profile` without
// --obtained-at uses the recorded date and finds the approval limit with certainty, saying
// where the date came from. The same token stored by hand has no date: the limit stays open.
func TestDiagnoseRefreshUsesTheDateRunProfileRecorded(t *testing.T) {
	start := time.Now().Truncate(time.Second) // the org's clock starts at the real time
	o := startDiagOrg(t, sfemu.Demo(), start)
	o.addUserProfile("User", sfemu.DemoECAKey, "external-client-app", o.login(sfemu.DemoECAKey)["refresh_token"].(string))
	if p := o.profile("User"); !p.RefreshTokenObtainedAt.IsZero() {
		t.Fatalf("a token stored by hand has a date: %v", p.RefreshTokenObtainedAt)
	}

	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"run", "--profile", "User", "--flow", "refresh", "--config-dir", o.dir, "--json"},
		&Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	if code != 0 || !strings.Contains(errb.String(), "replaced the stored one") {
		t.Fatalf("run --profile refresh: exit %d\n%s", code, errb.String())
	}
	got := o.profile("User").RefreshTokenObtainedAt
	if got.Before(start) || got.After(time.Now()) {
		t.Fatalf("obtained at %v, want the time of the run (after %v)", got, start)
	}
	st, user := o.stored("User")
	sec, err := st.Secrets(user)
	if err != nil || sec.RefreshToken == "" {
		t.Fatalf("the rotated token was not stored: %v", err)
	}
	o.addUserProfile("ByHand", sfemu.DemoECAKey, "external-client-app", sec.RefreshToken)

	for i := 0; i < 5; i++ { // five newer approvals: the first login's approval (this token's) is evicted
		o.clk.Advance(time.Minute)
		o.login(sfemu.DemoECAKey)
	}
	diag := func(name string, extra ...string) (int, diagOut, string) {
		t.Helper()
		args := append([]string{"refresh", "--profile", name, "--admin-profile", "Admin", "--app", "ECA_PKCE", "--json"}, extra...)
		code, out, errOut := o.diagnose(args...)
		return code, decodeDiag(t, out), out + errOut
	}
	code, d, raw := diag("User")
	if code != 0 || d.ObtainedAt == nil || d.ObtainedAt.From != "profile" || d.ObtainedAt.At == nil || !d.ObtainedAt.At.Equal(got) ||
		foundIDs(d) != "approval-limit" {
		t.Fatalf("exit %d, obtained_at %+v, found %s\n%s", code, d.ObtainedAt, foundIDs(d), raw)
	}
	noSecrets(t, raw, sec.RefreshToken)

	// The same in words: the date and where it came from.
	code, text, _ := o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "ECA_PKCE")
	if want := "Refresh token obtained " + got.UTC().Format(time.RFC3339) + ` (recorded in profile "User" when ` + "`run --profile`" + ` stored it)`; code != 0 || !strings.Contains(text, want) {
		t.Errorf("text output (exit %d) lacks %q:\n%s", code, want, text)
	}

	// --obtained-at wins over the profile's date, and says so.
	flagAt := start.Add(-24 * time.Hour).UTC()
	_, d, raw = diag("User", "--obtained-at", flagAt.Format(time.RFC3339))
	if d.ObtainedAt == nil || d.ObtainedAt.From != "--obtained-at" || d.ObtainedAt.At == nil || !d.ObtainedAt.At.Equal(flagAt) {
		t.Errorf("with --obtained-at: %+v\n%s", d.ObtainedAt, raw)
	}

	// --error: the failing token came from another client, not the profile's: its date does not apply.
	_, d, raw = diag("User", "--error", "invalid_grant", "--error-description", "expired access/refresh token")
	if d.ObtainedAt == nil || d.ObtainedAt.From != "unknown" || d.ObtainedAt.At != nil {
		t.Errorf("with --error: %+v\n%s", d.ObtainedAt, raw)
	}
	_, text, _ = o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "ECA_PKCE",
		"--error", "invalid_grant", "--error-description", "expired access/refresh token")
	if !strings.Contains(text, `the token diagnosed is not the one stored in profile "User"`) {
		t.Errorf("with --error, text:\n%s", text)
	}

	// Stored by hand: no date, so the limit cannot be told for certain.
	code, d, raw = diag("ByHand")
	if code != 1 || d.ObtainedAt == nil || d.ObtainedAt.From != "unknown" || d.ObtainedAt.At != nil ||
		!strings.Contains(ids(d.Diagnosis.Open), "approval-limit") {
		t.Errorf("by hand: exit %d, obtained_at %+v, open %s\n%s", code, d.ObtainedAt, ids(d.Diagnosis.Open), raw)
	}
	code, text, _ = o.diagnose("refresh", "--profile", "ByHand", "--admin-profile", "Admin", "--app", "ECA_PKCE")
	if !strings.Contains(text, `When the refresh token was obtained is unknown (profile "ByHand" has no record`) {
		t.Errorf("by hand, text (exit %d):\n%s", code, text)
	}
}

func (o *diagOrg) profile(name string) store.Profile {
	o.t.Helper()
	_, p := o.stored(name)
	return p
}

func foundIDs(d diagOut) string {
	var s []string
	for _, f := range d.Diagnosis.Found {
		s = append(s, f.ID)
	}
	return strings.Join(s, ",")
}
