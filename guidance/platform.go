package guidance

import (
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// PlatformChange is one dated Salesforce platform change. The table below is the one place
// these dates are written: guidance, lint (connectedapp), the flow picker and the readiness
// check read it, and say "retires on …" or "has been retired since …" from the caller's now.
type PlatformChange struct {
	ID   string
	When string // as Salesforce announces it: "February 20, 2027" or "Summer '27"
	// Date is the day it takes effect. For a release name (Approx) it is the month the
	// release usually reaches production orgs, used only to tell past from future.
	Date    time.Time
	Approx  bool
	Subject string // what changes, written to be followed by Status: "The username-password flow for Connected Apps"
	Detail  string // one or two sentences more
	Applies string // who is affected
	Source  DocRef
	future  string // verb before the date: "retires", "takes effect"
	past    string // verb after it: "has been retired", "has been in effect"
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Platform change IDs.
const (
	ChangeUnPwBlockedNewOrgs  = "unpw-blocked-new-orgs"
	ChangeDeviceUninstalled   = "device-uninstalled-blocked"
	ChangeUninstalledApps     = "uninstalled-apps-restricted"
	ChangeSOAPLoginAPI65      = "soap-login-api65"
	ChangeNewCAButton         = "new-ca-button-removed"
	ChangeUseAnyAPIClient     = "use-any-api-client"
	ChangeNewCARestricted     = "new-ca-restricted"
	ChangeVPNFreeze           = "anonymizer-freeze"
	ChangeSOAPLoginPermission = "soap-login-use-any-api-auth"
	ChangeDeviceECALocalhost  = "device-eca-localhost"
	ChangeUnPwRetired         = "unpw-retired"
	ChangeUserAgentRetired    = "user-agent-retired"
	ChangeInstancedURLs       = "instanced-urls"
	ChangeConnectedAppsEnd    = "connected-apps-end-of-support"
	ChangeSOAPLoginRetired    = "soap-login-retired"
	retire, retired           = "retires", "has been retired"
	takesEffect, inEffect     = "takes effect", "has been in effect"
)

// platformChanges is the table, oldest first (reference §9, superseded by §15.8 where they differ).
var platformChanges = []PlatformChange{
	{ID: ChangeUnPwBlockedNewOrgs, When: "Summer '23", Date: day(2023, time.June, 1), Approx: true,
		Subject: "Blocking the username-password flow by default in new orgs",
		Detail:  "Orgs created from Summer '23 on block it (Setup → OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows).",
		Applies: "username-password flow", Source: refBlockFlows, future: takesEffect, past: inEffect},
	{ID: ChangeDeviceUninstalled, When: "August 28, 2025", Date: day(2025, time.August, 28),
		Subject: "Blocking the device flow for uninstalled connected apps",
		Detail:  "It includes the default Salesforce CLI app; sf org login device was deprecated.",
		Applies: "device flow", Source: refDeviceCLI, future: takesEffect, past: inEffect},
	{ID: ChangeUninstalledApps, When: "September 2025", Date: day(2025, time.September, 2),
		Subject: "The Connected App usage restriction",
		Detail:  "Uninstalled connected apps are blocked for users who had not authorized them before (invalid_client \"app must be installed into org\"); the permission \"Approve Uninstalled Connected Apps\" is on for System Administrators only.",
		Applies: "Connected Apps used by end users", Source: refUsageRestriction, future: takesEffect, past: inEffect},
	{ID: ChangeSOAPLoginAPI65, When: "Winter '26", Date: day(2025, time.October, 1), Approx: true,
		Subject: "SOAP login() being unavailable from API 65.0",
		Detail:  "login() remains in API 64.0 and earlier and is disabled by default in orgs created from Winter '26 on.",
		Applies: "SOAP login(), username-password integrations", Source: refSOAPLogin, future: takesEffect, past: inEffect},
	{ID: ChangeNewCAButton, When: "Winter '26", Date: day(2025, time.October, 1), Approx: true,
		Subject: "Removing the New Connected App button in new orgs",
		Applies: "Connected Apps", Source: refNewCARestricted, future: takesEffect, past: inEffect},
	{ID: ChangeUseAnyAPIClient, When: "December 8, 2025", Date: day(2025, time.December, 8),
		Subject: "The end of self-authorizing uninstalled apps with \"Use Any API Client\"",
		Applies: "Connected Apps", Source: refUseAnyAPIClient, future: takesEffect, past: inEffect},
	{ID: ChangeNewCARestricted, When: "Spring '26", Date: day(2026, time.February, 1), Approx: true,
		Subject: "Restricting the creation of new Connected Apps in all orgs",
		Detail:  "Salesforce Support must enable it; existing apps keep working. Create External Client Apps instead.",
		Applies: "Connected Apps", Source: refNewCARestricted, future: takesEffect, past: inEffect},
	{ID: ChangeVPNFreeze, When: "April 24, 2026", Date: day(2026, time.April, 24),
		Subject: "Freezing users whose app or API traffic comes from anonymizing VPNs, proxies or high-risk IPs",
		Detail:  "Salesforce also revokes all their refresh tokens; there is no opt-out.",
		Applies: "every flow that acts for a user", Source: refVPNFreeze, future: takesEffect, past: inEffect},
	{ID: ChangeSOAPLoginPermission, When: "Winter '27", Date: day(2026, time.October, 1), Approx: true,
		Subject: "Requiring the \"Use Any API Auth\" permission for SOAP login()",
		Detail:  "Without it login() fails with INSUFFICIENT_ACCESS.",
		Applies: "SOAP login()", Source: refSOAPLogin, future: takesEffect, past: inEffect},
	{ID: ChangeDeviceECALocalhost, When: "November 30, 2026", Date: day(2026, time.November, 30),
		Subject: "Limiting the device flow to local External Client Apps with a localhost callback",
		Detail:  "Connected Apps that use the device flow must move to an External Client App.",
		Applies: "device flow", Source: refWinter27, future: takesEffect, past: inEffect},
	{ID: ChangeUnPwRetired, When: "February 20, 2027", Date: day(2027, time.February, 20),
		Subject: "The OAuth 2.0 username-password flow for Connected Apps",
		Detail:  "Salesforce postponed the enforcement from Winter '27. External Client Apps never supported it; SOAP login() is no way around it.",
		Applies: "username-password flow, Connected Apps", Source: refWinter27, future: retire, past: retired},
	{ID: ChangeUserAgentRetired, When: "February 20, 2027", Date: day(2027, time.February, 20),
		Subject: "The OAuth 2.0 user-agent and hybrid user-agent flows for Connected Apps",
		Detail:  "Postponed from Winter '27, with the username-password flow. Use the web server flow with PKCE.",
		Applies: "user-agent flow, Connected Apps", Source: refWinter27, future: retire, past: retired},
	{ID: ChangeInstancedURLs, When: "Spring '27", Date: day(2027, time.February, 1), Approx: true,
		Subject: "Instanced URLs (such as na123.salesforce.com) in API traffic",
		Detail:  "Use the org's My Domain URL.",
		Applies: "logins and API calls to instanced hosts", Source: refWinter27, future: retire, past: retired},
	{ID: ChangeConnectedAppsEnd, When: "Summer '27", Date: day(2027, time.June, 1), Approx: true,
		Subject: "Support for Connected Apps",
		Detail:  "Salesforce asks to migrate all Connected Apps to External Client Apps.",
		Applies: "Connected Apps", Source: refWinter27, future: "ends", past: "has ended"},
	{ID: ChangeSOAPLoginRetired, When: "Summer '27", Date: day(2027, time.June, 1), Approx: true,
		Subject: "SOAP login() (API 31.0 to 64.0)",
		Detail:  "It is no way around the username-password retirement.",
		Applies: "SOAP login(), username-password integrations", Source: refSOAPLogin, future: retire, past: retired},
}

// PlatformChanges returns the table of dated platform changes, oldest first.
func PlatformChanges() []PlatformChange {
	out := make([]PlatformChange, len(platformChanges))
	copy(out, platformChanges)
	return out
}

// Change returns the table entry with this ID (the zero value for an unknown ID).
func Change(id string) PlatformChange {
	for _, c := range platformChanges {
		if c.ID == id {
			return c
		}
	}
	return PlatformChange{}
}

// Past reports whether the change has taken effect at now. A zero now counts as before
// every change still to come from the table's point of view: it reports false.
func (c PlatformChange) Past(now time.Time) bool {
	return !now.IsZero() && !now.Before(c.Date)
}

// DateText is the date as a person reads it: "February 20, 2027", or "Summer '27".
func (c PlatformChange) DateText() string { return c.When }

// Status says where now stands: "retires on February 20, 2027", "has been retired since
// February 20, 2027", "retires in Summer '27" … With a zero now it says "from <date>".
func (c PlatformChange) Status(now time.Time) string {
	on := "on "
	if c.Approx || strings.Count(c.When, " ") < 2 {
		on = "in "
	}
	switch {
	case now.IsZero():
		return c.future + " " + on + c.When
	case c.Past(now):
		return c.past + " since " + c.When
	}
	return c.future + " " + on + c.When
}

// Sentence is the change as one sentence or two, dated from now.
func (c PlatformChange) Sentence(now time.Time) string {
	s := c.Subject + " " + c.Status(now) + "."
	if c.Detail != "" {
		s += " " + c.Detail
	}
	return s
}

// status is Status of the change with this ID.
func status(id string, now time.Time) string { return Change(id).Status(now) }

func noteOf(id string, now time.Time) PlatformNote {
	c := Change(id)
	return PlatformNote{ID: c.ID, When: c.When, Change: c.Sentence(now), Short: c.Subject + " " + c.Status(now) + ".",
		Applies: c.Applies, Past: c.Past(now), Source: c.Source}
}

// Notes that are no dated change but a standing fact.
var (
	noteUnPwECA = PlatformNote{ID: "eca-no-unpw", When: "always",
		Change:  "External Client Apps, which replace Connected Apps, do not support the username-password flow at all.",
		Applies: "username-password flow, External Client Apps", Source: refECA}
	noteECAPKCE = PlatformNote{ID: "eca-pkce", When: "always",
		Change:  "External Client Apps require PKCE by default and admit no user until an admin permits them.",
		Applies: "External Client Apps", Source: refECA}
)

// platformNotes picks the notes that apply to a flow and app kind, oldest first, dated from now.
func platformNotes(flow flows.Flow, s Settings, now time.Time) []PlatformNote {
	var out []PlatformNote
	add := func(ids ...string) {
		for _, id := range ids {
			out = append(out, noteOf(id, now))
		}
	}
	ca := s.AppKind != AppExternalClient
	eca := s.AppKind != AppConnected
	if flow == flows.UsernamePassword {
		add(ChangeUnPwBlockedNewOrgs)
	}
	if flow == flows.Device {
		add(ChangeDeviceUninstalled)
	}
	if ca && flow != flows.ClientCredentials && flow != flows.UsernamePassword {
		add(ChangeUninstalledApps, ChangeUseAnyAPIClient)
	}
	if flow == flows.UsernamePassword {
		add(ChangeSOAPLoginAPI65)
	}
	if ca {
		add(ChangeNewCAButton, ChangeNewCARestricted)
	}
	if flow == flows.Device {
		add(ChangeDeviceECALocalhost)
	}
	if ca && flow == flows.UsernamePassword {
		add(ChangeUnPwRetired)
	}
	if ca && flow == flows.UserAgent {
		add(ChangeUserAgentRetired)
	}
	if ca {
		add(ChangeConnectedAppsEnd)
	}
	if flow == flows.UsernamePassword {
		add(ChangeSOAPLoginRetired)
		if !ca { // with Connected Apps the retirement's detail says it
			out = append(out, noteUnPwECA)
		}
	}
	if eca && (flow == flows.WebServer || flow == flows.WebServerPKCE || flow == flows.UserAgent) {
		out = append(out, noteECAPKCE)
	}
	return out
}
