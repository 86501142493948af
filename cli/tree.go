package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/connectedapplab/connectedapplab/internal/display"
)

// Window is the window command, made by package main (the only importer of Fyne's app). It
// declares the window's flags on fs and returns what opens the window once fs has parsed
// them. The tree also calls it to list those flags in the help, so it must only declare.
type Window func(fs *flag.FlagSet) (open func(ctx context.Context, env *Env) int)

// Tree is the whole command line: every command, and the window as the default one.
type Tree struct {
	commands []*Command // in the order of the help text
	window   Window     // nil: a tree without the window
}

// NewTree builds the command line, the one place that lists the commands. window is the
// window command; with nil the tree has none, and no arguments print the usage (status 2).
func NewTree(window Window) *Tree {
	t := &Tree{window: window}
	t.commands = []*Command{
		appCommand(),
		benchCommand(),
		checkCommand(),
		diagnoseCommand(),
		emulateCommand(),
		explainCommand(),
		{Name: "help", Summary: "show this list", Run: func(_ context.Context, env *Env) int {
			t.Usage(env.Stdout)
			return ExitOK
		}},
		profilesCommand(),
		runCommand(),
		versionCommand(),
	}
	if window != nil {
		t.commands = append(t.commands, t.windowCommand())
	}
	return t
}

// Main runs what args ask for (see Find) and returns the process exit status: ExitOK,
// ExitFailed or ExitUsage.
func (t *Tree) Main(ctx context.Context, args []string, env *Env) int {
	c, rest := t.Find(args)
	e := *env
	e.Args = rest
	return t.Run(ctx, c, &e)
}

// Main runs a command of the tree without the window (the tests' entry).
func Main(ctx context.Context, args []string, env *Env) int {
	return NewTree(nil).Main(ctx, args, env)
}

// Find returns the command that args ask for and the arguments it gets: the window when args
// are empty or start with one of its flags (--demo, --config-dir), help for -h or --help, the
// version for --version, else the command args[0] names. Anything else is a command that
// prints one line and returns ExitUsage.
func (t *Tree) Find(args []string) (*Command, []string) {
	if len(args) == 0 {
		if w := t.command("window"); w != nil {
			return w, nil
		}
		return &Command{Name: "usage", Run: func(_ context.Context, env *Env) int {
			t.Usage(env.Stderr)
			return ExitUsage
		}}, nil
	}
	switch a := args[0]; {
	case isHelpArg(a):
		return t.command("help"), args[1:]
	case a == "-version" || a == "--version":
		return t.command("version"), args[1:]
	case strings.HasPrefix(a, "-"):
		if t.isWindowFlag(a) {
			return t.command("window"), args
		}
		if t.window == nil {
			if msg, ok := windowOnly(a); ok {
				return t.badInput(msg), nil
			}
			return t.badInput(fmt.Sprintf("unknown flag %s (this executable has no window); run `%s --help` for the commands", a, t.name())), nil
		}
		return t.badInput(fmt.Sprintf("unknown flag %s; run `%s --help` for the commands and the window's flags", a, t.name())), nil
	default:
		if c := t.command(a); c != nil {
			return c, args[1:]
		}
		return t.badInput(fmt.Sprintf("unknown command %q; run `%s help` for the list", a, t.name())), nil
	}
}

// Run runs c with env (env.Args are c's arguments) and returns its exit status. A command
// prints through terminal writers (output.go); the window gets the streams as they are.
func (t *Tree) Run(ctx context.Context, c *Command, env *Env) int {
	if c.window {
		return c.Run(ctx, env)
	}
	e := *env
	head := &usageHead{w: env.Stderr}
	out, errw := NewTerminalWriter(env.Stdout), NewTerminalWriter(head)
	e.Stdout, e.Stderr = out, errw
	defer flushWriters(out, errw)
	code := c.Run(ctx, &e)
	if code == ExitUsage && helpAsked(env.Args) && head.usage() {
		return ExitOK // -h or --help answered with the usage: what was asked (flag.ErrHelp is no bad input)
	}
	return code
}

// helpAsked reports whether args hold a help flag (isHelpArg) as an argument of their own,
// before any "--".
func helpAsked(args []string) bool {
	for _, a := range args {
		switch {
		case a == "--":
			return false
		case isHelpArg(a):
			return true
		}
	}
	return false
}

// isHelpArg reports whether a is what the flag package answers with the usage (flag.ErrHelp):
// -h or -help, with one or two dashes, with or without a value (-h, --h, -help, --help=true).
func isHelpArg(a string) bool {
	name, ok := strings.CutPrefix(a, "-")
	if !ok {
		return false
	}
	name, _, _ = strings.Cut(strings.TrimPrefix(name, "-"), "=")
	return name == "h" || name == "help"
}

// subcommand splits the arguments of a command made of subcommands (app, bench, diagnose)
// into the subcommand and its arguments (help for -h or --help). It answers what is no
// subcommand itself, and then returns ok false with the exit status: no arguments print
// usage on stderr (ExitUsage), help prints it on stdout (ExitOK).
func subcommand(env *Env, usage string) (sub string, args []string, code int, ok bool) {
	if len(env.Args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return "", nil, ExitUsage, false
	}
	sub, args = env.Args[0], env.Args[1:]
	if sub == "help" || isHelpArg(sub) {
		fmt.Fprint(env.Stdout, usage)
		return "", nil, ExitOK, false
	}
	return sub, args, 0, true
}

