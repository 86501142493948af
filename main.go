// Command connectedapplab runs Salesforce OAuth flows against an org and explains what came
// back. This file is wiring only: it builds the command tree, with the window as its default
// command, and runs what the arguments ask for.
package main

import (
	"context"
	"os"

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
	// The one command tree; the window is its default command, made here (cli imports no Fyne).
	tree := cli.NewTree(windowCommand)
	c, rest := tree.Find(args)
	if !c.IsWindow() {
		attachParentConsole() // a command, not the window: print in the terminal (Windows)
	}
	env := &cli.Env{Args: rest, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	return tree.Run(ctx, c, env)
}
