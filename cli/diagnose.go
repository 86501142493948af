package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/diagnose"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/internal/appfacts"
	"github.com/connectedapplab/connectedapplab/store"
)

func diagnoseCommand() *Command {
	return &Command{Name: "diagnose", Summary: "why a refresh token stopped working; the user's approvals of the app (five per user and app)", Run: diagnoseCmd}
}

const diagnoseUsage = `usage:
  connectedapplab diagnose refresh --profile P [--admin-profile A] [--app API_NAME] [--user USERNAME]
                                   [--obtained-at TIME] [--error CODE --error-description TEXT] [--json]
  connectedapplab diagnose approvals --profile P --admin-profile A [--app API_NAME] [--user USERNAME] [--revoke-stale] [--json]

refresh replays the profile's stored refresh token (or takes the error your client saw with --error)
and, with an admin's access (--admin-profile, or --admin-token-stdin with --instance-url), reads the
user's approvals of the app (OauthToken), the user's state and the app's refresh token policy, then
names the cause it found, or the ones it could not rule out and how to check each.
--obtained-at (RFC 3339, e.g. 2026-12-01T09:30:00Z) is when the refresh token was obtained; with it
the five-approvals limit and policy expiry can be told with certainty. Without it, the date the
profile recorded when ` + "`run --profile`" + ` stored the token is used, for the token replayed from the profile.

approvals says where the user stands against five approvals per app, and with --revoke-stale
revokes the least recently used one (by its DeleteToken) so that the next login evicts nothing.

Exit codes: 0 diagnosed (or the token works), 1 could not determine or a call failed, 2 bad input.
`

type diagnoseFlags struct {
	profile, adminProfile, app, user, obtained, errCode, errDesc, instance string
	adminStdin, asJSON, revokeStale                                        bool
	timeout                                                                time.Duration
	profiles                                                               profilesGlobal
}

func diagnoseCmd(ctx context.Context, env *Env) int {
	sub, args, code, ok := subcommand(env, diagnoseUsage)
	if !ok {
		return code
	}
	switch sub {
	case "refresh", "approvals":
	default:
		fmt.Fprintf(env.Stderr, "diagnose: unknown subcommand %q; use refresh or approvals\n", sub)
		return 2
	}
	var f diagnoseFlags
	fs := flag.NewFlagSet("diagnose "+sub, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, diagnoseUsage); fs.PrintDefaults() }
	fs.StringVar(&f.profile, "profile", "", "the profile `NAME` whose refresh token failed (client ID, login URL, username, stored secrets)")
	fs.StringVar(&f.adminProfile, "admin-profile", "", "a profile `NAME` that logs in as an admin of the same org (its flow runs headless)")
	fs.BoolVar(&f.adminStdin, "admin-token-stdin", false, "read an admin's access token from stdin instead (with --instance-url)")
	fs.StringVar(&f.instance, "instance-url", "", "the org's `URL` for --admin-token-stdin")
	fs.StringVar(&f.app, "app", "", "the app's API `name` (default: from the profile's app settings)")
	fs.StringVar(&f.user, "user", "", "the `username` whose token failed (default: the profile's)")
	fs.DurationVar(&f.timeout, "timeout", diagnose.DefaultTimeout, "per-request `timeout`")
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object")
	f.profiles.register(fs)
	if sub == "refresh" {
		fs.StringVar(&f.obtained, "obtained-at", "", "when the refresh token was obtained, RFC 3339 `time`")
		fs.StringVar(&f.errCode, "error", "", "the error `code` your client got (skips the replay), e.g. invalid_grant")
		fs.StringVar(&f.errDesc, "error-description", "", "the error_description your client got")
	} else {
		fs.BoolVar(&f.revokeStale, "revoke-stale", false, "revoke the least recently used approval when the user is at five")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "diagnose %s: unexpected argument %q; every value goes with a flag\n", sub, fs.Arg(0))
		return 2
	}
	if f.profile == "" {
		fmt.Fprintf(env.Stderr, "diagnose %s: pass --profile, the profile whose refresh token failed\n", sub)
		return 2
	}
	if f.adminStdin && (f.instance == "" || f.adminProfile != "") {
		fmt.Fprintf(env.Stderr, "diagnose %s: --admin-token-stdin needs --instance-url and excludes --admin-profile\n", sub)
		return 2
	}
	if f.timeout <= 0 {
		fmt.Fprintf(env.Stderr, "diagnose %s: --timeout must be above 0, e.g. 30s\n", sub)
		return 2
	}
	if sub == "refresh" {
		return diagnoseRefresh(ctx, env, &f)
	}
	return diagnoseApprovals(ctx, env, &f)
}

