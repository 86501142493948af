package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

func appCommand() *Command {
	return &Command{Name: "app", Summary: "lint, generate or read a Connected App or External Client App", Run: appCmd}
}

const appUsage = `usage:
  connectedapplab app lint --flow F --callback-url U --scopes 'a b' [--login-url U] (--settings FILE.json | --metadata DIR-or-FILE) [--json]
  connectedapplab app generate --kind connected|external --name N --callback-url U --scopes 'a b' --contact-email E [--out DIR] [--json]
  connectedapplab app read --instance-url U --access-token-stdin --name N [--kind connected|external] [lint flags] [--json]

lint exits 0 when there are no errors and 1 when there are; it never stops you from running the flow anyway.
`

func appCmd(ctx context.Context, env *Env) int {
	sub, args, code, ok := subcommand(env, appUsage)
	if !ok {
		return code
	}
	switch sub {
	case "lint":
		return appLint(env, args)
	case "generate":
		return appGenerate(env, args)
	case "read":
		return appRead(ctx, env, args)
	}
	fmt.Fprintf(env.Stderr, "app: unknown subcommand %q; use lint, generate or read\n", sub)
	return 2
}

// profileFlags are the flags describing what the user is about to run.
type profileFlags struct {
	env                                      *Env // its flow catalogue
	flow, callback, scopes, loginURL, secret string
	expectIDToken                            bool
	expectSession                            int
}

func (p *profileFlags) register(fs *flag.FlagSet, env *Env) {
	p.env = env
	fs.StringVar(&p.flow, "flow", "", "the `flow` you will run: "+env.flowNames())
	fs.StringVar(&p.callback, "callback-url", "", "the redirect `URL` your client sends")
	fs.StringVar(&p.scopes, "scopes", "", "the `scopes` your client requests, space-separated (none = all the app's scopes)")
	fs.StringVar(&p.loginURL, "login-url", "", "the login host `URL` (client credentials need the My Domain URL)")
	fs.StringVar(&p.secret, "secret", "", "whether your client sends the consumer secret: present or absent (default unknown)")
	fs.BoolVar(&p.expectIDToken, "expect-id-token", false, "you expect an id_token back")
	fs.IntVar(&p.expectSession, "expect-session", 0, "how many `minutes` you expect an idle access token to stay usable")
}

func (p *profileFlags) profile() (connectedapp.Profile, error) {
	if _, known := p.env.lookupFlow(flows.Flow(p.flow)); p.flow != "" && !known {
		return connectedapp.Profile{}, fmt.Errorf("--flow %q is not a flow; use one of: %s", p.flow, p.env.flowNames())
	}
	if p.expectSession < 0 {
		return connectedapp.Profile{}, fmt.Errorf("--expect-session %d: give the minutes you expect an idle token to last (0: no expectation)", p.expectSession)
	}
	if err := checkURLFlag("--callback-url", p.callback, "https", "http"); err != nil {
		return connectedapp.Profile{}, err
	}
	if err := checkURLFlag("--login-url", p.loginURL, "https", "http"); err != nil {
		return connectedapp.Profile{}, err
	}
	pr := connectedapp.Profile{Flow: flows.Flow(p.flow), CallbackURL: p.callback, LoginURL: p.loginURL,
		Scopes: connectedapp.NormalizeScopes([]string{p.scopes}), ExpectIDToken: p.expectIDToken, ExpectSessionMinutes: p.expectSession}
	switch strings.ToLower(p.secret) {
	case "":
	case "present", "yes", "true":
		pr.HasSecret = boolPtr(true)
	case "absent", "no", "false", "none":
		pr.HasSecret = boolPtr(false)
	default:
		return pr, fmt.Errorf("--secret %q: use present or absent", p.secret)
	}
	return pr, nil
}

// loadSettingsFile reads a settings JSON file the user named (checked and capped).
func loadSettingsFile(path string) (connectedapp.Settings, error) {
	b, err := userfile.Read(path, "the settings file", userfile.DocumentLimit)
	if err != nil {
		return connectedapp.Settings{}, fmt.Errorf("--settings: %w", err)
	}
	return connectedapp.ParseSettingsJSON(b)
}

