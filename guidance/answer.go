package guidance

import (
	"strings"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The answer first: three lines that answer the founding question for this run (how long does
// the token last, is there a refresh token, what now), each with its source. The window, the
// command line and the JSON show these same lines; no renderer writes its own copy.

// Answer line labels, in the order they are shown.
const (
	AnswerLifetime     = "Lifetime"
	AnswerRefreshToken = "Refresh token"
	AnswerDoThisNext   = "Do this next"
)

// AnswerLine is one of the three answer lines.
type AnswerLine struct {
	Label    string   // AnswerLifetime, AnswerRefreshToken or AnswerDoThisNext
	Text     string   // one or two sentences, true for this run
	Severity Severity // how good the news is: info (fine), warning (act), error (broken)
	Source   DocRef   // where the Salesforce fact behind it is documented; zero when it is the run itself
	// FromAdvice names the advice (by Title) whose Fix this line says; renderers then leave
	// that Fix out of the advice so it is said once. FromError marks the error's first fix.
	FromAdvice string
	FromError  bool
}

// Answer is the three lines.
type Answer struct {
	Lifetime     AnswerLine
	RefreshToken AnswerLine
	DoThisNext   AnswerLine
}

// Lines returns the three lines in display order.
func (a Answer) Lines() []AnswerLine { return []AnswerLine{a.Lifetime, a.RefreshToken, a.DoThisNext} }

// Text is the three lines as "Label: text", one a line.
func (a Answer) Text() string {
	var b strings.Builder
	for _, l := range a.Lines() {
		if l.Text != "" {
			b.WriteString(l.Label + ": " + l.Text + "\n")
		}
	}
	return b.String()
}

// SkipsFix reports whether the Fix of advice a is already said by the Do this next line.
func (a Answer) SkipsFix(x Advice) bool {
	return a.DoThisNext.FromAdvice != "" && a.DoThisNext.FromAdvice == x.Title
}

// rowDocs names the document each lifetimes row's fact comes from, by row ID.
var rowDocs = map[string]DocRef{
	"access-token-issued-at":  refWebServerFlow,
	"access-token-kind":       refSessionTimeout,
	"introspection":           refIntrospect,
	"idle-timeout":            refSessionTimeout,
	"expires-if-idle-until":   refSessionTimeout,
	"expires-at":              refSessionTimeout,
	"keeping-it-alive":        refSessionTimeout,
	"refresh-token":           refRefreshFlow,
	"refresh-token-policy":    refRefreshFlow,
	"refresh-token-rotation":  refRefreshFlow,
	"authorization-code":      refWebServerFlow,
	"device-and-user-codes":   refDeviceFlow,
	"id-token-expires-at":     refScopes,
	"id-token-validity":       refScopes,
	"id-token":                refScopes,
	"access-token-expires-at": refJWTAccessTokens,
}

// rowID is a lifetimes row's stable key: its label in lower case with dashes.
func rowID(label string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.NewReplacer("(", "", ")", "").Replace(label))), "-")
}

// annotate gives every lifetimes row its ID and document, and picks the key facts.
func annotate(r *Report, lt lifetimeResult, tok *flows.TokenResponse) {
	for i := range r.Lifetimes {
		row := &r.Lifetimes[i]
		row.ID = rowID(row.Label)
		if row.Doc.IsZero() {
			row.Doc = rowDocs[row.ID]
		}
		if row.ID == "expires-at" && lt.jwtAccess {
			row.Doc = refJWTAccessTokens
		}
		if row.ID == "expires-if-idle-until" && !lt.estimated {
			row.Doc = refIntrospect
		}
	}
	key := map[string]bool{}
	switch {
	case tok == nil:
	case lt.inactive:
		key["introspection"] = true
	case lt.jwtAccess:
		key["expires-at"] = true
	default:
		key["expires-if-idle-until"] = true
		key["keeping-it-alive"] = true
	}
	if tok != nil && (tok.RefreshToken != "" || refreshKindOf(r.Flow) == refreshRotationOnly) {
		key["refresh-token-policy"] = true
		key["refresh-token-rotation"] = true
	}
	for _, row := range r.Lifetimes {
		if key[row.ID] {
			r.KeyFacts = append(r.KeyFacts, "lifetimes/"+row.ID)
		}
	}
	// The flow's own coming change is a key fact; the rest of the platform table is detail.
	flowChange := map[flows.Flow]string{flows.UsernamePassword: ChangeUnPwRetired, flows.UserAgent: ChangeUserAgentRetired,
		flows.Device: ChangeDeviceECALocalhost}[r.Flow]
	for _, p := range r.Platform {
		if p.ID != "" && p.ID == flowChange {
			r.KeyFacts = append(r.KeyFacts, "platform/"+p.ID)
		}
	}
}

