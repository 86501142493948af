package flows

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
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

// Names that mark a secret in free text (an echoed header, an HTML form) besides the form
// and JSON fields above.
var extraSecretNames = []string{"security_token", "securitytoken", "session_id", "sessionid", "private_key", "secret",
	"client_assertion_type_value"}

// Text patterns for what the field rules cannot see: bodies that are not valid JSON or form
// (cut off, HTML, plain text echoing the request), error descriptions, headers a server
// echoes back. They run after the known values of the run are replaced.
var (
	// name=value, "name":"value", name: value, <input name="name" value="value">; the value
	// ends at a quote, a separator or a space, or at the end of a cut-off body. A name in a
	// URL path or a flag (/oauth2/token: ..., --client-secret) is not a field.
	fieldValueRe = regexp.MustCompile(`(?i)(^|[^a-z0-9_])(` + textFieldNames() + `)("?\s*[:=]\s*\[?\s*\\?"?|"\s+value\s*=\s*["']?)([^"'&,;}\]\s<>\\]+)`)
	authValueRe  = regexp.MustCompile(`(?i)\b(bearer|basic|oauth)\s+([A-Za-z0-9\-._~+/!=%]{8,})`)
	// a Salesforce session ID / access token: org ID, '!', the rest (reference §2)
	sessionIDRe = regexp.MustCompile(`\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-]{16,}`)
	jwtRe       = regexp.MustCompile(`\beyJ[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]{6,}\.[A-Za-z0-9_\-]*`)
	pemRe       = regexp.MustCompile(`(?s)-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)`)
)

func textFieldNames() string {
	var names []string
	for k := range secretFields {
		names = append(names, k)
	}
	for k := range tokenFields {
		names = append(names, k)
	}
	names = append(names, extraSecretNames...)
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	return strings.Join(names, "|")
}

// alreadyRedacted reports whether a value found by a text pattern is a redaction's output or
// a curl placeholder, left as it is.
func alreadyRedacted(v string) bool {
	return v == Redacted || strings.HasPrefix(v, "[REDACTED") || strings.HasPrefix(v, "%5BREDACTED") ||
		strings.Contains(v, "…") || strings.Contains(v, "%E2%80%A6") ||
		strings.HasPrefix(v, "$") || strings.HasPrefix(v, "${")
}

// mayHoldSecret is a cheap test before the text patterns run.
func mayHoldSecret(s string) bool {
	if len(s) < 8 {
		return false
	}
	return strings.ContainsAny(s, "=:") || strings.Contains(s, "00D") || strings.Contains(s, "eyJ") || strings.Contains(s, "-----BEGIN")
}

// RedactText removes secrets from free text by their shape: secret and token fields (form,
// JSON, HTML input or header syntax, also cut off), Bearer/Basic credentials, Salesforce
// session IDs, JWTs and PEM private keys. It is the pattern half of the one redactor (a run's
// redactor also replaces the run's known values); use it for any text that came from a
// server or a request when no run is at hand.
func RedactText(s string) string {
	if !mayHoldSecret(s) {
		return s
	}
	if strings.Contains(s, "-----BEGIN") {
		s = pemRe.ReplaceAllString(s, "-----BEGIN ${1}PRIVATE KEY-----"+Redacted+"-----END ${1}PRIVATE KEY-----")
	}
	s = fieldValueRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := fieldValueRe.FindStringSubmatch(m)
		if alreadyRedacted(sub[4]) || pathOrFlag(sub[1], sub[3]) {
			return m
		}
		return sub[1] + sub[2] + sub[3] + redactByName(sub[2], sub[4])
	})
	s = authValueRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := authValueRe.FindStringSubmatch(m)
		if alreadyRedacted(sub[2]) || !credentialLike(sub[2]) {
			return m
		}
		if strings.EqualFold(sub[1], "basic") {
			return sub[1] + " " + Redacted
		}
		return sub[1] + " " + RedactToken(sub[2])
	})
	if strings.Contains(s, "00D") {
		s = sessionIDRe.ReplaceAllStringFunc(s, RedactToken)
	}
	if strings.Contains(s, "eyJ") {
		s = jwtRe.ReplaceAllStringFunc(s, RedactToken)
	}
	return s
}

// pathOrFlag tells a word of a URL path, a flag or a dotted name followed by a colon
// ("…/oauth2/token: no answer in time", "--token: …") from a field: after '/', '-' or '.' only
// name=value is a field (".access_token=…", "--client_secret=…").
func pathOrFlag(before, sep string) bool {
	return (before == "/" || before == "-" || before == ".") && !strings.Contains(sep, "=")
}

