// Package checkup checks a whole app at once: it lints the app's settings, runs every flow the
// app allows that needs no browser (and the browser flows when asked), then introspects,
// calls userinfo and the REST API with a token it got, and revokes every token it created.
// The answer is a matrix of flow by result (works; fails, why and the fix from guidance's error
// catalogue; skipped and why), exported as text, Markdown, HTML and JSON with every secret
// redacted. It has no Fyne import: the CLI's check command and the window's Check button both
// call Run.
package checkup

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// Status is a row's result.
type Status string

const (
	Running   Status = "running" // only in progress reports: the step has started
	Works     Status = "works"
	Fails     Status = "fails"
	Skipped   Status = "skipped"
	Cancelled Status = "cancelled"
)

// Row is one line of the matrix: one flow (one JWT audience), or one follow-up operation
// (introspect, userinfo, rest, revoke).
type Row struct {
	Step    string     `json:"step"`              // the flow name, or introspect, userinfo, rest, revoke
	Flow    flows.Flow `json:"flow,omitempty"`    // the flow, for flow rows
	Variant string     `json:"variant,omitempty"` // e.g. "aud My Domain" for the JWT bearer audiences
	Status  Status     `json:"status"`
	// Detail is what came back (works), the error as one line (fails), or why not (skipped,
	// cancelled).
	Detail string `json:"detail"`
	// Meaning, Fix and SetupPath say, for a failure or a skip the app's settings explain,
	// what it means and what to change (guidance's error catalogue, or the lint finding).
	Meaning    string                 `json:"meaning,omitempty"`
	Fix        string                 `json:"fix,omitempty"`
	SetupPath  string                 `json:"setup_path,omitempty"`
	Lint       []connectedapp.Finding `json:"lint,omitempty"` // the flow's own lint errors and warnings
	DurationMS float64                `json:"duration_ms"`
}

// Name is the row's label: the step, and the variant when there is one.
func (r Row) Name() string {
	if r.Variant == "" {
		return r.Step
	}
	return r.Step + " (" + r.Variant + ")"
}

// Report is the checkup's answer.
type Report struct {
	Version  string    `json:"version"` // the lab's version
	Date     time.Time `json:"date"`
	Profile  string    `json:"profile,omitempty"`
	LoginURL string    `json:"login_url"`
	ClientID string    `json:"client_id"`
	App      string    `json:"app,omitempty"` // the app's name when its settings are known
	// SettingsKnown is false when no app settings were given: lint is skipped and every flow
	// with its inputs is tried.
	SettingsKnown bool                   `json:"settings_known"`
	Browser       bool                   `json:"browser"` // the browser flows were asked for
	Lint          []connectedapp.Finding `json:"lint"`    // the flow-independent findings
	Rows          []Row                  `json:"rows"`
	Cancelled     bool                   `json:"cancelled"`
}

// Counts returns how many rows work, fail, were skipped and were cancelled.
func (r *Report) Counts() (works, fails, skipped, cancelled int) {
	for _, row := range r.Rows {
		switch row.Status {
		case Works:
			works++
		case Fails:
			fails++
		case Skipped:
			skipped++
		case Cancelled:
			cancelled++
		}
	}
	return
}

// Passed reports whether every row that ran works and nothing was cancelled.
func (r *Report) Passed() bool {
	_, fails, _, cancelled := r.Counts()
	return fails == 0 && cancelled == 0 && !r.Cancelled
}

