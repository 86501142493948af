package guidance

import (
	"strings"
	"time"
	"unicode"

	"github.com/connectedapplab/connectedapplab/flows"
)

// The error catalogue: one entry (errRule) per documented or observed Salesforce error, for the
// authorize redirect, the token endpoint of every flow, device polling, JWT and SAML bearer,
// revoke, introspect, SOAP login() faults and the REST 401/403 error array. Each entry says
// what the error means, its likely causes in order, the setting to check (Setup path and
// metadata field, in the fixes) and the fix, and names its source.
//
// Matching (ExplainError): by code, then by description, the most specific entry first; case,
// punctuation and extra words do not matter. An entry that needs a description phrase beats
// one that matches the code alone, and a longer phrase beats a shorter one, so "IP restricted
// or invalid login hours" is not read as "ip restricted", and "invalid login hours" is never
// explained as an IP restriction. A description the catalogue does not know is shown
// verbatim, with the code's general explanation (or the generic one), never a wrong specific one.

// errRule is one catalogue entry.
type errRule struct {
	id      string
	codes   []string // any of these codes (compared normalised); none = any code
	phrases []string // the description must contain one (whole words, normalised); none = the code alone
	// byCode lets one of codes match alone too, and anyCode lets a phrase match with any code:
	// one entry then covers, say, inactive_user "user is inactive" and invalid_grant "inactive user".
	byCode, anyCode bool
	wordings        []string // the descriptions Salesforce documents or was seen sending; the tests use every one
	meaning         string
	source          DocRef
	explain         func(c errCtx) (causes []string, fixes []Advice)
}

// normText lowercases s and turns every run of characters that are not letters or digits into
// one space: "User hasn't Approved!" → "user hasn t approved".
func normText(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// normCode lowercases a code and joins its words with underscores: "Access-Denied" → "access_denied".
func normCode(s string) string { return strings.ReplaceAll(normText(s), " ", "_") }

// containsPhrase reports whether the normalised text holds the normalised phrase as whole words.
func containsPhrase(text, phrase string) bool {
	p := normText(phrase)
	return p != "" && strings.Contains(" "+text+" ", " "+p+" ")
}

// score says how specifically r matches a normalised code and description; 0 = no match. A
// description phrase scores 4 per word (+2 when the code is one of the entry's too); the code
// alone scores 1. byPhrase tells which.
func (r *errRule) score(code, desc string) (score int, byPhrase bool) {
	codeIn := false
	for _, c := range r.codes {
		if normCode(c) == code {
			codeIn = true
		}
	}
	anyCode := r.anyCode || len(r.codes) == 0
	if codeIn || anyCode {
		for _, p := range r.phrases {
			if containsPhrase(desc, p) || (anyCode && containsPhrase(normText(code), p)) {
				if n := 4 * len(strings.Fields(normText(p))); n > score {
					score = n
				}
			}
		}
		if score > 0 {
			if codeIn {
				score += 2
			}
			return score, true
		}
	}
	if codeIn && (r.byCode || len(r.phrases) == 0) {
		return 1, false
	}
	return 0, false
}

// knows reports whether desc is one of the rule's wordings (or holds one).
func (r *errRule) knows(desc string) bool {
	if desc == "" {
		return true
	}
	for _, w := range r.wordings {
		if containsPhrase(desc, w) {
			return true
		}
	}
	return false
}

// matchRule returns the most specific entry for a code and description (nil when none), and
// whether a description phrase (not the code alone) picked it.
func matchRule(code, desc string) (*errRule, bool) {
	c, d := normCode(code), normText(desc)
	var best *errRule
	bestScore, bestPhrase := 0, false
	for i := range errRules {
		if s, p := errRules[i].score(c, d); s > bestScore {
			best, bestScore, bestPhrase = &errRules[i], s, p
		}
	}
	return best, bestPhrase
}

// ExplainError says what an OAuth error (or a REST or SOAP error) means for this flow, its
// likely causes (most likely first, using what the settings tell) and what to change. It
// returns nil for a nil error. Dated platform changes are told without judging past or
// future; ExplainErrorAt dates them from now.
func ExplainError(flow flows.Flow, e *flows.OAuthError, s Settings) *ErrorExplanation {
	return ExplainErrorAt(flow, e, s, time.Time{})
}

// ExplainErrorAt is ExplainError with platform changes dated from now ("retires on …",
// "has been retired since …").
func ExplainErrorAt(flow flows.Flow, e *flows.OAuthError, s Settings, now time.Time) *ErrorExplanation {
	if e == nil {
		return nil
	}
	return explainError(errCtx{flow: flow, s: s, e: e, now: now})
}

// explainError is ExplainErrorAt with what Explain knows of the token (errCtx).
func explainError(c errCtx) *ErrorExplanation {
	e := c.e
	desc := strings.TrimSpace(e.Description)
	r, byPhrase := matchRule(e.Code, desc)
	if r == nil {
		causes, fixes := genericError(c)
		x := &ErrorExplanation{Code: e.Code, Description: e.Description,
			Meaning: "Salesforce refused the request with an error this catalogue does not know in detail.",
			Causes:  causes, Fixes: fixes, Source: refLoginStatus}
		if desc != "" || e.Code != "" {
			x.Note = "Shown as Salesforce sent it: " + quoteErr(e.Code, desc) + "."
		}
		return x
	}
	causes, fixes := r.explain(c)
	for i := range fixes {
		if fixes[i].Source.IsZero() {
			fixes[i].Source = r.source
		}
	}
	x := &ErrorExplanation{Code: e.Code, Description: e.Description, Rule: r.id, Meaning: r.meaning,
		Causes: causes, Fixes: fixes, Source: r.source}
	if !byPhrase && !r.knows(normText(desc)) {
		x.Note = "Salesforce's description \"" + desc + "\" is not one this catalogue knows; the explanation is what " +
			e.Code + " means in general."
	}
	return x
}

func quoteErr(code, desc string) string {
	switch {
	case desc == "":
		return code
	case code == "":
		return "\"" + desc + "\""
	}
	return code + " \"" + desc + "\""
}

// CatalogueEntry is one entry of the error catalogue, for listings (README, --json).
type CatalogueEntry struct {
	ID       string   `json:"id"`
	Codes    []string `json:"codes,omitempty"`
	Phrases  []string `json:"phrases,omitempty"`
	Wordings []string `json:"wordings,omitempty"`
	Meaning  string   `json:"meaning"`
	Source   DocRef   `json:"source"`
}

// Catalogue lists every entry of the error catalogue in matching order.
func Catalogue() []CatalogueEntry {
	out := make([]CatalogueEntry, 0, len(errRules))
	for _, r := range errRules {
		out = append(out, CatalogueEntry{ID: r.id, Codes: append([]string(nil), r.codes...), Phrases: append([]string(nil), r.phrases...),
			Wordings: append([]string(nil), r.wordings...), Meaning: r.meaning, Source: r.source})
	}
	return out
}
