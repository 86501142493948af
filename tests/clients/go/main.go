// Command clients-go drives Go clients against a fresh `connectedapplab emulate`, for
// scripts/test-clients:
//
//	clients-go gosf   github.com/k-capehart/go-salesforce/v3: username-password, client
//	                  credentials, JWT bearer, access token, and what each does after expiry
//	clients-go oidc   golang.org/x/oauth2 with github.com/coreos/go-oidc/v3: discovery, code
//	                  with PKCE, the ID token verified against the JWKS, userinfo, refresh
//
// It reads the emulated org's description (the `emulate --json` line) from the file named in
// CLIENTS_EMU and prints one line per scenario:
//
//	RESULT<TAB>PASS|FAIL<TAB>client<TAB>scenario<TAB>milliseconds<TAB>detail
//
// Details are redacted: no token, secret or key is ever printed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

const maxBody = 1 << 20 // every body read is capped at 1 MiB

// desc is the part of `connectedapplab emulate --json` the scenarios read.
type desc struct {
	BaseURL     string `json:"base_url"`
	MyDomainURL string `json:"my_domain_url"`
	Users       []struct {
		Username      string `json:"username"`
		Password      string `json:"password"`
		SecurityToken string `json:"security_token"`
	} `json:"users"`
	Apps []struct {
		APIName       string   `json:"api_name"`
		ClientID      string   `json:"client_id"`
		ClientSecret  string   `json:"client_secret"`
		CallbackURLs  []string `json:"callback_urls"`
		JWTPrivateKey string   `json:"jwt_private_key"`
		JWTUsername   string   `json:"jwt_username"`
	} `json:"apps"`
}

// The demo org's names (sfemu/demo.go).
const (
	demoUser       = "demo@connectedapplab.example"
	integUser      = "integration@connectedapplab.example"
	webApp         = "Web_App"
	integrationApp = "Integration_App"
)

type user struct{ name, password, token string }
type app struct{ id, secret, key, jwtUser string }

func (d *desc) user(name string) user {
	for _, u := range d.Users {
		if u.Username == name {
			return user{u.Username, u.Password, u.SecurityToken}
		}
	}
	panic("the emulated org has no user " + name)
}

func (d *desc) app(apiName string) app {
	for _, a := range d.Apps {
		if a.APIName == apiName {
			return app{a.ClientID, a.ClientSecret, a.JWTPrivateKey, a.JWTUsername}
		}
	}
	panic("the emulated org has no app " + apiName)
}

func loadDesc() (*desc, error) {
	f := os.Getenv("CLIENTS_EMU")
	if f == "" {
		return nil, errors.New("CLIENTS_EMU is not set: run this through scripts/test-clients")
	}
	fh, err := os.Open(f)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxBody))
	if err != nil {
		return nil, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	var d desc
	if err := json.Unmarshal([]byte(line), &d); err != nil {
		return nil, fmt.Errorf("%s: %v", f, err)
	}
	return &d, nil
}

// runner runs scenarios in order, each with a timeout, and prints RESULT lines.
type runner struct {
	client  string
	d       *desc
	secrets []string
	failed  int
}

