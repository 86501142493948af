package guidance

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Explain computes the whole answer for one flow run: the headline, the lifetimes table,
// ordered advice, the scope diagnosis, the error explanation and the platform notes.
// It is a pure function of its input.
func Explain(in Input) Report {
	if in.Flow == "" && in.Result != nil {
		in.Flow = in.Result.Flow
	}
	loc := time.UTC
	if !in.Now.IsZero() && in.Now.Location() != nil {
		loc = in.Now.Location()
	}
	var tok *flows.TokenResponse
	failed := false
	if in.Result != nil {
		tok = in.Result.Token
		if in.Result.OAuthError != nil || in.Result.Err != nil {
			failed = true
		}
		if tok != nil && tok.AccessToken == "" && failed {
			tok = nil
		}
	}
	if tok != nil {
		failed = false // a token came back; a later step's error is reported but does not undo it
	}

	// What the run itself shows of rotation: a refresh that returned a new refresh token rotated
	// it; a successful refresh that returned none did not.
	if in.Settings.RefreshTokenRotation == nil && in.Result != nil && in.Result.Flow == flows.Refresh && tok != nil {
		on := in.Result.RefreshTokenRotated || tok.RefreshToken != ""
		in.Settings.RefreshTokenRotation = &on
	}

	r := Report{Flow: in.Flow}
	lt := computeLifetimes(in, tok, loc)
	r.Lifetimes = lt.rows
	r.IdleTimeout = lt.timeout.d
	r.IdleTimeoutSource = lt.timeout.src
	r.ExpiresIfIdleAt = lt.expiresIdle
	r.ExpiryEstimated = lt.estimated

	var scopeAdv []Advice
	r.Scopes, scopeAdv = diagnoseScopes(in, tok, failed || (in.Result != nil && tok == nil))

	if in.Result != nil {
		switch {
		case in.Result.OAuthError != nil:
			c := errCtx{flow: in.Flow, s: in.Settings, e: in.Result.OAuthError, now: in.Now, intro: in.Introspection, revoked: in.Revoked != nil}
			if lt.expiresIdle != nil && !lt.estimated && !in.Now.IsZero() {
				c.idleEnded = map[bool]int{true: 1, false: -1}[!in.Now.Before(*lt.expiresIdle)]
			}
			r.Error = explainError(c)
		case in.Result.Err != nil && tok == nil:
			r.Error = explainClientError(in.Flow, in.Result.Err, in.Settings)
		}
	}

	var adv []Advice
	adv = append(adv, flowAdvice(in, tok, lt)...)
	adv = append(adv, scopeAdv...)
	adv = append(adv, lt.advice...)
	adv = append(adv, settingsAdvice(in, tok)...)
	if tok != nil {
		adv = append(adv, expiryAdvice(in, lt)...)
	}
	r.Advice = sortAdvice(adv)
	r.Platform = platformNotes(in.Flow, in.Settings, in.Now)
	r.Headline = headline(in, tok, lt, r)
	r.Answer = answer(in, tok, lt, r)
	annotate(&r, lt, tok)
	return r
}

func sevRank(s Severity) int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

func sortAdvice(a []Advice) []Advice {
	seen := map[string]bool{}
	out := a[:0:0]
	for _, x := range a {
		if seen[x.Title] {
			continue
		}
		seen[x.Title] = true
		out = append(out, x)
	}
	sort.SliceStable(out, func(i, j int) bool { return sevRank(out[i].Severity) < sevRank(out[j].Severity) })
	return out
}

// explainClientError covers failures that are not OAuth errors, above all a browser flow
// whose callback never came (Salesforce shows authorize-time client errors on its own page).
func explainClientError(flow flows.Flow, err error, s Settings) *ErrorExplanation {
	if isTruncated(err) {
		return truncatedExplanation(flow)
	}
	msg := err.Error()
	low := strings.ToLower(msg)
	cancelled := errors.Is(err, context.Canceled)
	timedOut := errors.Is(err, flows.ErrListenTimeout) || strings.Contains(low, "timeout") || strings.Contains(low, "timed out")
	if isBrowserFlow(flow) && (cancelled || timedOut) {
		return browserWaitExplanation(msg, cancelled, s)
	}
	if cancelled {
		return &ErrorExplanation{Code: CodeCancelled, Description: msg,
			Meaning: "The flow was stopped before it finished (Cancel, or the program closing); nothing failed on the wire.",
			Causes:  []string{"You stopped it."},
			Fixes:   []Advice{fixInfo("Run it again", "", "Run the flow again when you are ready; the transcript shows how far it got.", none)}}
	}
	return &ErrorExplanation{Code: "client_error", Description: msg,
		Causes: []string{"The flow stopped before Salesforce answered in OAuth form: a network, TLS, proxy or input problem on this side."},
		Fixes:  []Advice{fixErr("Check the transcript", "The last exchange shows where it stopped.", "Fix the login URL, network or proxy settings, or the missing input the message names.", none)}}
}

