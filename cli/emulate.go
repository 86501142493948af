package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/connectedapplab/connectedapplab/internal/userfile"
	"github.com/connectedapplab/connectedapplab/sfemu"
)

func emulateCommand() *Command {
	return &Command{Name: "emulate", Summary: "serve the emulated Salesforce org and print its demo credentials", Run: emulate}
}

// emulate serves sfemu until the context ends (Ctrl-C). The demo secrets are demo values,
// so printing them is the point here; nothing of the user's is involved.
func emulate(ctx context.Context, env *Env) int {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback `host:port` of the login host (the My Domain host gets a second free port)")
	orgFile := fs.String("org", "", "JSON `file` describing the org (default: the built-in demo org)")
	asJSON := fs.Bool("json", false, "print one JSON line describing the org, then serve")
	noControl := fs.Bool("no-control", false, "turn off the loopback clock control endpoint (/_sfemu/clock)")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: connectedapplab emulate [--addr 127.0.0.1:0] [--org FILE] [--json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(env.Args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "emulate: unexpected argument %q; the flags are --addr, --org, --json\n", fs.Arg(0))
		return 2
	}
	if !isLoopbackAddr(*addr) {
		fmt.Fprintf(env.Stderr, "emulate: --addr %q is not a loopback address; use 127.0.0.1:PORT (the emulator holds demo secrets and serves only this machine)\n", *addr)
		return 2
	}
	org := sfemu.Demo()
	if *orgFile != "" {
		// sfemu reads the path itself (it imports nothing of ours): check it first.
		if err := userfile.Stat(*orgFile, "the org file", userfile.DocumentLimit); err != nil {
			fmt.Fprintf(env.Stderr, "emulate: --org: %v\n", err)
			return ExitUsage
		}
		var err error
		if org, err = sfemu.LoadOrg(*orgFile); err != nil {
			fmt.Fprintf(env.Stderr, "emulate: %v\n", err)
			return ExitUsage
		}
	}
	e, err := sfemu.Start(org, *addr, sfemu.Options{EnableControl: !*noControl})
	if err != nil {
		fmt.Fprintf(env.Stderr, "emulate: %v\n", err)
		return 1
	}
	defer e.Close()
	d := e.Describe()
	if *asJSON {
		b, err := json.Marshal(d)
		if err != nil {
			fmt.Fprintf(env.Stderr, "emulate: %v\n", err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "%s\n", b)
	} else {
		printDescription(env.Stdout, d, !*noControl)
	}
	<-ctx.Done()
	return 0
}

func printDescription(w io.Writer, d sfemu.Description, control bool) {
	fmt.Fprintf(w, "Emulated Salesforce org (sfemu) — not a real org; every secret below is a demo value.\n\n")
	fmt.Fprintf(w, "  login host     %s\n", d.BaseURL)
	fmt.Fprintf(w, "  My Domain      %s   (client credentials work only here)\n", d.MyDomainURL)
	fmt.Fprintf(w, "\nUsers:\n")
	for _, u := range d.Users {
		fmt.Fprintf(w, "  %-36s password %-14s security token %s\n", u.Username, u.Password, u.SecurityToken)
	}
	fmt.Fprintf(w, "\nApps:\n")
	for _, a := range d.Apps {
		fmt.Fprintf(w, "  %s (%s)\n", a.Name, a.Kind)
		fmt.Fprintf(w, "    client id      %s\n", a.ClientID)
		if a.ClientSecret != "" {
			fmt.Fprintf(w, "    client secret  %s\n", a.ClientSecret)
		}
		fmt.Fprintf(w, "    callback URLs  %s\n", strings.Join(a.CallbackURLs, " "))
		fmt.Fprintf(w, "    scopes         %s\n", strings.Join(a.Scopes, " "))
		fmt.Fprintf(w, "    flows          %s\n", strings.Join(a.Flows, " "))
		if a.JWTPrivateKey != "" {
			fmt.Fprintf(w, "    JWT bearer     sub %s; private key: use --json to get it as PEM\n", a.JWTUsername)
		}
	}
	for _, n := range d.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	if control {
		fmt.Fprintf(w, "\nMove the org's clock (loopback only): curl -X POST '%s/_sfemu/clock/advance?by=2h'\n", d.BaseURL)
	}
	fmt.Fprintf(w, "\nTry: curl -s %s/services/oauth2/token -d grant_type=password -d client_id=... -d client_secret=... -d username=... -d password=PASSWORDTOKEN\n", d.BaseURL)
	fmt.Fprintf(w, "Serving until interrupted (Ctrl-C).\n")
}