func newRunner(client string, d *desc) *runner {
	r := &runner{client: client, d: d}
	for _, u := range d.Users {
		r.secrets = append(r.secrets, u.Password+u.SecurityToken, u.Password, u.SecurityToken)
	}
	for _, a := range d.Apps {
		r.secrets = append(r.secrets, a.ClientSecret)
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

var tokenShapes = []*regexp.Regexp{
	regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----`),
	regexp.MustCompile(`00D[A-Za-z0-9]{12,15}![A-Za-z0-9._\-]{20,}`),
	regexp.MustCompile(`5Aep861[A-Za-z0-9._\-]{20,}`),
	regexp.MustCompile(`aPrx[A-Za-z0-9+/=%]{20,}`),
	regexp.MustCompile(`eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}`),
}

// redact masks the demo secrets and anything shaped like a token, code or key.
func (r *runner) redact(s string) string {
	for _, x := range r.secrets {
		if len(x) >= 6 {
			s = strings.ReplaceAll(s, x, "[REDACTED]")
		}
	}
	for _, re := range tokenShapes {
		s = re.ReplaceAllString(s, "[REDACTED]")
	}
	return s
}

func (r *runner) run(name string, timeout time.Duration, fn func(ctx context.Context) (string, error)) bool {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	type res struct {
		detail string
		err    error
	}
	ch := make(chan res, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				ch <- res{err: fmt.Errorf("panic: %v", v)}
			}
		}()
		d, err := fn(ctx)
		ch <- res{d, err}
	}()
	var out res
	select {
	case out = <-ch:
	case <-ctx.Done():
		// Some client calls take no context; the scenario is abandoned, not waited for.
		out = res{err: fmt.Errorf("%s took longer than %s", name, timeout)}
	}
	status, detail := "PASS", out.detail
	if out.err != nil {
		status, detail = "FAIL", out.err.Error()
		r.failed++
	}
	detail = strings.Join(strings.Fields(r.redact(detail)), " ")
	if len(detail) > 600 {
		detail = detail[:600]
	}
	fmt.Printf("RESULT\t%s\t%s\t%s\t%d\t%s\n", status, r.client, name, time.Since(start).Milliseconds(), detail)
	return out.err == nil
}

// httpClient is for the suite's own calls (clock, tokens, the login form): every call has a
// timeout.
var httpClient = &http.Client{Timeout: 20 * time.Second}

func readBody(resp *http.Response) (string, error) {
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if len(b) > maxBody {
		return "", errors.New("body larger than 1 MiB")
	}
	return string(b), err
}

// advanceClock moves the emulated org's clock (sfemu/control.go).
func advanceClock(ctx context.Context, d *desc, by string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.BaseURL+"/_sfemu/clock/advance?by="+url.QueryEscape(by), nil)
	if err != nil {
		return err
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	body, err := readBody(resp)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("clock advance: HTTP %d %s", resp.StatusCode, body)
	}
	return nil
}

// passwordToken runs the username-password flow with plain HTTP, to hold an access token
// for the "access token" scenario.
func passwordToken(ctx context.Context, d *desc, appName, username string) (accessToken, instanceURL string, err error) {
	a, u := d.app(appName), d.user(username)
	form := url.Values{"grant_type": {"password"}, "client_id": {a.id}, "client_secret": {a.secret},
		"username": {u.name}, "password": {u.password + u.token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.BaseURL+"/services/oauth2/token", strings.NewReader(form.Encode()))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := httpClient.Do(req)
	if err != nil {
		return "", "", err
	}
	body, err := readBody(resp)
	if err != nil {
		return "", "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", "", fmt.Errorf("password grant: HTTP %d %s", resp.StatusCode, body)
	}
	var t struct {
		AccessToken string `json:"access_token"`
		InstanceURL string `json:"instance_url"`
	}
	if err := json.Unmarshal([]byte(body), &t); err != nil {
		return "", "", err
	}
	return t.AccessToken, t.InstanceURL, nil
}

func main() {
	if len(os.Args) != 2 || (os.Args[1] != "gosf" && os.Args[1] != "oidc") {
		fmt.Fprintln(os.Stderr, "usage: clients-go gosf|oidc (CLIENTS_EMU names the emulate --json file)")
		os.Exit(2)
	}
	d, err := loadDesc()
	if err != nil {
		fmt.Fprintln(os.Stderr, "clients-go:", err)
		os.Exit(1)
	}
	var r *runner
	switch os.Args[1] {
	case "gosf":
		r = newRunner("go-salesforce", d)
		runGoSalesforce(r)
	case "oidc":
		r = newRunner("x/oauth2+oidc", d)
		runOIDC(r)
	}
	if r.failed > 0 {
		os.Exit(1)
	}
}
