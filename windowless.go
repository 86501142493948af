//go:build headless

package main

import "github.com/connectedapplab/connectedapplab/cli"

// windowCommand is nil in a build without the window (go build -tags headless): the binary
// then links no Fyne, OpenGL or X11, whose loading and package initialisation a command
// otherwise pays for at every start (scripts/bench-cli measures both builds). Without a
// command it prints the usage; a window flag is an unknown flag.
var windowCommand cli.Window
