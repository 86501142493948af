package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's theme: Fyne's default theme with the colours of text that carries information
// made to meet WCAG AA (4.5:1) on the backgrounds they are drawn on, in both variants, and a
// focus colour strong enough to see. Fyne's own colours fail in places: hint text (low
// importance, drawn in the "disabled" colour) measures about 1.5:1, and in the light variant
// the success green 1.48:1 and the warning orange 2.16:1. theme_test.go computes the ratios.
//
// The person picks light, dark or the system's variant (themePicker); the choice is kept in
// the app's preferences under PrefTheme.

// PrefTheme is the preference key of the theme choice: "light", "dark" or "" (the system's).
const PrefTheme = "theme"

// Theme choices, as shown.
const (
	themeSystem = "System theme"
	themeLight  = "Light theme"
	themeDark   = "Dark theme"
)

var themeChoices = []string{themeSystem, themeLight, themeDark}
var themePrefs = []string{"", "light", "dark"}

// labTheme wraps Fyne's default theme.
type labTheme struct {
	fyne.Theme
	forced  bool // variant is the person's choice, not the system's
	variant fyne.ThemeVariant
}

// NewTheme is the window's theme for a choice as PrefTheme keeps it: "light", "dark", or
// anything else for the system's variant.
func NewTheme(choice string) fyne.Theme {
	t := &labTheme{Theme: theme.DefaultTheme()}
	switch choice {
	case "light":
		t.forced, t.variant = true, theme.VariantLight
	case "dark":
		t.forced, t.variant = true, theme.VariantDark
	}
	return t
}

// ApplyTheme sets the window's theme from the saved choice in prefs (nil: the system's).
func ApplyTheme(a fyne.App, prefs fyne.Preferences) {
	choice := ""
	if prefs != nil {
		choice = prefs.String(PrefTheme)
	}
	a.Settings().SetTheme(NewTheme(choice))
}

// Colours that meet 4.5:1 on the variant's background, input background and menu
// background (theme_test.go). Fyne's dark defaults pass except for "disabled".
var (
	lightText = map[fyne.ThemeColorName]color.NRGBA{
		theme.ColorNameForeground:  {R: 0x26, G: 0x26, B: 0x26, A: 0xff},
		theme.ColorNameDisabled:    {R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff}, // hint text: 5.3:1 on white
		theme.ColorNamePlaceHolder: {R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff},
		theme.ColorNamePrimary:     {R: 0x15, G: 0x65, B: 0xc0, A: 0xff}, // 5.8:1
		theme.ColorNameHyperlink:   {R: 0x15, G: 0x65, B: 0xc0, A: 0xff},
		theme.ColorNameSuccess:     {R: 0x1b, G: 0x6e, B: 0x20, A: 0xff}, // was 1.48:1
		theme.ColorNameWarning:     {R: 0x9a, G: 0x4a, B: 0x00, A: 0xff}, // was 2.16:1
		theme.ColorNameError:       {R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff},
		// The outline of an entry and of an unticked check: 3:1, as WCAG asks of controls.
		theme.ColorNameInputBorder: {R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff},
	}
	darkText = map[fyne.ThemeColorName]color.NRGBA{
		theme.ColorNameDisabled:    {R: 0x9e, G: 0x9e, B: 0x9e, A: 0xff}, // hint text: was 1.5:1
		theme.ColorNamePrimary:     {R: 0x42, G: 0xa5, B: 0xf5, A: 0xff},
		theme.ColorNameHyperlink:   {R: 0x64, G: 0xb5, B: 0xf6, A: 0xff},
		theme.ColorNameError:       {R: 0xff, G: 0x6e, B: 0x61, A: 0xff},
		theme.ColorNameInputBorder: {R: 0x6e, G: 0x6e, B: 0x72, A: 0xff},
	}
)

// focusAlpha is how opaque the focus colour (the primary colour) is where Fyne lays it over
// a focused widget: enough to see at once, little enough for its text to keep 4.5:1. Fyne's
// is 0x2a of 0xff in the light variant, which is hard to see.
var focusAlpha = map[fyne.ThemeVariant]uint8{theme.VariantLight: 0x66, theme.VariantDark: 0x73}

func (t *labTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.forced {
		v = t.variant
	}
	fix := darkText
	if v == theme.VariantLight {
		fix = lightText
	}
	if c, ok := fix[n]; ok {
		return c
	}
	switch n {
	case theme.ColorNameFocus:
		p := fix[theme.ColorNamePrimary]
		p.A = focusAlpha[v]
		return p
	case theme.ColorNameForegroundOnPrimary:
		if v == theme.VariantLight {
			return color.White
		}
		return color.NRGBA{R: 0x0d, G: 0x0d, B: 0x0e, A: 0xff}
	}
	return t.Theme.Color(n, v)
}

// over is c laid over the opaque colour under, as the painter blends (c may be translucent).
func over(c, under color.Color) color.NRGBA {
	cr, cg, cb, ca := c.RGBA() // premultiplied
	ur, ug, ub, _ := under.RGBA()
	m := func(x, y uint32) uint8 {
		return uint8(math.Round((float64(x) + float64(y)*(1-float64(ca)/0xffff)) / 257))
	}
	return color.NRGBA{R: m(cr, ur), G: m(cg, ug), B: m(cb, ub), A: 0xff}
}

// contrast is the WCAG contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// themePicker is the light/dark/system choice; it applies at once and is kept in prefs.
func themePicker(prefs fyne.Preferences) fyne.CanvasObject { return wideSelect(newThemeSelect(prefs)) }

func newThemeSelect(prefs fyne.Preferences) *keySelect {
	sel := keyed(&keySelect{Select: widget.Select{Options: themeChoices, Selected: themeSystem}})
	if prefs != nil {
		for i, p := range themePrefs {
			if p == prefs.String(PrefTheme) {
				sel.Selected = themeChoices[i]
			}
		}
	}
	sel.OnChanged = func(string) {
		i := max(0, sel.SelectedIndex())
		if prefs != nil {
			prefs.SetString(PrefTheme, themePrefs[i])
		}
		if a := fyne.CurrentApp(); a != nil {
			a.Settings().SetTheme(NewTheme(themePrefs[i]))
		}
	}
	return sel
}

// fitSelect lays out one Select at least as wide as its longest option, so that the chosen
// one is never cut short ("3…" for "3 hours"): a Select's own minimum is narrower. It
// measures at layout time, never when the window is built.
type fitSelect struct{}

// wideSelect is s in a fitSelect layout.
func wideSelect(s *keySelect) *fyne.Container { return container.New(fitSelect{}, s) }

func (fitSelect) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].(*keySelect)
	min := s.MinSize()
	widest := float32(0)
	for _, o := range append([]string{s.PlaceHolder}, s.Options...) {
		widest = max(widest, fyne.MeasureText(o, theme.TextSize(), fyne.TextStyle{}).Width)
	}
	// The text's padding on each side, the drop-down icon and its padding.
	return fyne.NewSize(max(min.Width, widest+4*theme.InnerPadding()+theme.IconInlineSize()), min.Height)
}

func (fitSelect) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}
