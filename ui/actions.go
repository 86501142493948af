package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/connectedapplab/connectedapplab/flows"
)

// The follow-up actions on the last run's token: introspect, refresh, revoke, call the API,
// copy, and (demo) move the org's clock. The actions view is the bar of their buttons.

// actionHandler is what the actions view's buttons do; the coordinator (Lab) implements it.
type actionHandler interface {
	Introspect()
	RefreshToken()
	Diagnose()
	Revoke()
	CallAPI()
	copyAccessToken()
	AdvanceClock()
	askErrorURL()
	checkBudget()
}

// actionState is what decides which actions are enabled.
type actionState struct {
	running, token, refreshToken, failedRefresh, clock bool
}

// actionsView is the bar of actions above the results, and the demo org's clock controls
// (which the demo banner shows).
type actionsView struct {
	introspectBtn, refreshBtn, revokeBtn, callBtn, copyBtn *keyButton
	diagnoseBtn, explainURLBtn                             *keyButton
	adminSel                                               *keySelect
	advanceSel                                             *keySelect
	advanceBtn                                             *keyButton
	benchBtn                                               *keyButton // Rotation bench (addViewButtons); hidden in the demo, whose banner has it
	actionsBar                                             *fyne.Container
	can                                                    Backend // which calls exist (nil fields hide or disable)
}

func newActionsView(h actionHandler, be Backend) *actionsView {
	// The actions start disabled (no token yet; the demo enables the clock), as update would
	// set them.
	v := &actionsView{can: be}
	v.introspectBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Introspect", OnTapped: h.Introspect}})
	v.refreshBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Refresh", OnTapped: h.RefreshToken}})
	v.revokeBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Revoke", OnTapped: h.Revoke}})
	v.callBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Call API", OnTapped: h.CallAPI}})
	v.copyBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Copy token", OnTapped: h.copyAccessToken}})
	v.advanceSel = keyed(&keySelect{Select: widget.Select{Options: []string{"30m", "1h", "2h", "1d"}, Selected: "2h", PlaceHolder: "by"}}) // short: sizes the select
	v.advanceBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Advance org clock", Icon: theme.HistoryIcon(), OnTapped: h.AdvanceClock}})
	v.diagnoseBtn = keyedOff(&keyButton{Button: widget.Button{Text: "Why did it stop?", Icon: theme.QuestionIcon(), OnTapped: h.Diagnose}})
	v.explainURLBtn = keyed(&keyButton{Button: widget.Button{Text: "Explain error page…", Importance: widget.LowImportance, OnTapped: h.askErrorURL}})
	v.adminSel = keyed(&keySelect{Select: widget.Select{Options: []string{noAdmin}, PlaceHolder: "Admin profile"}})
	v.adminSel.OnChanged = func(string) { h.checkBudget() }
	// The actions on the token, then the ones that explain a failure with the admin profile
	// they read the org as; each row wraps (flowLayout), so that no control is ever cut off
	// at the right edge of a narrow results column (at 1024 pixels the admin picker goes to
	// a row of its own). The rows get their objects when they are made: Container.Add lays
	// the container out, which measures text before the window has its size
	// (TestNewMeasuresNoTextWithEveryBackendCall).
	second := []fyne.CanvasObject{v.diagnoseBtn}
	if be.ExplainURL != nil {
		second = append(second, v.explainURLBtn)
	}
	if be.DiagnoseRefresh != nil || be.ApprovalBudget != nil {
		second = append(second, container.NewHBox(widget.NewLabel("Admin:"), v.adminSel))
	}
	rows := []fyne.CanvasObject{newFlow(v.introspectBtn, v.refreshBtn, v.revokeBtn, v.callBtn, v.copyBtn)}
	if len(second) > 1 || be.DiagnoseRefresh != nil {
		rows = append(rows, newFlow(second...))
	}
	v.actionsBar = container.NewVBox(rows...)
	if be.DiagnoseRefresh == nil {
		v.diagnoseBtn.Hide()
	}
	return v
}