// Input is what a checkup runs on.
type Input struct {
	// Profile names the profile, for the report.
	Profile string
	// Request is the profile as a flow request: login and My Domain URLs, client ID and
	// secret, callback URL, scopes, username, password and security token, JWT key, a stored
	// refresh token, and the options (OpenBrowser for the browser flows). Its Flow is ignored.
	Request flows.Request
	// Settings are the app's settings when known (the profile's app settings, a settings
	// file, or read from the org); nil: lint is skipped and every flow with its inputs is tried.
	Settings *connectedapp.Settings
	// Catalog is the flow catalogue; nil means flows.Catalog().
	Catalog []flows.Spec
	// Browser runs the browser flows too (Request.Options.OpenBrowser opens them).
	Browser bool
	// SiteURL is an Experience Cloud site URL (https://acme.my.site.com/partners): the JWT
	// bearer flow is also tried with it as the audience.
	SiteURL string
	// Version is the lab's version, for the report.
	Version string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Progress (may be nil) gets each row twice: when it starts (Status Running) and when it
	// ends. It is called on Run's goroutine and must not block long.
	Progress func(Row)
	// FlowProgress (may be nil) gets what the running flow reports as it goes ("waiting for
	// browser", "could not open a browser; open this URL yourself: ..."), secrets redacted;
	// not the device flow's user code, which the checkup does not ask anyone to enter. It may
	// be called from the flow's goroutines and must not block long.
	FlowProgress func(flows.Progress)
	// CancelRevoking (may be nil) is called once when the checkup is cancelled with tokens to
	// revoke, before revoke waits for the org (up to CleanupTimeout), with how many it
	// revokes: a cancel is answered at once even when no progress is shown. It is called on
	// Run's goroutine, or, for a cancel while revoke runs, on one that Run waits for.
	CancelRevoking func(tokens int)
}

// token is one token this checkup created.
type token struct {
	flow        flows.Flow
	access      string
	refresh     string
	instanceURL string
	scopes      []string
}

type checker struct {
	in       Input
	cat      []flows.Spec
	now      func() time.Time
	gs       guidance.Settings
	rep      *Report
	tokens   []token
	secrets  []string
	refreshs []string        // live refresh tokens created here, newest last
	general  map[string]bool // the codes of the flow-independent lint findings
}

// step is one planned row: run it, or, once cancelled, mark it.
type step struct {
	row Row
	run func(ctx context.Context, row Row) Row // nil: the row is decided (skipped)
	// cleanup steps (revoke) run even after a cancel, when there is something to clean up,
	// on a context that a cancel does not end, bounded by CleanupTimeout.
	cleanup bool
}

// CleanupTimeout bounds the revocation of the tokens a checkup made. It runs even when the
// checkup was cancelled (Ctrl-C, the Cancel button), so that no token is left behind.
const CleanupTimeout = 15 * time.Second

// Run runs the checkup and returns its report. Cancelling ctx stops it at the step under way;
// the report then holds what ran, and every row not run is Cancelled, except revoke: the
// tokens made before the cancel are still revoked (within CleanupTimeout). Run starts no
// goroutine that outlives it.
func Run(ctx context.Context, in Input) *Report {
	c := &checker{in: in, cat: in.Catalog, now: in.Now}
	if c.cat == nil {
		c.cat = flows.Catalog()
	}
	if c.now == nil {
		c.now = time.Now
	}
	r := in.Request
	c.rep = &Report{Version: in.Version, Date: c.now().UTC(), Profile: in.Profile, LoginURL: r.LoginURL,
		ClientID: r.ClientID, SettingsKnown: in.Settings != nil, Browser: in.Browser, Lint: []connectedapp.Finding{}, Rows: []Row{}}
	c.secrets = append(c.secrets, r.ClientSecret, r.Password, r.SecurityToken, r.Password+r.SecurityToken,
		string(r.JWTPrivateKeyPEM), r.RefreshToken, r.SubjectToken, r.SAMLAssertion)
	if s := in.Settings; s != nil {
		c.rep.App = s.Name
		if s.Label != "" {
			c.rep.App = s.Label
		}
		c.gs = guidanceSettings(*s)
		c.rep.Lint = connectedapp.LintIn(c.cat, c.lintProfile(""), *s, c.now())
		c.general = map[string]bool{}
		for _, g := range c.rep.Lint {
			c.general[g.Code] = true
		}
	}
	c.gs.CallbackURL = r.CallbackURL

	steps := c.plan()
	// the lint section: errors, then warnings, then the rest, each in the order found
	slices.SortStableFunc(c.rep.Lint, func(a, b connectedapp.Finding) int { return severityRank(a.Severity) - severityRank(b.Severity) })
	for _, st := range steps {
		row := st.row
		cancelled := ctx.Err() != nil
		if cancelled {
			c.rep.Cancelled = true
		}
		if cancelled && !(st.cleanup && c.made()) {
			row.Status, row.Detail = Cancelled, "not run: the checkup was cancelled"
			c.add(row)
			continue
		}
		if st.run == nil {
			c.add(row)
			continue
		}
		runCtx, stop := ctx, context.CancelFunc(func() {})
		if st.cleanup {
			runCtx, stop = context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
		}
		var waitNotice func()
		if st.cleanup {
			waitNotice = c.cancelNotice(ctx)
		}
		start := time.Now()
		running := row
		running.Status = Running
		c.report(running)
		row = st.run(runCtx, row)
		stop()
		if waitNotice != nil {
			waitNotice()
		}
		row.DurationMS = float64(time.Since(start).Microseconds()) / 1000
		switch {
		case st.cleanup && ctx.Err() != nil:
			c.rep.Cancelled = true
			row.Detail = "after the cancel: " + row.Detail
		case ctx.Err() != nil && row.Status != Works:
			row.Status, row.Detail, row.Meaning, row.Fix, row.SetupPath = Cancelled, "stopped: the checkup was cancelled", "", "", ""
			c.rep.Cancelled = true
		}
		c.add(row)
	}
	c.rep.scrub(c.secrets)
	return c.rep
}

