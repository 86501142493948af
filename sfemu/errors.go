package sfemu

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Content types on the wire (§2, §5.1).
const (
	ctJSON = "application/json;charset=UTF-8"
	ctForm = "application/x-www-form-urlencoded;charset=UTF-8"
	ctXML  = "application/xml;charset=UTF-8"
	ctHTML = "text/html;charset=UTF-8"
)

// field is one key of an ordered JSON object.
type field struct {
	k string
	v any
}

// obj is a JSON object that keeps its key order, so responses match the field order seen
// on the wire (§2: access_token, refresh_token, signature, scope, id_token, instance_url,
// id, token_type, issued_at).
type obj []field

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalNoEscape(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalNoEscape encodes v without HTML escaping (Salesforce does not escape & < >).
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func (o obj) get(k string) (any, bool) {
	for _, f := range o {
		if f.k == k {
			return f.v, true
		}
	}
	return nil, false
}

// writeJSON writes v as JSON with Salesforce's content type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshalNoEscape(v)
	if err != nil {
		b = []byte(`{"error":"server_error","error_description":"internal server error"}`)
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", ctJSON)
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	w.WriteHeader(status)
	w.Write(b)
}

// responseFormat picks json, urlencoded or xml from the format parameter, else the Accept
// header; JSON is the default (§2).
func responseFormat(r *http.Request, form url.Values) string {
	switch strings.ToLower(form.Get("format")) {
	case "json":
		return "json"
	case "urlencoded":
		return "urlencoded"
	case "xml":
		return "xml"
	}
	acc := strings.ToLower(r.Header.Get("Accept"))
	switch {
	case strings.Contains(acc, "application/json"), acc == "", strings.Contains(acc, "*/*"):
		return "json"
	case strings.Contains(acc, "application/x-www-form-urlencoded"):
		return "urlencoded"
	case strings.Contains(acc, "application/xml"), strings.Contains(acc, "text/xml"):
		return "xml"
	}
	return "json"
}

// writeOAuth writes a token-endpoint style body (success or error) in the negotiated format.
func writeOAuth(w http.ResponseWriter, r *http.Request, form url.Values, status int, o obj) {
	switch responseFormat(r, form) {
	case "urlencoded":
		w.Header().Set("Content-Type", ctForm)
		w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
		w.WriteHeader(status)
		w.Write([]byte(formEncode(o)))
	case "xml":
		w.Header().Set("Content-Type", ctXML)
		w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
		w.WriteHeader(status)
		w.Write([]byte(xmlEncode("OAuth", o)))
	default:
		writeJSON(w, status, o)
	}
}

// formEncode encodes a flat object in its key order.
func formEncode(o obj) string {
	var parts []string
	for _, f := range o {
		parts = append(parts, url.QueryEscape(f.k)+"="+url.QueryEscape(scalar(f.v)))
	}
	return strings.Join(parts, "&")
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := marshalNoEscape(v)
	return string(b)
}

// xmlEncode writes an ordered object as <root><key>value</key>…</root>; nested objects
// become nested elements.
func xmlEncode(root string, o obj) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>`)
	xmlElem(&b, root, o)
	return b.String()
}

func xmlElem(b *strings.Builder, name string, v any) {
	b.WriteString("<" + name + ">")
	switch x := v.(type) {
	case obj:
		for _, f := range x {
			xmlElem(b, f.k, f.v)
		}
	default:
		xml.EscapeText(b2w{b}, []byte(scalar(v)))
	}
	b.WriteString("</" + name + ">")
}

type b2w struct{ b *strings.Builder }

func (w b2w) Write(p []byte) (int, error) { return w.b.Write(p) }

// oauthError is a token-endpoint error (§5): HTTP 400 {"error","error_description"}.
type oauthError struct {
	status int
	code   string
	desc   string
}

func (e *oauthError) Error() string { return e.code + ": " + e.desc }

func errGrant(desc string) *oauthError { return &oauthError{400, "invalid_grant", desc} }

// Catalogue of §5 token errors.
var (
	errUnsupportedGrant = &oauthError{400, "unsupported_grant_type", "grant type not supported"}
	errAuthFailure      = errGrant("authentication failure")
	errExpiredCode      = errGrant("expired authorization code")
	errExpiredToken     = errGrant("expired access/refresh token")
	errInactiveUser     = errGrant("inactive user")
	errIPRestricted     = errGrant("ip restricted")
	errNotApproved      = errGrant("user hasn't approved this consumer")
	errNotAdminApproved = &oauthError{400, "invalid_app_access", "user is not admin approved to access this app"}
	errInvalidAssertion = errGrant("invalid assertion")
	errAudience         = errGrant("audience is invalid")
	errWrongDomain      = errGrant("request not supported on this domain")
	errNoCCUser         = errGrant("no client credentials user enabled")
	errDeviceDisabled   = errGrant("device flow is not enabled for the app")
	errDeviceExchange   = errGrant("token exchange failed")
	errInvalidScope     = &oauthError{400, "invalid_scope", "the requested scope is not allowed"}
	errNotInstalled     = &oauthError{400, "invalid_client", "app must be installed into org"}
	// An External Client App that is not installed in the org ([OBS] forcedotcom/cli#3482, §15.5).
	errAppNotFound = &oauthError{400, "app_not_found", "External client app is not installed in this org"}
)

// Client errors use Behaviour.InvalidClientStatus (default 400, [UNCONF §5]).
func (e *Emulator) errClientID() *oauthError {
	return &oauthError{orInt(e.org.Behaviour.InvalidClientStatus, 400), "invalid_client_id", "client identifier invalid"}
}

func (e *Emulator) errClientCreds() *oauthError {
	return &oauthError{orInt(e.org.Behaviour.InvalidClientStatus, 400), "invalid_client", "invalid client credentials"}
}

func writeOAuthError(w http.ResponseWriter, r *http.Request, form url.Values, err *oauthError) {
	writeOAuth(w, r, form, err.status, obj{{"error", err.code}, {"error_description", err.desc}})
}

// REST errors (§5.1): JSON arrays.
func writeRESTError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, []obj{{{"message", msg}, {"errorCode", code}}})
}

const (
	msgSessionExpired = "Session expired or invalid"
	msgNotREST        = "This session is not valid for use with the REST API"
)

// writeFormError writes the revoke endpoint's form-encoded error (§4.1).
func writeFormError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
	w.WriteHeader(http.StatusBadRequest)
	w.Write([]byte("error=" + url.QueryEscape(code) + "&error_description=" + strings.ReplaceAll(url.QueryEscape(desc), "+", "%20")))
}

func htmlEscape(s string) string { return html.EscapeString(s) }

// writeHTML writes a plain HTML page (no JavaScript).
func writeHTML(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", ctHTML)
	w.Header().Set("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
	w.WriteHeader(status)
	w.Write([]byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + htmlEscape(title) +
		`</title></head><body>` + body + `</body></html>`))
}

// errAllowlist answers a caller outside an External Client App's refresh token IP
// allowlist (§15.3; the wire error is [UNCONF], so it is a Behaviour setting).
func (e *Emulator) errAllowlist() *oauthError {
	return &oauthError{400, orStr(e.org.Behaviour.RefreshIPAllowlistError, "invalid_grant"),
		orStr(e.org.Behaviour.RefreshIPAllowlistDescription, "ip restricted")}
}
