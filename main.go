// Command connectedapplab runs Salesforce OAuth flows against an org and explains what came
// back. This file is wiring only: it picks the window or a headless command.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/connectedapplab/connectedapplab/cli"
	// Its init fixes the environment (locale, session bus) before Fyne reads it, and takes
	// SIGINT and SIGTERM; Go runs it before Fyne's package inits (see its package doc).
	"github.com/connectedapplab/connectedapplab/internal/early"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { // Ctrl-C or SIGTERM (taken since the process started) cancels what runs
		select {
		case <-early.Stopped():
			stop()
		case <-ctx.Done():
		}
	}()
	if len(args) > 0 && !isWindowFlag(args[0]) {
		attachParentConsole() // a command, not the window: print in the terminal (Windows)
	}
	env := &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}

	if len(args) > 0 {
		switch a := args[0]; {
		case a == "--version" || a == "-version":
			fmt.Fprintln(os.Stdout, cli.VersionLine())
			return 0
		case a == "-h" || a == "--help":
			cli.Usage(os.Stdout)
			return 0
		case !strings.HasPrefix(a, "-"):
			return cli.Main(ctx, args, env)
		}
	}
	return openWindow(ctx, args, env)
}

// isWindowFlag reports whether arg is a flag of the window (--demo, --config-dir) rather
// than a command, --version or --help.
func isWindowFlag(arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && (name == "demo" || name == "config-dir")
}
