package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/connectedapplab/connectedapplab/flows"
)

// "Why did it stop?" (issue 16 items 4-6): after a refresh fails, the window asks the backend
// to gather the org's facts with an admin's access and to walk the documented causes. The
// window only chooses the admin profile and shows the answer; the OAuth and SOQL calls are
// the backend's (ui/wire: diagnose and guidance).

// DiagnoseInput is what the backend needs to diagnose a failed refresh.
type DiagnoseInput struct {
	Profile Profile // the profile whose refresh failed (username, app API name)
	Failure *flows.OAuthError
	// ObtainedAt is when the window received the refresh token that failed (nil: unknown).
	ObtainedAt *time.Time
	// Admin is the admin profile's flow, run headless for an admin token; Flow "" means no
	// admin: nothing is read from the org.
	Admin flows.Request
	Now   time.Time
}

// DiagnosisCause is one documented cause as judged.
type DiagnosisCause struct {
	Title, Why, Check, SetupPath, Fact, Source string
}

// Diagnosis is the backend's answer, in the window's terms.
type Diagnosis struct {
	Failure  string // "invalid_grant: expired access/refresh token"
	Meaning  string
	Summary  string
	Found    []DiagnosisCause
	Open     []DiagnosisCause
	RuledOut []DiagnosisCause
	Budget   string   // the approval budget message, when approvals were read
	Notes    []string // facts that could not be read, and why
}

// BudgetInput asks where a user stands against the five approvals per user and app.
type BudgetInput struct {
	Profile Profile
	Admin   flows.Request
	Now     time.Time
}

// Budget is the approval budget before an interactive login.
type Budget struct {
	Message  string
	Count    int
	Max      int
	CanStale bool // a stale approval could be revoked instead (RevokeStale)
}

// interactive reports whether f logs a person in through a browser or device, making an approval.
func interactive(f flows.Flow) bool {
	switch f {
	case flows.WebServer, flows.WebServerPKCE, flows.UserAgent, flows.Device:
		return true
	}
	return false
}

// adminNames lists the profiles an admin could log in with headless (not browser flows).
func (l *Lab) adminNames() []string {
	out := []string{noAdmin}
	for _, p := range l.profiles.items {
		if p.Flow != "" && !interactive(flows.Flow(p.Flow)) {
			out = append(out, p.Name)
		}
	}
	return out
}

const noAdmin = "(no admin)"

// adminRequest is the chosen admin profile's flow, ready to run headless; ok is false when none.
func (l *Lab) adminRequest() (flows.Request, bool) {
	name := l.adminSel.Selected
	if name == "" || name == noAdmin {
		return flows.Request{}, false
	}
	for _, p := range l.profiles.items {
		if p.Name != name {
			continue
		}
		s, err := l.store.Secrets(p.ID)
		if err != nil {
			return flows.Request{}, false
		}
		req := buildRequest(p, s)
		if clock := l.orgClock(); clock != nil {
			req.Options.Now = clock
		}
		return req, true
	}
	return flows.Request{}, false
}

// refreshObtained records when the window received rt (once: a refresh without rotation keeps it).
func (l *Lab) refreshObtained(res *flows.Result) {
	if res == nil || res.Token == nil || res.Token.RefreshToken == "" {
		return
	}
	if _, ok := l.obtained[res.Token.RefreshToken]; ok {
		return
	}
	at := l.now()
	if clock := l.orgClock(); clock != nil {
		at = clock()
	}
	l.obtained[res.Token.RefreshToken] = at
}

// failedRefresh reports whether the last run is a refresh the token endpoint refused.
func (l *Lab) failedRefresh() bool {
	st := l.last
	return st != nil && st.result != nil && st.result.Flow == flows.Refresh && st.result.OAuthError != nil
}

// Diagnose asks why the last refresh failed, with the chosen admin's access.
func (l *Lab) Diagnose() {
	if l.running || !l.failedRefresh() || l.be.DiagnoseRefresh == nil {
		return
	}
	st := l.last
	in := DiagnoseInput{Profile: st.profile, Failure: st.result.OAuthError, Now: l.now()}
	if clock := l.orgClock(); clock != nil {
		in.Now = clock()
	}
	if at, ok := l.obtained[st.req.RefreshToken]; ok {
		in.ObtainedAt = &at
	}
	in.Admin, _ = l.adminRequest()
	diag := l.be.DiagnoseRefresh
	var got *Diagnosis
	l.action("Diagnosing the refresh failure (logging in as the admin, reading the org)", func(ctx context.Context) ([]flows.Exchange, error) {
		d, err := diag(ctx, in)
		got = d
		return nil, err
	}, func(err error) {
		switch {
		case err != nil:
			l.setStatus("Diagnosis failed: "+oneLineText(err.Error()), widget.DangerImportance)
		case got != nil:
			l.diagnosis = got
			l.setStatus("Diagnosis: "+oneLineText(got.Summary), widget.MediumImportance)
		}
	})
}