// answer writes the three lines for this run.
func answer(in Input, tok *flows.TokenResponse, lt lifetimeResult, r Report) Answer {
	title := flowInfo(in.Flow).Title
	tc := lt.timeout
	kind := refreshKindOf(in.Flow)
	var a Answer
	a.Lifetime = AnswerLine{Label: AnswerLifetime, Severity: SeverityInfo, Source: refSessionTimeout}
	a.RefreshToken = AnswerLine{Label: AnswerRefreshToken, Severity: SeverityInfo, Source: refRefreshFlow}
	a.DoThisNext = AnswerLine{Label: AnswerDoThisNext, Severity: SeverityInfo}

	if tok == nil {
		a.Lifetime.Source = DocRef{}
		a.RefreshToken.Source = DocRef{}
		switch {
		case in.Result == nil:
			fi := flowInfo(in.Flow)
			a.Lifetime.Text = "No token yet: run the " + lowerFirst(title) + " to see what Salesforce returns."
			a.RefreshToken.Text = "This flow issues one " + fi.CanIssueRefreshToken + "."
			a.RefreshToken.Source = refRefreshFlow
			a.DoThisNext.Text = "Run the flow."
		case r.Error != nil && r.Error.Code == CodeCancelled:
			a.Lifetime.Text = "No token: you stopped the " + lowerFirst(title) + " before it finished."
			a.RefreshToken.Text = "None: Salesforce issued nothing."
			a.DoThisNext.Text, a.DoThisNext.FromError = r.Error.Fixes[0].Fix, true
		case r.Error != nil:
			// The code only: the error's description is shown with the error, once.
			a.Lifetime.Text, a.Lifetime.Severity = "No token: the "+lowerFirst(title)+" failed with "+r.Error.Code+".", SeverityError
			a.RefreshToken.Text = "None: the flow failed before Salesforce issued anything."
			a.DoThisNext.Severity, a.DoThisNext.Source = SeverityError, r.Error.Source
			if len(r.Error.Fixes) > 0 && r.Error.Fixes[0].Fix != "" {
				a.DoThisNext.Text, a.DoThisNext.FromError = r.Error.Fixes[0].Fix, true
			} else {
				a.DoThisNext.Text = "Read the error below and the transcript, then run the flow again."
			}
		default:
			a.Lifetime.Text, a.Lifetime.Severity = "No token: the "+lowerFirst(title)+" did not return one.", SeverityError
			a.RefreshToken.Text = "None: the flow failed before Salesforce issued anything."
			a.DoThisNext.Text = "Read the transcript, then run the flow again."
		}
		return a
	}

	has := tok.RefreshToken != ""
	// Lifetime.
	switch {
	case lt.revoked:
		a.Lifetime.Text, a.Lifetime.Severity, a.Lifetime.Source = "This token no longer works: it was revoked at "+fmtTime(*in.Revoked, in.Revoked.Location())+".", SeverityError, refRevoke
	case lt.inactive:
		a.Lifetime.Text, a.Lifetime.Severity, a.Lifetime.Source = "This token no longer works: introspection answered active: false.", SeverityError, refIntrospect
	case lt.jwtAccess:
		a.Lifetime.Text, a.Lifetime.Source = "Fixed: this JWT-based access token ends at "+fmtTime(*lt.expiresIdle, lt.expiresIdle.Location())+", however it is used.", refJWTAccessTokens
	default:
		lead := "Not long lived"
		if has || kind == refreshRotationOnly {
			lead = "Short lived, but renewable"
		} else {
			a.Lifetime.Severity = SeverityWarning
		}
		a.Lifetime.Text = lead + ": a Salesforce session that ends after " + humanDuration(tc.d) + " without use (" + timeoutWord(tc) +
			"). Salesforce sends no expires_in: tools that show \"never expires\" are wrong."
		if e := lt.expiresIdle; e != nil && !in.Now.IsZero() && !in.Now.Before(*e) {
			a.Lifetime.Text += " By the org's clock that end (" + fmtTime(*e, e.Location()) + ") has passed: unless the token was used since, the session is over."
			a.Lifetime.Severity = SeverityWarning
		}
	}

	// Refresh token and what to do.
	switch {
	case has && in.Result != nil && in.Result.RefreshTokenRotated:
		// Salesforce help "Refresh Token Rotation" (reference §15.2).
		a.RefreshToken.Text = "A new one: this refresh rotated the refresh token. The one you sent no longer works, and sending it again revokes the new one too."
		a.RefreshToken.Severity = SeverityWarning
		a.DoThisNext.Text, a.DoThisNext.Severity, a.DoThisNext.Source = "Store the new refresh token now, before the next refresh, and use the new access token.", SeverityWarning, refRefreshFlow
	case has && in.Settings.RefreshTokenPolicy.Kind == PolicyZero:
		a.RefreshToken.Text, a.RefreshToken.Severity = "Yes, but the app's policy expires it immediately: it cannot renew anything.", SeverityWarning
		a.DoThisNext.Text, a.DoThisNext.Source = "When the session ends the user must log in again; change the Refresh Token Policy if the app should work without the user.", refRefreshFlow
	case has:
		a.RefreshToken.Text = "Yes: it gets a new access token without the user."
		a.DoThisNext.Text, a.DoThisNext.Source = "Store the refresh token safely; when a call gets 401 INVALID_SESSION_ID, refresh (grant_type=refresh_token) and retry once.", refRefreshFlow
	case in.Flow == flows.UsernamePassword:
		a.RefreshToken.Text, a.RefreshToken.Severity = "None, and there never will be: the username-password flow never issues one.", SeverityWarning
		a.DoThisNext.Text = "Reuse the token until a call gets 401 INVALID_SESSION_ID, then call the token endpoint again with the username and password; plan the move off this flow (advice below)."
		a.DoThisNext.Severity, a.DoThisNext.Source = SeverityWarning, refBlockFlows
	case kind == refreshNever:
		a.RefreshToken.Text = "None, and none needed: the " + lowerFirst(title) + " never issues one."
		a.DoThisNext.Text = "Cache the token and reuse it until a call gets 401 INVALID_SESSION_ID, then ask again the same way; a login per call hits LOGIN_RATE_EXCEEDED (3600 logins per user per hour)."
		a.DoThisNext.Source = map[flows.Flow]DocRef{flows.JWTBearer: refJWTFlow, flows.ClientCredentials: refClientCredentialsFlow}[in.Flow]
	case kind == refreshRotationOnly:
		a.RefreshToken.Text = r.Scopes.RefreshTokenWhyNot
		a.DoThisNext.Text, a.DoThisNext.Source = "Use the new access token from now on; the old one keeps working until its own session ends.", refRefreshFlow
	default:
		a.RefreshToken.Text, a.RefreshToken.Severity = "None: "+lowerFirst(r.Scopes.RefreshTokenWhyNot), SeverityWarning
		a.DoThisNext.Text = "Run the flow again when the session ends."
		for _, x := range r.Advice {
			if strings.HasPrefix(x.Title, "No refresh token") && x.Fix != "" {
				a.DoThisNext.Text, a.DoThisNext.FromAdvice, a.DoThisNext.Source = x.Fix, x.Title, x.Source
				a.RefreshToken.Source = x.Source
				a.DoThisNext.Severity = SeverityWarning
				break
			}
		}
	}
	if lt.revoked && in.RevokedRefreshToken && has {
		a.RefreshToken.Text, a.RefreshToken.Severity = "Revoked with the session: it no longer works either.", SeverityError
		has = false
	}
	if lt.inactive {
		a.DoThisNext.Severity, a.DoThisNext.Source = SeverityError, refIntrospect
		if lt.revoked {
			a.DoThisNext.Source = refRevoke
		}
		if has {
			a.DoThisNext.Text = "Refresh to get a new access token, or run the flow again."
		} else {
			a.DoThisNext.Text = "Run the flow again to get a new token."
		}
	}
	if r.Error != nil {
		a.DoThisNext.Text += " A later step failed: " + r.Error.Code + " (see the error)."
		a.DoThisNext.Severity = SeverityError
	}
	return a
}

// timeoutWord names the timeout's source in a few words for the Lifetime line.
func timeoutWord(tc timeoutChoice) string {
	if tc.src == SourceDefault {
		return "assumed: Salesforce's default; your org may differ"
	}
	return timeoutShort(tc)
}