// loadMetadata reads the app's metadata: a folder connectedapp walks, or one file, which must
// be a regular file under connectedapp's own 4 MiB cap (checked here first: connectedapp reads
// the path itself).
func loadMetadata(path string) (connectedapp.Settings, error) {
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		if err := userfile.Stat(path, "the metadata file", userfile.DocumentLimit); err != nil {
			return connectedapp.Settings{}, fmt.Errorf("--metadata: %w", err)
		}
	}
	return connectedapp.LoadMetadata(path)
}

func boolPtr(b bool) *bool { return &b }

func newFlagSet(name string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet("app "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, appUsage)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string, env *Env) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "%s: unexpected argument %q; values go after their flag (quote lists: --scopes 'api refresh_token')\n", fs.Name(), fs.Arg(0))
		return false
	}
	return true
}

// lintReport is the --json output of lint and read.
type lintReport struct {
	App      *appRef                `json:"app,omitempty"`
	Settings *connectedapp.Settings `json:"settings,omitempty"`
	Profile  connectedapp.Profile   `json:"profile"`
	Findings []connectedapp.Finding `json:"findings"`
	Errors   int                    `json:"errors"`
	Warnings int                    `json:"warnings"`
	Infos    int                    `json:"infos"`
}

type appRef struct {
	Kind connectedapp.Kind `json:"kind"`
	Name string            `json:"name"`
}

func appLint(env *Env, args []string) int {
	fs := newFlagSet("lint", env)
	var pf profileFlags
	pf.register(fs, env)
	settingsFile := fs.String("settings", "", "the app's settings as a JSON `file` (connectedapp.Settings)")
	metadata := fs.String("metadata", "", "the app's metadata: a .connectedApp-meta.xml or .eca*-meta.xml file, or a project `folder`")
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	readiness := fs.Bool("readiness", false, "also list what dated Salesforce platform changes (retirements, new limits) break in this profile and app, and when")
	if !parseFlags(fs, args, env) {
		return 2
	}
	if (*settingsFile == "") == (*metadata == "") {
		fmt.Fprintln(env.Stderr, "app lint: pass the app's settings with exactly one of --settings FILE.json or --metadata DIR-or-FILE")
		return 2
	}
	if pf.flow == "" {
		fmt.Fprintln(env.Stderr, "app lint: pass --flow, one of: "+env.flowNames())
		return 2
	}
	prof, err := pf.profile()
	if err != nil {
		fmt.Fprintf(env.Stderr, "app lint: %v\n", err)
		return 2
	}
	var s connectedapp.Settings
	if *settingsFile != "" {
		s, err = loadSettingsFile(*settingsFile)
	} else {
		s, err = loadMetadata(*metadata)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "app lint: %v\n", err)
		return ExitUsage
	}
	return printLint(env, s, prof, lintOutput{asJSON: *asJSON, readiness: *readiness})
}

// lintOutput says what printLint adds to the findings.
type lintOutput struct {
	asJSON       bool
	withSettings bool // the settings read from the org go into the JSON
	readiness    bool // the platform readiness findings join the lint findings
}

