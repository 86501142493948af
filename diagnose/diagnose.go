// Package diagnose gathers, from a Salesforce org, the facts guidance.DiagnoseRefresh and
// guidance.BudgetFor reason about: the user's OauthToken records for an app and the user's
// state (REST SOQL query), the app's refresh token policy and rotation (Metadata API, through
// connectedapp.Reader), and it replays the refresh to see the error. It also revokes one
// approval by its DeleteToken when asked.
//
// Every call has a context and a timeout, every body is size-capped (flows' HTTP layer), and
// tokens (access, refresh, DeleteToken) never appear in an error or a returned string.
package diagnose

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// APIVersion is the REST API version of the SOQL queries (OauthToken exists in every live
// version, reference §15.6).
const APIVersion = "62.0"

// DefaultTimeout is each request's timeout when none is set.
const DefaultTimeout = 30 * time.Second

// Admin is an admin's access to the org: an access token with the api scope of a user who may
// query OauthToken (Manage Users) and read metadata (Customize Application, View Setup).
type Admin struct {
	InstanceURL string // the admin token response's instance_url
	AccessToken string // secret
	// LoginURL is where /services/oauth2/revoke is called (default: InstanceURL).
	LoginURL string
	Timeout  time.Duration
	// Options carry proxy and CA settings for the HTTP calls (flows.Options).
	Options flows.Options
}

// Record is one OauthToken row as queried. DeleteToken is a secret: it revokes the approval.
type Record struct {
	guidance.Approval
	UserID      string
	DeleteToken string
}

// User is the queried user.
type User struct {
	ID       string
	Username string
	Active   bool
}

func (a *Admin) req() flows.Request {
	o := a.Options
	if a.Timeout > 0 {
		o.RequestTimeout = a.Timeout
	} else if o.RequestTimeout == 0 {
		o.RequestTimeout = DefaultTimeout
	}
	login := a.LoginURL
	if login == "" {
		login = a.InstanceURL
	}
	return flows.Request{Flow: flows.Refresh, LoginURL: login, Options: o}
}

// soqlString quotes a value for a SOQL string literal (SOQL and SOSL Reference, "Quoted
// String Escape Sequences").
func soqlString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}

// Query runs one SOQL query and returns its records (at most one page: 2,000 rows).
func (a *Admin) Query(ctx context.Context, soql string) ([]map[string]any, error) {
	if a.AccessToken == "" || a.InstanceURL == "" {
		return nil, errors.New("no admin access: pass an admin profile or an admin's access token and instance URL")
	}
	path := "/services/data/v" + APIVersion + "/query?q=" + url.QueryEscape(soql)
	res, err := flows.REST(ctx, a.req(), a.InstanceURL, a.AccessToken, path)
	if err != nil {
		var oe *flows.OAuthError
		if errors.As(err, &oe) && oe.Where == "rest" {
			// Salesforce's query errors repeat the query with a caret; the last line says why.
			lines := strings.Split(strings.TrimSpace(oe.Description), "\n")
			why, _, _ := strings.Cut(strings.TrimSpace(lines[len(lines)-1]), ". ")
			return nil, fmt.Errorf("SOQL query refused (%s): %s", oe.Code, why)
		}
		return nil, fmt.Errorf("SOQL query on %s: %w", a.InstanceURL, err)
	}
	obj, _ := res.Body.(map[string]any)
	raw, _ := obj["records"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		if m, ok := r.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out, nil
}

// User reads the user's Id and IsActive by username.
func (a *Admin) User(ctx context.Context, username string) (*User, error) {
	recs, err := a.Query(ctx, "SELECT Id, Username, IsActive FROM User WHERE Username = "+soqlString(username))
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no user %q in the org; check the profile's username", username)
	}
	r := recs[0]
	active, _ := r["IsActive"].(bool)
	return &User{ID: str(r["Id"]), Username: str(r["Username"]), Active: active}, nil
}

