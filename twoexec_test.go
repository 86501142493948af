//go:build !headless

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/sfemu"
	"github.com/connectedapplab/connectedapplab/sfemu/sfemutest"
	"github.com/connectedapplab/connectedapplab/ui"
	"github.com/connectedapplab/connectedapplab/ui/wire"
)

// The window's store checks flows against the catalogue as the command line's does: a
// profile imported in the window with a flow outside flows.Catalog is refused, in one line
// that names every flow of the catalogue.
func TestWindowStoreRefusesAnImportedUnknownFlow(t *testing.T) {
	st, err := wire.OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	list, err := wire.ImportProfiles([]byte(`{"version":2,"profiles":[{"name":"imp","login_url":"https://login.salesforce.com","flow":"implicit"}]}`))
	if err != nil || len(list) != 1 {
		t.Fatalf("ImportProfiles: %v, %d profiles", err, len(list))
	}
	_, err = st.Save(list[0], ui.Secrets{})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), `flow "implicit" is unknown; use one of `) {
		t.Fatalf("saving an imported profile with an unknown flow: %v; want one line naming the allowed flows", err)
	}
	for _, sp := range flows.Catalog() {
		if !strings.Contains(err.Error(), string(sp.Flow)) {
			t.Errorf("the error does not name the flow %s: %v", sp.Flow, err)
		}
	}
	if ps, err := st.List(); err != nil || len(ps) != 0 {
		t.Fatalf("the refused profile was stored: %d profiles (%v)", len(ps), err)
	}
}

// runArgs is `run --flow username-password --json` against org with the demo Web App and
// user, the secrets on stdin, and that stdin.
func runArgs(t *testing.T, org *sfemutest.Org) ([]string, string) {
	app, user := org.App(t, "Web App"), org.User(t, sfemu.DemoUser)
	return []string{"run", "--flow", "username-password", "--login-url", org.LoginURL, "--client-id", app.ClientID,
			"--username", user.Username, "--secrets-stdin", "--json"},
		"client_secret=" + app.ClientSecret + "\npassword=" + user.Password + "\nsecurity_token=" + user.SecurityToken + "\n"
}

// wantToken checks run's --json output: the flow worked and no secret was printed.
func wantToken(t *testing.T, what string, code int, stdout, stderr, stdin string) {
	t.Helper()
	var got struct {
		OK bool `json:"ok"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || !got.OK {
		t.Fatalf("%s: exit %d, stdout %.300q, stderr %.300q", what, code, stdout, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stdin), "\n") {
		if _, v, _ := strings.Cut(line, "="); strings.Contains(stdout+stderr, v) {
			t.Fatalf("%s printed a secret of its stdin", what)
		}
	}
}

// The window's executable still runs every command from a terminal (the same tree): a flow
// against an emulated org, through main's run with the process's streams swapped for buffers.
func TestWindowExecutableRunsACommand(t *testing.T) {
	org := sfemutest.Start(t)
	args, stdin := runArgs(t, org)
	var out, errb bytes.Buffer
	code := run(args, func() (io.Reader, io.Writer, io.Writer) { return strings.NewReader(stdin), &out, &errb })
	wantToken(t, "connectedapplab run", code, out.String(), errb.String(), stdin)
}

// connectedapplab-cli, the executable without the window (-tags headless) that every package
// ships: it links no Fyne; asked for the window (no command, `window`, `window --demo`) it
// says in one line to use the other executable and exits 2; its commands work.
func TestCLIExecutableHasNoWindowAndRunsCommands(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH to build the headless executable")
	}
	deps, err := exec.Command(gobin, "list", "-tags", "headless", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -tags headless -deps: %v", err)
	}
	if bytes.Contains(deps, []byte("fyne.io/")) {
		t.Fatal("the headless build depends on Fyne")
	}
	bin := filepath.Join(t.TempDir(), "connectedapplab-cli")
	if out, err := exec.Command(gobin, "build", "-tags", "headless", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags headless: %v\n%s", err, out)
	}
	exe := func(stdin string, args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
		err := cmd.Run()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("%v: %v", args, err)
		}
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}
	for _, args := range [][]string{nil, {"window"}, {"window", "--demo"}} {
		code, out, errOut := exe("", args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 ||
			!strings.HasPrefix(errOut, "connectedapplab-cli: this executable is the command line without the window; open the window with connectedapplab ") {
			t.Errorf("connectedapplab-cli %v: exit %d, stdout %q, stderr %q; want one line pointing to connectedapplab, exit 2", args, code, out, errOut)
		}
	}
	if code, out, _ := exe("", "--version"); code != 0 || !strings.Contains(out, "fyne none") {
		t.Errorf("connectedapplab-cli --version: exit %d, %q", code, out)
	}
	if code, out, _ := exe("", "help"); code != 0 || strings.Contains(out, "  window ") || !strings.Contains(out, "  run ") ||
		!strings.HasPrefix(out, "usage: connectedapplab-cli ") || strings.Contains(out, "--demo") {
		t.Errorf("connectedapplab-cli help: exit %d, %q", code, out)
	}
	if code, out, errOut := exe("", "--demo"); code != 2 || out != "" || errOut != "connectedapplab-cli: --demo opens the window of connectedapplab, "+
		"which comes with this executable; without a display, `connectedapplab-cli emulate` serves the demo org\n" {
		t.Errorf("connectedapplab-cli --demo: exit %d, stdout %q, stderr %q; want one line pointing to connectedapplab and emulate, exit 2", code, out, errOut)
	}
	for _, args := range [][]string{{"--nope"}, {"nope"}} {
		if code, out, errOut := exe("", args...); code != 2 || out != "" || !strings.HasPrefix(errOut, "connectedapplab-cli: unknown ") ||
			!strings.Contains(errOut, "run `connectedapplab-cli ") {
			t.Errorf("connectedapplab-cli %v: exit %d, stdout %q, stderr %q; want the error to name connectedapplab-cli", args, code, out, errOut)
		}
	}
	org := sfemutest.Start(t)
	args, stdin := runArgs(t, org)
	code, out, errOut := exe(stdin, args...)
	wantToken(t, "connectedapplab-cli run", code, out, errOut, stdin)
}
