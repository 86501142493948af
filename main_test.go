//go:build !headless

package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/cli"
)

// The real window command is in the tree: its flags reach it, and the help lists them
// (nothing here opens a window).
func TestTheWindowIsACommandOfTheTree(t *testing.T) {
	tree := cli.NewTree(windowCommand)
	for _, args := range [][]string{nil, {"--demo"}, {"--config-dir=/tmp/x"}, {"-config-dir", "/tmp/x", "--demo"}} {
		c, rest := tree.Find(args)
		if !c.IsWindow() || !slices.Equal(rest, args) {
			t.Errorf("%v: found %q with %v", args, c.Name, rest)
		}
	}
	for _, args := range [][]string{{"run", "--demo"}, {"--version"}, {"--help"}, {"--nope"}} {
		if c, _ := tree.Find(args); c.IsWindow() {
			t.Errorf("%v reached the window", args)
		}
	}
	var out strings.Builder
	tree.Usage(&out)
	for _, want := range []string{"  -demo\n", "  -config-dir directory\n", "  window ", "  run "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the help lacks %q:\n%s", want, out.String())
		}
	}
}

// Every flag the window declares is answered by the executable without the window (the
// headless tree) with one line saying it opens the window of connectedapplab, not as an
// unknown flag: cli's list of the window's flags is this one.
func TestHeadlessAnswersEveryWindowFlag(t *testing.T) {
	fs := flag.NewFlagSet("window", flag.ContinueOnError)
	windowCommand(fs)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		n++
		headless := cli.NewTree(nil)
		c, rest := headless.Find([]string{"--" + f.Name})
		var out, errb bytes.Buffer
		code := headless.Run(context.Background(), c, &cli.Env{Args: rest, Stdout: &out, Stderr: &errb})
		if code != cli.ExitUsage || out.Len() != 0 || strings.Count(errb.String(), "\n") != 1 ||
			!strings.HasPrefix(errb.String(), "connectedapplab-cli: --"+f.Name+" opens the window of connectedapplab, which comes with this executable; ") {
			t.Errorf("connectedapplab-cli --%s: exit %d, stdout %q, stderr %q", f.Name, code, out.String(), errb.String())
		}
	})
	if n == 0 {
		t.Fatal("the window declares no flags")
	}
}

// Without a display the window says in one line that connectedapplab-cli runs the commands
// (and serves the demo org) and exits 2, before Fyne starts.
func TestNoDisplayNamesTheHeadlessExecutable(t *testing.T) {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		t.Skip("Windows and macOS always give a display")
	}
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_RUNTIME_DIR", "")
	var out, errb bytes.Buffer
	code := run([]string{"--demo"}, func() (io.Reader, io.Writer, io.Writer) { return strings.NewReader(""), &out, &errb })
	msg := errb.String()
	if code != cli.ExitUsage || out.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "connectedapplab: no display found") ||
		!strings.Contains(msg, "run the commands with connectedapplab-cli") || !strings.Contains(msg, "`connectedapplab-cli emulate` serves the demo org") {
		t.Errorf("exit %d, stdout %q, stderr %q; want one line naming connectedapplab-cli, exit 2", code, out.String(), msg)
	}
}