// update enables the actions that can act on st.
func (v *actionsView) update(st actionState) {
	set := func(b *keyButton, ok bool) {
		if ok && !st.running {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	be := v.can
	set(v.introspectBtn, st.token && be.Introspect != nil)
	set(v.refreshBtn, st.refreshToken && (be.Refresh != nil || be.RunFlow != nil))
	set(v.revokeBtn, st.token && be.Revoke != nil)
	set(v.callBtn, st.token && be.CallAPI != nil)
	set(v.copyBtn, st.token)
	set(v.diagnoseBtn, st.failedRefresh && be.DiagnoseRefresh != nil)
	set(v.advanceBtn, st.clock)
}

// disableAll disables every action while something runs.
func (v *actionsView) disableAll() {
	for _, b := range []*keyButton{v.introspectBtn, v.refreshBtn, v.diagnoseBtn, v.revokeBtn, v.callBtn, v.copyBtn, v.advanceBtn} {
		b.Disable()
	}
}

func (l *Lab) updateActions() {
	l.actionsView.update(actionState{running: l.running, token: l.hasToken(),
		refreshToken: l.last != nil && l.refreshTokenOf(l.last) != "", failedRefresh: l.failedRefresh(),
		clock: l.demo != nil && l.demo.AdvanceClock != nil})
}

func (l *Lab) updateActionsRunning() { l.actionsView.disableAll() }

// action runs one follow-up call (introspect, revoke, call API, clock) in the background,
// cancellable like a flow; name is what the status says meanwhile ("": the status stays).
func (l *Lab) action(name string, work func(ctx context.Context) ([]flows.Exchange, error), done func(err error)) {
	if l.running {
		return
	}
	l.running = true
	ctx, cancel := context.WithCancel(l.ctx)
	l.cancel = cancel
	l.runBtn.Disable()
	l.cancelBtn.Enable()
	l.updateActionsRunning()
	if name != "" {
		l.setStatus(name+"…", widget.MediumImportance)
	}
	type out struct {
		ex  []flows.Exchange
		err error
	}
	st := l.last
	background(func() out { ex, err := work(ctx); return out{ex, err} }, func(o out) {
		cancel()
		l.running = false
		l.cancel = nil
		l.runBtn.Enable()
		l.cancelBtn.Disable()
		if st != nil {
			st.extra = append(st.extra, o.ex...)
		}
		done(o.err)
		if st != nil && st == l.last {
			l.explainAndShow()
		}
		l.updateActions()
	})
}

// Introspect asks the introspection endpoint about the access token.
func (l *Lab) Introspect() { l.introspect(false) }

// canIntrospect says whether the client can introspect st's access token: the introspection
// endpoint wants the app's consumer key and secret.
func (l *Lab) canIntrospect(st *runState) bool {
	return l.be.Introspect != nil && st != nil && st.req.ClientSecret != "" && st.revoked == nil &&
		st.result != nil && st.result.Token != nil && st.result.Token.AccessToken != ""
}

// introspect reads the session's end (and so its timeout) from the org; after a run (auto)
// it adds what it read to the run's status instead of replacing it.
func (l *Lab) introspect(auto bool) {
	if !l.hasToken() || l.be.Introspect == nil {
		return
	}
	st, intro := l.last, l.be.Introspect
	name := "Introspecting the access token"
	if auto {
		name = "" // the run's status stays
	}
	var got *flows.Introspection
	l.action(name, func(ctx context.Context) ([]flows.Exchange, error) {
		in, ex, err := intro(ctx, st.req, st.result.Token.AccessToken)
		got = in
		return ex, err
	}, func(err error) {
		say := func(text string, imp widget.Importance) {
			if auto { // after the run's own status (or the rotated token's, which may land first)
				text = l.status.Text + " " + text
				if imp == widget.SuccessImportance {
					imp = l.status.Importance
				}
			}
			l.setStatus(text, imp)
		}
		if err != nil {
			say("Introspection failed: "+oneLineText(err.Error()), widget.WarningImportance)
			return
		}
		st.introspection = got
		if got != nil && got.Active && got.Exp > 0 {
			say("Introspection: active until "+time.Unix(got.Exp, 0).Local().Format("15:04:05")+" if idle (read from the org).", widget.SuccessImportance)
		} else {
			say("Introspection: the token is not active.", widget.WarningImportance)
		}
	})
}

// Revoke asks which token to revoke, then revokes it: the refresh token (which ends the
// sessions it issued too) or only the access token. Nothing is revoked without the confirm.
func (l *Lab) Revoke() {
	if l.running || !l.hasToken() || l.be.Revoke == nil {
		return
	}
	st := l.last
	const (
		optAccess  = "The access token: only this session ends"
		optRefresh = "The refresh token: it and every session it issued end; the app must log in again"
	)
	choice := &widget.RadioGroup{Options: []string{optAccess}, Selected: optAccess, Required: true}
	if l.refreshTokenOf(st) != "" {
		choice.Options = append(choice.Options, optRefresh)
	}
	body := container.NewVBox(
		&widget.Label{Text: "Revoking cannot be undone. Which token?", Wrapping: fyne.TextWrapWord},
		choice)
	l.lastDialog = "Revoke a token"
	d := dialog.NewCustomConfirm("Revoke a token", "Revoke", "Cancel", body, func(ok bool) {
		l.confirmRevoke = nil
		if ok {
			l.revoke(st, choice.Selected == optRefresh)
		}
	}, l.win)
	l.confirmRevoke = func(refresh bool) {
		if refresh && len(choice.Options) > 1 {
			choice.SetSelected(optRefresh)
		}
		d.Confirm()
	}
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// revoke revokes the access token, or the refresh token when refresh is set.
func (l *Lab) revoke(st *runState, refresh bool) {
	if st == nil || st.result == nil || st.result.Token == nil || l.be.Revoke == nil {
		return
	}
	revoke := l.be.Revoke
	tok, what := st.result.Token.AccessToken, "access token"
	if rt := l.refreshTokenOf(st); refresh && rt != "" {
		tok, what = rt, "refresh token (and the sessions it issued)"
	}
	l.action("Revoking the "+what, func(ctx context.Context) ([]flows.Exchange, error) {
		return revoke(ctx, st.req, tok)
	}, func(err error) {
		if err != nil {
			l.setStatus("Revoke failed: "+err.Error(), widget.DangerImportance)
			return
		}
		at := l.now()
		st.revoked, st.revokedRefresh = &at, st.revokedRefresh || (refresh && tok != st.result.Token.AccessToken)
		l.setStatus("Revoked the "+what+". Call API now to see what a revoked session answers.", widget.SuccessImportance)
	})
}

// CallAPI makes one REST call with the access token; an error such as INVALID_SESSION_ID is
// explained by guidance beside the lifetimes.
func (l *Lab) CallAPI() {
	if !l.hasToken() || l.be.CallAPI == nil {
		return
	}
	st, callAPI := l.last, l.be.CallAPI
	l.action("Calling the REST API", func(ctx context.Context) ([]flows.Exchange, error) {
		return callAPI(ctx, st.req, st.result.Token)
	}, func(err error) {
		var oe *flows.OAuthError
		if err == nil || errors.As(err, &oe) { // the call reached the org: it is on the timeline
			l.timelineTab.called(l.now())
		}
		switch {
		case err == nil:
			st.apiErr = nil
			l.setStatus("API call succeeded: the session is alive. See the transcript.", widget.SuccessImportance)
		case errors.As(err, &oe):
			st.apiErr = oe
			l.setStatus(fmt.Sprintf("API call failed: %s. The guidance says what it means and what to do next.", oe.Error()), widget.DangerImportance)
		default:
			l.setStatus("API call failed: "+err.Error(), widget.DangerImportance)
		}
		if err != nil {
			l.tabs.Select(l.transTab)
		}
	})
}

// AdvanceClock moves the demo org's clock forward, so the session can expire now.
func (l *Lab) AdvanceClock() {
	if l.demo == nil || l.demo.AdvanceClock == nil {
		return
	}
	by, err := time.ParseDuration(strings.Replace(l.advanceSel.Selected, "1d", "24h", 1))
	if err != nil {
		by = 2 * time.Hour
	}
	adv := l.demo.AdvanceClock
	l.action("Moving the emulated org's clock forward "+l.advanceSel.Selected, func(ctx context.Context) ([]flows.Exchange, error) {
		return nil, adv(ctx, by)
	}, func(err error) {
		if err != nil {
			l.showError("The org's clock did not move", "The emulator refused to move its clock.", err.Error())
			return
		}
		ahead := time.Duration(l.offset.Add(int64(by)))
		l.setStatus(fmt.Sprintf("The emulated org is now %s ahead of this machine. Press Call API to see what the app gets.", shortDuration(ahead)), widget.WarningImportance)
	})
}

func (l *Lab) copyAccessToken() {
	if l.hasToken() && !l.running { // while a run goes on, the shown token is the previous one
		l.copyText("access token", l.last.result.Token.AccessToken)
	}
}

func (l *Lab) copyText(what, text string) {
	l.clipboard = text
	if a := fyne.CurrentApp(); a != nil {
		a.Clipboard().SetContent(text)
	}
	l.setStatus("Copied the "+what+" to the clipboard.", widget.MediumImportance)
}

func (l *Lab) openURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		l.showError("Could not open the page", "The address is not a URL.", raw)
		return
	}
	if err := fyne.CurrentApp().OpenURL(u); err != nil {
		l.showError("Could not open the browser", "Copy the address and open it in a browser yourself.", raw+"\n\n"+err.Error())
	}
}
