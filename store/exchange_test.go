package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestExportHasNoSecretsOrMachineState(t *testing.T) {
	s, _ := openTemp(t)
	p := sample("Prod")
	p.RememberRefreshToken = true
	p, _ = s.Add(p)
	s.Add(sample("Other"))
	sec := Secrets{ClientSecret: "CS-SECRET", RefreshToken: "RT-SECRET", PrivateKeyPEM: "PEM-SECRET"}
	if err := s.SetSecrets(p, sec); err != nil {
		t.Fatal(err)
	}
	all, err := s.Export()
	if err != nil {
		t.Fatal(err)
	}
	assertNoSecret(t, "export", all, sec)
	for _, w := range []string{p.ID, "remember_refresh_token", `"created"`} {
		if strings.Contains(string(all), w) {
			t.Errorf("export contains %s:\n%s", w, all)
		}
	}
	var e struct {
		Format   int       `json:"connectedapplab_export"`
		Profiles []Profile `json:"profiles"`
	}
	if err := json.Unmarshal(all, &e); err != nil || e.Format != 1 || len(e.Profiles) != 2 {
		t.Fatalf("export: %v %+v", err, e)
	}
	one, _ := s.Export("prod", "PROD")
	if strings.Count(string(one), `"name"`) != 1 {
		t.Fatalf("Export(names) should pick one profile once:\n%s", one)
	}
	if _, err := s.Export("nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Fatalf("unknown name: %v", err)
	}
}

func TestImportRoundTripAndReplace(t *testing.T) {
	src, _ := openTemp(t)
	a, _ := src.Add(sample("Prod"))
	src.Add(sample("UAT"))
	data, _ := src.Export()

	dst, kc := openTemp(t)
	res, err := dst.Import(data, ImportOptions{})
	if err != nil || res.Format != FormatExport || len(res.Added) != 2 || res.Org != nil {
		t.Fatalf("Import: %+v %v", res, err)
	}
	got, _ := dst.Get("Prod")
	if got.ID == a.ID || got.ClientID != a.ClientID || *got.App.SessionTimeoutMinutes != 120 || got.Created.IsZero() {
		t.Fatalf("imported: %+v", got)
	}
	// Importing again clashes, all or nothing.
	if _, err := dst.Import(data, ImportOptions{}); !errors.Is(err, ErrNameTaken) || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("clash: %v", err)
	}
	// --replace keeps the ID and so the secrets.
	dst.SetSecret(got, SecretClientSecret, "kept")
	res, err = dst.Import(data, ImportOptions{Replace: true})
	if err != nil || len(res.Replaced) != 2 || len(res.Added) != 0 {
		t.Fatalf("replace: %+v %v", res, err)
	}
	again, _ := dst.Get("Prod")
	if again.ID != got.ID {
		t.Fatal("replace changed the ID")
	}
	if v, _ := kc.Get(Account(got.ID, SecretClientSecret)); v != "kept" {
		t.Fatal("replace lost the secret")
	}
	ps, _ := dst.List()
	if len(ps) != 2 {
		t.Fatalf("profiles after replace: %v", names(ps))
	}
}

func TestImportDropsSecretFields(t *testing.T) {
	s, _ := openTemp(t)
	in := `{"connectedapplab_export":1,"profiles":[{"name":"x","login_url":"https://login.salesforce.com","client_secret":"LEAK","password":"LEAK2","remember_refresh_token":true}]}`
	res, err := s.Import([]byte(in), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.Ignored) != "[client_secret password]" {
		t.Fatalf("Ignored = %v", res.Ignored)
	}
	b, _ := os.ReadFile(s.Path())
	if strings.Contains(string(b), "LEAK") {
		t.Fatal("secret from the import reached the profiles file")
	}
}