func severityRank(s connectedapp.Severity) int {
	switch s {
	case connectedapp.Error:
		return 0
	case connectedapp.Warning:
		return 1
	}
	return 2
}

// cancelNotice calls Input.CancelRevoking before a cleanup step when ctx is cancelled already,
// else when ctx is cancelled while the step runs; the returned func ends the watch and waits
// for a call under way.
func (c *checker) cancelNotice(ctx context.Context) (wait func()) {
	if c.in.CancelRevoking == nil {
		return func() {}
	}
	n := len(c.revokeList())
	if n == 0 {
		return func() {}
	}
	if ctx.Err() != nil {
		c.in.CancelRevoking(n)
		return func() {}
	}
	done := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(done)
		c.in.CancelRevoking(n)
	})
	return func() {
		if !stop() {
			<-done
		}
	}
}

// made reports whether the checkup holds a token it made (one that revoke would revoke).
func (c *checker) made() bool {
	return len(c.tokens) > 0 || len(c.refreshs) > 0
}

func (c *checker) add(row Row) {
	c.rep.Rows = append(c.rep.Rows, row)
	c.report(row)
}

func (c *checker) report(row Row) {
	if c.in.Progress != nil {
		row.Detail = scrubText(row.Detail, c.secrets)
		c.in.Progress(row)
	}
}

// lintProfile is the lint view of the request for flow f.
func (c *checker) lintProfile(f flows.Flow) connectedapp.Profile {
	r := c.in.Request
	has := r.ClientSecret != ""
	return connectedapp.Profile{Flow: f, CallbackURL: r.CallbackURL, Scopes: r.Scopes, LoginURL: r.LoginURL, HasSecret: &has}
}

// flowLint returns the lint findings of flow f that are not flow-independent (errors and
// warnings), and the first finding that says the app does not allow f (connectedapp's
// Finding.BlocksFlow): the checkup skips that flow with the finding's fix instead of running it.
func (c *checker) flowLint(f flows.Flow) (own []connectedapp.Finding, blocked *connectedapp.Finding) {
	if c.in.Settings == nil {
		return nil, nil
	}
	for _, fd := range connectedapp.LintIn(c.cat, c.lintProfile(f), *c.in.Settings, c.now()) {
		if c.general[fd.Code] || fd.Severity == connectedapp.Info {
			continue
		}
		if fd.BlocksFlow(f) {
			if blocked == nil {
				fd := fd
				blocked = &fd
			}
			continue
		}
		own = append(own, fd)
	}
	if blocked != nil {
		return nil, blocked // what else the flow would need does not matter while the app does not allow it
	}
	// The report's lint section: every flow's findings once.
	for _, fd := range own {
		if !slices.ContainsFunc(c.rep.Lint, func(g connectedapp.Finding) bool { return g.Code == fd.Code && g.Problem == fd.Problem }) {
			c.rep.Lint = append(c.rep.Lint, fd)
		}
	}
	return own, blocked
}

