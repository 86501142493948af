package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/store"
)

func runBenchCmd(t *testing.T, args ...string) profilesRun {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Args: args, Stdin: &bytes.Buffer{}, Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := benchCommand().Run(context.Background(), env)
	r := profilesRun{code: code, stdout: out.String(), stderr: errb.String()}
	noTokens(t, r.stdout+r.stderr)
	return r
}

// Refresh tokens (5Aep…) and access tokens (00D…!…) only ever appear shortened with "…".
var benchTokenRe = regexp.MustCompile(`5Aep[0-9A-Za-z._=-]{16,}|00D[0-9A-Za-z]{12,15}![0-9A-Za-z._-]{16,}`)

func noTokens(t *testing.T, out string) {
	t.Helper()
	if m := benchTokenRe.FindString(out); m != "" {
		t.Fatalf("an unredacted token in the output: %.30s…", m)
	}
}

func TestBenchRotationEmulated(t *testing.T) {
	r := runBenchCmd(t, "rotation", "--n", "4")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"Rotation bench: 4 refreshes at once", "(rotation on)", " won, it got a new refresh token",
		`3 requests got invalid_grant "expired access/refresh token"`, "The race itself revoked the token family",
		"What the errors mean", "Never send a refresh token twice", "refused    replay of the starting token"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("want %q in:\n%s", want, r.stdout)
		}
	}
	off := runBenchCmd(t, "rotation", "--no-rotation", "--n", "3")
	if off.code != ExitOK || !strings.Contains(off.stdout, "Rotation is off: 3 of 3 refreshes worked") ||
		strings.Contains(off.stdout, " refused ") || !strings.Contains(off.stdout, "refreshed  no refresh token came back") || strings.Contains(off.stdout, "What the errors mean") {
		t.Errorf("rotation off: exit %d\n%s%s", off.code, off.stdout, off.stderr)
	}
}

