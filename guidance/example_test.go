package guidance_test

import (
	"fmt"
	"strconv"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// Explain answers the founding question: "I got an access token with the username-password
// flow. Is it long lived? Why is there no refresh token? What do I change?" It reads only
// its input (no network, no clock): here a result as flows.Run returns it, and the one
// setting the user knows, the org's session timeout.
func ExampleExplain() {
	issued := time.Date(2026, 9, 14, 10, 0, 0, 0, time.UTC)
	res := &flows.Result{Flow: flows.UsernamePassword, Started: issued, Token: &flows.TokenResponse{
		AccessToken: "00D7F0000001I8v!ARgAQExampleAccessToken",
		InstanceURL: "https://acme.my.salesforce.com",
		ID:          "https://login.salesforce.com/id/00D7F0000001I8vUAE/0057F000000abcdQAA",
		TokenType:   "Bearer",
		IssuedAt:    strconv.FormatInt(issued.UnixMilli(), 10),
	}}
	r := guidance.Explain(guidance.Input{
		Flow:     flows.UsernamePassword,
		Settings: guidance.Settings{OrgSessionTimeoutMinutes: 120},
		Result:   res,
		Now:      issued.Add(10 * time.Second),
	})
	fmt.Println("idle timeout:", r.IdleTimeout, "from", r.IdleTimeoutSource)
	fmt.Println("expires if idle at:", r.ExpiresIfIdleAt.Format(time.RFC3339))
	for _, l := range r.Answer.Lines() {
		fmt.Printf("%s: %s\n", l.Label, l.Text)
	}
	for _, a := range r.Advice {
		fmt.Printf("%s: %s\n", a.Severity, a.Title)
	}
	// Output:
	// idle timeout: 2h0m0s from org
	// expires if idle at: 2026-09-14T12:00:00Z
	// Lifetime: Not long lived: a Salesforce session that ends after 2 hours without use (from Session Settings). Salesforce sends no expires_in: tools that show "never expires" are wrong.
	// Refresh token: None, and there never will be: the username-password flow never issues one.
	// Do this next: Reuse the token until a call gets 401 INVALID_SESSION_ID, then call the token endpoint again with the username and password; plan the move off this flow (advice below).
	// warning: The username-password flow is on its way out
	// info: Introspect the token for its exact end
}
