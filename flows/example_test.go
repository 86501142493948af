package flows_test

import (
	"context"
	"fmt"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

// Run the username-password flow against an emulated org (sfemutest) and read what came
// back: a token, no refresh token (this flow never issues one), and the checks the client
// made on the response.
func ExampleRun() {
	org, err := sfemutest.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer org.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := flows.Run(ctx, flows.Request{
		Flow:          flows.UsernamePassword,
		LoginURL:      org.LoginURL, // https://login.salesforce.com, or your My Domain
		ClientID:      sfemu.DemoWebAppKey,
		ClientSecret:  "WebAppDemoSecret0001",
		Username:      sfemu.DemoUser,
		Password:      "Demo-Pass-1",
		SecurityToken: "DEMOTOKEN1",
	}, func(p flows.Progress) { fmt.Println("step:", p.Step) })
	if err != nil {
		fmt.Println("failed:", err) // one line; res still holds the transcript
		return
	}
	fmt.Println("token type:", res.Token.TokenType)
	fmt.Println("instance URL is the My Domain:", res.Token.InstanceURL == org.MyDomainURL)
	fmt.Println("refresh token issued:", res.RefreshTokenIssued)
	for _, c := range res.Checks {
		fmt.Println("check:", c.Name, c.OK)
	}
	// Output:
	// step: requesting
	// step: done
	// token type: Bearer
	// instance URL is the My Domain: true
	// refresh token issued: false
	// check: signature true
}