// plan lists every row in the order they run: the flows that make tokens (catalogue order),
// then token exchange and refresh (they spend tokens made before), then the operations.
func (c *checker) plan() []step {
	var first, last []step
	for _, sp := range c.cat {
		sp := sp
		row := Row{Step: string(sp.Flow), Flow: sp.Flow}
		own, blocked := c.flowLint(sp.Flow)
		row.Lint = own
		switch {
		case sp.Browser && !c.in.Browser:
			row.Status, row.Detail = Skipped, "needs a browser: run the checkup with --browser (the Check button's \"Include browser flows\")"
			first = append(first, step{row: row})
			continue
		case blocked != nil:
			row.Status, row.Detail, row.Fix, row.SetupPath = Skipped, "the app does not allow it: "+blocked.Problem, blocked.Fix, blocked.SetupPath
			first = append(first, step{row: row})
			continue
		}
		switch sp.Flow {
		case flows.Refresh:
			last = append(last, step{row: row, run: func(ctx context.Context, row Row) Row { return c.refresh(ctx, sp, row) }})
		case flows.TokenExchange:
			// before refresh: it may issue a refresh token
			last = append([]step{{row: row, run: func(ctx context.Context, row Row) Row { return c.tokenExchange(ctx, sp, row) }}}, last...)
		case flows.JWTBearer:
			if miss := c.missing(sp, c.in.Request); miss != "" {
				row.Status, row.Detail = Skipped, miss
				first = append(first, step{row: row})
				continue
			}
			for _, a := range c.audiences() {
				row := row
				row.Variant = "aud " + a.label
				aud := a.url
				first = append(first, step{row: row, run: func(ctx context.Context, row Row) Row {
					req := c.in.Request
					req.JWTAudience = aud
					row = c.runFlow(ctx, sp, req, row)
					row.Detail = "aud " + aud + ": " + row.Detail
					return row
				}})
			}
		case flows.Device:
			first = append(first, step{row: row, run: func(ctx context.Context, row Row) Row { return c.device(ctx, sp, row) }})
		default:
			if miss := c.missing(sp, c.in.Request); miss != "" {
				row.Status, row.Detail = Skipped, miss
				first = append(first, step{row: row})
				continue
			}
			first = append(first, step{row: row, run: func(ctx context.Context, row Row) Row { return c.runFlow(ctx, sp, c.in.Request, row) }})
		}
	}
	ops := []step{
		{row: Row{Step: "introspect"}, run: c.introspect},
		{row: Row{Step: "userinfo"}, run: c.userinfo},
		{row: Row{Step: "rest"}, run: c.rest},
		{row: Row{Step: "revoke"}, run: c.revoke, cleanup: true},
	}
	return append(append(first, last...), ops...)
}

// missing says which required field of sp the request lacks ("" when none).
func (c *checker) missing(sp flows.Spec, r flows.Request) string {
	var miss []string
	for _, n := range sp.Fields {
		if n.Required && !has(r, n.Field) {
			miss = append(miss, string(n.Field))
		}
	}
	if len(miss) == 0 {
		return ""
	}
	return "the profile has no " + strings.Join(miss, ", ") + ": add it to the profile to check this flow"
}

func has(r flows.Request, f flows.Field) bool {
	switch f {
	case flows.FieldLoginURL:
		return r.LoginURL != ""
	case flows.FieldMyDomainURL:
		return r.MyDomainURL != ""
	case flows.FieldClientID:
		return r.ClientID != ""
	case flows.FieldClientSecret:
		return r.ClientSecret != ""
	case flows.FieldCallbackURL:
		return r.CallbackURL != ""
	case flows.FieldScopes:
		return len(r.Scopes) > 0
	case flows.FieldUsername:
		return r.Username != ""
	case flows.FieldPassword:
		return r.Password != ""
	case flows.FieldSecurityToken:
		return r.SecurityToken != ""
	case flows.FieldJWTKey:
		return len(r.JWTPrivateKeyPEM) > 0
	case flows.FieldJWTAudience:
		return r.JWTAudience != ""
	case flows.FieldRefreshToken:
		return r.RefreshToken != ""
	case flows.FieldSubjectToken:
		return r.SubjectToken != ""
	case flows.FieldSubjectTokenType:
		return r.SubjectTokenType != ""
	case flows.FieldSAMLAssertion:
		return r.SAMLAssertion != ""
	}
	return false
}

