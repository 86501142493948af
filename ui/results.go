package ui

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// lifetimesView is the left half of the results: what came back and how long it lasts.
type lifetimesView struct {
	countdown *widget.Label
	expiresAt *guidance.Report // the report whose ExpiresIfIdleAt the countdown follows
	grid      *fyne.Container
	box       *fyne.Container
}

func newLifetimesView() *lifetimesView {
	v := &lifetimesView{
		countdown: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText, Wrapping: fyne.TextWrapWord},
		grid:      container.NewVBox(),
	}
	title := &widget.Label{Text: "Lifetimes: what came back", TextStyle: fyne.TextStyle{Bold: true}}
	v.box = container.NewVBox(title, v.countdown, v.grid)
	return v
}

func (v *lifetimesView) render(r *guidance.Report, now time.Time) {
	v.expiresAt = r
	v.grid.RemoveAll()
	for _, row := range r.Lifetimes {
		value := row.Value
		if row.Estimated {
			value += " (estimated)"
		}
		parts := []fyne.CanvasObject{
			&widget.Label{Text: row.Label, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
			&widget.Label{Text: value, Wrapping: fyne.TextWrapWord, Selectable: true},
		}
		var note []string
		if row.Source != "" {
			note = append(note, "Source: "+row.Source)
		}
		if row.Note != "" {
			note = append(note, row.Note)
		}
		if len(note) > 0 {
			parts = append(parts, caption(strings.Join(note, ". ")))
		}
		v.grid.Add(container.NewVBox(parts...))
	}
	v.tick(now)
	v.box.Refresh()
}

// tick updates the countdown; called every second while a result is shown.
func (v *lifetimesView) tick(now time.Time) {
	r := v.expiresAt
	if r == nil || r.ExpiresIfIdleAt == nil {
		v.countdown.SetText("")
		v.countdown.Hide()
		return
	}
	v.countdown.Show()
	est := ""
	if r.ExpiryEstimated {
		est = " (estimated)"
	}
	left := r.ExpiresIfIdleAt.Sub(now)
	if left <= 0 {
		v.countdown.Importance = widget.DangerImportance
		v.countdown.SetText(fmt.Sprintf("Session expired %s ago if idle%s", shortDuration(-left), est))
		return
	}
	v.countdown.Importance = widget.MediumImportance
	v.countdown.SetText(fmt.Sprintf("Expires in %s if idle%s, at %s", shortDuration(left), est, r.ExpiresIfIdleAt.Local().Format("15:04:05")))
}

// elapsed prints how long a run or a request took: "under 1 ms", "42.3 ms", "1.25 s".
func elapsed(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return "under 1 ms"
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// shortDuration prints 1h 59m 12s.
func shortDuration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	switch {
	case h >= 48:
		return fmt.Sprintf("%dd %dh", h/24, h%24)
	case h > 0:
		return fmt.Sprintf("%dh %02dm %02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm %02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

// guidanceView is the right half of the results: what it means and what to do.
type guidanceView struct {
	errBox   *fyne.Container // the error explanation, above everything else
	headline *widget.Label
	box      *fyne.Container
	body     *fyne.Container
}

func newGuidanceView() *guidanceView {
	v := &guidanceView{
		headline: &widget.Label{Wrapping: fyne.TextWrapWord, Selectable: true},
		body:     container.NewVBox(),
	}
	title := &widget.Label{Text: "Guidance: what it means", TextStyle: fyne.TextStyle{Bold: true}}
	v.errBox = container.NewVBox()
	v.box = container.NewVBox(title, v.errBox, v.headline, v.body)
	return v
}

func severityIcon(s guidance.Severity) fyne.Resource {
	switch s {
	case guidance.SeverityError:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case guidance.SeverityWarning:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.InfoIcon()
}

func wrapped(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Selectable: true}
}

func caption(text string) *widget.Label {
	// Small but not dimmed: low importance at caption size is too faint to read.
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, SizeName: theme.SizeNameCaptionText, Selectable: true}
}

func (v *guidanceView) render(r *guidance.Report) {
	v.headline.SetText(r.Headline)
	v.body.RemoveAll()
	v.errBox.RemoveAll()
	if e := r.Error; e != nil {
		parts := []fyne.CanvasObject{
			&widget.Label{Text: strings.TrimSpace(e.Code + ": " + e.Description), TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, Selectable: true},
		}
		for i, c := range e.Causes {
			parts = append(parts, wrapped(fmt.Sprintf("%d. %s", i+1, c)))
		}
		for _, a := range e.Fixes {
			parts = append(parts, adviceView(a))
		}
		if !e.Source.IsZero() {
			parts = append(parts, caption("Source: "+e.Source.String()))
		}
		v.errBox.Add(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon()))), nil, container.NewVBox(parts...)))
		v.errBox.Add(widget.NewSeparator())
	}
	advice := slices.Clone(r.Advice)
	rank := map[guidance.Severity]int{guidance.SeverityError: 0, guidance.SeverityWarning: 1, guidance.SeverityInfo: 2}
	sort.SliceStable(advice, func(i, j int) bool { return rank[advice[i].Severity] < rank[advice[j].Severity] })
	for _, a := range advice {
		v.body.Add(adviceView(a))
	}
	for _, pn := range r.Platform { // after the advice: dated platform changes are for information
		v.body.Add(adviceView(guidance.Advice{Severity: guidance.SeverityInfo, Title: pn.When + ": " + pn.Change, Reason: pn.Applies, Source: pn.Source}))
	}
	v.body.Add(widget.NewSeparator())
	v.body.Add(scopeView(r.Scopes))
	v.box.Refresh()
}

