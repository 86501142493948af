package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// showError shows an error with its details selectable and a Copy button, so a person can
// paste them into a ticket. The form behind it keeps everything that was typed.
func (l *Lab) showError(title, message, details string) {
	msg := &widget.Label{Text: message, Wrapping: fyne.TextWrapWord, Selectable: true}
	parts := []fyne.CanvasObject{msg}
	if details != "" {
		det := &widget.Label{Text: details, Wrapping: fyne.TextWrapBreak, Selectable: true,
			TextStyle: fyne.TextStyle{Monospace: true}, SizeName: theme.SizeNameCaptionText}
		scroll := container.NewVScroll(det)
		scroll.SetMinSize(fyne.NewSize(480, 120))
		parts = append(parts, widget.NewSeparator(), scroll)
	}
	all := message
	if details != "" {
		all += "\n\n" + details
	}
	parts = append(parts, &widget.Button{Text: "Copy details", Icon: theme.ContentCopyIcon(),
		OnTapped: func() { l.copyText("error details", all) }})
	d := dialog.NewCustom(title, "Close", container.NewVBox(parts...), l.win)
	d.Resize(fyne.NewSize(560, 0))
	l.lastDialog = title
	d.Show()
}

// oneLine is text on one line, for the status bar: line breaks and runs of spaces become one
// space.
func oneLine(text string) string { return strings.Join(strings.Fields(text), " ") }
