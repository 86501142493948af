// Package cli holds the headless commands of Connected App Lab: run a flow, emulate an org,
// manage profiles, lint an app. Each command is a file that registers itself in init(); the
// commands call the same flows, guidance, store and connectedapp code as the window.
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

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

// Command is one sub-command of the binary.
type Command struct {
	Name    string
	Summary string // one line for the usage text
	Run     func(ctx context.Context, env *Env) int
}

var commands = map[string]*Command{}

// Register adds a command; called from init() in each command's file.
func Register(c *Command) {
	if _, dup := commands[c.Name]; dup {
		panic("cli: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

// Has reports whether name is a registered command.
func Has(name string) bool { _, ok := commands[name]; return ok }

// Main runs the command named by args[0] and returns the process exit code (ExitOK,
// ExitFailed or ExitUsage). Everything the command prints goes through a terminalWriter.
func Main(ctx context.Context, args []string, env *Env) int {
	e := *env
	out, errw := NewTerminalWriter(env.Stdout), NewTerminalWriter(env.Stderr)
	e.Stdout, e.Stderr = out, errw
	defer flushWriters(out, errw)
	if len(args) == 0 {
		Usage(e.Stderr)
		return ExitUsage
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.Stderr, "connectedapplab: unknown command %q; run `connectedapplab help` for the list\n", args[0])
		return ExitUsage
	}
	e.Args = args[1:]
	return c.Run(ctx, &e)
}

// Exit codes of every command, printed by Usage.
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

// Usage prints the list of commands.
func Usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: connectedapplab [--demo | --version | COMMAND [flags]]\n\n")
	b.WriteString("Without a command, the window opens with your profiles; --demo opens it on the built-in emulated org.\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, commands[n].Summary)
	}
	b.WriteString("\nRun `connectedapplab COMMAND -h` for a command's flags.\n")
	fmt.Fprintf(&b, "\nexit status:\n  %d  done\n  %d  failed: the flow or a check failed, lint found errors, or the keychain, network or disk failed\n  %d  bad input: an unknown command, flag, value or profile, or an unusable file; nothing was sent or changed\n", ExitOK, ExitFailed, ExitUsage)
	io.WriteString(w, b.String())
}

func init() {
	Register(&Command{Name: "help", Summary: "show this list", Run: func(_ context.Context, env *Env) int {
		Usage(env.Stdout)
		return 0
	}})
}
