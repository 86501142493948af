package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

func runCommand() *Command {
	return &Command{Name: "run", Summary: "run one OAuth flow headless and explain the result", Run: runFlow}
}

// runSchemaVersion is the version of the --json output below; it changes when a field is
// removed or changes meaning (new fields do not change it).
const runSchemaVersion = 2

// The --json output of `connectedapplab run` is one JSON object:
//
//	{
//	  "schema_version":        2 (runSchemaVersion),
//	  "answer":                the three answer lines, each {"text", "severity": "info|warning|error",
//	                           "source": {"title", "url", "unconfirmed"} (absent when the line
//	                           rests on the run alone)}: "lifetime", "refresh_token", "do_this_next",
//	  "ok":                    true when a token came back and every check passed,
//	  "flow":                  the flow name (web-server, web-server-pkce, user-agent, ...),
//	  "login_url":             the login URL used,
//	  "token":                 the token response exactly as sent (every field, unknown ones
//	                           too); access_token, refresh_token and id_token are shown as a
//	                           short prefix…suffix unless --show-tokens; null on failure,
//	  "refresh_token_issued":  whether the response carried a refresh_token,
//	  "refresh_token_rotated": (refresh flow) whether a new, different refresh token came back,
//	  "granted_scopes":        ["api", ...] from the response's scope field ([] when absent),
//	  "requested_scopes":      ["api", ...] as requested,
//	  "instance_url":          the org's API host from the response ("" on failure),
//	  "authorize_url":         (browser flows) the URL the browser was sent to,
//	  "checks":                [{"name": "state|pkce|signature|id_token_signature|id_token_claims|jwt_audience",
//	                             "ok": bool, "detail": "..."}],
//	  "timings":               [{"step": "browser|token|user|...", "ms": 12.5}],
//	  "duration_ms":           the whole run,
//	  "transcript":            [{"step", "method", "url", "status", "request_headers",
//	                             "request_body", "response_headers", "response_body",
//	                             "duration_ms", "curl", "error", "note"}], secrets redacted,
//	                           curl with $SF_CLIENT_SECRET-style placeholders,
//	  "introspection":         (with --introspect) the introspection answer's fields,
//	  "error":                 (on failure) {"message", "code", "description", "status",
//	                           "where", "advice"}; code/description/status/where only for
//	                           OAuth and REST errors,
//	  "guidance":              the guidance report: "answer" (as above), "key_facts" (IDs of the
//	                           facts the short output shows: "lifetimes/<id>", "platform/<id>"),
//	                           "lifetimes" [{"id", "label", "value", "source", "note", "at",
//	                           "estimated", "doc"}], "advice" [{"severity", "title", "reason",
//	                           "fix", "setup_path", "metadata_field", "source"}], "scopes",
//	                           "error", "platform" [{"id", "when", "change", "applies", "past",
//	                           "source"}], "headline" and the idle timeout fields (package guidance)
//	}
type runJSON struct {
	SchemaVersion       int                 `json:"schema_version"`
	Answer              guidance.AnswerJSON `json:"answer"`
	OK                  bool                `json:"ok"`
	Flow                flows.Flow          `json:"flow"`
	LoginURL            string              `json:"login_url"`
	Token               map[string]any      `json:"token"`
	RefreshTokenIssued  bool                `json:"refresh_token_issued"`
	RefreshTokenRotated bool                `json:"refresh_token_rotated"`
	GrantedScopes       []string            `json:"granted_scopes"`
	RequestedScopes     []string            `json:"requested_scopes"`
	InstanceURL         string              `json:"instance_url"`
	AuthorizeURL        string              `json:"authorize_url,omitempty"`
	Checks              []checkJSON         `json:"checks"`
	Timings             []timingJSON        `json:"timings"`
	DurationMS          float64             `json:"duration_ms"`
	Transcript          []exchangeJSON      `json:"transcript"`
	Introspection       map[string]any      `json:"introspection,omitempty"`
	Error               *errorJSON          `json:"error,omitempty"`
	Guidance            *guidance.Report    `json:"guidance"`
}

type checkJSON struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

type timingJSON struct {
	Step string  `json:"step"`
	MS   float64 `json:"ms"`
}

