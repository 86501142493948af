package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectedapplab/connectedapplab/checkup"
	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
)

func checkCommand() *Command {
	return &Command{Name: "check", Summary: "check a whole app from a profile: lint, every flow it allows, introspect, userinfo, REST, revoke; a matrix of results", Run: checkCmd}
}

const checkUsage = `usage: connectedapplab check --profile P [--browser] [--format %s] [--out FILE] [--progress]

Lints the app's settings (the profile's, or --settings FILE), runs every flow the app allows that
needs no browser (and the browser flows with --browser), then introspection, userinfo and one REST
call with a token it got, and revokes every token it made, also after Ctrl-C. The answer is a matrix
of flow by result: works; fails, why and the fix; skipped and why. Secrets are redacted in every
format. --out writes the report to FILE (created 0600, replaced whole, never half-written).
Secrets the keychain does not hold come from --secrets-stdin or the environment:
%s.

Exit codes: 0 every step that ran works, 1 a step failed or the checkup was cancelled,
2 bad input (an unknown profile or format, an unwritable --out): nothing was sent.

flags:
`

// checkHook, when set, changes the options every flow of a checkup runs with: tests put
// sfemutest's scripted browser and a transport that records what the org sent there. nil in
// the program.
var checkHook func(*flows.Options)

type checkFlags struct {
	profile, format, out, settings, site string
	browser, progress, secretsStdin      bool
	opts                                 flows.Options
	profiles                             profilesGlobal
}

// checkFormats are the --format values, in the order the help lists them, and the report's
// writer for each: the one list the usage, the flag's help and the error are made from.
var checkFormats = []struct {
	name  string
	write func(*checkup.Report, io.Writer) error
}{
	{"text", (*checkup.Report).WriteText},
	{"md", (*checkup.Report).WriteMarkdown},
	{"html", (*checkup.Report).WriteHTML},
	{"json", (*checkup.Report).WriteJSON},
}

// checkFormat is the writer of the format name; nil if there is none.
func checkFormat(name string) func(*checkup.Report, io.Writer) error {
	for _, f := range checkFormats {
		if f.name == name {
			return f.write
		}
	}
	return nil
}

// checkFormatNames lists the formats joined by sep, the last two by last: "text, md, html or json".
func checkFormatNames(sep, last string) string {
	var b strings.Builder
	for i, f := range checkFormats {
		switch {
		case i == len(checkFormats)-1 && i > 0:
			b.WriteString(last)
		case i > 0:
			b.WriteString(sep)
		}
		b.WriteString(f.name)
	}
	return b.String()
}

func checkCmd(ctx context.Context, env *Env) int {
	var f checkFlags
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&f.profile, "profile", "", "the profile `NAME` to check (its app, user and secrets from the keychain)")
	fs.BoolVar(&f.browser, "browser", false, "also run the browser flows (web server, PKCE, user-agent): a browser opens for each")
	fs.StringVar(&f.format, "format", "text", "the report's `format`: "+checkFormatNames(", ", " or "))
	fs.StringVar(&f.out, "out", "", "write the report to `FILE` instead of stdout")
	fs.BoolVar(&f.progress, "progress", false, "print each step on stderr as it starts and ends (default: on when stderr is a terminal; --progress=false turns it off)")
	fs.StringVar(&f.settings, "settings", "", "the app's settings JSON `FILE` (default: the profile's app settings)")
	fs.StringVar(&f.site, "site-url", "", "an Experience Cloud site `URL`: the JWT bearer flow also tries it as the audience")
	fs.DurationVar(&f.opts.RequestTimeout, "request-timeout", flows.DefaultRequestTimeout, "timeout of each HTTP request")
	fs.DurationVar(&f.opts.ListenTimeout, "listen-timeout", flows.DefaultListenTimeout, "how long each browser flow waits for the browser")
	fs.BoolVar(&f.secretsStdin, "secrets-stdin", false, "read KEY=VALUE lines from stdin for secrets the keychain does not hold: "+secretKeyList())
	f.profiles.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, checkUsage, checkFormatNames("|", "|"), secretEnvList())
		fs.PrintDefaults()
	}
	if err := fs.Parse(env.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	fail := func(code int, msg string) int {
		fmt.Fprintln(env.Stderr, oneLine("check: "+msg))
		return code
	}
	switch {
	case fs.NArg() > 0:
		return fail(ExitUsage, fmt.Sprintf("unexpected argument %q; every value goes with a flag, e.g. --profile %q", fs.Arg(0), fs.Arg(0)))
	case f.profile == "":
		return fail(ExitUsage, "--profile is required: name the profile to check (`connectedapplab profiles list` shows them)")
	case checkFormat(f.format) == nil:
		return fail(ExitUsage, fmt.Sprintf("--format %q is not a format; use %s", f.format, checkFormatNames(", ", " or ")))
	}
	for _, err := range []error{checkDuration("--request-timeout", f.opts.RequestTimeout, maxRequestTimeout),
		checkDuration("--listen-timeout", f.opts.ListenTimeout, maxListenTimeout), checkURLFlag("--site-url", f.site, "https", "http")} {
		if err != nil {
			return fail(ExitUsage, err.Error())
		}
	}
	// The file is opened before anything is sent: an unwritable --out is bad input.
	var out *checkOut
	if f.out != "" && f.out != "-" {
		var err error
		if out, err = createCheckOut(f.out); err != nil {
			return fail(ExitUsage, err.Error())
		}
		defer out.abort()
	}
	in, err := f.input(env)
	if err != nil {
		return fail(exitCode(err, ExitUsage), err.Error())
	}
	// --progress, or --progress=false, decides; without it, whether stderr is a terminal.
	progress := f.progress
	set := false
	fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == "progress" })
	if !set {
		_, progress = terminalFD(env.Stderr)
	}
	if progress {
		in.Progress = func(r checkup.Row) { checkProgress(env.Stderr, r) }
	}
	in.FlowProgress = func(p flows.Progress) {
		// With progress on, every step of the flow; else only a URL the user must open.
		switch {
		case p.Step == "done" || p.Step == "failed": // the step's own line says it
		case progress:
			fmt.Fprintln(env.Stderr, "    "+oneLine(p.Message))
		case p.Step == flows.StepBrowserNotOpened:
			fmt.Fprintln(env.Stderr, oneLine("check: "+p.Message))
		}
	}

	// Said whether or not progress is on: the revoke after a cancel may take a while.
	in.CancelRevoking = func(n int) {
		noun := "tokens"
		if n == 1 {
			noun = "token"
		}
		fmt.Fprintf(env.Stderr, "check: cancelled; revoking %d %s the checkup made (up to %.0f s)\n", n, noun, checkup.CleanupTimeout.Seconds())
	}

	rep := checkup.Run(ctx, in)

	var b bytes.Buffer
	if err := checkFormat(f.format)(rep, &b); err != nil {
		return fail(ExitFailed, "writing the report: "+err.Error())
	}
	if out == nil {
		if _, err := env.Stdout.Write(b.Bytes()); err != nil {
			return fail(ExitFailed, "writing the report: "+err.Error())
		}
	} else if err := out.commit(b.Bytes()); err != nil {
		return fail(ExitFailed, err.Error())
	}
	msg := rep.Summary()
	if out != nil {
		msg += "; the report is in " + f.out
	}
	if rep.Cancelled {
		msg = "cancelled: the steps not run are marked cancelled (" + msg + ")"
		if i := len(rep.Rows) - 1; i >= 0 && rep.Rows[i].Step == "revoke" && rep.Rows[i].Status != checkup.Cancelled {
			msg += "; revoke: " + rep.Rows[i].Detail
		}
	}
	if out != nil || rep.Cancelled || in.Progress != nil {
		fmt.Fprintln(env.Stderr, oneLine("check: "+msg))
	}
	if !rep.Passed() {
		return ExitFailed
	}
	return ExitOK
}

