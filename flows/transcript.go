package flows

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// Redacted replaces a secret in the transcript.
const Redacted = "[REDACTED]"

// Form and JSON fields that are secrets: replaced entirely.
var secretFields = map[string]string{
	"client_secret":    "SF_CLIENT_SECRET",
	"password":         "SF_PASSWORD",
	"assertion":        "SF_ASSERTION",
	"client_assertion": "SF_CLIENT_ASSERTION",
	"code_verifier":    "SF_CODE_VERIFIER",
}

// Fields that are tokens: shown as a short prefix and suffix so that a user can tell them
// apart, with a placeholder in curl commands.
var tokenFields = map[string]string{
	"access_token":    "SF_ACCESS_TOKEN",
	"refresh_token":   "SF_REFRESH_TOKEN",
	"id_token":        "SF_ID_TOKEN",
	"code":            "SF_CODE",
	"device_code":     "SF_DEVICE_CODE",
	"subject_token":   "SF_SUBJECT_TOKEN",
	"token":           "SF_TOKEN",
	"oauth_token":     "SF_ACCESS_TOKEN",
	"sid":             "SF_ACCESS_TOKEN",
	"lightning_sid":   "SF_LIGHTNING_SID",
	"content_sid":     "SF_CONTENT_SID",
	"visualforce_sid": "SF_VISUALFORCE_SID",
	"csrf_token":      "SF_CSRF_TOKEN",
	"parent_sid":      "SF_PARENT_SID",
}

// RedactToken shows a token as a short prefix and suffix ("00D5g0…Xk2Q"); short values are
// replaced entirely.
func RedactToken(t string) string {
	if len(t) < 24 {
		if t == "" {
			return ""
		}
		return Redacted
	}
	return t[:6] + "…" + t[len(t)-4:]
}

// redactor redacts one run's transcript. Besides the field rules it knows the run's secret
// values and replaces any occurrence that slipped into a URL, header or body.
type redactor struct {
	secrets []string // replaced by Redacted wherever they appear
	tokens  []string // replaced by their short form
}

func newRedactor(req *Request) *redactor {
	r := &redactor{}
	r.addSecret(req.ClientSecret)
	r.addSecret(req.Password)
	r.addSecret(req.SecurityToken)
	r.addSecret(req.Password + req.SecurityToken)
	r.addSecret(req.SAMLAssertion)
	r.addToken(req.RefreshToken)
	r.addToken(req.SubjectToken)
	return r
}

func (r *redactor) addSecret(s string) {
	if len(s) >= 4 {
		r.secrets = append(r.secrets, s)
		// longest first, so that password+token is replaced before password alone
		sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	}
}

func (r *redactor) addToken(s string) {
	if len(s) >= 8 {
		r.tokens = append(r.tokens, s)
	}
}

// scrub replaces known secret values anywhere in s.
func (r *redactor) scrub(s string) string {
	for _, v := range r.secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Redacted)
		}
		if e := url.QueryEscape(v); e != v && strings.Contains(s, e) {
			s = strings.ReplaceAll(s, e, Redacted)
		}
	}
	for _, v := range r.tokens {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, RedactToken(v))
		}
		if e := url.QueryEscape(v); e != v && strings.Contains(s, e) {
			s = strings.ReplaceAll(s, e, RedactToken(v))
		}
	}
	return s
}

func redactValue(key, v string) string {
	k := strings.ToLower(key)
	if _, ok := secretFields[k]; ok {
		if v == "" {
			return ""
		}
		return Redacted
	}
	if _, ok := tokenFields[k]; ok {
		return RedactToken(v)
	}
	return v
}

// values redacts form or query values, keeping their order of keys sorted as Encode does.
func (r *redactor) values(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		for _, x := range vs {
			out[k] = append(out[k], redactValue(k, x))
		}
	}
	return out
}

// url redacts query parameters and any fragment (user-agent callbacks carry tokens there).
func (r *redactor) url(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return r.scrub(raw)
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	if u.RawQuery != "" {
		u.RawQuery = r.values(u.Query()).Encode()
	}
	if u.Fragment != "" {
		if fv, err := url.ParseQuery(u.Fragment); err == nil {
			u.Fragment = r.values(fv).Encode()
		} else {
			u.Fragment = Redacted
		}
	}
	return r.scrub(u.String())
}

var secretHeaders = map[string]bool{"Authorization": true, "Cookie": true, "Set-Cookie": true,
	"Proxy-Authorization": true}

func (r *redactor) header(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		for _, v := range vs {
			if secretHeaders[ck] {
				v = redactAuthValue(v)
			}
			out[ck] = append(out[ck], r.scrub(v))
		}
	}
	return out
}