// credentialLike tells a credential after "Bearer"/"Basic" from an English word ("Basic
// authentication"): long, or holding something other than letters.
func credentialLike(v string) bool {
	return len(v) >= 20 || strings.IndexFunc(v, func(r rune) bool { return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') }) >= 0
}

// redactByName redacts a value found in text under a field name: tokens keep a short
// prefix and suffix, everything else is replaced.
func redactByName(name, v string) string {
	if _, ok := tokenFields[strings.ToLower(name)]; ok {
		return RedactToken(v)
	}
	return Redacted
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
// values and replaces any occurrence that slipped into a URL, header or body. Adding a value
// only notes it: the escaped forms and the order are worked out on the first scrub after it,
// so a run that is never redacted does not pay for them. It is safe for concurrent use.
type redactor struct {
	mu      sync.Mutex
	pending []known // added since the last scrub: v and repl set, esc not yet
	secrets []known // replaced by Redacted wherever they appear, longest first
	tokens  []known // replaced by their short form
}

// known is a secret value with its query-escaped form and replacement. While pending, v2
// (if set) is the value's second part, joined on prepare: the password and security token
// are sent as one value, and joining them only when redacting saves a run the allocation.
type known struct {
	v, v2, esc, repl string
	token            bool
}

// addRequest notes the request's secrets and tokens.
func (r *redactor) addRequest(req *Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range [...]string{req.ClientSecret, req.Password, req.SecurityToken, req.SAMLAssertion, string(req.JWTPrivateKeyPEM)} {
		if len(s) >= 4 {
			r.pending = append(r.pending, known{v: s, repl: Redacted})
		}
	}
	if req.Password != "" && req.SecurityToken != "" {
		r.pending = append(r.pending, known{v: req.Password, v2: req.SecurityToken, repl: Redacted})
	}
	for _, s := range [...]string{req.RefreshToken, req.SubjectToken} {
		if len(s) >= 8 {
			r.pending = append(r.pending, known{v: s, token: true})
		}
	}
}

func (r *redactor) addSecret(s string) {
	if len(s) >= 4 {
		r.mu.Lock()
		r.pending = append(r.pending, known{v: s, repl: Redacted})
		r.mu.Unlock()
	}
}

func (r *redactor) addToken(s string) {
	if len(s) >= 8 {
		r.mu.Lock()
		r.pending = append(r.pending, known{v: s, token: true})
		r.mu.Unlock()
	}
}

// prepare moves the pending values into the lists; r.mu is held.
func (r *redactor) prepare() {
	for _, k := range r.pending {
		if k.v2 != "" {
			k.v, k.v2 = k.v+k.v2, ""
		}
		k.esc = url.QueryEscape(k.v)
		if k.token {
			k.repl = RedactToken(k.v)
			r.tokens = append(r.tokens, k)
			continue
		}
		// longest first, so that password+token is replaced before password alone
		i := 0
		for i < len(r.secrets) && len(r.secrets[i].v) >= len(k.v) {
			i++
		}
		r.secrets = slices.Insert(r.secrets, i, k)
	}
	r.pending = r.pending[:0]
}

// scrub is the one redactor: it replaces the run's known secret values anywhere in s, then
// whatever still looks like a secret (RedactText). Every string built from a request or a
// response passes through it before it reaches an error, the transcript or a progress step.
func (r *redactor) scrub(s string) string {
	if r == nil {
		return RedactText(s)
	}
	r.mu.Lock()
	if len(r.pending) > 0 {
		r.prepare()
	}
	for _, list := range [2][]known{r.secrets, r.tokens} {
		for _, k := range list {
			if strings.Contains(s, k.v) {
				s = strings.ReplaceAll(s, k.v, k.repl)
			}
			if k.esc != k.v && strings.Contains(s, k.esc) {
				s = strings.ReplaceAll(s, k.esc, k.repl)
			}
		}
	}
	r.mu.Unlock()
	return RedactText(s)
}

// redactRequest fills a recorded exchange's request fields (URL, headers, body, curl) from
// its raw material.
func (r *redactor) redactRequest(rec *record) {
	ex := &rec.ex
	u := rec.url
	var plainURL string // a URL without user, query or fragment: redacted by scrub alone
	if u.User == nil && u.RawQuery == "" && u.Fragment == "" && u.RawFragment == "" && !u.ForceQuery {
		plainURL = r.scrub(u.String())
		ex.URL = plainURL
	} else {
		ex.URL = r.url(u.String())
	}
	ex.RequestHeader = r.header(rec.reqHeader)
	ct := rec.reqHeader.Get("Content-Type")
	var form url.Values // the request form, parsed once for the body and the curl command
	if len(rec.reqBody) > 0 && mediaType(ct) == "application/x-www-form-urlencoded" {
		if v, err := url.ParseQuery(string(rec.reqBody)); err == nil {
			form = v
		}
	}
	ex.RequestBody = r.bodyWith(ct, rec.reqBody, form, nil)
	ex.Curl = r.curl(rec.ex.Method, rec.url, plainURL, rec.reqHeader, rec.reqBody, form)
}

// redactResponse fills a recorded exchange's response fields. It runs when the transcript is
// read, so it also knows the tokens that came back in the answer.
func (r *redactor) redactResponse(rec *record) {
	ex := &rec.ex
	if rec.respHeader == nil {
		return
	}
	ex.ResponseHeader = r.header(rec.respHeader)
	rct := rec.respHeader.Get("Content-Type")
	if rec.truncated {
		ex.ResponseBody = r.body(rct, rec.respBody) + "…[truncated]"
	} else {
		ex.ResponseBody = r.bodyWith(rct, rec.respBody, nil, rec.parsed)
	}
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
	return r.bodyWith(contentType, b, nil, nil)
}

// bodyWith is body with the form (form-encoded bodies) or the JSON object (JSON bodies)
// already decoded by the caller, or nil to decode b here.
func (r *redactor) bodyWith(contentType string, b []byte, form url.Values, parsed map[string]any) string {
	if len(b) == 0 {
		return ""
	}
	switch mt := mediaType(contentType); {
	case mt == "application/x-www-form-urlencoded":
		if form == nil {
			v, err := url.ParseQuery(string(b))
			if err != nil {
				break
			}
			form = v
		}
		return r.scrub(r.values(form).Encode())
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || (mt == "" && len(b) > 0 && (b[0] == '{' || b[0] == '[')):
		var v any
		if parsed != nil {
			v = parsed
		} else {
			d := json.NewDecoder(bytes.NewReader(b))
			d.UseNumber()
			if d.Decode(&v) != nil {
				break
			}
		}
		if out, ok := appendRedactedJSON(make([]byte, 0, len(b)+16), "", v); ok {
			return r.scrub(string(out))
		}
	}
	return r.scrub(string(b))
}

// appendRedactedJSON appends v with the field rules applied (redactValue), encoded exactly as
// json.Marshal encodes it: map keys sorted, HTML-safe escapes. It walks the decoded value
// in place (the token response's Raw map is shared, not copied). ok is false for a value
// that json.Marshal would refuse.
func appendRedactedJSON(b []byte, key string, v any) (_ []byte, ok bool) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, x), true
	case string:
		return appendJSONString(b, redactValue(key, x)), true
	case json.Number:
		if x == "" {
			return append(b, '0'), true
		}
		if c, e := x[0], x[len(x)-1]; c != '-' && (c < '0' || c > '9') || e < '0' || e > '9' || !json.Valid([]byte(x)) {
			return b, false
		}
		return append(b, x...), true
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			if b, ok = appendRedactedJSON(b, k, x[k]); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	case []any:
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = appendRedactedJSON(b, key, e); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	}
	out, err := json.Marshal(v) // not produced by decoding; kept for completeness
	if err != nil {
		return b, false
	}
	return append(b, out...), true
}

