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
)

// Env is what a command gets: its arguments (without the command name) and where to print.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
}

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

// Main runs the command named by args[0] and returns the process exit code.
func Main(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 {
		Usage(env.Stderr)
		return 2
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "connectedapplab: unknown command %q; run `connectedapplab help` for the list\n", args[0])
		return 2
	}
	env.Args = args[1:]
	return c.Run(ctx, env)
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
	io.WriteString(w, b.String())
}

func init() {
	Register(&Command{Name: "help", Summary: "show this list", Run: func(_ context.Context, env *Env) int {
		Usage(env.Stdout)
		return 0
	}})
}
