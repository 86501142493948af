package guidance

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// maxErrorURL caps what ErrorFromURL reads: a pasted address is short; anything longer is not one.
const maxErrorURL = 16 << 10

// ErrorFromURL reads the OAuth error a browser step ended on out of its address: Salesforce's
// error page (…/setup/secur/RemoteAccessErrorPage.apexp?error=…&error_description=…), a
// callback URL with error= in its query (web server flow) or fragment (user-agent flow), or
// just "error=…&error_description=…". When the page shows only the generic
// OAUTH_APPROVAL_ERROR_GENERIC, the real error is looked for in the rest of the address (other
// parameters, and URLs nested in parameters such as startURL or retURL). It never fetches the
// URL. Surrounding text, quotes and angle brackets are ignored, so a pasted line works.
func ErrorFromURL(raw string) (*flows.OAuthError, error) {
	if len(raw) > maxErrorURL {
		return nil, errors.New("the text is longer than an address (16 KiB); paste only the error page's URL")
	}
	s := strings.TrimSpace(raw)
	if i := strings.Index(s, "http"); i > 0 && !strings.Contains(s[:i], "error=") {
		s = s[i:]
	}
	if f := strings.Fields(s); len(f) > 0 {
		s = f[0]
	}
	s = strings.Trim(s, "<>\"'`()[],;")
	if s == "" {
		return nil, errors.New("no URL given: paste the address of the page the browser stopped on")
	}
	e := findError(s, 0)
	if e == nil {
		return nil, errors.New("the URL carries no error= parameter: copy the full address of Salesforce's error page (or of the callback page), including everything after ? or #")
	}
	return e, nil
}

// findError looks for error= in the query and fragment of s, then in URLs nested in its values.
func findError(s string, depth int) *flows.OAuthError {
	if depth > 3 {
		return nil
	}
	var sets []url.Values
	if u, err := url.Parse(s); err == nil && (u.Scheme != "" || u.RawQuery != "" || u.Fragment != "") {
		if q, err := url.ParseQuery(u.RawQuery); err == nil {
			sets = append(sets, q)
		}
		frag := u.Fragment
		if u.RawFragment != "" {
			frag = u.RawFragment
		}
		if q, err := url.ParseQuery(frag); err == nil {
			sets = append(sets, q)
		}
	}
	if len(sets) == 0 || (sets[0].Get("error") == "" && (len(sets) < 2 || sets[1].Get("error") == "")) {
		if q, err := url.ParseQuery(strings.TrimLeft(s, "?#")); err == nil && q.Get("error") != "" {
			sets = append([]url.Values{q}, sets...)
		}
	}
	var generic *flows.OAuthError
	for _, q := range sets {
		code := strings.TrimSpace(q.Get("error"))
		if code == "" {
			continue
		}
		e := &flows.OAuthError{Code: code, Description: strings.TrimSpace(q.Get("error_description")), Where: "authorize"}
		if !isGenericPage(e) {
			return e
		}
		if generic == nil {
			generic = e
		}
	}
	// The generic page (or no error at all): look inside nested URLs.
	for _, q := range sets {
		for k, vs := range q {
			if k == "error" || k == "error_description" {
				continue
			}
			for _, v := range vs {
				if strings.Contains(v, "error=") {
					if e := findError(v, depth+1); e != nil && !isGenericPage(e) {
						return e
					}
				}
			}
		}
	}
	return generic
}

func isGenericPage(e *flows.OAuthError) bool {
	return normCode(e.Code) == "oauth_approval_error_generic" || containsPhrase(normText(e.Description), "oauth_approval_error_generic")
}

// ExplainURL explains the real error a pasted Salesforce error-page or callback URL carries,
// through the catalogue, dated from now. The error comes back with the explanation so a caller
// can show the code and description as they came.
func ExplainURL(flow flows.Flow, raw string, s Settings, now time.Time) (*ErrorExplanation, error) {
	e, err := ErrorFromURL(raw)
	if err != nil {
		return nil, err
	}
	return ExplainErrorAt(flow, e, s, now), nil
}
