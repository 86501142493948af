package guidance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// "Why did my refresh token stop working?" (issue 16 item 4). DiagnoseRefresh walks the
// documented causes of a dead refresh token (reference §15.1-15.3, §5) against the facts an
// admin's token could gather from the org, and sorts each cause into found (certain),
// ruled out, or could not rule out (with how to check it). It is a pure function: the
// diagnose package gathers the facts.

// MaxApprovalsPerUserApp: "Each connected app allows five unique approvals per user. After a
// fifth approval is made, the oldest approval is revoked" (reference §15.1).
const MaxApprovalsPerUserApp = 5

// IdleRefreshLimit is Spring '26's "Limit Idle Refresh Token TTL to 30 Days" (reference §15.3).
const IdleRefreshLimit = 30 * 24 * time.Hour

// clockSkew is how far the client's clock and the org's may differ when comparing when a
// token was obtained with an approval's CreatedDate.
const clockSkew = 2 * time.Second

// RefreshFailure is what the token endpoint answered to the refresh.
type RefreshFailure struct {
	Code        string `json:"code"`
	Description string `json:"description,omitempty"`
	Status      int    `json:"status,omitempty"`
}

// Approval is one OauthToken record of the user for the app (reference §15.1). The
// DeleteToken is not here: revoking is the caller's business.
type Approval struct {
	ID        string    `json:"id"`
	AppName   string    `json:"app_name"`
	Installed bool      `json:"installed"` // AppMenuItemId is not null
	Created   time.Time `json:"created"`
	LastUsed  time.Time `json:"last_used,omitzero"`
	UseCount  int       `json:"use_count"`
}

// UserState is the user's state as queried (User.IsActive; frozen from UserLogin when known).
type UserState struct {
	Username string `json:"username"`
	Active   bool   `json:"active"`
	Frozen   *bool  `json:"frozen,omitempty"`
}

// AppState is the app's refresh token settings as read through the Metadata API.
type AppState struct {
	Name         string        `json:"name,omitempty"`  // API name
	Label        string        `json:"label,omitempty"` // what OauthToken.AppName holds
	Kind         string        `json:"kind,omitempty"`  // AppConnected | AppExternalClient
	Policy       RefreshPolicy `json:"-"`
	Rotation     *bool         `json:"rotation,omitempty"`
	Installed    *bool         `json:"installed,omitempty"`
	IPRelaxation string        `json:"ip_relaxation,omitempty"`
}

// RefreshFacts is what is known; every field is optional.
type RefreshFacts struct {
	Now time.Time // the time of the failure (the org's clock when known)
	// ObtainedAt is when the dead refresh token was obtained (the login that issued it).
	ObtainedAt *time.Time
	User       *UserState
	App        *AppState
	// Approvals are the user's OauthToken records for this app; ApprovalsKnown says they
	// were queried (an empty list then means none).
	Approvals      []Approval
	ApprovalsKnown bool
	// IdleLimitOff is true when the org turned the 30-day idle limit off (nil/false: on, the
	// Spring '26 default).
	IdleLimitOff bool
}

// Verdict sorts a cause.
type Verdict string

const (
	VerdictFound    Verdict = "found"
	VerdictRuledOut Verdict = "ruled_out"
	VerdictOpen     Verdict = "could_not_rule_out"
)

// Cause is one documented reason a refresh token stops working, as judged from the facts.
type Cause struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Verdict   Verdict `json:"verdict"`
	Why       string  `json:"why"`             // what the facts say
	Check     string  `json:"check,omitempty"` // how to check it (open causes) or what to do (found)
	SetupPath string  `json:"setup_path,omitempty"`
	Fact      string  `json:"fact,omitempty"` // where the deciding fact came from (OauthToken, User, Metadata API, the error)
	Source    DocRef  `json:"source"`
}

// RefreshDiagnosis is DiagnoseRefresh's answer.
type RefreshDiagnosis struct {
	Failure  RefreshFailure    `json:"failure"`
	Error    *ErrorExplanation `json:"error,omitempty"`
	Found    []Cause           `json:"found"`
	RuledOut []Cause           `json:"ruled_out"`
	Open     []Cause           `json:"could_not_rule_out"`
	Summary  string            `json:"summary"`
	Budget   *ApprovalBudget   `json:"approvals,omitempty"`
}

