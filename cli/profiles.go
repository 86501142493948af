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
	"strconv"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
	"github.com/connectedapplab/connectedapplab/store"
)

func profilesCommand() *Command {
	return &Command{Name: "profiles", Summary: "list, show, add, remove, export and import profiles (secrets stay in the OS keychain)", Run: profilesCmd}
}

// profilesKeychain is the keychain used without --memory-secrets; tests replace it.
var profilesKeychain = store.SystemKeychain

const profilesUsage = `usage: connectedapplab profiles [--config-dir DIR] [--memory-secrets] COMMAND [flags]

commands:
  list [--json]                         the profiles: name, login host, flow, client ID, username
  show NAME [--json]                    one profile and which secrets the keychain holds (never their values)
  add NAME --login-url URL --client-id ID [--callback-url URL] [--flow FLOW] [--scopes "api refresh_token"]
           [--username U] [--kind connected-app|external-client-app] [--client-secret-stdin] [--password-stdin] ...
                                        add a profile; secrets come from stdin or a prompt, never from flags
  rm NAME...                            remove profiles and their secrets
  export [NAME...] [--out FILE]         profiles as JSON without secrets, for sharing with a team
  import FILE [--replace] [--name NAME] an export, or the output of ` + "`sf org display --verbose --json`" + ` (FILE - reads stdin)

global flags (before or after COMMAND):
  --config-dir DIR     where profiles.json lives (default: the user config dir's connectedapplab folder)
  --memory-secrets     keep secrets in memory for this run only, when the OS keychain is unavailable

Run ` + "`connectedapplab profiles COMMAND -h`" + ` for a command's flags.
`

type profilesGlobal struct {
	configDir string
	memory    bool
	opened    *store.Store // profilesOpen's store: one command opens the store once
}

func (g *profilesGlobal) register(fs *flag.FlagSet) {
	fs.StringVar(&g.configDir, "config-dir", g.configDir, "`directory` of profiles.json (default: user config dir/connectedapplab)")
	fs.BoolVar(&g.memory, "memory-secrets", g.memory, "keep secrets in memory for this run only (the OS keychain is not used)")
}

