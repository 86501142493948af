package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// emulateDescription is the documented shape of `emulate --json`'s first line, decoded
// independently of sfemu's Go types so a renamed JSON key fails here.
type emulateDescription struct {
	BaseURL     string `json:"base_url"`
	MyDomainURL string `json:"my_domain_url"`
	Users       []struct {
		Username      string `json:"username"`
		Password      string `json:"password"`
		SecurityToken string `json:"security_token"`
	} `json:"users"`
	Apps []struct {
		Name          string   `json:"name"`
		Kind          string   `json:"kind"`
		ClientID      string   `json:"client_id"`
		ClientSecret  string   `json:"client_secret"`
		CallbackURLs  []string `json:"callback_urls"`
		Scopes        []string `json:"scopes"`
		Flows         []string `json:"flows"`
		JWTPrivateKey string   `json:"jwt_private_key"`
	} `json:"apps"`
}

// startEmulateCommand runs `emulate --json` in-process and returns the decoded first line.
func startEmulateCommand(t *testing.T, args ...string) emulateDescription {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		env := &Env{Stdout: pw, Stderr: os.Stderr, Getenv: os.Getenv}
		done <- Main(ctx, append([]string{"emulate", "--json"}, args...), env)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("emulate exited %d after cancel, want 0", code)
			}
		case <-time.After(5 * time.Second):
			t.Error("emulate did not stop within 5s of cancel")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading emulate's first line: %v", err)
	}
	go io.Copy(io.Discard, pr)
	var d emulateDescription
	if err := json.Unmarshal([]byte(line), &d); err != nil {
		t.Fatalf("first line is not one JSON object: %v\n%s", err, line)
	}
	return d
}

func findPasswordApp(t *testing.T, d emulateDescription) (clientID, secret string) {
	for _, a := range d.Apps {
		for _, f := range a.Flows {
			if f == "username-password" {
				return a.ClientID, a.ClientSecret
			}
		}
	}
	t.Fatalf("no demo app allows the username-password flow: %+v", d.Apps)
	return "", ""
}

// A plain form POST of the username-password flow gets the shape of reference §3.3/§13:
// no refresh_token, no scope, no expires_in, issued_at in milliseconds as a string.
func checkPasswordFlowShape(t *testing.T, d emulateDescription) {
	t.Helper()
	if len(d.Users) == 0 {
		t.Fatal("emulate --json lists no users")
	}
	id, secret := findPasswordApp(t, d)
	u := d.Users[0]
	form := url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret},
		"username": {u.Username}, "password": {u.Password + u.SecurityToken}}
	c := &http.Client{Timeout: 10 * time.Second}
	res, err := c.PostForm(d.BaseURL+"/services/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json;charset=UTF-8" {
		t.Errorf("Content-Type %q, want application/json;charset=UTF-8", ct)
	}
	var tok map[string]any
	if err := json.Unmarshal(body, &tok); err != nil {
		t.Fatalf("token body: %v", err)
	}
	keys := make([]string, 0, len(tok))
	for k := range tok {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"access_token", "id", "instance_url", "issued_at", "signature", "token_type"}
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("token keys %v, want exactly %v (§3.3: no refresh_token, no scope, no expires_in)", keys, want)
	}
	if ia, _ := tok["issued_at"].(string); len(ia) != 13 {
		t.Errorf("issued_at %v: want a 13-digit millisecond string", tok["issued_at"])
	}
	if tok["token_type"] != "Bearer" {
		t.Errorf("token_type %v", tok["token_type"])
	}
}

func TestEmulateJSONFirstLineAndPasswordFlow(t *testing.T) {
	d := startEmulateCommand(t)
	if !strings.HasPrefix(d.BaseURL, "http://127.0.0.1:") || !strings.HasPrefix(d.MyDomainURL, "http://127.0.0.1:") {
		t.Fatalf("base_url %q / my_domain_url %q: want two loopback URLs", d.BaseURL, d.MyDomainURL)
	}
	if d.BaseURL == d.MyDomainURL {
		t.Fatalf("login host and My Domain host are the same URL %q", d.BaseURL)
	}
	var jwtKey bool
	for _, a := range d.Apps {
		if a.ClientID == "" || a.Name == "" || a.Kind == "" || len(a.Flows) == 0 {
			t.Errorf("app missing name/kind/client_id/flows: %+v", a)
		}
		if strings.Contains(a.JWTPrivateKey, "PRIVATE KEY") {
			jwtKey = true
		}
	}
	if !jwtKey {
		t.Error("no demo app carries jwt_private_key as PEM")
	}
	checkPasswordFlowShape(t, d)
}

func TestEmulateRejectsBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"non-loopback address", []string{"--addr", "0.0.0.0:0"}, 2, "not a loopback address"},
		{"missing org file", []string{"--org", filepath.Join(t.TempDir(), "nope.json")}, 2, "nope.json"},
		{"org file not valid", []string{"--org", writeSettings(t, `{"users": 1}`)}, 2, "org file"},
		{"stray argument", []string{"extra"}, 2, "unexpected argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb strings.Builder
			code := Main(context.Background(), append([]string{"emulate"}, c.args...), &Env{Stdout: &out, Stderr: &errb, Getenv: os.Getenv})
			if code != c.code || !strings.Contains(errb.String(), c.msg) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", code, errb.String(), c.code, c.msg)
			}
			if n := strings.Count(strings.TrimSpace(errb.String()), "\n"); n > 0 {
				t.Errorf("error is %d lines, want one: %q", n+1, errb.String())
			}
		})
	}
}

// The README promises `connectedapplab emulate --json` as a program; run the real binary.
func TestEmulateBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "connectedapplab")
	build := exec.Command("go", "build", "-o", bin, "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "emulate", "--json")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		waited := make(chan error, 1)
		go func() { waited <- cmd.Wait() }()
		select {
		case err := <-waited:
			if err != nil {
				t.Errorf("emulate after SIGINT: %v (want exit 0)", err)
			}
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			t.Error("emulate did not exit within 5s of SIGINT")
		}
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading first line: %v", err)
	}
	var d emulateDescription
	if err := json.Unmarshal([]byte(line), &d); err != nil {
		t.Fatalf("first line is not JSON: %v: %s", err, line)
	}
	checkPasswordFlowShape(t, d)
}

// The README documents `emulate --org FILE` with docs/example-org.json; it must load and serve.
func TestEmulateExampleOrgFile(t *testing.T) {
	d := startEmulateCommand(t, "--org", filepath.Join("..", "docs", "example-org.json"))
	if len(d.Apps) != 2 || len(d.Users) != 2 {
		t.Fatalf("example org: %d apps, %d users; want 2 and 2", len(d.Apps), len(d.Users))
	}
	checkPasswordFlowShape(t, d)
}