// Diagnosed reports whether a cause was found with certainty.
func (d *RefreshDiagnosis) Diagnosed() bool { return len(d.Found) > 0 }

// Cause IDs.
const (
	CauseApprovalLimit   = "approval-limit"
	CausePolicyImmediate = "policy-immediate"
	CausePolicyLifetime  = "policy-lifetime"
	CausePolicyUnused    = "policy-inactivity"
	CauseIdle30Days      = "idle-30-days"
	CauseRotationReuse   = "rotation-reuse"
	CauseRevoked         = "revoked"
	CauseUserInactive    = "user-inactive"
	CauseUserFrozen      = "user-frozen"
	CauseAppUninstalled  = "app-uninstalled"
	CauseAppBlocked      = "app-blocked"
	CauseIPRestricted    = "ip-restricted"
	CauseLoginHours      = "login-hours"
)

var (
	refIdleTTL = DocRef{Title: "Salesforce Help: Limit Idle Refresh Token TTL to 30 Days (Spring '26)",
		URL: "https://help.salesforce.com/s/articleView?id=xcloud.connected_app_limit_idle_ttl.htm&type=5"}
	refOauthTokenObject = DocRef{Title: "Salesforce Object Reference: OauthToken",
		URL: "https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_oauthtoken.htm"}
)

const (
	setupUserApprovals = "Setup → Users → the user → OAuth Connected Apps (or Setup → Connected Apps OAuth Usage → the app → User Count)"
	setupOAuthUsage    = "Setup → Connected Apps OAuth Usage → the app (Revoke, Block); the user: Settings → Connected Apps"
)

