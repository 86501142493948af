package cli

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version and Commit are set at link time:
//
//	-ldflags "-X github.com/connectedapplab/connectedapplab/cli.Version=1.0.0 -X github.com/connectedapplab/connectedapplab/cli.Commit=abc123"
var (
	Version = "0.1.0-dev"
	Commit  = ""
)

// VersionLine is what `connectedapplab --version` prints: version, commit, Fyne and Go.
func VersionLine() string {
	commit := Commit
	fyneVersion := "none"
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && commit == "" {
				commit = s.Value
			}
		}
		for _, d := range bi.Deps {
			if d.Path == "fyne.io/fyne/v2" {
				fyneVersion = d.Version
			}
		}
	}
	if commit == "" {
		commit = "unknown"
	} else if len(commit) > 12 {
		commit = commit[:12]
	}
	return fmt.Sprintf("connectedapplab %s (commit %s, fyne %s, %s %s/%s)", Version, commit, fyneVersion,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func versionCommand() *Command {
	return &Command{Name: "version", Summary: "print version, commit and Fyne version", Run: func(_ context.Context, env *Env) int {
		fmt.Fprintln(env.Stdout, VersionLine())
		return 0
	}}
}