type exchangeJSON struct {
	Step            string              `json:"step"`
	Method          string              `json:"method"`
	URL             string              `json:"url"`
	Status          int                 `json:"status"`
	RequestHeaders  map[string][]string `json:"request_headers,omitempty"`
	RequestBody     string              `json:"request_body,omitempty"`
	ResponseHeaders map[string][]string `json:"response_headers,omitempty"`
	ResponseBody    string              `json:"response_body,omitempty"`
	DurationMS      float64             `json:"duration_ms"`
	Curl            string              `json:"curl,omitempty"`
	Error           string              `json:"error,omitempty"`
	Note            string              `json:"note,omitempty"`
}

type errorJSON struct {
	Message     string `json:"message"`
	Code        string `json:"code,omitempty"`
	Description string `json:"description,omitempty"`
	Status      int    `json:"status,omitempty"`
	Where       string `json:"where,omitempty"`
	Advice      string `json:"advice,omitempty"`
}

type runFlags struct {
	req          flows.Request
	spec         flows.Spec // the catalogue's entry for req.Flow, once complete checked it
	flow         string
	scopes       string
	jwtKey       string
	samlFile     string
	caBundle     string
	profile      string
	profiles     profilesGlobal // --config-dir, --memory-secrets for --profile
	secretsStdin bool
	asJSON       bool
	showTokens   bool
	introspect   bool
}