// usageHead passes writes on to w and keeps what was written first: a command whose flag
// parsing answered -h began its stderr with its usage ("usage: …", or the flag package's
// "Usage of …"); an error (an unknown flag, a bad value) begins otherwise.
type usageHead struct {
	w    io.Writer
	head []byte
}

func (u *usageHead) Write(p []byte) (int, error) {
	if n := 16 - len(u.head); n > 0 {
		u.head = append(u.head, p[:min(n, len(p))]...)
	}
	return u.w.Write(p)
}

func (u *usageHead) wrapped() io.Writer { return u.w }

func (u *usageHead) usage() bool {
	return strings.HasPrefix(strings.ToLower(string(u.head)), "usage")
}

func (t *Tree) command(name string) *Command {
	for _, c := range t.commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// name is the executable's name: connectedapplab, or connectedapplab-cli, the build
// without the window (go build -tags headless), whose tree has none.
func (t *Tree) name() string {
	if t.window == nil {
		return display.Headless
	}
	return "connectedapplab"
}

// windowOnlyFlags are the window's flags, which window.go declares (the main package's
// TestHeadlessAnswersEveryWindowFlag checks that the two agree), with what the executable
// without the window says instead of opening it.
var windowOnlyFlags = map[string]string{
	"demo":       "without a display, " + display.EmulateDemo,
	"config-dir": "a command takes --config-dir after its name, e.g. `" + display.Headless + " profiles --config-dir DIR list`",
}

// windowOnly is the one line (after the executable's name) that answers arg when it is one of
// the window's flags (-name, --name or --name=value) given to the executable without the window.
func windowOnly(arg string) (string, bool) {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	instead, ok := windowOnlyFlags[name]
	if !ok {
		return "", false
	}
	return "--" + name + " opens the window of connectedapplab, which comes with this executable; " + instead, true
}

// badInput is a command that prints msg as one line and returns ExitUsage.
func (t *Tree) badInput(msg string) *Command {
	return &Command{Name: "bad-input", Run: func(_ context.Context, env *Env) int {
		fmt.Fprintln(env.Stderr, t.name()+": "+msg)
		return ExitUsage
	}}
}

// windowFlags is the window's flag set, as the window declares it.
func (t *Tree) windowFlags(out io.Writer) (*flag.FlagSet, func(context.Context, *Env) int) {
	fs := flag.NewFlagSet("connectedapplab", flag.ContinueOnError)
	fs.SetOutput(out)
	open := t.window(fs)
	return fs, open
}

// isWindowFlag reports whether arg (-name, --name or --name=value) is one of the window's flags.
func (t *Tree) isWindowFlag(arg string) bool {
	if t.window == nil {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	fs, _ := t.windowFlags(io.Discard)
	return name != "" && fs.Lookup(name) != nil
}

const windowUsage = "usage: connectedapplab [window] [--demo] [--config-dir DIR]"

func (t *Tree) windowCommand() *Command {
	return &Command{Name: "window", window: true,
		Summary: "open the window on your profiles, or with --demo on the built-in emulated org (the default without a command)",
		Run: func(ctx context.Context, env *Env) int {
			fs, open := t.windowFlags(io.Discard)
			err := fs.Parse(env.Args)
			switch {
			case errors.Is(err, flag.ErrHelp):
				fmt.Fprintln(env.Stdout, windowUsage)
				fs.SetOutput(env.Stdout)
				fs.PrintDefaults()
				return ExitOK
			case err != nil:
				fmt.Fprintf(env.Stderr, "connectedapplab: %v; run `connectedapplab --help` for the window's flags\n", err)
				return ExitUsage
			case fs.NArg() > 0:
				fmt.Fprintf(env.Stderr, "connectedapplab: unexpected argument %q; the window's flags are --demo and --config-dir\n", fs.Arg(0))
				return ExitUsage
			}
			return open(ctx, env)
		}}
}

// Usage prints the commands, the window's flags and the exit statuses.
func (t *Tree) Usage(w io.Writer) {
	var b strings.Builder
	if t.window != nil {
		b.WriteString("usage: connectedapplab [--demo | --config-dir DIR | --version | --help | COMMAND [flags]]\n\n")
		b.WriteString("Without a command, the window opens with your profiles; --demo opens it on the built-in emulated org.\n\ncommands:\n")
	} else { // connectedapplab-cli (go build -tags headless)
		b.WriteString("usage: " + t.name() + " [--version | --help | COMMAND [flags]]\n\n")
		b.WriteString("The command line without the window; connectedapplab, which comes with it, opens the window.\n\ncommands:\n")
	}
	for _, c := range t.commands {
		fmt.Fprintf(&b, "  %-10s %s\n", c.Name, c.Summary)
	}
	if t.window != nil {
		b.WriteString("\nwindow flags (connectedapplab [window] FLAGS):\n")
		fs, _ := t.windowFlags(&b)
		fs.PrintDefaults()
	}
	fmt.Fprintf(&b, "\nRun `%s COMMAND -h` for a command's flags.\n", t.name())
	fmt.Fprintf(&b, "\nexit status:\n  %d  done\n  %d  failed: the flow or a check failed, lint found errors, or the keychain, network or disk failed\n  %d  bad input: an unknown command, flag, value or profile, or an unusable file; nothing was sent or changed\n", ExitOK, ExitFailed, ExitUsage)
	io.WriteString(w, b.String())
}
