package sfemu

import (
	"strings"
	"testing"
)

// The demo's notes are read in the window by people who do not have the project's reference:
// they cite Salesforce's documentation, never "§" sections.
func TestDemoNotesCiteSalesforceNotTheReference(t *testing.T) {
	for _, n := range Demo().Notes {
		if strings.Contains(n, "§") || strings.Contains(n, "reference") {
			t.Errorf("note cites the reference: %s", n)
		}
	}
}
