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
)

// The tabs below the results: the token response's fields (masked, each copyable), the ID
// token's claims, and the transcript of every HTTP exchange.

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
func tokenRows(t *flows.TokenResponse, refreshInUse string, copyText func(what, text string)) fyne.CanvasObject {
	fields := tokenFields(t)
	if len(fields) == 0 {
		return wrapped("No token came back.")
	}
	if t.RefreshToken == "" && refreshInUse != "" { // a refresh without rotation: the sent one stays in use
		fields = slices.Insert(fields, 1, [2]string{refreshInUseField, refreshInUse})
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
		if secretFields[name] || name == refreshInUseField {
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

// refreshInUseField names the Tokens tab's row of the refresh token in use when the response
// carries none (the refresh flow without rotation returns no refresh_token).
const refreshInUseField = "refresh_token (in use)"

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
	step := e.Step + "  "
	if strings.HasSuffix(strings.TrimSuffix(path, "?…"), "/"+e.Step) { // the path says it (POST /services/oauth2/token): the title fits a 1024-pixel window
		step = ""
	}
	return fmt.Sprintf("%d. %s%s %s → %s%s", i+1, step, e.Method, path, status, took)
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
