package ui

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// Every text colour that carries information meets WCAG AA (4.5:1) on every surface it is
// drawn on, in both variants, computed from the theme's own colours; the focus colour is
// visible (it changes the surface it lies on by at least 1.4:1, three times Fyne's 0x2a
// blue in the light variant) while the focused widget's text keeps 4.5:1.
func TestThemeTextMeetsWCAGAAInBothVariants(t *testing.T) {
	test.NewTempApp(t)
	texts := []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameDisabled, theme.ColorNamePlaceHolder,
		theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameError}
	surfaces := []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground}
	for _, choice := range []string{"light", "dark"} {
		th := NewTheme(choice)
		v := theme.VariantLight
		if choice == "dark" {
			v = theme.VariantDark
		}
		c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, theme.VariantDark+theme.VariantLight-v) } // forced: the asked variant is ignored
		for _, s := range surfaces {
			bg := over(c(s), c(theme.ColorNameBackground))
			for _, tx := range texts {
				if r := contrast(c(tx), bg); r < 4.5 {
					t.Errorf("%s: %s text on %s measures %.2f:1", choice, tx, s, r)
				}
			}
		}
		for _, pair := range [][2]fyne.ThemeColorName{{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
			{theme.ColorNameForegroundOnError, theme.ColorNameError}} {
			if r := contrast(c(pair[0]), c(pair[1])); r < 4.5 {
				t.Errorf("%s: %s on %s measures %.2f:1", choice, pair[0], pair[1], r)
			}
		}
		for _, s := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameButton, theme.ColorNameInputBackground} {
			under := over(c(s), c(theme.ColorNameBackground))
			focused := over(c(theme.ColorNameFocus), under)
			if r := contrast(focused, under); r < 1.4 {
				t.Errorf("%s: focus on %s changes it by %.2f:1 only", choice, s, r)
			}
			if r := contrast(c(theme.ColorNameForeground), focused); r < 4.5 {
				t.Errorf("%s: text of a focused widget on %s measures %.2f:1", choice, s, r)
			}
		}
		for _, s := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameInputBackground} {
			if r := contrast(c(theme.ColorNameInputBorder), over(c(s), c(theme.ColorNameBackground))); r < 3 {
				t.Errorf("%s: the outline of entries and checks on %s measures %.2f:1", choice, s, r)
			}
		}
		focusedPrimary := over(c(theme.ColorNameFocus), c(theme.ColorNamePrimary))
		if r := contrast(c(theme.ColorNameForegroundOnPrimary), focusedPrimary); r < 4.5 {
			t.Errorf("%s: a focused primary button's text measures %.2f:1", choice, r)
		}
	}
	// Fyne's own light colours fail: the test would see it.
	def := theme.LightTheme()
	if r := contrast(def.Color(theme.ColorNameSuccess, theme.VariantLight), color.White); r > 2 {
		t.Errorf("Fyne's light success green measures %.2f:1; the test's premise is gone", r)
	}
}

// The theme choice applies at once and is kept in the preferences; a new window reads it.
func TestThemeChoiceIsAppliedAndKept(t *testing.T) {
	a := test.NewTempApp(t)
	prefs := a.Preferences()
	sel := newThemeSelect(prefs)
	sel.SetSelected(themeDark)
	if got := prefs.String(PrefTheme); got != "dark" {
		t.Errorf("kept %q, want dark", got)
	}
	bg := a.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight)
	if luminance(bg) > 0.1 {
		t.Errorf("background %v after choosing dark", bg)
	}
	sel.SetSelected(themeLight)
	again := newThemeSelect(prefs)
	if again.Selected != themeLight {
		t.Errorf("a new picker shows %q, want the kept light theme", again.Selected)
	}
	ApplyTheme(a, prefs)
	if fg := a.Settings().Theme().Color(theme.ColorNameForeground, theme.VariantDark); luminance(fg) > 0.2 {
		t.Errorf("foreground %v with the light theme kept", fg)
	}
}
