package connectedapp

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func richApp(kind Kind) Settings {
	s := NewSettings(kind, "Lab_Rich_App")
	s.Label = "Lab Rich App"
	s.ContactEmail = "admin@example.com"
	s.Description = "round trip"
	s.ConsumerKey = "3MVG9RoundTripKey"
	s.CallbackURLs = []string{"http://localhost:1717/OauthRedirect", "https://app.example.com/oauth/callback"}
	s.Scopes = []string{"api", "refresh_token", "openid", "id", "web"}
	s.Certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
	s.ConsumerSecretOptional = true
	s.SecretRequiredForRefreshToken = false
	s.SecretRequiredForTokenExchange = true
	s.PKCERequired = true
	s.ClientCredentialsEnabled = true
	s.ClientCredentialsUser = "integration@example.com"
	s.CodeCredentialEnabled = true
	s.TokenExchangeEnabled = true
	s.IntrospectAllTokens = true
	s.PermittedUsers = AdminApprovedPreAuthorized
	s.Profiles = []string{"System Administrator"}
	s.PermissionSets = []string{"Lab_Integration"}
	s.IPRelaxation = IPEnforceRelaxRefresh
	s.RefreshTokenPolicy = RefreshTokenPolicy{Type: RefreshSpecificInactivity, Period: 7, Unit: "DAYS"}
	s.RefreshTokenRotation = true
	s.SessionTimeoutMinutes = 30
	s.IDTokenValidityMinutes = 10
	s.NamedUserJWT = true
	s.StartURL = "https://app.example.com/start"
	if kind == External {
		s.DeviceFlowEnabled = boolp(true)
		s.NamedUserJWTTimeoutMinutes = 15
		s.CustomScopes = []string{"lab_custom"}
	} else {
		s.DeviceFlowEnabled = nil // no ConnectedApp field
		s.CodeCredentialPostOnly = true
		s.SessionLevel = "HIGH_ASSURANCE"
		s.PolicyAction = "RaiseSessionLevel"
	}
	return s
}

func TestConnectedAppMetadataRoundTrip(t *testing.T) {
	selfAuthorized := baseApp(Connected)
	selfAuthorized.Profiles = nil // profileName is written only for admin-approved apps
	for _, s := range []Settings{richApp(Connected), selfAuthorized, NewSettingsWith(Connected, func(s *Settings) {
		s.CallbackURLs = []string{"myapp://cb"}
		s.Scopes = []string{"full", "offline_access"}
		s.RefreshTokenPolicy = RefreshTokenPolicy{Type: RefreshZero}
	})} {
		b, err := MarshalConnectedApp(s, MetadataOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseConnectedApp(b)
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, b)
		}
		got.Name = s.Name
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip differs:\n got %+v\nwant %+v\n%s", got, s, b)
		}
	}
}

// NewSettingsWith is NewSettings plus an edit, for compact test tables.
func NewSettingsWith(kind Kind, edit func(*Settings)) Settings {
	s := NewSettings(kind, "Lab_Edit_App")
	s.ContactEmail = "admin@example.com"
	edit(&s)
	return s
}

func TestExternalClientAppMetadataRoundTrip(t *testing.T) {
	for _, s := range []Settings{richApp(External), baseApp(External)} {
		f, err := MarshalExternalClientApp(s, MetadataOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseExternalClientApp(f)
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("round trip differs:\n got %+v\nwant %+v", got, s)
		}
	}
}

// childOrder lists the local names of the children of the first element named parent.
func childOrder(t *testing.T, doc []byte, parent string) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	depth, in := 0, -1
	var out []string
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			depth++
			if in < 0 && e.Name.Local == parent {
				in = depth
			} else if in > 0 && depth == in+1 {
				out = append(out, e.Name.Local)
			}
		case xml.EndElement:
			if depth == in {
				return out
			}
			depth--
		}
	}
	return out
}

func assertOrder(t *testing.T, what string, got, wsdl []string) {
	t.Helper()
	last := -1
	for _, g := range got {
		i := slices.Index(wsdl, g)
		if i < 0 {
			t.Errorf("%s: element %s is not in the WSDL list", what, g)
			continue
		}
		if i < last {
			t.Errorf("%s: element %s is out of WSDL order in %v", what, g, got)
		}
		last = i
	}
}

