package guidance

import (
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// FlowInfo is what a person should know about a flow before picking it. Title, Needs and
// Summary are the flow catalogue's (flows.Catalog); guidance adds what is Salesforce's: the
// refresh token wording and the legacy note from the platform table.
type FlowInfo struct {
	Flow    flows.Flow
	Title   string // "Username-password flow"
	Needs   string // what the user must supply and enable
	Summary string // one or two sentences: who it is for and what comes back
	// CanIssueRefreshToken answers "will I get a refresh token?" in a few words.
	CanIssueRefreshToken string
	Legacy               string // why the flow is legacy or at risk; empty when it is not
}

// refreshKind classifies flows by refresh token issuance (reference §3.11): the catalogue's.
type refreshKind = flows.RefreshKind

const (
	refreshWithScope       = flows.RefreshWithScope
	refreshSpecialRedirect = flows.RefreshSpecialRedirect
	refreshNever           = flows.RefreshNever
	refreshRotationOnly    = flows.RefreshRotationOnly
	refreshUnconfirmed     = flows.RefreshUnconfirmed
)

// refreshWording answers "will I get a refresh token?" for a flow of the catalogue.
func refreshWording(sp flows.Spec) string {
	switch sp.Refresh {
	case refreshSpecialRedirect:
		return "only with the refresh_token scope and a custom-scheme callback or /services/oauth2/success"
	case refreshNever:
		if sp.Renew != "" {
			return "never (not needed: " + sp.Renew + ")"
		}
		return "never"
	case refreshRotationOnly:
		return "only when refresh token rotation is on (a new one each time)"
	case refreshUnconfirmed:
		return "reported yes with the refresh_token scope (not confirmed)"
	}
	return "yes, with the refresh_token scope"
}

// Flows lists every flow in the catalogue's order, with what a person should know before
// picking it. Dated changes are told without judging past or future; FlowsAt dates them
// from now (the window and the CLI pass time.Now()).
func Flows() []FlowInfo { return FlowsAt(time.Time{}) }

// FlowsAt is Flows with each flow's legacy note dated from now ("retires on …", "has been
// retired since …"), read from the platform table.
func FlowsAt(now time.Time) []FlowInfo { return FlowsIn(flows.Catalog(), now) }

// FlowsIn is FlowsAt for the flows of cat (a catalogue a caller was given, e.g. with a test's
// extra flow).
func FlowsIn(cat []flows.Spec, now time.Time) []FlowInfo {
	out := make([]FlowInfo, len(cat))
	for i, sp := range cat {
		out[i] = infoOf(sp, now)
	}
	return out
}

func infoOf(sp flows.Spec, now time.Time) FlowInfo {
	return FlowInfo{Flow: sp.Flow, Title: sp.Label, Needs: sp.Needs, Summary: sp.Summary,
		CanIssueRefreshToken: refreshWording(sp), Legacy: legacy(sp.Flow, now)}
}

// legacy says why a flow is legacy or at risk, from the platform table; "" when it is not.
func legacy(f flows.Flow, now time.Time) string {
	switch f {
	case flows.UsernamePassword:
		return "Blocked by default in orgs created since Summer '23, not supported by External Client Apps, " +
			"and for Connected Apps it " + status(ChangeUnPwRetired, now) + "."
	case flows.UserAgent:
		return "Implicit flow: the token travels in the URL. Orgs can block it (Allow OAuth User-Agent Flows), and for Connected Apps it " +
			status(ChangeUserAgentRetired, now) + "; use the web server flow with PKCE instead."
	case flows.Device:
		return Change(ChangeDeviceUninstalled).Sentence(now) + " " + Change(ChangeDeviceECALocalhost).Sentence(now)
	}
	return ""
}

// flowInfo returns the facts of one flow (a generic entry for an unknown name).
func flowInfo(f flows.Flow) FlowInfo {
	if sp, ok := flows.Lookup(f); ok {
		return infoOf(sp, time.Time{})
	}
	return FlowInfo{Flow: f, Title: string(f) + " flow", CanIssueRefreshToken: "unknown"}
}

// refreshKindOf is the catalogue's refresh kind of f; an unknown flow may refresh with the scope.
func refreshKindOf(f flows.Flow) refreshKind {
	if sp, ok := flows.Lookup(f); ok {
		return sp.Refresh
	}
	return refreshWithScope
}

// isBrowserFlow reports flows whose authorize step runs in a browser.
func isBrowserFlow(f flows.Flow) bool { sp, _ := flows.Lookup(f); return sp.Browser }

// isServerFlow reports flows meant for integrations that simply ask again instead of refreshing.
func isServerFlow(f flows.Flow) bool { sp, _ := flows.Lookup(f); return sp.Server }
