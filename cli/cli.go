// Package cli holds the command line of Connected App Lab: run a flow, emulate an org, manage
// profiles, lint an app, and the window. The whole tree of commands is built in one place
// (NewTree, in tree.go); each command's file has its constructor. The window is handed in by
// package main, so that this package imports no Fyne; the commands call the same flows,
// guidance, store and connectedapp code as the window.
package cli

import (
	"context"
	"io"

	"github.com/connectedapplab/connectedapplab/flows"
)

// Env is what a command gets: its arguments (without the command name) and where to print.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
	// Flows is the flow catalogue the commands list, accept and run; nil means
	// flows.Catalog(). Tests add a flow here.
	Flows []flows.Spec
}

// catalog is the flow catalogue of this run.
func (e *Env) catalog() []flows.Spec {
	if e.Flows != nil {
		return e.Flows
	}
	return flows.Catalog()
}

// lookupFlow returns the catalogue's entry for f.
func (e *Env) lookupFlow(f flows.Flow) (flows.Spec, bool) { return flows.LookupIn(e.catalog(), f) }

// flowNames lists the catalogue's flow names for help texts and errors.
func (e *Env) flowNames() string { return flows.Names(e.catalog()) }

// Command is one command of the tree.
type Command struct {
	Name    string
	Summary string // one line for the usage text
	Run     func(ctx context.Context, env *Env) int
	// window is set on the window command only: it prints to no terminal of its own (see
	// IsWindow) and gets the streams as they are.
	window bool
}

// IsWindow reports whether c opens the window. On Windows, main attaches the process to its
// parent's console for every other command, so that their output reaches the terminal.
func (c *Command) IsWindow() bool { return c.window }

// Exit codes of every command, printed by the usage text.
const (
	ExitOK     = 0 // done
	ExitFailed = 1 // ran and failed: the flow failed, a check failed, lint found errors, the keychain or disk failed
	ExitUsage  = 2 // bad input, nothing sent or changed: an unknown command, flag or value, an unusable file
)

func flushWriters(ws ...io.Writer) {
	for _, w := range ws {
		if f, ok := w.(interface{ Flush() error }); ok {
			f.Flush()
		}
	}
}
