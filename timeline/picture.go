// Package timeline draws guidance's token timeline: one time axis with the access token's
// idle session (its requests, the half-timeout point, "expires if idle until"), the ID
// token's expiry, the refresh token's horizon under its policy, and now.
//
// The package computes no lifetime: guidance.BuildTimeline does. Here the model becomes a
// Picture, a list of shapes with coordinates for a given width, which the SVG and PNG
// renderers (and the window's canvas) draw as they are. No Fyne import.
//
// A window draws it in three steps: Model(input, guidance.Explain(input), activity, whatIf)
// with input.Now set to the (org's) clock; Layout(model, width); then one canvas object per
// Shape in order: Rect as a filled rectangle from (X, Y) to (X2, Y2), Line as a line of
// Width, Text at baseline Y anchored by Anchor, each coloured by its Role (Colors, or the
// theme). Marks give each instant's x for tooltips. Moving "now" or toggling a what-if is a
// new Model and Layout: both are cheap and pure.
package timeline

import "time"

// Kind is what a Shape is.
type Kind int

const (
	// Rect fills X,Y (top left) to X2,Y2 (bottom right).
	Rect Kind = iota
	// Line strokes X,Y to X2,Y2 (always horizontal or vertical), Width wide.
	Line
	// Text writes Text with its baseline at Y; Anchor says where X is.
	Text
)

// Anchor is where a text's X lies.
type Anchor int

const (
	Start  Anchor = iota // X is the left edge
	Middle               // X is the centre
	End                  // X is the right edge
)

// Role says what a shape shows; Colors gives each role its colour, a window may map it to
// its theme instead. Shapes come in drawing order.
type Role string

const (
	RoleBackground     Role = "background"
	RoleTitle          Role = "title"
	RoleText           Role = "text"
	RoleMuted          Role = "muted"
	RoleAxis           Role = "axis"
	RoleGrid           Role = "grid"
	RoleAccess         Role = "access"          // an access token's session, in use
	RoleAccessUnused   Role = "access-unused"   // a session still valid, replaced by a newer one
	RoleHalf           Role = "half"            // half the timeout after the last push
	RoleEnd            Role = "end"             // "expires if idle until"
	RoleRequest        Role = "request"         // an API call that did not move the end
	RoleRequestExtends Role = "request-extends" // an API call that moved the end back
	RoleFailed         Role = "failed"          // a call or refresh that failed
	RoleIDToken        Role = "id-token"
	RoleRefresh        Role = "refresh"
	RoleRefreshUse     Role = "refresh-use"
	RoleNow            Role = "now"
	RoleHalo           Role = "halo" // behind a text, the background's colour
)

// Shape is one thing to draw, in pixels from the top left.
type Shape struct {
	Kind   Kind
	Role   Role
	X, Y   float64
	X2, Y2 float64 // Rect and Line
	Width  float64 // Line: stroke width
	Dashed bool    // Line
	Text   string  // Text
	Anchor Anchor  // Text
	Size   float64 // Text: font size in pixels
	Bold   bool    // Text
}

// Mark is a named instant of the model and where it landed on the axis: what the geometry
// tests check, and what a window can use for tooltips.
type Mark struct {
	ID string // "issued", "now", "session-0-end", "session-0-half", "request-3", "id-token-expires", "refresh-ends", "refresh-use-0"
	At time.Time
	X  float64
	// Off is true when the instant lies beyond the axis (X is then the edge it points to).
	Off bool
}

// Picture is the laid-out timeline.
type Picture struct {
	Width, Height float64
	Start, End    time.Time // the axis
	Shapes        []Shape
	Marks         []Mark
}

// Mark finds a mark by ID.
func (p *Picture) Mark(id string) (Mark, bool) {
	for _, m := range p.Marks {
		if m.ID == id {
			return m, true
		}
	}
	return Mark{}, false
}
