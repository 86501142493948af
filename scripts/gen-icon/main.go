//go:build ignore

// Command gen-icon draws the Connected App Lab icon: a white key inside two gold arrows that
// chase each other round (the OAuth round trip: ask, get a token, refresh it), on a blue
// rounded square. It writes the same geometry twice, as assets/icon.svg (the source to edit
// by hand or in a vector editor) and as assets/icon.png (512×512, what Fyne and the fyne tool
// use), so the two never drift apart. ImageMagick here has no SVG delegate, hence a rasteriser
// in Go (golang.org/x/image/vector, already in the module graph).
//
//	go run scripts/gen-icon/main.go        # from the repository root
package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log"
	"math"
	"os"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/vector"
)

// The design, in a 512×512 view box.
const (
	size       = 512
	windowSize = 128
	cx         = 256.0 // centre of the loop and of the key
	cy         = 256.0

	// Background: a rounded square with a vertical gradient.
	bgInset  = 16.0
	bgRadius = 108.0

	// The loop: two arcs of radius loopR, each ending in an arrowhead.
	loopR      = 178.0
	loopWidth  = 38.0
	arcSweep   = 128.0 // degrees of each arc's stroke
	arcStart   = 206.0 // degrees, y down: the first arc runs over the top, 206° → 334°
	headHalf   = 42.0  // half the arrowhead's base, across the stroke
	headLength = 58.0  // from the base to the tip, along the tangent

	// The key, drawn horizontally (bow left, teeth down) and then turned 45° clockwise.
	keyAngle   = 45.0
	bowX       = 185.0 // bow centre
	bowOuter   = 62.0
	bowInner   = 27.0
	shaftFrom  = 230.0 // shaft x range and half thickness
	shaftTo    = 392.0
	shaftHalf  = 18.0
	toothW     = 30.0
	toothDepth = 46.0
)

var teethX = []float64{314, 362} // left edges of the two teeth

// Palette.
var (
	bgTop    = color.NRGBA{0x1f, 0x74, 0xe0, 0xff}
	bgBottom = color.NRGBA{0x0a, 0x33, 0x80, 0xff}
	gold     = color.NRGBA{0xff, 0xc2, 0x33, 0xff}
	white    = color.NRGBA{0xff, 0xff, 0xff, 0xff}
)

type pt struct{ x, y float64 }

// poly is a closed polygon; a shape is one or more polygons filled with the non-zero rule,
// so a hole is a polygon wound the other way.
type poly []pt

func main() {
	svg := svgSource()
	if err := os.WriteFile("assets/icon.svg", []byte(svg), 0o644); err != nil {
		log.Fatal(err)
	}
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	fill(img, []poly{roundedRect(bgInset, bgInset, size-bgInset, size-bgInset, bgRadius)},
		gradient{top: bgInset, bottom: size - bgInset, from: bgTop, to: bgBottom})
	fill(img, loop(), image.NewUniform(gold))
	fill(img, key(), image.NewUniform(white))
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("assets/icon.png", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	// The window's icon: the same picture at 128×128, which window managers show at 16 to 128
	// pixels; it decodes in a fraction of the 512 one's time at every start.
	small := image.NewNRGBA(image.Rect(0, 0, windowSize, windowSize))
	xdraw.CatmullRom.Scale(small, small.Bounds(), img, img.Bounds(), xdraw.Src, nil)
	var sbuf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&sbuf, small); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("assets/icon-128.png", sbuf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote assets/icon.svg (%d bytes), assets/icon.png (%d bytes) and assets/icon-128.png (%d bytes)\n",
		len(svg), buf.Len(), sbuf.Len())
}

func fill(dst draw.Image, shape []poly, src image.Image) {
	r := vector.NewRasterizer(size, size)
	for _, p := range shape {
		r.MoveTo(float32(p[0].x), float32(p[0].y))
		for _, q := range p[1:] {
			r.LineTo(float32(q.x), float32(q.y))
		}
		r.ClosePath()
	}
	r.Draw(dst, dst.Bounds(), src, image.Point{})
}

func rad(deg float64) float64 { return deg * math.Pi / 180 }

// arc returns points on a circle from a to b degrees (y down, so increasing is clockwise).
func arc(x, y, r, a, b float64) []pt {
	n := int(math.Ceil(math.Abs(b-a))) + 1
	ps := make([]pt, 0, n+1)
	for i := 0; i <= n; i++ {
		t := rad(a + (b-a)*float64(i)/float64(n))
		ps = append(ps, pt{x + r*math.Cos(t), y + r*math.Sin(t)})
	}
	return ps
}

func roundedRect(x0, y0, x1, y1, r float64) poly {
	var p poly
	p = append(p, arc(x1-r, y0+r, r, 270, 360)...)
	p = append(p, arc(x1-r, y1-r, r, 0, 90)...)
	p = append(p, arc(x0+r, y1-r, r, 90, 180)...)
	p = append(p, arc(x0+r, y0+r, r, 180, 270)...)
	return p
}

