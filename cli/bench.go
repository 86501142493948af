package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/rotationbench"
)

func benchCommand() *Command {
	return &Command{Name: "bench", Summary: "rotation: refreshes at once with one refresh token and a replayed one, what the org does and what a client must store", Run: benchCmd}
}

const benchUsage = `usage:
  connectedapplab bench rotation [--n 5] [--no-rotation] [--grace SECONDS] [--json]
  connectedapplab bench rotation --profile P --against-org [--n 5] [--json]

rotation sends N refreshes at once with the same refresh token, then replays the starting
token (rotated out by then), and reports which request won (got a new refresh token), what
the others got and what that error means, whether the token family was revoked, and what a
client must store. It reproduces "intermittent invalid_grant" reports offline.

By default it runs against an emulated org started for the bench (its ECA PKCE app, rotation
on, no reuse grace period: Salesforce documents none). --no-rotation and --grace change that
app. With --profile it runs against the profile's org with the profile's stored refresh
token (or SF_REFRESH_TOKEN); --against-org confirms it: with rotation on, the bench revokes
that token's whole family, and the user must log in again.

Exit codes: 0 the bench ran (whatever the org answered), 1 it could not run, 2 bad input.
`

type benchFlags struct {
	n            int
	noRotation   bool
	grace        int
	profile      string
	againstOrg   bool
	asJSON       bool
	timeout      time.Duration
	benchTimeout time.Duration
	profiles     profilesGlobal
}

func benchCmd(ctx context.Context, env *Env) int {
	sub, args, code, ok := subcommand(env, benchUsage)
	if !ok {
		return code
	}
	switch sub {
	case "rotation":
	default:
		fmt.Fprintf(env.Stderr, "bench: unknown bench %q; the one bench is rotation\n", sub)
		return ExitUsage
	}
	var f benchFlags
	fs := flag.NewFlagSet("bench rotation", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, benchUsage); fs.PrintDefaults() }
	fs.IntVar(&f.n, "n", rotationbench.DefaultN, fmt.Sprintf("`number` of refreshes sent at once with the same token (2 to %d)", rotationbench.MaxN))
	fs.BoolVar(&f.noRotation, "no-rotation", false, "emulated org: turn the app's refresh token rotation off")
	fs.IntVar(&f.grace, "grace", 0, "emulated org: `seconds` a rotated-out token may be reused without revoking the family (Salesforce documents none)")
	fs.StringVar(&f.profile, "profile", "", "run against this profile's org and stored refresh token (needs --against-org)")
	fs.BoolVar(&f.againstOrg, "against-org", false, "confirm running against a real org: with rotation on this revokes the profile's refresh token family")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as one JSON object (tokens redacted)")
	fs.DurationVar(&f.timeout, "timeout", rotationbench.DefaultRequestTimeout, "per-request `timeout`")
	fs.DurationVar(&f.benchTimeout, "bench-timeout", rotationbench.DefaultTimeout, "`timeout` of the whole bench")
	f.profiles.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if msg := f.check(fs); msg != "" {
		fmt.Fprintln(env.Stderr, "bench rotation: "+msg)
		return ExitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, f.benchTimeout)
	defer cancel()

	var target rotationbench.Target
	if f.profile == "" {
		t, closeOrg, err := rotationbench.StartEmulated(ctx, rotationbench.Emulated{NoRotation: f.noRotation,
			GraceSeconds: f.grace, RequestTimeout: f.timeout})
		if err != nil {
			fmt.Fprintf(env.Stderr, "bench rotation: %v\n", err)
			return ExitFailed
		}
		defer closeOrg()
		target = t
	} else {
		req := flows.Request{Options: flows.Options{RequestTimeout: f.timeout}}
		settings, err := loadProfile(env, &f.profiles, f.profile, &req)
		if err != nil {
			fmt.Fprintf(env.Stderr, "bench rotation: %v\n", err)
			return ExitUsage
		}
		if req.RefreshToken == "" {
			req.RefreshToken = envOr(env, "SF_REFRESH_TOKEN")
		}
		if req.RefreshToken == "" {
			fmt.Fprintf(env.Stderr, "bench rotation: profile %q holds no refresh token; get one with `connectedapplab run --profile %s` (the profile remembering refresh tokens) or pass SF_REFRESH_TOKEN\n", f.profile, f.profile)
			return ExitUsage
		}
		target = rotationbench.Target{Label: fmt.Sprintf("profile %s, %s", f.profile, req.LoginURL), Request: req, Settings: settings}
	}
	rep, err := rotationbench.Run(ctx, target, rotationbench.Config{N: f.n, RequestTimeout: f.timeout, Timeout: f.benchTimeout})
	if err != nil {
		fmt.Fprintf(env.Stderr, "bench rotation: %s\n", flows.RedactText(err.Error()))
		return ExitFailed
	}
	var note string
	if f.profile != "" {
		note = f.keep(env, target.Request.RefreshToken, rep)
	}
	if f.asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(env.Stderr, "bench rotation: %v\n", err)
			return ExitFailed
		}
		if note != "" {
			fmt.Fprintln(env.Stderr, note)
		}
		return ExitOK
	}
	printBench(env.Stdout, rep)
	if note != "" {
		fmt.Fprintln(env.Stdout, "\n"+note)
	}
	return ExitOK
}

