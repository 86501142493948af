package connectedapp

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// Reader reads a live app's settings through the Metadata API's SOAP readMetadata call at
// {InstanceURL}/services/Soap/m/{APIVersion}, authenticated by a SessionHeader carrying an
// admin's access token (api scope; a user with the Customize Application and View Setup
// permissions). The consumer secret is never kept, even if a response carries it.
type Reader struct {
	InstanceURL string // https://MyDomain.my.salesforce.com (http only for loopback test servers)
	AccessToken string // secret: never printed, never in errors
	APIVersion  string // default 65.0
	// HTTPClient defaults to a client without a global timeout; each call gets Timeout.
	HTTPClient *http.Client
	Timeout    time.Duration // per SOAP call; default 30 seconds
	MaxBody    int64         // response size cap; default 8 MiB
}

// ErrNotFound is wrapped by Read when the org has no app of that name.
var ErrNotFound = errors.New("app not found")

// SOAPFault is a SOAP fault from the Metadata API, e.g. INVALID_SESSION_ID.
type SOAPFault struct {
	Code    string // faultcode without its prefix, e.g. INVALID_SESSION_ID
	Message string // faultstring
	Status  int    // HTTP status (Salesforce uses 500)
}

func (f *SOAPFault) Error() string {
	msg := strings.TrimSpace(f.Message)
	if i := strings.IndexAny(msg, "\r\n"); i >= 0 {
		msg = msg[:i]
	}
	hint := ""
	switch f.Code {
	case "INVALID_SESSION_ID":
		hint = "; the access token is expired, revoked or for another org: log in again and pass a fresh token"
	case "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY":
		hint = "; use an admin with Customize Application and View Setup"
	case "INVALID_TYPE":
		hint = "; the org's API version may be too old for this metadata type"
	case "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED":
		hint = "; the org or the user has no API access"
	}
	if strings.HasPrefix(msg, f.Code) {
		return "Metadata API fault " + msg + hint
	}
	return "Metadata API fault " + f.Code + ": " + msg + hint
}