// DiagnoseRefresh walks the documented causes of a refresh failure against the facts.
func DiagnoseRefresh(f RefreshFailure, facts RefreshFacts) RefreshDiagnosis {
	d := RefreshDiagnosis{Failure: f}
	d.Error = ExplainErrorAt(flows.Refresh, &flows.OAuthError{Code: f.Code, Description: f.Description, Status: f.Status, Where: "token"},
		factsSettings(facts), facts.Now)
	rule := ""
	if d.Error != nil {
		rule = d.Error.Rule
	}
	kind := ""
	if facts.App != nil {
		kind = facts.App.Kind
	}
	add := func(c Cause) {
		switch c.Verdict {
		case VerdictFound:
			d.Found = append(d.Found, c)
		case VerdictRuledOut:
			d.RuledOut = append(d.RuledOut, c)
		default:
			d.Open = append(d.Open, c)
		}
	}
	byError := func(id, title, why string, at place) {
		add(Cause{ID: id, Title: title, Verdict: VerdictFound, Why: why, Check: d.Error.fixText(), SetupPath: at.Setup, Fact: "the error Salesforce returned", Source: d.Error.Source})
	}
	// Errors that name their cause.
	switch rule {
	case "inactive-user":
		byError(CauseUserInactive, "The user is inactive or frozen", "Salesforce answered "+quoteErr(f.Code, f.Description)+".", placeUsers)
	case "ip-restricted":
		byError(CauseIPRestricted, "The caller's IP is not allowed", "Salesforce answered "+quoteErr(f.Code, f.Description)+".", placeIPRelax.at(kind))
	case "login-hours":
		byError(CauseLoginHours, "Outside the profile's Login Hours", "Salesforce answered "+quoteErr(f.Code, f.Description)+".", placeProfileHours)
	case "app-blocked":
		byError(CauseAppBlocked, "The app is blocked", "Salesforce answered "+quoteErr(f.Code, f.Description)+".", placeBlockApp.at(kind))
	case "app-not-found", "app-not-installed":
		byError(CauseAppUninstalled, "The app is not installed or no longer exists", "Salesforce answered "+quoteErr(f.Code, f.Description)+".", placeInstall.at(kind))
	case "ip-restricted-or-login-hours":
		byError(CauseIPRestricted, "The caller's IP or the time is outside what the user's profile allows", "Salesforce answered "+quoteErr(f.Code, f.Description)+"; Login History shows which of the two.", placeProfileIP)
	case "", "refresh-token-expired", "invalid-grant":
		// The error does not name the cause: walk them below.
	default:
		// An error about the request, not the refresh token (a wrong secret, a disabled flow,
		// a server problem): the catalogue entry is the answer.
		c := Cause{ID: "error-" + rule, Title: d.Error.Meaning, Verdict: VerdictFound, Why: "Salesforce answered " + quoteErr(f.Code, f.Description) + ": the refresh token itself was not judged.",
			Check: d.Error.fixText(), Fact: "the error Salesforce returned", Source: d.Error.Source}
		if len(d.Error.Fixes) > 0 {
			c.SetupPath = d.Error.Fixes[0].SetupPath
		}
		add(c)
	}
	if len(d.Found) > 0 {
		d.Summary = summary(&d)
		return d
	}

	now := facts.Now
	ours, newer := splitApprovals(facts)

	// The user.
	switch u := facts.User; {
	case u == nil:
		add(Cause{ID: CauseUserInactive, Title: "The user is inactive", Verdict: VerdictOpen,
			Why: "The user's record was not read.", Check: "Check the user's Active box.", SetupPath: placeUsers.Setup, Source: refUserAgentErrors})
	case !u.Active:
		add(Cause{ID: CauseUserInactive, Title: "The user is inactive", Verdict: VerdictFound,
			Why: "User.IsActive is false for " + u.Username + ": an inactive user's refresh tokens do not work.", Check: "Reactivate the user, then log in again.",
			SetupPath: placeUsers.Setup, Fact: "SOQL User.IsActive", Source: refUserAgentErrors})
	default:
		add(Cause{ID: CauseUserInactive, Title: "The user is inactive", Verdict: VerdictRuledOut,
			Why: "User.IsActive is true for " + u.Username + ".", SetupPath: placeUsers.Setup, Fact: "SOQL User.IsActive", Source: refUserAgentErrors})
	}
	frozen := Cause{ID: CauseUserFrozen, Title: "The user is frozen", Source: refVPNFreeze, SetupPath: placeUsers.Setup}
	switch u := facts.User; {
	case u != nil && u.Frozen != nil && *u.Frozen:
		frozen.Verdict, frozen.Why, frozen.Fact = VerdictFound, "The user is frozen (UserLogin.IsFrozen).", "SOQL UserLogin.IsFrozen"
		frozen.Check = "Unfreeze the user (Setup → Users → the user → Unfreeze); since " + Change(ChangeVPNFreeze).When + " Salesforce freezes users whose app traffic comes from anonymizing VPNs and revokes their refresh tokens, so log in again after."
	case u != nil && u.Frozen != nil:
		frozen.Verdict, frozen.Why, frozen.Fact = VerdictRuledOut, "The user is not frozen (UserLogin.IsFrozen).", "SOQL UserLogin.IsFrozen"
	default:
		frozen.Verdict, frozen.Why = VerdictOpen, "Whether the user is frozen was not read."
		frozen.Check = "Look for the Unfreeze button on the user's record; since " + Change(ChangeVPNFreeze).When + " Salesforce freezes users whose app traffic comes from anonymizing VPNs or high-risk IPs and revokes all their refresh tokens."
	}
	add(frozen)

	// The app: uninstalled (AppMenuItemId null) or blocked.
	app := Cause{ID: CauseAppUninstalled, Title: "The app is not installed in the org", SetupPath: placeInstall.at(kind).Setup, Source: refOauthTokenObject}
	notInstalled := false
	for _, a := range facts.Approvals {
		if !a.Installed {
			notInstalled = true
		}
	}
	switch {
	case facts.App != nil && facts.App.Installed != nil && !*facts.App.Installed, notInstalled:
		app.Verdict, app.Why, app.Fact = VerdictFound, "The app is known but not installed (OauthToken.AppMenuItemId is null).", "SOQL OauthToken.AppMenuItemId"
		app.Check = "Install the app (or give users \"Approve Uninstalled Connected Apps\"), then log in again."
	case facts.ApprovalsKnown && len(facts.Approvals) > 0:
		app.Verdict, app.Why, app.Fact = VerdictRuledOut, "The user's approvals of the app carry an AppMenuItemId: it is installed.", "SOQL OauthToken.AppMenuItemId"
	default:
		app.Verdict, app.Why = VerdictOpen, "No approval of the app was found to show whether it is installed."
		app.Check = "Open the app in Setup → Connected Apps OAuth Usage: an Install button means it is not installed."
	}
	add(app)
	add(Cause{ID: CauseAppBlocked, Title: "The app is blocked", Verdict: VerdictOpen, Source: refErrorCodeEnum,
		Why: "Whether the app is blocked cannot be queried.", SetupPath: placeBlockApp.at(kind).Setup,
		Check: "Open the app in Setup → Connected Apps OAuth Usage: an Unblock button means it is blocked (blocking revokes its tokens)."})

	// The refresh token policy and the 30-day idle limit.
	policyCauses(facts, kind, add)

	// Rotation.
	rot := Cause{ID: CauseRotationReuse, Title: "An old refresh token was reused after rotation", SetupPath: placeRotation.at(kind).Setup, Source: refRefreshFlow}
	switch {
	case facts.App != nil && facts.App.Rotation != nil && !*facts.App.Rotation:
		rot.Verdict, rot.Why, rot.Fact = VerdictRuledOut, "Refresh token rotation is off for the app.", "Metadata API isRefreshTokenRotationEnabled"
	case ours != nil:
		rot.Verdict, rot.Why, rot.Fact = VerdictRuledOut, "The approval that issued the token is still there; reusing a rotated-out token would have revoked it.", "SOQL OauthToken"
	case facts.App != nil && facts.App.Rotation != nil:
		rot.Verdict, rot.Why, rot.Fact = VerdictOpen, "Rotation is on: each refresh returns a new refresh token and the old one dies; sending an old one revokes the whole family.", "Metadata API isRefreshTokenRotationEnabled"
		rot.Check = "Make sure the client stores the new refresh_token of every refresh before the next call, and that two processes do not share one token."
	default:
		rot.Verdict, rot.Why = VerdictOpen, "Whether the app rotates refresh tokens was not read."
		rot.Check = "Check Enable Refresh Token Rotation; if on, the client must keep the newest refresh token."
	}
	add(rot)

	// The five-approvals limit.
	lim := Cause{ID: CauseApprovalLimit, Title: "A sixth approval revoked this one (five approvals per user and app)", SetupPath: setupUserApprovals, Source: refApprovals}
	switch {
	case !facts.ApprovalsKnown:
		lim.Verdict, lim.Why = VerdictOpen, "The user's OauthToken records were not read (an admin's token is needed)."
		lim.Check = "Count the user's approvals of the app; at five, the next login revokes the oldest."
	case ours != nil:
		lim.Verdict, lim.Why, lim.Fact = VerdictRuledOut, "The approval from "+dateTime(ours.Created)+" that issued this token is still there.", "SOQL OauthToken"
	case facts.ObtainedAt != nil && len(newer) >= MaxApprovalsPerUserApp:
		lim.Verdict, lim.Fact = VerdictFound, "SOQL OauthToken"
		lim.Why = fmt.Sprintf("The token was obtained %s; its approval is gone and %d newer approvals of the app exist (%s), the most the user may hold: by the approval of %s at the latest, the user held six and the oldest, this one, was revoked.",
			dateTime(*facts.ObtainedAt), len(newer), approvalDates(newer), dateTime(newer[MaxApprovalsPerUserApp-1].Created))
		lim.Check = "Log in again to get a new refresh token; to keep tokens alive, revoke stale approvals instead of piling up new ones (one login per device or client, reuse its refresh token)."
	case facts.ObtainedAt != nil:
		lim.Verdict, lim.Fact = VerdictRuledOut, "SOQL OauthToken"
		lim.Why = fmt.Sprintf("Only %d approvals newer than the token (obtained %s) exist; the limit revokes an approval only when five newer ones are made.", len(newer), dateTime(*facts.ObtainedAt))
	case len(facts.Approvals) >= MaxApprovalsPerUserApp:
		lim.Verdict, lim.Fact = VerdictOpen, "SOQL OauthToken"
		lim.Why = fmt.Sprintf("The user holds %d approvals of the app, the most allowed: each new login revokes the oldest. Whether this token was one of them depends on when it was obtained.", len(facts.Approvals))
		lim.Check = "Say when the token was obtained (--obtained-at): if all five approvals are newer, the limit revoked it."
	default:
		lim.Verdict, lim.Fact = VerdictOpen, "SOQL OauthToken"
		lim.Why = fmt.Sprintf("The user holds %d approvals of the app (fewer than five), so a recent login did not evict one; an older eviction cannot be excluded without knowing when the token was obtained.", len(facts.Approvals))
		lim.Check = "Say when the token was obtained (--obtained-at)."
	}
	add(lim)

	// Revoked by the user or an admin (or by /services/oauth2/revoke).
	rev := Cause{ID: CauseRevoked, Title: "Revoked by the user, an admin or a revoke call", SetupPath: setupOAuthUsage, Source: refRevoke}
	switch {
	case ours != nil:
		rev.Verdict, rev.Why, rev.Fact = VerdictRuledOut, "The approval that issued the token is still there; revoking removes it.", "SOQL OauthToken"
	case lim.Verdict == VerdictFound:
		rev.Verdict, rev.Why, rev.Fact = VerdictRuledOut, "The five-approvals limit explains the missing approval.", "SOQL OauthToken"
	default:
		rev.Verdict, rev.Why = VerdictOpen, "The approval is gone or was not read; revocations are not recorded where the API can read them."
		rev.Check = "Ask the user (Settings → Connected Apps) and the admins (Setup → Connected Apps OAuth Usage, Setup Audit Trail) whether they revoked it; a logout that revokes tokens does the same."
	}
	add(rev)

	// IP ranges and login hours: Salesforce names these in the error, not as an expired token.
	ipWhy := "Salesforce answers an IP restriction with invalid_grant \"ip restricted\", not " + quoteErr(f.Code, f.Description) + "."
	ip := Cause{ID: CauseIPRestricted, Title: "The caller's IP is outside the allowed ranges", Verdict: VerdictRuledOut, Why: ipWhy, Fact: "the error Salesforce returned",
		SetupPath: placeIPRelax.at(kind).Setup, Source: refObserved}
	if rule != "refresh-token-expired" {
		ip.Verdict, ip.Why, ip.Fact = VerdictOpen, "The error does not say; the profile's Login IP Ranges (and an External Client App's refresh token IP allowlist) apply to refresh requests unless the app relaxes them.", ""
		ip.Check = "Check Login History for \"Restricted IP\" and the app's IP Relaxation."
	}
	add(ip)
	add(Cause{ID: CauseLoginHours, Title: "Outside the profile's Login Hours", Verdict: VerdictOpen, Source: refObserved, SetupPath: placeProfileHours.Setup,
		Why:   "Salesforce's wording for a refresh outside Login Hours is not documented, so the error cannot exclude it.",
		Check: "Compare the time of the refresh with the profile's Login Hours (in the org's time zone); Login History shows the status."})

	d.Summary = summary(&d)
	if facts.ApprovalsKnown {
		b := BudgetFor(facts.Approvals, now)
		d.Budget = &b
	}
	return d
}

