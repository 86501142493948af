package cli

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// fakeWindow is the window command with the real window's flags, that records how it was
// asked to open instead of opening anything (the real one is in package main, with Fyne).
type fakeWindow struct {
	opened    int
	demo      bool
	configDir string
}

func (w *fakeWindow) command(fs *flag.FlagSet) func(context.Context, *Env) int {
	demo := fs.Bool("demo", false, "open the window on the built-in emulated org")
	dir := fs.String("config-dir", "", "`directory` of the profiles file")
	return func(context.Context, *Env) int {
		w.opened++
		w.demo, w.configDir = *demo, *dir
		return ExitOK
	}
}

func runTree(t *testing.T, tree *Tree, args ...string) (code int, c *Command, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	c, rest := tree.Find(args)
	code = tree.Run(context.Background(), c, &Env{Args: rest, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, c, out.String(), errb.String()
}

// --help (and help, -h) lists every command of the tree and every flag of the window.
func TestHelpListsEveryCommandAndWindowFlag(t *testing.T) {
	w := &fakeWindow{}
	tree := NewTree(w.command)
	fs := flag.NewFlagSet("window", flag.ContinueOnError)
	w.command(fs)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"--h"}, {"-help"}, {"--help=true"}, {"-h=true"}} {
		code, c, out, errOut := runTree(t, tree, args...)
		if code != ExitOK || errOut != "" || c.IsWindow() {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		for _, c := range tree.commands {
			if !strings.Contains(out, "\n  "+c.Name+" ") || c.Summary == "" || !strings.Contains(out, c.Summary) {
				t.Errorf("%v: the help lacks the command %q (%q):\n%s", args, c.Name, c.Summary, out)
			}
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(out, "  -"+f.Name+" ") && !strings.Contains(out, "  -"+f.Name+"\n") {
				t.Errorf("%v: the help lacks the window flag -%s:\n%s", args, f.Name, out)
			}
		})
	}
	if w.opened != 0 {
		t.Error("the help opened the window")
	}
	want := []string{"app", "bench", "check", "diagnose", "emulate", "explain", "help", "profiles", "run", "version", "window"}
	var got []string
	for _, c := range tree.commands {
		got = append(got, c.Name)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("commands %v, want %v", got, want)
	}
}

