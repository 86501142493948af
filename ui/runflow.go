package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/widget"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/internal/appfacts"
	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// Running a flow: the request from the form, the run in the background with its progress,
// and its result explained (guidance) and shown in the results view.

// runState is one run and what was done with its result since.
type runState struct {
	profile       Profile
	secrets       Secrets
	req           flows.Request
	result        *flows.Result
	introspection *flows.Introspection
	apiErr        *flows.OAuthError
	extra         []flows.Exchange
	steps         []flows.Progress
	report        guidance.Report
	at            time.Time // when the run started, by this machine's clock
	// revoked is when Revoke ended the session (nil: not revoked); revokedRefresh says the
	// refresh token went with it.
	revoked        *time.Time
	revokedRefresh bool
}

// request builds the flows.Request for a profile.
func buildRequest(p Profile, s Secrets) flows.Request {
	req := flows.Request{
		Flow:          flows.Flow(p.Flow),
		LoginURL:      p.LoginURL,
		MyDomainURL:   p.MyDomainURL,
		ClientID:      p.ClientID,
		ClientSecret:  s.ClientSecret,
		CallbackURL:   p.CallbackURL,
		Scopes:        slices.Clone(p.Scopes),
		Username:      p.Username,
		Password:      s.Password,
		SecurityToken: s.SecurityToken,
		RefreshToken:  s.RefreshToken,
		JWTAudience:   p.JWTAudience,
	}
	if s.PrivateKeyPEM != "" {
		req.JWTPrivateKeyPEM = []byte(s.PrivateKeyPEM)
	}
	// The one listener timeout of the program (the command line's --listen-timeout default).
	req.Options.ListenTimeout = flows.DefaultListenTimeout
	req.Options.DeviceTimeout = flows.DefaultDeviceTimeout
	return req
}

// waitsFor is how long a flow waits for the person: the browser's callback, or the device
// flow's approval.
func waitsFor(f flows.Flow) time.Duration {
	if f == flows.Device {
		return flows.DefaultDeviceTimeout
	}
	return flows.DefaultListenTimeout
}

// Run runs the chosen flow with what the form holds. The form is not touched, so nothing
// typed is lost when the flow fails.
func (l *Lab) Run() {
	if l.running {
		return
	}
	p, s := l.readForm()
	if !l.checkForm(flows.Flow(p.Flow)) { // every field, problems shown under them (formcheck.go)
		return
	}
	if l.be.RunFlow == nil {
		l.showError("Running flows is not part of this build", "This build has no OAuth client wired in.", "")
		return
	}
	l.lintBeforeRun(p, s)
	req := buildRequest(p, s)
	if req.Flow == flows.TokenExchange {
		req.SubjectToken = l.form.subject.Text
		req.SubjectTokenType = strings.TrimSpace(l.form.subjType.Text)
	}
	if req.Flow == flows.SAMLBearer {
		req.SAMLAssertion = strings.TrimSpace(l.form.saml.Text)
	}
	l.start(p, s, req, l.be.RunFlow)
}

// RefreshToken runs the refresh token flow with the last refresh token.
func (l *Lab) RefreshToken() {
	if l.running || l.last == nil {
		return
	}
	rt := l.refreshTokenOf(l.last)
	if rt == "" {
		l.setStatus("No refresh token to use: request the refresh_token scope (and check the flow can issue one).", widget.WarningImportance)
		return
	}
	p, s := l.last.profile, l.last.secrets
	req := l.last.req
	req.Flow, req.RefreshToken = flows.Refresh, rt
	run := l.be.Refresh
	if run == nil {
		run = l.be.RunFlow
	}
	if run == nil {
		return
	}
	p.Flow = string(flows.Refresh)
	l.start(p, s, req, run)
}

// refreshTokenOf is the refresh token a run left to refresh with: the one it returned, else
// the one a refresh sent (which stays in use when it did not rotate, and is the one that
// failed when it failed); nothing after a cancelled run, nor once Revoke revoked it.
func (l *Lab) refreshTokenOf(st *runState) string {
	switch {
	case st.revokedRefresh:
		return ""
	case st.result != nil && st.result.Token != nil && st.result.Token.RefreshToken != "":
		return st.result.Token.RefreshToken
	case st.req.Flow != flows.Refresh, st.result != nil && errors.Is(st.result.Err, context.Canceled):
		return ""
	}
	return st.req.RefreshToken
}