// adviceView shows one piece of advice; extra lines go below it in caption size.
func adviceView(a guidance.Advice, extra ...string) fyne.CanvasObject {
	parts := []fyne.CanvasObject{&widget.Label{Text: a.Title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, Selectable: true}}
	if a.Reason != "" {
		parts = append(parts, wrapped(a.Reason))
	}
	if a.Fix != "" {
		parts = append(parts, wrapped("Fix: "+a.Fix))
	}
	if a.SetupPath != "" {
		parts = append(parts, caption("Setup: "+a.SetupPath))
	}
	if a.MetadataField != "" {
		parts = append(parts, caption("Metadata: "+a.MetadataField))
	}
	if !a.Source.IsZero() {
		parts = append(parts, caption("Source: "+a.Source.String()))
	}
	for _, e := range extra {
		parts = append(parts, caption(e))
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(severityIcon(a.Severity))), nil, container.NewVBox(parts...))
}

func scopeList(s []string, empty string) string {
	if len(s) == 0 {
		return empty
	}
	return strings.Join(s, " ")
}

func scopeView(d guidance.ScopeDiagnosis) fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	row := func(k, v string) {
		grid.Add(&widget.Label{Text: k, TextStyle: fyne.TextStyle{Bold: true}})
		grid.Add(wrapped(v))
	}
	row("Requested", scopeList(d.Requested, "(no scope parameter: all of the app's scopes)"))
	allowed := scopeList(d.Allowed, "(none)")
	if !d.AllowedKnown && len(d.Allowed) == 0 {
		allowed = "(not known: tell the profile which scopes the app has)"
	}
	row("Allowed", allowed)
	granted := scopeList(d.Granted, "(none reported)")
	row("Granted", granted)
	if d.RefreshTokenIssued {
		row("Refresh token", "issued")
	} else {
		why := d.RefreshTokenWhyNot
		if why == "" {
			why = "not issued"
		}
		row("Refresh token", "none: "+why)
	}
	parts := []fyne.CanvasObject{&widget.Label{Text: "Scopes: requested, allowed, granted", TextStyle: fyne.TextStyle{Bold: true}}, grid}
	for _, n := range d.Notes {
		parts = append(parts, caption(n))
	}
	return container.NewVBox(parts...)
}

// secretFields are token fields shown masked until revealed.
var secretFields = map[string]bool{"access_token": true, "refresh_token": true, "id_token": true}

var fieldOrder = []string{"access_token", "refresh_token", "instance_url", "api_instance_url", "id", "token_type",
	"issued_at", "signature", "scope", "id_token", "expires_in"}