// printLint prints findings and returns the exit code: 1 when there are errors.
func printLint(env *Env, s connectedapp.Settings, prof connectedapp.Profile, o lintOutput) int {
	findings := connectedapp.LintIn(env.catalog(), prof, s, time.Now())
	if o.readiness {
		findings = connectedapp.LintWithReadiness(prof, s, time.Now())
	}
	e, w, i := connectedapp.Count(findings)
	code := 0
	if e > 0 {
		code = 1
	}
	if o.asJSON {
		rep := lintReport{App: &appRef{Kind: s.Kind, Name: s.Name}, Profile: prof, Findings: findings, Errors: e, Warnings: w, Infos: i}
		if rep.Findings == nil {
			rep.Findings = []connectedapp.Finding{}
		}
		if o.withSettings {
			rep.Settings = &s
		}
		writeJSON(env.Stdout, rep)
		return code
	}
	out := env.Stdout
	for _, f := range findings {
		fmt.Fprintf(out, "%-7s %s: %s\n", f.Severity, f.Code, f.Problem)
		fmt.Fprintf(out, "        cause: %s\n", f.Cause)
		fmt.Fprintf(out, "        fix:   %s\n", f.Fix)
		if f.SetupPath != "" {
			fmt.Fprintf(out, "        setup: %s\n", f.SetupPath)
		}
		if f.MetadataField != "" {
			fmt.Fprintf(out, "        field: %s\n", f.MetadataField)
		}
		if f.WireError != "" {
			fmt.Fprintf(out, "        Salesforce says: %s\n", f.WireError)
		}
		if f.Source != nil && !f.Source.IsZero() {
			fmt.Fprintf(out, "        source: %s\n", f.Source)
		}
	}
	what := string(prof.Flow)
	if what == "" {
		what = "any flow"
	}
	name := s.Name
	if name == "" {
		name = "the app"
	}
	summary := fmt.Sprintf("%s (%s) for %s: %s, %s, %s", name, kindLabel(s.Kind), what, plural(e, "error"), plural(w, "warning"), plural(i, "note"))
	if e > 0 {
		summary += "; fix the errors above, or run the flow anyway to see Salesforce's answer"
	}
	fmt.Fprintln(out, summary)
	return code
}

