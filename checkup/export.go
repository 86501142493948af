package checkup

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/connectedapplab/connectedapplab/connectedapp"
	"github.com/connectedapplab/connectedapplab/flows"
)

// scrub redacts every text of the report: flows' redactor for secrets by their shape, then
// the run's own secret values wherever they still appear. The report keeps no token, so
// this is the guard that one never slips through an error text.
func (r *Report) scrub(secrets []string) {
	for i := range r.Rows {
		row := &r.Rows[i]
		for _, p := range []*string{&row.Detail, &row.Meaning, &row.Fix, &row.Variant} {
			*p = scrubText(*p, secrets)
		}
	}
}

func scrubText(s string, secrets []string) string {
	s = flows.RedactText(s)
	for _, v := range secrets {
		if len(v) >= 4 && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, flows.Redacted)
		}
	}
	return s
}

// Summary is one line: how many steps work, fail, were skipped and cancelled.
func (r *Report) Summary() string {
	w, f, s, c := r.Counts()
	out := fmt.Sprintf("%d work, %d fail, %d skipped", w, f, s)
	if c > 0 || r.Cancelled {
		out += fmt.Sprintf(", %d cancelled", c)
	}
	return out
}

func (r *Report) header() string {
	v := r.Version
	if v == "" {
		v = "dev"
	}
	return fmt.Sprintf("Connected App Lab %s, %s", v, r.Date.UTC().Format(time.RFC3339))
}

func (r *Report) subject() string {
	s := r.LoginURL + ", client ID " + r.ClientID
	if r.Profile != "" {
		s = "profile " + r.Profile + ": " + s
	}
	if r.App != "" {
		s += ", app " + r.App
	}
	return s
}

// WriteText writes the matrix as plain text, one row per line with the fix indented below.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Checkup of %s\n%s\n\n", r.subject(), r.header())
	b.WriteString(r.lintText())
	width := 10
	for _, row := range r.Rows {
		width = max(width, len(row.Name()))
	}
	for _, row := range r.Rows {
		fmt.Fprintf(&b, "%-9s %-*s  %s\n", row.Status, width, row.Name(), row.Detail)
		if row.Fix != "" {
			fmt.Fprintf(&b, "%-9s %-*s  fix: %s\n", "", width, "", row.Fix)
			if row.SetupPath != "" {
				fmt.Fprintf(&b, "%-9s %-*s  where: %s\n", "", width, "", row.SetupPath)
			}
		}
	}
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) lintText() string {
	if !r.SettingsKnown {
		return "Lint: skipped (the profile holds no app settings; give them with --settings FILE)\n\n"
	}
	var b strings.Builder
	e, wn, _ := connectedapp.Count(r.Lint)
	fmt.Fprintf(&b, "Lint: %d errors, %d warnings\n", e, wn)
	for _, f := range r.Lint {
		if f.Severity != connectedapp.Info {
			fmt.Fprintf(&b, "  %s\n    fix: %s\n", f.String(), f.Fix)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// WriteMarkdown writes the report as Markdown, for a ticket.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Checkup of %s\n\n%s. Secrets are redacted.\n\n", md(r.subject()), md(r.header()))
	b.WriteString("## Lint\n\n")
	if !r.SettingsKnown {
		b.WriteString("Skipped: the profile holds no app settings.\n\n")
	} else {
		n := 0
		for _, f := range r.Lint {
			if f.Severity != connectedapp.Info {
				fmt.Fprintf(&b, "- **%s** `%s`: %s. Fix: %s\n", f.Severity, f.Code, md(f.Problem), md(f.Fix))
				n++
			}
		}
		if n == 0 {
			b.WriteString("No errors or warnings.\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("## Flows\n\n| Step | Result | Detail | Fix |\n|---|---|---|---|\n")
	for _, row := range r.Rows {
		fix := md(row.Fix)
		if row.SetupPath != "" {
			fix += " (" + md(row.SetupPath) + ")"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", md(row.Name()), row.Status, md(row.Detail), fix)
	}
	fmt.Fprintf(&b, "\n%s\n", r.Summary())
	_, err := io.WriteString(w, b.String())
	return err
}

// md makes text safe in a Markdown table cell.
func md(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}

// WriteHTML writes the report as a standalone HTML page, for a ticket. Every text from the
// report goes through html.EscapeString (html/template would do the same here and add about
// 0.3 MB to the window's binary).
func (r *Report) WriteHTML(w io.Writer) error {
	e := html.EscapeString
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Checkup of " + e(r.subject()) + "</title>\n")
	b.WriteString("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top}\n")
	b.WriteString(".works{color:#060}.fails{color:#a00;font-weight:bold}.skipped{color:#666}.cancelled{color:#a60}</style></head>\n")
	b.WriteString("<body><h1>Checkup of " + e(r.subject()) + "</h1>\n<p>" + e(r.header()) + ". Secrets are redacted.</p>\n<h2>Lint</h2>\n")
	if !r.SettingsKnown {
		b.WriteString("<p>Skipped: the profile holds no app settings.</p>")
	} else {
		b.WriteString("<ul>\n")
		for _, f := range r.Lint {
			if f.Severity == "info" {
				continue
			}
			b.WriteString("<li><b>" + e(string(f.Severity)) + "</b> <code>" + e(f.Code) + "</code>: " + e(f.Problem) + ". Fix: " + e(f.Fix) + "</li>\n")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n<h2>Flows</h2>\n<table><tr><th>Step</th><th>Result</th><th>Detail</th><th>Fix</th></tr>\n")
	for _, row := range r.Rows {
		b.WriteString("<tr><td>" + e(row.Name()) + "</td><td class=\"" + e(string(row.Status)) + "\">" + e(string(row.Status)) + "</td><td>" + e(row.Detail))
		if row.Meaning != "" {
			b.WriteString("<br><i>" + e(row.Meaning) + "</i>")
		}
		b.WriteString("</td><td>" + e(row.Fix))
		if row.SetupPath != "" {
			b.WriteString("<br>" + e(row.SetupPath))
		}
		b.WriteString("</td></tr>\n")
	}
	b.WriteString("</table>\n<p>" + e(r.Summary()) + "</p>\n</body></html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// JSONSchemaVersion is the version of WriteJSON's output; it changes when a field is removed
// or changes meaning.
const JSONSchemaVersion = 1

// WriteJSON writes the report as one JSON object: schema_version, passed, summary and the
// Report's fields (rows with step, flow, variant, status, detail, meaning, fix, setup_path,
// lint, duration_ms).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		SchemaVersion int    `json:"schema_version"`
		Passed        bool   `json:"passed"`
		Summary       string `json:"summary"`
		*Report
	}{JSONSchemaVersion, r.Passed(), r.Summary(), r})
}
