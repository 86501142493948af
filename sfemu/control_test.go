package sfemu

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestControlEndpoint(t *testing.T) {
	v := newEnv(t, nil)
	r := v.rest(v.e.LoginURL, "/_sfemu/clock", "")
	if r.status != 200 || r.body != `{"now":"2026-03-02T09:00:00Z"}` {
		t.Fatalf("GET clock: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/_sfemu/clock/advance?by=2h", nil)
	r = do(t, plain, req)
	if r.status != 200 || r.body != `{"now":"2026-03-02T11:00:00Z"}` || !v.clk.Now().Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("advance: %d %s (fake clock %v)", r.status, r.body, v.clk.Now())
	}
	for _, bad := range []string{"by=soon", "by=-1h", ""} {
		req, _ := http.NewRequest(http.MethodPost, v.e.LoginURL+"/_sfemu/clock/advance?"+bad, nil)
		if r := do(t, plain, req); r.status != 400 {
			t.Errorf("advance?%s: %d %s", bad, r.status, r.body)
		}
	}
	// A non-loopback caller is refused.
	rec := newRecorder()
	req = mustReq(http.MethodPost, "/_sfemu/clock/advance?by=1h", "")
	req.RemoteAddr = "192.0.2.7:5555"
	v.e.Handler().ServeHTTP(rec, req)
	if rec.Code != 403 || !v.clk.Now().Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("non-loopback: %d, clock %v", rec.Code, v.clk.Now())
	}
}

// The control endpoint is off by default; with a real clock it moves an offset clock.
func TestControlRealClockAndDisabled(t *testing.T) {
	off, err := Start(Demo(), "127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	req, _ := http.NewRequest(http.MethodGet, off.LoginURL+"/_sfemu/clock", nil)
	if r := do(t, plain, req); r.status != 404 {
		t.Errorf("control without EnableControl: %d", r.status)
	}

	on, err := Start(Demo(), "127.0.0.1:0", Options{EnableControl: true})
	if err != nil {
		t.Fatal(err)
	}
	defer on.Close()
	req, _ = http.NewRequest(http.MethodPost, on.LoginURL+"/_sfemu/clock/advance?by=48h", nil)
	r := do(t, plain, req)
	var got struct{ Now time.Time }
	json.Unmarshal([]byte(r.body), &got)
	if d := got.Now.Sub(time.Now()); r.status != 200 || d < 47*time.Hour || d > 49*time.Hour {
		t.Fatalf("real clock advance: %d %s", r.status, r.body)
	}
	if d := on.Clock().Now().Sub(time.Now()); d < 47*time.Hour {
		t.Errorf("Clock() not advanced: %v", d)
	}
}

func TestFakeClockConcurrent(t *testing.T) {
	c := NewFakeClock(t0)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				c.Advance(time.Second)
				_ = c.Now()
			}
		}()
	}
	wg.Wait()
	if !c.Now().Equal(t0.Add(800 * time.Second)) {
		t.Fatalf("clock %v", c.Now())
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Fatal("Set")
	}
}

// LoadOrg round-trips the demo org through JSON and reports problems in one line.
func TestLoadOrg(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, v any) string {
		b, _ := json.Marshal(v)
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	o, err := LoadOrg(write("demo.json", Demo()))
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != Demo().ID || len(o.Apps) != 8 || o.Apps[2].CertificatePEM == "" || *o.Apps[4].RequirePKCE != true {
		t.Fatalf("round trip lost data: %+v", o.Apps[2].Name)
	}
	e, err := Start(o, "127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.Close()

	bad := func(mod func(o *Org)) *Org { o := Demo(); mod(o); return o }
	rows := []struct {
		name string
		path string
		want string
	}{
		{"missing file", filepath.Join(dir, "nope.json"), "nope.json"},
		{"not JSON", write("x.json", "{"), "x.json"},
		{"bad kind", write("k.json", bad(func(o *Org) { o.Apps[0].Kind = "Bogus" })), `apps[0] "Web App": kind "Bogus"`},
		{"bad refresh policy", write("p.json", bad(func(o *Org) { o.Apps[1].RefreshTokenPolicy = "forever" })), "refresh_token_policy"},
		{"bad org id", write("i.json", bad(func(o *Org) { o.ID = "001abc" })), "id:"},
		{"bad checksum", write("c.json", bad(func(o *Org) { o.ID = o.ID[:15] + "AAA" })), "checksum"},
		{"unknown run-as user", write("u.json", bad(func(o *Org) { o.Apps[2].ClientCredentialsUser = "ghost@x" })), "client_credentials_user"},
		{"bad certificate", write("cert.json", bad(func(o *Org) { o.Apps[2].CertificatePEM = "junk" })), "certificate_pem"},
		{"duplicate key", write("d.json", bad(func(o *Org) { o.Apps[1].ConsumerKey = o.Apps[0].ConsumerKey })), "duplicate consumer_key"},
		{"unknown field", filepath.Join(dir, "f.json"), "unknown field"},
	}
	os.WriteFile(filepath.Join(dir, "f.json"), []byte(`{"id":"00D5g00000CALab","colour":"red"}`), 0o600)
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			_, err := LoadOrg(row.path)
			if err == nil || !strings.Contains(err.Error(), row.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err %v; want one line mentioning %q", err, row.want)
			}
		})
	}
	// A 15-character Id is extended.
	o2, err := LoadOrg(write("15.json", bad(func(o *Org) { o.ID = o.ID[:15] })))
	if err != nil || o2.ID != Demo().ID {
		t.Fatalf("15-char id: %v %v", err, o2)
	}
}

