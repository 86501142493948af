package sfemu

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (v *env) singleAccess(method, tok, redirect string) resp {
	v.t.Helper()
	target := v.e.MyDomainURL + "/services/oauth2/singleaccess"
	var req *http.Request
	if method == http.MethodPost {
		form := url.Values{}
		if redirect != "" {
			form.Set("redirect_uri", redirect)
		}
		req, _ = http.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		if redirect != "" {
			target += "?redirect_uri=" + url.QueryEscape(redirect)
		}
		req, _ = http.NewRequest(method, target, nil)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return do(v.t, plain, req)
}

// TestFrontdoor: singleaccess mints a single-use, short-lived otp; frontdoor.jsp turns it
// (or a sid) into a UI session cookie and lands on the start page or /home/home.jsp (§15.4).
func TestFrontdoor(t *testing.T) {
	v := newEnv(t, nil)
	tok := str(v.password(v.user(DemoUser)).m, "access_token")

	r := v.singleAccess(http.MethodGet, tok, "/lightning/setup/SetupOneHome/home")
	fd := str(r.m, "frontdoor_uri")
	if r.status != 200 || len(r.m) != 1 || !strings.HasPrefix(fd, v.e.MyDomainURL+"/secur/frontdoor.jsp?otp=") ||
		!strings.HasSuffix(fd, "&startURL=%2Flightning%2Fsetup%2FSetupOneHome%2Fhome") {
		t.Fatalf("singleaccess: %d %s", r.status, r.body)
	}
	c := browser(t)
	req, _ := http.NewRequest(http.MethodGet, fd, nil)
	land := do(t, c, req)
	if land.status != 302 || land.loc != "/lightning/setup/SetupOneHome/home" {
		t.Fatalf("frontdoor: %d %q %s", land.status, land.loc, land.body)
	}
	req, _ = http.NewRequest(http.MethodGet, fd, nil)
	res, err := plain.Do(req) // the otp is single use
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("otp reused: %d", res.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, v.e.MyDomainURL+"/home/home.jsp", nil)
	home := do(t, c, req)
	if home.status != 200 || !strings.Contains(home.body, `<p id="user">Logged in as `+DemoUser+`</p>`) {
		t.Errorf("home: %d %s", home.status, home.body)
	}
	req, _ = http.NewRequest(http.MethodGet, v.e.MyDomainURL+"/home/home.jsp", nil)
	if r := do(t, plain, req); r.status != 401 {
		t.Errorf("home without a session: %d", r.status)
	}

	// POST, no start page: the cookie is HttpOnly and the landing is the home page.
	r = v.singleAccess(http.MethodPost, tok, "")
	fd = str(r.m, "frontdoor_uri")
	if r.status != 200 || strings.Contains(fd, "startURL") {
		t.Fatalf("POST singleaccess: %d %s", r.status, r.body)
	}
	res, err = plain.Get(fd)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookies := res.Cookies()
	if res.StatusCode != 302 || res.Header.Get("Location") != "/home/home.jsp" || len(cookies) != 1 || cookies[0].Name != "sid" || !cookies[0].HttpOnly {
		t.Errorf("frontdoor landing: %d %q %v", res.StatusCode, res.Header.Get("Location"), cookies)
	}

	// The token as an access_token form or query parameter, as many integrations send it.
	req, _ = http.NewRequest(http.MethodPost, v.e.MyDomainURL+"/services/oauth2/singleaccess",
		strings.NewReader(url.Values{"access_token": {tok}, "redirect_uri": {"/lightning/page/home"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := do(t, plain, req); r.status != 200 || !strings.HasSuffix(str(r.m, "frontdoor_uri"), "&startURL=%2Flightning%2Fpage%2Fhome") {
		t.Errorf("access_token form parameter: %d %s", r.status, r.body)
	}
	// An access token in the URL query string is blocked (Spring '25).
	req, _ = http.NewRequest(http.MethodGet, v.e.MyDomainURL+"/services/oauth2/singleaccess?access_token="+url.QueryEscape(tok), nil)
	if r := do(t, plain, req); r.status != 403 {
		t.Errorf("access_token in the query string: %d %s", r.status, r.body)
	}
	// Salesforce's own examples write the start page without a leading slash; the login
	// host answers too.
	req, _ = http.NewRequest(http.MethodGet, v.e.LoginURL+"/services/oauth2/singleaccess?redirect_uri=lightning/setup/ManageUsers/home", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	r = do(t, plain, req)
	if fd := str(r.m, "frontdoor_uri"); r.status != 200 || !strings.HasPrefix(fd, v.e.MyDomainURL+"/secur/frontdoor.jsp?otp=") ||
		!strings.HasSuffix(fd, "&startURL=lightning%2Fsetup%2FManageUsers%2Fhome") {
		t.Errorf("relative start page without a slash: %d %s", r.status, r.body)
	} else if res, err := plain.Get(fd); err != nil || res.StatusCode != 302 || res.Header.Get("Location") != "/lightning/setup/ManageUsers/home" {
		t.Errorf("landing: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	// The otp is short-lived (60 s by default).
	fd = str(v.singleAccess(http.MethodGet, tok, "").m, "frontdoor_uri")
	v.clk.Advance(61 * time.Second)
	if res, err := plain.Get(fd); err != nil || res.StatusCode != 401 {
		t.Errorf("expired otp: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	// The Mobile SDK's sid= form with retURL; an absolute retURL is ignored.
	for retURL, want := range map[string]string{"/apex/Page": "/apex/Page", "https://evil.example/": "/home/home.jsp", "//evil.example": "/home/home.jsp"} {
		res, err := plain.Get(v.e.MyDomainURL + "/secur/frontdoor.jsp?sid=" + url.QueryEscape(tok) + "&retURL=" + url.QueryEscape(retURL))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 302 || res.Header.Get("Location") != want {
			t.Errorf("sid with retURL %s: %d %q", retURL, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res, err := plain.Get(v.e.MyDomainURL + "/secur/frontdoor.jsp?sid=00Dnope!x"); err != nil || res.StatusCode != 401 {
		t.Errorf("bad sid: %v %v", res, err)
	} else {
		res.Body.Close()
	}

	// Errors: a start page that is not a relative path; unknown or expired tokens get 403.
	for _, bad := range []string{"https://evil.example/", "//evil.example/x", "/\\evil", "javascript:alert(1)", "mailto:x@example.com"} {
		if r := v.singleAccess(http.MethodGet, tok, bad); r.status != 400 || str(r.m, "error") != "invalid_request" {
			t.Errorf("redirect_uri %q: %d %s", bad, r.status, r.body)
		}
	}
	if r := v.singleAccess(http.MethodGet, "00Dnope!x", ""); r.status != 403 || r.body != "Bad_OAuth_Token" {
		t.Errorf("unknown token: %d %s", r.status, r.body)
	}
	if r := v.singleAccess(http.MethodGet, "", ""); r.status != 403 {
		t.Errorf("no token: %d %s", r.status, r.body)
	}
	v.clk.Advance(3 * time.Hour) // past the 120-minute session timeout
	if r := v.singleAccess(http.MethodGet, tok, ""); r.status != 403 || r.body != "Bad_OAuth_Token" {
		t.Errorf("expired token: %d %s", r.status, r.body)
	}
	if r := v.singleAccess(http.MethodPut, tok, ""); r.status != 405 {
		t.Errorf("PUT: %d", r.status)
	}

	// API-only users are refused (Spring '26).
	cc := v.postForm(v.e.MyDomainURL, "/services/oauth2/token", url.Values{"grant_type": {"client_credentials"},
		"client_id": {DemoIntegrationAppKey}, "client_secret": {"IntegrationAppDemoSecret0003"}})
	wantOK(t, cc)
	if r := v.singleAccess(http.MethodGet, str(cc.m, "access_token"), ""); r.status != 403 {
		t.Errorf("API-only user: %d %s", r.status, r.body)
	}
	if res, err := plain.Get(v.e.MyDomainURL + "/secur/frontdoor.jsp?sid=" + url.QueryEscape(str(cc.m, "access_token"))); err != nil || res.StatusCode != 401 {
		t.Errorf("API-only sid: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}

// FuzzRelativePath: a start page is either refused or a path on this host: it starts with
// one "/", has no scheme, host or backslash, and a browser resolves it to this origin.
func FuzzRelativePath(f *testing.F) {
	for _, s := range []string{"/lightning/page/home", "lightning/setup/ManageUsers/home", "//evil.example", "/\\evil", "https://evil.example",
		"javascript:alert(1)", "/%2F%2Fevil", "\t//evil", "/a?b=//c", "", "%", "/\x7f"} {
		f.Add(s)
	}
	base, _ := url.Parse("http://127.0.0.1:1717/x/y")
	f.Fuzz(func(t *testing.T, p string) {
		got := relativePath(p)
		if got == "" {
			return
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.Contains(got, "\\") {
			t.Fatalf("%q -> %q", p, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("%q -> %q: %v", p, got, err)
		}
		if r := base.ResolveReference(u); r.Host != base.Host || r.Scheme != "http" {
			t.Fatalf("%q -> %q resolves to %s", p, got, r)
		}
	})
}
