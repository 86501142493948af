// Package sfenum holds Salesforce's spellings of Connected App and External Client App
// settings (salesforce-oauth.md §8.1, §8.2): connectedapp writes and reads them in the
// apps' metadata, sfemu serves them. One spelling, read by both (sfemu imports nothing else
// of ours but internal packages).
package sfenum

// Permitted users policies: ConnectedApp metadata isAdminApproved false/true, ECA
// permittedUsersPolicyType.
const (
	AllSelfAuthorized          = "AllSelfAuthorized"
	AdminApprovedPreAuthorized = "AdminApprovedPreAuthorized"
)

// IP relaxation values, in ConnectedApp metadata spelling (oauthPolicy/ipRelaxation).
const (
	IPEnforce             = "ENFORCE"
	IPBypass2Factor       = "BYPASS_2FACTOR"
	IPBypass              = "BYPASS"
	IPEnforceRelaxRefresh = "ENFORCE_RELAXREFRESH"
)

// Refresh token policy types, in ConnectedApp metadata spelling.
const (
	RefreshInfinite           = "infinite"
	RefreshZero               = "zero"
	RefreshSpecificLifetime   = "specific_lifetime"
	RefreshSpecificInactivity = "specific_inactivity"
)

// ECA spellings of the values above, by their ConnectedApp spelling (ipRelaxationPolicyType,
// refreshTokenPolicyType). Read them; nothing writes them.
var (
	ECAIPRelaxation = map[string]string{IPEnforce: "Enforce", IPBypass2Factor: "Bypass_2factor", IPBypass: "Bypass",
		IPEnforceRelaxRefresh: "Enforce_RelaxRefresh"}
	ECARefreshPolicy = map[string]string{RefreshInfinite: "Infinite", RefreshZero: "Zero",
		RefreshSpecificLifetime: "SpecificLifetime", RefreshSpecificInactivity: "SpecificInactivity"}
)