// flowAdvice is what the flow itself implies: legacy flows, server flows, refresh.
func flowAdvice(in Input, tok *flows.TokenResponse, lt lifetimeResult) []Advice {
	s := in.Settings
	var adv []Advice
	switch in.Flow {
	case flows.UsernamePassword:
		// No refresh token, and what to do instead: the answer lines say it (answer.go).
		adv = append(adv, advice(SeverityWarning, "The username-password flow is on its way out",
			"It puts the user's password in your configuration, and Salesforce is retiring it for Connected Apps.",
			"For a person: the web server flow with PKCE (refresh_token scope). For an integration: the JWT bearer flow (certificate) or the client credentials flow (Run As user).",
			placeUnPwFlow, refBlockFlows))
		if s.AppKind == AppExternalClient {
			adv = append(adv, advice(SeverityError, "External Client Apps do not support the username-password flow",
				"This app is an External Client App; the flow cannot work with it.",
				"Use the web server flow with PKCE, the JWT bearer flow or the client credentials flow.", none, refECA))
		}
		if s.UsernamePasswordBlocked != nil && *s.UsernamePasswordBlocked && tok == nil {
			adv = append(adv, advice(SeverityError, "The username-password flow is blocked in this org",
				"Salesforce answers invalid_grant \"authentication failure\" even to the right password.",
				"Move to another flow; or, temporarily, allow the flow again.", placeUnPwFlow, refBlockFlows))
		}
	case flows.JWTBearer, flows.ClientCredentials, flows.SAMLBearer:
		// No refresh token needed, and how to get a new token: the answer lines say it (answer.go).
		if in.Flow == flows.JWTBearer && s.AppScopes != nil && !hasRefreshScope(s.AppScopes) {
			adv = append(adv, advice(SeverityWarning, "The JWT bearer flow needs refresh_token selected on the app",
				"Salesforce uses \"Perform requests at any time\" as the marker for offline access; without it the flow fails with invalid_request \"refresh_token scope is required…\", even though no refresh token comes back.",
				"Select the scope on the app.", placeRefreshScope.at(s.AppKind), refObserved))
		}
	case flows.Device:
		adv = append(adv, advice(SeverityWarning, "The device flow needs an installed app",
			"Salesforce blocks the device flow for uninstalled apps and limits it to External Client Apps with a localhost callback.",
			"Use your own app, installed in the org, with Enable for Device Flow; for a desktop with a browser, prefer the web server flow with PKCE.",
			placeDevice.at(s.AppKind), refDeviceCLI))
		if s.AppInstalled != nil && !*s.AppInstalled {
			adv = append(adv, advice(SeverityError, "This app is not installed: the device flow will be refused",
				"Uninstalled apps get invalid_client \"app must be installed into org\".", "Install the app in the org.", placeInstall.at(s.AppKind), refUsageRestriction))
		}
	case flows.UserAgent:
		adv = append(adv, advice(SeverityInfo, "Prefer the web server flow with PKCE",
			"The user-agent (implicit) flow puts the access token in the URL fragment, where browser history and extensions can see it, and orgs can block it.",
			"Use web-server-pkce; it returns a refresh token to any matching callback.", placeUserAgentFlow, refBlockFlows))
	case flows.WebServer:
		if s.PKCERequired != nil && *s.PKCERequired {
			adv = append(adv, advice(SeverityError, "PKCE is required but this flow sends none",
				"The authorize request fails with invalid_request \"missing required code challenge\".",
				"Run web-server-pkce instead.", placePKCE.at(s.AppKind), refWebServerFlow))
		} else {
			adv = append(adv, advice(SeverityInfo, "Consider PKCE",
				"PKCE protects the authorization code; External Client Apps require it by default.",
				"Run web-server-pkce (same app, same callback).", placePKCE.at(s.AppKind), refWebServerFlow))
		}
	// flows.Refresh: using the new access token is the Do this next line (answer.go).
	case flows.TokenExchange:
		adv = append(adv, advice(SeverityInfo, "Token exchange details are not confirmed",
			"Whether a refresh token or an ID token comes back depends on the Apex token exchange handler and the granted scopes; Salesforce's exact response is not documented.",
			"Read the response above; it is the authority for your org.", placeTokenExchange.at(s.AppKind)))
	}
	if s.AppInstalled != nil && !*s.AppInstalled && in.Flow != flows.Device && s.AppKind != AppExternalClient {
		adv = append(adv, advice(SeverityWarning, "The app is not installed in the org",
			"Since "+Change(ChangeUninstalledApps).When+" uninstalled connected apps work only for users who authorized them before or have \"Approve Uninstalled Connected Apps\".",
			"Install the app in the org.", placeInstall.at(s.AppKind), refUsageRestriction))
	}
	return adv
}

