package main

import (
	"context"
	"fmt"

	"github.com/connectedapplab/connectedapplab/cli"
)

// openWindow will open the Fyne window (issue: ui). Until the window exists, the headless
// commands are the whole program, so say so plainly instead of pretending.
func openWindow(_ context.Context, args []string, env *cli.Env) int {
	fmt.Fprintf(env.Stderr, "connectedapplab: the window is not part of this build yet; "+
		"run `connectedapplab emulate` to serve the demo org, or `connectedapplab help` for the commands (args: %v)\n", args)
	return 2
}