func TestGeneratedMetadataFollowsWSDLOrder(t *testing.T) {
	b, err := MarshalConnectedApp(richApp(Connected), MetadataOptions{IncludeConsumerSecret: true, ConsumerSecret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">`)) {
		t.Errorf("header/root wrong:\n%s", b[:120])
	}
	assertOrder(t, "ConnectedApp", childOrder(t, b, "ConnectedApp"), []string{"contactEmail", "contactPhone", "description", "label",
		"oauthConfig", "oauthPolicy", "permissionSetName", "profileName", "sessionPolicy", "startUrl"})
	oc := childOrder(t, b, "oauthConfig")
	assertOrder(t, "oauthConfig", oc, []string{"assetTokenConfig", "callbackUrl", "certificate", "consumerKey", "consumerSecret", "idTokenConfig",
		"isAdminApproved", "isClientCredentialEnabled", "isCodeCredentialEnabled", "isCodeCredentialPostOnly", "isConsumerSecretOptional",
		"isIntrospectAllTokens", "isNamedUserJwtEnabled", "isPkceRequired", "isRefreshTokenRotationEnabled", "isSecretRequiredForRefreshToken",
		"isSecretRequiredForTokenExchange", "isTokenExchangeEnabled", "oauthClientCredentialUser", "scopes", "singleLogoutUrl"})
	if len(oc) < 19 {
		t.Errorf("oauthConfig has only %v", oc)
	}
	assertOrder(t, "oauthPolicy", childOrder(t, b, "oauthPolicy"), []string{"ipRelaxation", "isTokenExchangeFlowEnabled", "refreshTokenPolicy", "singleLogoutUrl"})
	assertOrder(t, "sessionPolicy", childOrder(t, b, "sessionPolicy"), []string{"policyAction", "sessionLevel", "sessionTimeout"})
	for _, want := range []string{"<scopes>Api</scopes>", "<scopes>RefreshToken</scopes>", "<scopes>OpenID</scopes>", "<scopes>Basic</scopes>",
		"<refreshTokenPolicy>specific_inactivity:7:DAYS</refreshTokenPolicy>", "<ipRelaxation>ENFORCE_RELAXREFRESH</ipRelaxation>",
		"<callbackUrl>http://localhost:1717/OauthRedirect&#xA;https://app.example.com/oauth/callback</callbackUrl>", "<isAdminApproved>true</isAdminApproved>"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("missing %s", want)
		}
	}

	f, err := MarshalExternalClientApp(richApp(External), MetadataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertOrder(t, TypeECAGlobal, childOrder(t, f.GlobalOauth, TypeECAGlobal), strings.Fields(`callbackUrl certificate consumerKey consumerSecret
		externalClientApplication idTokenConfig isClientCredentialsFlowEnabled isCodeCredFlowEnabled isCodeCredPostOnly isConsumerSecretOptional
		isDeviceFlowEnabled isIntrospectAllTokens isNamedUserJwtEnabled isPkceRequired isRefreshTokenRotationEnabled isSecretRequiredForRefreshToken
		isSecretRequiredForTokenExchange isTokenExchangeEnabled label shouldRotateConsumerKey shouldRotateConsumerSecret`))
	assertOrder(t, TypeECAPolicies, childOrder(t, f.Policies, TypeECAPolicies), strings.Fields(`apexHandler clientCredentialsFlowUser
		commaSeparatedCustomScopes commaSeparatedPermissionSet commaSeparatedProfile customAttributes executeHandlerAs externalClientApplication
		guestJwtTimeout guestJwtSessionTimeoutType ipRelaxationPolicyType isClientCredentialsFlowEnabled isGuestCodeCredFlowEnabled
		isNamedUserJwtEnabled isTokenExchangeFlowEnabled label namedUserJwtTimeout namedUserJwtSessionTimeoutType permittedUsersPolicyType
		policyAction refreshTokenPolicyType refreshTokenValidityPeriod refreshTokenValidityUnit requiredSessionLevel sessionTimeoutInMinutes
		singleLogoutUrl startUrl`))
	assertOrder(t, TypeECAOauth, childOrder(t, f.Oauth, TypeECAOauth), strings.Fields(`commaSeparatedOauthScopes customAttributes
		externalClientApplication isFirstPartyAppEnabled label oauthLink singleLogoutUrl trustedIpRanges`))
	assertOrder(t, TypeECA, childOrder(t, f.App, TypeECA), strings.Fields(`contactEmail contactPhone description distributionState iconUrl
		infoUrl isProtected label logoUrl orgScopedExternalApp`))
	for _, want := range []string{"<commaSeparatedOauthScopes>Api, RefreshToken, OpenID, Basic, Web</commaSeparatedOauthScopes>",
		"<ipRelaxationPolicyType>Enforce_RelaxRefresh</ipRelaxationPolicyType>", "<refreshTokenPolicyType>SpecificInactivity</refreshTokenPolicyType>",
		"<refreshTokenValidityUnit>Days</refreshTokenValidityUnit>", "<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>",
		"<namedUserJwtSessionTimeoutType>Custom</namedUserJwtSessionTimeoutType>"} {
		if !bytes.Contains(bytes.Join([][]byte{f.App, f.GlobalOauth, f.Oauth, f.Policies}, nil), []byte(want)) {
			t.Errorf("missing %s", want)
		}
	}
}

func TestGenerateNeverWritesTheSecretUnlessAsked(t *testing.T) {
	for _, kind := range []Kind{Connected, External} {
		s := richApp(kind)
		p, err := Generate(s, GenerateOptions{MetadataOptions: MetadataOptions{ConsumerSecret: "s3cret-value"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range p.Files {
			if bytes.Contains(f.Data, []byte("s3cret-value")) || bytes.Contains(f.Data, []byte("consumerSecret")) {
				t.Errorf("%s: %s holds the secret without being asked", kind, f.Path)
			}
		}
		if !strings.Contains(strings.Join(p.Notes, " "), "settable only on create") {
			t.Errorf("%s: notes do not say the secret is settable only on create: %v", kind, p.Notes)
		}
		p, err = Generate(s, GenerateOptions{MetadataOptions: MetadataOptions{IncludeConsumerSecret: true, ConsumerSecret: "s3cret-value"}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range p.Files {
			found = found || bytes.Contains(f.Data, []byte("<consumerSecret>s3cret-value</consumerSecret>"))
		}
		if !found {
			t.Errorf("%s: asked for the secret, but no file has it", kind)
		}
		if _, err := Generate(s, GenerateOptions{MetadataOptions: MetadataOptions{IncludeConsumerSecret: true}}); err == nil {
			t.Errorf("%s: including an empty secret did not fail", kind)
		}
	}
}

func TestGenerateWritesADeployableSFDXProject(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		files []string
		types map[string][]string
	}{
		{Connected, []string{"force-app/main/default/connectedApps/Lab_Rich_App.connectedApp-meta.xml", "manifest/package.xml", "sfdx-project.json"},
			map[string][]string{"ConnectedApp": {"Lab_Rich_App"}}},
		{External, []string{
			"force-app/main/default/externalClientApps/Lab_Rich_App.eca-meta.xml",
			"force-app/main/default/extlClntAppGlobalOauthSets/Lab_Rich_App_glbloauth.ecaGlblOauth-meta.xml",
			"force-app/main/default/extlClntAppOauthPolicies/Lab_Rich_App_oauthPlcy.ecaOauthPlcy-meta.xml",
			"force-app/main/default/extlClntAppOauthSettings/Lab_Rich_App_oauth.ecaOauth-meta.xml",
			"manifest/package.xml", "sfdx-project.json"},
			map[string][]string{"ExternalClientApplication": {"Lab_Rich_App"}, "ExtlClntAppGlobalOauthSettings": {"Lab_Rich_App_glbloauth"},
				"ExtlClntAppOauthSettings": {"Lab_Rich_App_oauth"}, "ExtlClntAppOauthConfigurablePolicies": {"Lab_Rich_App_oauthPlcy"}}},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			s := richApp(tc.kind)
			p, err := Generate(s, GenerateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, f := range p.Files {
				paths = append(paths, f.Path)
			}
			if !slices.Equal(paths, tc.files) {
				t.Fatalf("files %v\nwant %v", paths, tc.files)
			}
			var pkg struct {
				XMLName xml.Name
				Types   []struct {
					Members []string `xml:"members"`
					Name    string   `xml:"name"`
				} `xml:"types"`
				Version string `xml:"version"`
			}
			if err := xml.Unmarshal(p.File("manifest/package.xml"), &pkg); err != nil {
				t.Fatal(err)
			}
			if pkg.XMLName.Space != MetadataNS || pkg.XMLName.Local != "Package" || pkg.Version != "65.0" {
				t.Errorf("package.xml root %v version %q", pkg.XMLName, pkg.Version)
			}
			got := map[string][]string{}
			for _, ty := range pkg.Types {
				got[ty.Name] = ty.Members
			}
			if !reflect.DeepEqual(got, tc.types) {
				t.Errorf("package.xml types %v, want %v", got, tc.types)
			}
			var proj SFDXProject
			if err := json.Unmarshal(p.File("sfdx-project.json"), &proj); err != nil {
				t.Fatal(err)
			}
			if proj.SourceAPIVersion != "65.0" || len(proj.PackageDirectories) != 1 || proj.PackageDirectories[0].Path != "force-app" || !proj.PackageDirectories[0].Default {
				t.Errorf("sfdx-project.json %+v", proj)
			}
			// Every type in package.xml has its file under the package directory.
			for typ, members := range got {
				c := component(typ)
				for _, m := range members {
					if p.File(PackageDir+"/"+c.Folder+"/"+m+c.Suffix) == nil {
						t.Errorf("package.xml names %s:%s but there is no file", typ, m)
					}
				}
			}

			dir := t.TempDir()
			if err := p.Write(dir); err != nil {
				t.Fatal(err)
			}
			back, err := LoadMetadata(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, s) {
				t.Errorf("load from folder differs:\n got %+v\nwant %+v", back, s)
			}
			one, err := LoadMetadata(filepath.Join(dir, filepath.FromSlash(tc.files[0])))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(one, s) {
				t.Errorf("load from one file differs:\n got %+v\nwant %+v", one, s)
			}
			if err := p.Write(dir); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("second write did not refuse to overwrite: %v", err)
			}
		})
	}
}

func TestGenerateRefusesWhatCannotDeploy(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Settings)
		want string
	}{
		{"name with a space", func(s *Settings) { s.Name = "My App" }, "app name"},
		{"name with a double underscore", func(s *Settings) { s.Name = "My__App" }, "app name"},
		{"no contact email", func(s *Settings) { s.ContactEmail = "" }, "contact email"},
		{"no callback URL", func(s *Settings) { s.CallbackURLs = nil }, "callback URL"},
		{"relative callback URL", func(s *Settings) { s.CallbackURLs = []string{"/cb"} }, "callback URL"},
		{"unknown scope", func(s *Settings) { s.Scopes = []string{"api", "everything"} }, "unknown OAuth scope"},
		{"no scopes", func(s *Settings) { s.Scopes = nil }, "scope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := baseApp(Connected)
			tc.edit(&s)
			_, err := Generate(s, GenerateOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want one line mentioning %q", err, tc.want)
			}
		})
	}
}

