package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/connectedapplab/connectedapplab/flows"
	"github.com/connectedapplab/connectedapplab/guidance"
)

// The human output of `run`: the three answer lines first, then the facts that matter for this
// flow, then the one or two most important pieces of advice. Everything else comes with
// --verbose or with --show SECTION,... Each item comes from the guidance report once; this
// file picks and orders them and writes no sentence of its own about Salesforce.

// runExitCodes ends `run -h`.
const runExitCodes = `
The output starts with three lines (Lifetime, Refresh token, Do this next), then the facts that
matter for this flow and the most important advice; --verbose or --show add the rest.
Colour marks severity on a terminal only (NO_COLOR or --no-color turn it off); lines wrap to
the terminal's width (80 when the output is not a terminal).

exit status:
  0  a token came back and every check passed
  1  the flow or a check failed
  2  bad input (an unknown flag, flow, profile or --show section); nothing was sent
`

// Sections that --show can add, in the order they are printed.
var showSections = []string{"token", "transcript", "lifetimes", "advice", "scopes", "platform"}

// showFlags are the output flags of `run`.
type showFlags struct {
	verbose bool
	show    string
	noColor bool
}

// addShowFlags registers --verbose, --show and --no-color on fs.
func addShowFlags(fs *flag.FlagSet) *showFlags {
	s := &showFlags{}
	fs.BoolVar(&s.verbose, "verbose", false, "print everything: the token response, the transcript with curl, every lifetime, all advice, the scopes, the platform notes and the sources")
	fs.StringVar(&s.show, "show", "", "add `SECTIONS` to the short output, comma separated: "+strings.Join(showSections, ", "))
	fs.BoolVar(&s.noColor, "no-color", false, "no colour (also when NO_COLOR is set or the output is not a terminal)")
	return s
}

// showOptions is how the human output is laid out.
type showOptions struct {
	sections map[string]bool // sections shown in full
	verbose  bool
	color    bool
	width    int
}

// options resolves the flags against the environment; an unknown section is an error.
func (s *showFlags) options(env *Env) (showOptions, error) {
	o := showOptions{sections: map[string]bool{}, verbose: s.verbose, width: 80}
	if s.verbose {
		for _, n := range showSections {
			o.sections[n] = true
		}
	}
	for _, n := range strings.Split(s.show, ",") {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" {
			continue
		}
		known := false
		for _, k := range showSections {
			known = known || k == n
		}
		if !known {
			return o, fmt.Errorf("--show: unknown section %q; use any of: %s", n, strings.Join(showSections, ","))
		}
		o.sections[n] = true
	}
	getenv := env.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if fd, ok := terminalFD(env.Stdout); ok {
		if w, _, err := term.GetSize(fd); err == nil && w >= 40 {
			o.width = min(w, 120)
		}
		o.color = colorWanted(true, s.noColor, getenv)
	}
	return o, nil
}

