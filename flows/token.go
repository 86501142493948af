package flows

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// ParseTokenResponse parses a token endpoint answer. A 2xx answer gives a TokenResponse
// whose Raw keeps every field as sent; an OAuth error gives an *OAuthError; anything else
// (HTML, invalid JSON, a 5xx without an OAuth error) gives an *HTTPError. where names the
// endpoint for messages ("token").
func ParseTokenResponse(where string, status int, contentType string, body []byte) (*TokenResponse, error) {
	if status < 200 || status > 299 {
		return nil, parseErrorResponse(where, status, contentType, body)
	}
	raw, err := decodeObject(where, status, contentType, body)
	if err != nil {
		return nil, err
	}
	tr := NewTokenResponse(raw)
	if tr.AccessToken == "" {
		if oe := oauthErrorFrom(where, status, raw); oe != nil {
			return nil, oe
		}
		return nil, &HTTPError{Step: where, Status: status, ContentType: contentType,
			Err: errors.New("the answer has no access_token"), Snippet: snippet(body),
			Hint: "check that the login URL is the OAuth server's"}
	}
	return tr, nil
}

// decodeObject decodes a JSON object (or a form-encoded body, Salesforce's format=urlencoded).
func decodeObject(where string, status int, contentType string, body []byte) (map[string]any, error) {
	if looksLikeHTML(contentType, body) {
		return nil, &HTTPError{Step: where, Status: status, ContentType: contentType,
			Err: fmt.Errorf("%w: an HTML page where JSON was expected", ErrNotJSON), Snippet: snippet(body),
			Hint: "the URL points at a web page (or a proxy's sign-in page), not the OAuth endpoint: check the login URL and the proxy"}
	}
	if mediaType(contentType) == "application/x-www-form-urlencoded" {
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &HTTPError{Step: where, Status: status, ContentType: contentType,
				Err: fmt.Errorf("%w: invalid form body: %v", ErrNotJSON, err), Snippet: snippet(body)}
		}
		raw := make(map[string]any, len(v))
		for k := range v {
			raw[k] = v.Get(k)
		}
		return raw, nil
	}
	// Decoded into an interface, not a map: encoding/json then builds the map[string]any
	// itself, without reflection per field (half the allocations of decoding into a map).
	var v any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	err := d.Decode(&v)
	raw, _ := v.(map[string]any)
	if err != nil || raw == nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			// a JSON object that stops before its end: the connection or a proxy cut it
			return nil, &HTTPError{Step: where, Status: status, ContentType: contentType,
				Err:     fmt.Errorf("%w: the %s response was cut off after %d bytes (truncated JSON)", ErrNotJSON, where, len(body)),
				Snippet: snippet(body),
				Hint:    "the connection or a proxy ended the answer early: try again, and if it repeats check HTTPS_PROXY/NO_PROXY or --proxy, or run with --request-timeout higher"}
		}
		if err == nil {
			err = errors.New("not a JSON object")
		}
		return nil, &HTTPError{Step: where, Status: status, ContentType: contentType,
			Err: fmt.Errorf("%w: invalid JSON: %v", ErrNotJSON, err), Snippet: snippet(body),
			Hint: "the server's answer is not an OAuth token response; check the login URL and any proxy in between"}
	}
	return raw, nil
}

// NewTokenResponse returns the token response whose fields are raw (as decoded from JSON with
// UseNumber, or built by hand); the named fields are read from it.
func NewTokenResponse(raw map[string]any) *TokenResponse {
	if raw == nil {
		raw = map[string]any{}
	}
	tr := &TokenResponse{raw: raw, AccessToken: str(raw["access_token"]), RefreshToken: str(raw["refresh_token"]),
		InstanceURL: str(raw["instance_url"]), APIInstanceURL: str(raw["api_instance_url"]), ID: str(raw["id"]),
		TokenType: str(raw["token_type"]), IssuedAt: str(raw["issued_at"]), Signature: str(raw["signature"]),
		Scope: str(raw["scope"]), IDToken: str(raw["id_token"])}
	if v, ok := raw["expires_in"]; ok {
		if n, err := strconv.ParseInt(str(v), 10, 64); err == nil {
			tr.ExpiresIn = &n
		}
	}
	return tr
}

// Raw returns every field of the response as sent: strings, json.Number for numbers, and
// map[string]any / []any for nested values. Callers must not change the map.
func (tr *TokenResponse) Raw() map[string]any {
	if tr == nil {
		return nil
	}
	if tr.raw == nil {
		return map[string]any{}
	}
	return tr.raw
}