// Frozen reads UserLogin.IsFrozen (Object Reference "UserLogin"); nil when the user has no
// UserLogin row.
func (a *Admin) Frozen(ctx context.Context, userID string) (*bool, error) {
	recs, err := a.Query(ctx, "SELECT Id, IsFrozen FROM UserLogin WHERE UserId = "+soqlString(userID))
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	f, ok := recs[0]["IsFrozen"].(bool)
	if !ok {
		return nil, errors.New("UserLogin.IsFrozen is not a boolean")
	}
	return &f, nil
}

// Approvals reads the user's OauthToken records, of one app when appName (the app's label, as
// OauthToken.AppName holds it) is set, oldest first.
func (a *Admin) Approvals(ctx context.Context, userID, appName string) ([]Record, error) {
	q := "SELECT Id, AppName, AppMenuItemId, UserId, CreatedDate, LastUsedDate, UseCount, DeleteToken FROM OauthToken WHERE UserId = " + soqlString(userID)
	if appName != "" {
		q += " AND AppName = " + soqlString(appName)
	}
	q += " ORDER BY CreatedDate"
	recs, err := a.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]Record, 0, len(recs))
	for _, r := range recs {
		created, err := parseSFTime(str(r["CreatedDate"]))
		if err != nil {
			return nil, fmt.Errorf("OauthToken %s: CreatedDate: %v", str(r["Id"]), err)
		}
		last, _ := parseSFTime(str(r["LastUsedDate"]))
		out = append(out, Record{Approval: guidance.Approval{ID: str(r["Id"]), AppName: str(r["AppName"]), Installed: r["AppMenuItemId"] != nil,
			Created: created, LastUsed: last, UseCount: num(r["UseCount"])}, UserID: str(r["UserId"]), DeleteToken: str(r["DeleteToken"])})
	}
	return out, nil
}

// App reads the app's settings through the Metadata API (connectedapp.Reader).
func (a *Admin) App(ctx context.Context, apiName string) (*guidance.AppState, error) {
	r := &connectedapp.Reader{InstanceURL: a.InstanceURL, AccessToken: a.AccessToken, Timeout: a.req().Options.RequestTimeout}
	s, err := r.Read(ctx, "", apiName)
	if err != nil {
		return nil, err
	}
	return AppState(s), nil
}

// AppState turns connectedapp settings into guidance's terms.
func AppState(s connectedapp.Settings) *guidance.AppState {
	st := &guidance.AppState{Name: s.Name, Label: s.Label, IPRelaxation: s.IPRelaxation, Installed: s.Installed}
	if s.Label == "" {
		st.Label = s.Name
	}
	st.Kind = guidance.AppConnected
	if s.Kind == connectedapp.External {
		st.Kind = guidance.AppExternalClient
	}
	if p, err := guidance.ParseRefreshPolicy(s.RefreshTokenPolicy.String()); err == nil {
		st.Policy = p
	}
	rot := s.RefreshTokenRotation
	st.Rotation = &rot
	return st
}

// Revoke revokes one approval by its DeleteToken (/services/oauth2/revoke, reference §15.1).
func (a *Admin) Revoke(ctx context.Context, rec Record) error {
	if rec.DeleteToken == "" {
		return fmt.Errorf("approval %s has no DeleteToken (the admin may lack Manage Users)", rec.ID)
	}
	if _, err := flows.Revoke(ctx, a.req(), rec.DeleteToken); err != nil {
		return fmt.Errorf("revoking approval %s: %w", rec.ID, err)
	}
	return nil
}

// TryRefresh replays the refresh with the client's request. It returns nil, nil when the
// refresh works, the failure when Salesforce refused it, and an error when the request could
// not be made (network, configuration).
func TryRefresh(ctx context.Context, req flows.Request) (*guidance.RefreshFailure, *flows.Result, error) {
	req.Flow = flows.Refresh
	res, err := flows.Run(ctx, req, nil)
	if err == nil {
		return nil, res, nil
	}
	var oe *flows.OAuthError
	if errors.As(err, &oe) {
		return &guidance.RefreshFailure{Code: oe.Code, Description: oe.Description, Status: oe.Status}, res, nil
	}
	return nil, res, err
}