// settingsAdvice checks settings against each other.
func settingsAdvice(in Input, tok *flows.TokenResponse) []Advice {
	s := in.Settings
	var adv []Advice
	if in.Flow == flows.UserAgent || in.Flow == flows.WebServer || in.Flow == flows.WebServerPKCE {
		if s.CallbackURL != "" {
			if known, _ := callbackGetsRefreshToken(s.CallbackURL); !known {
				adv = append(adv, advice(SeverityWarning, "The callback URL does not look like a URL",
					"Salesforce compares redirect_uri with the app's Callback URL exactly: "+s.CallbackURL,
					"Enter the full URL, e.g. http://localhost:1717/OauthRedirect.", placeCallback.at(s.AppKind)))
			}
		}
	}
	return adv
}

// expiryAdvice explains what to do about the lifetime itself.
func expiryAdvice(in Input, lt lifetimeResult) []Advice {
	s := in.Settings
	var adv []Advice
	if lt.revoked {
		adv = append(adv, advice(SeverityError, "The token was revoked",
			"This client revoked it: the session has ended, and every call with it gets 401 INVALID_SESSION_ID.",
			"Refresh it (if you have a refresh token that was not revoked) or run the flow again.", none, refRevoke))
		return adv
	}
	if lt.inactive {
		adv = append(adv, advice(SeverityError, "The token is no longer active",
			"Introspection answered active: false: the session timed out, was revoked, or the user logged out.",
			"Refresh it (if you have a refresh token) or run the flow again.", none, refIntrospect))
		return adv
	}
	if lt.timeout.src == SourceDefault && !lt.jwtAccess {
		adv = append(adv, advice(SeverityInfo, "The idle timeout is assumed, not known",
			"Neither the app, the user's profile nor the org's timeout was given. The app's own Timeout Value, when set, wins over the profile and the org.",
			"Enter the timeout that applies, or set one on the app to make it explicit.", placeAppTimeout.at(s.AppKind), refSessionTimeout))
	}
	if in.Introspection == nil && !lt.jwtAccess {
		adv = append(adv, advice(SeverityInfo, "Introspect the token for its exact end",
			"Introspection returns exp, the session's current end, instead of an estimate. An app can introspect its own tokens; \"Introspect All Tokens\" lets it read others.",
			"Run Introspect with this app's consumer key and secret (POST /services/oauth2/introspect).", placeIntrospectAll.at(s.AppKind), refIntrospect))
	}
	if lt.jwtAccess {
		adv = append(adv, advice(SeverityInfo, "JWT-based access token: fixed end, REST only",
			"Use does not extend it, and it cannot be revoked one by one (only \"Revoke All JWT-Based Access Tokens\").",
			"Get a new token before exp.", placeJWTTokens.at(s.AppKind), refJWTAccessTokens))
	}
	return adv
}

// timeoutShort names the timeout's source in a few words.
func timeoutShort(tc timeoutChoice) string {
	switch tc.src {
	case SourceApp:
		return "from the app's session policy"
	case SourceProfile:
		return "from the user's profile"
	case SourceOrg:
		return "from Session Settings"
	case SourceIntrospection:
		return "inferred from introspection"
	}
	return "assumed from Salesforce's default; your org may differ"
}

