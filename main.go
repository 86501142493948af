// Command connectedapplab runs Salesforce OAuth flows against an org and explains what came
// back. This file is wiring only: it builds the command tree, with the window as its default
// command, and runs what the arguments ask for.
//
// The same source builds two executables (scripts/package ships both): connectedapplab, the
// window plus every command, and connectedapplab-cli (go build -tags headless), the commands
// alone, which links no Fyne, OpenGL or X11 and so starts like a native tool.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/connectedapplab/connectedapplab/cli"
	// Its init fixes the environment (locale, session bus) before Fyne reads it, and takes
	// SIGINT and SIGTERM; Go runs it before Fyne's package inits (see its package doc).
	"github.com/connectedapplab/connectedapplab/internal/early"
)

func main() {
	os.Exit(run(os.Args[1:], func() (io.Reader, io.Writer, io.Writer) { return os.Stdin, os.Stdout, os.Stderr }))
}

// run runs what args ask for. streams gives stdin, stdout and stderr; it is called once the
// process knows whether it opens the window (on Windows a command first attaches to its
// parent's console, which replaces os.Stdout and os.Stderr).
func run(args []string, streams func() (io.Reader, io.Writer, io.Writer)) int {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { // Ctrl-C or SIGTERM (taken since the process started) cancels what runs
		select {
		case <-early.Stopped():
			stop()
		case <-ctx.Done():
		}
	}()
	// The one command tree; the window is its default command, made here (cli imports no Fyne).
	tree := cli.NewTree(windowCommand)
	c, rest := tree.Find(args)
	if !c.IsWindow() {
		attachParentConsole() // a command, not the window: print in the terminal (Windows)
	}
	stdin, stdout, stderr := streams()
	if !hasWindow && (len(args) == 0 || args[0] == "window") {
		fmt.Fprintln(stderr, noWindow(os.Args[0]))
		return cli.ExitUsage
	}
	env := &cli.Env{Args: rest, Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
	return tree.Run(ctx, c, env)
}

// noWindow is the one line of the executable without the window (-tags headless) when it is
// asked to open it: no command, or `window`. prog is how it was started (os.Args[0]).
func noWindow(prog string) string {
	name := strings.TrimSuffix(filepath.Base(prog), ".exe")
	return fmt.Sprintf("%s: this executable is the command line without the window; open the window with connectedapplab "+
		"(connectedapplab.exe, Connected App Lab.app), which comes with it, or run `%s help` for the commands", name, name)
}