func TestBenchRotationJSON(t *testing.T) {
	r := runBenchCmd(t, "rotation", "--json", "--grace", "30", "--n", "3")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var rep struct {
		N             int      `json:"n"`
		Rotation      bool     `json:"rotation"`
		Winners       []int    `json:"winners"`
		FamilyRevoked string   `json:"family_revoked"`
		Current       string   `json:"current_refresh_token"`
		Store         []string `json:"store"`
		Steps         []struct {
			Phase   string `json:"phase"`
			Outcome string `json:"outcome"`
			Start   int64  `json:"start_ns"`
			End     int64  `json:"end_ns"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if rep.N != 3 || !rep.Rotation || len(rep.Winners) != 3 || rep.FamilyRevoked != "no" || !strings.Contains(rep.Current, "…") {
		t.Errorf("grace 30s: %+v", rep)
	}
	// race ×3, check, replay, family access and refresh.
	if len(rep.Steps) != 7 || rep.Steps[4].Phase != "replay" || rep.Steps[4].Outcome != "rotated" || rep.Steps[0].End < rep.Steps[0].Start {
		t.Errorf("steps: %+v", rep.Steps)
	}
}

func TestBenchBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "usage:"},
		{[]string{"latency"}, `unknown bench "latency"`},
		{[]string{"rotation", "--n", "1"}, "--n must be 2 to 50"},
		{[]string{"rotation", "--n", "500"}, "--n must be 2 to 50"},
		{[]string{"rotation", "extra"}, `unexpected argument "extra"`},
		{[]string{"rotation", "--grace", "-1"}, "--grace must be 0 or more"},
		{[]string{"rotation", "--timeout", "0s"}, "must be above 0"},
		{[]string{"rotation", "--profile", "P"}, "add --against-org to confirm"},
		{[]string{"rotation", "--against-org"}, "--against-org needs --profile"},
		{[]string{"rotation", "--profile", "P", "--against-org", "--grace", "5"}, "against a real org the app's own settings apply"},
		{[]string{"rotation", "--bogus"}, "flag provided but not defined"},
	} {
		r := runBenchCmd(t, c.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.args, r.code, r.stderr, c.want)
		}
		if r.stdout != "" {
			t.Errorf("%q printed to stdout: %q", c.args, r.stdout)
		}
	}
	if r := runBenchCmd(t, "-h"); r.code != ExitOK || !strings.Contains(r.stdout, "--against-org confirms it") {
		t.Errorf("help: %+v", r)
	}
}

// benchProfileOrg starts an org whose ECA PKCE app rotates with grace seconds of reuse grace,
// logs the demo user in, and saves profile "P" (remembering refresh tokens) holding the
// refresh token. It returns the org, the profiles folder, the keychain and the token.
func benchProfileOrg(t *testing.T, grace int) (*sfemutest.Org, string, store.Keychain, string) {
	t.Helper()
	org := sfemutest.Start(t, sfemutest.FreeCallback(), sfemutest.Tweak(func(o *sfemu.Org) {
		for i := range o.Apps {
			if o.Apps[i].ConsumerKey == sfemu.DemoECAKey {
				o.Apps[i].RefreshTokenReuseGraceSeconds = grace
			}
		}
	}))
	u := org.User(t, sfemu.DemoUser)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := flows.Run(ctx, flows.Request{Flow: flows.WebServerPKCE, LoginURL: org.LoginURL, ClientID: sfemu.DemoECAKey,
		CallbackURL: org.CallbackURL, Scopes: []string{"api", "refresh_token"},
		Options: flows.Options{RequestTimeout: 10 * time.Second, OpenBrowser: sfemutest.Browser(u.Username, u.Password)}}, nil)
	if err != nil || res.RefreshToken == "" {
		t.Fatalf("login: %v", err)
	}
	kc := profilesTestKeychain(t)
	dir := t.TempDir()
	if r := runProfiles(t, dir, "", "add", "P", "--login-url", org.LoginURL, "--client-id", sfemu.DemoECAKey,
		"--callback-url", org.CallbackURL, "--flow", "web-server-pkce", "--username", sfemu.DemoUser,
		"--kind", "external-client-app", "--remember-refresh-token"); r.code != 0 {
		t.Fatalf("add profile: %+v", r)
	}
	st, p := storedProfile(t, dir, kc, "P")
	if err := st.SetSecrets(p, store.Secrets{RefreshToken: res.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	return org, dir, kc, res.RefreshToken
}

func storedRefreshToken(t *testing.T, dir string, kc store.Keychain) string {
	t.Helper()
	st, p := storedProfile(t, dir, kc, "P")
	sec, err := st.Secrets(p)
	if err != nil {
		t.Fatal(err)
	}
	return sec.RefreshToken
}

// Against an org through a profile (sfemu standing in for the org): with Salesforce's
// behaviour the family dies and the profile is told to log in again; with a grace period
// the newest working token replaces the stored one, and it works.
func TestBenchRotationProfile(t *testing.T) {
	t.Run("no grace: the family dies", func(t *testing.T) {
		_, dir, kc, rt := benchProfileOrg(t, 0)
		r := runBenchCmd(t, "rotation", "--profile", "P", "--against-org", "--config-dir", dir, "--n", "3")
		if r.code != ExitOK || !strings.Contains(r.stdout, "Target: profile P, http://127.0.0.1:") ||
			!strings.Contains(r.stdout, "Profile P: its refresh token no longer works; log in again") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		if got := storedRefreshToken(t, dir, kc); got != rt {
			t.Error("the stored token changed although no token survived")
		}
	})
	t.Run("grace: the newest token is kept", func(t *testing.T) {
		org, dir, kc, rt := benchProfileOrg(t, 60)
		r := runBenchCmd(t, "rotation", "--profile", "P", "--against-org", "--config-dir", dir, "--n", "3")
		if r.code != ExitOK || !strings.Contains(r.stdout, "is stored in place of the old one") {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		got := storedRefreshToken(t, dir, kc)
		if got == "" || got == rt {
			t.Fatal("the newest refresh token was not stored")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := flows.Run(ctx, flows.Request{Flow: flows.Refresh, LoginURL: org.LoginURL, ClientID: sfemu.DemoECAKey, RefreshToken: got}, nil); err != nil {
			t.Errorf("the stored token does not work: %v", err)
		}
	})
	t.Run("no refresh token stored", func(t *testing.T) {
		_, dir, kc, _ := benchProfileOrg(t, 0)
		st, _ := store.Open(dir, kc)
		p, _ := st.Get("P")
		if err := st.DeleteSecret(p, store.SecretRefreshToken); err != nil {
			t.Fatal(err)
		}
		r := runBenchCmd(t, "rotation", "--profile", "P", "--against-org", "--config-dir", dir)
		if r.code != ExitUsage || !strings.Contains(r.stderr, `profile "P" holds no refresh token`) {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
	})
}
