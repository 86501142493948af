package sfemutest

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Token is what the token endpoint returned for PasswordToken.
type Token struct {
	AccessToken string `json:"access_token"`
	InstanceURL string `json:"instance_url"`
	ID          string `json:"id"`
}

// PasswordToken logs username in to the app named app (name, API name or client ID) with
// the username-password flow, using the credentials the org describes, and returns the
// token. It fails the test when the org refuses.
func (o *Org) PasswordToken(t testing.TB, app, username string) Token {
	t.Helper()
	a, u := o.App(t, app), o.User(t, username)
	form := url.Values{"grant_type": {"password"}, "client_id": {a.ClientID}, "client_secret": {a.ClientSecret},
		"username": {u.Username}, "password": {u.Password + u.SecurityToken}}
	c := &http.Client{Timeout: 10 * time.Second}
	defer c.CloseIdleConnections()
	res, err := c.PostForm(o.LoginURL+"/services/oauth2/token", form)
	if err != nil {
		t.Fatalf("sfemutest: password login of %s: %v", username, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	var tok Token
	if err := json.Unmarshal(body, &tok); err != nil || res.StatusCode != http.StatusOK || tok.AccessToken == "" {
		t.Fatalf("sfemutest: password login of %s: HTTP %d %s", username, res.StatusCode, body)
	}
	return tok
}

var (
	formRe   = regexp.MustCompile(`<form[^>]*action="([^"]*)"[^>]*id="([a-z_]+)"`)
	hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// Browser returns an HTTP-only stand-in for a browser on the org's pages, with the
// signature of an "open this URL" hook: it opens the URL, logs in as username, allows the
// app, enters userCode on the device flow's connect page, and for the user-agent flow posts
// the URL fragment the way a loopback listener's page script does. It follows redirects, so
// the callback must be served (by the client under test). It gives up after eight pages.
func Browser(username, password string, userCode ...string) func(ctx context.Context, u string) error {
	return func(ctx context.Context, u string) error {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		defer c.CloseIdleConnections()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := c.Do(req)
		for step := 0; step < 8; step++ {
			if err != nil {
				return err
			}
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			body := string(b)
			at := resp.Request.URL
			var form url.Values
			action := ""
			if at.Fragment != "" && strings.Contains(body, "location.hash") {
				form, _ = url.ParseQuery(at.EscapedFragment())
				dst := *at
				dst.Fragment = ""
				action = dst.String()
			} else if m := formRe.FindStringSubmatch(body); m != nil {
				form = url.Values{}
				for _, h := range hiddenRe.FindAllStringSubmatch(body, -1) {
					form.Set(h[1], html.UnescapeString(h[2]))
				}
				switch m[2] {
				case "login_form":
					form.Set("username", username)
					form.Set("password", password)
				case "approval_form":
					form.Set("action", "approve")
				case "connect_form":
					form.Set("user_code", strings.Join(userCode, ""))
				default:
					return fmt.Errorf("sfemutest browser: unknown form %q", m[2])
				}
				ref, _ := url.Parse(html.UnescapeString(m[1]))
				action = at.ResolveReference(ref).String()
			} else {
				return nil // a page without a form: done (or an error page)
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, action, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err = c.Do(req)
		}
		return fmt.Errorf("sfemutest browser: more than eight pages")
	}
}
