//go:build headless

package main

import "github.com/connectedapplab/connectedapplab/cli"

// windowCommand is nil in a build without the window (go build -tags headless, shipped as
// connectedapplab-cli): the binary then links no Fyne, OpenGL or X11, whose loading and
// package initialisation a command otherwise pays for at every start (scripts/bench-cli
// measures both builds). Asked for the window (no command, or `window`), it says in one line
// to use the other executable (main.go, noWindow); a window flag is an unknown flag.
var windowCommand cli.Window

const hasWindow = false