// policyCauses judges the refresh token policy and the 30-day idle limit.
func policyCauses(facts RefreshFacts, kind string, add func(Cause)) {
	at := placeRefreshPolicy.at(kind).Setup
	const fact = "Metadata API refreshTokenPolicy"
	if facts.App == nil || facts.App.Policy.Kind == "" {
		add(Cause{ID: CausePolicyLifetime, Title: "The app's refresh token policy expired it", Verdict: VerdictOpen, SetupPath: at, Source: refRefreshFlow,
			Why:   "The app's Refresh Token Policy was not read.",
			Check: "Check the Refresh Token Policy: \"Immediately expire\", \"Expire refresh token after\" or \"Expire refresh token if not used for\" end refresh tokens."})
		idleCause(facts, at, "", add)
		return
	}
	p := facts.App.Policy
	obtained := facts.ObtainedAt
	switch p.Kind {
	case PolicyZero:
		add(Cause{ID: CausePolicyImmediate, Title: "The app's refresh tokens expire immediately", Verdict: VerdictFound, SetupPath: at, Source: refRefreshFlow, Fact: fact,
			Why:   "The Refresh Token Policy is \"Immediately expire refresh token\": no refresh token ever works for this app.",
			Check: "Choose \"Refresh token is valid until revoked\" or a period, then log in again."})
		return
	case PolicyInfinite:
		add(Cause{ID: CausePolicyLifetime, Title: "The app's refresh token policy expired it", Verdict: VerdictRuledOut, SetupPath: at, Source: refRefreshFlow, Fact: fact,
			Why: "The Refresh Token Policy is \"valid until revoked\"."})
	case PolicySpecificLifetime:
		c := Cause{ID: CausePolicyLifetime, Title: "The app's refresh token policy expired it (" + p.short() + ")", SetupPath: at, Source: refRefreshFlow, Fact: fact}
		switch {
		case obtained == nil:
			c.Verdict, c.Why = VerdictOpen, "Refresh tokens of this app expire "+p.period()+" after they were issued; when this one was issued is not known."
			c.Check = "Say when the token was obtained (--obtained-at)."
		case !facts.Now.Before(p.add(*obtained)):
			c.Verdict = VerdictFound
			c.Why = "Refresh tokens of this app expire " + p.period() + " after they were issued; this one was obtained " + dateTime(*obtained) + " and expired " + dateTime(p.add(*obtained)) + "."
			c.Check = "Log in again; choose a longer period or \"valid until revoked\" if this is too short."
		default:
			c.Verdict = VerdictRuledOut
			c.Why = "Obtained " + dateTime(*obtained) + ", the token would expire only " + dateTime(p.add(*obtained)) + "."
		}
		add(c)
	case PolicySpecificInactivity:
		c := Cause{ID: CausePolicyUnused, Title: "The app's refresh token policy expired it (" + p.short() + ")", SetupPath: at, Source: refRefreshFlow, Fact: fact}
		limit := p.add(time.Time{}).Sub(time.Time{})
		if !facts.IdleLimitOff && limit > IdleRefreshLimit {
			limit = IdleRefreshLimit // "expire if not used for N" cannot exceed 30 days (§15.3)
		}
		switch {
		case obtained != nil && facts.Now.Sub(*obtained) < limit:
			c.Verdict = VerdictRuledOut
			c.Why = "Obtained " + dateTime(*obtained) + ", the token cannot have gone unused for " + humanDuration(limit) + " yet."
		default:
			c.Verdict = VerdictOpen
			c.Why = "Refresh tokens of this app expire after " + humanDuration(limit) + " without use; when this one was last used is not recorded where the API can read it."
			c.Check = "If the client did not refresh for " + humanDuration(limit) + ", this is the cause: refresh at least that often, or choose a longer period."
		}
		add(c)
		return // the idle limit is this policy, capped
	}
	idleCause(facts, at, p.Kind, add)
}

