package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
)

func runTestDemo(t *testing.T) (*sfemutest.Org, sfemu.DescribedApp, sfemu.DescribedUser) {
	t.Helper()
	org := sfemutest.Start(t)
	return org, org.App(t, "Web App"), org.User(t, sfemu.DemoUser)
}

func runTestCmd(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"run"}, args...), &Env{Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

func TestRunJSONUsernamePassword(t *testing.T) {
	e, app, user := runTestDemo(t)
	code, out, errOut := runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_SECURITY_TOKEN": user.SecurityToken},
		"password="+user.Password+"\n",
		"--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID,
		"--username", user.Username, "--secrets-stdin", "--json", "--introspect")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"ok", "flow", "token", "refresh_token_issued", "granted_scopes", "instance_url", "checks", "transcript", "guidance"} {
		if _, ok := got[k]; !ok {
			t.Errorf("missing %q", k)
		}
	}
	if got["ok"] != true || got["refresh_token_issued"] != false || got["instance_url"] != e.MyDomainURL {
		t.Errorf("values: ok=%v rt=%v instance=%v", got["ok"], got["refresh_token_issued"], got["instance_url"])
	}
	tok := got["token"].(map[string]any)
	if at, _ := tok["access_token"].(string); !strings.Contains(at, "…") {
		t.Errorf("access token not redacted: %q", at)
	}
	for _, s := range []string{app.ClientSecret, user.Password, user.SecurityToken} {
		if strings.Contains(out, s) || strings.Contains(errOut, s) {
			t.Errorf("secret %q printed", s)
		}
	}
	if !strings.Contains(errOut, "requesting a token") {
		t.Errorf("no progress on stderr: %s", errOut)
	}
}

func TestRunShowTokensAndHumanOutput(t *testing.T) {
	e, app, user := runTestDemo(t)
	code, out, errOut := runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_PASSWORD": user.Password,
		"SF_SECURITY_TOKEN": user.SecurityToken}, "",
		"--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID, "--username", user.Username)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "Lifetime       Not long lived") || !strings.Contains(out, "\nRefresh token  None, and there never will be") ||
		!strings.Contains(out, "\nDo this next   ") {
		t.Errorf("human output does not start with the three answer lines:\n%s", out)
	}
	for _, unwanted := range []string{"instance_url", "curl"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("short output shows %q, which belongs to --verbose:\n%s", unwanted, out)
		}
	}
	_, out, _ = runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_PASSWORD": user.Password,
		"SF_SECURITY_TOKEN": user.SecurityToken}, "",
		"--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID, "--username", user.Username, "--verbose")
	for _, want := range []string{"Run: OK  username-password", "instance_url", "signature", "curl", "\nLifetimes\n", "\nSources\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("--verbose output lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": app.ClientSecret, "SF_PASSWORD": user.Password,
		"SF_SECURITY_TOKEN": user.SecurityToken}, "",
		"--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID, "--username", user.Username, "--json", "--show-tokens")
	var got struct {
		Token map[string]any `json:"token"`
	}
	json.Unmarshal([]byte(out), &got)
	if at, _ := got.Token["access_token"].(string); strings.Contains(at, "…") || at == "" {
		t.Errorf("--show-tokens did not show the token: %q", at)
	}
}

func TestRunFailureIsOneActionableLine(t *testing.T) {
	e, app, user := runTestDemo(t)
	code, out, errOut := runTestCmd(t, map[string]string{"SF_CLIENT_SECRET": "wrong-secret", "SF_PASSWORD": user.Password}, "",
		"--flow", "username-password", "--login-url", e.LoginURL, "--client-id", app.ClientID, "--username", user.Username, "--json")
	if code == 0 {
		t.Fatal("exit 0 on failure")
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "run: ") || !strings.Contains(last, "invalid_client") || !strings.Contains(last, "--client-secret") {
		t.Errorf("last stderr line %q", last)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["ok"] != false || got["error"].(map[string]any)["code"] != "invalid_client" {
		t.Errorf("error JSON: %v", got["error"])
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"--flow", "web-server", "extra"}, {"--nope"}} {
		if code, _, _ := runTestCmd(t, nil, "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	code, out, errOut := runTestCmd(t, nil, "", "--flow", "magic", "--client-id", "x")
	if code != 2 || out != "" || errOut != "run: --flow \"magic\" is not a flow; use one of: "+flows.Names(flows.Catalog())+"\n" {
		t.Errorf("unknown flow: exit %d, stdout %q, stderr %q; want exit 2 and one line with the names", code, out, errOut)
	}
	code, _, errOut = runTestCmd(t, nil, "", "--flow", "refresh", "--profile", "p", "--config-dir", t.TempDir(), "--memory-secrets")
	if code != 2 || !strings.Contains(errOut, `there is no profile "p"`) || !strings.Contains(errOut, "profiles add") {
		t.Errorf("unknown profile: exit %d, %s; want 2 and a hint to add one", code, errOut)
	}
}
