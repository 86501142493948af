package guidance

import (
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// ReadinessInput is what the readiness check looks at: a profile's flow and URLs and what is
// known of its app. Unknown fields stay zero.
type ReadinessInput struct {
	Flow          flows.Flow
	AppKind       string // AppConnected, AppExternalClient or "" (unknown: both are considered)
	CallbackURL   string
	LoginURL      string
	AppInstalled  *bool
	UsesSOAPLogin bool // the integration logs in with SOAP login()
}

// ReadinessItem is one thing a dated platform change breaks (or already broke) in a profile or app.
type ReadinessItem struct {
	ChangeID string
	Severity Severity // error: broken already (or from a past date); warning: breaks on a coming date
	When     string   // the change's date as Salesforce announces it
	Date     time.Time
	Past     bool
	Problem  string // what breaks, dated from now
	Fix      string
	Source   DocRef
}

// instancedHost matches Salesforce instanced hosts (na123.salesforce.com, cs42.salesforce.com,
// eu5.salesforce.com), not My Domain or login hosts.
var instancedHost = regexp.MustCompile(`^(?i)[a-z]{2,4}[0-9]{1,3}\.(salesforce|force)\.com$`)

// Readiness lists what the dated platform changes of the table break in this profile or app,
// and when, dated from now: past changes as errors ("has been retired since"), coming ones as
// warnings ("retires on"). It is a pure function; callers pass time.Now().
func Readiness(in ReadinessInput, now time.Time) []ReadinessItem {
	ca := in.AppKind != AppExternalClient
	var out []ReadinessItem
	add := func(id, problem, fix string) {
		c := Change(id)
		sev := SeverityWarning
		if c.Past(now) {
			sev = SeverityError
		}
		out = append(out, ReadinessItem{ChangeID: id, Severity: sev, When: c.When, Date: c.Date, Past: c.Past(now),
			Problem: problem, Fix: fix, Source: c.Source})
	}
	kindWord := "This Connected App"
	if in.AppKind == "" {
		kindWord = "If the app is a Connected App, it"
	}
	switch in.Flow {
	case flows.UsernamePassword:
		if ca {
			add(ChangeUnPwRetired, kindWord+" uses the username-password flow, which for Connected Apps "+status(ChangeUnPwRetired, now)+".",
				"Move integrations to the JWT bearer or client credentials flow, people to the web server flow with PKCE.")
		}
	case flows.UserAgent:
		if ca {
			add(ChangeUserAgentRetired, kindWord+" uses the user-agent flow, which for Connected Apps "+status(ChangeUserAgentRetired, now)+".",
				"Use the web server flow with PKCE (it also returns a refresh token to a loopback callback).")
		}
	case flows.Device:
		local := isLoopbackCallback(in.CallbackURL)
		switch {
		case in.AppKind == AppExternalClient && local:
		case in.AppKind == AppExternalClient:
			add(ChangeDeviceECALocalhost, "The device flow is limited to local External Client Apps with a localhost callback; this app's callback ("+orNone(in.CallbackURL)+") is not one. The limit "+status(ChangeDeviceECALocalhost, now)+".",
				"Give the External Client App a localhost callback URL (http://localhost:PORT/…), or use the web server flow with PKCE.")
		default:
			add(ChangeDeviceECALocalhost, "The device flow is limited to local External Client Apps with a localhost callback; "+lowerFirst(kindWord)+" cannot use it then. The limit "+status(ChangeDeviceECALocalhost, now)+".",
				"Migrate to an External Client App with a localhost callback, or use the web server flow with PKCE.")
		}
		if ca && in.AppInstalled != nil && !*in.AppInstalled {
			add(ChangeDeviceUninstalled, "The app is not installed, and the device flow is refused for uninstalled connected apps (since "+Change(ChangeDeviceUninstalled).When+").",
				"Install the app in the org.")
		}
	}
	if ca && in.Flow != flows.Device && in.Flow != flows.ClientCredentials && in.AppInstalled != nil && !*in.AppInstalled {
		add(ChangeUninstalledApps, "The Connected App is not installed: users who never authorized it (and lack \"Approve Uninstalled Connected Apps\") are refused.",
			"Install the app in the org.")
	}
	if in.UsesSOAPLogin {
		add(ChangeSOAPLoginPermission, "SOAP login() needs the \"Use Any API Auth\" permission; the requirement "+status(ChangeSOAPLoginPermission, now)+".",
			"Give the integration user the permission for now, and move to OAuth.")
		add(ChangeSOAPLoginRetired, "The integration logs in with SOAP login(), which "+status(ChangeSOAPLoginRetired, now)+".",
			"Use the JWT bearer or client credentials flow.")
	}
	for _, raw := range []string{in.LoginURL, in.CallbackURL} {
		if u, err := url.Parse(raw); err == nil && instancedHost.MatchString(u.Hostname()) {
			add(ChangeInstancedURLs, "The profile uses the instanced host "+u.Hostname()+"; instanced URLs in API traffic "+status(ChangeInstancedURLs, now)+".",
				"Use the org's My Domain URL (https://MyDomain.my.salesforce.com).")
			break
		}
	}
	if in.AppKind == AppConnected {
		add(ChangeConnectedAppsEnd, "This app is a Connected App; support for Connected Apps "+status(ChangeConnectedAppsEnd, now)+".",
			"Plan its migration to an External Client App (Setup → App Manager → the app ▼ → Migrate to External Client App where offered).")
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "none set"
	}
	return s
}

// isLoopbackCallback reports an http(s) callback on localhost, 127.0.0.1 or [::1].
func isLoopbackCallback(cb string) bool {
	u, err := url.Parse(cb)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	h := strings.ToLower(u.Hostname())
	return h == "localhost" || h == "127.0.0.1" || h == "::1"
}