// Demo returns a fresh copy; Describe lists what learners need.
func TestDemoAndDescribe(t *testing.T) {
	a, b := Demo(), Demo()
	a.Apps[0].Scopes[0] = "changed"
	if b.Apps[0].Scopes[0] == "changed" || Demo().Apps[0].Scopes[0] != "api" {
		t.Fatal("Demo shares state between calls")
	}
	e, err := Start(Demo(), "127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	d := e.Describe()
	if d.BaseURL != e.LoginURL || d.MyDomainURL != e.MyDomainURL || d.BaseURL == d.MyDomainURL || len(d.Users) != 5 || len(d.Notes) == 0 {
		t.Fatalf("describe: %+v", d)
	}
	if d.Users[0].Username != DemoUser || d.Users[0].SessionTimeoutMinutes != 120 || d.Users[1].SessionTimeoutMinutes != 30 {
		t.Errorf("users: %+v", d.Users)
	}
	want := map[string]string{
		"Web App":         "web-server web-server-pkce user-agent username-password refresh",
		"Mobile App":      "web-server web-server-pkce user-agent username-password",
		"Integration App": "web-server web-server-pkce user-agent username-password refresh jwt-bearer client-credentials saml-bearer",
		// An External Client App with a localhost callback: PKCE required, no
		// username-password, and the device flow still offered after 2026-11-30 (§15.8).
		"Device App":     "web-server-pkce user-agent refresh device",
		"Approvals App":  "web-server web-server-pkce user-agent username-password refresh",
		"Salesforce CLI": "web-server web-server-pkce user-agent username-password refresh",
		"ECA PKCE":       "web-server-pkce user-agent refresh",
		// Client credentials are on but have no Run As user, so the flow is not offered.
		"Misconfigured App": "web-server web-server-pkce user-agent username-password",
	}
	apiNames := map[string]string{"Web App": "Web_App", "Mobile App": "Mobile_App", "Integration App": "Integration_App",
		"Device App": "Device_App", "ECA PKCE": "ECA_PKCE", "Misconfigured App": "Misconfigured_App", "Approvals App": "Approvals_App", "Salesforce CLI": "Salesforce_CLI"}
	if len(d.Apps) != len(want) {
		t.Errorf("%d apps, want %d", len(d.Apps), len(want))
	}
	for _, app := range d.Apps {
		if app.APIName != apiNames[app.Name] {
			t.Errorf("%s api_name %q, want %q", app.Name, app.APIName, apiNames[app.Name])
		}
		if got := strings.Join(app.Flows, " "); got != want[app.Name] {
			t.Errorf("%s flows %q, want %q", app.Name, got, want[app.Name])
		}
		if app.Name == "Integration App" && (!strings.Contains(app.JWTPrivateKey, "PRIVATE KEY") || app.JWTUsername != DemoUser) {
			t.Errorf("Integration App lacks the JWT key/username")
		}
	}
	js, _ := json.Marshal(d)
	for _, k := range []string{`"base_url"`, `"my_domain_url"`, `"security_token"`, `"client_id"`, `"callback_urls"`, `"jwt_private_key"`, `"notes"`, `"api_name"`} {
		if !strings.Contains(string(js), k) {
			t.Errorf("Description JSON lacks %s", k)
		}
	}
	if !strings.Contains(strings.Join(d.Notes, " "), "February 20, 2027") {
		t.Error("notes lack the username-password retirement")
	}
}

// LoadOrg reads at most MaxOrgFile bytes: a valid org padded to the cap loads, one byte more
// is a one-line error naming the file and the limit (the file is not read into memory whole),
// and a directory is refused the same way.
func TestLoadOrgRefusesOversizeFile(t *testing.T) {
	dir := t.TempDir()
	b, err := json.Marshal(Demo())
	if err != nil {
		t.Fatal(err)
	}
	padded := func(name string, size int) string {
		p := filepath.Join(dir, name)
		body := append(append([]byte{}, b...), bytes.Repeat([]byte(" "), size-len(b))...)
		if err := os.WriteFile(p, body, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := LoadOrg(padded("at-cap.json", MaxOrgFile)); err != nil {
		t.Fatalf("an org file of exactly MaxOrgFile bytes: %v", err)
	}
	big := padded("big.json", MaxOrgFile+1)
	_, err = LoadOrg(big)
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), big) || !strings.Contains(err.Error(), "4 MiB limit") {
		t.Fatalf("oversize org file: %v; want one line naming %s and the 4 MiB limit", err, big)
	}
	if _, err := LoadOrg(dir); err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("a directory as the org file: %v", err)
	}
}
