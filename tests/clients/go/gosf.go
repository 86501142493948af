package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	salesforce "github.com/k-capehart/go-salesforce/v3"
)

type sfUser struct {
	Id       string
	Username string
}

// queryUser asks for one user by name through the client's SOQL query (REST API v63.0,
// go-salesforce's default).
func queryUser(sf *salesforce.Salesforce, username string) (string, error) {
	var users []sfUser
	if err := sf.Query(fmt.Sprintf("SELECT Id, Username FROM User WHERE Username = '%s'", username), &users); err != nil {
		return "", err
	}
	if len(users) != 1 || users[0].Username != username || !strings.HasPrefix(users[0].Id, "005") {
		return "", fmt.Errorf("query returned %+v, want the one user %s", users, username)
	}
	return users[0].Id, nil
}

// limits calls GET /services/data/vNN.N/limits through the client.
func limits(sf *salesforce.Salesforce) error {
	resp, err := sf.DoRequest(http.MethodGet, "/limits", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("limits: HTTP %d", resp.StatusCode)
	}
	return nil
}

func runGoSalesforce(r *runner) {
	d := r.d
	web, integ := d.app(webApp), d.app(integrationApp)
	demo := d.user(demoUser)
	opts := []salesforce.Option{salesforce.WithHTTPTimeout(20 * time.Second)}
	var pw, cc, jwt, at *salesforce.Salesforce
	const timeout = 60 * time.Second

	r.run("username-password", timeout, func(ctx context.Context) (string, error) {
		sf, err := salesforce.Init(salesforce.Creds{Domain: d.BaseURL, Username: demo.name, Password: demo.password,
			SecurityToken: demo.token, ConsumerKey: web.id, ConsumerSecret: web.secret}, opts...)
		if err != nil {
			return "", err
		}
		if _, err := queryUser(sf, demoUser); err != nil {
			return "", err
		}
		pw = sf
		return fmt.Sprintf("%s, API %s", sf.GetAuthFlow(), sf.GetAPIVersion()), nil
	})

	r.run("client credentials (My Domain)", timeout, func(ctx context.Context) (string, error) {
		sf, err := salesforce.Init(salesforce.Creds{Domain: d.MyDomainURL, ConsumerKey: integ.id, ConsumerSecret: integ.secret}, opts...)
		if err != nil {
			return "", err
		}
		if _, err := queryUser(sf, integUser); err != nil {
			return "", err
		}
		cc = sf
		return "runs as " + integUser, nil
	})

	r.run("JWT bearer (exp a numeric string)", timeout, func(ctx context.Context) (string, error) {
		sf, err := salesforce.Init(salesforce.Creds{Domain: d.BaseURL, Username: integ.jwtUser, ConsumerKey: integ.id,
			ConsumerRSAPem: integ.key}, opts...)
		if err != nil {
			return "", err
		}
		if _, err := queryUser(sf, integ.jwtUser); err != nil {
			return "", err
		}
		jwt = sf
		return "as " + integ.jwtUser, nil
	})

	r.run("access token", timeout, func(ctx context.Context) (string, error) {
		tok, inst, err := passwordToken(ctx, d, webApp, demoUser)
		if err != nil {
			return "", err
		}
		sf, err := salesforce.Init(salesforce.Creds{Domain: inst, AccessToken: tok}, opts...) // validates with GET limits
		if err != nil {
			return "", err
		}
		if _, err := queryUser(sf, demoUser); err != nil {
			return "", err
		}
		at = sf
		return "validated with limits, then queried", nil
	})

	r.run("after the session expired", timeout, func(ctx context.Context) (string, error) {
		if pw == nil || cc == nil || at == nil {
			return "", fmt.Errorf("needs the username-password, client credentials and access token scenarios")
		}
		if err := advanceClock(ctx, d, "3h"); err != nil { // past every demo idle timeout
			return "", err
		}
		// An access token alone cannot be renewed: the client must say so.
		err := limits(at)
		if err == nil || !strings.Contains(err.Error(), "unable to refresh session") {
			return "", fmt.Errorf("access token client after expiry: got %v, want go-salesforce's \"unable to refresh session\"", err)
		}
		// The password and client credentials clients log in again on INVALID_SESSION_ID.
		if _, err := queryUser(pw, demoUser); err != nil {
			return "", fmt.Errorf("username-password client after expiry: %v", err)
		}
		if _, err := queryUser(cc, integUser); err != nil {
			return "", fmt.Errorf("client credentials client after expiry: %v", err)
		}
		_ = jwt // its re-login signs exp with the real clock, which the advanced org clock has passed
		return "access token: unable to refresh; password and client credentials: logged in again", nil
	})
}