func TestImportSFOrgDisplay(t *testing.T) {
	data, _ := os.ReadFile("testdata/sf-org-display.json")
	s, _ := openTemp(t)
	res, err := s.Import(data, ImportOptions{})
	if err != nil || res.Format != FormatSFOrgDisplay || res.Org == nil || len(res.Added) != 1 {
		t.Fatalf("Import: %+v %v", res, err)
	}
	o := res.Org
	if o.AccessToken != "00D5j00000DiuxmEAB!AQ0AQFAKEACCESSTOKENFORTESTS" || o.Username != "admin@acme.com.uat" || !o.HadAuthURL {
		t.Fatalf("org: %+v", *o)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %#v", o, *o, o), "FAKEACCESSTOKEN") {
		t.Fatal("SFOrg prints its access token")
	}
	p, _ := s.Get("acme-uat")
	if p.LoginURL != "https://acme--uat.sandbox.my.salesforce.com" || p.MyDomainURL != p.LoginURL || p.ClientID != "PlatformCLI" ||
		p.CallbackURL != SalesforceCLICallbackURL || p.Username != "admin@acme.com.uat" {
		t.Fatalf("profile: %+v", p)
	}
	b, _ := os.ReadFile(s.Path())
	for _, leak := range []string{"FAKEACCESSTOKEN", "FAKEREFRESHTOKEN", "force://"} {
		if strings.Contains(string(b), leak) {
			t.Fatalf("profiles file holds %s", leak)
		}
	}
	if len(res.Ignored) != 1 || !strings.Contains(res.Ignored[0], "sfdxAuthUrl") {
		t.Fatalf("Ignored: %v", res.Ignored)
	}
	// --name picks another name.
	res, err = s.Import(data, ImportOptions{Name: "uat 2"})
	if err != nil || res.Added[0].Name != "uat 2" {
		t.Fatalf("named import: %+v %v", res, err)
	}
}

func TestImportRejectsBadInput(t *testing.T) {
	sfErr, _ := os.ReadFile("testdata/sf-org-display-error.json")
	cases := map[string]struct{ in, want string }{
		"sf error":     {string(sfErr), "No authorization information found"},
		"sf no url":    {`{"status":0,"result":{"username":"x"}}`, "instanceUrl"},
		"sf http url":  {`{"status":0,"result":{"instanceUrl":"http://evil.example","username":"x"}}`, "https"},
		"not json":     {`hello`, "neither"},
		"other json":   {`{"foo": 1}`, "neither"},
		"bad json":     {`{"foo": `, "not valid JSON"},
		"empty export": {`{"connectedapplab_export":1,"profiles":[]}`, "no profiles"},
		"newer export": {`{"connectedapplab_export":9,"profiles":[]}`, "upgrade"},
		"invalid":      {`{"connectedapplab_export":1,"profiles":[{"name":"x","login_url":"ftp://x"}]}`, "https://"},
		"dup names":    {`{"connectedapplab_export":1,"profiles":[{"name":"x","login_url":"https://a.example"},{"name":"X","login_url":"https://a.example"}]}`, "two profiles"},
		"newer file":   {`{"schema_version": 9, "profiles": []}`, "newer"},
		"sf bad name":  {`{"status":0,"result":{"instanceUrl":"https://a.my.salesforce.com","username":"` + strings.Repeat("u", 70) + `"}}`, "--name"},
	}
	for what, c := range cases {
		s, _ := openTemp(t)
		_, err := s.Import([]byte(c.in), ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want a one-line error with %q", what, err, c.want)
		}
		if ps, _ := s.List(); len(ps) != 0 {
			t.Errorf("%s: something was imported", what)
		}
	}
}

func TestImportProfilesFileV0(t *testing.T) {
	data, _ := os.ReadFile("testdata/profiles-v0.json")
	s, _ := openTemp(t)
	res, err := s.Import(data, ImportOptions{})
	if err != nil || res.Format != FormatProfilesFile || len(res.Added) != 2 {
		t.Fatalf("Import: %+v %v", res, err)
	}
	if res.Added[1].ID == "p_00000000000000a1" {
		t.Fatal("imported profiles get fresh IDs")
	}
}
