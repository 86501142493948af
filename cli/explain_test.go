package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func runExplain(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), append([]string{"explain"}, args...), env)
	return code, out.String(), errb.String()
}

// TestExplainReadsTheRealErrorBehindTheGenericPage: the generic approval error page hides the
// real error (here invalid_scope) in a nested return URL (reference §15.7,
// forcedotcom/mcp-hosted#47); explain finds it, from an argument or from stdin, as text and JSON.
func TestExplainReadsTheRealErrorBehindTheGenericPage(t *testing.T) {
	page := "https://acme.my.salesforce.com/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APPROVAL_ERROR_GENERIC" +
		"&retURL=%2Fservices%2Foauth2%2Fcallback%3Ferror%3Dinvalid_scope%26error_description%3Dthe%2Brequested%2Bscope%2Bis%2Bnot%2Ballowed"
	code, out, errOut := runExplain(t, "", page)
	if code != 0 || !strings.Contains(out, "invalid_scope: the requested scope is not allowed") || !strings.Contains(out, "Selected OAuth Scopes") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runExplain(t, page+"\n", "--json", "-")
	var x struct {
		Code        string `json:"code"`
		Description string `json:"description"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &x) != nil || x.Code != "invalid_scope" {
		t.Fatalf("exit %d, JSON %s", code, out)
	}
}

func TestExplainBadInputIsOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"--flow", "nope", "https://x.example/?error=a"}, 2},
		{[]string{"-"}, 2}, // empty stdin
		{[]string{"https://example.com/"}, 1},
	} {
		code, out, errOut := runExplain(t, "", tc.args...)
		if code != tc.code || out != "" || strings.Count(strings.TrimSpace(errOut), "\n") != 0 || errOut == "" {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q", tc.args, code, tc.code, out, errOut)
		}
	}
}
