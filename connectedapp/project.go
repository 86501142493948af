package connectedapp

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/connectedapplab/connectedapplab/internal/userfile"
)

// APIVersion is the Metadata API version of generated projects and SOAP calls.
const APIVersion = "65.0"

// PackageDir is the SFDX package directory generated projects use.
const PackageDir = "force-app/main/default"

// File is one generated file; Path is slash-separated and relative to the project root.
type File struct {
	Path string
	Data []byte
}

// Project is a generated SFDX project folder that `sf project deploy start` accepts
// (source format under force-app, plus manifest/package.xml for
// `sf project deploy start --manifest manifest/package.xml`).
type Project struct {
	Files []File
	// Notes are things the user must know before deploying (printed by the CLI).
	Notes []string
}

// File returns the file at path, or nil.
func (p *Project) File(path string) []byte {
	for _, f := range p.Files {
		if f.Path == path {
			return f.Data
		}
	}
	return nil
}

// GenerateOptions tune Generate.
type GenerateOptions struct {
	MetadataOptions
	// APIVersion defaults to 65.0.
	APIVersion string
	// LoginURL goes to sfdx-project.json's sfdcLoginUrl (default https://login.salesforce.com).
	LoginURL string
}

var apiName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// ValidateForMetadata reports the first reason s cannot become deployable metadata.
func ValidateForMetadata(s Settings) error {
	switch {
	case s.Kind != Connected && s.Kind != External:
		return fmt.Errorf("app kind %q: use connected or external", s.Kind)
	case !apiName.MatchString(s.Name) || strings.Contains(s.Name, "__") || strings.HasSuffix(s.Name, "_") || len(s.Name) > 40:
		return fmt.Errorf("app name %q: use letters, digits and single underscores, starting with a letter, not ending with _, at most 40 characters", s.Name)
	case s.ContactEmail == "":
		return fmt.Errorf("the app needs a contact email (a required metadata field); set one")
	case len(s.CallbackURLs) == 0:
		return fmt.Errorf("the app needs at least one callback URL (callbackUrl is required), e.g. http://localhost:1717/OauthRedirect")
	case len(s.Scopes) == 0:
		return fmt.Errorf("the app needs at least one OAuth scope, e.g. api refresh_token")
	}
	if _, err := mail.ParseAddress(s.ContactEmail); err != nil {
		return fmt.Errorf("contact email %q is not an email address", s.ContactEmail)
	}
	for _, cb := range s.CallbackURLs {
		if u, err := url.Parse(cb); err != nil || u.Scheme == "" || strings.ContainsAny(cb, " \t\r\n") {
			return fmt.Errorf("callback URL %q is not an absolute URL", cb)
		}
	}
	return nil
}

// Generate builds the SFDX project for s. The consumer secret is written only when
// opt.IncludeConsumerSecret is set; Salesforce accepts it only when the app is created.
func Generate(s Settings, opt GenerateOptions) (*Project, error) {
	s.Scopes = NormalizeScopes(s.Scopes)
	if err := ValidateForMetadata(s); err != nil {
		return nil, err
	}
	ver := nonEmpty(opt.APIVersion, APIVersion)
	if !regexp.MustCompile(`^\d{2,3}\.0$`).MatchString(ver) {
		return nil, fmt.Errorf("API version %q: write it like 65.0", ver)
	}
	p := &Project{}
	types := map[string][]string{}
	add := func(typ, fullName string, data []byte) {
		c := component(typ)
		p.Files = append(p.Files, File{Path: PackageDir + "/" + c.Folder + "/" + fullName + c.Suffix, Data: data})
		types[typ] = append(types[typ], fullName)
	}
	switch s.Kind {
	case Connected:
		b, err := MarshalConnectedApp(s, opt.MetadataOptions)
		if err != nil {
			return nil, err
		}
		add(TypeConnectedApp, s.Name, b)
		p.Notes = append(p.Notes, "Creating new Connected Apps is restricted since Spring '26 (a Support request enables it); consider --kind external.")
		p.Notes = append(p.Notes, "\"Enable for Device Flow\" has no ConnectedApp metadata field: set it in Setup after deploying if you need the device flow.")
	case External:
		f, err := MarshalExternalClientApp(s, opt.MetadataOptions)
		if err != nil {
			return nil, err
		}
		add(TypeECA, s.Name, f.App)
		add(TypeECAGlobal, ECAName(s.Name, TypeECAGlobal), f.GlobalOauth)
		add(TypeECAOauth, ECAName(s.Name, TypeECAOauth), f.Oauth)
		add(TypeECAPolicies, ECAName(s.Name, TypeECAPolicies), f.Policies)
		p.Notes = append(p.Notes, "The .ecaGlblOauth file holds the global OAuth settings; it cannot be packaged, only deployed to this org.")
	}
	if opt.IncludeConsumerSecret {
		p.Notes = append(p.Notes, "The consumer secret is in the generated files: keep them out of source control. Salesforce accepts it only when the app is created.")
	} else {
		p.Notes = append(p.Notes, "No consumer secret is written: Salesforce generates one on create (a secret is settable only on create, never on update, and never returned by a retrieve).")
	}
	pkg, err := packageXML(types, ver)
	if err != nil {
		return nil, err
	}
	p.Files = append(p.Files, File{Path: "manifest/package.xml", Data: pkg})
	proj, err := sfdxProject(s.Name, ver, opt.LoginURL)
	if err != nil {
		return nil, err
	}
	p.Files = append(p.Files, File{Path: "sfdx-project.json", Data: proj})
	sort.Slice(p.Files, func(i, j int) bool { return p.Files[i].Path < p.Files[j].Path })
	return p, nil
}

