package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/store"
)

// diagOrg is a running emulated org with a fake clock, a test keychain and a profiles folder
// holding an admin profile (username-password as the demo admin).
type diagOrg struct {
	t   *testing.T
	e   *sfemutest.Org
	clk *sfemu.FakeClock
	kc  store.Keychain
	dir string
}

const diagCallback = "http://localhost:1717/OauthRedirect"

func startDiagOrg(t *testing.T, org *sfemu.Org, start time.Time) *diagOrg {
	t.Helper()
	e := sfemutest.Start(t, sfemutest.WithOrg(org), sfemutest.FakeClock(start))
	o := &diagOrg{t: t, e: e, clk: e.FakeClock, kc: profilesTestKeychain(t), dir: t.TempDir()}
	web := o.app(sfemu.DemoWebAppKey)
	r := runProfiles(t, o.dir, web.ClientSecret+"\nAdmin-Pass-1\nADMINTOKEN1\n", "add", "Admin", "--login-url", e.LoginURL,
		"--client-id", web.ClientID, "--flow", "username-password", "--username", sfemu.DemoAdminUser,
		"--client-secret-stdin", "--password-stdin", "--security-token-stdin")
	if r.code != 0 {
		t.Fatalf("add admin profile: %+v", r)
	}
	return o
}

func (o *diagOrg) app(key string) sfemu.DescribedApp { return o.e.App(o.t, key) }

// addUserProfile adds the profile whose refresh token will fail, with rt in the keychain.
func (o *diagOrg) addUserProfile(name, key, kind, rt string) {
	o.t.Helper()
	a := o.app(key)
	args := []string{"add", name, "--login-url", o.e.LoginURL, "--client-id", a.ClientID, "--callback-url", diagCallback,
		"--flow", "web-server-pkce", "--username", sfemu.DemoUser, "--kind", kind, "--remember-refresh-token"}
	stdin := ""
	if a.ClientSecret != "" {
		args, stdin = append(args, "--client-secret-stdin"), a.ClientSecret+"\n"
	}
	if r := runProfiles(o.t, o.dir, stdin, args...); r.code != 0 {
		o.t.Fatalf("add profile: %+v", r)
	}
	st, p := o.stored(name)
	// Stored by hand (as `profiles add` does): the profile has no date for it.
	if err := st.SetSecrets(p, store.Secrets{RefreshToken: rt}); err != nil {
		o.t.Fatalf("store the refresh token: %v", err)
	}
}

// stored returns the test's profiles folder and the profile name in it.
func (o *diagOrg) stored(name string) (*store.Store, store.Profile) {
	o.t.Helper()
	return storedProfile(o.t, o.dir, o.kc, name)
}

var diagClient = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

var diagTxRe = regexp.MustCompile(`name="tx" value="([^"]+)"`)

// login runs the web server flow with PKCE for the demo user the way a browser does (login
// page, Allow) and returns the token response.
func (o *diagOrg) login(key string) map[string]any {
	t := o.t
	t.Helper()
	a := o.app(key)
	vb := make([]byte, 48)
	rand.Read(vb)
	verifier := base64.RawURLEncoding.EncodeToString(vb)
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {diagCallback}, "state": {"s1"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}, "code_challenge_method": {"S256"}}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: diagClient.CheckRedirect}
	res, err := c.Get(o.e.LoginURL + "/services/oauth2/authorize?" + q.Encode())
	for i := 0; ; i++ {
		if err != nil || i > 4 {
			t.Fatalf("authorize: %v (step %d)", err, i)
		}
		body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
		res.Body.Close()
		if res.StatusCode == http.StatusFound {
			break
		}
		m := diagTxRe.FindSubmatch(body)
		if m == nil {
			t.Fatalf("page %d without a form:\n%s", res.StatusCode, body)
		}
		form := url.Values{"tx": {string(m[1])}}
		path := "/login"
		if bytes.Contains(body, []byte(`id="approve"`)) {
			form.Set("action", "approve")
			path = "/setup/secur/RemoteAccessAuthorizationPage.apexp"
		} else {
			form.Set("username", sfemu.DemoUser)
			form.Set("password", "Demo-Pass-1")
		}
		res, err = c.PostForm(o.e.LoginURL+path, form)
	}
	loc, _ := url.Parse(res.Header.Get("Location"))
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("callback without a code: %s", res.Header.Get("Location"))
	}
	f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {a.ClientID}, "redirect_uri": {diagCallback}, "code_verifier": {verifier}}
	if a.ClientSecret != "" {
		f.Set("client_secret", a.ClientSecret)
	}
	return o.token(f, 200)
}