// tokenFields lists the token response's fields in a useful order, every raw field included.
func tokenFields(t *flows.TokenResponse) [][2]string {
	if t == nil {
		return nil
	}
	vals := map[string]string{}
	for k, v := range t.Raw() {
		switch x := v.(type) {
		case string:
			vals[k] = x
		default:
			b, _ := json.Marshal(x)
			vals[k] = string(b)
		}
	}
	set := func(k, v string) {
		if _, ok := vals[k]; !ok && v != "" {
			vals[k] = v
		}
	}
	set("access_token", t.AccessToken)
	set("refresh_token", t.RefreshToken)
	set("instance_url", t.InstanceURL)
	set("api_instance_url", t.APIInstanceURL)
	set("id", t.ID)
	set("token_type", t.TokenType)
	set("issued_at", t.IssuedAt)
	set("signature", t.Signature)
	set("scope", t.Scope)
	set("id_token", t.IDToken)
	if t.ExpiresIn != nil {
		set("expires_in", strconv.FormatInt(*t.ExpiresIn, 10))
	}
	var out [][2]string
	for _, k := range fieldOrder {
		if v, ok := vals[k]; ok {
			out = append(out, [2]string{k, v})
			delete(vals, k)
		}
	}
	rest := make([]string, 0, len(vals))
	for k := range vals {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, [2]string{k, vals[k]})
	}
	return out
}

// mask shows the start and end of a secret and its length.
func mask(s string) string {
	if len(s) <= 12 {
		return strings.Repeat("•", len(s))
	}
	return s[:6] + "••••••" + s[len(s)-4:] + fmt.Sprintf("  (%d characters)", len(s))
}

// issuedAtText makes issued_at (milliseconds) readable.
func issuedAtText(ms string) string {
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return ms
	}
	return ms + "  (" + time.UnixMilli(n).UTC().Format("2006-01-02 15:04:05 MST") + ")"
}

// tokenRows builds the Tokens tab: one row per field, masked secrets with Reveal, and Copy.
func tokenRows(t *flows.TokenResponse, copyText func(what, text string)) fyne.CanvasObject {
	fields := tokenFields(t)
	if len(fields) == 0 {
		return wrapped("No token came back.")
	}
	grid := container.New(layout.NewFormLayout())
	for _, f := range fields {
		name, val := f[0], f[1]
		shown := val
		if name == "issued_at" {
			shown = issuedAtText(val)
		}
		value := &widget.Label{Text: shown, Wrapping: fyne.TextWrapBreak, TextStyle: fyne.TextStyle{Monospace: true}}
		copyBtn := keyed(&keyButton{Button: widget.Button{Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance,
			OnTapped: func() { copyText(name, val) }}})
		buttons := container.NewHBox(copyBtn)
		if secretFields[name] {
			value.Text = mask(val)
			revealed := false
			var reveal *keyButton
			reveal = keyed(&keyButton{Button: widget.Button{Icon: theme.VisibilityIcon(), Importance: widget.LowImportance, OnTapped: func() {
				revealed = !revealed
				if revealed {
					value.SetText(val)
					reveal.SetIcon(theme.VisibilityOffIcon())
				} else {
					value.SetText(mask(val))
					reveal.SetIcon(theme.VisibilityIcon())
				}
			}}})
			buttons = container.NewHBox(reveal, copyBtn)
		}
		grid.Add(&widget.Label{Text: name, TextStyle: fyne.TextStyle{Bold: true}})
		grid.Add(container.NewBorder(nil, nil, nil, buttons, value))
	}
	return grid
}

// decodeJWTClaims returns the claims of a JWT's payload, without checking the signature
// (flows checks it; see the result's checks).
func decodeJWTClaims(tok string) (map[string]any, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a JWT: %d parts instead of 3", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("JWT payload is not base64url: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("JWT payload is not JSON: %w", err)
	}
	return m, nil
}

var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true}