type xmlPackage struct {
	XMLName xml.Name      `xml:"Package"`
	Xmlns   string        `xml:"xmlns,attr"`
	Types   []xmlPkgTypes `xml:"types"`
	Version string        `xml:"version"`
}

type xmlPkgTypes struct {
	Members []string `xml:"members"`
	Name    string   `xml:"name"`
}

func packageXML(types map[string][]string, ver string) ([]byte, error) {
	pk := xmlPackage{Xmlns: MetadataNS, Version: ver}
	for _, c := range Components { // Components order is the deploy order
		if m := types[c.Type]; len(m) > 0 {
			pk.Types = append(pk.Types, xmlPkgTypes{Members: m, Name: c.Type})
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "    ")
	if err := enc.Encode(pk); err != nil {
		return nil, fmt.Errorf("encode package.xml: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// SFDXProject is the sfdx-project.json a generated project carries.
type SFDXProject struct {
	PackageDirectories []SFDXPackageDir `json:"packageDirectories"`
	Name               string           `json:"name"`
	Namespace          string           `json:"namespace"`
	SfdcLoginURL       string           `json:"sfdcLoginUrl"`
	SourceAPIVersion   string           `json:"sourceApiVersion"`
}

// SFDXPackageDir is one packageDirectories entry.
type SFDXPackageDir struct {
	Path    string `json:"path"`
	Default bool   `json:"default"`
}

func sfdxProject(name, ver, loginURL string) ([]byte, error) {
	b, err := json.MarshalIndent(SFDXProject{
		PackageDirectories: []SFDXPackageDir{{Path: "force-app", Default: true}},
		Name:               name,
		SfdcLoginURL:       nonEmpty(loginURL, "https://login.salesforce.com"),
		SourceAPIVersion:   ver,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Write writes the project under dir, creating folders. It refuses to overwrite an
// existing file so that a generate never clobbers someone's project.
func (p *Project) Write(dir string) error {
	for _, f := range p.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s already exists; choose an empty --out folder or remove the file", path)
		}
	}
	for _, f := range p.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
		}
		perm := os.FileMode(0o644)
		if bytes.Contains(f.Data, []byte("<consumerSecret>")) {
			perm = 0o600
		}
		if err := os.WriteFile(path, f.Data, perm); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}

// LoadMetadata reads an app's settings from metadata on disk: a .connectedApp-meta.xml
// file, one file of an External Client App set (its siblings are found in the SFDX
// folders next to it), or a folder (an SFDX project or any folder) holding exactly one app.
func LoadMetadata(path string) (Settings, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Settings{}, fmt.Errorf("read metadata: %w", err)
	}
	if !st.IsDir() {
		return loadMetadataFile(path)
	}
	var cas, ecas []string
	ecaFiles := map[string]string{} // suffix → path, per app name
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "node_modules" || (strings.HasPrefix(n, ".") && p != path) {
				return filepath.SkipDir
			}
			return nil
		}
		switch name := d.Name(); {
		case strings.HasSuffix(name, component(TypeConnectedApp).Suffix):
			cas = append(cas, p)
		case strings.HasSuffix(name, component(TypeECA).Suffix):
			ecas = append(ecas, p)
		default:
			for _, c := range Components[2:] {
				if strings.HasSuffix(name, c.Suffix) {
					ecaFiles[p] = c.Type
				}
			}
		}
		return nil
	})
	if err != nil {
		return Settings{}, fmt.Errorf("read metadata in %s: %w", path, err)
	}
	switch n := len(cas) + len(ecas); {
	case n == 0 && len(ecaFiles) == 0:
		return Settings{}, fmt.Errorf("no .connectedApp-meta.xml or .eca*-meta.xml files in %s; point --metadata at a generated or retrieved project", path)
	case n > 1:
		return Settings{}, fmt.Errorf("%s holds %d apps; pass the path of one .connectedApp-meta.xml or .eca-meta.xml file", path, n)
	case len(cas) == 1:
		return loadMetadataFile(cas[0])
	case len(ecas) == 1:
		return loadMetadataFile(ecas[0])
	}
	// Only ECA child files: take them if they all name one app.
	var first string
	for p := range ecaFiles {
		if first == "" || p < first {
			first = p
		}
	}
	return loadMetadataFile(first)
}

