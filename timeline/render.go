package timeline

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Colors gives each role its colour on a light background.
var Colors = map[Role]color.RGBA{
	RoleBackground:     {0xff, 0xff, 0xff, 0xff},
	RoleTitle:          {0x18, 0x1b, 0x20, 0xff},
	RoleText:           {0x2b, 0x2f, 0x36, 0xff},
	RoleMuted:          {0x5f, 0x66, 0x70, 0xff},
	RoleAxis:           {0x5f, 0x66, 0x70, 0xff},
	RoleGrid:           {0xea, 0xec, 0xef, 0xff},
	RoleAccess:         {0x4a, 0x90, 0xd9, 0xff},
	RoleAccessUnused:   {0xb9, 0xd5, 0xf2, 0xff},
	RoleHalf:           {0x5f, 0x66, 0x70, 0xff},
	RoleEnd:            {0xb3, 0x4d, 0x00, 0xff},
	RoleRequest:        {0x8a, 0x93, 0x9e, 0xff},
	RoleRequestExtends: {0x0b, 0x3d, 0x75, 0xff},
	RoleFailed:         {0xc6, 0x28, 0x28, 0xff},
	RoleIDToken:        {0x9c, 0x7c, 0xd1, 0xff},
	RoleRefresh:        {0x5c, 0xb8, 0x7a, 0xff},
	RoleRefreshUse:     {0x1e, 0x6b, 0x3a, 0xff},
	RoleNow:            {0xd9, 0x30, 0x7a, 0xff},
	RoleHalo:           {0xff, 0xff, 0xff, 0xff},
}

func colorOf(r Role) color.RGBA {
	if c, ok := Colors[r]; ok {
		return c
	}
	return Colors[RoleText]
}

func num(v float64) string { return strconv.FormatFloat(round(v), 'f', -1, 64) }

func hex(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// WriteSVG writes the picture as an SVG document (text escaped; the same picture gives the
// same bytes).
func WriteSVG(w io.Writer, p Picture) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="Go, 'Helvetica Neue', Arial, sans-serif">`+"\n",
		num(p.Width), num(p.Height), num(p.Width), num(p.Height))
	for _, s := range p.Shapes {
		c := hex(colorOf(s.Role))
		switch s.Kind {
		case Rect:
			fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
				s.Role, num(s.X), num(s.Y), num(s.X2-s.X), num(s.Y2-s.Y), c)
		case Line:
			dash := ""
			if s.Dashed {
				dash = ` stroke-dasharray="3 3"`
			}
			fmt.Fprintf(&b, `<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`+"\n",
				s.Role, num(s.X), num(s.Y), num(s.X2), num(s.Y2), c, num(s.Width), dash)
		case Text:
			anchor := "start"
			switch s.Anchor {
			case Middle:
				anchor = "middle"
			case End:
				anchor = "end"
			}
			weight := ""
			if s.Bold {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(&b, `<text class="%s" x="%s" y="%s" font-size="%s" text-anchor="%s" fill="%s"%s>`,
				s.Role, num(s.X), num(s.Y), num(s.Size), anchor, c, weight)
			if err := xml.EscapeText(&b, []byte(s.Text)); err != nil {
				return err
			}
			b.WriteString("</text>\n")
		}
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// Image draws the picture with the Go fonts (the same picture gives the same pixels).
func Image(p Picture) (*image.RGBA, error) {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(p.Width)), int(math.Ceil(p.Height))))
	fontMu.Lock()
	defer fontMu.Unlock()
	for _, s := range p.Shapes {
		c := image.NewUniform(colorOf(s.Role))
		switch s.Kind {
		case Rect:
			draw.Draw(img, pixRect(s.X, s.Y, s.X2, s.Y2), c, image.Point{}, draw.Over)
		case Line:
			drawLine(img, s, c)
		case Text:
			f, err := face(s.Size, s.Bold)
			if err != nil {
				return nil, err
			}
			w := fixedToFloat(font.MeasureString(f, s.Text))
			x := s.X
			switch s.Anchor {
			case Middle:
				x -= w / 2
			case End:
				x -= w
			}
			d := font.Drawer{Dst: img, Src: c, Face: f, Dot: fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(s.Y * 64))}}
			d.DrawString(s.Text)
		}
	}
	return img, nil
}

func pixRect(xa, ya, xb, yb float64) image.Rectangle {
	return image.Rect(int(math.Round(xa)), int(math.Round(ya)), int(math.Round(xb)), int(math.Round(yb)))
}

// drawLine strokes a horizontal or vertical line as a thin rectangle; dashed lines in 3-pixel
// steps.
func drawLine(img *image.RGBA, s Shape, c image.Image) {
	w := math.Max(1, math.Round(s.Width))
	half := math.Floor(w / 2)
	if s.X == s.X2 { // vertical
		x := math.Round(s.X) - half
		ya, yb := math.Min(s.Y, s.Y2), math.Max(s.Y, s.Y2)
		for y := ya; y < yb; y += 6 {
			end := yb
			if s.Dashed {
				end = math.Min(y+3, yb)
			} else {
				y = ya
			}
			draw.Draw(img, pixRect(x, y, x+w, end), c, image.Point{}, draw.Over)
			if !s.Dashed {
				break
			}
		}
		return
	}
	y := math.Round(s.Y) - half
	xa, xb := math.Min(s.X, s.X2), math.Max(s.X, s.X2)
	for x := xa; x < xb; x += 6 {
		end := xb
		if s.Dashed {
			end = math.Min(x+3, xb)
		}
		draw.Draw(img, pixRect(x, y, end, y+w), c, image.Point{}, draw.Over)
		if !s.Dashed {
			break
		}
	}
}

// WritePNG writes the picture as a PNG image.
func WritePNG(w io.Writer, p Picture) error {
	img, err := Image(p)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	return enc.Encode(w, img)
}
