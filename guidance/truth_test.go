package guidance

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Results stay true (issue 20 item 4): what the window learns after a run (introspection's
// timeout, a revoke, a rotation, the org's clock) changes every text that depends on it.

// A 401 after introspection read a 30-minute session blames that timeout, not the assumed
// 2 hours; the answer's Lifetime line says 30 minutes too.
func TestSessionExpiredUsesTheIntrospectedTimeout(t *testing.T) {
	tok := tokenFor(flows.UsernamePassword, tokenOpts{})
	res := resultFor(flows.UsernamePassword, tok, nil)
	e := &flows.OAuthError{Code: "INVALID_SESSION_ID", Description: "Session expired or invalid", Status: 401, Where: "rest"}
	res.Err, res.OAuthError = e, e
	intro := &flows.Introspection{Active: true, Iat: issued.Unix(), Exp: issued.Add(30 * time.Minute).Unix()}
	r := Explain(Input{Flow: flows.UsernamePassword, Result: res, Introspection: intro, Now: issued.Add(31 * time.Minute)})
	if r.Error == nil || len(r.Error.Causes) == 0 {
		t.Fatalf("no error explanation: %+v", r.Error)
	}
	all := strings.Join(r.Error.Causes, "\n")
	if !strings.Contains(r.Error.Causes[0], "30 minutes") || strings.Contains(all, "2 hours") || strings.Contains(all, "assumed") {
		t.Errorf("causes blame the wrong timeout:\n%s", all)
	}
	if !strings.Contains(r.Answer.Lifetime.Text, "30 minutes") || strings.Contains(r.Answer.Lifetime.Text, "assumed") {
		t.Errorf("Lifetime line = %q, want the introspected 30 minutes", r.Answer.Lifetime.Text)
	}
	if !strings.Contains(r.Answer.Lifetime.Text, "has passed") {
		t.Errorf("Lifetime line = %q, want it to say the end has passed by the org's clock", r.Answer.Lifetime.Text)
	}

	// Before the introspected end, a 401 is unlikely to be the idle timeout: revoked comes first.
	r = Explain(Input{Flow: flows.UsernamePassword, Result: res, Introspection: intro, Now: issued.Add(5 * time.Minute)})
	if !strings.Contains(r.Error.Causes[0], "revoked") {
		t.Errorf("before the session's end, first cause = %q, want revoked", r.Error.Causes[0])
	}
}

// After this client revoked the token: the answer says so, nothing counts down, and the 401
// ranks the revoke first.
func TestRevokedTokenIsSaidAndRankedFirst(t *testing.T) {
	tok := tokenFor(flows.WebServer, tokenOpts{refresh: true, scope: "api refresh_token"})
	res := resultFor(flows.WebServer, tok, nil)
	at := issued.Add(time.Minute)
	r := Explain(Input{Flow: flows.WebServer, Result: res, Now: at, Revoked: &at})
	if r.ExpiresIfIdleAt != nil {
		t.Errorf("a revoked token still has an end to count down to: %v", r.ExpiresIfIdleAt)
	}
	if !strings.Contains(r.Answer.Lifetime.Text, "revoked at") || r.Answer.Lifetime.Severity != SeverityError {
		t.Errorf("Lifetime line = %q (%s)", r.Answer.Lifetime.Text, r.Answer.Lifetime.Severity)
	}
	if !strings.Contains(r.Answer.DoThisNext.Text, "Refresh") {
		t.Errorf("Do this next = %q, want refresh (the refresh token was not revoked)", r.Answer.DoThisNext.Text)
	}
	e := &flows.OAuthError{Code: "INVALID_SESSION_ID", Description: "Session expired or invalid", Status: 401, Where: "rest"}
	res.Err, res.OAuthError = e, e
	r = Explain(Input{Flow: flows.WebServer, Result: res, Now: at, Revoked: &at, RevokedRefreshToken: true})
	if !strings.Contains(r.Error.Causes[0], "This client revoked the token") {
		t.Errorf("first cause = %q, want the revoke", r.Error.Causes[0])
	}
	if !strings.Contains(r.Answer.RefreshToken.Text, "Revoked") || strings.Contains(r.Answer.DoThisNext.Text, "Refresh to") {
		t.Errorf("after revoking the refresh token: %q / %q", r.Answer.RefreshToken.Text, r.Answer.DoThisNext.Text)
	}
}

// A refresh that returned a new refresh token shows rotation on; one that returned none, off.
func TestRefreshShowsRotation(t *testing.T) {
	for _, rotated := range []bool{true, false} {
		tok := tokenFor(flows.Refresh, tokenOpts{refresh: rotated, scope: "api refresh_token"})
		res := resultFor(flows.Refresh, tok, nil)
		res.RefreshTokenRotated = rotated
		r := Explain(Input{Flow: flows.Refresh, Result: res, Now: now})
		want := map[bool]string{true: "on:", false: "off:"}[rotated]
		var got string
		for _, row := range r.Lifetimes {
			if row.Label == "Refresh token rotation" {
				got = row.Value
			}
		}
		if !strings.HasPrefix(got, want) {
			t.Errorf("rotated=%v: rotation row = %q, want %q…", rotated, got, want)
		}
	}
}

// A browser flow cancelled or timed out while it waited for the callback: the explanation says
// that Salesforce's error page never reaches the app and lists its usual causes, not a
// network problem (issue 20 item 6).
func TestBrowserFlowCancelledOrTimedOutExplainsTheErrorPage(t *testing.T) {
	for name, err := range map[string]error{
		"cancelled": &flows.ListenError{Err: context.Canceled, Msg: "stopped waiting for the browser: context canceled"},
		"timed out": &flows.ListenError{Err: flows.ErrListenTimeout, Msg: "no callback reached http://localhost:1717/OauthRedirect within 2m0s"},
	} {
		res := &flows.Result{Flow: flows.WebServerPKCE, Err: fmt.Errorf("web server flow: %w", err), Started: issued}
		r := Explain(Input{Flow: flows.WebServerPKCE, Result: res, Now: now})
		if r.Error == nil {
			t.Fatalf("%s: no explanation", name)
		}
		all := r.Error.Meaning + "\n" + strings.Join(r.Error.Causes, "\n")
		for _, want := range []string{"error page never reaches the app", "invalid_scope", "redirect_uri_mismatch", "not approved", "did not approve"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: the explanation lacks %q:\n%s", name, want, all)
			}
		}
		if strings.Contains(all, "network, TLS, proxy") {
			t.Errorf("%s: the explanation blames the network:\n%s", name, all)
		}
	}
}
