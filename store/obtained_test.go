package store

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// The store records when the refresh token it holds was obtained: a token a flow returns is
// stamped, the same token again keeps its stamp, a token given by hand or removed has none,
// and no caller can overwrite the stamp with a stale profile.
func TestRefreshTokenObtainedAtFollowsTheStoredToken(t *testing.T) {
	s, _ := openTemp(t)
	clock := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	at := func(want time.Time, what string) {
		t.Helper()
		got, err := s.Get("Prod")
		if err != nil {
			t.Fatal(err)
		}
		if !got.RefreshTokenObtainedAt.Equal(want) {
			t.Fatalf("%s: obtained at %v, want %v", what, got.RefreshTokenObtainedAt, want)
		}
	}
	in := sample("Prod")
	in.RememberRefreshToken = true
	in.RefreshTokenObtainedAt = clock.Add(-48 * time.Hour)
	p, err := s.Add(in)
	if err != nil {
		t.Fatal(err)
	}
	at(time.Time{}, "a new profile (the caller's date ignored)")

	first := clock
	if ok, err := s.RememberRefreshToken(p, "rt-1"); !ok || err != nil {
		t.Fatalf("remember: %v %v", ok, err)
	}
	at(first, "a token from a flow")

	clock = clock.Add(time.Hour)
	s.RememberRefreshToken(p, "rt-1") // a refresh without rotation hands back the same token
	at(first, "the same token again")

	p.Notes = "edited in a window opened before the login"
	if _, err := s.Update(p); err != nil {
		t.Fatal(err)
	}
	at(first, "an update with a stale profile")
	if err := s.SetSecrets(p, Secrets{ClientSecret: "cs", RefreshToken: "rt-1"}); err != nil {
		t.Fatal(err)
	}
	at(first, "saving the secrets with the same token")

	clock = clock.Add(time.Hour)
	s.RememberRefreshToken(p, "rt-2") // rotation
	at(clock, "a rotated token")

	if err := s.SetSecrets(p, Secrets{RefreshToken: "pasted"}); err != nil {
		t.Fatal(err)
	}
	at(time.Time{}, "a token given by hand")

	s.RememberRefreshToken(p, "rt-3")
	at(clock, "a token from a flow again")
	if err := s.DeleteSecret(p, SecretRefreshToken); err != nil {
		t.Fatal(err)
	}
	at(time.Time{}, "the token removed")

	s.RememberRefreshToken(p, "rt-4")
	p.RememberRefreshToken = false
	if _, err := s.Update(p); err != nil {
		t.Fatal(err)
	}
	at(time.Time{}, "opted out")
}

// The date is in the profiles file as a plain field, export leaves it out (it belongs to a
// keychain entry of this machine), import --replace keeps this machine's, and a file written
// before the field existed reads with the date unknown.
func TestRefreshTokenObtainedAtInTheFile(t *testing.T) {
	s, _ := openTemp(t)
	in := sample("Prod")
	in.RememberRefreshToken = true
	p, _ := s.Add(in)
	s.RememberRefreshToken(p, "rt-1")
	stamped, _ := s.Get("Prod")
	if stamped.RefreshTokenObtainedAt.IsZero() {
		t.Fatal("not stamped")
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`"refresh_token_obtained_at": "`+stamped.RefreshTokenObtainedAt.Format(time.RFC3339)+`"`)) {
		t.Errorf("the file does not hold the date:\n%s", raw)
	}
	exp, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(exp, []byte("obtained")) {
		t.Errorf("export carries the date:\n%s", exp)
	}
	if _, err := s.Import(exp, ImportOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get("Prod"); !got.RefreshTokenObtainedAt.Equal(stamped.RefreshTokenObtainedAt) {
		t.Errorf("import --replace lost the date: %v", got.RefreshTokenObtainedAt)
	}

	old := bytes.Replace(raw, []byte(`"refresh_token_obtained_at": "`+stamped.RefreshTokenObtainedAt.Format(time.RFC3339)+`",`), nil, 1)
	if bytes.Equal(old, raw) {
		t.Fatal("could not remove the field from the file")
	}
	if err := os.WriteFile(s.Path(), old, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get("Prod")
	if err != nil || !got.RefreshTokenObtainedAt.IsZero() || got.ID != p.ID {
		t.Errorf("a file without the field: %+v %v", got, err)
	}
}
