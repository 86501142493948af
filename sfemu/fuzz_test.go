package sfemu

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzTokenRequest feeds arbitrary requests to the token endpoint's parsing: it must never
// answer 500 (a recovered panic) and every JSON body must be valid JSON.
func FuzzTokenRequest(f *testing.F) {
	seeds := []struct {
		method, ctype, body, auth string
		myDomain                  bool
	}{
		{"POST", "application/x-www-form-urlencoded", "grant_type=password&client_id=" + DemoWebAppKey + "&client_secret=WebAppDemoSecret0001&username=" + DemoUser + "&password=Demo-Pass-1DEMOTOKEN1", "", false},
		{"POST", "application/x-www-form-urlencoded", "grant_type=client_credentials", "Basic " + basic(DemoIntegrationAppKey, "IntegrationAppDemoSecret0003"), true},
		{"POST", "application/x-www-form-urlencoded", "grant_type=authorization_code&code=aPrx%3D%3D&client_id=" + DemoWebAppKey, "", false},
		{"POST", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=5Aep&client_id=" + DemoECAKey + "&format=xml", "", false},
		{"POST", "application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=e30.e30.", "", false},
		{"POST", "application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Asaml2-bearer&assertion=PGE%2B", "", false},
		{"POST", "application/x-www-form-urlencoded", "response_type=device_code&client_id=" + DemoDeviceAppKey + "&format=urlencoded", "", false},
		{"POST", "application/x-www-form-urlencoded", "grant_type=device&client_id=" + DemoDeviceAppKey + "&code=%ZZ", "", false},
		{"POST", "application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token_type=x", "", false},
		{"POST", "multipart/form-data; boundary=XX", "--XX\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\npassword\r\n--XX--\r\n", "", false},
		{"POST", "multipart/form-data", "garbage", "", false},
		{"POST", "application/json", `{"grant_type":"password"}`, "", false},
		{"POST", "", "", "Basic !!!", false},
		{"GET", "", "", "", false},
		{"POST", "application/x-www-form-urlencoded; charset=\"", "a=%", "Bearer x", true},
	}
	for _, s := range seeds {
		f.Add(s.method, s.ctype, s.body, s.auth, s.myDomain)
	}
	clk := NewFakeClock(t0)
	e, err := Start(testOrg(), "127.0.0.1:0", Options{Clock: clk})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { e.Close() })
	h := e.Handler()
	f.Fuzz(func(t *testing.T, method, ctype, body, auth string, myDomain bool) {
		if method != "GET" && method != "POST" && method != "PUT" {
			method = "POST"
		}
		base := e.LoginURL
		if myDomain {
			base = e.MyDomainURL
		}
		req := httptest.NewRequest(method, base+"/services/oauth2/token", strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		clk.Advance(time.Second)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("500 for %q %q %q: %s", method, ctype, body, rec.Body)
		}
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 401 && rec.Code != 413 {
			t.Fatalf("status %d for %q %q %q", rec.Code, method, ctype, body)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("invalid JSON body: %s", rec.Body)
		}
	})
}

func basic(u, p string) string {
	r := httptest.NewRequest("GET", "/", nil)
	r.SetBasicAuth(u, p)
	return r.Header.Get("Authorization")
}