func claimRows(res *flows.Result) fyne.CanvasObject {
	if res == nil || res.Token == nil || res.Token.IDToken == "" {
		return wrapped("No ID token came back. Request the openid scope with a flow that returns one (web server, user-agent, refresh, device).")
	}
	claims, err := decodeJWTClaims(res.Token.IDToken)
	if err != nil {
		return wrapped("The id_token could not be read: " + err.Error())
	}
	keys := make([]string, 0, len(claims))
	for k := range claims {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	grid := container.New(layout.NewFormLayout())
	for _, k := range keys {
		var s string
		switch v := claims[k].(type) {
		case string:
			s = v
		case float64:
			s = strconv.FormatFloat(v, 'f', -1, 64)
			if timeClaims[k] {
				s += "  (" + time.Unix(int64(v), 0).UTC().Format("2006-01-02 15:04:05 MST") + ")"
			}
		default:
			b, _ := json.Marshal(v)
			s = string(b)
		}
		grid.Add(&widget.Label{Text: k, TextStyle: fyne.TextStyle{Bold: true}})
		grid.Add(&widget.Label{Text: s, Wrapping: fyne.TextWrapBreak, Selectable: true})
	}
	var checks []fyne.CanvasObject
	for _, c := range res.Checks {
		if strings.HasPrefix(c.Name, "id_token") {
			mark := "✓"
			if !c.OK {
				mark = "✗"
			}
			checks = append(checks, caption(mark+" "+c.Name+": "+c.Detail))
		}
	}
	return container.NewVBox(append([]fyne.CanvasObject{grid}, checks...)...)
}

// exchangeTitle is one line for a transcript entry.
func exchangeTitle(i int, e flows.Exchange) string {
	path := e.URL
	if j := strings.Index(path, "://"); j >= 0 {
		if k := strings.Index(path[j+3:], "/"); k >= 0 {
			path = path[j+3+k:]
		}
	}
	if q := strings.Index(path, "?"); q >= 0 {
		path = path[:q] + "?…"
	}
	status := "no response"
	if e.Status != 0 {
		status = strconv.Itoa(e.Status)
	}
	took := ""
	if e.Duration > 0 { // zero: not timed, e.g. the authorize step, which happens in the browser
		took = "  (" + elapsed(e.Duration) + ")"
	}
	return fmt.Sprintf("%d. %s  %s %s → %s%s", i+1, e.Step, e.Method, path, status, took)
}

func headerText(h map[string][]string) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return b.String()
}

// exchangeText is the whole exchange as text, for reading and copying.
func exchangeText(e flows.Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n%s", e.Method, e.URL, headerText(e.RequestHeader))
	if e.RequestBody != "" {
		fmt.Fprintf(&b, "\n%s\n", e.RequestBody)
	}
	fmt.Fprintf(&b, "\n→ %d\n%s", e.Status, headerText(e.ResponseHeader))
	if e.ResponseBody != "" {
		fmt.Fprintf(&b, "\n%s\n", e.ResponseBody)
	}
	return b.String()
}

func transcriptView(ex []flows.Exchange, copyText func(what, text string)) fyne.CanvasObject {
	if len(ex) == 0 {
		return wrapped("No HTTP exchange yet.")
	}
	acc := widget.NewAccordion()
	acc.MultiOpen = true
	for i, e := range ex {
		text := exchangeText(e)
		curl := e.Curl
		body := &widget.Label{Text: text, Wrapping: fyne.TextWrapBreak, TextStyle: fyne.TextStyle{Monospace: true}, Selectable: true}
		buttons := container.NewHBox(
			keyed(&keyButton{Button: widget.Button{Text: "Copy as curl", Icon: theme.ContentCopyIcon(), OnTapped: func() {
				copyText("curl command", curl)
			}}}),
			keyed(&keyButton{Button: widget.Button{Text: "Copy exchange", Icon: theme.ContentCopyIcon(), OnTapped: func() { copyText("exchange", text) }}}),
		)
		if curl == "" {
			buttons.Objects[0].(*keyButton).Disable()
		}
		acc.Append(widget.NewAccordionItem(exchangeTitle(i, e), container.NewVBox(buttons, body)))
	}
	return acc
}