// appendJSONString appends s as a JSON string the way encoding/json does with HTML escaping:
// <, > and & as \u003c.., control characters escaped, invalid UTF-8 as \ufffd, U+2028/U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// curl renders the request as a runnable curl command. Secrets become shell variables
// ("$SF_CLIENT_SECRET"); the user exports them before running the command.
// form is the parsed body when it is form-encoded (nil: not form-encoded or not parseable);
// plainURL, when not empty, is u already scrubbed (u has no user, query or fragment).
//
// Every word is quoted for a POSIX shell: literal text in single quotes (a ' as '\”), so
// that nothing from a server (an instance_url host, a header, an endpoint's query) can run
// as $(...) or `...`; only our own placeholder names are left for the shell to expand, in
// double quotes ("$SF_ACCESS_TOKEN").
func (r *redactor) curl(method string, u *url.URL, plainURL string, h http.Header, body []byte, form url.Values) string {
	var b strings.Builder
	b.Grow(256 + 2*len(body))
	b.WriteString("curl -sS")
	if method != http.MethodGet {
		b.WriteString(" -X " + shellQuote(method))
	}
	if plainURL != "" {
		b.WriteString(" " + shellQuote(plainURL))
	} else {
		b.WriteString(" " + r.curlURL(u))
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "User-Agent" || k == "Content-Length" {
			continue
		}
		for _, v := range h[k] {
			switch {
			case k == "Authorization" && strings.HasPrefix(v, "Bearer "):
				b.WriteString(" -H " + shellQuote("Authorization: Bearer ") + shellVar("SF_ACCESS_TOKEN"))
			case k == "Authorization" && strings.HasPrefix(v, "Basic "):
				b.WriteString(" -u ")
				if u, _, ok := (&http.Request{Header: h}).BasicAuth(); ok {
					b.WriteString(shellQuote(r.scrub(u) + ":"))
				} else {
					b.WriteString(shellVar("SF_CLIENT_ID") + "':'")
				}
				b.WriteString(shellVar("SF_CLIENT_SECRET"))
			case secretHeaders[k]:
				b.WriteString(" -H " + shellQuote(k+": "+Redacted))
			default:
				b.WriteString(" -H " + shellQuote(k+": "+r.scrub(v)))
			}
		}
	}
	if len(body) > 0 {
		if form != nil {
			for _, k := range sortedKeys(form) {
				for _, x := range form[k] {
					b.WriteString(" --data-urlencode " + r.curlParam(k, x))
				}
			}
			return b.String()
		}
		b.WriteString(" --data-binary " + shellQuote(r.scrub(string(body))))
	}
	return b.String()
}