func (l *Lab) start(p Profile, s Secrets, req flows.Request, run func(context.Context, flows.Request, func(flows.Progress)) *flows.Result) {
	// In the demo, the client dates what it signs and checks (JWT iat/exp, ID token times) by
	// the emulated org's clock, which may have been moved forward. The follow-up calls
	// (introspect, revoke, call API, refresh) reuse this request, clock included.
	if clock := l.orgClock(); clock != nil {
		req.Options.Now = clock
	}
	l.running = true
	l.runSeq++
	seq := l.runSeq
	ctx, cancel := context.WithCancel(l.ctx)
	l.cancel = cancel
	l.stopTick()
	st := &runState{profile: p, secrets: s, req: req, at: l.be.now()}
	prev := l.last
	l.diagnosis = nil
	l.runBtn.Disable()
	l.cancelBtn.Enable()
	l.updateActionsRunning()
	l.run.reset(req.Flow, l.be.now(), l.now().Add(waitsFor(req.Flow)))
	l.showRunning(l.run.box)
	l.stopTick = ticker(l.tickEvery(), func() { l.run.tick(l.now()) })
	l.setStatus(fmt.Sprintf("Running the %s flow… (Esc or Ctrl+. cancels)", req.Flow), widget.MediumImportance)

	progress := onUI(func(pr flows.Progress) {
		if seq != l.runSeq {
			return
		}
		st.steps = append(st.steps, pr)
		l.run.add(pr)
		if pr.Step == flows.StepBrowserNotOpened { // at once, where the person looks: not only in the step log
			l.setStatus("The browser could not be opened: press Copy URL and open the address in a browser on this machine.", widget.WarningImportance)
		}
	})
	keyFile := p.JWTKeyFile
	background(func() *flows.Result {
		if req.Flow == flows.JWTBearer && len(req.JWTPrivateKeyPEM) == 0 && keyFile != "" {
			pem, err := userfile.Read(keyFile, "JWT private key", userfile.KeyLimit)
			if err != nil {
				return &flows.Result{Flow: req.Flow, Err: fmt.Errorf("%w; choose the PEM file of the key whose certificate is on the app", err)}
			}
			req.JWTPrivateKeyPEM = pem
			st.req.JWTPrivateKeyPEM = pem
		}
		res := run(ctx, req, progress)
		if res == nil {
			res = &flows.Result{Flow: req.Flow, Err: errors.New("the flow returned nothing")}
		}
		return res
	}, func(res *flows.Result) {
		if seq != l.runSeq {
			return
		}
		cancel()
		l.running = false
		l.cancel = nil
		l.runBtn.Enable()
		l.cancelBtn.Disable()
		l.stopTick()
		st.result = res
		// A refresh that did not rotate keeps the refresh token it used.
		if req.Flow == flows.Refresh && res.Token != nil && res.Token.RefreshToken == "" {
			st.req.RefreshToken = req.RefreshToken
		}
		if res.Err != nil && res.Token == nil && prev != nil && req.Flow == flows.Refresh {
			st.req.RefreshToken = req.RefreshToken
		}
		l.last, l.cleared = st, nil
		l.refreshObtained(res)
		if rt := l.refreshTokenOf(st); rt != "" {
			l.form.loading = true
			l.form.refresh.SetText(rt)
			l.form.loading = false
		}
		if req.Flow == flows.Refresh && res.Err == nil && res.Token != nil && p.ID != "" {
			l.rotation[p.ID] = res.RefreshTokenRotated || res.Token.RefreshToken != "" // what this refresh showed
		}
		l.explain(true)
		switch {
		case res.Err == nil:
			done := fmt.Sprintf("%s flow done in %s.", res.Flow, elapsed(res.Duration))
			l.setStatus(done, widget.SuccessImportance)
			l.tabs.Select(l.tokensTab)
			if req.Flow == flows.Refresh && res.RefreshTokenRotated && res.Token != nil && res.Token.RefreshToken != "" {
				l.keepRotated(p, res.Token.RefreshToken, done)
			}
			if l.canIntrospect(st) { // the session's real end and timeout, for every text that follows
				l.introspect(true)
			}
		case errors.Is(res.Err, context.Canceled):
			l.setStatus("Cancelled. The form still holds everything you typed.", widget.WarningImportance)
			l.tabs.Select(l.stepsTab)
		default:
			l.setStatus("Failed: "+res.Err.Error(), widget.DangerImportance)
			l.tabs.Select(l.transTab)
			if res.OAuthError == nil && len(res.Transcript.Exchanges()) == 0 {
				l.showError("The flow failed", "The flow stopped before the server answered. The form still holds everything you typed.", res.Err.Error())
			}
		}
	})
}

// keepRotated replaces the saved profile's refresh token after a rotation, at once: the token
// that was sent no longer works. A failed save is shown as an error, never dropped.
func (l *Lab) keepRotated(p Profile, token, done string) {
	rotated := done + " The refresh token rotated: the one sent no longer works; the new one is in the Tokens tab."
	l.setStatus(rotated, widget.SuccessImportance)
	if p.ID == "" {
		return
	}
	store := l.store
	type kept struct {
		ok  bool
		err error
	}
	background(func() kept { ok, err := store.RememberRefreshToken(p.ID, token); return kept{ok, err} }, func(k kept) {
		switch {
		case k.err != nil:
			l.setStatus("The rotated refresh token was NOT saved: "+oneLine(k.err.Error()), widget.DangerImportance)
			l.showError("The new refresh token was not saved",
				"The refresh token rotated: the one saved with "+p.Name+" no longer works. Copy the new one from the Tokens tab "+
					"and keep it, or log in again.", k.err.Error())
		case k.ok:
			l.setStatus(rotated+" Saved it with "+p.Name+", replacing the old one.", widget.SuccessImportance)
		}
	})
}