// headline writes the one-paragraph direct answer.
func headline(in Input, tok *flows.TokenResponse, lt lifetimeResult, r Report) string {
	title := flowInfo(in.Flow).Title
	tc := lt.timeout
	var b []string
	if tok == nil {
		if r.Error != nil {
			msg := "The " + lowerFirst(title) + " failed: " + r.Error.Code
			if r.Error.Description != "" {
				msg += " (" + r.Error.Description + ")"
			}
			msg += "."
			b = append(b, msg)
			if len(r.Error.Causes) > 0 {
				b = append(b, "Most likely: "+r.Error.Causes[0])
			}
			if len(r.Error.Fixes) > 0 && r.Error.Fixes[0].Fix != "" {
				b = append(b, "What to do: "+r.Error.Fixes[0].Fix)
			}
		} else {
			fi := flowInfo(in.Flow)
			b = append(b, "No token yet: run the "+lowerFirst(title)+" to see what Salesforce returns.", fi.Summary,
				"Refresh token: "+fi.CanIssueRefreshToken+".")
		}
		if in.Flow == flows.UsernamePassword {
			b = append(b, "Whatever the cause, this flow is blocked by default since Summer '23 and, for Connected Apps, "+status(ChangeUnPwRetired, in.Now)+": plan the move to the web server flow with PKCE, the JWT bearer flow or the client credentials flow.")
		}
		return strings.Join(b, " ")
	}

	has := tok.RefreshToken != ""
	kind := refreshKindOf(in.Flow)

	// Lifetime.
	switch {
	case lt.inactive:
		b = append(b, "This token no longer works: introspection answered active: false (the session timed out, was revoked, or the user logged out).")
	case lt.jwtAccess:
		b = append(b, "This is a JWT-based access token with a fixed end at "+fmtTime(*lt.expiresIdle, lt.expiresIdle.Location())+"; using it does not extend it.")
	default:
		lead := "Not long lived."
		if has || kind == refreshRotationOnly {
			lead = "The access token is short lived, but renewable."
		}
		s := lead + " This access token is a Salesforce session that ends after " + humanDuration(tc.d) + " without use (" + tc.phrase + ")."
		if lt.expiresIdle != nil {
			if lt.estimated {
				s += " Unused, it ends around " + fmtTime(*lt.expiresIdle, lt.expiresIdle.Location()) + " (estimated)."
			} else {
				s += " Unused, it ends at " + fmtTime(*lt.expiresIdle, lt.expiresIdle.Location()) + " (from introspection)."
			}
		}
		s += " Using it keeps it alive, so there is no fixed end, and Salesforce sends no expires_in: tools that show \"never expires\" are wrong."
		b = append(b, s)
	}

	// Refresh token and what to do.
	switch {
	case has:
		pol := in.Settings.RefreshTokenPolicy
		s := "You have a refresh token"
		switch pol.Kind {
		case PolicyZero:
			s += ", but the app's policy expires it immediately, so it cannot renew anything: when the session ends the user must log in again."
		case "":
			s += " (valid until revoked unless the app's Refresh Token Policy says otherwise): when a call gets 401 INVALID_SESSION_ID, use it to get a new access token without the user."
		default:
			s += " (" + pol.short() + "): when a call gets 401 INVALID_SESSION_ID, use it to get a new access token without the user."
		}
		switch {
		case in.Result != nil && in.Result.RefreshTokenRotated:
			// Salesforce help "Refresh Token Rotation" (reference §15.2): each refresh returns a new
			// refresh token and invalidates the one sent; reusing that one revokes the family.
			s += " It is new: this refresh rotated the refresh token. The one you sent no longer works, and sending it again revokes this new one too; store the new one before the next refresh."
		case in.Settings.RefreshTokenRotation != nil && *in.Settings.RefreshTokenRotation:
			s += " Rotation is on: store the new refresh token after every refresh."
		}
		b = append(b, s)
	case in.Flow == flows.UsernamePassword:
		b = append(b, "There is no refresh token, and there never will be: the username-password flow never issues one.",
			"You can keep using the token until it stops working (HTTP 401 INVALID_SESSION_ID); then call the token endpoint again with the username and password.",
			"Better: move to the web server flow with PKCE and the refresh_token scope selected on the app (for a person), or to the JWT bearer or client credentials flow (for an integration).",
			"The username-password flow is blocked by default in orgs created since Summer '23, is not supported by External Client Apps, and for Connected Apps it "+status(ChangeUnPwRetired, in.Now)+".")
	case kind == refreshNever:
		b = append(b, "There is no refresh token and none is needed: the "+lowerFirst(title)+" never issues one.",
			"Keep the token and reuse it until a call gets 401 INVALID_SESSION_ID; then ask for a new one the same way (do not log in on every call: LOGIN_RATE_EXCEEDED).")
	case kind == refreshRotationOnly:
		b = append(b, "No new refresh token came back, which is normal without rotation: keep using the refresh token you have for the next refresh.")
	default:
		why := r.Scopes.RefreshTokenWhyNot
		b = append(b, "There is no refresh token: "+lowerFirst(why),
			"Until that is fixed, run the flow again when the session ends.")
	}
	if r.Error != nil {
		b = append(b, "A later step failed: "+r.Error.Code+"; see Error below.")
	}
	return strings.Join(b, " ")
}

