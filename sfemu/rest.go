package sfemu

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// REST API versions (reference §15.6): every version from 31.0 to the org's newest is live;
// 21.0 to 30.0 were retired in Summer '25 and "REST API returns 410: GONE" (help article
// 000354473 "Salesforce Platform API Versions 21.0 through 30.0 Retirement"; REST API
// Developer Guide "API End-of-Life"). The body's errorCode GONE is observed
// (restforce/restforce#941); its message is [UNCONF] (Behaviour.RetiredAPIVersionMessage).
const (
	defaultLatestAPIVersion = "68.0" // Winter '27
	minLiveAPIVersion       = 31
	minRetiredAPIVersion    = 21
)

// parseAPIVersion reads "NN.0" (no "v"); only whole versions exist.
func parseAPIVersion(v string) (int, bool) {
	major, ok := strings.CutSuffix(v, ".0")
	if !ok || major == "" || len(major) > 3 || major[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(major)
	return n, err == nil && n > 0
}

// latestVersion is the org's newest API version, "NN.0".
func (e *Emulator) latestVersion() string {
	return orStr(e.org.LatestAPIVersion, defaultLatestAPIVersion)
}

func (e *Emulator) latestMajor() int {
	n, _ := parseAPIVersion(e.latestVersion())
	return n
}

// versionLive reports whether "NN.0" is a live version of this org.
func (e *Emulator) versionLive(v string) bool {
	n, ok := parseAPIVersion(v)
	return ok && n >= minLiveAPIVersion && n <= e.latestMajor()
}

// versionRetired reports whether "NN.0" is a retired version (21.0 to 30.0).
func versionRetired(v string) bool {
	n, ok := parseAPIVersion(v)
	return ok && n >= minRetiredAPIVersion && n < minLiveAPIVersion
}

// releaseLabel names the release of a version: 31.0 is Summer '14, three a year (Spring,
// Summer, Winter; Winter carries the next year's name: 62.0 is Winter '25).
func releaseLabel(n int) string {
	d := n - 60 // 60.0 = Spring '24
	q, r := d/3, d%3
	if r < 0 {
		q, r = q-1, r+3
	}
	year := 24 + q
	season := [...]string{"Spring", "Summer", "Winter"}[r]
	if r == 2 {
		year++
	}
	return fmt.Sprintf("%s '%02d", season, year)
}

// Compiled at its first use, not at every start of the binary (most commands serve nothing).
var versionPath = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/services/data/v(\d{1,3}\.\d)(/.*)?$`) })

// restAllowed: the api scope or full grants REST access (§6); the rest get the "not valid
// for use with the REST API" error (§5.1).
func restAllowed(s *session) bool { return hasScope(s.scopes, "api") || hasScope(s.scopes, "full") }

// handleREST is a small REST surface: /services/data/ (versions), /services/data/vNN.N/
// (resources), limits, query?q= (soql.go) and sobjects/{User|Organization|OauthToken}/{id}. Every call with an
// expired, revoked or unknown token gets 401 INVALID_SESSION_ID (§5.1); using a token is
// session activity (§7).
func (e *Emulator) handleREST(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	tok := bearerToken(r)
	if path == "/services/data" || path == "/services/data/" {
		// The versions list needs no session on Salesforce; a session that is sent is checked.
		if tok != "" && !e.authREST(w, tok) {
			return
		}
		var list []obj
		for n := minLiveAPIVersion; n <= e.latestMajor(); n++ {
			v := strconv.Itoa(n) + ".0"
			list = append(list, obj{{"label", releaseLabel(n)}, {"url", "/services/data/v" + v}, {"version", v}})
		}
		writeJSON(w, http.StatusOK, list)
		return
	}
	m := versionPath().FindStringSubmatch(path)
	if m != nil && versionRetired(m[1]) {
		writeRESTError(w, http.StatusGone, "GONE", orStr(e.org.Behaviour.RetiredAPIVersionMessage, msgRetiredVersion))
		return
	}
	if m == nil || !e.versionLive(m[1]) {
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	s := e.sessionForREST(w, tok)
	if s == nil {
		return
	}
	if e.org.APIDisabled {
		writeRESTError(w, http.StatusForbidden, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.")
		return
	}
	base := "/services/data/v" + m[1]
	rest := strings.Trim(m[2], "/")
	switch {
	case rest == "":
		writeJSON(w, http.StatusOK, obj{
			{"tooling", base + "/tooling"}, {"metadata", base + "/metadata"}, {"eclair", base + "/eclair"},
			{"folders", base + "/folders"}, {"prechatForms", base + "/prechatForms"}, {"contact-tracing", base + "/contact-tracing"},
			{"jsonxform", base + "/jsonxform"}, {"chatter", base + "/chatter"}, {"payments", base + "/payments"},
			{"tabs", base + "/tabs"}, {"appMenu", base + "/appMenu"}, {"quickActions", base + "/quickActions"},
			{"queryAll", base + "/queryAll"}, {"commerce", base + "/commerce"}, {"wave", base + "/wave"},
			{"iot", base + "/iot"}, {"analytics", base + "/analytics"}, {"search", base + "/search"},
			{"identity", e.identityURL(s.user)}, {"composite", base + "/composite"}, {"parameterizedSearch", base + "/parameterizedSearch"},
			{"theme", base + "/theme"}, {"nouns", base + "/nouns"}, {"event", base + "/event"},
			{"serviceTemplates", base + "/serviceTemplates"}, {"recent", base + "/recent"}, {"connect", base + "/connect"},
			{"licensing", base + "/licensing"}, {"limits", base + "/limits"}, {"process", base + "/process"},
			{"async-queries", base + "/async-queries"}, {"query", base + "/query"}, {"match", base + "/match"},
			{"emailConnect", base + "/emailConnect"}, {"compactLayouts", base + "/compactLayouts"}, {"knowledgeManagement", base + "/knowledgeManagement"},
			{"sobjects", base + "/sobjects"}, {"actions", base + "/actions"}, {"support", base + "/support"},
		})
	case rest == "limits":
		lim := func(max, rem int) obj { return obj{{"Max", max}, {"Remaining", rem}} }
		writeJSON(w, http.StatusOK, obj{
			{"ActiveScratchOrgs", lim(3, 3)},
			{"AnalyticsExternalDataSizeMB", lim(40960, 40960)},
			{"ConcurrentAsyncGetReportInstances", lim(200, 200)},
			{"ConcurrentSyncReportRuns", lim(20, 20)},
			{"DailyApiRequests", lim(15000, 14998)},
			{"DailyAsyncApexExecutions", lim(250000, 250000)},
			{"DailyBulkApiBatches", lim(15000, 15000)},
			{"DailyBulkV2QueryFileStorageMB", lim(976562, 976562)},
			{"DailyBulkV2QueryJobs", lim(10000, 10000)},
			{"DailyGenericStreamingApiEvents", lim(10000, 10000)},
			{"DailyStreamingApiEvents", lim(10000, 10000)},
			{"DataStorageMB", lim(5, 5)},
			{"FileStorageMB", lim(20, 20)},
			{"HourlyTimeBasedWorkflow", lim(50, 50)},
			{"SingleEmail", lim(15, 15)},
		})
	case rest == "query" || rest == "queryAll":
		// queryAll also returns deleted and archived records; the emulated org has none,
		// so its answer is query's.
		e.handleQuery(w, r, s, base)
	case strings.HasPrefix(rest, "sobjects/"):
		parts := strings.Split(rest, "/")
		if len(parts) != 3 {
			writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
			return
		}
		e.handleRecord(w, s, base, parts[1], parts[2])
	default:
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	}
}

// sessionForREST checks the token for a REST call and writes the §5.1 error if unusable.
func (e *Emulator) sessionForREST(w http.ResponseWriter, tok string) *session {
	e.mu.Lock()
	now := e.now()
	s := e.sessions[tok]
	switch {
	case tok == "" || s == nil || !s.valid(now):
		s = nil
	case !restAllowed(s):
		e.mu.Unlock()
		writeRESTError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", msgNotREST)
		return nil
	default:
		s.touch(now) // a REST call is session activity (§7)
	}
	e.mu.Unlock()
	if s == nil {
		writeRESTError(w, http.StatusUnauthorized, "INVALID_SESSION_ID", msgSessionExpired)
	}
	return s
}

func (e *Emulator) authREST(w http.ResponseWriter, tok string) bool {
	return e.sessionForREST(w, tok) != nil
}

// msgRetiredVersion is the message of the 410 for a retired version [UNCONF].
const msgRetiredVersion = "The requested API version is retired and no longer available. Use API version 31.0 or later."

// sfDateTime formats a datetime as the REST API does: 2026-03-02T09:00:00.000+0000.
func sfDateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }

// profileID is a stable 18-character Profile Id ("00e") derived from the profile name.
func profileID(name string) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	h := uint64(1469598103934665603)
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	b := []byte("00e5g")
	for len(b) < 15 {
		b = append(b, alnum[h%62])
		h /= 62
	}
	return id18(string(b))
}

// userRecord is the User sObject of u with its common fields.
func (e *Emulator) userRecord(u *User) soqlRecord {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	alias := strings.ToLower(u.FirstName + u.LastName)
	if len(alias) > 8 {
		alias = alias[:8]
	}
	nullable := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	return soqlRecord{
		"Id": u.ID, "Username": u.Username, "LastName": orStr(u.LastName, u.Username), "FirstName": nullable(u.FirstName),
		"Name": orStr(name, u.Username), "Alias": orStr(alias, "user"), "Email": orStr(u.Email, u.Username),
		"IsActive": !u.Inactive, "ProfileId": profileID(u.Profile), "UserType": "Standard",
		"LanguageLocaleKey": orStr(u.Language, "en_US"), "LocaleSidKey": orStr(u.Locale, "en_US"),
		"TimeZoneSidKey": orStr(u.TimeZone, "America/Los_Angeles"), "EmailEncodingKey": "UTF-8",
		"CreatedDate": sfDateTime(e.created), "LastModifiedDate": sfDateTime(e.created),
	}
}

// orgRecord is the Organization sObject.
func (e *Emulator) orgRecord() soqlRecord {
	return soqlRecord{
		"Id": e.org.ID, "Name": orStr(e.org.Name, "Emulated Org"), "OrganizationType": "Developer Edition",
		"InstanceName": orStr(e.org.Instance, "EMU1"), "IsSandbox": false, "TrialExpirationDate": nil, "NamespacePrefix": nil,
		"LanguageLocaleKey": "en_US", "DefaultLocaleSidKey": "en_US", "TimeZoneSidKey": "America/Los_Angeles",
		"CreatedDate": sfDateTime(e.created), "LastModifiedDate": sfDateTime(e.created),
	}
}

// sobjectRows returns every row of an object the session may read, in Id order, or false
// when the session's user cannot see the object at all (OauthToken needs an admin).
// Caller holds e.mu.
func (e *Emulator) sobjectRows(s *session, object string) ([]soqlRecord, bool) {
	var rows []soqlRecord
	switch object {
	case "User":
		for i := range e.org.Users {
			rows = append(rows, e.userRecord(&e.org.Users[i]))
		}
	case "Organization":
		rows = append(rows, e.orgRecord())
	case "OauthToken":
		if !s.user.Admin {
			return nil, false
		}
		for _, t := range e.oauthTokens {
			rows = append(rows, e.oauthTokenRecord(t))
		}
	}
	return rows, true
}

// recordJSON renders a row with its attributes and the given fields in order.
func recordJSON(object, base string, r soqlRecord, fields []soqlField) obj {
	id, _ := r["Id"].(string)
	o := obj{{"attributes", obj{{"type", object}, {"url", base + "/sobjects/" + object + "/" + id}}}}
	for _, f := range fields {
		o = append(o, field{f.name, r[f.name]})
	}
	return o
}

// notSupported is the query error for an object the user cannot see (as for an unknown one).
func notSupportedType(object string) string {
	return "sObject type '" + object + "' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
}

// handleRecord is GET sobjects/{User|Organization|OauthToken}/{id}: every common field.
func (e *Emulator) handleRecord(w http.ResponseWriter, s *session, base, object, id string) {
	var canon string
	for name := range soqlObjects {
		if strings.EqualFold(name, object) {
			canon = name
		}
	}
	if canon == "" {
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	e.mu.Lock()
	rows, visible := e.sobjectRows(s, canon)
	e.mu.Unlock()
	if !visible {
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	if validIDLiteral(id) {
		for _, r := range rows {
			if rid, _ := r["Id"].(string); rid[:15] == id[:15] {
				writeJSON(w, http.StatusOK, recordJSON(canon, base, r, soqlObjects[canon]))
				return
			}
		}
	}
	writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
}

// handleQuery is GET query?q=SOQL over the subset of soql.go. The whole result fits one
// page (done true); Salesforce pages at 2,000 rows.
func (e *Emulator) handleQuery(w http.ResponseWriter, r *http.Request, s *session, base string) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeRESTError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED", "HTTP Method '"+r.Method+"' not allowed. Allowed are GET,HEAD")
		return
	}
	q, perr := parseSOQL(r.URL.Query().Get("q"))
	if perr != nil {
		writeRESTError(w, http.StatusBadRequest, perr.code, perr.msg)
		return
	}
	e.mu.Lock()
	rows, visible := e.sobjectRows(s, q.object)
	e.mu.Unlock()
	if !visible {
		p := &soqlParser{q: r.URL.Query().Get("q")}
		writeRESTError(w, http.StatusBadRequest, "INVALID_TYPE", p.errAt("INVALID_TYPE", q.objPos, notSupportedType(q.object)).msg)
		return
	}
	if r.URL.Query().Get("columns") == "true" {
		writeJSON(w, http.StatusOK, columnMetadata(q))
		return
	}
	res := q.run(rows)
	records := make([]obj, 0, len(res))
	for _, row := range res {
		records = append(records, recordJSON(q.object, base, row, q.fields))
	}
	writeJSON(w, http.StatusOK, obj{{"totalSize", len(records)}, {"done", true}, {"records", records}})
}

// columnMetadata answers query?q=...&columns=true: the query's columns without its records, as
// the Developer Console and the Salesforce CLI's `sf data query` read them (plugin-data reads
// columnMetadata[].columnName, joinColumns, aggregate and displayName).
func columnMetadata(q *soqlQuery) obj {
	apex := map[soqlKind]string{kString: "String", kID: "Id", kBool: "Boolean", kInt: "Integer", kDateTime: "Datetime"}
	cols := make([]obj, 0, len(q.fields))
	idSelected := false
	for _, f := range q.fields {
		idSelected = idSelected || f.name == "Id"
		cols = append(cols, obj{{"aggregate", false}, {"apexType", apex[f.kind]}, {"booleanType", f.kind == kBool},
			{"columnName", f.name}, {"custom", false}, {"displayName", f.name}, {"foreignKeyName", nil},
			{"insertable", false}, {"joinColumns", []obj{}}, {"numberType", f.kind == kInt},
			{"textType", f.kind == kString}, {"updatable", false}})
	}
	prefix := map[string]string{"User": "005", "Organization": "00D", "OauthToken": "0CR"}[q.object]
	return obj{{"columnMetadata", cols}, {"entityName", q.object}, {"groupBy", false}, {"idSelected", idSelected}, {"keyPrefix", prefix}}
}
