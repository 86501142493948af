package sfemu

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// samlAssertion is the minimal part of a SAML 2.0 assertion the emulator reads (§3.8).
// Element names match in any namespace.
type samlAssertion struct {
	XMLName   xml.Name  `xml:"Assertion"`
	Issuer    string    `xml:"Issuer"`
	Signature *struct{} `xml:"Signature"`
	NameID    string    `xml:"Subject>NameID"`
	Cond      struct {
		NotBefore    string   `xml:"NotBefore,attr"`
		NotOnOrAfter string   `xml:"NotOnOrAfter,attr"`
		Audiences    []string `xml:"AudienceRestriction>Audience"`
	} `xml:"Conditions"`
}

// decodeAssertion accepts base64url (the documented encoding) or standard base64.
func decodeAssertion(s string) ([]byte, bool) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.URLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// grantSAML is a minimal SAML 2.0 bearer assertion flow (§3.8): Issuer = consumer key,
// Subject NameID = username, an accepted Audience, NotOnOrAfter in the future. XML
// signatures are NOT verified (Behaviour.SAMLRequireSignature only demands one is
// present) [UNCONF]. No refresh token; issued_at/signature per Behaviour.SAMLBearerIssuedAt.
func (e *Emulator) grantSAML(r *http.Request, form url.Values) (obj, *oauthError) {
	raw, ok := decodeAssertion(form.Get("assertion"))
	if !ok {
		return nil, errInvalidAssertion
	}
	var as samlAssertion
	if err := xml.Unmarshal(raw, &as); err != nil {
		return nil, errInvalidAssertion
	}
	a := e.org.appByKey(strings.TrimSpace(as.Issuer))
	if a == nil {
		return nil, e.errClientID()
	}
	if a.CertificatePEM == "" || (e.org.Behaviour.SAMLRequireSignature && as.Signature == nil) {
		return nil, errInvalidAssertion
	}
	if !e.audienceOK(as.Cond.Audiences) {
		return nil, errGrant("Audience validation failed") // the docs' example text (§3.8)
	}
	now := e.now()
	end, err := time.Parse(time.RFC3339, as.Cond.NotOnOrAfter)
	if err != nil {
		return nil, errInvalidAssertion
	}
	if !now.Before(end) {
		return nil, errGrant(orStr(e.org.Behaviour.ExpiredAssertionDescription, "expired authorization code"))
	}
	if nb, err := time.Parse(time.RFC3339, as.Cond.NotBefore); err == nil && now.Add(time.Minute).Before(nb) {
		return nil, errInvalidAssertion
	}
	u := e.org.userByName(strings.TrimSpace(as.NameID))
	if u == nil {
		return nil, errInvalidAssertion
	}
	if err := userCheck(u); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.assertionApproval(a, u, true); err != nil {
		return nil, err
	}
	o, _ := e.issue(grant{app: a, user: u, scopes: assertionScopes(a), showScope: true,
		issuedAt: e.org.Behaviour.SAMLBearerIssuedAt})
	return o, nil
}