func profilesCmd(ctx context.Context, env *Env) int {
	var g profilesGlobal
	fs := flag.NewFlagSet("profiles", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	g.register(fs)
	fs.Usage = func() { io.WriteString(env.Stderr, profilesUsage) }
	if err := fs.Parse(env.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		io.WriteString(env.Stderr, profilesUsage)
		return 2
	}
	sub, rest := fs.Arg(0), fs.Args()[1:]
	run := map[string]func(*Env, *profilesGlobal, []string) int{
		"list": profilesList, "ls": profilesList,
		"show":   profilesShow,
		"add":    profilesAdd,
		"rm":     profilesRm,
		"remove": profilesRm,
		"export": profilesExport,
		"import": profilesImport,
	}[sub]
	if run == nil {
		if sub == "help" {
			io.WriteString(env.Stdout, profilesUsage)
			return 0
		}
		fmt.Fprintf(env.Stderr, "profiles: unknown command %q; use list, show, add, rm, export or import\n", sub)
		return 2
	}
	return run(env, &g, rest)
}

// profilesParse parses flags that may come before, between or after positional arguments.
// It returns the positional arguments, or an exit code (0 for -h, 2 for a usage error).
func profilesParse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0, false
			}
			return nil, 2, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func profilesFlagSet(env *Env, g *profilesGlobal, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("profiles "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	g.register(fs)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: connectedapplab profiles %s\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// profilesOpen opens the store g names, once: a command that reads several profiles (diagnose
// and its admin profile) or saves a rotated refresh token after reading gets the same store,
// and --memory-secrets' notice and keychain come once.
func profilesOpen(env *Env, g *profilesGlobal) (*store.Store, error) {
	if g.opened != nil {
		return g.opened, nil
	}
	dir := g.configDir
	if dir == "" {
		var err error
		if dir, err = store.DefaultDir(); err != nil {
			return nil, err
		}
	}
	var kc store.Keychain
	if g.memory {
		kc = store.MemoryKeychain()
		fmt.Fprintf(env.Stderr, "profiles: --memory-secrets: %s\n", store.MemoryNotice)
	} else {
		kc = profilesKeychain()
	}
	st, err := store.OpenWithFlows(dir, kc, env.catalog(), func(sp flows.Spec) string { return string(sp.Flow) })
	if err != nil {
		return nil, err
	}
	g.opened = st
	return st, nil
}

// profilesFail prints err on one line and returns its exit code: ExitUsage for bad input (an
// unknown profile, a taken name, an invalid profile or import), else ExitFailed.
func profilesFail(env *Env, err error) int {
	fmt.Fprintf(env.Stderr, "profiles: %s\n", strings.Join(strings.Fields(err.Error()), " "))
	return exitCode(err, ExitFailed)
}

// profilesUsageError is a mistake in what the user gave on stdin or in flags.
func profilesUsageError(env *Env, err error) int {
	profilesFail(env, err)
	return ExitUsage
}

func profilesList(env *Env, g *profilesGlobal, args []string) int {
	fs := profilesFlagSet(env, g, "list", "list [--json]")
	asJSON := fs.Bool("json", false, "print the profiles as a JSON array")
	pos, code, ok := profilesParse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(env.Stderr, "profiles list: unexpected argument %q; to see one profile use `profiles show NAME`\n", pos[0])
		return 2
	}
	s, err := profilesOpen(env, g)
	if err != nil {
		return profilesFail(env, err)
	}
	ps, err := s.List()
	if err != nil {
		return profilesFail(env, err)
	}
	if *asJSON {
		if ps == nil {
			ps = []store.Profile{}
		}
		return profilesPrintJSON(env, ps)
	}
	if len(ps) == 0 {
		fmt.Fprintf(env.Stdout, "No profiles yet in %s. Add one with `connectedapplab profiles add NAME --login-url URL --client-id ID`, or import one with `connectedapplab profiles import FILE`.\n", s.Dir())
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tLOGIN HOST\tFLOW\tCLIENT ID\tUSERNAME")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, profilesDash(strings.TrimPrefix(p.LoginURL, "https://")),
			profilesDash(p.Flow), profilesDash(profilesShort(p.ClientID)), profilesDash(p.Username))
	}
	tw.Flush()
	return 0
}

func profilesDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// profilesShort abbreviates a long client ID for the table (`show` prints it whole).
func profilesShort(id string) string {
	if len(id) <= 24 {
		return id
	}
	return id[:12] + "…" + id[len(id)-6:]
}

func profilesPrintJSON(env *Env, v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return profilesFail(env, err)
	}
	fmt.Fprintf(env.Stdout, "%s\n", b)
	return 0
}