func redactAuthValue(v string) string {
	scheme, cred, ok := strings.Cut(v, " ")
	if !ok {
		return Redacted
	}
	if strings.EqualFold(scheme, "Bearer") {
		return scheme + " " + RedactToken(cred)
	}
	if strings.EqualFold(scheme, "Basic") {
		return scheme + " " + Redacted
	}
	return Redacted
}

// body redacts a form, JSON or other body.
func (r *redactor) body(contentType string, b []byte) string {
	if len(b) == 0 {
		return ""
	}
	switch mt := mediaType(contentType); {
	case mt == "application/x-www-form-urlencoded":
		if v, err := url.ParseQuery(string(b)); err == nil {
			return r.scrub(r.values(v).Encode())
		}
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || (mt == "" && len(b) > 0 && (b[0] == '{' || b[0] == '[')):
		var v any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if d.Decode(&v) == nil {
			if out, err := json.Marshal(redactJSON("", v)); err == nil {
				return r.scrub(string(out))
			}
		}
	}
	return r.scrub(string(b))
}

func redactJSON(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = redactJSON(k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactJSON(key, e)
		}
		return out
	case string:
		return redactValue(key, x)
	}
	return v
}

// curl renders the request as a runnable curl command. Secrets become shell variables
// ("$SF_CLIENT_SECRET"); the user exports them before running the command.
func (r *redactor) curl(req *http.Request, body []byte) string {
	var b strings.Builder
	b.WriteString("curl -sS")
	if req.Method != http.MethodGet {
		b.WriteString(" -X " + req.Method)
	}
	b.WriteString(" " + r.curlURL(req.URL))
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "User-Agent" || k == "Content-Length" {
			continue
		}
		for _, v := range req.Header[k] {
			switch {
			case k == "Authorization" && strings.HasPrefix(v, "Bearer "):
				b.WriteString(` -H "Authorization: Bearer $SF_ACCESS_TOKEN"`)
			case k == "Authorization" && strings.HasPrefix(v, "Basic "):
				user := "$SF_CLIENT_ID"
				if u, _, ok := req.BasicAuth(); ok {
					user = u
				}
				b.WriteString(` -u "` + strings.ReplaceAll(user, `"`, `\"`) + `:$SF_CLIENT_SECRET"`)
			case secretHeaders[k]:
				b.WriteString(" -H " + shellQuote(k+": "+Redacted))
			default:
				b.WriteString(" -H " + shellQuote(k+": "+r.scrub(v)))
			}
		}
	}
	if len(body) > 0 {
		if mediaType(req.Header.Get("Content-Type")) == "application/x-www-form-urlencoded" {
			if v, err := url.ParseQuery(string(body)); err == nil {
				for _, k := range sortedKeys(v) {
					for _, x := range v[k] {
						b.WriteString(" --data-urlencode " + r.curlParam(k, x))
					}
				}
				return b.String()
			}
		}
		b.WriteString(" --data-binary " + shellQuote(r.scrub(string(body))))
	}
	return b.String()
}

// curlURL returns the quoted URL; with placeholders in the query it is double-quoted so that
// the shell expands them (the encoded query holds no other $, ", \ or backquote).
func (r *redactor) curlURL(u *url.URL) string {
	c := *u
	c.Fragment = ""
	c.RawFragment = ""
	hasPlaceholder := false
	if c.RawQuery != "" {
		q := c.Query()
		out := url.Values{}
		for k, vs := range q {
			for _, v := range vs {
				if p := placeholder(k); p != "" {
					v = "\x00" + p
					hasPlaceholder = true
				}
				out.Add(k, v)
			}
		}
		c.RawQuery = strings.ReplaceAll(out.Encode(), "%00", "$")
	}
	s := r.scrub(c.String())
	if hasPlaceholder && !strings.ContainsAny(c.EscapedPath(), "$\"`") {
		return `"` + s + `"`
	}
	return shellQuote(s)
}

func placeholder(key string) string {
	k := strings.ToLower(key)
	if p, ok := secretFields[k]; ok {
		return p
	}
	return tokenFields[k]
}

// curlParam renders one --data-urlencode argument, with a placeholder for secrets.
func (r *redactor) curlParam(k, v string) string {
	if p := placeholder(k); p != "" {
		if strings.ToLower(k) == "password" {
			return `"` + k + `=${SF_PASSWORD}${SF_SECURITY_TOKEN}"`
		}
		return `"` + k + `=$` + p + `"`
	}
	return shellQuote(k + "=" + r.scrub(v))
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