func runFlow(ctx context.Context, env *Env) int {
	var f runFlags
	r := &f.req
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&f.flow, "flow", "", "the `flow`: "+env.flowNames())
	fs.StringVar(&f.profile, "profile", "", "load the request from a stored profile `NAME` (flags override it)")
	f.profiles.register(fs)
	fs.StringVar(&r.LoginURL, "login-url", "", "login `URL`: https://login.salesforce.com, https://test.salesforce.com or the My Domain URL")
	fs.StringVar(&r.MyDomainURL, "my-domain-url", "", "the org's My Domain `URL` (client credentials use it)")
	fs.StringVar(&r.ClientID, "client-id", "", "the app's consumer key")
	fs.StringVar(&r.ClientSecret, "client-secret", "", "the consumer secret (better: "+secretEnvName("client_secret")+" or --secrets-stdin; flags land in shell history)")
	fs.StringVar(&r.CallbackURL, "callback-url", "http://localhost:1717/OauthRedirect", "loopback callback `URL`, exactly as on the app")
	fs.StringVar(&f.scopes, "scopes", "", "scopes to request, space or comma separated (empty: all the app's scopes)")
	fs.StringVar(&r.Username, "username", "", "the user (username-password, JWT bearer)")
	fs.StringVar(&r.Password, "password", "", "the password (better: "+secretEnvName("password")+" or --secrets-stdin)")
	fs.StringVar(&r.SecurityToken, "security-token", "", "the user's security token (better: "+secretEnvName("security_token")+")")
	fs.StringVar(&f.jwtKey, "jwt-key", "", "PEM private key `file` for the JWT bearer flow")
	fs.StringVar(&r.JWTAudience, "jwt-audience", "", "JWT aud (default: tries the login host, then login/test.salesforce.com)")
	fs.StringVar(&r.RefreshToken, "refresh-token", "", "refresh token for the refresh flow (better: "+secretEnvName("refresh_token")+")")
	fs.StringVar(&r.SubjectToken, "subject-token", "", "subject token for token exchange (better: "+secretEnvName("subject_token")+")")
	fs.StringVar(&r.SubjectTokenType, "subject-token-type", "", "subject_token_type: access_token, refresh_token, id_token, jwt, saml2 or a URN")
	fs.StringVar(&f.samlFile, "saml-assertion", "", "`file` holding the base64url SAML assertion (SAML bearer flow)")
	fs.BoolVar(&r.Options.UsePKCE, "pkce", false, "send a PKCE S256 challenge in the web-server flow too")
	fs.StringVar(&r.Options.Prompt, "prompt", "", "authorize prompt, e.g. \"login consent\"")
	fs.StringVar(&r.Options.LoginHint, "login-hint", "", "authorize login_hint")
	fs.DurationVar(&r.Options.ListenTimeout, "listen-timeout", flows.DefaultListenTimeout, "how long to wait for the browser")
	fs.DurationVar(&r.Options.RequestTimeout, "request-timeout", flows.DefaultRequestTimeout, "timeout of each HTTP request")
	fs.StringVar(&r.Options.ProxyURL, "proxy", "", "proxy `URL` (default: HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment)")
	fs.StringVar(&f.caBundle, "ca-bundle", "", "PEM `file` of extra CA certificates (a TLS-inspecting proxy's)")
	fs.BoolVar(&r.Options.NoBrowser, "no-browser", false, "print the authorize URL instead of opening a browser (SSH, WSL, locked-down desktops)")
	fs.BoolVar(&r.Options.ClientAuthBasic, "client-auth-basic", false, "send the client ID and secret as HTTP Basic instead of in the body")
	fs.BoolVar(&f.secretsStdin, "secrets-stdin", false, "read KEY=VALUE lines from stdin: "+secretKeyList())
	fs.BoolVar(&f.asJSON, "json", false, "print one JSON object (schema_version 2, documented in cli/run.go and the README)")
	fs.BoolVar(&f.showTokens, "show-tokens", false, "print tokens in full (default: prefix…suffix)")
	fs.BoolVar(&f.introspect, "introspect", false, "introspect the access token afterwards (its exp is the session's real expiry)")
	show := addShowFlags(fs)
	tl := addTimelineFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: connectedapplab run --flow NAME [--profile P | request flags] [--verbose | --show SECTIONS] [--json]")
		fs.PrintDefaults()
		fmt.Fprint(env.Stderr, runExitCodes)
	}
	if err := fs.Parse(env.Args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "run: unexpected argument %q; every value goes with a flag, e.g. --scopes \"api refresh_token\"\n", fs.Arg(0))
		return 2
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	view, err := show.options(env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "run: "+err.Error())
		return ExitUsage
	}

	settings, err := f.complete(env, set)
	if err != nil {
		fmt.Fprintln(env.Stderr, oneLine("run: "+err.Error()))
		return exitCode(err, ExitUsage)
	}

	progress := func(p flows.Progress) {
		fmt.Fprintf(env.Stderr, "· %s\n", p.Message)
	}
	res, err := f.spec.Run(ctx, f.req, progress)
	var in *flows.Introspection
	if err == nil && f.introspect && res.Token != nil {
		in, _, err = flows.Introspect(ctx, f.req, res.Token.AccessToken, "access_token")
		if err != nil {
			err = fmt.Errorf("introspection: %w", err)
			res.Err = err
		}
	}
	// A new refresh token replaces the profile's stored one at once: after a rotation the one
	// that was sent no longer works (Salesforce help "Refresh Token Rotation", reference §15.2).
	if f.profile != "" && res.Token != nil && res.Token.RefreshToken != "" && res.Token.RefreshToken != f.req.RefreshToken {
		saved, serr := rememberRefreshToken(env, &f.profiles, f.profile, res.Token.RefreshToken)
		switch {
		case serr != nil && res.RefreshTokenRotated:
			err = fmt.Errorf("the refresh rotated the refresh token and the new one could not be saved in profile %q (%v): the old one no longer works, so log in again", f.profile, serr)
			res.Err = err
		case serr != nil:
			err = fmt.Errorf("the new refresh token could not be saved in profile %q: %v", f.profile, serr)
			res.Err = err
		case saved:
			progress(flows.Progress{Step: "saved", Message: "the new refresh token replaced the stored one in profile " + strconv.Quote(f.profile) + "'s keychain entry"})
		}
	}
	gin := guidance.Input{Flow: f.req.Flow, Settings: settings, Result: res, Introspection: in, Now: time.Now(), RequestedScopes: f.req.Scopes}
	rep := guidance.Explain(gin)
	return tl.after(env, gin, &rep, report(env, view, &f, res, in, &rep, err))
}

