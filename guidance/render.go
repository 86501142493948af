package guidance

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// textWidth is the column Text wraps at.
const textWidth = 100

// wrap breaks s into lines: the first at most first runes, the rest at most rest runes
// (a word longer than the width stays whole).
func wrap(s string, first, rest int) []string {
	var lines []string
	width := func() int {
		if len(lines) == 0 {
			return first
		}
		return rest
	}
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		cur := words[0]
		for _, w := range words[1:] {
			if utf8.RuneCountInString(cur)+1+utf8.RuneCountInString(w) > width() {
				lines = append(lines, cur)
				cur = w
				continue
			}
			cur += " " + w
		}
		lines = append(lines, cur)
	}
	return lines
}

// writeWrapped writes s wrapped at textWidth, the first line after first, the rest after indent.
func writeWrapped(b *strings.Builder, first, indent, s string) {
	lines := wrap(s, textWidth-utf8.RuneCountInString(first), textWidth-utf8.RuneCountInString(indent))
	for i, l := range lines {
		if i == 0 {
			b.WriteString(first)
		} else {
			b.WriteString(indent)
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
}

func pad(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s + " "
}

// Text renders the report as plain text wrapped at about 100 columns: the three answer lines,
// error, lifetimes, advice by severity, scopes, platform notes.
func (r Report) Text() string {
	var b strings.Builder
	title := flowInfo(r.Flow).Title
	b.WriteString(title + "\n")
	b.WriteString(strings.Repeat("=", utf8.RuneCountInString(title)) + "\n\n")
	for _, l := range r.Answer.Lines() {
		writeWrapped(&b, pad(l.Label+":", 15), strings.Repeat(" ", 15), l.Text)
	}

	if r.Error != nil {
		b.WriteString("\nError\n-----\n")
		writeError(&b, r.Error)
	}

	if len(r.Lifetimes) > 0 {
		b.WriteString("\nLifetimes\n---------\n")
		const labelW = 26
		indent := "  " + strings.Repeat(" ", labelW)
		for _, row := range r.Lifetimes {
			writeWrapped(&b, "  "+pad(row.Label, labelW), indent, row.Value)
			if row.Source != "" {
				writeWrapped(&b, indent, indent, "source: "+row.Source)
			}
			if row.Note != "" {
				writeWrapped(&b, indent, indent, row.Note)
			}
		}
	}

	if len(r.Advice) > 0 {
		b.WriteString("\nAdvice\n------\n")
		for _, a := range r.Advice {
			if r.Answer.SkipsFix(a) {
				a.Fix = "" // the Do this next line says it
			}
			writeAdvice(&b, a, DocRef{})
		}
	}

	b.WriteString("\nScopes\n------\n")
	sc := r.Scopes
	sc.RefreshTokenWhyNot = "" // the Refresh token answer line says it
	writeScopes(&b, sc)

	if len(r.Platform) > 0 {
		b.WriteString("\nPlatform changes\n----------------\n")
		for _, p := range r.Platform {
			writeWrapped(&b, "  - "+p.When+": ", "    ", p.Change+" (Applies to: "+p.Applies+".)")
			if !p.Source.IsZero() {
				writeWrapped(&b, "    Source: ", "            ", p.Source.String())
			}
		}
	}
	return b.String()
}

// Text renders an error explanation alone (for example a REST 401 met after the flow).
func (e *ErrorExplanation) Text() string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	writeError(&b, e)
	return b.String()
}

func writeError(b *strings.Builder, e *ErrorExplanation) {
	head := e.Code
	if e.Description != "" {
		head += ": " + e.Description
	}
	writeWrapped(b, "  ", "  ", head)
	if e.Note != "" {
		writeWrapped(b, "  ", "  ", e.Note)
	}
	if e.Meaning != "" {
		writeWrapped(b, "  Means: ", "         ", e.Meaning)
	}
	if len(e.Causes) > 0 {
		b.WriteString("  Likely causes, most likely first:\n")
		for _, c := range e.Causes {
			writeWrapped(b, "  - ", "    ", c)
		}
	}
	if len(e.Fixes) > 0 {
		b.WriteString("  What to change:\n")
		for _, f := range e.Fixes {
			writeAdvice(b, f, e.Source)
		}
	}
	if !e.Source.IsZero() {
		writeWrapped(b, "  Source: ", "          ", e.Source.String())
	}
}

// writeAdvice writes one advice; its source is left out when it is skip (the error's own).
func writeAdvice(b *strings.Builder, a Advice, skip DocRef) {
	writeWrapped(b, "  ["+strings.ToUpper(string(a.Severity))+"] ", "      ", a.Title)
	const ind = "      "
	if a.Reason != "" {
		writeWrapped(b, ind, ind, a.Reason)
	}
	if a.Fix != "" {
		writeWrapped(b, ind+"Fix: ", ind+"     ", a.Fix)
	}
	if a.SetupPath != "" {
		writeWrapped(b, ind+"Setup: ", ind+"       ", a.SetupPath)
	}
	if a.MetadataField != "" {
		writeWrapped(b, ind+"Metadata: ", ind+"          ", a.MetadataField)
	}
	if !a.Source.IsZero() && a.Source != skip {
		writeWrapped(b, ind+"Source: ", ind+"        ", a.Source.String())
	}
}

// ScopeLine is a line of a scopes section: a label ("Requested:") and what it says.
type ScopeLine struct{ Label, Value string }

// Lines are the scopes requested, allowed by the app and granted, as every report writes
// them; allowedUnknown is what stands for the app's scopes when they are not known.
func (d ScopeDiagnosis) Lines(allowedUnknown string) []ScopeLine {
	list := func(s []string, empty string) string {
		if len(s) == 0 {
			return empty
		}
		return strings.Join(s, " ")
	}
	allowed := allowedUnknown
	if d.AllowedKnown {
		allowed = list(d.Allowed, "none selected")
	}
	granted := "not reported"
	switch {
	case len(d.Granted) > 0:
		granted = strings.Join(d.Granted, " ")
	case d.GrantedReported:
		granted = "(empty scope field)"
	}
	return []ScopeLine{{"Requested:", list(d.Requested, "none sent")}, {"Allowed by the app:", allowed}, {"Granted:", granted}}
}

func writeScopes(b *strings.Builder, d ScopeDiagnosis) {
	ind := strings.Repeat(" ", 22)
	line := func(label, v string) { writeWrapped(b, "  "+pad(label, 20), ind, v) }
	for _, l := range d.Lines("unknown (enter the app's Selected OAuth Scopes to check)") {
		line(l.Label, l.Value)
	}
	if d.RefreshTokenIssued {
		line("Refresh token:", "issued")
	} else if d.RefreshTokenWhyNot != "" {
		line("Refresh token:", "not issued. "+d.RefreshTokenWhyNot)
	}
	for _, n := range d.Notes {
		writeWrapped(b, "  - ", "    ", n)
	}
}

// JSON rendering: stable snake_case keys.

type jsonRow struct {
	ID        string  `json:"id"`
	Label     string  `json:"label"`
	Value     string  `json:"value"`
	Source    string  `json:"source,omitempty"`
	Note      string  `json:"note,omitempty"`
	At        *string `json:"at,omitempty"`
	Estimated bool    `json:"estimated"`
	Doc       *DocRef `json:"doc,omitempty"`
}

type jsonAdvice struct {
	Severity      Severity `json:"severity"`
	Title         string   `json:"title"`
	Reason        string   `json:"reason,omitempty"`
	Fix           string   `json:"fix,omitempty"`
	SetupPath     string   `json:"setup_path,omitempty"`
	MetadataField string   `json:"metadata_field,omitempty"`
	Source        *DocRef  `json:"source,omitempty"`
}

type jsonScopes struct {
	Requested          []string `json:"requested"`
	Allowed            []string `json:"allowed"`
	Granted            []string `json:"granted"`
	AllowedKnown       bool     `json:"allowed_known"`
	GrantedReported    bool     `json:"granted_reported"`
	RefreshTokenIssued bool     `json:"refresh_token_issued"`
	RefreshTokenWhyNot string   `json:"refresh_token_why_not,omitempty"`
	Notes              []string `json:"notes"`
}

type jsonError struct {
	Code        string       `json:"code"`
	Description string       `json:"description"`
	Rule        string       `json:"rule,omitempty"`
	Meaning     string       `json:"meaning,omitempty"`
	Note        string       `json:"note,omitempty"`
	Causes      []string     `json:"causes"`
	Fixes       []jsonAdvice `json:"fixes"`
	Source      *DocRef      `json:"source,omitempty"`
}

type jsonPlatform struct {
	ID      string  `json:"id,omitempty"`
	When    string  `json:"when"`
	Change  string  `json:"change"`
	Applies string  `json:"applies"`
	Past    bool    `json:"past"`
	Source  *DocRef `json:"source,omitempty"`
}

func refPtr(d DocRef) *DocRef {
	if d.IsZero() {
		return nil
	}
	return &d
}

// AnswerJSON is the JSON form of the three answer lines.
type AnswerJSON struct {
	Lifetime     AnswerLineJSON `json:"lifetime"`
	RefreshToken AnswerLineJSON `json:"refresh_token"`
	DoThisNext   AnswerLineJSON `json:"do_this_next"`
}

// AnswerLineJSON is one answer line in JSON.
type AnswerLineJSON struct {
	Text     string   `json:"text"`
	Severity Severity `json:"severity"`
	Source   *DocRef  `json:"source,omitempty"`
}

// JSON is the answer in its JSON form (the "answer" object of reports and of `run --json`).
func (a Answer) JSON() AnswerJSON {
	l := func(x AnswerLine) AnswerLineJSON {
		return AnswerLineJSON{Text: x.Text, Severity: x.Severity, Source: refPtr(x.Source)}
	}
	return AnswerJSON{Lifetime: l(a.Lifetime), RefreshToken: l(a.RefreshToken), DoThisNext: l(a.DoThisNext)}
}

type jsonReport struct {
	Flow               string         `json:"flow"`
	Answer             AnswerJSON     `json:"answer"`
	KeyFacts           []string       `json:"key_facts"`
	Headline           string         `json:"headline"`
	IdleTimeoutSeconds int64          `json:"idle_timeout_seconds"`
	IdleTimeout        string         `json:"idle_timeout"`
	IdleTimeoutSource  Source         `json:"idle_timeout_source"`
	ExpiresIfIdleAt    *string        `json:"expires_if_idle_at"`
	ExpiryEstimated    bool           `json:"expiry_estimated"`
	Lifetimes          []jsonRow      `json:"lifetimes"`
	Advice             []jsonAdvice   `json:"advice"`
	Scopes             jsonScopes     `json:"scopes"`
	Error              *jsonError     `json:"error"`
	Platform           []jsonPlatform `json:"platform"`
}

func jsonTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.RFC3339)
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toJSONAdvice(a []Advice) []jsonAdvice {
	out := make([]jsonAdvice, 0, len(a))
	for _, x := range a {
		out = append(out, jsonAdvice{Severity: x.Severity, Title: x.Title, Reason: x.Reason, Fix: x.Fix,
			SetupPath: x.SetupPath, MetadataField: x.MetadataField, Source: refPtr(x.Source)})
	}
	return out
}