// curlURL returns the URL as one shell word: the literal parts single-quoted, the secrets
// of the query as placeholders the shell expands.
func (r *redactor) curlURL(u *url.URL) string {
	c := *u
	c.Fragment, c.RawFragment, c.RawQuery, c.ForceQuery = "", "", "", false
	base := r.url(c.String())
	if u.RawQuery == "" {
		return shellQuote(base)
	}
	q := u.Query()
	var lit strings.Builder // the literal text not yet quoted
	lit.WriteString(base + "?")
	var out strings.Builder
	first := true
	for _, k := range sortedKeys(q) {
		for _, v := range q[k] {
			if !first {
				lit.WriteByte('&')
			}
			first = false
			lit.WriteString(url.QueryEscape(r.scrub(k)) + "=")
			if p := placeholder(k); p != "" {
				out.WriteString(shellQuote(lit.String()) + shellVar(p))
				lit.Reset()
				continue
			}
			lit.WriteString(url.QueryEscape(r.scrub(v)))
		}
	}
	if lit.Len() > 0 {
		out.WriteString(shellQuote(lit.String()))
	}
	return out.String()
}

// shellVar is a placeholder for the shell to expand. name is one of ours (SF_...), never
// text from a request or an answer.
func shellVar(name string) string { return `"$` + name + `"` }

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
			return shellQuote(k+"=") + `"${SF_PASSWORD}${SF_SECURITY_TOKEN}"`
		}
		return shellQuote(k+"=") + shellVar(p)
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

// redactError makes err safe to show: the fields of the package's error types in its chain
// are scrubbed in place (they were made by this run), and when the message still changes
// under scrub (a wrapped error quoting a request or an answer) the error is wrapped so that
// Error() is the scrubbed line; errors.Is and errors.As still see the chain.
func (r *redactor) redactError(err error) error {
	if err == nil {
		return nil
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		switch x := e.(type) {
		case *OAuthError:
			x.Code, x.Description = r.scrub(x.Code), r.scrub(x.Description)
		case *HTTPError:
			x.Snippet, x.ContentType, x.Hint = r.scrub(x.Snippet), r.scrub(x.ContentType), r.scrub(x.Hint)
		case *RequestError:
			x.URL, x.Hint = r.scrub(x.URL), r.scrub(x.Hint)
		case *ListenError:
			x.Msg, x.Hint = r.scrub(x.Msg), r.scrub(x.Hint)
		}
	}
	msg := err.Error()
	if s := r.scrub(msg); s != msg {
		return &redactedError{msg: s, err: err}
	}
	return err
}

// redactResult scrubs the strings of a result that were built from answers: check details
// and warnings.
func (r *redactor) redactResult(res *Result) {
	for i := range res.Checks {
		res.Checks[i].Detail = r.scrub(res.Checks[i].Detail)
	}
	for i := range res.Warnings {
		res.Warnings[i] = r.scrub(res.Warnings[i])
	}
}

// redactedError is an error whose message was scrubbed; Unwrap gives the original chain.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