func idleCause(facts RefreshFacts, at, kind string, add func(Cause)) {
	c := Cause{ID: CauseIdle30Days, Title: "Unused for 30 days (Spring '26 idle limit)", SetupPath: at, Source: refIdleTTL}
	switch {
	case facts.IdleLimitOff:
		c.Verdict, c.Why = VerdictRuledOut, "The org has the 30-day idle limit off."
	case facts.ObtainedAt != nil && facts.Now.Sub(*facts.ObtainedAt) < IdleRefreshLimit:
		c.Verdict, c.Why = VerdictRuledOut, "The token was obtained "+dateTime(*facts.ObtainedAt)+", less than 30 days ago."
	default:
		c.Verdict = VerdictOpen
		c.Why = "Since Spring '26, \"valid until revoked\" and \"expire after N\" refresh tokens also expire after 30 days without use."
		c.Check = "If the client did not refresh for 30 days, this is the cause: refresh at least every few weeks."
	}
	add(c)
}

// splitApprovals finds the approval that may have issued the token (created no later than
// it was obtained) and those certainly newer, oldest first.
func splitApprovals(facts RefreshFacts) (ours *Approval, newer []Approval) {
	if !facts.ApprovalsKnown || facts.ObtainedAt == nil {
		return nil, nil
	}
	recs := append([]Approval(nil), facts.Approvals...)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Created.Before(recs[j].Created) })
	limit := facts.ObtainedAt.Add(clockSkew)
	for i := range recs {
		if recs[i].Created.After(limit) {
			newer = append(newer, recs[i])
			continue
		}
		// An approval made up to the moment the token was obtained may be its own — only
		// if it was made around then; older ones are earlier logins.
		if !recs[i].Created.Before(facts.ObtainedAt.Add(-clockSkew)) {
			r := recs[i]
			ours = &r
		}
	}
	return ours, newer
}