// colorWanted: colour on a terminal only, and not with --no-color, NO_COLOR (no-color.org:
// any non-empty value) or TERM=dumb.
func colorWanted(tty, noColor bool, getenv func(string) string) bool {
	return tty && !noColor && getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// terminalFD returns the file descriptor behind w when w (or the writer our wrappers, a
// terminalWriter or the tree's usageHead, pass writes on to) is a terminal.
func terminalFD(w io.Writer) (int, bool) {
	for {
		u, ok := w.(interface{ wrapped() io.Writer })
		if !ok {
			break
		}
		w = u.wrapped()
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// SGR colours by severity; only ever written around our own labels.
var sevColor = map[guidance.Severity]string{guidance.SeverityError: "\x1b[31m", guidance.SeverityWarning: "\x1b[33m", guidance.SeverityInfo: "\x1b[32m"}

const sgrReset = "\x1b[0m"

// page collects the output: lines whose first span may be coloured.
type page struct {
	o     showOptions
	lines []pageLine
	refs  []guidance.DocRef // sources in the order first cited (verbose)
	said  map[string]bool   // Setup paths and metadata fields already written
}

type pageLine struct {
	lead  string // coloured when colour is on
	sev   guidance.Severity
	text  string
	blank bool
}

func (p *page) blank() {
	if len(p.lines) > 0 && !p.lines[len(p.lines)-1].blank {
		p.lines = append(p.lines, pageLine{blank: true})
	}
}

func (p *page) heading(s string) { p.blank(); p.lines = append(p.lines, pageLine{text: s}) }

// para writes s wrapped to the width, after lead on the first line and indent on the others.
func (p *page) para(lead string, sev guidance.Severity, indent, s string) {
	lw := utf8.RuneCountInString(lead)
	iw := utf8.RuneCountInString(indent)
	ls := guidance.Wrap(s, max(20, p.o.width-lw), max(20, p.o.width-iw))
	for i, l := range ls {
		if i == 0 {
			p.lines = append(p.lines, pageLine{lead: lead, sev: sev, text: l})
		} else {
			p.lines = append(p.lines, pageLine{text: indent + l})
		}
	}
}

// once returns s the first time and "as above" after: a Setup path or metadata field that two
// pieces of advice share is written once.
func (p *page) once(s string) string {
	if p.said == nil {
		p.said = map[string]bool{}
	}
	if p.said[s] {
		return "as above"
	}
	p.said[s] = true
	return s
}

// cite returns " [n]" for a source, numbering it on first use; "" when sources are not shown.
func (p *page) cite(d guidance.DocRef) string {
	if d.IsZero() || !p.o.verbose {
		return ""
	}
	for i, r := range p.refs {
		if r == d {
			return fmt.Sprintf(" [%d]", i+1)
		}
	}
	p.refs = append(p.refs, d)
	return fmt.Sprintf(" [%d]", len(p.refs))
}

// write prints the page; colour codes bypass the terminal writer's escaping, the text does not.
func (p *page) write(w io.Writer) {
	var b strings.Builder
	for _, l := range p.lines {
		if l.blank {
			b.WriteString("\n")
			continue
		}
		if c := sevColor[l.sev]; p.o.color && c != "" && l.lead != "" {
			b.WriteString(c + sanitize(l.lead) + sgrReset + sanitize(l.text) + "\n")
			continue
		}
		b.WriteString(sanitize(l.lead + l.text + "\n"))
	}
	writeTrusted(w, b.String())
}

// writeTrusted writes s, already sanitized, past a terminalWriter's escaping (for the colour
// codes this package adds itself).
func writeTrusted(w io.Writer, s string) {
	if t, ok := w.(*terminalWriter); ok {
		t.Flush()
		t.mu.Lock()
		defer t.mu.Unlock()
		io.WriteString(t.w, s)
		return
	}
	io.WriteString(w, s)
}

const answerLabelW = 15

// factIndent lines continuation lines up under a fact's value ("  " + a label padded to 24 runes).
var factIndent = strings.Repeat(" ", 26)

func orString(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// printRun writes the human output of one run.
func printRun(w io.Writer, o showOptions, f *runFlags, res *flows.Result, in *flows.Introspection, rep *guidance.Report, err error) {
	p := &page{o: o}
	indent := strings.Repeat(" ", answerLabelW)
	for _, l := range rep.Answer.Lines() {
		p.para(pad(l.Label, answerLabelW), l.Severity, indent, l.Text+p.cite(l.Source))
	}
	rows := map[string]guidance.LifetimeRow{}
	for _, r := range rep.Lifetimes {
		rows[r.ID] = r
	}
	notes := map[string]guidance.PlatformNote{}
	for _, n := range rep.Platform {
		notes[n.ID] = n
	}

	// What went wrong, when something did: the error and any failed check.
	if rep.Error != nil && !o.sections["advice"] {
		p.heading("Error")
		writeErrorShort(p, rep.Error)
	}
	var failed []flows.Check
	for _, c := range res.Checks {
		if !c.OK {
			failed = append(failed, c)
		}
	}
	if len(failed) > 0 && !o.sections["token"] {
		p.heading("Failed checks")
		for _, c := range failed {
			p.para("  FAIL ", guidance.SeverityError, "       ", c.Name+": "+c.Detail)
		}
	}

	// The facts that matter for this flow, unless their section is shown in full below.
	var facts []func()
	for _, k := range rep.KeyFacts {
		sec, id, _ := strings.Cut(k, "/")
		switch sec {
		case "lifetimes":
			if r, ok := rows[id]; ok && !o.sections["lifetimes"] {
				facts = append(facts, func() { p.para("  "+pad(r.Label, 24), "", factIndent, r.Value) })
			}
		case "platform":
			if n, ok := notes[id]; ok && !o.sections["platform"] {
				facts = append(facts, func() { p.para("  "+pad(n.When, 24), "", factIndent, orString(n.Short, n.Change)) })
			}
		}
	}
	if len(facts) > 0 {
		p.heading("Facts")
		for _, fn := range facts {
			fn()
		}
	}
	if !o.sections["advice"] {
		top := topAdvice(rep)
		if len(top) > 0 {
			p.heading("Advice")
			for _, a := range top {
				writeAdviceItem(p, a, false, rep.Answer.SkipsFix(a))
			}
		}
	}

	if o.sections["token"] {
		writeTokenSection(p, f, res, in, err)
	}
	if o.sections["transcript"] {
		writeTranscript(p, res)
	}
	if o.sections["lifetimes"] && len(rep.Lifetimes) > 0 {
		p.heading("Lifetimes")
		ind := factIndent
		for _, r := range rep.Lifetimes {
			p.para("  "+pad(r.Label, 24), "", ind, r.Value+p.cite(r.Doc))
			if r.Source != "" {
				p.para(ind+"source: ", "", ind+"        ", r.Source)
			}
			if r.Note != "" {
				p.para(ind, "", ind, r.Note)
			}
		}
	}
	if o.sections["advice"] {
		if rep.Error != nil {
			p.heading("Error")
			writeErrorFull(p, rep.Error, rep.Answer.DoThisNext.FromError)
		}
		if len(rep.Advice) > 0 {
			p.heading("Advice")
			for _, a := range rep.Advice {
				writeAdviceItem(p, a, true, rep.Answer.SkipsFix(a))
			}
		}
	}
	if o.sections["scopes"] {
		writeScopes(p, rep.Scopes)
	}
	if o.sections["platform"] && len(rep.Platform) > 0 {
		// Grouped by whom they affect, so that each "applies to" is said once.
		var groups []string
		by := map[string][]guidance.PlatformNote{}
		for _, n := range rep.Platform {
			if _, ok := by[n.Applies]; !ok {
				groups = append(groups, n.Applies)
			}
			by[n.Applies] = append(by[n.Applies], n)
		}
		p.heading("Platform changes")
		for _, g := range groups {
			p.para("  For ", "", "      ", g+":")
			for _, n := range by[g] {
				p.para("    "+pad(n.When, 22), "", factIndent, n.Change+p.cite(n.Source))
			}
		}
	}
	if len(p.refs) > 0 {
		p.heading("Sources")
		for i, r := range p.refs {
			lead := fmt.Sprintf("  [%d] ", i+1)
			p.para(lead, "", strings.Repeat(" ", utf8.RuneCountInString(lead)), r.String())
		}
	}
	if !o.verbose {
		var more []string
		for _, s := range showSections {
			if !o.sections[s] {
				more = append(more, s)
			}
		}
		if len(more) > 0 {
			p.blank()
			p.para("", "", "", "More: --verbose, or --show "+strings.Join(more, ","))
		}
	}
	p.write(w)
}

// topAdvice is the one or two most important pieces of advice: errors and warnings first
// (the report orders them), at most two, and an info only when nothing more pressing is there;
// the advice whose fix the Do this next line gives is left out.
func topAdvice(rep *guidance.Report) []guidance.Advice {
	var out []guidance.Advice
	for _, a := range rep.Advice {
		if len(out) == 2 {
			break
		}
		if rep.Answer.SkipsFix(a) {
			continue // the Do this next line says what it says; --verbose shows where
		}
		if a.Severity == guidance.SeverityInfo && len(out) > 0 {
			break
		}
		out = append(out, a)
	}
	return out
}

var sevMark = map[guidance.Severity]string{guidance.SeverityError: "[ERROR] ", guidance.SeverityWarning: "[WARNING] ", guidance.SeverityInfo: "[INFO] "}

// writeAdviceItem writes one advice: title and fix, and in full the reason, Setup path,
// metadata field and source. skipFix leaves out a fix the Do this next line already says.
func writeAdviceItem(p *page, a guidance.Advice, full, skipFix bool) {
	const ind = "    "
	p.para("  "+sevMark[a.Severity], a.Severity, ind, a.Title+p.cite(a.Source))
	if full && a.Reason != "" {
		p.para(ind, "", ind, a.Reason)
	}
	if a.Fix != "" && !skipFix {
		p.para(ind+"Fix: ", "", ind+"     ", a.Fix)
	}
	if full && a.SetupPath != "" {
		p.para(ind+"Setup: ", "", ind+"       ", p.once(a.SetupPath))
	}
	if full && a.MetadataField != "" {
		p.para(ind+"Metadata: ", "", ind+"          ", p.once(a.MetadataField))
	}
}

// writeErrorShort is the error in a few lines: what came back, what it means, the likeliest causes.
func writeErrorShort(p *page, e *guidance.ErrorExplanation) {
	head := e.Code
	if e.Description != "" {
		head += ": " + e.Description
	}
	p.para("  ", guidance.SeverityError, "  ", head)
	if e.Meaning != "" {
		p.para("  Means: ", "", "         ", e.Meaning)
	}
	for i, c := range e.Causes {
		if i == 2 {
			break
		}
		p.para("  - ", "", "    ", c)
	}
}

// writeErrorFull is the whole explanation; skipFirst leaves out the first fix's Fix when the
// Do this next line says it.
func writeErrorFull(p *page, e *guidance.ErrorExplanation, skipFirst bool) {
	head := e.Code
	if e.Description != "" {
		head += ": " + e.Description
	}
	p.para("  ", guidance.SeverityError, "  ", head+p.cite(e.Source))
	if e.Note != "" {
		p.para("  ", "", "  ", e.Note)
	}
	if e.Meaning != "" {
		p.para("  Means: ", "", "         ", e.Meaning)
	}
	if len(e.Causes) > 0 {
		p.para("  ", "", "  ", "Likely causes, most likely first:")
		for _, c := range e.Causes {
			p.para("  - ", "", "    ", c)
		}
	}
	for i, fx := range e.Fixes {
		if fx.Source == e.Source {
			fx.Source = guidance.DocRef{}
		}
		writeAdviceItem(p, fx, true, i == 0 && skipFirst)
	}
}

func writeScopes(p *page, d guidance.ScopeDiagnosis) {
	p.heading("Scopes")
	ind := strings.Repeat(" ", 22)
	for _, l := range d.Lines("unknown") {
		p.para("  "+pad(l.Label, 20), "", ind, l.Value)
	}
	for _, n := range d.Notes {
		p.para("  - ", "", "    ", n)
	}
}

func writeTokenSection(p *page, f *runFlags, res *flows.Result, in *flows.Introspection, err error) {
	status := "OK"
	if err != nil {
		status = "FAILED"
	}
	p.heading(fmt.Sprintf("Run: %s  %s  (%s)", status, f.req.Flow, res.Duration.Round(time.Millisecond)))
	if res.Token != nil {
		t := res.Token
		p.para("  instance_url     ", "", strings.Repeat(" ", 19), t.InstanceURL)
		p.para("  granted scopes   ", "", strings.Repeat(" ", 19), orDash(strings.Join(res.GrantedScopes, " ")))
		p.heading("Token response (as sent)")
		m := tokenMap(t, f.showTokens)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p.para("  "+pad(k, 19), "", strings.Repeat(" ", 21), fmt.Sprint(m[k]))
		}
	}
	if len(res.Checks) > 0 {
		p.heading("Checks")
		for _, c := range res.Checks {
			mark, sev := "  ok   ", guidance.SeverityInfo
			if !c.OK {
				mark, sev = "  FAIL ", guidance.SeverityError
			}
			p.para(mark, sev, strings.Repeat(" ", 7), pad(c.Name, 20)+c.Detail)
		}
	}
	if in != nil {
		s := fmt.Sprintf("active=%v", in.Active)
		if in.Exp > 0 {
			s += ", exp " + time.Unix(in.Exp, 0).UTC().Format(time.RFC3339)
		}
		p.heading("Introspection")
		p.para("  ", "", "  ", s)
	}
}

func writeTranscript(p *page, res *flows.Result) {
	xs := res.Transcript.Exchanges()
	if len(xs) == 0 {
		return
	}
	p.heading("Transcript")
	for _, x := range xs {
		st := ""
		if x.Status != 0 {
			st = fmt.Sprintf(" -> %d", x.Status)
		}
		if x.Error != "" {
			st += " (" + x.Error + ")"
		}
		// URLs and curl lines stay whole so that they can be copied.
		p.lines = append(p.lines, pageLine{text: "  [" + x.Step + "] " + x.Method + " " + x.URL + st})
		if x.Curl != "" {
			p.lines = append(p.lines, pageLine{text: "      " + x.Curl})
		}
	}
}

func pad(s string, n int) string {
	if c := utf8.RuneCountInString(s); c < n {
		return s + strings.Repeat(" ", n-c)
	}
	return s + " "
}