func (o *diagOrg) token(f url.Values, want int) map[string]any {
	o.t.Helper()
	res, err := diagClient.PostForm(o.e.LoginURL+"/services/oauth2/token", f)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&m)
	if res.StatusCode != want {
		o.t.Fatalf("token endpoint: %d %v, want %d", res.StatusCode, m, want)
	}
	return m
}

func (o *diagOrg) refresh(key, rt string, want int) map[string]any {
	o.t.Helper()
	a := o.app(key)
	f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {a.ClientID}}
	if a.ClientSecret != "" {
		f.Set("client_secret", a.ClientSecret)
	}
	return o.token(f, want)
}

// deleteTokens reads every OauthToken DeleteToken as the admin (to check none is printed).
func (o *diagOrg) deleteTokens() []string {
	o.t.Helper()
	tok := o.e.PasswordToken(o.t, sfemu.DemoWebAppKey, sfemu.DemoAdminUser)
	req, _ := http.NewRequest(http.MethodGet, tok.InstanceURL+"/services/data/v62.0/query?q="+
		url.QueryEscape("SELECT Id, DeleteToken FROM OauthToken"), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	res, err := diagClient.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	defer res.Body.Close()
	var q struct {
		Records []struct{ DeleteToken string } `json:"records"`
	}
	json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&q)
	var out []string
	for _, r := range q.Records {
		out = append(out, r.DeleteToken)
	}
	return out
}

func (o *diagOrg) diagnose(args ...string) (int, string, string) {
	o.t.Helper()
	var out, errb bytes.Buffer
	full := append(append([]string{"diagnose"}, args...), "--config-dir", o.dir)
	code := Main(context.Background(), full, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

type diagOut struct {
	Refresh   string `json:"refresh"`
	Diagnosed bool   `json:"diagnosed"`
	Diagnosis struct {
		Found []struct {
			ID        string `json:"id"`
			Verdict   string `json:"verdict"`
			Why       string `json:"why"`
			SetupPath string `json:"setup_path"`
		} `json:"found"`
		RuledOut []struct{ ID string } `json:"ruled_out"`
		Open     []struct{ ID string } `json:"could_not_rule_out"`
		Summary  string                `json:"summary"`
		Budget   *diagBudget           `json:"approvals"`
	} `json:"diagnosis"`
	Approvals *diagBudget `json:"approvals"`
	Revoked   *struct {
		ID string `json:"id"`
	} `json:"revoked"`
	ObtainedAt *struct {
		At   *time.Time `json:"at"`
		From string     `json:"from"`
	} `json:"obtained_at"`
}

type diagBudget struct {
	Count   int    `json:"count"`
	Message string `json:"message"`
}

func decodeDiag(t *testing.T, out string) diagOut {
	t.Helper()
	var d diagOut
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return d
}

func ids(cs []struct{ ID string }) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.ID)
	}
	return strings.Join(s, ",")
}

// noSecrets fails when a token, password or secret of the run appears in the output.
func noSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, "Admin-Pass-1", "ADMINTOKEN1", "Demo-Pass-1") {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("output shows a secret (%.6s…)", s)
		}
	}
}