func factsSettings(f RefreshFacts) Settings {
	var s Settings
	if f.App != nil {
		s.AppKind = f.App.Kind
		s.RefreshTokenPolicy = f.App.Policy
		s.RefreshTokenRotation = f.App.Rotation
		s.AppInstalled = f.App.Installed
	}
	return s
}

func (x *ErrorExplanation) fixText() string {
	if x == nil || len(x.Fixes) == 0 {
		return ""
	}
	return x.Fixes[0].Fix
}

func dateTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 MST") }

func approvalDates(as []Approval) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Created.UTC().Format("2006-01-02 15:04:05")
	}
	return "created " + strings.Join(parts, ", ")
}

func summary(d *RefreshDiagnosis) string {
	if len(d.Found) > 0 {
		titles := make([]string, len(d.Found))
		for i, c := range d.Found {
			titles[i] = c.Title
		}
		return "Found: " + strings.Join(titles, "; ") + "."
	}
	if len(d.Open) == 0 {
		return "Every documented cause was ruled out; the error is not one of the documented refresh failures."
	}
	ids := make([]string, len(d.Open))
	for i, c := range d.Open {
		ids[i] = c.Title
	}
	return fmt.Sprintf("Not certain: %d causes could not be ruled out (%s).", len(d.Open), strings.Join(ids, "; "))
}

