package connectedapp

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/connectedapplab/connectedapplab/internal/sfenum"
)

// MetadataNS is the Metadata API namespace of every file and SOAP body here.
const MetadataNS = "http://soap.sforce.com/2006/04/metadata"

// The element order of every struct below is the WSDL's (reference §8.1 for ConnectedApp;
// the Metadata API reference for the External Client App types): encoding/xml writes
// fields in declaration order. Elements this package does not model are ignored on parse.

type xmlConnectedApp struct {
	FullName          string            `xml:"fullName,omitempty"`
	ContactEmail      string            `xml:"contactEmail,omitempty"`
	ContactPhone      string            `xml:"contactPhone,omitempty"`
	Description       string            `xml:"description,omitempty"`
	Label             string            `xml:"label,omitempty"`
	OauthConfig       *xmlCAOauthConfig `xml:"oauthConfig,omitempty"`
	OauthPolicy       *xmlCAOauthPolicy `xml:"oauthPolicy,omitempty"`
	PermissionSetName []string          `xml:"permissionSetName,omitempty"`
	ProfileName       []string          `xml:"profileName,omitempty"`
	SessionPolicy     *xmlCASession     `xml:"sessionPolicy,omitempty"`
	StartURL          string            `xml:"startUrl,omitempty"`
}

type xmlCAOauthConfig struct {
	CallbackURL                      string              `xml:"callbackUrl,omitempty"`
	Certificate                      string              `xml:"certificate,omitempty"`
	ConsumerKey                      string              `xml:"consumerKey,omitempty"`
	ConsumerSecret                   string              `xml:"consumerSecret,omitempty"`
	IDTokenConfig                    *xmlCAIDTokenConfig `xml:"idTokenConfig,omitempty"`
	IsAdminApproved                  *bool               `xml:"isAdminApproved,omitempty"`
	IsClientCredentialEnabled        *bool               `xml:"isClientCredentialEnabled,omitempty"`
	IsCodeCredentialEnabled          *bool               `xml:"isCodeCredentialEnabled,omitempty"`
	IsCodeCredentialPostOnly         *bool               `xml:"isCodeCredentialPostOnly,omitempty"`
	IsConsumerSecretOptional         *bool               `xml:"isConsumerSecretOptional,omitempty"`
	IsIntrospectAllTokens            *bool               `xml:"isIntrospectAllTokens,omitempty"`
	IsNamedUserJwtEnabled            *bool               `xml:"isNamedUserJwtEnabled,omitempty"`
	IsPkceRequired                   *bool               `xml:"isPkceRequired,omitempty"`
	IsRefreshTokenRotationEnabled    *bool               `xml:"isRefreshTokenRotationEnabled,omitempty"`
	IsSecretRequiredForRefreshToken  *bool               `xml:"isSecretRequiredForRefreshToken,omitempty"`
	IsSecretRequiredForTokenExchange *bool               `xml:"isSecretRequiredForTokenExchange,omitempty"`
	IsTokenExchangeEnabled           *bool               `xml:"isTokenExchangeEnabled,omitempty"`
	OauthClientCredentialUser        string              `xml:"oauthClientCredentialUser,omitempty"`
	Scopes                           []string            `xml:"scopes,omitempty"`
	SingleLogoutURL                  string              `xml:"singleLogoutUrl,omitempty"`
}

type xmlCAIDTokenConfig struct {
	IDTokenAudience []string `xml:"idTokenAudience,omitempty"`
	IDTokenValidity *int     `xml:"idTokenValidity,omitempty"`
}

type xmlCAOauthPolicy struct {
	IPRelaxation               string `xml:"ipRelaxation,omitempty"`
	IsTokenExchangeFlowEnabled *bool  `xml:"isTokenExchangeFlowEnabled,omitempty"`
	RefreshTokenPolicy         string `xml:"refreshTokenPolicy,omitempty"`
	SingleLogoutURL            string `xml:"singleLogoutUrl,omitempty"`
}

type xmlCASession struct {
	PolicyAction   string `xml:"policyAction,omitempty"`
	SessionLevel   string `xml:"sessionLevel,omitempty"`
	SessionTimeout *int   `xml:"sessionTimeout,omitempty"`
}

type xmlECA struct {
	FullName          string `xml:"fullName,omitempty"`
	ContactEmail      string `xml:"contactEmail,omitempty"`
	ContactPhone      string `xml:"contactPhone,omitempty"`
	Description       string `xml:"description,omitempty"`
	DistributionState string `xml:"distributionState,omitempty"`
	IsProtected       *bool  `xml:"isProtected,omitempty"`
	Label             string `xml:"label,omitempty"`
}

