package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

func init() {
	Register(&Command{Name: "explain", Summary: "explain the real error behind a Salesforce error page or callback URL (OAUTH_APPROVAL_ERROR_GENERIC included)", Run: explainCmd})
}

const explainUsage = `usage: connectedapplab explain [--flow F] [--json] URL|-

Explains the error a Salesforce error page (…/setup/secur/RemoteAccessErrorPage.apexp?…, also
the generic OAUTH_APPROVAL_ERROR_GENERIC page) or a callback URL with error= carries in its
address. The URL is never fetched. With - the URL is read from the first line of stdin.
Exit codes: 0 explained, 1 the address carries no error, 2 bad input.
`

// explainCmd reads the real error out of a pasted error-page or callback URL (guidance.ExplainURL).
func explainCmd(_ context.Context, env *Env) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, explainUsage); fs.PrintDefaults() }
	flow := fs.String("flow", "", "the `flow` that met the error (sharpens the causes): one of "+env.flowNames())
	asJSON := fs.Bool("json", false, "print the explanation as JSON")
	if err := fs.Parse(env.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "explain: pass one URL (quote it: it holds & characters), or - to read it from stdin")
		return ExitUsage
	}
	if _, known := env.lookupFlow(flows.Flow(*flow)); *flow != "" && !known {
		fmt.Fprintln(env.Stderr, "explain: unknown --flow "+*flow+"; use one of: "+env.flowNames())
		return ExitUsage
	}
	raw := fs.Arg(0)
	if raw == "-" {
		line, err := readStdinLine(env, "explain -")
		if err != nil && err != io.EOF {
			fmt.Fprintf(env.Stderr, "explain: %v\n", err)
			return ExitUsage
		}
		raw = line
	}
	if strings.TrimSpace(raw) == "" {
		fmt.Fprintln(env.Stderr, "explain: the URL is empty; paste the address of Salesforce's error page")
		return ExitUsage
	}
	x, err := guidance.ExplainURL(flows.Flow(*flow), raw, guidance.Settings{}, time.Now())
	if err != nil {
		fmt.Fprintf(env.Stderr, "explain: %s\n", flows.RedactText(err.Error()))
		return ExitFailed
	}
	if *asJSON {
		writeJSON(env.Stdout, x)
		return ExitOK
	}
	fmt.Fprint(env.Stdout, x.Text())
	return ExitOK
}
