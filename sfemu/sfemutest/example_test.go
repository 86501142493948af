package sfemutest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// A test starts the demo org with Start; it is closed when the test ends. Here the test
// logs the demo user in with the username-password flow, as a client under test would,
// and checks that the token works on the org's My Domain host.
func Example() {
	testLogin := func(t *testing.T) { // in your package: func TestLogin(t *testing.T)
		org := sfemutest.Start(t, sfemutest.FakeClock(time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)))
		web, user := org.App(t, "Web App"), org.User(t, sfemu.DemoUser)

		// Your client goes here; it gets org.LoginURL as its login host.
		tok := org.PasswordToken(t, web.Name, user.Username)

		req, _ := http.NewRequest(http.MethodGet, tok.InstanceURL+"/services/oauth2/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("userinfo: %v %v", res, err)
		}
		res.Body.Close()

		org.FakeClock.Advance(3 * time.Hour) // past the demo user's two-hour session
	}
	_ = testLogin
}

// Outside a test (an example, a TestMain), New starts the same org and Close stops it.
func ExampleNew() {
	org, err := sfemutest.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer org.Close()

	// The demo org's credentials are in org.Desc (and `connectedapplab emulate --json`).
	form := url.Values{"grant_type": {"password"}, "client_id": {sfemu.DemoWebAppKey},
		"client_secret": {"WebAppDemoSecret0001"}, "username": {sfemu.DemoUser},
		"password": {"Demo-Pass-1" + "DEMOTOKEN1"}} // password, then security token
	c := &http.Client{Timeout: 10 * time.Second}
	res, err := c.PostForm(org.LoginURL+"/services/oauth2/token", form)
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, strings.HasPrefix(org.LoginURL, "http://127.0.0.1:"))
	// Output: 200 true
}