// diagnoseTarget is what the failing profile tells.
type diagnoseTarget struct {
	req      flows.Request
	profile  store.Profile
	st       *store.Store
	settings guidance.Settings
	app      string
	label    string
}

func (f *diagnoseFlags) target(env *Env) (*diagnoseTarget, error) {
	t := &diagnoseTarget{}
	var err error
	if t.profile, err = loadStoredProfile(env, &f.profiles, f.profile, &t.req); err != nil {
		return nil, fmt.Errorf("profile %q: %w", f.profile, err)
	}
	t.settings = appfacts.Settings(t.profile)
	if t.st, err = profilesOpen(env, &f.profiles); err != nil { // the store loadStoredProfile opened
		return nil, err
	}
	t.app = f.app
	if t.app == "" && len(t.profile.App.Settings) > 0 {
		var cs connectedapp.Settings
		if json.Unmarshal(t.profile.App.Settings, &cs) == nil {
			t.app, t.label = cs.Name, cs.Label
		}
	}
	if f.user != "" {
		t.req.Username = f.user
	}
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if t.req.ClientSecret == "" {
		t.req.ClientSecret = getenv("SF_CLIENT_SECRET")
	}
	t.req.Options.RequestTimeout = f.timeout
	return t, nil
}

// admin gets an admin's access: the admin profile's flow run headless, or a token on stdin.
func (f *diagnoseFlags) admin(ctx context.Context, env *Env, loginURL string) (*diagnose.Admin, error) {
	switch {
	case f.adminStdin:
		tok, err := readStdinLine(env, "--admin-token-stdin")
		if err != nil && err != io.EOF {
			return nil, err
		}
		if tok == "" {
			return nil, errors.New("--admin-token-stdin: stdin was empty; pipe the admin's access token in")
		}
		return &diagnose.Admin{InstanceURL: f.instance, AccessToken: tok, LoginURL: loginURL, Timeout: f.timeout}, nil
	case f.adminProfile == "":
		return nil, nil
	}
	var req flows.Request
	if _, err := loadProfile(env, &f.profiles, f.adminProfile, &req); err != nil {
		return nil, fmt.Errorf("admin profile %q: %w", f.adminProfile, err)
	}
	if req.Flow == "" {
		return nil, fmt.Errorf("admin profile %q has no flow; set one with `profiles add --flow`", f.adminProfile)
	}
	req.Options.RequestTimeout = f.timeout
	fmt.Fprintf(env.Stderr, "· logging in as the admin (profile %q, %s flow)\n", f.adminProfile, req.Flow)
	res, err := flows.Run(ctx, req, func(p flows.Progress) { fmt.Fprintf(env.Stderr, "· %s\n", p.Message) })
	if err != nil {
		return nil, fmt.Errorf("admin profile %q: login failed: %w", f.adminProfile, err)
	}
	if res.Token == nil || res.Token.AccessToken == "" || res.Token.InstanceURL == "" {
		return nil, fmt.Errorf("admin profile %q: the login returned no access token and instance_url", f.adminProfile)
	}
	return &diagnose.Admin{InstanceURL: res.Token.InstanceURL, AccessToken: res.Token.AccessToken, LoginURL: loginURL,
		Timeout: f.timeout, Options: req.Options}, nil
}

// diagnoseJSON is the --json output of `diagnose refresh` and `diagnose approvals`.
type diagnoseJSON struct {
	// Refresh is "works" when the replayed refresh succeeded, "failed" otherwise.
	Refresh   string                     `json:"refresh,omitempty"`
	Diagnosed bool                       `json:"diagnosed"`
	Diagnosis *guidance.RefreshDiagnosis `json:"diagnosis,omitempty"`
	Approvals *guidance.ApprovalBudget   `json:"approvals,omitempty"`
	Revoked   *guidance.Approval         `json:"revoked,omitempty"`
	NotRead   []string                   `json:"not_read"`
	// ObtainedAt is when the diagnosed refresh token was obtained and where the date came from.
	ObtainedAt *refreshObtained `json:"obtained_at,omitempty"`
}