// showDiagnosis puts the last diagnosis in place of the results; explainAndShow calls it.
func (l *Lab) showDiagnosis() {
	d := l.diagnosis
	if d == nil {
		return
	}
	l.diagText = diagnosisText(d)
	objs := []fyne.CanvasObject{
		&widget.Label{Text: "Why did it stop? " + d.Failure, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, Selectable: true},
	}
	if d.Meaning != "" {
		objs = append(objs, wrapped(d.Meaning))
	}
	objs = append(objs, &widget.Label{Text: d.Summary, Wrapping: fyne.TextWrapWord, Selectable: true, Importance: widget.HighImportance})
	section := func(title string, imp widget.Importance, cs []DiagnosisCause, long bool) {
		if len(cs) == 0 {
			return
		}
		objs = append(objs, widget.NewSeparator(), &widget.Label{Text: fmt.Sprintf("%s (%d)", title, len(cs)), TextStyle: fyne.TextStyle{Bold: true}, Importance: imp})
		for _, c := range cs {
			objs = append(objs, &widget.Label{Text: c.Title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord, Selectable: true})
			for _, line := range causeLines(c, long) {
				objs = append(objs, caption(line))
			}
		}
	}
	section("Found", widget.DangerImportance, d.Found, true)
	section("Could not rule out (how to check each)", widget.WarningImportance, d.Open, true)
	section("Ruled out", widget.LowImportance, d.RuledOut, false)
	if d.Budget != "" {
		objs = append(objs, widget.NewSeparator(), &widget.Label{Text: "Approvals", TextStyle: fyne.TextStyle{Bold: true}}, wrapped(d.Budget))
	}
	if len(d.Notes) > 0 {
		objs = append(objs, widget.NewSeparator(), &widget.Label{Text: "Not read", TextStyle: fyne.TextStyle{Bold: true}})
		for _, n := range d.Notes {
			objs = append(objs, caption("• "+n))
		}
	}
	back := &widget.Button{Text: "Back to results", Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: func() {
		l.diagnosis = nil
		l.explainAndShow()
	}}
	view := container.NewBorder(container.NewHBox(back), nil, nil, nil, container.NewVScroll(container.NewPadded(container.NewVBox(objs...))))
	l.showCenter(view)
}

func causeLines(c DiagnosisCause, long bool) []string {
	why := "Why: " + c.Why
	if c.Fact != "" {
		why += " [" + c.Fact + "]"
	}
	out := []string{why}
	if !long {
		return out
	}
	if c.Check != "" {
		out = append(out, "How to check: "+c.Check)
	}
	if c.SetupPath != "" {
		out = append(out, "Setup: "+c.SetupPath)
	}
	if c.Source != "" {
		out = append(out, "Source: "+c.Source)
	}
	return out
}

// diagnosisText is the diagnosis as plain text (tests read it; the view shows the same).
func diagnosisText(d *Diagnosis) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Why did it stop? %s\n%s\n%s\n", d.Failure, d.Meaning, d.Summary)
	for _, s := range []struct {
		title string
		cs    []DiagnosisCause
		long  bool
	}{{"Found", d.Found, true}, {"Could not rule out", d.Open, true}, {"Ruled out", d.RuledOut, false}} {
		if len(s.cs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s (%d)\n", s.title, len(s.cs))
		for _, c := range s.cs {
			fmt.Fprintf(&b, "%s\n  %s\n", c.Title, strings.Join(causeLines(c, s.long), "\n  "))
		}
	}
	if d.Budget != "" {
		fmt.Fprintf(&b, "Approvals: %s\n", d.Budget)
	}
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "Not read: %s\n", n)
	}
	return b.String()
}