func profilesShow(env *Env, g *profilesGlobal, args []string) int {
	fs := profilesFlagSet(env, g, "show", "show NAME [--json]")
	asJSON := fs.Bool("json", false, "print the profile and its secrets' status as JSON")
	pos, code, ok := profilesParse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, "profiles show: give one profile NAME; `profiles list` shows the names")
		return 2
	}
	s, err := profilesOpen(env, g)
	if err != nil {
		return profilesFail(env, err)
	}
	p, err := s.Get(pos[0])
	if err != nil {
		return profilesFail(env, err)
	}
	stored, kerr := s.StoredSecrets(p)
	status := map[string]string{}
	where := "stored in keychain"
	if g.memory {
		where = "stored in memory" // cannot happen in a fresh run, kept for honesty
	}
	for _, k := range store.SecretKinds {
		status[string(k)] = "not stored"
	}
	for _, k := range stored {
		status[string(k)] = where
	}
	if *asJSON {
		out := struct {
			Profile      store.Profile     `json:"profile"`
			Secrets      map[string]string `json:"secrets,omitempty"`
			SecretsError string            `json:"secrets_error,omitempty"`
		}{Profile: p}
		if kerr != nil {
			out.SecretsError = kerr.Error()
		} else if !g.memory {
			out.Secrets = status
		}
		if c := profilesPrintJSON(env, out); c != 0 {
			return c
		}
		if kerr != nil {
			return profilesFail(env, kerr)
		}
		return 0
	}
	w := env.Stdout
	line := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-22s %s\n", label, v)
		}
	}
	fmt.Fprintf(w, "Profile %q\n", p.Name)
	line("id", p.ID)
	line("login host", p.LoginURL+" ("+p.LoginHostKind()+")")
	line("My Domain", p.MyDomainURL)
	line("app kind", profilesKindLabel(p.AppKind))
	line("client ID", p.ClientID)
	line("callback URL", p.CallbackURL)
	line("flow", profilesDash(p.Flow))
	line("scopes", strings.Join(p.Scopes, " "))
	line("username", p.Username)
	switch {
	case p.JWTKeyInKeychain:
		line("JWT private key", "held in the keychain")
	case p.JWTKeyFile != "":
		line("JWT private key", "file "+p.JWTKeyFile)
	}
	if p.RememberRefreshToken {
		line("refresh tokens", "the last one is remembered in the keychain")
	} else {
		line("refresh tokens", "never stored (opt in per profile to remember the last one)")
	}
	line("app session timeout", profilesTimeout(p.App.SessionTimeoutMinutes))
	line("refresh token policy", profilesPolicy(p.App))
	line("PKCE required", profilesTriState(p.App.PKCERequired))
	if p.Notes != "" {
		line("notes", strings.ReplaceAll(p.Notes, "\n", "\n"+strings.Repeat(" ", 25)))
	}
	fmt.Fprintln(w, "Secrets:")
	switch {
	case kerr != nil:
		fmt.Fprintln(w, "  unknown: the keychain could not be read (see the error below)")
		return profilesFail(env, kerr)
	case g.memory:
		fmt.Fprintln(w, "  not read: running with --memory-secrets, so the OS keychain was not consulted")
		return 0
	}
	for _, k := range store.SecretKinds {
		fmt.Fprintf(w, "  %s: %s\n", k.Label(), status[string(k)])
	}
	return 0
}

func profilesKindLabel(k store.AppKind) string {
	switch k {
	case store.ExternalClientApp:
		return "External Client App"
	case store.ConnectedApp:
		return "Connected App"
	}
	return string(k)
}

func profilesTimeout(m *int) string {
	switch {
	case m == nil:
		return "unknown"
	case *m == 0:
		return "none set on the app (the user's profile or the org's Session Settings apply)"
	}
	return fmt.Sprintf("%d minutes", *m)
}

func profilesPolicy(a store.AppSettings) string {
	n := ""
	if a.RefreshTokenValidity > 0 {
		n = fmt.Sprintf(" %d %s", a.RefreshTokenValidity, profilesDash(a.RefreshTokenValidityUnit))
	}
	switch a.RefreshTokenPolicy {
	case store.RefreshUntilRevoked:
		return "valid until revoked"
	case store.RefreshImmediatelyExpire:
		return "immediately expire"
	case store.RefreshExpireAfter:
		return "expire after" + n
	case store.RefreshExpireIfUnused:
		return "expire if not used for" + n
	}
	return "unknown"
}

func profilesTriState(b *bool) string {
	switch {
	case b == nil:
		return "unknown"
	case *b:
		return "yes"
	}
	return "no"
}

// profilesSecretFlag is a secret that `add` reads from stdin (or a no-echo prompt).
type profilesSecretFlag struct {
	kind store.SecretKind
	flag string
	on   *bool
}