// What is no command and no window flag is one line, status 2, and opens no window.
func TestUnknownCommandOrFlagIsOneLine(t *testing.T) {
	w := &fakeWindow{}
	for _, args := range [][]string{{"frobnicate"}, {"frobnicate", "--demo"}, {"--frobnicate"}, {"-x=1"}, {"--"}, {"Run"}} {
		code, c, out, errOut := runTree(t, NewTree(w.command), args...)
		if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "connectedapplab: unknown ") ||
			!strings.Contains(errOut, "connectedapplab help") && !strings.Contains(errOut, "connectedapplab --help") || c.IsWindow() {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if w.opened != 0 {
		t.Error("an unknown command opened the window")
	}
	// Without the window (connectedapplab-cli), the line names that executable.
	for _, args := range [][]string{{"frobnicate"}, {"--frobnicate"}, {"--demonstrate"}} {
		code, _, out, errOut := runTree(t, NewTree(nil), args...)
		if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "connectedapplab-cli: unknown ") ||
			!strings.Contains(errOut, "`connectedapplab-cli help`") && !strings.Contains(errOut, "`connectedapplab-cli --help`") {
			t.Errorf("without the window, %v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	// The window's flags belong to connectedapplab: the line says so, and what runs without a display.
	for _, args := range [][]string{{"--demo"}, {"-demo"}, {"--demo=true"}, {"--demo", "run"}} {
		code, c, out, errOut := runTree(t, NewTree(nil), args...)
		if code != ExitUsage || out != "" || c.IsWindow() || errOut != "connectedapplab-cli: --demo opens the window of connectedapplab, which comes with this executable; "+
			"without a display, `connectedapplab-cli emulate` serves the demo org\n" {
			t.Errorf("without the window, %v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, _, _, errOut := runTree(t, NewTree(nil), "--config-dir", "/tmp/x"); code != ExitUsage || strings.Count(errOut, "\n") != 1 ||
		!strings.HasPrefix(errOut, "connectedapplab-cli: --config-dir opens the window of connectedapplab") || !strings.Contains(errOut, "`connectedapplab-cli profiles --config-dir DIR list`") {
		t.Errorf("without the window, --config-dir: exit %d, stderr %q", code, errOut)
	}
	var usage strings.Builder
	NewTree(nil).Usage(&usage)
	if !strings.Contains(usage.String(), "Run `connectedapplab-cli COMMAND -h`") {
		t.Errorf("the usage without the window:\n%s", usage.String())
	}
	// Without the window (the tests' tree), no arguments print the usage: status 2.
	code, _, out, errOut := runTree(t, NewTree(nil))
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "commands:") {
		t.Errorf("no arguments without a window: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// The window is the default command and the one that the window's flags reach, with them
// parsed; `window` names it too. Its bad input is one line, status 2.
func TestWindowFlagsReachTheWindowCommand(t *testing.T) {
	for _, c := range []struct {
		args      []string
		demo      bool
		configDir string
	}{
		{nil, false, ""},
		{[]string{"--demo"}, true, ""},
		{[]string{"-demo"}, true, ""},
		{[]string{"--config-dir", "/tmp/x"}, false, "/tmp/x"},
		{[]string{"--config-dir=/tmp/y", "--demo"}, true, "/tmp/y"},
		{[]string{"window", "--demo"}, true, ""},
		{[]string{"window"}, false, ""},
	} {
		w := &fakeWindow{}
		code, cmd, out, errOut := runTree(t, NewTree(w.command), c.args...)
		if code != ExitOK || !cmd.IsWindow() || w.opened != 1 || w.demo != c.demo || w.configDir != c.configDir || out+errOut != "" {
			t.Errorf("%v: exit %d, window %v, opened %d, demo %v, config dir %q, output %q", c.args, code, cmd.IsWindow(), w.opened, w.demo, w.configDir, out+errOut)
		}
	}
	for _, args := range [][]string{{"--demo", "extra"}, {"--demo=maybe"}, {"window", "--nope"}} {
		w := &fakeWindow{}
		code, _, out, errOut := runTree(t, NewTree(w.command), args...)
		if code != ExitUsage || w.opened != 0 || out != "" || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, opened %d, stdout %q, stderr %q", args, code, w.opened, out, errOut)
		}
	}
	w := &fakeWindow{}
	code, _, out, _ := runTree(t, NewTree(w.command), "window", "-h")
	if code != ExitOK || w.opened != 0 || !strings.Contains(out, "-demo") || !strings.Contains(out, "-config-dir") {
		t.Errorf("window -h: exit %d, opened %d, stdout %q", code, w.opened, out)
	}
}

// Every command and every subcommand answers -h and --help (and --h, -help, --help=true,
// -h=true) with its usage, exit 0; run, given a whole request before the -h, sends nothing to
// the org (a test server that counts). The subcommands are read from each
// command's usage ("connectedapplab app lint …", or the "commands:" list of profiles).
func TestEveryCommandAnswersDashH(t *testing.T) {
	w := &fakeWindow{}
	tree := NewTree(w.command)
	var mu sync.Mutex
	requests := 0
	org := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		mu.Unlock()
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
	}))
	defer org.Close()
	sent := func() int { mu.Lock(); defer mu.Unlock(); return requests }
	subRE := regexp.MustCompile(`(?m)^ {2,}(?:connectedapplab [a-z]+ )?([a-z]+)\b`)
	seen := map[string]bool{}
	for _, c := range tree.commands {
		for _, help := range []string{"-h", "--help", "--h", "-help", "--help=true", "-h=true"} {
			args := []string{c.Name, help}
			if c.Name == "run" { // a whole request before the -h: run would send it
				args = []string{"run", "--flow", "username-password", "--login-url", org.URL, "--client-id", "x", "--client-secret", "y",
					"--username", "u", "--password", "p", help}
			}
			code, _, out, errOut := runTree(t, tree, args...)
			text := out + errOut
			switch c.Name {
			case "version":
				if code != ExitOK || !strings.HasPrefix(out, "connectedapplab ") {
					t.Errorf("version %s: exit %d, %q", help, code, text)
				}
				continue
			case "help":
				if code != ExitOK || !strings.Contains(out, "commands:") {
					t.Errorf("help %s: exit %d, %q", help, code, text)
				}
				continue
			}
			name := "connectedapplab " + c.Name
			if c.Name == "window" {
				name = "connectedapplab [window]"
			}
			if code != ExitOK || !strings.Contains(strings.ToLower(text), "usage") || !strings.Contains(text, name) {
				t.Errorf("%s %s: exit %d, output %q", c.Name, help, code, text)
			}
			if help == "--help" {
				continue
			}
			// Subcommands: "  connectedapplab app lint …" lines, or the indented list after "commands:".
			usage := text
			if _, list, ok := strings.Cut(text, "commands:\n"); ok {
				usage, _, _ = strings.Cut(list, "\n\n")
			} else if !strings.Contains(text, name+" ") {
				continue
			}
			for _, m := range subRE.FindAllStringSubmatch(usage, -1) {
				sub := m[1]
				if strings.Contains(usage, "connectedapplab "+c.Name+" ") && !strings.Contains(m[0], "connectedapplab "+c.Name+" ") {
					continue // a continuation line of a long usage, not a subcommand
				}
				seen[c.Name+" "+sub] = true
				for _, h := range []string{"-h", "--help"} {
					code, _, out, errOut := runTree(t, tree, c.Name, sub, h)
					if code != ExitOK || !strings.Contains(strings.ToLower(out+errOut), "usage") {
						t.Errorf("%s %s %s: exit %d, output %.200q", c.Name, sub, h, code, out+errOut)
					}
				}
			}
		}
	}
	t.Logf("subcommands: %v", seen)
	for _, sub := range []string{"app lint", "app read", "bench rotation", "diagnose approvals", "profiles add", "profiles import"} {
		if !seen[sub] { // the usage parsing above still finds the subcommands
			t.Errorf("%s was not found in its command's usage", sub)
		}
	}
	// A help flag that is a flag's value, or an unknown flag before it, is no help: exit 2.
	for _, args := range [][]string{{"run", "--nope", "-h"}, {"emulate", "--addr", "-h"}, {"run", "--flow", "-h"}, {"run", "--flow", "--help=true"}, {"check", "--profile", "-h", "--nope"}} {
		if code, _, _, _ := runTree(t, tree, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, ExitUsage)
		}
	}
	if w.opened != 0 {
		t.Error("-h opened the window")
	}
	if n := sent(); n != 0 {
		t.Errorf("run -h sent %d requests", n)
	}
	// The same run without -h does send (the count above can see it).
	runTree(t, tree, "run", "--flow", "username-password", "--login-url", org.URL, "--client-id", "x", "--client-secret", "y",
		"--username", "u", "--password", "p")
	if sent() == 0 {
		t.Error("run without -h sent nothing to the test org: the check above proves nothing")
	}
	// --version is the version command.
	code, c, out, _ := runTree(t, tree, "--version")
	if code != ExitOK || c.Name != "version" || out != VersionLine()+"\n" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

// A command made of subcommands answers no subcommand with its usage on stderr (exit 2), help,
// -h and --help with its usage on stdout (exit 0), and an unknown one in one line (exit 2).
func TestSubcommandsAnswerHelpAndNone(t *testing.T) {
	for _, cmd := range []string{"app", "bench", "diagnose"} {
		code, _, out, errOut := runTree(t, NewTree(nil), cmd)
		if code != ExitUsage || out != "" || !strings.HasPrefix(errOut, "usage:\n  connectedapplab "+cmd+" ") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want the usage on stderr, exit 2", cmd, code, out, errOut)
		}
		for _, help := range []string{"help", "-h", "--help", "-help=true"} {
			code, _, out, errOut := runTree(t, NewTree(nil), cmd, help)
			if code != ExitOK || errOut != "" || !strings.HasPrefix(out, "usage:\n  connectedapplab "+cmd+" ") {
				t.Errorf("%s %s: exit %d, stdout %q, stderr %q; want the usage on stdout, exit 0", cmd, help, code, out, errOut)
			}
		}
		code, _, out, errOut = runTree(t, NewTree(nil), cmd, "frobnicate")
		if code != ExitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, cmd+": unknown ") ||
			!strings.Contains(errOut, `"frobnicate"`) {
			t.Errorf("%s frobnicate: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
}