type audience struct{ label, url string }

// audiences are the JWT audiences that apply: the ones the JWT bearer flow itself tries for
// this login host (flows.JWTAudiences), the My Domain URL, and the Experience Cloud site.
func (c *checker) audiences() []audience {
	r := c.in.Request
	r.JWTAudience = ""
	list := flows.JWTAudiences(r)
	if o := origin(r.MyDomainURL); o != "" {
		list = append(list, o)
	}
	if c.in.SiteURL != "" {
		list = append(list, strings.TrimRight(c.in.SiteURL, "/"))
	}
	var out []audience
	seen := map[string]bool{}
	for _, a := range list {
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		label := a
		switch {
		case a == "https://login.salesforce.com":
			label = "login.salesforce.com"
		case a == "https://test.salesforce.com":
			label = "test.salesforce.com"
		case a == origin(r.MyDomainURL):
			label = "My Domain"
		case c.in.SiteURL != "" && a == strings.TrimRight(c.in.SiteURL, "/"):
			label = "Experience Cloud site"
		case a == origin(r.LoginURL):
			label = "login host"
		}
		out = append(out, audience{label: label, url: a})
	}
	return out
}

func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// runFlow runs one flow and turns its result into a row.
func (c *checker) runFlow(ctx context.Context, sp flows.Spec, req flows.Request, row Row) Row {
	res, _ := sp.Run(ctx, req, c.flowProgress)
	return c.flowRow(sp, res, row)
}

func (c *checker) flowRow(sp flows.Spec, res *flows.Result, row Row) Row {
	if res.Err == nil && res.Token != nil {
		tk := token{flow: sp.Flow, access: res.Token.AccessToken, refresh: res.Token.RefreshToken,
			instanceURL: res.Token.InstanceURL, scopes: res.GrantedScopes}
		c.tokens = append(c.tokens, tk)
		c.secrets = append(c.secrets, tk.access, tk.refresh, res.Token.IDToken)
		if tk.refresh != "" && !slices.Contains(c.refreshs, tk.refresh) {
			c.refreshs = append(c.refreshs, tk.refresh)
		}
		row.Status, row.Detail = Works, describe(res)
		for _, ch := range res.Checks {
			if !ch.OK && ch.Name != "jwt_audience" {
				row.Status = Fails
				row.Detail = "a token came back, but the " + ch.Name + " check failed: " + ch.Detail
			}
		}
		return row
	}
	return c.failRow(sp.Flow, res, row)
}

// failRow fills a failed row from guidance's explanation of the error.
func (c *checker) failRow(f flows.Flow, res *flows.Result, row Row) Row {
	row.Status = Fails
	row.Detail = "failed"
	if res.Err != nil {
		row.Detail = res.Err.Error()
	}
	rep := guidance.Explain(guidance.Input{Flow: f, Settings: c.gs, Result: res, Now: c.now()})
	if x := rep.Error; x != nil {
		row.Meaning = x.Meaning
		if len(x.Fixes) > 0 {
			row.Fix = x.Fixes[0].Title + ": " + x.Fixes[0].Fix
			row.SetupPath = x.Fixes[0].SetupPath
		}
	}
	// A flow whose enablement the settings do not tell (none given, or a Connected App's
	// device flow, which has no metadata field) and that the org refuses as not enabled is
	// not allowed by the app: a skip, not a failure.
	if row.Flow != "" && res.OAuthError != nil && strings.Contains(strings.ToLower(res.OAuthError.Description), "not enabled") &&
		(c.in.Settings == nil || slices.ContainsFunc(row.Lint, func(fd connectedapp.Finding) bool { return strings.HasSuffix(fd.Code, "-unknown") })) {
		row.Status = Skipped
		row.Detail = "the app does not allow it (the org answered " + res.OAuthError.Error() + ")"
	}
	// A lint error of this flow is the surest fix: the app's settings say why.
	if fd := causeOf(row.Lint, res.OAuthError); fd != nil {
		row.Fix, row.SetupPath = fd.Fix, fd.SetupPath
		if row.Meaning == "" {
			row.Meaning = fd.Problem
		}
	}
	return row
}