func diagnoseRefresh(ctx context.Context, env *Env, f *diagnoseFlags) int {
	var obtained *time.Time
	if f.obtained != "" {
		t, err := time.Parse(time.RFC3339, f.obtained)
		if err != nil {
			fmt.Fprintf(env.Stderr, "diagnose refresh: --obtained-at %q is not an RFC 3339 time; write it like 2026-12-01T09:30:00Z\n", f.obtained)
			return 2
		}
		obtained = &t
	}
	if f.errDesc != "" && f.errCode == "" {
		fmt.Fprintln(env.Stderr, "diagnose refresh: --error-description goes with --error CODE (e.g. --error invalid_grant)")
		return 2
	}
	t, err := f.target(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "diagnose refresh: %s\n", oneLine(err.Error()))
		return 2
	}
	var failure *guidance.RefreshFailure
	fromProfile := false
	if f.errCode != "" {
		failure = &guidance.RefreshFailure{Code: f.errCode, Description: f.errDesc}
	} else {
		if t.req.RefreshToken == "" {
			t.req.RefreshToken = envOr(env, "SF_REFRESH_TOKEN")
		}
		if t.req.RefreshToken == "" {
			fmt.Fprintf(env.Stderr, "diagnose refresh: profile %q holds no refresh token; pass the error your client got with --error CODE --error-description TEXT, or SF_REFRESH_TOKEN\n", f.profile)
			return 2
		}
		fmt.Fprintln(env.Stderr, "· replaying the refresh")
		fromProfile = t.req.RefreshToken != envOr(env, "SF_REFRESH_TOKEN")
		fl, res, err := diagnose.TryRefresh(ctx, t.req)
		if err != nil {
			fmt.Fprintf(env.Stderr, "diagnose refresh: the refresh could not be sent: %s\n", oneLine(err.Error()))
			return 1
		}
		if fl == nil {
			return refreshWorks(env, f, t, res, fromProfile)
		}
		failure = fl
	}
	admin, err := f.admin(ctx, env, t.req.LoginURL)
	if err != nil {
		fmt.Fprintf(env.Stderr, "diagnose refresh: %s\n", oneLine(err.Error()))
		return 1
	}
	when := obtainedFor(obtained, t, fromProfile)
	g := diagnose.Gather(ctx, admin, diagnose.Input{Username: t.req.Username, AppAPIName: t.app, AppLabel: t.label, ObtainedAt: when.At, Now: time.Now()})
	if g.Facts.App == nil && t.settings.RefreshTokenPolicy.Kind != "" {
		// What the profile says about the app, when the org could not be read.
		g.Facts.App = &guidance.AppState{Kind: t.settings.AppKind, Policy: t.settings.RefreshTokenPolicy}
		g.Notes = append(g.Notes, "the refresh token policy is the profile's ("+t.settings.RefreshTokenPolicy.String()+"), not read from the org")
	}
	d := guidance.DiagnoseRefresh(*failure, g.Facts)
	code := 1
	if d.Diagnosed() {
		code = 0
	}
	if f.asJSON {
		writeJSON(env.Stdout, diagnoseJSON{Refresh: "failed", Diagnosed: d.Diagnosed(), Diagnosis: &d, NotRead: nonNil(g.Notes), ObtainedAt: &when})
		return code
	}
	when.print(env.Stdout)
	printDiagnosis(env.Stdout, &d, g.Notes)
	return code
}

// refreshWorks reports a refresh that succeeded. With rotation the old token just died, so the
// new one replaces it in the keychain (a failed save is an error, not a silent loss).
func refreshWorks(env *Env, f *diagnoseFlags, t *diagnoseTarget, res *flows.Result, fromProfile bool) int {
	msg := "The refresh token works: Salesforce issued a new access token. Nothing to diagnose."
	if res != nil && res.RefreshTokenRotated {
		switch {
		case fromProfile && t.profile.RememberRefreshToken:
			if _, err := t.st.RememberRefreshToken(t.profile, res.Token.RefreshToken); err != nil {
				fmt.Fprintf(env.Stderr, "diagnose refresh: the refresh rotated the token and the new one could not be saved: %s; log in again\n", oneLine(err.Error()))
				return 1
			}
			msg += " Rotation is on: the new refresh token replaced the old one in the keychain."
		default:
			msg += " Rotation is on: the token you passed no longer works; use a profile that remembers refresh tokens to keep the new one."
		}
	}
	if f.asJSON {
		writeJSON(env.Stdout, diagnoseJSON{Refresh: "works", Diagnosed: true, NotRead: []string{}})
		return 0
	}
	fmt.Fprintln(env.Stdout, msg)
	return 0
}