// input builds the checkup's input from the profile (loaded as `run --profile` loads it),
// its app settings or --settings, the environment and --secrets-stdin.
func (f *checkFlags) input(env *Env) (checkup.Input, error) {
	in := checkup.Input{Profile: f.profile, Browser: f.browser, SiteURL: f.site, Version: Version}
	req := &in.Request
	p, err := loadStoredProfile(env, &f.profiles, f.profile, req)
	if err != nil {
		return in, fmt.Errorf("profile %q: %w", f.profile, err)
	}
	req.Flow = "" // the checkup runs every flow
	secretsFromEnv(env, req)
	if f.secretsStdin {
		if err := readSecrets(env.Stdin, req); err != nil {
			return in, err
		}
	}
	req.Options = f.opts // OpenBrowser nil: the system browser
	if checkHook != nil {
		checkHook(&req.Options)
	}
	if f.settings != "" {
		s, err := loadSettingsFile(f.settings)
		if err != nil {
			return in, err
		}
		in.Settings = &s
		return in, nil
	}
	if len(p.App.Settings) > 0 {
		s, err := connectedapp.ParseSettingsJSON(p.App.Settings)
		if err != nil {
			return in, fmt.Errorf("profile %q: its app settings cannot be read (%v); fix them in the window's App settings tab, or pass --settings FILE", f.profile, err)
		}
		in.Settings = &s
	}
	return in, nil
}

// checkProgress prints one line per step: when it starts, and when it ends with its result.
func checkProgress(w io.Writer, r checkup.Row) {
	if r.Status == checkup.Running {
		fmt.Fprintf(w, "· %s ...\n", r.Name())
		return
	}
	line := fmt.Sprintf("· %s: %s", r.Name(), r.Status)
	if r.Detail != "" {
		line += ": " + r.Detail
	}
	if r.DurationMS > 0 {
		line += fmt.Sprintf(" (%.0f ms)", r.DurationMS)
	}
	fmt.Fprintln(w, oneLine(line))
}

// checkOut is --out: a temporary file (0600) beside the target, renamed over it once the
// whole report is written, so that the file is never seen half-written.
type checkOut struct {
	path string
	tmp  *os.File
	done bool
}

func createCheckOut(path string) (*checkOut, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("--out %s is a %s, not a file; name a file, e.g. --out checkup.md", path, checkKind(st.Mode()))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("--out %s: cannot write there (%v); choose a file in a directory you can write", path, err)
	}
	return &checkOut{path: path, tmp: tmp}, nil
}

func checkKind(m fs.FileMode) string {
	if m.IsDir() {
		return "directory"
	}
	return "special file"
}

func (o *checkOut) commit(b []byte) error {
	_, err := o.tmp.Write(b)
	if err == nil {
		err = o.tmp.Sync()
	}
	if cerr := o.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(o.tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if err != nil {
		return fmt.Errorf("--out %s: the report could not be written (%v); %s is unchanged", o.path, err, o.path)
	}
	o.done = true
	return nil
}

// abort removes the temporary file unless commit renamed it.
func (o *checkOut) abort() {
	if o.done {
		return
	}
	o.tmp.Close()
	os.Remove(o.tmp.Name())
}