func loadMetadataFile(path string) (Settings, error) {
	base := filepath.Base(path)
	if name, ok := strings.CutSuffix(base, component(TypeConnectedApp).Suffix); ok {
		b, err := readCapped(path)
		if err != nil {
			return Settings{}, err
		}
		s, err := ParseConnectedApp(b)
		if err != nil {
			return Settings{}, fmt.Errorf("%s: %w", path, err)
		}
		if s.Name == "" {
			s.Name = name
		}
		return s, nil
	}
	// An External Client App file: find the app name and the sibling files.
	var appName string
	for _, c := range Components[1:] {
		if n, ok := strings.CutSuffix(base, c.Suffix); ok {
			appName = strings.TrimSuffix(n, c.NameSuffix)
			if c.Type != TypeECA {
				b, err := readCapped(path)
				if err != nil {
					return Settings{}, err
				}
				if ref := elementText(b, "externalClientApplication"); ref != "" {
					appName = ref
				}
			}
			break
		}
	}
	if appName == "" {
		return Settings{}, fmt.Errorf("%s is not a .connectedApp-meta.xml or External Client App (.eca, .ecaGlblOauth, .ecaOauth, .ecaOauthPlcy) file", path)
	}
	// The default folder holds the per-type folders; a flat folder holds them all.
	root := filepath.Dir(filepath.Dir(path))
	files, err := findECAFiles(root, filepath.Dir(path), appName)
	if err != nil {
		return Settings{}, err
	}
	s, err := ParseExternalClientApp(files)
	if err != nil {
		return Settings{}, fmt.Errorf("%s: %w", path, err)
	}
	if s.Name == "" {
		s.Name = appName
	}
	return s, nil
}

// findECAFiles looks for the app's four files in root/<folder>/ and in flat.
func findECAFiles(root, flat, app string) (ECAFiles, error) {
	var f ECAFiles
	dst := map[string]*[]byte{TypeECA: &f.App, TypeECAGlobal: &f.GlobalOauth, TypeECAOauth: &f.Oauth, TypeECAPolicies: &f.Policies}
	for _, c := range Components[1:] {
		for _, dir := range []string{filepath.Join(root, c.Folder), flat} {
			matches, _ := filepath.Glob(filepath.Join(dir, "*"+c.Suffix))
			for _, m := range matches {
				b, err := readCapped(m)
				if err != nil {
					return f, err
				}
				ref := elementText(b, "externalClientApplication")
				if c.Type == TypeECA {
					ref = strings.TrimSuffix(filepath.Base(m), c.Suffix)
				}
				if ref == app && *dst[c.Type] == nil {
					*dst[c.Type] = b
				}
			}
		}
	}
	return f, nil
}

// elementText returns the text of the first element named local, or "".
func elementText(doc []byte, local string) string {
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			var s string
			if dec.DecodeElement(&s, &se) != nil {
				return ""
			}
			return strings.TrimSpace(s)
		}
	}
}

// readCapped reads a metadata file the user named: a regular file only (not /dev/zero, a FIFO
// or a directory), at most userfile.DocumentLimit bytes.
func readCapped(path string) ([]byte, error) {
	return userfile.Read(path, "metadata file", userfile.DocumentLimit)
}