// Cancel stops the running flow or action.
func (l *Lab) Cancel() {
	if l.cancel != nil {
		l.setStatus("Cancelling…", widget.WarningImportance)
		l.cancel() // last: the run's end may land at once (synchronously in tests)
	}
}

// clearResult takes the result of st (another profile's) off the window when p is chosen, so
// that no action can use the other profile's token by mistake: the results say whose result
// was cleared, and the actions on the token are disabled.
func (l *Lab) clearResult(st *runState, p Profile) {
	l.last, l.cleared, l.diagnosis = nil, st, nil
	l.stopTick()
	l.stopTick = func() {}
	l.lifetimes.expiresAt = nil
	l.run.clearSteps()
	was := "r" + strings.TrimPrefix(resultLabel(st), "R") // "result of <profile> · <flow> flow · <time>"
	l.showEmpty(fmt.Sprintf("The %s was cleared when you chose %s. Press Run to see its own.", was, p.Name))
	l.updateActions()
}

// lastRunToken is the token of the last run, shown or cleared (Read from org reads another
// profile's app with an admin profile's token), or nil.
func (l *Lab) lastRunToken() *flows.TokenResponse {
	st := l.last
	if st == nil {
		st = l.cleared
	}
	if st == nil || st.result == nil || st.result.Token == nil || st.result.Token.AccessToken == "" {
		return nil
	}
	return st.result.Token
}

// explainAndShow asks guidance about the last run again (after a follow-up call, a clock
// move) and shows everything, keeping the place in the results.
func (l *Lab) explainAndShow() { l.explain(false) }

// resultLabel says whose result is shown: the profile, the flow and when it ran.
func resultLabel(st *runState) string {
	name := st.profile.Name
	if name == "" {
		name = "(unsaved profile)"
	}
	return fmt.Sprintf("Result of %s · %s flow · %s", name, st.result.Flow, st.at.Local().Format("15:04:05"))
}

// explain asks guidance about the last run and shows everything; top scrolls the results
// back to their beginning (a new run).
func (l *Lab) explain(top bool) {
	st := l.last
	if st == nil {
		return
	}
	res := st.result
	if st.apiErr != nil {
		cp := *res
		cp.Err, cp.OAuthError = st.apiErr, st.apiErr
		res = &cp
	}
	set := appfacts.Settings(st.profile.Profile)
	if on, ok := l.rotation[st.profile.ID]; ok && st.profile.ID != "" && set.RefreshTokenRotation == nil {
		set.RefreshTokenRotation = &on // seen on an earlier refresh of this profile
	}
	in := guidance.Input{Flow: st.result.Flow, Settings: set, Result: res, Introspection: st.introspection,
		Now: l.now(), RequestedScopes: st.req.Scopes, Revoked: st.revoked, RevokedRefreshToken: st.revokedRefresh}
	if l.be.Explain != nil {
		st.report = l.be.Explain(in)
	} else {
		st.report = fallbackReport(in)
	}
	l.resultsPane.show(resultLabel(st), &st.report, st.result, st.extra, l.refreshTokenOf(st), l.now(), l.copyText, top)
	l.timelineTab.show(in, st.report)
	l.updateActions()
	l.stopTick()
	l.stopTick = ticker(l.tickEvery(), func() { l.lifetimes.tick(l.now()) })
	l.showDiagnosis()
}

// fallbackReport is what the window shows when guidance is not wired in: the facts only.
func fallbackReport(in guidance.Input) guidance.Report {
	r := guidance.Report{Flow: in.Flow, Answer: guidance.Answer{DoThisNext: guidance.AnswerLine{Label: guidance.AnswerDoThisNext,
		Text: "Guidance is not part of this build: the lifetimes below are the raw facts only.", Severity: guidance.SeverityInfo}}}
	if res := in.Result; res != nil {
		if res.Token != nil && res.Token.IssuedAt != "" {
			r.Lifetimes = append(r.Lifetimes, guidance.LifetimeRow{Label: "Issued", Value: issuedAtText(res.Token.IssuedAt), Source: "issued_at in the token response"})
		}
		r.Scopes = guidance.ScopeDiagnosis{Requested: in.RequestedScopes, Granted: res.GrantedScopes,
			RefreshTokenIssued: res.Token != nil && res.Token.RefreshToken != ""}
		if res.OAuthError != nil {
			r.Error = &guidance.ErrorExplanation{Code: res.OAuthError.Code, Description: res.OAuthError.Description}
		} else if res.Err != nil {
			r.Error = &guidance.ErrorExplanation{Code: "error", Description: res.Err.Error()}
		}
	}
	return r
}

func (l *Lab) hasToken() bool {
	return l.last != nil && l.last.result != nil && l.last.result.Token != nil && l.last.result.Token.AccessToken != ""
}