type xmlECAGlobal struct {
	FullName                         string               `xml:"fullName,omitempty"`
	CallbackURL                      string               `xml:"callbackUrl,omitempty"`
	Certificate                      string               `xml:"certificate,omitempty"`
	ConsumerKey                      string               `xml:"consumerKey,omitempty"`
	ConsumerSecret                   string               `xml:"consumerSecret,omitempty"`
	ExternalClientApplication        string               `xml:"externalClientApplication,omitempty"`
	IDTokenConfig                    *xmlECAIDTokenConfig `xml:"idTokenConfig,omitempty"`
	IsClientCredentialsFlowEnabled   *bool                `xml:"isClientCredentialsFlowEnabled,omitempty"`
	IsCodeCredFlowEnabled            *bool                `xml:"isCodeCredFlowEnabled,omitempty"`
	IsCodeCredPostOnly               *bool                `xml:"isCodeCredPostOnly,omitempty"`
	IsConsumerSecretOptional         *bool                `xml:"isConsumerSecretOptional,omitempty"`
	IsDeviceFlowEnabled              *bool                `xml:"isDeviceFlowEnabled,omitempty"`
	IsIntrospectAllTokens            *bool                `xml:"isIntrospectAllTokens,omitempty"`
	IsNamedUserJwtEnabled            *bool                `xml:"isNamedUserJwtEnabled,omitempty"`
	IsPkceRequired                   *bool                `xml:"isPkceRequired,omitempty"`
	IsRefreshTokenRotationEnabled    *bool                `xml:"isRefreshTokenRotationEnabled,omitempty"`
	IsSecretRequiredForRefreshToken  *bool                `xml:"isSecretRequiredForRefreshToken,omitempty"`
	IsSecretRequiredForTokenExchange *bool                `xml:"isSecretRequiredForTokenExchange,omitempty"`
	IsTokenExchangeEnabled           *bool                `xml:"isTokenExchangeEnabled,omitempty"`
	Label                            string               `xml:"label,omitempty"`
	ShouldRotateConsumerKey          *bool                `xml:"shouldRotateConsumerKey,omitempty"`
	ShouldRotateConsumerSecret       *bool                `xml:"shouldRotateConsumerSecret,omitempty"`
}

type xmlECAIDTokenConfig struct {
	IDTokenAudience          []string `xml:"idTokenAudience,omitempty"`
	IDTokenValidityInMinutes *int     `xml:"idTokenValidityInMinutes,omitempty"`
}

type xmlECAOauth struct {
	FullName                  string `xml:"fullName,omitempty"`
	CommaSeparatedOauthScopes string `xml:"commaSeparatedOauthScopes,omitempty"`
	ExternalClientApplication string `xml:"externalClientApplication,omitempty"`
	Label                     string `xml:"label,omitempty"`
	SingleLogoutURL           string `xml:"singleLogoutUrl,omitempty"`
}

type xmlECAPolicies struct {
	FullName                       string `xml:"fullName,omitempty"`
	ClientCredentialsFlowUser      string `xml:"clientCredentialsFlowUser,omitempty"`
	CommaSeparatedCustomScopes     string `xml:"commaSeparatedCustomScopes,omitempty"`
	CommaSeparatedPermissionSet    string `xml:"commaSeparatedPermissionSet,omitempty"`
	CommaSeparatedProfile          string `xml:"commaSeparatedProfile,omitempty"`
	ExternalClientApplication      string `xml:"externalClientApplication,omitempty"`
	IPRelaxationPolicyType         string `xml:"ipRelaxationPolicyType,omitempty"`
	IsClientCredentialsFlowEnabled *bool  `xml:"isClientCredentialsFlowEnabled,omitempty"`
	IsGuestCodeCredFlowEnabled     *bool  `xml:"isGuestCodeCredFlowEnabled,omitempty"`
	IsTokenExchangeFlowEnabled     *bool  `xml:"isTokenExchangeFlowEnabled,omitempty"`
	Label                          string `xml:"label,omitempty"`
	NamedUserJwtTimeout            *int   `xml:"namedUserJwtTimeout,omitempty"`
	NamedUserJwtSessionTimeoutType string `xml:"namedUserJwtSessionTimeoutType,omitempty"`
	PermittedUsersPolicyType       string `xml:"permittedUsersPolicyType,omitempty"`
	PolicyAction                   string `xml:"policyAction,omitempty"`
	RefreshTokenPolicyType         string `xml:"refreshTokenPolicyType,omitempty"`
	RefreshTokenValidityPeriod     *int   `xml:"refreshTokenValidityPeriod,omitempty"`
	RefreshTokenValidityUnit       string `xml:"refreshTokenValidityUnit,omitempty"`
	RequiredSessionLevel           string `xml:"requiredSessionLevel,omitempty"`
	SessionTimeoutInMinutes        *int   `xml:"sessionTimeoutInMinutes,omitempty"`
	SingleLogoutURL                string `xml:"singleLogoutUrl,omitempty"`
	StartURL                       string `xml:"startUrl,omitempty"`
}

