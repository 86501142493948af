package sfemu

import (
	"net/http"
	"strings"
)

// badOAuthToken answers userinfo / identity calls with an unknown, revoked or expired token.
// [UNCONF] The reference gives no body; Salesforce is widely reported to answer 403
// "Bad_OAuth_Token" here.
func badOAuthToken(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte("Bad_OAuth_Token"))
}

// urls is the "urls" object of userinfo / identity (§4.3): templates keep the literal
// {version} unless a version is given.
func (e *Emulator) urls(u *User, version string) obj {
	v := "{version}"
	if version != "" {
		v = strings.TrimPrefix(version, "v")
		if version == "latest" {
			v = e.latestVersion()
		}
	}
	base := e.instanceURL()
	org := e.org.ID
	return obj{
		{"enterprise", base + "/services/Soap/c/" + v + "/" + org},
		{"metadata", base + "/services/Soap/m/" + v + "/" + org},
		{"partner", base + "/services/Soap/u/" + v + "/" + org},
		{"rest", base + "/services/data/v" + v + "/"},
		{"sobjects", base + "/services/data/v" + v + "/sobjects/"},
		{"search", base + "/services/data/v" + v + "/search/"},
		{"query", base + "/services/data/v" + v + "/query/"},
		{"recent", base + "/services/data/v" + v + "/recent/"},
		{"tooling_soap", base + "/services/Soap/T/" + v + "/" + org},
		{"tooling_rest", base + "/services/data/v" + v + "/tooling/"},
		{"profile", base + "/" + u.ID},
		{"feeds", base + "/services/data/v" + v + "/chatter/feeds"},
		{"groups", base + "/services/data/v" + v + "/chatter/groups"},
		{"users", base + "/services/data/v" + v + "/chatter/users"},
		{"feed_items", base + "/services/data/v" + v + "/chatter/feed-items"},
		{"feed_elements", base + "/services/data/v" + v + "/chatter/feed-elements"},
		{"custom_domain", base},
	}
}

func userType(u *User) string { return "STANDARD" }

func (e *Emulator) photos(u *User) obj {
	return obj{{"picture", e.instanceURL() + "/profilephoto/005/F"}, {"thumbnail", e.instanceURL() + "/profilephoto/005/T"}}
}

// handleUserinfo is GET /services/oauth2/userinfo with a Bearer token (§4.3). Using the
// token counts as session activity (§7).
func (e *Emulator) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	s := e.useSession(bearerToken(r))
	if s == nil {
		badOAuthToken(w)
		return
	}
	u := s.user
	o := obj{
		{"sub", e.identityURL(u)},
		{"user_id", u.ID},
		{"organization_id", e.org.ID},
		{"preferred_username", u.Username},
		{"nickname", nickname(u)},
		{"name", strings.TrimSpace(u.FirstName + " " + u.LastName)},
		{"email", u.Email},
		{"email_verified", true},
		{"given_name", u.FirstName},
		{"family_name", u.LastName},
		{"zoneinfo", orStr(u.TimeZone, "America/Los_Angeles")},
		{"photos", e.photos(u)},
		{"profile", e.instanceURL() + "/" + u.ID},
		{"picture", e.instanceURL() + "/profilephoto/005/F"},
		{"address", obj{{"country", "US"}}},
		{"is_salesforce_integration_user", u.APIOnly},
		{"urls", e.urls(u, "")},
		{"active", !u.Inactive},
		{"user_type", userType(u)},
		{"language", orStr(u.Language, "en_US")},
		{"locale", orStr(u.Locale, "en_US")},
		{"utcOffset", -28800000},
		{"updated_at", "2025-01-01T00:00:00Z"},
		{"is_app_installed", s.app.Installed},
	}
	writeIdentity(w, r, o, "user")
}

func nickname(u *User) string {
	n := u.Username
	if i := strings.IndexByte(n, '@'); i > 0 {
		n = n[:i]
	}
	return n
}

