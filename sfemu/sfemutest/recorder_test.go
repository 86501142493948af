package sfemutest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// The recorder keeps the tokens of token responses as sent, leaves the body to the caller,
// counts every request and calls OnToken after each token response.
func TestTokenRecorderKeepsWhatTheTokenEndpointSent(t *testing.T) {
	org := sfemutest.Start(t)
	rec := sfemutest.NewTokenRecorder(t)
	called := 0
	rec.OnToken(func() { called++ })
	c := &http.Client{Transport: rec, Timeout: 10 * time.Second}
	a, u := org.App(t, sfemu.DemoWebAppKey), org.User(t, sfemu.DemoUser)
	res, err := c.PostForm(org.LoginURL+"/services/oauth2/token", url.Values{"grant_type": {"password"}, "client_id": {a.ClientID},
		"client_secret": {a.ClientSecret}, "username": {u.Username}, "password": {u.Password + u.SecurityToken}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("the caller's body: %v %s", err, body)
	}
	if res, err = c.Get(org.LoginURL + "/services/oauth2/userinfo"); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if got := rec.Tokens(); !slices.Equal(got, []string{tok.AccessToken}) || rec.Kinds() != 1 || rec.Requests() != 2 || called != 1 {
		t.Errorf("tokens %q (want the access token), kinds %d, requests %d, OnToken %d times", got, rec.Kinds(), rec.Requests(), called)
	}
}