func oneLineText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// checkBudget says, before an interactive login, where the profile's user stands against the
// five approvals per app; it runs when an admin is chosen or the profile changes.
func (l *Lab) checkBudget() {
	l.budgetLine.Hide()
	l.budget = nil
	p, _ := l.readForm()
	admin, ok := l.adminRequest()
	if !ok || l.be.ApprovalBudget == nil || !interactive(flows.Flow(p.Flow)) || p.Username == "" || p.AppAPIName == "" {
		return
	}
	l.budgetSeq++
	seq := l.budgetSeq
	in := BudgetInput{Profile: p, Admin: admin, Now: l.now()}
	ctx, cancel := context.WithTimeout(l.ctx, 2*time.Minute)
	fn := l.be.ApprovalBudget
	type out struct {
		b   *Budget
		err error
	}
	background(func() out { b, err := fn(ctx, in); return out{b, err} }, func(o out) {
		cancel()
		if seq != l.budgetSeq {
			return
		}
		if o.err != nil {
			l.budgetText.SetText("Approvals not checked: " + oneLineText(o.err.Error()))
			l.budgetText.Importance = widget.LowImportance
			l.budgetRevoke.Hide()
		} else if o.b != nil {
			l.budget = o.b
			l.budgetText.SetText(o.b.Message)
			l.budgetText.Importance = widget.MediumImportance
			if o.b.Count >= o.b.Max {
				l.budgetText.Importance = widget.WarningImportance
			}
			if o.b.CanStale && l.be.RevokeStale != nil {
				l.budgetRevoke.Show()
			} else {
				l.budgetRevoke.Hide()
			}
		}
		l.budgetText.Refresh()
		l.budgetLine.Show()
	})
}

// RevokeStaleApproval revokes the least recently used approval (only on the user's click).
func (l *Lab) RevokeStaleApproval() {
	p, _ := l.readForm()
	admin, ok := l.adminRequest()
	if !ok || l.be.RevokeStale == nil || l.budget == nil || !l.budget.CanStale {
		return
	}
	fn := l.be.RevokeStale
	in := BudgetInput{Profile: p, Admin: admin, Now: l.now()}
	var msg string
	l.action("Revoking the least recently used approval", func(ctx context.Context) ([]flows.Exchange, error) {
		m, err := fn(ctx, in)
		msg = m
		return nil, err
	}, func(err error) {
		if err != nil {
			l.setStatus("Revoke failed: "+oneLineText(err.Error()), widget.DangerImportance)
			return
		}
		l.setStatus(msg, widget.SuccessImportance)
		l.checkBudget()
	})
}

// ExplainErrorURL explains the real error a pasted Salesforce error-page URL carries.
func (l *Lab) ExplainErrorURL(raw string) {
	raw = strings.TrimSpace(raw)
	if l.be.ExplainURL == nil {
		return
	}
	if raw == "" {
		l.setStatus("Paste the address of Salesforce's error page (or of the callback) first.", widget.WarningImportance)
		return
	}
	p, _ := l.readForm()
	text, err := l.be.ExplainURL(p, raw, l.now())
	if err != nil {
		l.urlExplained = ""
		l.showError("Could not read an error from that address", oneLineText(err.Error()), "")
		return
	}
	l.urlExplained = text
	body := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Selectable: true}
	back := &widget.Button{Text: "Back to results", Icon: theme.NavigateBackIcon(), Importance: widget.LowImportance, OnTapped: func() {
		if l.last != nil {
			l.explainAndShow()
		} else {
			l.showCenter(l.emptyHint)
		}
	}}
	l.center.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(back), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(
			&widget.Label{Text: "The error behind the pasted page", TextStyle: fyne.TextStyle{Bold: true}}, body))))}
	l.center.Refresh()
	l.setStatus("Explained the error the pasted address carries.", widget.MediumImportance)
}

// askErrorURL opens a small dialog to paste an error-page URL.
func (l *Lab) askErrorURL() {
	e := widget.NewMultiLineEntry()
	e.Wrapping = fyne.TextWrapBreak
	e.SetPlaceHolder("https://…/setup/secur/RemoteAccessErrorPage.apexp?…")
	e.SetMinRowsVisible(3)
	l.lastDialog = "Explain an error page"
	d := dialog.NewCustomConfirm("Explain an error page", "Explain", "Close",
		container.NewVBox(caption("Paste the address of Salesforce's error page (RemoteAccessErrorPage, OAUTH_APPROVAL_ERROR_GENERIC) or of the callback:"), e),
		func(ok bool) {
			if ok {
				l.ExplainErrorURL(e.Text)
			}
		}, l.win)
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}