func profilesAdd(env *Env, g *profilesGlobal, args []string) int {
	fs := profilesFlagSet(env, g, "add", "add NAME --login-url URL --client-id ID [flags]")
	loginURL := fs.String("login-url", "https://login.salesforce.com", "login host `URL`: https://login.salesforce.com, https://test.salesforce.com, a My Domain URL, or the emulator's URL")
	myDomain := fs.String("my-domain-url", "", "the org's My Domain `URL` (client credentials need it)")
	clientID := fs.String("client-id", "", "the app's client ID (Consumer Key)")
	callback := fs.String("callback-url", "", "the app's callback `URL`, exactly as configured (port and path included)")
	flowName := fs.String("flow", "", "flow to run: "+env.flowNames())
	scopes := fs.String("scopes", "", "scopes, separated by spaces or commas, e.g. \"api refresh_token\"")
	username := fs.String("username", "", "Salesforce username")
	kind := fs.String("kind", string(store.ConnectedApp), "app kind: connected-app or external-client-app")
	keyFile := fs.String("jwt-key-file", "", "`path` of the PEM private key for the JWT bearer flow")
	notes := fs.String("notes", "", "free notes")
	timeout := fs.Int("session-timeout", -1, "the app's session Timeout Value in `minutes` (0: none set on the app; -1: unknown)")
	policy := fs.String("refresh-token-policy", "", "the app's refresh token policy: infinite, zero, specific_lifetime, specific_inactivity")
	validity := fs.Int("refresh-token-validity", 0, "`N` for specific_lifetime / specific_inactivity")
	unit := fs.String("refresh-token-validity-unit", "", "unit of --refresh-token-validity: hours, days or months")
	pkce := fs.String("pkce-required", "unknown", "whether the app requires PKCE: yes, no or unknown")
	remember := fs.Bool("remember-refresh-token", false, "keep the last refresh token of this profile in the keychain")
	secrets := []profilesSecretFlag{
		{kind: store.SecretClientSecret, flag: "client-secret"},
		{kind: store.SecretPassword, flag: "password"},
		{kind: store.SecretSecurityToken, flag: "security-token"},
		{kind: store.SecretKeyPassphrase, flag: "key-passphrase"},
	}
	for i := range secrets {
		sf := &secrets[i]
		sf.on = fs.Bool(sf.flag+"-stdin", false, "read the "+sf.kind.Label()+" from stdin (one line), or prompt without echo on a terminal")
	}
	privateKey := fs.Bool("private-key-stdin", false, "read a PEM JWT private key from the rest of stdin and hold it in the keychain")
	var leaked []string
	for _, name := range []string{"client-secret", "password", "security-token", "key-passphrase", "refresh-token", "private-key"} {
		fs.Func(name, "not accepted: a secret in a flag ends up in your shell history", func(string) error {
			leaked = append(leaked, name)
			return nil
		})
	}
	pos, code, ok := profilesParse(fs, args)
	if !ok {
		return code
	}
	if len(leaked) > 0 && leaked[0] == "refresh-token" {
		fmt.Fprintln(env.Stderr, "profiles add: refresh tokens are never given on the command line; add --remember-refresh-token and a run keeps the last one in the keychain")
		return 2
	}
	if len(leaked) > 0 {
		fmt.Fprintf(env.Stderr, "profiles add: --%s would leave the secret in your shell history; use --%s-stdin instead (it reads stdin, or prompts without echo)\n", leaked[0], leaked[0])
		return 2
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, "profiles add: give one profile NAME, then flags, e.g. `profiles add prod --login-url https://login.salesforce.com --client-id 3MVG9...`")
		return 2
	}
	p := store.Profile{
		Name: pos[0], LoginURL: *loginURL, MyDomainURL: *myDomain, AppKind: store.AppKind(*kind),
		ClientID: *clientID, CallbackURL: *callback, Flow: *flowName, Username: *username,
		JWTKeyFile: *keyFile, JWTKeyInKeychain: *privateKey, RememberRefreshToken: *remember, Notes: *notes,
	}
	p.Scopes = strings.FieldsFunc(*scopes, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
	if *timeout < -1 {
		fmt.Fprintf(env.Stderr, "profiles add: --session-timeout %d: use the app's Timeout Value in minutes, 0 for none set on the app, or -1 for unknown\n", *timeout)
		return ExitUsage
	}
	if *timeout >= 0 {
		p.App.SessionTimeoutMinutes = timeout
	}
	p.App.RefreshTokenPolicy = store.RefreshTokenPolicy(*policy)
	p.App.RefreshTokenValidity = *validity
	p.App.RefreshTokenValidityUnit = *unit
	switch strings.ToLower(*pkce) {
	case "yes", "true":
		t := true
		p.App.PKCERequired = &t
	case "no", "false":
		f := false
		p.App.PKCERequired = &f
	case "unknown", "":
	default:
		fmt.Fprintf(env.Stderr, "profiles add: --pkce-required %q: use yes, no or unknown\n", *pkce)
		return 2
	}
	if _, known := env.lookupFlow(flows.Flow(p.Flow)); p.Flow != "" && !known {
		fmt.Fprintf(env.Stderr, "profiles add: profile %q: flow %q is unknown; use one of %s\n", p.Name, p.Flow, env.flowNames())
		return 2
	}
	if err := p.Validate(); err != nil {
		fmt.Fprintf(env.Stderr, "profiles add: %v\n", err)
		return 2
	}

	// Secrets first, before anything is saved.
	var sec store.Secrets
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	in := bufio.NewReaderSize(env.Stdin, maxSecretLine)
	for _, sf := range secrets {
		if !*sf.on {
			continue
		}
		v, err := profilesReadSecret(env, in, sf.kind.Label()+" for "+strconv.Quote(p.Name), "--"+sf.flag+"-stdin")
		if err != nil {
			return profilesUsageError(env, err)
		}
		sec.Set(sf.kind, v)
	}
	if *privateKey {
		pem, err := profilesReadPEM(env, in)
		if err != nil {
			return profilesUsageError(env, err)
		}
		sec.PrivateKeyPEM = pem
	}

	s, err := profilesOpen(env, g)
	if err != nil {
		return profilesFail(env, err)
	}
	kinds := sec.Kinds()
	if len(kinds) > 0 {
		if err := store.ProbeKeychain(s.Keychain()); err != nil {
			return profilesFail(env, fmt.Errorf("profile %q not added: %w", p.Name, err))
		}
	}
	saved, err := s.Add(p)
	if err != nil {
		return profilesFail(env, err)
	}
	if err := s.SetSecrets(saved, sec); err != nil {
		if rerr := s.Delete(saved.Name); rerr != nil {
			return profilesFail(env, fmt.Errorf("profile %q was saved but its secrets were not (%v), and removing it failed too: %v; run `connectedapplab profiles rm %s`", saved.Name, err, rerr, saved.Name))
		}
		return profilesFail(env, fmt.Errorf("profile %q not added: %w", p.Name, err))
	}
	fmt.Fprintf(env.Stdout, "Added profile %q (%s).\n", saved.Name, saved.ID)
	if len(kinds) > 0 {
		labels := make([]string, len(kinds))
		for i, k := range kinds {
			labels[i] = k.Label()
		}
		if g.memory {
			fmt.Fprintf(env.Stdout, "Kept in memory only, and forgotten as this command ends: %s.\n", strings.Join(labels, ", "))
		} else {
			fmt.Fprintf(env.Stdout, "Stored in the OS keychain: %s.\n", strings.Join(labels, ", "))
		}
	}
	return 0
}