// Endpoint returns the SOAP endpoint URL.
func (r *Reader) Endpoint() (string, error) {
	u, err := url.Parse(strings.TrimRight(r.InstanceURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("instance URL %q is not a URL; pass the org's https://MyDomain.my.salesforce.com (the token response's instance_url)", r.InstanceURL)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return "", fmt.Errorf("instance URL %q uses http; Salesforce needs https://", r.InstanceURL)
	}
	return u.Scheme + "://" + u.Host + "/services/Soap/m/" + nonEmpty(r.APIVersion, APIVersion), nil
}

// Read reads the app called name (its API name). With kind "" it tries a Connected App
// first, then an External Client App.
func (r *Reader) Read(ctx context.Context, kind Kind, name string) (Settings, error) {
	if strings.TrimSpace(name) == "" {
		return Settings{}, fmt.Errorf("read app: no name; pass the app's API name")
	}
	if r.AccessToken == "" {
		return Settings{}, fmt.Errorf("read app: no access token; pass an admin's access token")
	}
	switch kind {
	case Connected:
		return r.ReadConnectedApp(ctx, name)
	case External:
		return r.ReadExternalClientApp(ctx, name)
	case "":
		s, err := r.ReadConnectedApp(ctx, name)
		if !errors.Is(err, ErrNotFound) {
			return s, err
		}
		s, err = r.ReadExternalClientApp(ctx, name)
		if errors.Is(err, ErrNotFound) {
			return Settings{}, fmt.Errorf("%w: no Connected App or External Client App named %q in the org; check the API name in %s", ErrNotFound, name, guidance.SetupPath("App Manager"))
		}
		return s, err
	}
	return Settings{}, fmt.Errorf("read app: unknown kind %q; use connected or external", kind)
}

// ReadConnectedApp reads a Connected App with readMetadata(type ConnectedApp).
func (r *Reader) ReadConnectedApp(ctx context.Context, name string) (Settings, error) {
	recs, err := r.readMetadata(ctx, TypeConnectedApp, name)
	if err != nil {
		return Settings{}, err
	}
	for _, rec := range recs {
		var x xmlConnectedApp
		if err := rec.decode(&x); err != nil {
			return Settings{}, fmt.Errorf("read ConnectedApp %s: %w", name, err)
		}
		if x.FullName == "" {
			continue
		}
		s, err := fromConnectedApp(&x)
		if err != nil {
			return Settings{}, fmt.Errorf("read ConnectedApp %s: %w", name, err)
		}
		return s, nil
	}
	return Settings{}, fmt.Errorf("%w: no Connected App named %q in the org; check the API name in %s", ErrNotFound, name, guidance.SetupPath("App Manager"))
}

// ReadExternalClientApp reads an External Client App: readMetadata of
// ExternalClientApplication (name), ExtlClntAppGlobalOauthSettings (name_glbloauth),
// ExtlClntAppOauthSettings (name_oauth) and ExtlClntAppOauthConfigurablePolicies
// (name_oauthPlcy, or the auto-created name_oauth_defaultPolicy).
func (r *Reader) ReadExternalClientApp(ctx context.Context, name string) (Settings, error) {
	var (
		app *xmlECA
		g   *xmlECAGlobal
		o   *xmlECAOauth
		p   *xmlECAPolicies
	)
	steps := []struct {
		typ   string
		names []string
		into  func(rec soapRecord) (bool, error)
	}{
		{TypeECA, []string{name}, func(rec soapRecord) (bool, error) {
			var x xmlECA
			err := rec.decode(&x)
			if err == nil && x.FullName != "" {
				app = &x
			}
			return app != nil, err
		}},
		{TypeECAGlobal, []string{ECAName(name, TypeECAGlobal)}, func(rec soapRecord) (bool, error) {
			var x xmlECAGlobal
			err := rec.decode(&x)
			x.ConsumerSecret = "" // never kept
			if err == nil && x.FullName != "" {
				g = &x
			}
			return g != nil, err
		}},
		{TypeECAOauth, []string{ECAName(name, TypeECAOauth)}, func(rec soapRecord) (bool, error) {
			var x xmlECAOauth
			err := rec.decode(&x)
			if err == nil && x.FullName != "" {
				o = &x
			}
			return o != nil, err
		}},
		{TypeECAPolicies, []string{ECAName(name, TypeECAPolicies), ECAName(name, TypeECAOauth) + "_defaultPolicy"}, func(rec soapRecord) (bool, error) {
			var x xmlECAPolicies
			err := rec.decode(&x)
			if err == nil && x.FullName != "" {
				p = &x
			}
			return p != nil, err
		}},
	}
	for i, st := range steps {
		recs, err := r.readMetadata(ctx, st.typ, st.names...)
		if err != nil {
			return Settings{}, err
		}
		for _, rec := range recs {
			done, err := st.into(rec)
			if err != nil {
				return Settings{}, fmt.Errorf("read %s %s: %w", st.typ, strings.Join(st.names, ","), err)
			}
			if done {
				break
			}
		}
		if i == 0 && app == nil {
			return Settings{}, fmt.Errorf("%w: no External Client App named %q in the org; check the API name in %s", ErrNotFound, name, guidance.SetupPath("External Client App Manager"))
		}
	}
	s, err := fromECA(app, g, o, p)
	if err != nil {
		return Settings{}, fmt.Errorf("read External Client App %s: %w", name, err)
	}
	s.Name = name
	return s, nil
}

// ReadMetadataRequest returns the SOAP envelope readMetadata sends (exported for the
// emulator's tests and the documentation of the contract).
func ReadMetadataRequest(sessionID, typ string, fullNames ...string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:met="` + MetadataNS + `">`)
	b.WriteString(`<soapenv:Header><met:SessionHeader><met:sessionId>`)
	xml.EscapeText(&b, []byte(sessionID))
	b.WriteString(`</met:sessionId></met:SessionHeader></soapenv:Header>`)
	b.WriteString(`<soapenv:Body><met:readMetadata><met:type>`)
	xml.EscapeText(&b, []byte(typ))
	b.WriteString(`</met:type>`)
	for _, n := range fullNames {
		b.WriteString(`<met:fullNames>`)
		xml.EscapeText(&b, []byte(n))
		b.WriteString(`</met:fullNames>`)
	}
	b.WriteString(`</met:readMetadata></soapenv:Body></soapenv:Envelope>`)
	return b.Bytes()
}

type soapRecord struct {
	Type  string // xsi:type without prefix
	Inner []byte
}

func (r soapRecord) decode(v any) error {
	doc := append(append([]byte("<records>"), r.Inner...), []byte("</records>")...)
	if err := xml.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("malformed %s record: %v", nonEmpty(r.Type, "metadata"), err)
	}
	return nil
}

func (r *Reader) readMetadata(ctx context.Context, typ string, fullNames ...string) ([]soapRecord, error) {
	endpoint, err := r.Endpoint()
	if err != nil {
		return nil, err
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(ReadMetadataRequest(r.AccessToken, typ, fullNames...)))
	if err != nil {
		return nil, fmt.Errorf("readMetadata %s: %v", typ, err)
	}
	req.Header.Set("Content-Type", "text/xml; charset=UTF-8")
	req.Header.Set("SOAPAction", `""`)
	req.Header.Set("Accept", "text/xml")
	hc := http.Client{}
	if r.HTTPClient != nil {
		hc = *r.HTTPClient
	}
	// The request body carries the session ID: never re-send it to wherever a 307/308
	// points (another host would get the admin's session). No redirect is followed at all;
	// the Metadata API answers on the instance URL itself.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return nil, fmt.Errorf("readMetadata %s at %s: no answer within %s; check the instance URL and the network", typ, endpoint, timeout)
		}
		return nil, fmt.Errorf("readMetadata %s at %s: %v", typ, endpoint, redact(err.Error(), r.AccessToken))
	}
	defer resp.Body.Close()
	limit := r.MaxBody
	if limit <= 0 {
		limit = 8 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("readMetadata %s: reading the response: %v", typ, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("readMetadata %s: the response is larger than %d bytes; this is not a readMetadata answer", typ, limit)
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		loc := redact(resp.Header.Get("Location"), r.AccessToken)
		return nil, fmt.Errorf("readMetadata %s at %s: the server redirected (HTTP %d) to %q; the session is not sent on: pass the org's own instance URL (the token response's instance_url, https://MyDomain.my.salesforce.com)", typ, endpoint, resp.StatusCode, loc)
	}
	recs, fault, perr := parseReadMetadataResponse(body)
	if fault != nil {
		fault.Status = resp.StatusCode
		fault.Message = redact(fault.Message, r.AccessToken)
		return nil, fmt.Errorf("readMetadata %s %s: %w", typ, strings.Join(fullNames, ","), fault)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("readMetadata %s at %s: HTTP %d %s; expected a SOAP answer (is the instance URL the org's My Domain?)", typ, endpoint, resp.StatusCode, redact(snippet(body), r.AccessToken))
	}
	if perr != nil {
		return nil, fmt.Errorf("readMetadata %s: %v", typ, perr)
	}
	return recs, nil
}

// parseReadMetadataResponse extracts the records (skipping xsi:nil ones) or the fault.
func parseReadMetadataResponse(body []byte) ([]soapRecord, *SOAPFault, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var recs []soapRecord
	sawBody, sawResult := false, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("malformed SOAP response: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "Body":
			sawBody = true
		case "Fault":
			var f struct {
				Code   string `xml:"faultcode"`
				String string `xml:"faultstring"`
			}
			if err := dec.DecodeElement(&f, &se); err != nil {
				return nil, nil, fmt.Errorf("malformed SOAP fault: %v", err)
			}
			code := strings.TrimSpace(f.Code)
			if i := strings.LastIndexByte(code, ':'); i >= 0 {
				code = code[i+1:]
			}
			return nil, &SOAPFault{Code: code, Message: strings.TrimSpace(f.String)}, nil
		case "readMetadataResponse":
			sawResult = true
		case "records":
			var rec struct {
				Type  string `xml:"http://www.w3.org/2001/XMLSchema-instance type,attr"`
				Nil   string `xml:"http://www.w3.org/2001/XMLSchema-instance nil,attr"`
				Inner []byte `xml:",innerxml"`
			}
			if err := dec.DecodeElement(&rec, &se); err != nil {
				return nil, nil, fmt.Errorf("malformed readMetadata record: %v", err)
			}
			if rec.Nil == "true" || len(bytes.TrimSpace(rec.Inner)) == 0 {
				continue
			}
			t := rec.Type
			if i := strings.LastIndexByte(t, ':'); i >= 0 {
				t = t[i+1:]
			}
			recs = append(recs, soapRecord{Type: t, Inner: rec.Inner})
		}
	}
	if !sawBody || !sawResult {
		return nil, nil, fmt.Errorf("the response is not a readMetadata answer (no soapenv:Body/readMetadataResponse)")
	}
	return recs, nil, nil
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	if s == "" {
		return "(empty body)"
	}
	return "(" + s + ")"
}

// redact removes the session ID and anything else that looks like a secret (flows'
// redactor, the one for the whole program) from text built from a request or an answer.
func redact(s, secret string) string {
	if secret != "" {
		s = strings.ReplaceAll(s, secret, flows.Redacted)
	}
	return flows.RedactText(s)
}
