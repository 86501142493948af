package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/diagnose"
	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
	"github.com/connectedapplab/connectedapplab/internal/appfacts"
	"github.com/connectedapplab/connectedapplab/ui"
)

// The window's "Why did it stop?", approval budget and error-page URL (issue 16 items 4-6):
// the admin's login, the org's facts (diagnose) and the causes (guidance), as the CLI's
// `diagnose` command does them (cli/diagnose.go).

// adminAccess runs the admin profile's flow headless and returns its access; nil, nil when
// no admin was chosen.
func adminAccess(ctx context.Context, req flows.Request, loginURL string) (*diagnose.Admin, error) {
	if req.Flow == "" {
		return nil, nil
	}
	if req.Options.RequestTimeout == 0 {
		req.Options.RequestTimeout = diagnose.DefaultTimeout
	}
	res, err := flows.Run(ctx, req, func(flows.Progress) {})
	if err == nil && res != nil {
		err = res.Err
	}
	if err != nil {
		return nil, fmt.Errorf("the admin's login (%s flow) failed: %w", req.Flow, err)
	}
	if res.Token == nil || res.Token.AccessToken == "" || res.Token.InstanceURL == "" {
		return nil, errors.New("the admin's login returned no access token and instance_url")
	}
	return &diagnose.Admin{InstanceURL: res.Token.InstanceURL, AccessToken: res.Token.AccessToken, LoginURL: loginURL,
		Timeout: req.Options.RequestTimeout, Options: req.Options}, nil
}

// gatherFor reads the org's facts about p's user and app with the admin's access.
func gatherFor(ctx context.Context, p ui.Profile, adminReq flows.Request, obtained *time.Time, now time.Time) (*diagnose.Admin, diagnose.Gathered, error) {
	admin, err := adminAccess(ctx, adminReq, p.LoginURL)
	if err != nil {
		return nil, diagnose.Gathered{}, err
	}
	in := diagnose.Input{Username: p.Username, AppAPIName: p.AppAPIName, ObtainedAt: obtained, Now: now}
	if len(p.App.Settings) > 0 {
		var cs connectedapp.Settings
		if json.Unmarshal(p.App.Settings, &cs) == nil {
			if in.AppAPIName == "" {
				in.AppAPIName = cs.Name
			}
			if in.AppAPIName == cs.Name {
				in.AppLabel = cs.Label
			}
		}
	}
	g := diagnose.Gather(ctx, admin, in)
	if admin == nil && len(g.Notes) > 0 {
		g.Notes[0] = "no admin access: the org's facts (approvals, user, app settings) were not read; choose an admin profile beside the actions"
	}
	return admin, g, nil
}

// DiagnoseRefresh is ui.Backend.DiagnoseRefresh: the facts (with the admin's access), then
// guidance.DiagnoseRefresh.
func DiagnoseRefresh(ctx context.Context, in ui.DiagnoseInput) (*ui.Diagnosis, error) {
	if in.Failure == nil {
		return nil, errors.New("the refresh did not fail with an OAuth error: nothing to diagnose")
	}
	_, g, err := gatherFor(ctx, in.Profile, in.Admin, in.ObtainedAt, in.Now)
	if err != nil {
		return nil, err
	}
	set := appfacts.Settings(in.Profile.Profile)
	if g.Facts.App == nil && set.RefreshTokenPolicy.Kind != "" {
		g.Facts.App = &guidance.AppState{Kind: set.AppKind, Policy: set.RefreshTokenPolicy}
		g.Notes = append(g.Notes, "the refresh token policy is the profile's ("+set.RefreshTokenPolicy.String()+"), not read from the org")
	}
	d := guidance.DiagnoseRefresh(guidance.RefreshFailure{Code: in.Failure.Code, Description: in.Failure.Description, Status: in.Failure.Status}, g.Facts)
	out := &ui.Diagnosis{Failure: in.Failure.Code, Summary: d.Summary, Notes: g.Notes}
	if in.Failure.Description != "" {
		out.Failure += ": " + in.Failure.Description
	}
	if d.Error != nil {
		out.Meaning = d.Error.Meaning
	}
	conv := func(cs []guidance.Cause) []ui.DiagnosisCause {
		var r []ui.DiagnosisCause
		for _, c := range cs {
			dc := ui.DiagnosisCause{Title: c.Title, Why: c.Why, Check: c.Check, SetupPath: c.SetupPath, Fact: c.Fact}
			if !c.Source.IsZero() {
				dc.Source = c.Source.String()
			}
			r = append(r, dc)
		}
		return r
	}
	out.Found, out.Open, out.RuledOut = conv(d.Found), conv(d.Open), conv(d.RuledOut)
	if d.Budget != nil {
		out.Budget = d.Budget.Message
	}
	return out, nil
}