// profilesReadSecret reads one secret: with a no-echo prompt when stdin is a terminal, else
// one line of stdin.
func profilesReadSecret(env *Env, in *bufio.Reader, what, flagName string) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(env.Stderr, "%s (input hidden): ", what)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read the %s: %w", what, err)
		}
		if len(b) == 0 {
			return "", fmt.Errorf("no %s typed; type it at the prompt, or leave out %s", what, flagName)
		}
		return string(b), nil
	}
	b, err := in.ReadSlice('\n') // in's buffer is maxSecretLine long: a longer line is ErrBufferFull
	if errors.Is(err, bufio.ErrBufferFull) {
		return "", fmt.Errorf("the %s on stdin (%s) is longer than %s; pipe the secret itself, one line per secret flag", what, flagName, userfile.Size(maxSecretLine))
	}
	line := strings.TrimRight(string(b), "\r\n")
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the %s from stdin: %w", what, err)
		}
		return "", fmt.Errorf("no %s on stdin (%s); pipe one line per secret flag, in the order client secret, password, security token, key passphrase", what, flagName)
	}
	return line, nil
}

func profilesReadPEM(env *Env, in *bufio.Reader) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintln(env.Stderr, "Paste the PEM private key, then press Ctrl-D:")
	}
	b, err := userfile.ReadCapped(in, "from stdin", "--private-key-stdin: the private key", maxSecretLine)
	if err != nil {
		return "", err
	}
	pem := strings.TrimSpace(string(b))
	if !strings.HasPrefix(pem, "-----BEGIN ") || !strings.Contains(pem, "PRIVATE KEY-----") {
		return "", errors.New("--private-key-stdin: stdin does not hold a PEM private key (-----BEGIN ... PRIVATE KEY-----); pipe the key file, e.g. `< server.key`")
	}
	return pem + "\n", nil
}

