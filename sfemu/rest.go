package sfemu

import (
	"net/http"
	"regexp"
	"strings"
)

const latestVersion = "65.0"

// apiVersions is the /services/data/ list (Winter '26 = 65.0).
var apiVersions = []struct{ label, version string }{
	{"Spring '24", "60.0"}, {"Summer '24", "61.0"}, {"Winter '25", "62.0"},
	{"Spring '25", "63.0"}, {"Summer '25", "64.0"}, {"Winter '26", "65.0"},
}

func knownVersion(v string) bool {
	for _, x := range apiVersions {
		if x.version == v {
			return true
		}
	}
	return false
}

var versionPath = regexp.MustCompile(`^/services/data/v(\d+\.\d)(/.*)?$`)

// restAllowed: the api scope or full grants REST access (§6); the rest get the "not valid
// for use with the REST API" error (§5.1).
func restAllowed(s *session) bool { return hasScope(s.scopes, "api") || hasScope(s.scopes, "full") }

// handleREST is a small REST surface: /services/data/ (versions), /services/data/vNN.N/
// (resources), /services/data/vNN.N/limits, and sobjects/User/{id}. Every call with an
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
		for _, v := range apiVersions {
			list = append(list, obj{{"label", v.label}, {"url", "/services/data/v" + v.version}, {"version", v.version}})
		}
		writeJSON(w, http.StatusOK, list)
		return
	}
	m := versionPath.FindStringSubmatch(path)
	if m == nil || !knownVersion(m[1]) {
		writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
		return
	}
	s := e.sessionForREST(w, tok)
	if s == nil {
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
	case strings.HasPrefix(rest, "sobjects/User/"):
		id := strings.TrimPrefix(rest, "sobjects/User/")
		u := s.user
		if id != u.ID && id != u.ID[:15] {
			if other := e.org.userByID(id); other != nil {
				u = other
			} else {
				writeRESTError(w, http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
				return
			}
		}
		writeJSON(w, http.StatusOK, obj{
			{"attributes", obj{{"type", "User"}, {"url", base + "/sobjects/User/" + u.ID}}},
			{"Id", u.ID}, {"Username", u.Username}, {"FirstName", u.FirstName}, {"LastName", u.LastName},
			{"Email", u.Email}, {"IsActive", !u.Inactive}, {"ProfileName", u.Profile},
		})
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
