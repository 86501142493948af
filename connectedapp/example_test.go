package connectedapp_test

import (
	"fmt"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
)

// Lint compares what a client will do (the profile) with the app's settings and says what
// will fail, why, and what to change. Here the client listens on port 1717 and wants a
// refresh token; the app's callback is on port 1718 and it lacks the refresh_token scope.
func ExampleLint() {
	app := connectedapp.NewSettings(connectedapp.Connected, "Lab_Web_App")
	app.CallbackURLs = []string{"http://localhost:1718/OauthRedirect"}
	app.Scopes = []string{"api"}

	findings := connectedapp.Lint(connectedapp.Profile{
		Flow:        flows.WebServerPKCE,
		CallbackURL: "http://localhost:1717/OauthRedirect",
		Scopes:      []string{"api", "refresh_token"},
	}, app)
	for _, f := range findings {
		if f.Source != nil {
			continue // a dated platform change (worded from today's date; LintAt fixes the date)
		}
		fmt.Printf("%s %s: %s\n", f.Severity, f.Code, f.Problem)
	}
	fmt.Println("would fail:", connectedapp.HasErrors(findings))
	// Output:
	// error callback-port: the callback URL's port differs: the profile uses port 1717, the app has http://localhost:1718/OauthRedirect
	// error refresh-token-not-selected: the profile requests refresh_token but the app does not have it
	// would fail: true
}