func diagnoseApprovals(ctx context.Context, env *Env, f *diagnoseFlags) int {
	if f.adminProfile == "" && !f.adminStdin {
		fmt.Fprintln(env.Stderr, "diagnose approvals: pass --admin-profile (or --admin-token-stdin with --instance-url): approvals are read with an admin's access")
		return 2
	}
	t, err := f.target(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "diagnose approvals: %s\n", oneLine(err.Error()))
		return 2
	}
	admin, err := f.admin(ctx, env, t.req.LoginURL)
	if err != nil {
		fmt.Fprintf(env.Stderr, "diagnose approvals: %s\n", oneLine(err.Error()))
		return 1
	}
	g := diagnose.Gather(ctx, admin, diagnose.Input{Username: t.req.Username, AppAPIName: t.app, AppLabel: t.label, Now: time.Now()})
	if !g.Facts.ApprovalsKnown {
		fmt.Fprintf(env.Stderr, "diagnose approvals: %s\n", strings.Join(g.Notes, "; "))
		return 1
	}
	b := guidance.BudgetFor(g.Facts.Approvals, time.Now())
	out := diagnoseJSON{Diagnosed: true, Approvals: &b, NotRead: nonNil(g.Notes)}
	if f.revokeStale {
		rec, ok := g.Stale(b)
		if !ok {
			fmt.Fprintf(env.Stderr, "diagnose approvals: the user has %d of %d approvals; nothing needs revoking\n", b.Count, b.Max)
		} else {
			if err := admin.Revoke(ctx, rec); err != nil {
				fmt.Fprintf(env.Stderr, "diagnose approvals: %s\n", oneLine(err.Error()))
				return 1
			}
			out.Revoked = &rec.Approval
		}
	}
	if f.asJSON {
		writeJSON(env.Stdout, out)
		return 0
	}
	w := env.Stdout
	fmt.Fprintf(w, "Approvals of the app by %s: %d of %d\n", t.req.Username, b.Count, b.Max)
	for _, a := range g.Facts.Approvals {
		fmt.Fprintf(w, "  %s  created %s  last used %s  uses %d\n", a.ID, a.Created.UTC().Format(time.RFC3339), orDash(fmtTime(a.LastUsed)), a.UseCount)
	}
	fmt.Fprintln(w, b.Message)
	if out.Revoked != nil {
		fmt.Fprintf(w, "Revoked the approval from %s (last used %s): the next login evicts nothing.\n", out.Revoked.Created.UTC().Format(time.RFC3339), orDash(fmtTime(out.Revoked.LastUsed)))
	} else if b.Stale != nil {
		fmt.Fprintln(w, "Run again with --revoke-stale to revoke the least recently used approval (its refresh token stops working).")
	}
	fmt.Fprintf(w, "Source: %s\n", b.Source)
	return 0
}

func printDiagnosis(w io.Writer, d *guidance.RefreshDiagnosis, notes []string) {
	fmt.Fprintf(w, "Refresh failed: %s %q\n", d.Failure.Code, d.Failure.Description)
	if d.Error != nil && d.Error.Meaning != "" {
		fmt.Fprintf(w, "  %s\n", d.Error.Meaning)
	}
	fmt.Fprintf(w, "\n%s\n", d.Summary)
	section := func(title, mark string, cs []guidance.Cause, long bool) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, c := range cs {
			fmt.Fprintf(w, "  %s %s\n", mark, c.Title)
			fmt.Fprintf(w, "      %s", c.Why)
			if c.Fact != "" {
				fmt.Fprintf(w, " [%s]", c.Fact)
			}
			fmt.Fprintln(w)
			if !long {
				continue
			}
			if c.Check != "" {
				fmt.Fprintf(w, "      check: %s\n", c.Check)
			}
			if c.SetupPath != "" {
				fmt.Fprintf(w, "      setup: %s\n", c.SetupPath)
			}
			if !c.Source.IsZero() {
				fmt.Fprintf(w, "      source: %s\n", c.Source)
			}
		}
	}
	section("Found (certain)", "✔", d.Found, true)
	section("Could not rule out (how to check each)", "?", d.Open, true)
	section("Ruled out", "✗", d.RuledOut, false)
	if d.Budget != nil {
		fmt.Fprintf(w, "\nApprovals: %s\n", d.Budget.Message)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nNot read:\n")
		for _, n := range notes {
			fmt.Fprintf(w, "  - %s\n", oneLine(n))
		}
	}
}

func envOr(env *Env, k string) string {
	if env.Getenv != nil {
		return env.Getenv(k)
	}
	return os.Getenv(k)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