func TestParseMetadataRejectsWrongDocuments(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
	}{
		{"not XML", "hello"},
		{"other root", `<Package xmlns="http://soap.sforce.com/2006/04/metadata"/>`},
		{"bad boolean", `<ConnectedApp><oauthConfig><isPkceRequired>maybe</isPkceRequired></oauthConfig></ConnectedApp>`},
		{"bad refresh policy", `<ConnectedApp><oauthPolicy><refreshTokenPolicy>sometimes</refreshTokenPolicy></oauthPolicy></ConnectedApp>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseConnectedApp([]byte(tc.doc)); err == nil {
				t.Error("no error")
			}
		})
	}
	if _, err := ParseExternalClientApp(ECAFiles{Policies: []byte(`<ExtlClntAppOauthConfigurablePolicies><permittedUsersPolicyType>Everyone</permittedUsersPolicyType></ExtlClntAppOauthConfigurablePolicies>`)}); err == nil {
		t.Error("unknown permittedUsersPolicyType accepted")
	}
}

func TestSettingsJSONKeepsDefaultsForMissingFields(t *testing.T) {
	s, err := ParseSettingsJSON([]byte(`{"kind":"external","name":"X","callbackUrls":["http://localhost:1717/OauthRedirect"],"scopes":["api refresh_token"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !s.PKCERequired || !s.SecretRequiredForRefreshToken || s.PermittedUsers != AdminApprovedPreAuthorized || !slices.Equal(s.Scopes, []string{"api", "refresh_token"}) {
		t.Errorf("defaults lost: %+v", s)
	}
	if _, err := ParseSettingsJSON([]byte(`{"pkceRequird":true}`)); err == nil || !strings.Contains(err.Error(), "pkceRequird") {
		t.Errorf("misspelt field accepted: %v", err)
	}
}

// fuzzSeeds are the documents the parser fuzzers start from; they run in normal tests.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	b, err := MarshalConnectedApp(richApp(Connected), MetadataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, b)
	f, err := MarshalExternalClientApp(richApp(External), MetadataOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, f.App, f.GlobalOauth, f.Oauth, f.Policies)
	files, _ := filepath.Glob("testdata/*.xml")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	return append(seeds, []byte(""), []byte("<ConnectedApp>"), []byte(`<ConnectedApp><oauthConfig><scopes>Nope</scopes></oauthConfig></ConnectedApp>`))
}

func FuzzParseMetadata(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if s, err := ParseConnectedApp(doc); err == nil {
			// Whatever parses must survive lint and, when valid, a regenerate.
			Lint(Profile{Flow: "web-server", CallbackURL: "http://localhost:1717/OauthRedirect"}, s)
			if b, err := MarshalConnectedApp(s, MetadataOptions{}); err == nil {
				if _, err := ParseConnectedApp(b); err != nil {
					t.Fatalf("regenerated document does not parse: %v\n%s", err, b)
				}
			}
		}
		for _, files := range []ECAFiles{{App: doc}, {GlobalOauth: doc}, {Oauth: doc}, {Policies: doc}} {
			if s, err := ParseExternalClientApp(files); err == nil {
				Lint(Profile{Flow: "device"}, s)
			}
		}
		recs, _, _ := parseReadMetadataResponse(doc)
		for _, r := range recs {
			var x xmlConnectedApp
			_ = r.decode(&x)
		}
	})
}