// check returns what is wrong with the flags, in one line ("" when nothing).
func (f *benchFlags) check(fs *flag.FlagSet) string {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	switch {
	case fs.NArg() > 0:
		return fmt.Sprintf("unexpected argument %q; every value goes with a flag", fs.Arg(0))
	case f.n < 2 || f.n > rotationbench.MaxN:
		return fmt.Sprintf("--n must be 2 to %d (a race needs two requests), not %d", rotationbench.MaxN, f.n)
	case f.grace < 0:
		return "--grace must be 0 or more seconds"
	case f.timeout <= 0 || f.benchTimeout <= 0:
		return "--timeout and --bench-timeout must be above 0, e.g. 15s"
	case f.profile != "" && !f.againstOrg:
		return fmt.Sprintf("--profile runs against a real org: with rotation on the bench revokes the family of profile %q's refresh token and the user must log in again; add --against-org to confirm", f.profile)
	case f.againstOrg && f.profile == "":
		return "--against-org needs --profile, the profile whose org and refresh token to use"
	case f.profile != "" && (set["no-rotation"] || set["grace"]):
		return "--no-rotation and --grace set the emulated org's app; against a real org the app's own settings apply"
	}
	return ""
}

// keep stores the refresh token that still works in the profile, when it is not the one
// stored and the profile remembers refresh tokens, and says what became of the profile's token.
func (f *benchFlags) keep(env *Env, started string, rep *rotationbench.Report) string {
	cur := rep.Current.Reveal()
	switch {
	case cur == "":
		return fmt.Sprintf("Profile %s: its refresh token no longer works; log in again (`connectedapplab run --profile %s`).", f.profile, f.profile)
	case cur == started:
		return fmt.Sprintf("Profile %s: its refresh token still works.", f.profile)
	}
	saved, err := rememberRefreshToken(env, &f.profiles, f.profile, cur)
	switch {
	case err != nil:
		return fmt.Sprintf("Profile %s: the newest refresh token could not be stored (%v); log in again.", f.profile, err)
	case saved:
		return fmt.Sprintf("Profile %s: the newest refresh token (%s) is stored in place of the old one.", f.profile, rep.Current)
	}
	return fmt.Sprintf("Profile %s: its stored refresh token was rotated out and the newest one was not stored (the profile does not remember refresh tokens); log in again.", f.profile)
}

// printBench prints the report: the timeline as a table with a bar per request, what
// happened, what the errors mean, and what a client must store.
func printBench(w io.Writer, r *rotationbench.Report) {
	var b strings.Builder
	fmt.Fprintf(&b, "Rotation bench: %d refreshes at once with one refresh token, then a replay\n", r.N)
	fmt.Fprintf(&b, "Target: %s\n\n", r.Target)
	total := r.Duration
	for _, s := range r.Steps {
		if s.End > total {
			total = s.End
		}
	}
	b.WriteString("Timeline (ms from the start)\n")
	fmt.Fprintf(&b, "  %-6s %-3s %7s %7s  %-30s  %-9s  %s\n", "phase", "#", "start", "end", "", "outcome", "detail")
	steps := append(r.RaceSteps(), nonRace(r.Steps)...)
	for _, s := range steps {
		idx := ""
		if s.Index > 0 {
			idx = fmt.Sprint(s.Index)
		}
		fmt.Fprintf(&b, "  %-6s %-3s %7.1f %7.1f  %-30s  %-9s  %s\n", s.Phase, idx, ms(s.Start), ms(s.End),
			bar(s.Start, s.End, total, 30), s.Outcome, stepDetail(s))
	}
	b.WriteString("\nWhat happened\n")
	for _, l := range r.Findings {
		b.WriteString("  - " + l + "\n")
	}
	if len(r.Explanations) > 0 {
		b.WriteString("\nWhat the errors mean\n")
		for _, x := range r.Explanations {
			fmt.Fprintf(&b, "  %s %q: %s\n", x.Code, x.Description, x.Meaning)
			for _, c := range x.Causes {
				b.WriteString("    cause: " + c + "\n")
			}
		}
	}
	b.WriteString("\nWhat a client must store and do\n")
	for _, l := range r.Store {
		b.WriteString("  - " + l + "\n")
	}
	io.WriteString(w, b.String())
}

func nonRace(steps []rotationbench.Step) []rotationbench.Step {
	var out []rotationbench.Step
	for _, s := range steps {
		if s.Phase != rotationbench.PhaseRace {
			out = append(out, s)
		}
	}
	return out
}

func stepDetail(s rotationbench.Step) string {
	var d string
	switch {
	case s.NewRefreshToken != "":
		d = "new refresh token " + s.NewRefreshToken
	case s.Error != nil && s.Error.Description != "":
		d = fmt.Sprintf("%s %q", s.Error.Code, s.Error.Description)
	case s.Error != nil:
		d = s.Error.Code
	case s.Failure != "":
		d = s.Failure
	case s.Outcome == rotationbench.OutcomeRefreshed:
		d = "no refresh token came back"
	}
	if s.Phase == rotationbench.PhaseRace {
		return d
	}
	if d == "" {
		return s.What
	}
	return s.What + ": " + d
}

// bar draws [start, end] on a line of width cells spanning 0 to total.
func bar(start, end, total time.Duration, width int) string {
	if total <= 0 {
		return strings.Repeat(" ", width)
	}
	a := int(int64(start) * int64(width) / int64(total))
	z := int((int64(end)*int64(width) + int64(total) - 1) / int64(total))
	a, z = min(max(a, 0), width-1), min(max(z, a+1), width)
	return strings.Repeat(" ", a) + strings.Repeat("=", z-a) + strings.Repeat(" ", width-z)
}