// Input is what Gather needs; each part is optional.
type Input struct {
	Username   string     // the user whose refresh token failed
	AppAPIName string     // the app's API name, for the Metadata API read
	AppLabel   string     // OauthToken.AppName; read from the metadata when empty
	ObtainedAt *time.Time // when the dead refresh token was obtained
	Now        time.Time
}

// Gathered is the facts and what could not be read.
type Gathered struct {
	Facts   guidance.RefreshFacts
	Records []Record // the approvals with their DeleteTokens (for a revoke the user asks for)
	UserID  string
	Notes   []string // one line per fact that could not be read, saying why
}

// Gather reads every fact it can with the admin's access; a fact that fails is left unknown
// and noted, never guessed. admin may be nil: then nothing is read.
func Gather(ctx context.Context, admin *Admin, in Input) Gathered {
	g := Gathered{Facts: guidance.RefreshFacts{Now: in.Now, ObtainedAt: in.ObtainedAt}}
	if admin == nil {
		g.Notes = append(g.Notes, "no admin access: the org's facts (approvals, user, app settings) were not read; pass --admin-profile")
		return g
	}
	label := in.AppLabel
	if in.AppAPIName != "" {
		app, err := admin.App(ctx, in.AppAPIName)
		if err != nil {
			g.Notes = append(g.Notes, "app settings not read: "+err.Error())
		} else {
			g.Facts.App = app
			if label == "" {
				label = app.Label
			}
		}
	} else {
		g.Notes = append(g.Notes, "app settings not read: the app's API name is unknown (pass --app)")
	}
	if in.Username == "" {
		g.Notes = append(g.Notes, "user and approvals not read: the username is unknown (pass --user)")
		return g
	}
	u, err := admin.User(ctx, in.Username)
	if err != nil {
		g.Notes = append(g.Notes, "user not read: "+err.Error())
		return g
	}
	g.UserID = u.ID
	g.Facts.User = &guidance.UserState{Username: u.Username, Active: u.Active}
	if frozen, err := admin.Frozen(ctx, u.ID); err != nil {
		g.Notes = append(g.Notes, "frozen state not read: "+err.Error())
	} else {
		g.Facts.User.Frozen = frozen
	}
	if label == "" {
		why := "the app's API name is unknown (pass --app)"
		if in.AppAPIName != "" {
			why = "the app's label (OauthToken.AppName) is unknown because its settings could not be read"
		}
		g.Notes = append(g.Notes, "approvals not read: "+why)
		return g
	}
	recs, err := admin.Approvals(ctx, u.ID, label)
	if err != nil {
		g.Notes = append(g.Notes, "approvals not read: "+err.Error())
		return g
	}
	g.Records = recs
	g.Facts.ApprovalsKnown = true
	for _, r := range recs {
		g.Facts.Approvals = append(g.Facts.Approvals, r.Approval)
	}
	return g
}

// Stale returns the record guidance.BudgetFor named stale, with its DeleteToken.
func (g *Gathered) Stale(b guidance.ApprovalBudget) (Record, bool) {
	if b.Stale == nil {
		return Record{}, false
	}
	for _, r := range g.Records {
		if r.ID == b.Stale.ID {
			return r, true
		}
	}
	return Record{}, false
}

// parseSFTime reads Salesforce's dateTime form 2026-12-02T15:04:05.000+0000.
func parseSFTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04:05.000-0700", "2006-01-02T15:04:05-0700", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a Salesforce dateTime", s)
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return ""
}

func num(v any) int {
	var n int
	fmt.Sscan(str(v), &n)
	return n
}