// str renders a JSON scalar as a string (issued_at is a string at Salesforce, a number elsewhere).
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// parseErrorResponse reads an error answer: OAuth JSON, Salesforce's form-encoded revoke
// errors, REST error arrays, or anything else as an HTTPError.
func parseErrorResponse(where string, status int, contentType string, body []byte) error {
	b := bytes.TrimSpace(body)
	if len(b) > 0 && b[0] == '[' {
		var arr []map[string]any
		if json.Unmarshal(b, &arr) == nil && len(arr) > 0 {
			if code := str(arr[0]["errorCode"]); code != "" {
				return &OAuthError{Code: code, Description: str(arr[0]["message"]), Status: status, Where: where}
			}
		}
	}
	if len(b) > 0 && b[0] == '{' {
		var raw map[string]any
		if json.Unmarshal(b, &raw) == nil {
			if oe := oauthErrorFrom(where, status, raw); oe != nil {
				return oe
			}
		}
	}
	if mediaType(contentType) == "application/x-www-form-urlencoded" || (len(b) > 0 && !looksLikeHTML(contentType, b) && strings.Contains(string(b), "error=")) {
		if v, err := url.ParseQuery(string(b)); err == nil && v.Get("error") != "" {
			return &OAuthError{Code: v.Get("error"), Description: v.Get("error_description"), Status: status, Where: where}
		}
	}
	e := &HTTPError{Step: where, Status: status, ContentType: contentType, Snippet: snippet(body)}
	switch {
	case looksLikeHTML(contentType, body):
		e.Err = fmt.Errorf("%w: an HTML page where JSON was expected", ErrNotJSON)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		// JSON without an OAuth error: keep the snippet
	case len(b) > 0:
		e.Err = fmt.Errorf("%w: not an OAuth error answer", ErrNotJSON)
	}
	switch {
	case status >= 500:
		e.Hint = "the server failed: Salesforce may be in maintenance (status.salesforce.com) or a proxy failed; try again later"
	case status == http.StatusNotFound:
		e.Hint = "no OAuth endpoint at this URL: check the login URL"
	case status == http.StatusProxyAuthRequired:
		e.Hint = "the proxy wants credentials: put them in the proxy URL (http://user:pass@host:port)"
	case status >= 300 && status < 400:
		e.Hint = "the server redirected the request: use https:// and the exact login host (a redirect turns the POST into a GET)"
	}
	return e
}

func oauthErrorFrom(where string, status int, raw map[string]any) *OAuthError {
	code := str(raw["error"])
	if code == "" {
		return nil
	}
	return &OAuthError{Code: code, Description: str(raw["error_description"]), Status: status, Where: where}
}

// snippet is the start of a body for an error message, with whatever looks like a secret
// redacted (RedactText; a run's redactor later also replaces its known values).
func snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	s = strings.Join(strings.Fields(s), " ")
	s = RedactText(s)
	if len(s) > 120 {
		s = strings.ToValidUTF8(s[:120], "") + "…"
	}
	return s
}

// IsInvalidSession reports whether err is Salesforce's INVALID_SESSION_ID: the access token
// expired (idle timeout), was revoked, or cannot be used for this API.
func IsInvalidSession(err error) bool {
	var oe *OAuthError
	return errors.As(err, &oe) && oe.Code == "INVALID_SESSION_ID"
}

// Advice returns one line saying what to change for a failed run, or "" when there is
// nothing more specific than the error itself.
func Advice(err error) string {
	var oe *OAuthError
	if errors.As(err, &oe) {
		d := strings.ToLower(oe.Description)
		switch {
		case oe.Code == "INVALID_SESSION_ID":
			return "the session expired or was revoked, or the token lacks the api scope: refresh the token (--flow refresh) or log in again"
		case oe.Code == "invalid_client_id":
			return "the consumer key is not known to this org: check --client-id and --login-url (new apps take up to 10 minutes to propagate)"
		case oe.Code == "invalid_client":
			if strings.Contains(d, "installed") {
				return "the app must be installed in the org, or the user needs the \"Approve Uninstalled Connected Apps\" permission"
			}
			return "the consumer secret does not match: check --client-secret (or SF_CLIENT_SECRET)"
		case strings.Contains(d, "authentication failure"):
			return "check the username, the password and the security token; the org may also block the username-password flow (Setup → OAuth and OpenID Connect Settings)"
		case strings.Contains(d, "not supported on this domain"):
			return "the client credentials flow works only on the org's My Domain URL: set --login-url https://YOURDOMAIN.my.salesforce.com"
		case strings.Contains(d, "no client credentials user"):
			return "set a Run As user for the client credentials flow on the app"
		case strings.Contains(d, "hasn't approved"), strings.Contains(d, "not admin approved"):
			return "pre-authorize the user: Permitted Users = Admin approved users are pre-authorized, then add their profile or permission set"
		case strings.Contains(d, "audience"):
			return "the JWT audience is wrong: use https://login.salesforce.com (production), https://test.salesforce.com (sandbox), or --jwt-audience"
		case strings.Contains(d, "expired access/refresh token"):
			return "the refresh token was revoked or expired by the app's refresh token policy: log in again"
		case strings.Contains(d, "expired authorization code"):
			return "the code or assertion expired (or was used twice): start again, and check this machine's clock"
		case oe.Code == "invalid_scope":
			return "request only scopes selected on the app (Selected OAuth Scopes)"
		case oe.Code == "redirect_uri_mismatch":
			return "the callback URL must match one of the app's callback URLs exactly, port and path included"
		case oe.Code == "unsupported_grant_type":
			return "use https:// and the exact login host, and enable this flow on the app"
		case oe.Code == "access_denied":
			return "the user denied access, or is not allowed to use the app"
		case strings.Contains(d, "code challenge"), strings.Contains(d, "code_verifier"), strings.Contains(d, "verifier"):
			return "the app requires PKCE: use --flow web-server-pkce"
		case strings.Contains(d, "device flow is not enabled"):
			return "enable the device flow on the app (Enable for Device Flow)"
		}
		return ""
	}
	var re *RequestError
	if errors.As(err, &re) {
		return re.Hint
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Hint
	}
	var le *ListenError
	if errors.As(err, &le) {
		return le.Hint
	}
	return ""
}