// MarshalJSON renders the report with stable snake_case keys; times are RFC 3339.
func (r Report) MarshalJSON() ([]byte, error) {
	j := jsonReport{
		Flow:               string(r.Flow),
		Answer:             r.Answer.JSON(),
		KeyFacts:           nonNil(r.KeyFacts),
		Headline:           r.Headline,
		IdleTimeoutSeconds: int64(r.IdleTimeout / time.Second),
		IdleTimeout:        humanDuration(r.IdleTimeout),
		IdleTimeoutSource:  r.IdleTimeoutSource,
		ExpiresIfIdleAt:    jsonTime(r.ExpiresIfIdleAt),
		ExpiryEstimated:    r.ExpiryEstimated,
		Lifetimes:          make([]jsonRow, 0, len(r.Lifetimes)),
		Advice:             toJSONAdvice(r.Advice),
		Scopes: jsonScopes{
			Requested: nonNil(r.Scopes.Requested), Allowed: nonNil(r.Scopes.Allowed), Granted: nonNil(r.Scopes.Granted),
			AllowedKnown: r.Scopes.AllowedKnown, GrantedReported: r.Scopes.GrantedReported,
			RefreshTokenIssued: r.Scopes.RefreshTokenIssued, RefreshTokenWhyNot: r.Scopes.RefreshTokenWhyNot,
			Notes: nonNil(r.Scopes.Notes),
		},
		Platform: make([]jsonPlatform, 0, len(r.Platform)),
	}
	if r.IdleTimeout == 0 {
		j.IdleTimeout = ""
	}
	for _, row := range r.Lifetimes {
		j.Lifetimes = append(j.Lifetimes, jsonRow{ID: row.ID, Label: row.Label, Value: row.Value, Source: row.Source, Note: row.Note,
			At: jsonTime(row.At), Estimated: row.Estimated, Doc: refPtr(row.Doc)})
	}
	if r.Error != nil {
		j.Error = r.Error.toJSON()
	}
	for _, p := range r.Platform {
		j.Platform = append(j.Platform, jsonPlatform{ID: p.ID, When: p.When, Change: p.Change, Applies: p.Applies, Past: p.Past, Source: refPtr(p.Source)})
	}
	return json.Marshal(j)
}

func (e *ErrorExplanation) toJSON() *jsonError {
	return &jsonError{Code: e.Code, Description: e.Description, Rule: e.Rule, Meaning: e.Meaning, Note: e.Note,
		Causes: nonNil(e.Causes), Fixes: toJSONAdvice(e.Fixes), Source: refPtr(e.Source)}
}

// MarshalJSON renders an error explanation alone with the same keys as a report's "error".
func (e ErrorExplanation) MarshalJSON() ([]byte, error) { return json.Marshal(e.toJSON()) }

// Wrap breaks s into lines of at most first runes for the first line and rest for the others
// (a word longer than the width stays whole); renderers of other packages wrap with it.
func Wrap(s string, first, rest int) []string { return wrap(s, first, rest) }