func kindLabel(k connectedapp.Kind) string {
	if k == connectedapp.External {
		return "External Client App"
	}
	return "Connected App"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// listFlag collects a repeatable flag whose values may also be space- or comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

func appGenerate(env *Env, args []string) int {
	fs := newFlagSet("generate", env)
	kind := fs.String("kind", "external", "app `kind`: connected or external (new Connected Apps are restricted since Spring '26)")
	name := fs.String("name", "", "the app's API `name` (letters, digits, underscores)")
	label := fs.String("label", "", "the app's `label` (default: the name)")
	email := fs.String("contact-email", "", "the app's contact `email` (required by the metadata)")
	var callbacks, scopes listFlag
	fs.Var(&callbacks, "callback-url", "a callback `URL` (repeat for several)")
	fs.Var(&scopes, "scopes", "OAuth `scopes`, space-separated, e.g. 'api refresh_token openid'")
	settingsFile := fs.String("settings", "", "start from this settings JSON `file`; the flags above override it")
	runAs := fs.String("run-as", "", "enable client credentials with this Run As `username` (API Only user)")
	certFile := fs.String("certificate", "", "PEM certificate `file` for the JWT bearer flow")
	out := fs.String("out", "", "output `folder` (default ./NAME)")
	apiVersion := fs.String("api-version", connectedapp.APIVersion, "Metadata API `version`")
	withSecret := fs.Bool("include-consumer-secret", false, "read a consumer secret from stdin and write it into the files (settable only when the app is created; keep the files private)")
	asJSON := fs.Bool("json", false, "print what was written as JSON")
	if !parseFlags(fs, args, env) {
		return 2
	}
	k, err := connectedapp.ParseKind(*kind)
	if err != nil {
		fmt.Fprintf(env.Stderr, "app generate: --kind: %v\n", err)
		return 2
	}
	s := connectedapp.NewSettings(k, *name)
	if *settingsFile != "" {
		if s, err = loadSettingsFile(*settingsFile); err != nil {
			fmt.Fprintf(env.Stderr, "app generate: %v\n", err)
			return ExitUsage
		}
		s.Kind = k
		if *name != "" {
			s.Name = *name
		}
	}
	if s.Name == "" {
		fmt.Fprintln(env.Stderr, "app generate: pass --name, the app's API name (e.g. My_Lab_App)")
		return 2
	}
	if *label != "" {
		s.Label = *label
	} else if s.Label == "" {
		s.Label = s.Name
	}
	if *email != "" {
		s.ContactEmail = *email
	}
	if len(callbacks) > 0 {
		s.CallbackURLs = nil
		for _, c := range callbacks {
			s.CallbackURLs = append(s.CallbackURLs, strings.Fields(c)...)
		}
	}
	if len(scopes) > 0 {
		s.Scopes = connectedapp.NormalizeScopes(scopes)
	}
	if *runAs != "" {
		s.ClientCredentialsEnabled, s.ClientCredentialsUser = true, *runAs
	}
	if *certFile != "" {
		b, err := userfile.Read(*certFile, "the certificate", userfile.KeyLimit)
		if err != nil {
			fmt.Fprintf(env.Stderr, "app generate: --certificate: %v\n", err)
			return ExitUsage
		}
		if !strings.Contains(string(b), "BEGIN CERTIFICATE") {
			fmt.Fprintf(env.Stderr, "app generate: --certificate %s is not a PEM certificate (never pass the private key)\n", *certFile)
			return 2
		}
		s.Certificate = strings.TrimSpace(string(b))
	}
	if s.ContactEmail == "" {
		fmt.Fprintln(env.Stderr, "app generate: pass --contact-email (the metadata requires a contact email)")
		return 2
	}
	opt := connectedapp.GenerateOptions{APIVersion: *apiVersion}
	if *withSecret {
		secret, err := readStdinLine(env, "--include-consumer-secret")
		if err != nil && !errors.Is(err, io.EOF) {
			fmt.Fprintf(env.Stderr, "app generate: %v\n", err)
			return ExitUsage
		}
		if secret == "" {
			fmt.Fprintln(env.Stderr, "app generate: --include-consumer-secret reads the secret from stdin, and stdin was empty")
			return ExitUsage
		}
		opt.MetadataOptions = connectedapp.MetadataOptions{IncludeConsumerSecret: true, ConsumerSecret: secret}
	}
	proj, err := connectedapp.Generate(s, opt)
	if err != nil { // the settings cannot be written as metadata: the input must change
		fmt.Fprintf(env.Stderr, "app generate: %v\n", err)
		return ExitUsage
	}
	dir := *out
	if dir == "" {
		dir = s.Name
	}
	if err := proj.Write(dir); err != nil {
		fmt.Fprintf(env.Stderr, "app generate: %v\n", err)
		return 1
	}
	var paths []string
	for _, f := range proj.Files {
		paths = append(paths, filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(f.Path))))
	}
	if *asJSON {
		writeJSON(env.Stdout, struct {
			Kind  connectedapp.Kind `json:"kind"`
			Name  string            `json:"name"`
			Dir   string            `json:"dir"`
			Files []string          `json:"files"`
			Notes []string          `json:"notes"`
		}{s.Kind, s.Name, dir, paths, proj.Notes})
		return 0
	}
	fmt.Fprintf(env.Stdout, "Wrote the %s %s as an SFDX project in %s:\n", kindLabel(s.Kind), s.Name, dir)
	for _, p := range paths {
		fmt.Fprintf(env.Stdout, "  %s\n", p)
	}
	for _, n := range proj.Notes {
		fmt.Fprintf(env.Stdout, "Note: %s\n", n)
	}
	fmt.Fprintf(env.Stdout, "Deploy: cd %s && sf project deploy start --manifest manifest/package.xml --target-org YOUR_ORG\n", dir)
	return 0
}

func readStdinLine(env *Env, what string) (string, error) {
	if env.Stdin == nil {
		return "", errors.New("no stdin")
	}
	sc := bufio.NewScanner(env.Stdin)
	sc.Buffer(make([]byte, 0, 4<<10), maxSecretLine)
	if !sc.Scan() {
		if err := scanError(sc.Err(), what, "the first line", maxSecretLine, "pipe the value alone on one line"); err != nil {
			return "", err
		}
		return "", io.EOF
	}
	return strings.TrimSpace(sc.Text()), nil
}