func rect(x0, y0, x1, y1 float64) poly {
	return poly{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
}

// loop is the two arrows: each a thick arc with a triangular head at its clockwise end.
func loop() []poly {
	var shape []poly
	for _, start := range []float64{arcStart, arcStart + 180} {
		end := start + arcSweep
		band := append(arc(cx, cy, loopR+loopWidth/2, start, end), reverse(arc(cx, cy, loopR-loopWidth/2, start, end))...)
		shape = append(shape, band)
		shape = append(shape, arrowHead(end))
	}
	return shape
}

func arrowHead(deg float64) poly {
	t := rad(deg)
	c, s := math.Cos(t), math.Sin(t)
	out := pt{cx + (loopR+headHalf)*c, cy + (loopR+headHalf)*s}
	in := pt{cx + (loopR-headHalf)*c, cy + (loopR-headHalf)*s}
	tip := pt{cx + loopR*c - headLength*s, cy + loopR*s + headLength*c}
	return poly{out, tip, in}
}

// key is the bow (a ring: outer circle clockwise, hole anticlockwise), the shaft and the teeth,
// turned about the centre.
func key() []poly {
	shape := []poly{
		arc(bowX, cy, bowOuter, 0, 360),
		reverse(arc(bowX, cy, bowInner, 0, 360)),
		rect(shaftFrom, cy-shaftHalf, shaftTo, cy+shaftHalf),
	}
	for _, x := range teethX {
		shape = append(shape, rect(x, cy+shaftHalf-1, x+toothW, cy+shaftHalf+toothDepth))
	}
	c, s := math.Cos(rad(keyAngle)), math.Sin(rad(keyAngle))
	for _, p := range shape {
		for i, q := range p {
			dx, dy := q.x-cx, q.y-cy
			p[i] = pt{cx + dx*c - dy*s, cy + dx*s + dy*c}
		}
	}
	return shape
}

func reverse(ps []pt) []pt {
	out := make([]pt, len(ps))
	for i, p := range ps {
		out[len(ps)-1-i] = p
	}
	return out
}

// gradient is a vertical linear gradient, the same as the SVG's linearGradient.
type gradient struct {
	top, bottom float64
	from, to    color.NRGBA
}

func (g gradient) ColorModel() color.Model { return color.NRGBAModel }
func (g gradient) Bounds() image.Rectangle { return image.Rect(-1e9, -1e9, 1e9, 1e9) }
func (g gradient) At(_, y int) color.Color {
	t := (float64(y) + 0.5 - g.top) / (g.bottom - g.top)
	t = math.Max(0, math.Min(1, t))
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return color.NRGBA{mix(g.from.R, g.to.R), mix(g.from.G, g.to.G), mix(g.from.B, g.to.B), 0xff}
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func f(v float64) string { return fmt.Sprintf("%.2f", v) }

func polygon(p poly) string {
	s := ""
	for i, q := range p {
		if i > 0 {
			s += " "
		}
		s += f(q.x) + "," + f(q.y)
	}
	return s
}

// svgSource writes the same design with SVG's own primitives (arcs, circles, rotate).
func svgSource() string {
	var b bytes.Buffer
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w(`<!-- Connected App Lab icon. Generated by scripts/gen-icon/main.go together with icon.png; edit that program, not this file. -->` + "\n")
	w(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">`+"\n", size, size, size, size)
	w(`  <title>Connected App Lab</title>` + "\n")
	w(`  <defs>` + "\n")
	w(`    <linearGradient id="bg" x1="0" y1="%s" x2="0" y2="%s" gradientUnits="userSpaceOnUse">`+"\n", f(bgInset), f(size-bgInset))
	w(`      <stop offset="0" stop-color="%s"/>`+"\n", hex(bgTop))
	w(`      <stop offset="1" stop-color="%s"/>`+"\n", hex(bgBottom))
	w(`    </linearGradient>` + "\n")
	w(`  </defs>` + "\n")
	w(`  <rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="url(#bg)"/>`+"\n",
		f(bgInset), f(bgInset), f(size-2*bgInset), f(size-2*bgInset), f(bgRadius))
	w(`  <g id="loop" fill="none" stroke="%s" stroke-width="%s">`+"\n", hex(gold), f(loopWidth))
	for _, start := range []float64{arcStart, arcStart + 180} {
		end := start + arcSweep
		p0 := pt{cx + loopR*math.Cos(rad(start)), cy + loopR*math.Sin(rad(start))}
		p1 := pt{cx + loopR*math.Cos(rad(end)), cy + loopR*math.Sin(rad(end))}
		w(`    <path d="M %s %s A %s %s 0 0 1 %s %s"/>`+"\n", f(p0.x), f(p0.y), f(loopR), f(loopR), f(p1.x), f(p1.y))
		w(`    <polygon points="%s" fill="%s" stroke="none"/>`+"\n", polygon(arrowHead(end)), hex(gold))
	}
	w(`  </g>` + "\n")
	w(`  <g id="key" fill="%s" transform="rotate(%s %s %s)">`+"\n", hex(white), f(keyAngle), f(cx), f(cy))
	w(`    <path fill-rule="evenodd" d="M %s %s a %s %s 0 1 0 %s 0 a %s %s 0 1 0 %s 0 Z M %s %s a %s %s 0 1 0 %s 0 a %s %s 0 1 0 %s 0 Z"/>`+"\n",
		f(bowX-bowOuter), f(cy), f(bowOuter), f(bowOuter), f(2*bowOuter), f(bowOuter), f(bowOuter), f(-2*bowOuter),
		f(bowX-bowInner), f(cy), f(bowInner), f(bowInner), f(2*bowInner), f(bowInner), f(bowInner), f(-2*bowInner))
	w(`    <rect x="%s" y="%s" width="%s" height="%s"/>`+"\n", f(shaftFrom), f(cy-shaftHalf), f(shaftTo-shaftFrom), f(2*shaftHalf))
	for _, x := range teethX {
		w(`    <rect x="%s" y="%s" width="%s" height="%s"/>`+"\n", f(x), f(cy+shaftHalf-1), f(toothW), f(toothDepth+1))
	}
	w(`  </g>` + "\n")
	w(`</svg>` + "\n")
	return b.String()
}