// causeOf picks the lint finding that explains a failure: an error whose wire error is what
// the org answered (the same text, or that text and a note after a space), else a warning
// that is, else an error with the same error code, else an error whose wire error lint does
// not know. An answer without a code matches no wire error. Without an OAuth error (a
// timeout, a browser that never came back) it is the first error. nil: no finding explains
// it, and guidance's fix stands.
func causeOf(lint []connectedapp.Finding, oe *flows.OAuthError) *connectedapp.Finding {
	var first, sameError, sameWarning, sameCode, unknownWire *connectedapp.Finding
	ans, ansCode := "", ""
	if oe != nil {
		ans, ansCode = strings.ToLower(oe.Error()), strings.ToLower(oe.Code)
	}
	for i := range lint {
		fd := &lint[i]
		wire := strings.ToLower(fd.WireError)
		same := ansCode != "" && wire != "" && (wire == ans || strings.HasPrefix(wire, ans+" "))
		if same && fd.Severity == connectedapp.Warning && sameWarning == nil {
			sameWarning = fd
		}
		if fd.Severity != connectedapp.Error {
			continue
		}
		if first == nil {
			first = fd
		}
		code, _, _ := strings.Cut(wire, ":")
		switch {
		case oe == nil:
		case same && sameError == nil:
			sameError = fd
		case wire == "" && unknownWire == nil:
			unknownWire = fd
		case ansCode != "" && wire != "" && sameCode == nil && strings.TrimSpace(code) == ansCode:
			sameCode = fd
		}
	}
	switch {
	case oe == nil:
		return first
	case sameError != nil:
		return sameError
	case sameWarning != nil:
		return sameWarning
	case sameCode != nil:
		return sameCode
	}
	return unknownWire
}

// describe is one line on what a flow returned.
func describe(res *flows.Result) string {
	var b strings.Builder
	b.WriteString("access token")
	if len(res.GrantedScopes) > 0 {
		b.WriteString(", scopes " + strings.Join(res.GrantedScopes, " "))
	}
	if res.RefreshTokenIssued {
		b.WriteString(", refresh token")
		if res.RefreshTokenRotated {
			b.WriteString(" (rotated)")
		}
	} else {
		b.WriteString(", no refresh token")
	}
	if res.Token.IDToken != "" {
		b.WriteString(", ID token")
	}
	return b.String()
}

// device runs the device flow up to the user code: approving it needs a person.
func (c *checker) device(ctx context.Context, sp flows.Spec, row Row) Row {
	if miss := c.missing(sp, c.in.Request); miss != "" {
		row.Status, row.Detail = Skipped, miss
		return row
	}
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	var at string
	res, _ := sp.Run(dctx, c.in.Request, func(p flows.Progress) {
		c.flowProgress(p)
		if p.Step == "user-code" {
			at = p.VerificationURL
			stop()
		}
	})
	if at != "" && ctx.Err() == nil {
		row.Status = Works
		row.Detail = "a user code came back (enter it at " + at + "); approving it needs a person, so the checkup stops there"
		return row
	}
	return c.failRow(sp.Flow, res, row)
}

// tokenExchange trades the profile's subject token, or an access token made before, for a new one.
func (c *checker) tokenExchange(ctx context.Context, sp flows.Spec, row Row) Row {
	req := c.in.Request
	if req.SubjectToken == "" {
		if len(c.tokens) == 0 {
			row.Status, row.Detail = Skipped, "no subject token: the profile has none and no flow before it made an access token"
			return row
		}
		req.SubjectToken = c.tokens[0].access
		req.SubjectTokenType = "access_token"
		row.Detail = "subject: the " + string(c.tokens[0].flow) + " access token"
	}
	if miss := c.missing(sp, req); miss != "" {
		row.Status, row.Detail = Skipped, miss
		return row
	}
	out := c.flowRow(sp, c.mustRun(ctx, sp, req), row)
	return out
}