func appRead(ctx context.Context, env *Env, args []string) int {
	fs := newFlagSet("read", env)
	instance := fs.String("instance-url", "", "the org's `URL` (the token response's instance_url)")
	tokenStdin := fs.Bool("access-token-stdin", false, "read an admin's access token from stdin (first line)")
	name := fs.String("name", "", "the app's API `name`")
	kind := fs.String("kind", "", "app `kind`: connected or external (default: try both)")
	timeout := fs.Duration("timeout", 30*time.Second, "per-request `timeout`")
	var pf profileFlags
	pf.register(fs, env)
	asJSON := fs.Bool("json", false, "print the settings and findings as JSON")
	readiness := fs.Bool("readiness", false, "also list what dated Salesforce platform changes break in this profile and app, and when")
	if !parseFlags(fs, args, env) {
		return 2
	}
	if *instance == "" || *name == "" || !*tokenStdin {
		fmt.Fprintln(env.Stderr, "app read: pass --instance-url, --name and --access-token-stdin (the token is read from stdin, never from a flag)")
		return 2
	}
	if err := checkURLFlag("--instance-url", *instance, "https", "http"); err != nil {
		fmt.Fprintf(env.Stderr, "app read: %v\n", err)
		return ExitUsage
	}
	if err := checkDuration("--timeout", *timeout, maxRequestTimeout); err != nil {
		fmt.Fprintf(env.Stderr, "app read: %v\n", err)
		return ExitUsage
	}
	var k connectedapp.Kind
	if *kind != "" {
		var err error
		if k, err = connectedapp.ParseKind(*kind); err != nil {
			fmt.Fprintf(env.Stderr, "app read: --kind: %v\n", err)
			return 2
		}
	}
	prof, err := pf.profile()
	if err != nil {
		fmt.Fprintf(env.Stderr, "app read: %v\n", err)
		return 2
	}
	token, err := readStdinLine(env, "--access-token-stdin")
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(env.Stderr, "app read: %v\n", err)
		return ExitUsage
	}
	if token == "" {
		fmt.Fprintln(env.Stderr, "app read: --access-token-stdin: stdin was empty; pipe the access token in")
		return ExitUsage
	}
	r := &connectedapp.Reader{InstanceURL: *instance, AccessToken: token, Timeout: *timeout}
	s, err := r.Read(ctx, k, *name)
	if err != nil {
		fmt.Fprintf(env.Stderr, "app read: %v\n", err)
		return 1
	}
	if !*asJSON {
		printSettings(env.Stdout, s)
		fmt.Fprintln(env.Stdout)
	}
	return printLint(env, s, prof, lintOutput{asJSON: *asJSON, withSettings: true, readiness: *readiness})
}

func printSettings(w io.Writer, s connectedapp.Settings) {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	device := "unknown (not in ConnectedApp metadata)"
	if s.DeviceFlowEnabled != nil {
		device = yn(*s.DeviceFlowEnabled)
	}
	rows := [][2]string{
		{"app", fmt.Sprintf("%s (%s), label %q", s.Name, kindLabel(s.Kind), s.Label)},
		{"callback URLs", strings.Join(s.CallbackURLs, " ")},
		{"scopes", strings.Join(s.Scopes, " ")},
		{"secret required", fmt.Sprintf("web server %s, refresh %s, token exchange %s", yn(!s.ConsumerSecretOptional), yn(s.SecretRequiredForRefreshToken), yn(s.SecretRequiredForTokenExchange))},
		{"PKCE required", yn(s.PKCERequired)},
		{"client credentials", fmt.Sprintf("%s, run as %q", yn(s.ClientCredentialsEnabled), s.ClientCredentialsUser)},
		{"device flow", device},
		{"code and credentials", yn(s.CodeCredentialEnabled)},
		{"token exchange", yn(s.TokenExchangeEnabled)},
		{"permitted users", fmt.Sprintf("%s; profiles %v; permission sets %v", s.PermittedUsers, s.Profiles, s.PermissionSets)},
		{"IP relaxation", s.IPRelaxation},
		{"refresh token policy", fmt.Sprintf("%s, rotation %s", s.RefreshTokenPolicy, yn(s.RefreshTokenRotation))},
		{"session timeout", minutesOr(s.SessionTimeoutMinutes, "not set on the app (profile, then org Session Settings)")},
		{"ID token validity", minutesOr(s.IDTokenValidityMinutes, "default (2 minutes)")},
		{"JWT access tokens", yn(s.NamedUserJWT)},
		{"certificate", yn(s.Certificate != "")},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %-21s %s\n", r[0], r[1])
	}
}

func minutesOr(m int, def string) string {
	if m <= 0 {
		return def
	}
	return fmt.Sprintf("%d minutes", m)
}
