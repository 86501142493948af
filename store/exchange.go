package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// ExportFormat is the version of the export format (the connectedapplab_export field).
const ExportFormat = 1

// export is the JSON form of an export: profiles without IDs, timestamps, per-machine choices
// or secrets, for sharing with a team.
type export struct {
	Format   int       `json:"connectedapplab_export"`
	Exported time.Time `json:"exported,omitzero"`
	Note     string    `json:"note,omitempty"`
	Profiles []Profile `json:"profiles"`
}

const exportNote = "Connected App Lab profiles without secrets; import with `connectedapplab profiles import FILE`, then add each profile's secrets."

// forExport strips what is per machine: the ID (keychain accounts derive from it), timestamps,
// the refresh-token opt-in and the keychain-held key flag.
func forExport(p Profile) Profile {
	p = p.clone()
	p.ID = ""
	p.Created, p.Updated = time.Time{}, time.Time{}
	p.RememberRefreshToken = false
	p.RefreshTokenObtainedAt = time.Time{}
	p.JWTKeyInKeychain = false
	return p
}

// Export renders the named profiles (all when names is empty) as JSON, without any secret.
func (s *Store) Export(names ...string) ([]byte, error) {
	all, err := s.List()
	if err != nil {
		return nil, err
	}
	var pick []Profile
	if len(names) == 0 {
		pick = all
	} else {
		seen := map[string]bool{}
		for _, n := range names {
			i := find(all, n)
			if i < 0 {
				return nil, notFound(n, all)
			}
			if !seen[all[i].ID] {
				seen[all[i].ID] = true
				pick = append(pick, all[i])
			}
		}
	}
	e := export{Format: ExportFormat, Exported: s.now().UTC().Truncate(time.Second), Note: exportNote, Profiles: []Profile{}}
	for _, p := range pick {
		e.Profiles = append(e.Profiles, forExport(p))
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ImportFormat names what Import found.
type ImportFormat string

const (
	FormatExport       ImportFormat = "connectedapplab-export"
	FormatProfilesFile ImportFormat = "connectedapplab-profiles-file"
	FormatSFOrgDisplay ImportFormat = "sf-org-display"
)

// ImportOptions tune Import.
type ImportOptions struct {
	// Replace overwrites profiles of the same name (keeping their IDs, so their secrets stay);
	// without it a name clash is an error and nothing is imported.
	Replace bool
	// Name names the profile imported from `sf org display` output (default: the org's alias,
	// else its username).
	Name string
}

// ImportResult says what Import did.
type ImportResult struct {
	Format   ImportFormat
	Added    []Profile
	Replaced []Profile
	// Org is set for `sf org display` output. It holds the access token in memory only, for
	// inspection; it is never saved.
	Org *SFOrg
	// Ignored lists secret fields found in the input and dropped (secrets are never imported
	// into the profiles file).
	Ignored []string
}

// Import adds the profiles of data: an export, a profiles file, or the output of
// `sf org display --verbose --json` (detected automatically). It is all or nothing.
func (s *Store) Import(data []byte, opt ImportOptions) (ImportResult, error) {
	res, incoming, err := ParseImport(data, opt.Name)
	if err != nil {
		return res, err
	}
	if len(incoming) == 0 {
		return res, invalidImport(errors.New("the file has no profiles to import; export some with `connectedapplab profiles export`"))
	}
	for i := range incoming {
		if incoming[i].AppKind == "" {
			incoming[i].AppKind = ConnectedApp
		}
		if err := s.validate(&incoming[i]); err != nil {
			return res, invalidImport(fmt.Errorf("import: %v", err))
		}
	}
	now := s.now().UTC().Truncate(time.Second)
	var added, replaced []Profile
	err = s.update(func(ps []Profile) ([]Profile, error) {
		added, replaced = nil, nil
		seen := map[string]bool{}
		for _, in := range incoming {
			key := nameKey(in.Name)
			if seen[key] {
				return nil, invalidImport(fmt.Errorf("the file has two profiles named %q; rename one of them and import again", in.Name))
			}
			seen[key] = true
			if i := find(ps, in.Name); i >= 0 && strings.EqualFold(ps[i].Name, in.Name) {
				if !opt.Replace {
					return nil, kindErrorf(ErrNameTaken, "profile %q already exists; remove it, rename it in the file, or import with --replace", ps[i].Name)
				}
				in.ID, in.Created, in.Updated = ps[i].ID, ps[i].Created, now
				in.RememberRefreshToken = ps[i].RememberRefreshToken
				in.RefreshTokenObtainedAt = ps[i].RefreshTokenObtainedAt
				in.JWTKeyInKeychain = ps[i].JWTKeyInKeychain
				ps[i] = in
				replaced = append(replaced, in.clone())
				continue
			}
			in.ID, in.Created, in.Updated = newID(), now, now
			in.RefreshTokenObtainedAt = time.Time{}
			ps = append(ps, in)
			added = append(added, in.clone())
		}
		return ps, nil
	})
	if err != nil {
		return res, err
	}
	res.Added, res.Replaced = added, replaced
	return res, nil
}

// ErrInvalidImport is wrapped by every error about the content of import data (not JSON, an
// unknown format, a newer version, an invalid profile, no profiles): the input must change.
var ErrInvalidImport = errors.New("invalid import")

func invalidImport(err error) error {
	if err == nil || errors.Is(err, ErrInvalidImport) {
		return err
	}
	return kindErrorf(ErrInvalidImport, "%s", err.Error())
}

// ParseImport decodes import data without touching any store: the profiles it holds
// (IDs cleared) and, for `sf org display` output, the org. Its errors wrap ErrInvalidImport.
func ParseImport(data []byte, sfName string) (ImportResult, []Profile, error) {
	res, ps, err := parseImport(data, sfName)
	return res, ps, invalidImport(err)
}

func parseImport(data []byte, sfName string) (ImportResult, []Profile, error) {
	var res ImportResult
	trimmed := bytes.TrimSpace(data)
	var probe map[string]json.RawMessage
	if len(trimmed) > 0 && trimmed[0] == '{' {
		if err := json.Unmarshal(trimmed, &probe); err != nil {
			return res, nil, fmt.Errorf("the file is not valid JSON (%v); give an export from `connectedapplab profiles export` or the output of `sf org display --verbose --json`", oneLine(err.Error()))
		}
	}
	switch {
	case probe != nil && probe["connectedapplab_export"] != nil:
		res.Format = FormatExport
		var e export
		if err := json.Unmarshal(trimmed, &e); err != nil {
			return res, nil, fmt.Errorf("the export is malformed (%v); export it again", describeJSONError(err))
		}
		if e.Format > ExportFormat {
			return res, nil, fmt.Errorf("the export was made by a newer Connected App Lab (format %d; this one reads %d); upgrade connectedapplab", e.Format, ExportFormat)
		}
		res.Ignored = secretFields(trimmed)
		return res, clearIDs(e.Profiles), nil
	case probe != nil && (probe["result"] != nil || probe["status"] != nil):
		res.Format = FormatSFOrgDisplay
		org, err := ParseSFOrgDisplay(trimmed)
		if err != nil {
			return res, nil, err
		}
		res.Org = org
		if org.HadAuthURL {
			res.Ignored = append(res.Ignored, "sfdxAuthUrl (it contains a refresh token)")
		}
		p, err := org.Profile(sfName)
		if err != nil {
			return res, nil, err
		}
		return res, []Profile{p}, nil
	}
	pf, err := parseFile(trimmed)
	if errors.Is(err, errNewer) {
		return res, nil, fmt.Errorf("the file is a profiles file of a newer Connected App Lab (schema version %d; this one reads up to %d); upgrade connectedapplab", pf.version, SchemaVersion)
	}
	if err != nil || (probe != nil && probe["schema_version"] == nil && probe["profiles"] == nil) {
		return res, nil, errors.New("the file is neither a Connected App Lab export nor the output of `sf org display --verbose --json`; give one of those")
	}
	res.Format = FormatProfilesFile
	res.Ignored = secretFields(trimmed)
	return res, clearIDs(pf.profiles), nil
}

func clearIDs(ps []Profile) []Profile {
	out := make([]Profile, len(ps))
	for i, p := range ps {
		p = p.clone()
		p.ID = ""
		out[i] = p
	}
	return out
}

// secretFields lists secret-looking fields of the profiles in data, which Import drops.
func secretFields(data []byte) []string {
	var doc struct {
		Profiles []map[string]json.RawMessage `json:"profiles"`
	}
	var arr []map[string]json.RawMessage
	if json.Unmarshal(data, &doc) != nil || doc.Profiles == nil {
		if json.Unmarshal(data, &arr) != nil {
			return nil
		}
		doc.Profiles = arr
	}
	found := map[string]bool{}
	for _, p := range doc.Profiles {
		for k := range p {
			lk := strings.ToLower(k)
			for _, word := range []string{"secret", "password", "token", "passphrase", "private_key"} {
				if strings.Contains(lk, word) && lk != "remember_refresh_token" && !strings.HasPrefix(lk, "refresh_token_") {
					found[k] = true
				}
			}
		}
	}
	out := make([]string, 0, len(found))
	for k := range found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SFOrg is an org as `sf org display --verbose --json` describes it. AccessToken is held in
// memory only, for inspection; the String and JSON forms redact it.
type SFOrg struct {
	Alias           string
	Username        string
	OrgID           string
	InstanceURL     string
	ClientID        string
	APIVersion      string
	ConnectedStatus string
	AccessToken     string `json:"-"`
	// HadAuthURL is set when the output carried an sfdxAuthUrl (it embeds a refresh token); it
	// is ignored and not kept.
	HadAuthURL bool
}

func (o SFOrg) String() string {
	tok := "none"
	if o.AccessToken != "" {
		tok = "[redacted]"
	}
	return fmt.Sprintf("store.SFOrg{alias=%q username=%q instance=%q client_id=%q access_token=%s}", o.Alias, o.Username, o.InstanceURL, o.ClientID, tok)
}

func (o SFOrg) GoString() string { return o.String() }

// SalesforceCLIClientID is the client ID of the Salesforce CLI's own connected app, and
// SalesforceCLICallbackURL its callback (shared/reference/salesforce-oauth.md §8.3).
const (
	SalesforceCLIClientID    = "PlatformCLI"
	SalesforceCLICallbackURL = "http://localhost:1717/OauthRedirect"
)

// ParseSFOrgDisplay reads the output of `sf org display --verbose --json`.
func ParseSFOrgDisplay(data []byte) (*SFOrg, error) {
	var doc struct {
		Status  *int   `json:"status"`
		Name    string `json:"name"`
		Message string `json:"message"`
		Result  *struct {
			ID              string `json:"id"`
			APIVersion      string `json:"apiVersion"`
			AccessToken     string `json:"accessToken"`
			InstanceURL     string `json:"instanceUrl"`
			Username        string `json:"username"`
			ClientID        string `json:"clientId"`
			ConnectedStatus string `json:"connectedStatus"`
			SfdxAuthURL     string `json:"sfdxAuthUrl"`
			Alias           string `json:"alias"`
		} `json:"result"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(data), &doc); err != nil {
		return nil, fmt.Errorf("the sf output is not valid JSON (%v); run `sf org display --verbose --json --target-org ALIAS > org.json` and import that file", describeJSONError(err))
	}
	if doc.Status != nil && *doc.Status != 0 {
		msg := oneLine(strings.TrimSpace(doc.Name + ": " + doc.Message))
		return nil, fmt.Errorf("sf reported an error (%s); fix the sf command (log in with `sf org login web`) and export again", strings.Trim(msg, ": "))
	}
	r := doc.Result
	if r == nil || r.InstanceURL == "" {
		return nil, errors.New("the sf output has no result.instanceUrl; run `sf org display --verbose --json` (with --json) and import its output")
	}
	u, err := url.Parse(r.InstanceURL)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopbackHost(u.Hostname()))) {
		return nil, fmt.Errorf("the sf output's instanceUrl %q is not an https URL; check that it came from `sf org display`", r.InstanceURL)
	}
	return &SFOrg{
		Alias: r.Alias, Username: r.Username, OrgID: r.ID, InstanceURL: strings.TrimRight(r.InstanceURL, "/"),
		ClientID: r.ClientID, APIVersion: r.APIVersion, ConnectedStatus: r.ConnectedStatus,
		AccessToken: r.AccessToken, HadAuthURL: r.SfdxAuthURL != "",
	}, nil
}

// Profile turns the org into a profile named name (default: alias, else username). The login
// URL is the instance (My Domain) URL, which accepts logins for production and sandboxes alike.
func (o *SFOrg) Profile(name string) (Profile, error) {
	if name == "" {
		name = o.Alias
	}
	if name == "" {
		name = o.Username
	}
	if name == "" {
		return Profile{}, errors.New("the sf output has neither an alias nor a username; give the profile a name with --name")
	}
	if err := ValidateName(name); err != nil {
		return Profile{}, fmt.Errorf("%v (or pass --name to choose another)", err)
	}
	p := Profile{
		Name:     name,
		LoginURL: o.InstanceURL,
		AppKind:  ConnectedApp,
		ClientID: o.ClientID,
		Username: o.Username,
		Notes:    "Imported from `sf org display`",
	}
	if u, err := url.Parse(o.InstanceURL); err == nil && strings.HasSuffix(strings.ToLower(u.Hostname()), ".my.salesforce.com") {
		p.MyDomainURL = o.InstanceURL
	}
	if o.OrgID != "" {
		p.Notes += " (org " + o.OrgID + ")"
	}
	if o.ClientID == SalesforceCLIClientID {
		p.CallbackURL = SalesforceCLICallbackURL
		p.Notes += "; PlatformCLI is the Salesforce CLI's own connected app"
	}
	p.Notes += "."
	return p, nil
}
