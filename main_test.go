//go:build !headless

package main

import (
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