// isTruncated recognises a 2xx answer whose JSON body ended early. flows reports it as an
// HTTPError wrapping ErrNotJSON with encoding/json's "unexpected EOF" / "unexpected end of JSON
// input"; an error whose text says "truncated" or "cut off" counts too, so a dedicated error
// from flows (for example flows.ErrTruncated) is recognised by its text until it is wired here
// with errors.Is.
func isTruncated(err error) bool {
	var he *flows.HTTPError
	if errors.As(err, &he) && he.Status/100 == 2 && errors.Is(err, flows.ErrNotJSON) && he.Err != nil {
		low := strings.ToLower(he.Err.Error())
		if strings.Contains(low, "unexpected eof") || strings.Contains(low, "unexpected end of json") {
			return true
		}
	}
	low := strings.ToLower(err.Error())
	return strings.Contains(low, "truncated") || strings.Contains(low, "cut off")
}

// truncatedExplanation says what a cut-off 200 means. It never quotes the body: a partial token
// response holds tokens.
func truncatedExplanation(flow flows.Flow) *ErrorExplanation {
	causes := []string{
		"The answer was cut off on the way: the connection dropped, or a proxy, firewall or antivirus in between ended the body early (the transcript shows how much arrived).",
		"A proxy or gateway limits the size of responses it passes on.",
		"Rarely, trouble on the Salesforce instance.",
	}
	fixes := []Advice{
		fixErr("Retry once", "A dropped connection rarely repeats.", "Run the flow again; for a browser flow start from the beginning, since the authorization code is single use and was already spent.", none),
		fixErr("If it repeats, take the proxy out of the path", "Something between this machine and Salesforce shortens the answer.",
			"Run without the proxy (HTTPS_PROXY, or the profile's proxy setting) or from another network, and compare the transcript's Content-Length with what arrived.", none),
	}
	if refreshKindOf(flow) != refreshNever || flow == flows.UsernamePassword {
		fixes = append(fixes, fixInfo("Treat tokens from the cut answer as issued", "Salesforce may have issued a token (and counted an approval) even though the answer did not arrive whole.",
			"Nothing from the partial answer is used; if you worry about it, revoke the app's tokens for the user (Settings → Connected Apps).", none))
	}
	return &ErrorExplanation{Code: "truncated_response", Rule: "truncated-response",
		Description: "the server answered 200 but its JSON body ended before it was complete",
		Meaning:     "A truncated response: the token endpoint said yes, but the answer was cut off before its end, so no token could be read from it.",
		Causes:      causes, Fixes: fixes}
}

// CodeCancelled is the ErrorExplanation code of a flow the user stopped (Cancel): not a
// failure, and told without alarm.
const CodeCancelled = "cancelled"

// browserWaitExplanation explains a browser flow that waited for its callback in vain, until it
// was cancelled or the listener's time (flows.DefaultListenTimeout) ran out: when Salesforce
// refuses an authorize request over the app's own settings it shows its error page in the
// browser and never calls the loopback listener, so the app can only wait.
func browserWaitExplanation(msg string, cancelled bool, s Settings) *ErrorExplanation {
	code, meaning := "callback_timeout", "No callback reached the app in time."
	if cancelled {
		code, meaning = CodeCancelled, "You stopped the flow while it waited for the browser's callback."
	}
	return &ErrorExplanation{Code: code, Description: msg,
		Meaning: meaning + " Salesforce's error page never reaches the app: when it refuses a login over the app's settings it shows " +
			"the error in the browser (often as OAUTH_APPROVAL_ERROR_GENERIC, the real error in the page's address) and does not call the callback URL.",
		Causes: []string{
			"invalid_scope: a requested scope is not selected on the app (\"the requested scope is not allowed\").",
			"redirect_uri_mismatch: the callback URL is not on the app exactly as sent (\"redirect_uri must match configuration\").",
			"The app is not approved for this user (\"user is not admin approved to access this app\"), or it is not installed in the org (\"app must be installed into org\"); a wrong consumer key shows \"client identifier invalid\".",
			"The user did not approve: the login or the consent page was not finished, or the tab was closed (pressing Deny would have come back as access_denied).",
		},
		Fixes: []Advice{
			fixErr("Read the error in the browser", "The error page's address holds error= and error_description=.",
				"Look at the browser tab and paste its address into connectedapplab explain (in the window: Explain error page…); fix the scope, callback URL or app access it names, then run the flow again.", placeCallback.at(s.AppKind)),
		},
		Source: refFlowErrors}
}