// Metadata type names, file suffixes and SFDX folders (source format).
const (
	TypeConnectedApp = "ConnectedApp"
	TypeECA          = "ExternalClientApplication"
	TypeECAGlobal    = "ExtlClntAppGlobalOauthSettings"
	TypeECAOauth     = "ExtlClntAppOauthSettings"
	TypeECAPolicies  = "ExtlClntAppOauthConfigurablePolicies"
)

// Component describes where one metadata type lives in an SFDX project.
type Component struct {
	Type   string // metadata type name
	Folder string // folder under force-app/main/default
	Suffix string // file name suffix, e.g. ".connectedApp-meta.xml"
	// NameSuffix is appended to the app's API name to get the component's fullName (ECA
	// children follow Salesforce's own naming: App_glbloauth, App_oauth, App_oauthPlcy).
	NameSuffix string
}

// Components lists every metadata component this package reads and writes.
var Components = []Component{
	{TypeConnectedApp, "connectedApps", ".connectedApp-meta.xml", ""},
	{TypeECA, "externalClientApps", ".eca-meta.xml", ""},
	{TypeECAGlobal, "extlClntAppGlobalOauthSets", ".ecaGlblOauth-meta.xml", "_glbloauth"},
	{TypeECAOauth, "extlClntAppOauthSettings", ".ecaOauth-meta.xml", "_oauth"},
	{TypeECAPolicies, "extlClntAppOauthPolicies", ".ecaOauthPlcy-meta.xml", "_oauthPlcy"},
}

func component(typ string) Component {
	for _, c := range Components {
		if c.Type == typ {
			return c
		}
	}
	panic("connectedapp: unknown component type " + typ)
}

// ECAFiles holds the External Client App metadata set, one XML document per type. A nil
// entry means the file is absent.
type ECAFiles struct {
	App         []byte // .eca-meta.xml (ExternalClientApplication)
	GlobalOauth []byte // .ecaGlblOauth-meta.xml (ExtlClntAppGlobalOauthSettings)
	Oauth       []byte // .ecaOauth-meta.xml (ExtlClntAppOauthSettings)
	Policies    []byte // .ecaOauthPlcy-meta.xml (ExtlClntAppOauthConfigurablePolicies)
}

// MetadataOptions tune generation.
type MetadataOptions struct {
	// IncludeConsumerSecret writes ConsumerSecret into the files. Off by default: the secret
	// never belongs in source control, and Salesforce accepts it only when the app is created.
	IncludeConsumerSecret bool
	ConsumerSecret        string
}