// writeIdentity honours format=json|xml or Accept (§4.4); JSON by default.
func writeIdentity(w http.ResponseWriter, r *http.Request, o obj, root string) {
	f := strings.ToLower(r.URL.Query().Get("format"))
	if f == "" && strings.Contains(r.Header.Get("Accept"), "xml") && !strings.Contains(r.Header.Get("Accept"), "json") {
		f = "xml"
	}
	if f == "xml" {
		w.Header().Set("Content-Type", ctXML)
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(xmlEncode(root, o)))
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// handleIdentity is the identity URL /id/{org18}/{user18} (§4.4), Bearer or oauth_token.
func (e *Emulator) handleIdentity(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/id/"), "/"), "/")
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	tok := bearerToken(r)
	if tok == "" {
		if err := r.ParseForm(); err == nil {
			tok = r.Form.Get("oauth_token")
		}
	}
	s := e.useSession(tok)
	if s == nil {
		badOAuthToken(w)
		return
	}
	u := s.user
	if !strings.EqualFold(parts[0], e.org.ID) && parts[0] != e.org.ID[:15] {
		writeIdentityErr(w)
		return
	}
	if parts[1] != u.ID && parts[1] != u.ID[:15] {
		writeIdentityErr(w)
		return
	}
	version := r.URL.Query().Get("version")
	o := obj{
		{"id", e.identityURL(u)},
		{"asserted_user", true},
		{"user_id", u.ID},
		{"organization_id", e.org.ID},
		{"username", u.Username},
		{"nick_name", nickname(u)},
		{"display_name", strings.TrimSpace(u.FirstName + " " + u.LastName)},
		{"email", u.Email},
		{"email_verified", true},
		{"first_name", u.FirstName},
		{"last_name", u.LastName},
		{"timezone", orStr(u.TimeZone, "America/Los_Angeles")},
		{"photos", e.photos(u)},
		{"addr_street", nil},
		{"addr_city", nil},
		{"addr_state", nil},
		{"addr_country", "US"},
		{"addr_zip", nil},
		{"mobile_phone", nil},
		{"mobile_phone_verified", false},
		{"is_lightning_login_user", false},
		{"status", obj{{"created_date", nil}, {"body", nil}}},
		{"urls", e.urls(u, version)},
		{"active", !u.Inactive},
		{"user_type", userType(u)},
		{"language", orStr(u.Language, "en_US")},
		{"locale", orStr(u.Locale, "en_US")},
		{"utcOffset", -28800000},
		{"last_modified_date", "2025-01-01T00:00:00.000+0000"},
		{"is_app_installed", s.app.Installed},
	}
	writeIdentity(w, r, o, "user")
}

// writeIdentityErr: the token is valid but the URL names another org/user [UNCONF shape].
func writeIdentityErr(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte("Bad_Id"))
}

// handleJWKS is /id/keys (§1.4): numeric kid.
func (e *Emulator) handleJWKS(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, obj{{"keys", []obj{jwk(&e.key.PublicKey, e.kid)}}})
}

// handleDiscovery is /.well-known/openid-configuration in the shape of §1.3, with this
// host's URLs (issuer on a My Domain host is [UNCONF]; the emulator uses the host asked).
func (e *Emulator) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	b := e.baseURL(r)
	writeJSON(w, http.StatusOK, obj{
		{"issuer", b},
		{"authorization_endpoint", b + "/services/oauth2/authorize"},
		{"token_endpoint", b + "/services/oauth2/token"},
		{"revocation_endpoint", b + "/services/oauth2/revoke"},
		{"userinfo_endpoint", b + "/services/oauth2/userinfo"},
		{"jwks_uri", b + "/id/keys"},
		{"registration_endpoint", b + "/services/oauth2/register"},
		{"introspection_endpoint", b + "/services/oauth2/introspect"},
		{"scopes_supported", []string{"cdp_ingest_api", "custom_permissions", "cdp_segment_api", "content", "cdp_api",
			"chatbot_api", "cdp_identityresolution_api", "interaction_api", "wave_api", "web",
			"cdp_calculated_insight_api", "einstein_gpt_api", "offline_access", "id", "api",
			"data_cloud_user_claims", "eclair_api", "email", "pardot_api", "lightning", "visualforce",
			"cdp_query_api", "sfap_api", "address", "openid", "profile", "scrt_api", "cdp_profile_api",
			"refresh_token", "phone", "user_registration_api", "pwdless_login_api", "chatter_api",
			"mcp_api", "full", "forgot_password"}},
		{"response_types_supported", []string{"code", "token", "token id_token"}},
		{"subject_types_supported", []string{"public"}},
		{"id_token_signing_alg_values_supported", []string{"RS256"}},
		{"display_values_supported", []string{"page", "popup", "touch"}},
		{"token_endpoint_auth_methods_supported", []string{"client_secret_post", "client_secret_basic", "private_key_jwt"}},
		{"claims_supported", []string{"active", "address", "email", "email_verified", "family_name", "given_name",
			"is_app_installed", "language", "locale", "name", "nickname", "organization_id", "phone_number",
			"phone_number_verified", "photos", "picture", "preferred_username", "profile", "sub",
			"updated_at", "urls", "user_id", "user_type", "zoneinfo"}},
	})
}