// report prints the result of a run (JSON or human) and returns the exit code.
func report(env *Env, view showOptions, f *runFlags, res *flows.Result, in *flows.Introspection, rep *guidance.Report, err error) int {
	failedCheck := ""
	for _, c := range res.Checks {
		if !c.OK && failedCheck == "" {
			failedCheck = c.Name + ": " + c.Detail
		}
	}
	ok := err == nil && failedCheck == ""
	if f.asJSON {
		out := buildJSON(f, res, in, rep, err, ok)
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if e := enc.Encode(out); e != nil {
			fmt.Fprintf(env.Stderr, "run: writing JSON: %v\n", e)
			return 1
		}
	} else {
		printRun(env.Stdout, view, f, res, in, rep, err)
	}
	switch {
	case err != nil:
		line := "run: " + err.Error()
		if a := flows.Advice(err); a != "" && !strings.Contains(line, a) {
			line += "; " + a
		}
		fmt.Fprintln(env.Stderr, oneLine(line))
		return 1
	case failedCheck != "":
		fmt.Fprintln(env.Stderr, oneLine("run: a check failed: "+failedCheck))
		return 1
	}
	return 0
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// complete fills the request from the profile, the environment, stdin and files.
func (f *runFlags) complete(env *Env, set map[string]bool) (guidance.Settings, error) {
	var settings guidance.Settings
	r := &f.req
	if f.profile != "" {
		var fromProfile flows.Request
		s, err := loadProfile(env, &f.profiles, f.profile, &fromProfile)
		if err != nil {
			return settings, fmt.Errorf("profile %q: %w", f.profile, err)
		}
		settings = s
		mergeRequest(r, &fromProfile, set)
	}
	if !set["flow"] && r.Flow == "" && f.flow == "" {
		return settings, errors.New("--flow is required: " + env.flowNames())
	}
	if f.flow != "" {
		r.Flow = flows.Flow(f.flow)
	}
	spec, known := env.lookupFlow(r.Flow)
	if !known {
		from := "--flow"
		if f.flow == "" {
			from = fmt.Sprintf("profile %q has flow", f.profile)
		}
		return settings, fmt.Errorf("%s %q is not a flow; use one of: %s", from, r.Flow, env.flowNames())
	}
	f.spec = spec
	if err := checkDuration("--request-timeout", r.Options.RequestTimeout, maxRequestTimeout); err != nil {
		return settings, err
	}
	if err := checkDuration("--listen-timeout", r.Options.ListenTimeout, maxListenTimeout); err != nil {
		return settings, err
	}
	for _, u := range []struct{ flag, v string }{{"--login-url", r.LoginURL}, {"--my-domain-url", r.MyDomainURL},
		{"--callback-url", r.CallbackURL}} {
		if err := checkURLFlag(u.flag, u.v, "https", "http"); err != nil {
			return settings, err
		}
	}
	if err := checkURLFlag("--proxy", r.Options.ProxyURL, "http", "https", "socks5", "socks5h"); err != nil {
		return settings, err
	}
	if f.scopes != "" {
		r.Scopes = strings.Fields(strings.ReplaceAll(f.scopes, ",", " "))
	}
	secretsFromEnv(env, r)
	if f.secretsStdin {
		if err := readSecrets(env.Stdin, r); err != nil {
			return settings, err
		}
	}
	if f.jwtKey != "" {
		b, err := userfile.Read(f.jwtKey, "the JWT private key", userfile.KeyLimit)
		if err != nil {
			return settings, fmt.Errorf("--jwt-key: %v", err)
		}
		r.JWTPrivateKeyPEM = b
	}
	if f.samlFile != "" {
		b, err := userfile.Read(f.samlFile, "the SAML assertion", userfile.DocumentLimit)
		if err != nil {
			return settings, fmt.Errorf("--saml-assertion: %v", err)
		}
		r.SAMLAssertion = strings.TrimSpace(string(b))
	}
	if f.caBundle != "" {
		b, err := userfile.Read(f.caBundle, "the CA bundle", userfile.BundleLimit)
		if err != nil {
			return settings, fmt.Errorf("--ca-bundle: %v", err)
		}
		r.Options.CABundlePEM = b
	}
	if r.LoginURL == "" {
		r.LoginURL = "https://login.salesforce.com"
	}
	return settings, nil
}

// mergeRequest copies the profile's values into r for every flag not given.
func mergeRequest(r, p *flows.Request, set map[string]bool) {
	pick := func(flagName string, dst *string, v string) {
		if !set[flagName] && v != "" {
			*dst = v
		}
	}
	if !set["flow"] && p.Flow != "" {
		r.Flow = p.Flow
	}
	pick("login-url", &r.LoginURL, p.LoginURL)
	pick("my-domain-url", &r.MyDomainURL, p.MyDomainURL)
	pick("client-id", &r.ClientID, p.ClientID)
	pick("client-secret", &r.ClientSecret, p.ClientSecret)
	pick("callback-url", &r.CallbackURL, p.CallbackURL)
	pick("username", &r.Username, p.Username)
	pick("password", &r.Password, p.Password)
	pick("security-token", &r.SecurityToken, p.SecurityToken)
	pick("jwt-audience", &r.JWTAudience, p.JWTAudience)
	pick("refresh-token", &r.RefreshToken, p.RefreshToken)
	if !set["scopes"] && len(p.Scopes) > 0 {
		r.Scopes = p.Scopes
	}
	if !set["jwt-key"] && len(p.JWTPrivateKeyPEM) > 0 {
		r.JWTPrivateKeyPEM = p.JWTPrivateKeyPEM
	}
}

// readSecrets reads KEY=VALUE lines from stdin (so that secrets stay out of shell history).
func readSecrets(in io.Reader, r *flows.Request) error {
	if in == nil {
		return errors.New("--secrets-stdin: no stdin")
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4<<10), maxSecretLine)
	n := 0
	for sc.Scan() {
		if n++; n > maxSecretLines {
			return fmt.Errorf("--secrets-stdin: more than %d lines on stdin; pipe only the KEY=VALUE lines of the secrets", maxSecretLines)
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("--secrets-stdin: line %d is not KEY=VALUE (keys: %s)", n, secretKeyList())
		}
		key := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(k)), "sf_")
		i := slices.IndexFunc(secretInputs, func(s secretInput) bool { return s.key == key })
		if i < 0 {
			return fmt.Errorf("--secrets-stdin: line %d: unknown key %q (keys: %s)", n, k, secretKeyList())
		}
		*secretInputs[i].field(r) = v
	}
	return scanError(sc.Err(), "--secrets-stdin", fmt.Sprintf("line %d", n+1), maxSecretLine, "pipe one KEY=VALUE line per secret")
}