// Six logins of the same user to the same app: the sixth approval revokes the oldest, whose
// refresh token then fails; diagnose refresh finds the approval limit with certainty from
// the OauthToken records (the oldest approval gone, five newer present).
func TestDiagnoseRefreshFindsTheApprovalLimit(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Add(-time.Hour).Truncate(time.Second))
	var rts []string
	var obtained time.Time
	for i := 0; i < 6; i++ {
		rts = append(rts, o.login(sfemu.DemoApprovalsAppKey)["refresh_token"].(string))
		if i == 0 {
			obtained = o.clk.Now()
		}
		o.clk.Advance(time.Minute)
	}
	o.refresh(sfemu.DemoApprovalsAppKey, rts[0], 400)
	o.addUserProfile("User", sfemu.DemoApprovalsAppKey, "connected-app", rts[0])

	code, out, errOut := o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "Approvals_App",
		"--obtained-at", obtained.UTC().Format(time.RFC3339), "--json")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (diagnosed)\n%s\n%s", code, out, errOut)
	}
	d := decodeDiag(t, out)
	if d.Refresh != "failed" || !d.Diagnosed || len(d.Diagnosis.Found) != 1 || d.Diagnosis.Found[0].ID != "approval-limit" {
		t.Fatalf("found %+v, want only approval-limit\n%s", d.Diagnosis.Found, out)
	}
	if f := d.Diagnosis.Found[0]; !strings.Contains(f.Why, "5 newer approvals") || !strings.Contains(f.SetupPath, "OAuth Connected Apps") {
		t.Errorf("finding: %+v", f)
	}
	for _, id := range []string{"user-inactive", "revoked", "policy-lifetime", "idle-30-days", "rotation-reuse", "app-uninstalled"} {
		if !strings.Contains(","+ids(d.Diagnosis.RuledOut)+",", ","+id+",") {
			t.Errorf("%s not ruled out; ruled out: %s; open: %s", id, ids(d.Diagnosis.RuledOut), ids(d.Diagnosis.Open))
		}
	}
	if b := d.Diagnosis.Budget; b == nil || b.Count != 5 || !strings.Contains(b.Message, "approval 6 of 5") {
		t.Errorf("approvals: %+v", b)
	}
	noSecrets(t, out+errOut, rts...)

	// The same in words.
	code, out, errOut = o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "Approvals_App",
		"--obtained-at", obtained.UTC().Format(time.RFC3339))
	t.Logf("text output:\n%s", out)
	if code != 0 || !strings.Contains(out, "Found: A sixth approval revoked this one") || !strings.Contains(out, "Ruled out:") {
		t.Errorf("text output (exit %d):\n%s\n%s", code, out, errOut)
	}
	noSecrets(t, out+errOut, rts...)

	// Without --obtained-at the limit is named but not certain: exit 1, could not rule out.
	code, out, _ = o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "Approvals_App", "--json")
	d = decodeDiag(t, out)
	if code != 1 || d.Diagnosed || !strings.Contains(ids(d.Diagnosis.Open), "approval-limit") {
		t.Errorf("without --obtained-at: exit %d, open %s", code, ids(d.Diagnosis.Open))
	}
}

// diagnose approvals says the next login is the sixth, and --revoke-stale revokes the least
// recently used approval by its DeleteToken: its refresh token dies, the others live.
func TestDiagnoseApprovalsRevokesTheStaleOne(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Add(-time.Hour).Truncate(time.Second))
	var rts []string
	for i := 0; i < 5; i++ {
		rts = append(rts, o.login(sfemu.DemoApprovalsAppKey)["refresh_token"].(string))
		o.clk.Advance(time.Minute)
	}
	// Use all but the second, so the second is the least recently used (not the oldest).
	for i, rt := range rts {
		if i != 1 {
			o.refresh(sfemu.DemoApprovalsAppKey, rt, 200)
		}
	}
	o.addUserProfile("User", sfemu.DemoApprovalsAppKey, "connected-app", rts[0])
	deleteTokens := o.deleteTokens()
	if len(deleteTokens) != 5 {
		t.Fatalf("%d DeleteTokens, want 5", len(deleteTokens))
	}
	rts = append(rts, deleteTokens...)
	code, out, errOut := o.diagnose("approvals", "--profile", "User", "--admin-profile", "Admin", "--app", "Approvals_App")
	if code != 0 || !strings.Contains(out, "This will be approval 6 of 5 for this user and app") || !strings.Contains(out, "--revoke-stale") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = o.diagnose("approvals", "--profile", "User", "--admin-profile", "Admin", "--app", "Approvals_App", "--revoke-stale", "--json")
	d := decodeDiag(t, out)
	if code != 0 || d.Revoked == nil {
		t.Fatalf("revoke-stale: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecrets(t, out+errOut, rts...)
	noSecrets(t, out+errOut, rts...)
	o.refresh(sfemu.DemoApprovalsAppKey, rts[1], 400)
	for _, i := range []int{0, 2, 3, 4} {
		o.refresh(sfemu.DemoApprovalsAppKey, rts[i], 200)
	}
	code, out, _ = o.diagnose("approvals", "--profile", "User", "--admin-profile", "Admin", "--app", "Approvals_App", "--json")
	if d := decodeDiag(t, out); code != 0 || d.Approvals == nil || d.Approvals.Count != 4 {
		t.Errorf("after revoking: exit %d %s", code, out)
	}
}

// Rotation: reusing a rotated-out refresh token revokes the family. The diagnosis cannot be
// certain (a revoke looks the same) but keeps rotation reuse open and rules out the limit,
// the policy and the user.
func TestDiagnoseRefreshAfterRotationReuse(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Add(-time.Hour).Truncate(time.Second))
	rt1 := o.login(sfemu.DemoECAKey)["refresh_token"].(string)
	obtained := o.clk.Now()
	o.clk.Advance(time.Minute)
	rt2 := o.refresh(sfemu.DemoECAKey, rt1, 200)["refresh_token"].(string)
	o.clk.Advance(time.Minute)
	o.refresh(sfemu.DemoECAKey, rt1, 400) // the replay revokes the family
	o.addUserProfile("User", sfemu.DemoECAKey, "external-client-app", rt2)
	code, out, errOut := o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "ECA_PKCE",
		"--obtained-at", obtained.UTC().Format(time.RFC3339), "--json")
	d := decodeDiag(t, out)
	if code != 1 || d.Diagnosed {
		t.Fatalf("exit %d, want 1 (not certain)\n%s\n%s", code, out, errOut)
	}
	if open := ids(d.Diagnosis.Open); !strings.Contains(open, "rotation-reuse") || !strings.Contains(open, "revoked") {
		t.Errorf("open: %s", open)
	}
	for _, id := range []string{"approval-limit", "policy-lifetime", "idle-30-days", "user-inactive"} {
		if !strings.Contains(","+ids(d.Diagnosis.RuledOut)+",", ","+id+",") {
			t.Errorf("%s not ruled out: %s", id, ids(d.Diagnosis.RuledOut))
		}
	}
	noSecrets(t, out+errOut, rt1, rt2)
}