func (c *checker) mustRun(ctx context.Context, sp flows.Spec, req flows.Request) *flows.Result {
	res, _ := sp.Run(ctx, req, c.flowProgress)
	return res
}

// flowProgress hands a flow's progress to Input.FlowProgress, redacted.
func (c *checker) flowProgress(p flows.Progress) {
	if c.in.FlowProgress == nil || p.Step == "user-code" {
		return
	}
	p.Message = scrubText(p.Message, c.secrets)
	p.AuthorizeURL = scrubText(p.AuthorizeURL, c.secrets)
	c.in.FlowProgress(p)
}

// refresh spends a refresh token made here, else the profile's stored one when the app does
// not rotate refresh tokens (a rotation would void the stored token).
func (c *checker) refresh(ctx context.Context, sp flows.Spec, row Row) Row {
	req := c.in.Request
	switch {
	case len(c.refreshs) > 0:
		req.RefreshToken = c.refreshs[len(c.refreshs)-1]
		row.Variant = "a refresh token made here"
	case req.RefreshToken == "":
		row.Status = Skipped
		row.Detail = "no refresh token to spend; the profile stores none and no flow here issued one (the web server flow does, with --browser)"
		return row
	case c.in.Settings == nil || c.in.Settings.RefreshTokenRotation:
		row.Status = Skipped
		row.Detail = "the profile's stored refresh token is not spent: the app rotates refresh tokens (or its settings are unknown), and a refresh would void it"
		row.Fix = "run the checkup with --browser to refresh a token made for the checkup"
		return row
	default:
		row.Variant = "the profile's refresh token"
	}
	res := c.mustRun(ctx, sp, req)
	out := c.flowRow(sp, res, row)
	if out.Status == Works && res.RefreshTokenRotated {
		// the token spent is void now; revoke keeps to the new one
		c.refreshs = slices.DeleteFunc(c.refreshs, func(t string) bool { return t == req.RefreshToken })
	}
	return out
}

// probe is the token the operations use: the first one whose scopes include want, else the first.
func (c *checker) probe(want string) (token, bool) {
	for _, t := range c.tokens {
		for _, s := range t.scopes {
			if s == want {
				return t, true
			}
		}
	}
	if len(c.tokens) > 0 {
		return c.tokens[0], true
	}
	return token{}, false
}

const noToken = "no access token: no flow before it worked"

func (c *checker) opRow(row Row, tk token, err error, ok string) Row {
	if err == nil {
		row.Status, row.Detail = Works, ok
		return row
	}
	res := &flows.Result{Flow: tk.flow, Err: err}
	var oe *flows.OAuthError
	if errors.As(err, &oe) {
		res.OAuthError = oe
	}
	return c.failRow(tk.flow, res, row)
}

func (c *checker) introspect(ctx context.Context, row Row) Row {
	tk, ok := c.probe("api")
	if !ok {
		row.Status, row.Detail = Skipped, noToken
		return row
	}
	if c.in.Request.ClientSecret == "" {
		row.Status, row.Detail = Skipped, "introspection authenticates the app with its consumer secret, and the profile has none"
		return row
	}
	row.Variant = "the " + string(tk.flow) + " token"
	in, _, err := flows.Introspect(ctx, c.in.Request, tk.access, "access_token")
	msg := ""
	if err == nil {
		msg = "inactive"
		if in.Active {
			msg = "active"
			if in.Exp > 0 {
				msg += fmt.Sprintf(", expires if idle at %s", time.Unix(in.Exp, 0).UTC().Format(time.RFC3339))
			}
		}
	}
	return c.opRow(row, tk, err, msg)
}

