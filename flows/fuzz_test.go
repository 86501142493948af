package flows

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// FuzzParseTokenResponse: any answer parses to a token or an error, never a panic, and a
// token always has an access_token.
func FuzzParseTokenResponse(f *testing.F) {
	f.Add(200, "application/json;charset=UTF-8", []byte(`{"access_token":"00D!x","instance_url":"https://x","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1609942615640","signature":"abc="}`))
	f.Add(200, "application/json", []byte(`{"access_token":"a","expires_in":3600,"issued_at":1609942615640,"extra":{"n":[1,2]}}`))
	f.Add(400, "application/json", []byte(`{"error":"invalid_grant","error_description":"authentication failure"}`))
	f.Add(400, "application/x-www-form-urlencoded", []byte(`error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported`))
	f.Add(401, "application/json", []byte(`[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`))
	f.Add(200, "text/html", []byte(`<html>proxy</html>`))
	f.Add(200, "application/x-www-form-urlencoded", []byte(`access_token=abc&scope=api`))
	f.Add(503, "", []byte(``))
	f.Add(200, "application/json", []byte(`{"access_token":`))
	f.Fuzz(func(t *testing.T, status int, ct string, body []byte) {
		tr, err := ParseTokenResponse("token", status, ct, body)
		if (tr == nil) == (err == nil) {
			t.Fatalf("want exactly one of token and error: %v %v", tr, err)
		}
		if tr != nil && tr.AccessToken == "" {
			t.Fatal("token without access_token")
		}
		if err != nil && strings.Contains(err.Error(), "\n") && !strings.Contains(string(body), "\n") {
			t.Fatalf("multi-line error: %q", err)
		}
	})
}

// FuzzCallback: any callback request gets an answer, never a panic; a result is delivered
// only for the right state.
func FuzzCallback(f *testing.F) {
	f.Add("GET", "/callback", "code=aPrx%3D%3D&state=st8", "")
	f.Add("GET", "/callback", "error=access_denied&error_description=end-user+denied&state=st8", "")
	f.Add("GET", "/callback", "code=x&state=other", "")
	f.Add("POST", "/callback", "", "access_token=00D%21x&state=st8")
	f.Add("OPTIONS", "/callback", "", "")
	f.Add("GET", "/favicon.ico", "", "")
	f.Add("GET", "/callback", "state=st8&state=st9&code=%zz", "")
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " ?#\x00\r\n") || !isHTTPToken(method) {
			return // not a request line net/http would hand to a handler
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return // net/http answers 400 itself ("/%" is in the corpus: httptest.NewRequest panics on it)
		}
		for _, frag := range []bool{false, true} {
			l := &Listener{opts: ListenerOptions{State: "st8", Fragment: frag, Timeout: time.Second, Grace: time.Millisecond},
				path: "/callback", host: "127.0.0.1:1717", result: make(chan listenResult, 1), pageSeen: make(chan struct{})}
			r := httptest.NewRequest(method, "http://127.0.0.1:1717"+path+"?"+url.PathEscape(query), strings.NewReader(body))
			r.URL.RawQuery = query
			if method == "POST" {
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			w := httptest.NewRecorder()
			l.serveHTTP(w, r)
			if w.Code == 0 {
				t.Fatal("no status")
			}
			select {
			case res := <-l.result:
				if res.err == nil && (res.cb == nil || res.cb.Params.Get("state") != "st8") {
					t.Fatalf("accepted a callback without the state: %+v", res.cb)
				}
				if w.Code != http.StatusSeeOther {
					t.Fatalf("result without a 303: %d", w.Code)
				}
			default:
			}
		}
	})
}

// FuzzRedactedJSON: the redacted encoder of a decoded JSON object (json.Decoder with
// UseNumber, as ParseTokenResponse decodes) agrees with json.Marshal of the redacted copy.
func FuzzRedactedJSON(f *testing.F) {
	for _, s := range []string{`{"access_token":"00D!x","issued_at":"1609942615640","n":-1.5e+3}`,
		`{"a":[1,{"b":null},true,false,"\u00e9\ud83d\ude00\ud800x"],"a":"dup"} trailing`,
		`{"s":"<&>\u2028\u2029\n\t\b\f\u0001\"\\\/","bad":"` + "\xff\xed\xa0\x80" + `"}`,
		`{}`, `{"x":01}`, `{"x":1.}`, `{"x":"a` + "\x01" + `"}`, `[1]`, `null`, ` {"k" : { } , "e" : [ ] }`,
		`{"password":"p","refresh_token":"0123456789abcdefghijklmnop","z":0}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if d.Decode(&m) != nil || m == nil {
			return
		}
		enc, eok := appendRedactedJSON(nil, "", m)
		wantEnc, werr := json.Marshal(redactCopy("", m))
		if !eok || werr != nil || string(enc) != string(wantEnc) {
			t.Fatalf("encoded\n%s\nwant\n%s (%v)", enc, wantEnc, werr)
		}
	})
}

// redactCopy is the field-rule redaction as a copy, for json.Marshal to encode.
func redactCopy(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = redactCopy(k, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactCopy(key, e)
		}
		return out
	case string:
		return redactValue(key, x)
	}
	return v
}

// FuzzTokenResponseRaw: a JSON token response's Raw is the object as json.Decoder (UseNumber)
// decodes it, unknown fields included, and the named fields are read from it.
func FuzzTokenResponseRaw(f *testing.F) {
	for _, s := range []string{`{"access_token":"00D!x","issued_at":"1609942615640","instance_url":"https://x","scope":"api id"}`,
		`{"access_token":"a","expires_in":3600,"issued_at":1609942615640,"extra":{"n":[1,2]},"x":null}`,
		`{"access_token":"a","access_token":"b","id":"\u00e9\ud83d"}`, `{"access_token":null}`, `{"expires_in":"12"}`,
		`{"access_token":"a","scope":["api"]}`, `{"access_token":"a","signature":true}`, `{}`, `{"access_token":"a"} trailing`, `{"a":`, `[1]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseTokenResponse("token", 200, "application/json", b)
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		derr := d.Decode(&m)
		if err != nil {
			if derr == nil && m != nil && str(m["access_token"]) != "" {
				t.Fatalf("refused a JSON object with an access_token: %v (%q)", err, b)
			}
			return
		}
		if derr != nil {
			t.Fatalf("accepted what json.Decoder refuses (%v): %q", derr, b)
		}
		if !reflect.DeepEqual(got.Raw(), m) {
			t.Fatalf("Raw %v, want %v", got.Raw(), m)
		}
		if want := NewTokenResponse(m); !reflect.DeepEqual(got, want) {
			t.Fatalf("parsed %+v, want %+v for %q", got, want, b)
		}
	})
}

// isHTTPToken reports whether s is an RFC 9110 token (a valid method); the fuzz corpus
// holds "\"", which httptest.NewRequest refuses with a panic.
func isHTTPToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' || c == '+' || c == '-' || c == '.' ||
			c == '^' || c == '_' || c == '`' || c == '|' || c == '~' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