// Policy "expire refresh token after 1 hour": two hours later the token fails and the
// diagnosis finds the policy with certainty (read through the Metadata API).
func TestDiagnoseRefreshFindsPolicyExpiry(t *testing.T) {
	org := sfemu.Demo()
	for i := range org.Apps {
		if org.Apps[i].ConsumerKey == sfemu.DemoWebAppKey {
			org.Apps[i].RefreshTokenPolicy = "specific_lifetime:1:HOURS"
		}
	}
	o := startDiagOrg(t, org, time.Now().Add(-3*time.Hour).Truncate(time.Second))
	rt := o.login(sfemu.DemoWebAppKey)["refresh_token"].(string)
	obtained := o.clk.Now()
	o.clk.Advance(2 * time.Hour)
	o.addUserProfile("User", sfemu.DemoWebAppKey, "connected-app", rt)
	code, out, errOut := o.diagnose("refresh", "--profile", "User", "--admin-profile", "Admin", "--app", "Web_App",
		"--obtained-at", obtained.UTC().Format(time.RFC3339), "--json")
	d := decodeDiag(t, out)
	if code != 0 || len(d.Diagnosis.Found) != 1 || d.Diagnosis.Found[0].ID != "policy-lifetime" {
		t.Fatalf("exit %d, found %+v\n%s\n%s", code, d.Diagnosis.Found, out, errOut)
	}
	if !strings.Contains(d.Diagnosis.Found[0].SetupPath, "Refresh Token Policy") {
		t.Errorf("setup path: %q", d.Diagnosis.Found[0].SetupPath)
	}
	noSecrets(t, out+errOut, rt)
}

// A working token is reported as working (exit 0) and, with rotation, the new refresh token
// replaces the old one in the keychain at once.
func TestDiagnoseRefreshWorkingTokenKeepsTheRotatedOne(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Add(-time.Hour).Truncate(time.Second))
	rt := o.login(sfemu.DemoECAKey)["refresh_token"].(string)
	o.addUserProfile("User", sfemu.DemoECAKey, "external-client-app", rt)
	code, out, errOut := o.diagnose("refresh", "--profile", "User")
	if code != 0 || !strings.Contains(out, "The refresh token works") || !strings.Contains(out, "replaced the old one in the keychain") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
	noSecrets(t, out+errOut, rt)
	// The stored token is the new one: a second diagnose works again.
	if code, out, errOut = o.diagnose("refresh", "--profile", "User"); code != 0 {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errOut)
	}
}

// diagnose opens the profile store once: the failing profile, the admin profile and the
// rotated refresh token it saves all go through one opening.
func TestDiagnoseOpensTheStoreOnce(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Add(-time.Hour).Truncate(time.Second))
	rt := o.login(sfemu.DemoECAKey)["refresh_token"].(string)
	o.addUserProfile("User", sfemu.DemoECAKey, "external-client-app", rt)
	opens, kc := 0, profilesKeychain
	profilesKeychain = func() store.Keychain { opens++; return kc() }
	defer func() { profilesKeychain = kc }()
	// A working token with rotation: the profile is read and the new refresh token saved.
	code, out, errOut := o.diagnose("refresh", "--profile", "User")
	if code != 0 || !strings.Contains(out, "replaced the old one in the keychain") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errOut)
	}
	if opens != 1 {
		t.Errorf("diagnose refresh (rotated token saved) opened the store %d times, want once", opens)
	}
	// The user's profile and the admin's.
	opens = 0
	code, out, errOut = o.diagnose("approvals", "--profile", "User", "--admin-profile", "Admin", "--app", "ECA_PKCE")
	if code != 0 {
		t.Fatalf("approvals: exit %d:\n%s\n%s", code, out, errOut)
	}
	if opens != 1 {
		t.Errorf("diagnose approvals --admin-profile opened the store %d times, want once", opens)
	}
}

