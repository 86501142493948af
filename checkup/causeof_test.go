package checkup

import (
	"testing"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
)

// TestCauseOfMatchesWholeAnswersAndPrefersErrors: an answer without a description, or
// without a code, is no prefix of every wire error; an error finding beats a warning.
func TestCauseOfMatchesWholeAnswersAndPrefersErrors(t *testing.T) {
	warn := func(code, wire string) connectedapp.Finding {
		return connectedapp.Finding{Code: code, Severity: connectedapp.Warning, WireError: wire}
	}
	errf := func(code, wire string) connectedapp.Finding {
		return connectedapp.Finding{Code: code, Severity: connectedapp.Error, WireError: wire}
	}
	for _, tc := range []struct {
		name string
		lint []connectedapp.Finding
		oe   *flows.OAuthError
		want string // the finding's code; "" for nil
	}{
		{"no description: the error with that code, not the warning",
			[]connectedapp.Finding{warn("w", "invalid_grant: expired"), errf("e", "invalid_grant: authentication failure")},
			&flows.OAuthError{Code: "invalid_grant"}, "e"},
		{"no code: nothing matches",
			[]connectedapp.Finding{warn("w", "invalid_client: x"), errf("e", "invalid_grant: y")},
			&flows.OAuthError{}, ""},
		{"no code, a description: nothing matches",
			[]connectedapp.Finding{warn("w", "invalid_client: x"), errf("e", "invalid_grant: y")},
			&flows.OAuthError{Description: "y"}, ""},
		{"the same answer: the error before the warning",
			[]connectedapp.Finding{warn("w", "invalid_grant: authentication failure"), errf("e", "invalid_grant: authentication failure")},
			&flows.OAuthError{Code: "invalid_grant", Description: "authentication failure"}, "e"},
		{"the same answer and a note",
			[]connectedapp.Finding{errf("other", "invalid_grant: other"), errf("e", "invalid_grant: authentication failure (when the flow is blocked)")},
			&flows.OAuthError{Code: "invalid_grant", Description: "authentication failure"}, "e"},
		{"a warning with the same answer beats an error with the same code",
			[]connectedapp.Finding{errf("e", "invalid_grant: other"), warn("w", "invalid_grant: authentication failure")},
			&flows.OAuthError{Code: "invalid_grant", Description: "authentication failure"}, "w"},
		{"no OAuth error: the first error",
			[]connectedapp.Finding{warn("w", ""), errf("e", "x: y"), errf("e2", "")}, nil, "e"},
	} {
		got := ""
		if fd := causeOf(tc.lint, tc.oe); fd != nil {
			got = fd.Code
		}
		if got != tc.want {
			t.Errorf("%s: causeOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}
