package ui

import (
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The window's own view of guidance. The types mirror package guidance field for field, so
// that ui builds and tests on its own while guidance is being written; package ui/wire converts
// (wire.Explain and friends). Only flows types cross into ui unchanged.

// FlowInfo is what a person should know about a flow before picking it.
type FlowInfo struct {
	Flow                 flows.Flow
	Title                string
	Needs                string
	Summary              string
	CanIssueRefreshToken string
	Legacy               string
}

// Severity ranks advice: "error", "warning" or "info".
type Severity string

// Severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// LifetimeRow is one row of the lifetimes table.
type LifetimeRow struct {
	Label, Value, Source, Note string
	At                         *time.Time
	Estimated                  bool
}

// Advice is one thing to know or to change.
type Advice struct {
	Severity                                     Severity
	Title, Reason, Fix, SetupPath, MetadataField string
}

// ScopeDiagnosis compares requested, allowed and granted scopes.
type ScopeDiagnosis struct {
	Requested, Allowed, Granted []string
	AllowedKnown                bool
	GrantedReported             bool
	RefreshTokenIssued          bool
	RefreshTokenWhyNot          string
	Notes                       []string
}

// ErrorExplanation says what an OAuth or REST error means and what to change.
type ErrorExplanation struct {
	Code, Description string
	Causes            []string
	Fixes             []Advice
}

// Report is guidance's whole answer for one run.
type Report struct {
	Flow            flows.Flow
	Headline        string
	Lifetimes       []LifetimeRow
	Advice          []Advice
	Scopes          ScopeDiagnosis
	Error           *ErrorExplanation
	ExpiresIfIdleAt *time.Time
	ExpiryEstimated bool
}

// ExplainInput is what the window asks guidance about.
type ExplainInput struct {
	Flow            flows.Flow
	Profile         Profile // app kind, session timeout and refresh policy the admin knows
	Result          *flows.Result
	Introspection   *flows.Introspection
	Now             time.Time
	RequestedScopes []string
}