func TestDiagnoseUsageErrors(t *testing.T) {
	profilesTestKeychain(t)
	dir := t.TempDir()
	for _, args := range [][]string{
		{},
		{"nope"},
		{"refresh"},
		{"refresh", "--profile", "P", "extra"},
		{"refresh", "--profile", "P", "--obtained-at", "yesterday"},
		{"refresh", "--profile", "P", "--error-description", "x"},
		{"refresh", "--profile", "P", "--admin-token-stdin"},
		{"approvals", "--profile", "P"},
		{"refresh", "--profile", "missing", "--error", "invalid_grant"},
	} {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append(append([]string{"diagnose"}, args...), "--config-dir", dir),
			&Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		if len(args) == 0 {
			code = Main(context.Background(), []string{"diagnose"}, &Env{Stdout: &out, Stderr: &errb})
		}
		if code != 2 {
			t.Errorf("%v: exit %d, want 2; stderr %s", args, code, errb.String())
		}
		if lines := strings.Split(strings.TrimSpace(errb.String()), "\n"); len(args) > 1 && args[1] != "" && len(lines) > 1 && !strings.HasPrefix(args[0], "nope") {
			if !strings.HasPrefix(lines[len(lines)-1], "diagnose") && !strings.Contains(errb.String(), "usage") && !strings.Contains(errb.String(), "flag") {
				t.Errorf("%v: stderr %q", args, errb.String())
			}
		}
	}
}

// The error a client saw can be given instead of a replay: an error that names its cause is
// diagnosed without an admin (exit 0); "expired access/refresh token" without an admin cannot
// be (exit 1), and the JSON says what was not read.
func TestDiagnoseRefreshFromTheClientsError(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Truncate(time.Second))
	o.addUserProfile("User", sfemu.DemoApprovalsAppKey, "connected-app", "5Aep861notareal.token")
	code, out, errOut := o.diagnose("refresh", "--profile", "User", "--error", "invalid_grant", "--error-description", "inactive user", "--json")
	d := decodeDiag(t, out)
	if code != 0 || len(d.Diagnosis.Found) != 1 || d.Diagnosis.Found[0].ID != "user-inactive" {
		t.Fatalf("inactive user: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = o.diagnose("refresh", "--profile", "User", "--error", "invalid_grant", "--error-description", "expired access/refresh token", "--json")
	var raw struct {
		NotRead []string `json:"not_read"`
	}
	json.Unmarshal([]byte(out), &raw)
	if d := decodeDiag(t, out); code != 1 || d.Diagnosed || len(d.Diagnosis.Open) < 5 || len(raw.NotRead) != 1 || !strings.Contains(raw.NotRead[0], "--admin-profile") {
		t.Fatalf("no admin: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "replaying") {
		t.Error("replayed the refresh although the error was given")
	}
}

// TestRunRefreshKeepsTheRotatedToken: `run --profile P --flow refresh` against an app that
// rotates refresh tokens stores the new one at once, so the next run works; before, the old
// (rotated-out) token stayed in the keychain and the next refresh revoked the whole family.
func TestRunRefreshKeepsTheRotatedToken(t *testing.T) {
	o := startDiagOrg(t, sfemu.Demo(), time.Now().Truncate(time.Second))
	rt := o.login(sfemu.DemoECAKey)["refresh_token"].(string)
	o.addUserProfile("User", sfemu.DemoECAKey, "external-client-app", rt)
	run := func() (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), []string{"run", "--profile", "User", "--flow", "refresh", "--json", "--config-dir", o.dir},
			&Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		return code, out.String(), errb.String()
	}
	for i := 1; i <= 3; i++ {
		code, out, errOut := run()
		if code != 0 || !strings.Contains(out, `"refresh_token_rotated": true`) || !strings.Contains(errOut, "replaced the stored one") {
			t.Fatalf("refresh %d: exit %d\n%s\n%s", i, code, out, errOut)
		}
		noSecrets(t, out+errOut, rt)
	}
}