// ApprovalBudget is ui.Backend.ApprovalBudget: guidance.BudgetFor on the user's approvals.
func ApprovalBudget(ctx context.Context, in ui.BudgetInput) (*ui.Budget, error) {
	if in.Admin.Flow == "" {
		return nil, errors.New("choose an admin profile: approvals are read with an admin's access")
	}
	_, g, err := gatherFor(ctx, in.Profile, in.Admin, nil, in.Now)
	if err != nil {
		return nil, err
	}
	if !g.Facts.ApprovalsKnown {
		return nil, errors.New(strings.Join(g.Notes, "; "))
	}
	b := guidance.BudgetFor(g.Facts.Approvals, in.Now)
	_, stale := g.Stale(b)
	msg := b.Message
	if !b.Source.IsZero() {
		msg += " (Source: " + b.Source.String() + ")"
	}
	return &ui.Budget{Message: msg, Count: b.Count, Max: b.Max, CanStale: stale}, nil
}

// RevokeStale is ui.Backend.RevokeStale: revokes the approval guidance.BudgetFor names stale,
// by its DeleteToken (diagnose.Admin.Revoke).
func RevokeStale(ctx context.Context, in ui.BudgetInput) (string, error) {
	if in.Admin.Flow == "" {
		return "", errors.New("choose an admin profile: approvals are revoked with an admin's access")
	}
	admin, g, err := gatherFor(ctx, in.Profile, in.Admin, nil, in.Now)
	if err != nil {
		return "", err
	}
	if !g.Facts.ApprovalsKnown {
		return "", errors.New(strings.Join(g.Notes, "; "))
	}
	b := guidance.BudgetFor(g.Facts.Approvals, in.Now)
	rec, ok := g.Stale(b)
	if !ok {
		return "", fmt.Errorf("the user has %d of %d approvals; nothing needs revoking", b.Count, b.Max)
	}
	if err := admin.Revoke(ctx, rec); err != nil {
		return "", err
	}
	last := "never"
	if !rec.LastUsed.IsZero() {
		last = rec.LastUsed.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("Revoked the approval from %s (last used %s): the next login evicts nothing.", rec.Created.UTC().Format(time.RFC3339), last), nil
}

// ExplainURL is ui.Backend.ExplainURL: guidance.ExplainURL's explanation as text.
func ExplainURL(p ui.Profile, raw string, now time.Time) (string, error) {
	x, err := guidance.ExplainURL(flows.Flow(p.Flow), raw, appfacts.Settings(p.Profile), now)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Salesforce's error: %s", x.Code)
	if x.Description != "" {
		fmt.Fprintf(&b, " — %q", x.Description)
	}
	b.WriteString("\n")
	if x.Meaning != "" {
		fmt.Fprintf(&b, "\n%s\n", x.Meaning)
	}
	if x.Note != "" {
		fmt.Fprintf(&b, "\n%s\n", x.Note)
	}
	if len(x.Causes) > 0 {
		b.WriteString("\nLikely causes, most likely first:\n")
		for _, c := range x.Causes {
			fmt.Fprintf(&b, "  • %s\n", c)
		}
	}
	for _, f := range x.Fixes {
		fmt.Fprintf(&b, "\n%s\n", f.Title)
		for _, s := range []struct{ k, v string }{{"", f.Reason}, {"Fix: ", f.Fix}, {"Setup: ", f.SetupPath}, {"Metadata: ", f.MetadataField}} {
			if s.v != "" {
				fmt.Fprintf(&b, "  %s%s\n", s.k, s.v)
			}
		}
	}
	if !x.Source.IsZero() {
		fmt.Fprintf(&b, "\nSource: %s\n", x.Source)
	}
	return b.String(), nil
}