func profilesRm(env *Env, g *profilesGlobal, args []string) int {
	fs := profilesFlagSet(env, g, "rm", "rm NAME...")
	pos, code, ok := profilesParse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fmt.Fprintln(env.Stderr, "profiles rm: give the NAME of each profile to remove; `profiles list` shows them")
		return 2
	}
	s, err := profilesOpen(env, g)
	if err != nil {
		return profilesFail(env, err)
	}
	rc := 0
	for _, name := range pos {
		p, err := s.Get(name)
		if err == nil {
			err = s.Delete(p.Name)
		}
		if err != nil {
			rc = profilesFail(env, err)
			continue
		}
		if g.memory {
			fmt.Fprintf(env.Stdout, "Removed profile %q. Its secrets in the OS keychain, if any, were not deleted (--memory-secrets): delete the accounts starting with %q of service %q when the keychain is available.\n", p.Name, p.ID+":", store.ServiceName)
		} else {
			fmt.Fprintf(env.Stdout, "Removed profile %q and its secrets.\n", p.Name)
		}
	}
	return rc
}

func profilesExport(env *Env, g *profilesGlobal, args []string) int {
	fs := profilesFlagSet(env, g, "export", "export [NAME...] [--out FILE]")
	out := fs.String("out", "", "write to `FILE` instead of stdout")
	pos, code, ok := profilesParse(fs, args)
	if !ok {
		return code
	}
	s, err := profilesOpen(env, g)
	if err != nil {
		return profilesFail(env, err)
	}
	data, err := s.Export(pos...)
	if err != nil {
		return profilesFail(env, err)
	}
	if *out == "" || *out == "-" {
		env.Stdout.Write(data)
		return 0
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return profilesFail(env, fmt.Errorf("write the export: %w; choose a writable --out path", err))
	}
	var n struct{ Profiles []json.RawMessage }
	json.Unmarshal(data, &n)
	fmt.Fprintf(env.Stderr, "Exported %d profile(s) to %s, without secrets.\n", len(n.Profiles), *out)
	return 0
}

func profilesImport(env *Env, g *profilesGlobal, args []string) int {
	fs := profilesFlagSet(env, g, "import", "import FILE [--replace] [--name NAME]")
	replace := fs.Bool("replace", false, "replace profiles of the same name (they keep their secrets)")
	name := fs.String("name", "", "profile `name` for an org from `sf org display` (default: its alias, else its username)")
	pos, code, ok := profilesParse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, "profiles import: give one FILE (an export, or `sf org display --verbose --json` output; - for stdin)")
		return 2
	}
	var data []byte
	var err error
	if pos[0] == "-" && env.Stdin == nil {
		fmt.Fprintln(env.Stderr, "profiles import: - reads stdin, and there is none; give a FILE")
		return ExitUsage
	}
	if pos[0] == "-" {
		data, err = userfile.ReadCapped(env.Stdin, "from stdin", "the import", userfile.BundleLimit)
	} else {
		data, err = userfile.Read(pos[0], "the import file", userfile.BundleLimit)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "profiles import: %v\n", err)
		return ExitUsage
	}
	s, err := profilesOpen(env, g)
	if err != nil {
		return profilesFail(env, err)
	}
	res, err := s.Import(data, store.ImportOptions{Replace: *replace, Name: *name})
	if err != nil {
		return profilesFail(env, err)
	}
	w := env.Stdout
	if res.Org != nil {
		o := res.Org
		fmt.Fprintf(w, "Read org %s (%s) from `sf org display`.\n", profilesDash(o.Username), o.InstanceURL)
		if o.AccessToken != "" {
			fmt.Fprintln(w, "Its access token was held in memory for this command only and not saved.")
		}
	}
	for _, p := range res.Added {
		fmt.Fprintf(w, "Added profile %q.\n", p.Name)
	}
	for _, p := range res.Replaced {
		fmt.Fprintf(w, "Replaced profile %q (its secrets are kept).\n", p.Name)
	}
	if len(res.Ignored) > 0 {
		fmt.Fprintf(w, "Ignored (secrets are never imported): %s.\n", strings.Join(res.Ignored, ", "))
	}
	fmt.Fprintln(w, "Secrets are not part of imports; add them in the window, or remove and add the profile with --client-secret-stdin and the like.")
	return 0
}
