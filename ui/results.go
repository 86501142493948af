package ui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

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
	title := &widget.Label{Text: "Lifetimes: what came back", TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	v.box = container.NewVBox(title, v.countdown, v.grid)
	return v
}

func (v *lifetimesView) render(r *guidance.Report, now time.Time) {
	v.expiresAt = r
	v.grid.RemoveAll()
	for _, row := range r.Lifetimes {
		value := row.Shown() // "(assumed)" or "(estimated)", once
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

// guidanceView is the right half of the results: what it means and what to do. The answer
// (answerView) is above both halves.
type guidanceView struct {
	errBox *fyne.Container // the error explanation, above everything else
	box    *fyne.Container
	body   *fyne.Container
}

func newGuidanceView() *guidanceView {
	v := &guidanceView{body: container.NewVBox()}
	title := &widget.Label{Text: "Guidance: what it means", TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	v.errBox = container.NewVBox()
	v.box = container.NewVBox(title, v.errBox, v.body)
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
	v.body.RemoveAll()
	v.errBox.RemoveAll()
	if e := r.Error; e != nil {
		var icon fyne.Resource = theme.NewErrorThemedResource(theme.ErrorIcon())
		imp := widget.DangerImportance
		if e.Code == guidance.CodeCancelled { // stopped on purpose: no alarm
			imp, icon = widget.WarningImportance, theme.NewWarningThemedResource(theme.WarningIcon())
		}
		parts := []fyne.CanvasObject{
			&widget.Label{Text: strings.TrimSpace(e.Code + ": " + e.Description), TextStyle: fyne.TextStyle{Bold: true}, Importance: imp, Wrapping: fyne.TextWrapWord, Selectable: true},
		}
		if e.Meaning != "" {
			parts = append(parts, wrapped(e.Meaning))
		}
		if e.Note != "" {
			parts = append(parts, caption(e.Note))
		}
		for i, c := range e.Causes {
			parts = append(parts, wrapped(fmt.Sprintf("%d. %s", i+1, c)))
		}
		for i, a := range e.Fixes {
			if i == 0 && r.Answer.DoThisNext.FromError {
				a.Fix = "" // the Do this next line says it
			}
			parts = append(parts, adviceView(a))
		}
		if !e.Source.IsZero() {
			parts = append(parts, caption("Source: "+e.Source.String()))
		}
		v.errBox.Add(container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, container.NewVBox(parts...)))
		v.errBox.Add(widget.NewSeparator())
	}
	advice := slices.Clone(r.Advice)
	rank := map[guidance.Severity]int{guidance.SeverityError: 0, guidance.SeverityWarning: 1, guidance.SeverityInfo: 2}
	sort.SliceStable(advice, func(i, j int) bool { return rank[advice[i].Severity] < rank[advice[j].Severity] })
	for _, a := range advice {
		if r.Answer.SkipsFix(a) {
			a.Fix = "" // the Do this next line says it
		}
		v.body.Add(adviceView(a))
	}
	for _, pn := range r.Platform { // after the advice: dated platform changes are for information
		v.body.Add(adviceView(guidance.Advice{Severity: guidance.SeverityInfo, Title: pn.When + ": " + pn.Change, Reason: pn.Applies, Source: pn.Source}))
	}
	v.body.Add(widget.NewSeparator())
	sc := r.Scopes
	sc.RefreshTokenWhyNot = "" // the Refresh token answer line says it
	v.body.Add(scopeView(sc))
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
		why := "none"
		if d.RefreshTokenWhyNot != "" {
			why = "none: " + d.RefreshTokenWhyNot
		}
		row("Refresh token", why)
	}
	parts := []fyne.CanvasObject{&widget.Label{Text: "Scopes: requested, allowed, granted", TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}, grid}
	for _, n := range d.Notes {
		parts = append(parts, caption(n))
	}
	return container.NewVBox(parts...)
}

// secretFields are token fields shown masked until revealed.
var secretFields = map[string]bool{"access_token": true, "refresh_token": true, "id_token": true}

var fieldOrder = []string{"access_token", "refresh_token", "instance_url", "api_instance_url", "id", "token_type",
	"issued_at", "signature", "scope", "id_token", "expires_in"}

var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true}
