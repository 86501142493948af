package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
)

// fakeCatalog is the catalogue plus a flow this build does not have: "password-again", the
// username-password flow under another name and label. What a new flow touches outside
// flows/ is what this test shows picking it up without a line changed: the --flow help of
// every command, the --flow checks, the profile store, the run itself and lint.
func fakeCatalog(t *testing.T) []flows.Spec {
	t.Helper()
	sp, ok := flows.Lookup(flows.UsernamePassword)
	if !ok {
		t.Fatal("no username-password flow in the catalogue")
	}
	sp.Flow, sp.Label = "password-again", "Password-again flow"
	return append(flows.Catalog(), sp)
}

func runWith(t *testing.T, cat []flows.Spec, getenv map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return getenv[k] }, Flows: cat})
	return code, out.String(), errb.String()
}

func TestANewFlowIsPickedUpByTheCommands(t *testing.T) {
	cat := fakeCatalog(t)
	settings := writeSettings(t, labSettings)

	// Help: every command's --flow lists it; without it in the catalogue none does.
	for _, cmd := range [][]string{{"run"}, {"app", "lint"}, {"explain"}, {"profiles", "add"}} {
		_, _, help := runWith(t, cat, nil, "", append(cmd, "-h")...)
		if !strings.Contains(help, "saml-bearer, password-again") {
			t.Errorf("%v -h does not list the new flow:\n%s", cmd, help)
		}
		if _, _, help := runWith(t, nil, nil, "", append(cmd, "-h")...); strings.Contains(help, "password-again") {
			t.Errorf("%v -h lists a flow that is not in the catalogue", cmd)
		}
	}

	// --flow: accepted with it, refused (exit 2, listing the names) without it.
	lint := []string{"app", "lint", "--flow", "password-again", "--secret", "absent", "--settings", settings, "--json"}
	code, out, errOut := runWith(t, cat, nil, "", lint...)
	if code != ExitFailed {
		t.Fatalf("app lint of the new flow: exit %d, %s%s", code, out, errOut)
	}
	var rep struct {
		Findings []struct{ Code string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("app lint --json: %v\n%s", err, out)
	}
	var codes []string
	for _, f := range rep.Findings {
		codes = append(codes, f.Code)
	}
	// Lint reads the new flow's entry: it requires the consumer secret, so a profile
	// without one is an error; and it is not an unknown flow.
	if got := strings.Join(codes, " "); !strings.Contains(got, "secret-required") || strings.Contains(got, "unknown-flow") {
		t.Errorf("app lint of the new flow found %s; want secret-required and no unknown-flow", got)
	}
	if code, _, errOut := runWith(t, nil, nil, "", lint...); code != ExitUsage || !strings.Contains(errOut, `--flow "password-again" is not a flow; use one of: web-server`) {
		t.Errorf("app lint without the flow in the catalogue: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runWith(t, cat, nil, "", "explain", "--flow", "password-again",
		"http://localhost:1717/OauthRedirect?error=access_denied&error_description=end-user+denied+authorization"); code != ExitOK {
		t.Errorf("explain --flow password-again: exit %d, %s", code, errOut)
	}

	// profiles add: the store takes the new flow, and refuses it without.
	dir := t.TempDir()
	add := []string{"profiles", "--config-dir", dir, "--memory-secrets", "add", "pa", "--login-url", "https://login.salesforce.com", "--flow", "password-again"}
	if code, _, errOut := runWith(t, cat, nil, "", add...); code != ExitOK {
		t.Errorf("profiles add --flow password-again: exit %d, %s", code, errOut)
	}
	add[5] = "pb"
	if code, _, errOut := runWith(t, nil, nil, "", add...); code != ExitUsage || !strings.Contains(errOut, `flow "password-again" is unknown; use one of web-server`) {
		t.Errorf("profiles add without the flow in the catalogue: exit %d, %s", code, errOut)
	}

	// run: the new flow runs against the emulated org under its own name.
	e, app, user := runTestDemo(t)
	code, out, errOut = runWith(t, cat, map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_PASSWORD": user.Password,
		"SF_SECURITY_TOKEN": user.SecurityToken}, "",
		"run", "--flow", "password-again", "--login-url", e.LoginURL, "--client-id", app.ClientID, "--username", user.Username, "--json")
	if code != ExitOK {
		t.Fatalf("run --flow password-again: exit %d, %s", code, errOut)
	}
	var got struct {
		OK   bool   `json:"ok"`
		Flow string `json:"flow"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || !got.OK || got.Flow != "password-again" {
		t.Errorf("run --flow password-again: %v %+v\n%s", err, got, out)
	}
}