var tokenKeys = map[string]bool{"access_token": true, "refresh_token": true, "id_token": true,
	"lightning_sid": true, "content_sid": true, "visualforce_sid": true, "csrf_token": true, "parent_sid": true}

func tokenMap(tr *flows.TokenResponse, show bool) map[string]any {
	if tr == nil {
		return nil
	}
	out := make(map[string]any, len(tr.Raw()))
	for k, v := range tr.Raw() {
		if s, ok := v.(string); ok && tokenKeys[k] && !show {
			v = flows.RedactToken(s)
		}
		out[k] = v
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func buildJSON(f *runFlags, res *flows.Result, in *flows.Introspection, rep *guidance.Report, err error, ok bool) runJSON {
	out := runJSON{SchemaVersion: runSchemaVersion, Answer: rep.Answer.JSON(), OK: ok, Flow: f.req.Flow, LoginURL: f.req.LoginURL, Token: tokenMap(res.Token, f.showTokens),
		RefreshTokenIssued: res.RefreshTokenIssued, RefreshTokenRotated: res.RefreshTokenRotated,
		GrantedScopes: append([]string{}, res.GrantedScopes...), RequestedScopes: append([]string{}, res.RequestedScopes...),
		AuthorizeURL: res.AuthorizeURL, Checks: []checkJSON{}, Timings: []timingJSON{}, Transcript: []exchangeJSON{},
		DurationMS: ms(res.Duration), Guidance: rep}
	if res.Token != nil {
		out.InstanceURL = res.Token.InstanceURL
	}
	for _, c := range res.Checks {
		out.Checks = append(out.Checks, checkJSON{c.Name, c.OK, c.Detail})
	}
	for _, t := range res.Timings {
		out.Timings = append(out.Timings, timingJSON{t.Step, ms(t.Duration)})
	}
	for _, x := range res.Transcript.Exchanges() {
		out.Transcript = append(out.Transcript, exchangeJSON{Step: x.Step, Method: x.Method, URL: x.URL, Status: x.Status,
			RequestHeaders: x.RequestHeader, RequestBody: x.RequestBody, ResponseHeaders: x.ResponseHeader,
			ResponseBody: x.ResponseBody, DurationMS: ms(x.Duration), Curl: x.Curl, Error: x.Error, Note: x.Note})
	}
	if in != nil {
		out.Introspection = in.Raw
	}
	if err != nil {
		e := &errorJSON{Message: err.Error(), Advice: flows.Advice(err)}
		var oe *flows.OAuthError
		if errors.As(err, &oe) {
			e.Code, e.Description, e.Status, e.Where = oe.Code, oe.Description, oe.Status, oe.Where
		}
		out.Error = e
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