func marshalDoc(root string, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "    ")
	start := xml.StartElement{Name: xml.Name{Local: root}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: MetadataNS}}}
	if err := enc.EncodeElement(v, start); err != nil {
		return nil, fmt.Errorf("encode %s: %w", root, err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func bp(b bool) *bool { return &b }
func ip(i int) *int   { return &i }

func secretFor(opt MetadataOptions) (string, error) {
	if !opt.IncludeConsumerSecret {
		return "", nil
	}
	if opt.ConsumerSecret == "" {
		return "", fmt.Errorf("include the consumer secret: no secret given; pass one or leave the secret out")
	}
	return opt.ConsumerSecret, nil
}

// metadataScopes converts OAuth scope strings to enum names.
func metadataScopes(scopes []string) ([]string, error) {
	var out []string
	for _, s := range NormalizeScopes(scopes) {
		e, ok := ScopeToMetadata(s)
		if !ok {
			return nil, fmt.Errorf("unknown OAuth scope %q; use one of %s (custom scopes go in customScopes of an External Client App)", s, strings.Join(KnownScopes(), " "))
		}
		out = append(out, e)
	}
	return out, nil
}

func oauthScopes(enums []string) []string {
	var out []string
	for _, e := range enums {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if o, ok := ScopeFromMetadata(e); ok {
			out = append(out, o)
		} else {
			out = append(out, e) // unknown enum: kept verbatim so lint can name it
		}
	}
	return NormalizeScopes(out)
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func splitComma(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// MarshalConnectedApp writes the .connectedApp-meta.xml document of s.
func MarshalConnectedApp(s Settings, opt MetadataOptions) ([]byte, error) {
	x, err := toConnectedApp(s, opt)
	if err != nil {
		return nil, err
	}
	return marshalDoc(TypeConnectedApp, x)
}

func toConnectedApp(s Settings, opt MetadataOptions) (*xmlConnectedApp, error) {
	scopes, err := metadataScopes(s.Scopes)
	if err != nil {
		return nil, err
	}
	secret, err := secretFor(opt)
	if err != nil {
		return nil, err
	}
	oc := &xmlCAOauthConfig{
		CallbackURL:                      strings.Join(s.CallbackURLs, "\n"),
		Certificate:                      s.Certificate,
		ConsumerKey:                      s.ConsumerKey,
		ConsumerSecret:                   secret,
		IsAdminApproved:                  bp(s.PermittedUsers == AdminApprovedPreAuthorized),
		IsClientCredentialEnabled:        bp(s.ClientCredentialsEnabled),
		IsCodeCredentialEnabled:          bp(s.CodeCredentialEnabled),
		IsCodeCredentialPostOnly:         bp(s.CodeCredentialPostOnly),
		IsConsumerSecretOptional:         bp(s.ConsumerSecretOptional),
		IsIntrospectAllTokens:            bp(s.IntrospectAllTokens),
		IsNamedUserJwtEnabled:            bp(s.NamedUserJWT),
		IsPkceRequired:                   bp(s.PKCERequired),
		IsRefreshTokenRotationEnabled:    bp(s.RefreshTokenRotation),
		IsSecretRequiredForRefreshToken:  bp(s.SecretRequiredForRefreshToken),
		IsSecretRequiredForTokenExchange: bp(s.SecretRequiredForTokenExchange),
		IsTokenExchangeEnabled:           bp(s.TokenExchangeEnabled),
		OauthClientCredentialUser:        s.ClientCredentialsUser,
		Scopes:                           scopes,
		SingleLogoutURL:                  s.SingleLogoutURL,
	}
	if s.IDTokenValidityMinutes > 0 {
		oc.IDTokenConfig = &xmlCAIDTokenConfig{IDTokenValidity: ip(s.IDTokenValidityMinutes)}
	}
	x := &xmlConnectedApp{
		ContactEmail: s.ContactEmail,
		Description:  s.Description,
		Label:        labelOf(s),
		OauthConfig:  oc,
		OauthPolicy: &xmlCAOauthPolicy{
			IPRelaxation:               nonEmpty(strings.ToUpper(s.IPRelaxation), IPEnforce),
			IsTokenExchangeFlowEnabled: bp(s.TokenExchangeEnabled),
			RefreshTokenPolicy:         s.RefreshTokenPolicy.String(),
		},
		StartURL: s.StartURL,
	}
	if s.PermittedUsers == AdminApprovedPreAuthorized {
		x.PermissionSetName = s.PermissionSets
		x.ProfileName = s.Profiles
	}
	if s.SessionTimeoutMinutes > 0 || s.SessionLevel != "" || s.PolicyAction != "" {
		x.SessionPolicy = &xmlCASession{PolicyAction: s.PolicyAction, SessionLevel: s.SessionLevel}
		if s.SessionTimeoutMinutes > 0 {
			x.SessionPolicy.SessionTimeout = ip(s.SessionTimeoutMinutes)
		}
	}
	return x, nil
}

func labelOf(s Settings) string {
	if s.Label != "" {
		return s.Label
	}
	return s.Name
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// ParseConnectedApp reads a .connectedApp-meta.xml document. The consumer secret, if the
// file has one, is dropped. The name is the file's fullName when present (SOAP records);
// callers reading files set it from the file name.
func ParseConnectedApp(data []byte) (Settings, error) {
	var x xmlConnectedApp
	if err := decodeRoot(data, TypeConnectedApp, &x); err != nil {
		return Settings{}, err
	}
	return fromConnectedApp(&x)
}

func decodeRoot(data []byte, root string, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("parse %s: no <%s> element: %v", root, root, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != root {
				return fmt.Errorf("parse %s: the document's root is <%s>, not <%s>", root, se.Name.Local, root)
			}
			if err := dec.DecodeElement(v, &se); err != nil {
				return fmt.Errorf("parse %s: %v", root, err)
			}
			return nil
		}
	}
}

func fromConnectedApp(x *xmlConnectedApp) (Settings, error) {
	s := NewSettings(Connected, x.FullName)
	s.Label = x.Label
	s.ContactEmail = x.ContactEmail
	s.Description = x.Description
	s.StartURL = x.StartURL
	s.Profiles = x.ProfileName
	s.PermissionSets = x.PermissionSetName
	if oc := x.OauthConfig; oc != nil {
		s.CallbackURLs = splitLines(oc.CallbackURL)
		s.Certificate = strings.TrimSpace(oc.Certificate)
		s.ConsumerKey = oc.ConsumerKey
		s.Scopes = oauthScopes(oc.Scopes)
		s.SingleLogoutURL = oc.SingleLogoutURL
		s.ClientCredentialsUser = oc.OauthClientCredentialUser
		setb(&s.ConsumerSecretOptional, oc.IsConsumerSecretOptional)
		setb(&s.SecretRequiredForRefreshToken, oc.IsSecretRequiredForRefreshToken)
		setb(&s.SecretRequiredForTokenExchange, oc.IsSecretRequiredForTokenExchange)
		setb(&s.PKCERequired, oc.IsPkceRequired)
		setb(&s.ClientCredentialsEnabled, oc.IsClientCredentialEnabled)
		setb(&s.CodeCredentialEnabled, oc.IsCodeCredentialEnabled)
		setb(&s.CodeCredentialPostOnly, oc.IsCodeCredentialPostOnly)
		setb(&s.TokenExchangeEnabled, oc.IsTokenExchangeEnabled)
		setb(&s.IntrospectAllTokens, oc.IsIntrospectAllTokens)
		setb(&s.NamedUserJWT, oc.IsNamedUserJwtEnabled)
		setb(&s.RefreshTokenRotation, oc.IsRefreshTokenRotationEnabled)
		if oc.IsAdminApproved != nil && *oc.IsAdminApproved {
			s.PermittedUsers = AdminApprovedPreAuthorized
		}
		if oc.IDTokenConfig != nil && oc.IDTokenConfig.IDTokenValidity != nil {
			s.IDTokenValidityMinutes = *oc.IDTokenConfig.IDTokenValidity
		}
	}
	if op := x.OauthPolicy; op != nil {
		if op.IPRelaxation != "" {
			s.IPRelaxation = strings.ToUpper(strings.TrimSpace(op.IPRelaxation))
		}
		if op.RefreshTokenPolicy != "" {
			p, err := ParseRefreshTokenPolicy(op.RefreshTokenPolicy)
			if err != nil {
				return Settings{}, fmt.Errorf("ConnectedApp oauthPolicy/refreshTokenPolicy: %w", err)
			}
			s.RefreshTokenPolicy = p
		}
		if op.IsTokenExchangeFlowEnabled != nil && !*op.IsTokenExchangeFlowEnabled {
			s.TokenExchangeEnabled = false
		}
		if s.SingleLogoutURL == "" {
			s.SingleLogoutURL = op.SingleLogoutURL
		}
	}
	if sp := x.SessionPolicy; sp != nil {
		s.PolicyAction = sp.PolicyAction
		s.SessionLevel = sp.SessionLevel
		if sp.SessionTimeout != nil {
			s.SessionTimeoutMinutes = *sp.SessionTimeout
		}
	}
	return s, nil
}

func setb(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

// ECA enum spellings.
var (
	ecaIP = sfenum.ECAIPRelaxation
	ecaRT = sfenum.ECARefreshPolicy
)

func reverse(m map[string]string, v string) (string, bool) {
	for k, x := range m {
		if strings.EqualFold(x, v) {
			return k, true
		}
	}
	return "", false
}

func titleUnit(u string) string {
	u = strings.ToLower(u)
	if u == "" {
		return ""
	}
	return strings.ToUpper(u[:1]) + u[1:]
}

// ECAName returns the fullName of an External Client App component: the app's API name
// plus Salesforce's suffix for the type (App, App_glbloauth, App_oauth, App_oauthPlcy).
func ECAName(app, typ string) string { return app + component(typ).NameSuffix }

// MarshalExternalClientApp writes the four External Client App documents of s.
func MarshalExternalClientApp(s Settings, opt MetadataOptions) (ECAFiles, error) {
	var f ECAFiles
	scopes, err := metadataScopes(s.Scopes)
	if err != nil {
		return f, err
	}
	secret, err := secretFor(opt)
	if err != nil {
		return f, err
	}
	label := labelOf(s)
	app := &xmlECA{ContactEmail: s.ContactEmail, Description: s.Description, DistributionState: "Local", IsProtected: bp(false), Label: label}
	g := &xmlECAGlobal{
		CallbackURL:                      strings.Join(s.CallbackURLs, "\n"),
		Certificate:                      s.Certificate,
		ConsumerKey:                      s.ConsumerKey,
		ConsumerSecret:                   secret,
		ExternalClientApplication:        s.Name,
		IsClientCredentialsFlowEnabled:   bp(s.ClientCredentialsEnabled),
		IsCodeCredFlowEnabled:            bp(s.CodeCredentialEnabled),
		IsCodeCredPostOnly:               bp(s.CodeCredentialPostOnly),
		IsConsumerSecretOptional:         bp(s.ConsumerSecretOptional),
		IsDeviceFlowEnabled:              bp(s.DeviceFlowEnabled != nil && *s.DeviceFlowEnabled),
		IsIntrospectAllTokens:            bp(s.IntrospectAllTokens),
		IsNamedUserJwtEnabled:            bp(s.NamedUserJWT),
		IsPkceRequired:                   bp(s.PKCERequired),
		IsRefreshTokenRotationEnabled:    bp(s.RefreshTokenRotation),
		IsSecretRequiredForRefreshToken:  bp(s.SecretRequiredForRefreshToken),
		IsSecretRequiredForTokenExchange: bp(s.SecretRequiredForTokenExchange),
		IsTokenExchangeEnabled:           bp(s.TokenExchangeEnabled),
		Label:                            label + " Global OAuth",
		ShouldRotateConsumerKey:          bp(false),
		ShouldRotateConsumerSecret:       bp(false),
	}
	if s.IDTokenValidityMinutes > 0 {
		g.IDTokenConfig = &xmlECAIDTokenConfig{IDTokenValidityInMinutes: ip(s.IDTokenValidityMinutes)}
	}
	o := &xmlECAOauth{CommaSeparatedOauthScopes: strings.Join(scopes, ", "), ExternalClientApplication: s.Name,
		Label: label + " OAuth Settings", SingleLogoutURL: s.SingleLogoutURL}
	ipr, ok := ecaIP[strings.ToUpper(nonEmpty(s.IPRelaxation, IPEnforce))]
	if !ok {
		return f, fmt.Errorf("IP relaxation %q: use ENFORCE, BYPASS_2FACTOR, BYPASS or ENFORCE_RELAXREFRESH", s.IPRelaxation)
	}
	rt, ok := ecaRT[nonEmpty(s.RefreshTokenPolicy.Type, RefreshInfinite)]
	if !ok {
		return f, fmt.Errorf("refresh token policy %q: use infinite, zero, specific_lifetime or specific_inactivity", s.RefreshTokenPolicy.Type)
	}
	p := &xmlECAPolicies{
		ClientCredentialsFlowUser:      s.ClientCredentialsUser,
		CommaSeparatedCustomScopes:     strings.Join(s.CustomScopes, ","),
		CommaSeparatedPermissionSet:    strings.Join(s.PermissionSets, ","),
		CommaSeparatedProfile:          strings.Join(s.Profiles, ","),
		ExternalClientApplication:      s.Name,
		IPRelaxationPolicyType:         ipr,
		IsClientCredentialsFlowEnabled: bp(s.ClientCredentialsEnabled),
		IsGuestCodeCredFlowEnabled:     bp(false),
		IsTokenExchangeFlowEnabled:     bp(s.TokenExchangeEnabled),
		Label:                          label + " OAuth Policies",
		PermittedUsersPolicyType:       nonEmpty(s.PermittedUsers, AdminApprovedPreAuthorized),
		PolicyAction:                   s.PolicyAction,
		RefreshTokenPolicyType:         rt,
		RequiredSessionLevel:           s.SessionLevel,
		StartURL:                       s.StartURL,
	}
	if s.NamedUserJWT {
		p.NamedUserJwtSessionTimeoutType = "UserSession"
		if s.NamedUserJWTTimeoutMinutes > 0 {
			p.NamedUserJwtSessionTimeoutType = "Custom"
			p.NamedUserJwtTimeout = ip(s.NamedUserJWTTimeoutMinutes)
		}
	}
	if rt == "SpecificLifetime" || rt == "SpecificInactivity" {
		p.RefreshTokenValidityPeriod = ip(s.RefreshTokenPolicy.Period)
		p.RefreshTokenValidityUnit = titleUnit(s.RefreshTokenPolicy.Unit)
	}
	if s.SessionTimeoutMinutes > 0 {
		p.SessionTimeoutInMinutes = ip(s.SessionTimeoutMinutes)
	}
	for _, d := range []struct {
		dst  *[]byte
		root string
		v    any
	}{{&f.App, TypeECA, app}, {&f.GlobalOauth, TypeECAGlobal, g}, {&f.Oauth, TypeECAOauth, o}, {&f.Policies, TypeECAPolicies, p}} {
		b, err := marshalDoc(d.root, d.v)
		if err != nil {
			return f, err
		}
		*d.dst = b
	}
	return f, nil
}

// ParseExternalClientApp reads an External Client App metadata set; any file may be
// missing (its settings keep their defaults). The consumer secret is dropped.
func ParseExternalClientApp(f ECAFiles) (Settings, error) {
	app, err := decodeOptional[xmlECA](f.App, TypeECA)
	if err != nil {
		return Settings{}, err
	}
	g, err := decodeOptional[xmlECAGlobal](f.GlobalOauth, TypeECAGlobal)
	if err != nil {
		return Settings{}, err
	}
	o, err := decodeOptional[xmlECAOauth](f.Oauth, TypeECAOauth)
	if err != nil {
		return Settings{}, err
	}
	p, err := decodeOptional[xmlECAPolicies](f.Policies, TypeECAPolicies)
	if err != nil {
		return Settings{}, err
	}
	return fromECA(app, g, o, p)
}

// decodeOptional decodes data, a component whose root element is root, or returns nil for a
// missing component (nil data).
func decodeOptional[T any](data []byte, root string) (*T, error) {
	if data == nil {
		return nil, nil
	}
	v := new(T)
	if err := decodeRoot(data, root, v); err != nil {
		return nil, err
	}
	return v, nil
}

func fromECA(app *xmlECA, g *xmlECAGlobal, o *xmlECAOauth, p *xmlECAPolicies) (Settings, error) {
	if app == nil && g == nil && o == nil && p == nil {
		return Settings{}, fmt.Errorf("no External Client App metadata found; expected .eca, .ecaGlblOauth, .ecaOauth or .ecaOauthPlcy files")
	}
	name := ""
	for _, n := range []string{fieldOr(app, func(a *xmlECA) string { return a.FullName }),
		fieldOr(g, func(x *xmlECAGlobal) string { return x.ExternalClientApplication }),
		fieldOr(o, func(x *xmlECAOauth) string { return x.ExternalClientApplication }),
		fieldOr(p, func(x *xmlECAPolicies) string { return x.ExternalClientApplication })} {
		if name == "" {
			name = n
		}
	}
	s := NewSettings(External, name)
	s.Label = ""
	if app != nil {
		s.Label, s.ContactEmail, s.Description = app.Label, app.ContactEmail, app.Description
	}
	if g != nil {
		s.CallbackURLs = splitLines(g.CallbackURL)
		s.Certificate = strings.TrimSpace(g.Certificate)
		s.ConsumerKey = g.ConsumerKey
		setb(&s.ClientCredentialsEnabled, g.IsClientCredentialsFlowEnabled)
		setb(&s.CodeCredentialEnabled, g.IsCodeCredFlowEnabled)
		setb(&s.CodeCredentialPostOnly, g.IsCodeCredPostOnly)
		setb(&s.ConsumerSecretOptional, g.IsConsumerSecretOptional)
		if g.IsDeviceFlowEnabled != nil {
			s.DeviceFlowEnabled = bp(*g.IsDeviceFlowEnabled)
		}
		setb(&s.IntrospectAllTokens, g.IsIntrospectAllTokens)
		setb(&s.NamedUserJWT, g.IsNamedUserJwtEnabled)
		setb(&s.PKCERequired, g.IsPkceRequired)
		setb(&s.RefreshTokenRotation, g.IsRefreshTokenRotationEnabled)
		setb(&s.SecretRequiredForRefreshToken, g.IsSecretRequiredForRefreshToken)
		setb(&s.SecretRequiredForTokenExchange, g.IsSecretRequiredForTokenExchange)
		setb(&s.TokenExchangeEnabled, g.IsTokenExchangeEnabled)
		if g.IDTokenConfig != nil && g.IDTokenConfig.IDTokenValidityInMinutes != nil {
			s.IDTokenValidityMinutes = *g.IDTokenConfig.IDTokenValidityInMinutes
		}
	}
	if o != nil {
		s.Scopes = oauthScopes(splitComma(o.CommaSeparatedOauthScopes))
		s.SingleLogoutURL = o.SingleLogoutURL
	}
	if p != nil {
		s.ClientCredentialsUser = p.ClientCredentialsFlowUser
		s.CustomScopes = splitComma(p.CommaSeparatedCustomScopes)
		s.PermissionSets = splitComma(p.CommaSeparatedPermissionSet)
		s.Profiles = splitComma(p.CommaSeparatedProfile)
		if p.IPRelaxationPolicyType != "" {
			v, ok := reverse(ecaIP, strings.TrimSpace(p.IPRelaxationPolicyType))
			if !ok {
				return Settings{}, fmt.Errorf("%s ipRelaxationPolicyType %q: expected Enforce, Bypass_2factor, Bypass or Enforce_RelaxRefresh", TypeECAPolicies, p.IPRelaxationPolicyType)
			}
			s.IPRelaxation = v
		}
		// The flow is on only when both the global settings and the policies enable it.
		if p.IsClientCredentialsFlowEnabled != nil && !*p.IsClientCredentialsFlowEnabled {
			s.ClientCredentialsEnabled = false
		} else if p.IsClientCredentialsFlowEnabled != nil && g == nil {
			s.ClientCredentialsEnabled = *p.IsClientCredentialsFlowEnabled
		}
		if p.IsTokenExchangeFlowEnabled != nil && !*p.IsTokenExchangeFlowEnabled {
			s.TokenExchangeEnabled = false
		}
		if p.PermittedUsersPolicyType != "" {
			switch v := strings.TrimSpace(p.PermittedUsersPolicyType); {
			case strings.EqualFold(v, AllSelfAuthorized):
				s.PermittedUsers = AllSelfAuthorized
			case strings.EqualFold(v, AdminApprovedPreAuthorized):
				s.PermittedUsers = AdminApprovedPreAuthorized
			default:
				return Settings{}, fmt.Errorf("%s permittedUsersPolicyType %q: expected AllSelfAuthorized or AdminApprovedPreAuthorized", TypeECAPolicies, v)
			}
		}
		if p.RefreshTokenPolicyType != "" {
			t, ok := reverse(ecaRT, strings.TrimSpace(p.RefreshTokenPolicyType))
			if !ok {
				return Settings{}, fmt.Errorf("%s refreshTokenPolicyType %q: expected Infinite, Zero, SpecificLifetime or SpecificInactivity", TypeECAPolicies, p.RefreshTokenPolicyType)
			}
			s.RefreshTokenPolicy = RefreshTokenPolicy{Type: t}
			if t == RefreshSpecificLifetime || t == RefreshSpecificInactivity {
				if p.RefreshTokenValidityPeriod != nil {
					s.RefreshTokenPolicy.Period = *p.RefreshTokenValidityPeriod
				}
				s.RefreshTokenPolicy.Unit = strings.ToUpper(strings.TrimSpace(p.RefreshTokenValidityUnit))
			}
		}
		if p.NamedUserJwtTimeout != nil && strings.EqualFold(p.NamedUserJwtSessionTimeoutType, "Custom") {
			s.NamedUserJWTTimeoutMinutes = *p.NamedUserJwtTimeout
		}
		if p.SessionTimeoutInMinutes != nil {
			s.SessionTimeoutMinutes = *p.SessionTimeoutInMinutes
		}
		s.PolicyAction = p.PolicyAction
		s.SessionLevel = p.RequiredSessionLevel
		s.StartURL = p.StartURL
		if s.SingleLogoutURL == "" {
			s.SingleLogoutURL = p.SingleLogoutURL
		}
	}
	return s, nil
}

func fieldOr[T any](p *T, f func(*T) string) string {
	if p == nil {
		return ""
	}
	return f(p)
}
