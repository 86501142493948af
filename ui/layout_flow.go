package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// flowLayout places its objects left to right and wraps them onto a new row when the next
// one would pass the right edge, so that a bar of buttons is never cut off however narrow its
// column is. Its minimum width is the widest single object: a bar never widens its column.
// Its minimum height is that of the rows at the width it was last laid out at (like a wrapped
// label's: the driver lays the parent out again when it changes).
type flowLayout struct{ width float32 }

// newFlow is a bar of objects that wraps (flowLayout).
func newFlow(objs ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &flowLayout{}, Objects: objs} // not NewContainerWithLayout: it measures the objects
}

func (f *flowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objs {
		if o.Visible() {
			w = fyne.Max(w, o.MinSize().Width)
		}
	}
	return fyne.NewSize(w, f.place(objs, f.width, false))
}

func (f *flowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.IsZero() { // not placed yet (New measures no text: TestNewMeasuresNoText)
		return
	}
	f.width = size.Width
	f.place(objs, size.Width, true)
}

// place lays the visible objects out in rows within width (0: one row) and returns the height
// they take; move says whether to move and resize them.
func (f *flowLayout) place(objs []fyne.CanvasObject, width float32, move bool) float32 {
	pad := theme.Padding()
	var x, y, rowH float32
	first := true
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if !first && width > 0 && x+m.Width > width {
			x, y, rowH = 0, y+rowH+pad, 0
		}
		if move {
			o.Move(fyne.NewPos(x, y))
			o.Resize(m)
		}
		x += m.Width + pad
		rowH = fyne.Max(rowH, m.Height)
		first = false
	}
	return y + rowH
}

// barAboveLayout puts a bar of wrapping rows (flowLayout) above the content: the bar is laid
// out at the new width first, so that its height is that of the rows at that width in the
// same pass (with a Border, a narrower column showed the bar's old height until the driver's
// next frame: its new rows overlapped the content).
type barAboveLayout struct{}

// newBarAbove is bar above content (barAboveLayout).
func newBarAbove(bar, content fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: barAboveLayout{}, Objects: []fyne.CanvasObject{bar, content}}
}

func (barAboveLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	b, c := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(fyne.Max(b.Width, c.Width), b.Height+theme.Padding()+c.Height)
}

func (barAboveLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.IsZero() {
		return
	}
	bar, content := objs[0], objs[1]
	bar.Resize(fyne.NewSize(size.Width, bar.Size().Height)) // the rows at this width
	h := bar.MinSize().Height
	bar.Move(fyne.NewPos(0, 0))
	bar.Resize(fyne.NewSize(size.Width, h))
	h += theme.Padding() // as a Border's top
	content.Move(fyne.NewPos(0, h))
	content.Resize(fyne.NewSize(size.Width, fyne.Max(0, size.Height-h)))
}