// ApprovalBudget says where the user stands against the five approvals per app (issue 16
// item 5), before a new interactive login.
type ApprovalBudget struct {
	Count int `json:"count"`
	Max   int `json:"max"`
	// Evicts is the approval the next login revokes (the oldest), when at the limit.
	Evicts *Approval `json:"evicts,omitempty"`
	// Stale is the approval worth revoking instead: the least recently used.
	Stale   *Approval `json:"stale,omitempty"`
	Message string    `json:"message"`
	Source  DocRef    `json:"source"`
}

// BudgetFor counts the user's approvals of one app and says what the next login does.
func BudgetFor(approvals []Approval, now time.Time) ApprovalBudget {
	b := ApprovalBudget{Count: len(approvals), Max: MaxApprovalsPerUserApp, Source: refApprovals}
	if len(approvals) == 0 {
		b.Message = "The user has no approval of this app yet; a login makes approval 1 of 5."
		return b
	}
	recs := append([]Approval(nil), approvals...)
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Created.Before(recs[j].Created) })
	stale := recs[0]
	for _, a := range recs[1:] {
		if lastUse(a).Before(lastUse(stale)) {
			stale = a
		}
	}
	if len(recs) < MaxApprovalsPerUserApp {
		b.Message = fmt.Sprintf("The user has %d of %d approvals of this app; a new login makes approval %d of %d and revokes nothing.", len(recs), MaxApprovalsPerUserApp, len(recs)+1, MaxApprovalsPerUserApp)
		return b
	}
	oldest := recs[len(recs)-MaxApprovalsPerUserApp]
	if len(recs) > MaxApprovalsPerUserApp {
		oldest = recs[0]
	}
	b.Evicts, b.Stale = &oldest, &stale
	b.Message = fmt.Sprintf("This will be approval %d of %d for this user and app: the approval from %s (last used %s) will be revoked, and the refresh token it issued stops working.",
		len(recs)+1, MaxApprovalsPerUserApp, dateTime(oldest.Created), dateTime(lastUse(oldest)))
	if stale.ID != oldest.ID {
		b.Message += fmt.Sprintf(" To keep it, revoke the least used one instead: the approval from %s, last used %s (%s ago).", dateTime(stale.Created), dateTime(lastUse(stale)), humanDuration(now.Sub(lastUse(stale))))
	} else {
		b.Message += " It is also the least recently used; revoke it first if you prefer to choose."
	}
	return b
}

func lastUse(a Approval) time.Time {
	if a.LastUsed.IsZero() {
		return a.Created
	}
	return a.LastUsed
}
