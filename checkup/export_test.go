package checkup

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/connectedapplab/connectedapplab/connectedapp"
)

// The HTML report escapes every text that came from the org or the profile, and is well formed.
func TestWriteHTMLEscapesAndIsWellFormed(t *testing.T) {
	r := &Report{
		Profile:       `A & B <prod>`,
		SettingsKnown: true,
		Lint:          []connectedapp.Finding{{Severity: connectedapp.Error, Code: "x", Problem: `callback "<a>"`, Fix: "use & fix"}},
		Rows: []Row{
			{Step: "username-password", Status: Fails, Detail: `invalid_grant: <script>alert(1)</script>`, Meaning: "a < b", Fix: "f & g", SetupPath: "Setup → X"},
			{Step: "revoke", Status: Works, Detail: "revoked"},
		},
	}
	var b strings.Builder
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script>", "<prod>", `"<a>"`, "A & B", "a < b"} {
		if strings.Contains(out, bad) {
			t.Errorf("the HTML carries %q unescaped:\n%s", bad, out)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "A &amp; B &lt;prod&gt;", `class="fails"`, "Setup → X", "<li><b>error</b> <code>x</code>"} {
		if !strings.Contains(out, want) {
			t.Errorf("the HTML lacks %q:\n%s", want, out)
		}
	}
	// Well formed once the doctype and the void elements are made XML.
	x := strings.NewReplacer("<!DOCTYPE html>", "", `<meta charset="utf-8">`, `<meta charset="utf-8"/>`, "<br>", "<br/>").Replace(out)
	d := xml.NewDecoder(strings.NewReader(x))
	for {
		if _, err := d.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well formed: %v\n%s", err, x)
		}
	}
}
