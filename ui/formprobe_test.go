package ui

import "fyne.io/fyne/v2/widget"

// Probes of the form, the App settings view and the theme (issue 20 items 7, 9-11), apart
// from export_test.go so that helpers working on other views do not edit the same file.

// AppSource is the App settings tab's line saying where the settings came from.
func (p Probe) AppSource() string { return p.l.app.source.Text }

// AdminLogin presses Log in and read in the Log in first dialog with admin chosen; false when
// no such dialog was offered.
func (p Probe) AdminLogin(admin string) bool {
	if p.l.app == nil || p.l.app.adminLogin == nil {
		return false
	}
	p.l.app.adminLogin(admin)
	return true
}

// StatusImportance is the status line's colour.
func (p Probe) StatusImportance() widget.Importance { return p.l.status.Importance }