func (c *checker) userinfo(ctx context.Context, row Row) Row {
	tk, ok := c.probe("openid")
	if !ok {
		row.Status, row.Detail = Skipped, noToken
		return row
	}
	row.Variant = "the " + string(tk.flow) + " token"
	res, err := flows.UserInfo(ctx, c.in.Request, tk.access)
	msg := "answered"
	if m, ok := res.Body.(map[string]any); ok && m["preferred_username"] != nil {
		msg = fmt.Sprintf("answered for %v", m["preferred_username"])
	}
	return c.opRow(row, tk, err, msg)
}

func (c *checker) rest(ctx context.Context, row Row) Row {
	tk, ok := c.probe("api")
	if !ok {
		row.Status, row.Detail = Skipped, noToken
		return row
	}
	row.Variant = "the " + string(tk.flow) + " token"
	res, err := flows.REST(ctx, c.in.Request, tk.instanceURL, tk.access, "")
	return c.opRow(row, tk, err, fmt.Sprintf("GET %s answered %d", flows.DefaultRESTPath, res.Status))
}

// revoke revokes every refresh token and access token this checkup created (never the
// profile's stored refresh token).
func (c *checker) revoke(ctx context.Context, row Row) Row {
	list := c.revokeList()
	if len(list) == 0 {
		row.Status, row.Detail = Skipped, "nothing to revoke: the checkup made no token"
		return row
	}
	var failed []string
	tried := 0
	for _, t := range list {
		if ctx.Err() != nil {
			break
		}
		tried++
		if _, err := flows.Revoke(ctx, c.in.Request, t); err != nil {
			failed = append(failed, err.Error())
		}
	}
	// A token not tried (the time ran out first) is as alive as one the org refused.
	if untried := len(list) - tried; len(failed) > 0 || untried > 0 {
		row.Status = Fails
		row.Detail = fmt.Sprintf("%d of %d tokens not revoked", len(failed)+untried, len(list))
		if len(failed) > 0 {
			row.Detail += ": " + failed[0]
		}
		if untried > 0 {
			why := "the checkup was cancelled"
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				why = fmt.Sprintf("the time for revoking (%s) ran out", CleanupTimeout)
			}
			row.Detail += fmt.Sprintf("; %d never tried: %s", untried, why)
		}
		row.Fix = "revoke them in " + guidance.SetupPath("Connected Apps OAuth Usage") + ", or wait for them to expire"
		return row
	}
	noun := "tokens"
	if len(list) == 1 {
		noun = "token"
	}
	row.Status, row.Detail = Works, fmt.Sprintf("revoked the %d %s the checkup made", len(list), noun)
	return row
}

// revokeList is what revoke revokes: the access tokens, then the refresh tokens, this
// checkup made, each once, never the profile's stored refresh token.
func (c *checker) revokeList() []string {
	var list []string
	seen := map[string]bool{c.in.Request.RefreshToken: true, "": true}
	// Access tokens first: revoking a refresh token also voids the access tokens made with it.
	for _, t := range c.tokens {
		if !seen[t.access] {
			seen[t.access] = true
			list = append(list, t.access)
		}
	}
	for _, rt := range c.refreshs {
		if !seen[rt] {
			seen[rt] = true
			list = append(list, rt)
		}
	}
	return list
}

// guidanceSettings is what the app's settings tell guidance.
func guidanceSettings(s connectedapp.Settings) guidance.Settings {
	g := guidance.Settings{AppKind: guidance.AppConnected, AppScopes: s.Scopes, AppSessionTimeoutMinutes: s.SessionTimeoutMinutes,
		OrgSessionTimeoutMinutes: s.Org.SessionTimeoutMinutes, IDTokenValidityMinutes: s.IDTokenValidityMinutes,
		UsernamePasswordBlocked: s.Org.BlockUsernamePasswordFlow, AppInstalled: s.Installed}
	if s.Kind == connectedapp.External {
		g.AppKind = guidance.AppExternalClient
	}
	rot, pkce, jwt := s.RefreshTokenRotation, s.PKCERequired, s.NamedUserJWT
	g.RefreshTokenRotation, g.PKCERequired, g.JWTAccessTokens = &rot, &pkce, &jwt
	if p, err := guidance.ParseRefreshPolicy(s.RefreshTokenPolicy.String()); err == nil {
		g.RefreshTokenPolicy = p
	}
	return g
}
