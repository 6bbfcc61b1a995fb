// Package picture draws the briefing's matrix of actors and options as a
// PNG for chat: one row per actor, one column per option, a colour and a
// letter per stance, and a legend. It uses the Go fonts embedded in the
// binary, so drawing needs no files and no cgo.
package picture

import (
	"bytes"
	"cmp"
	"fmt"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"sync"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/briefbot/briefbot/briefings"
)

// Limits of one picture: past them the rows and columns with the fewest
// recorded positions are left out and the picture says how many.
const (
	MaxRows    = 24
	MaxColumns = 16
	// MaxAlt is the longest alt text Matrix writes: Discord allows 1,024
	// characters in an attachment's description, Slack 2,000 in an image
	// block's alt text.
	MaxAlt = 1000
)

// Style is the colour and letter a stance is drawn with. The letter keeps
// the picture readable without colour.
type Style struct {
	Colour color.RGBA
	Letter string
}

// Styles maps each stance to how it is drawn.
var styles = map[briefings.Stance]Style{
	briefings.Proposes:    {color.RGBA{0x1b, 0x5e, 0x20, 0xff}, "P"},
	briefings.Supports:    {color.RGBA{0x66, 0xbb, 0x6a, 0xff}, "S"},
	briefings.Conditional: {color.RGBA{0xfb, 0xc0, 0x2d, 0xff}, "C"},
	briefings.Undecided:   {color.RGBA{0xb0, 0xbe, 0xc5, 0xff}, "?"},
	briefings.Opposes:     {color.RGBA{0xef, 0x6c, 0x00, 0xff}, "O"},
	briefings.RulesOut:    {color.RGBA{0xb7, 0x1c, 0x1c, 0xff}, "X"},
}

// StyleOf returns how a stance is drawn.
func StyleOf(s briefings.Stance) Style { return styles[s] }

// Grid is what a picture shows: the rows and columns chosen, each cell's
// stance, and how many rows and columns were left out.
type Grid struct {
	Actors  []*briefings.Actor
	Options []*briefings.Option
	// Cells[i][j] is Actors[i]'s stance on Options[j], "" for none.
	Cells                 [][]briefings.Stance
	HiddenRows, HiddenCol int
}

// Layout chooses the grid for a briefing: the actors and options that
// have recorded positions, in briefing order, keeping the MaxColumns
// options with the most positions and the MaxRows actors with the most
// positions on them.
func Layout(b *briefings.Briefing) Grid {
	perOption := map[string]int{}
	for _, p := range b.Positions {
		perOption[p.Option]++
	}
	options := keep(b.Options, func(o *briefings.Option) int { return perOption[o.ID] }, MaxColumns)
	// Actors are counted on the options shown, so the rows kept are the
	// ones with something in the picture.
	shown := map[string]bool{}
	for _, o := range options {
		shown[o.ID] = true
	}
	perActor, anywhere := map[string]int{}, map[string]int{}
	for _, p := range b.Positions {
		anywhere[p.Actor]++
		if shown[p.Option] {
			perActor[p.Actor]++
		}
	}
	actors := keep(b.Actors, func(a *briefings.Actor) int { return perActor[a.ID] }, MaxRows)
	g := Grid{
		Actors:     actors,
		Options:    options,
		HiddenRows: countPositive(b.Actors, func(a *briefings.Actor) int { return anywhere[a.ID] }) - len(actors),
		HiddenCol:  countPositive(b.Options, func(o *briefings.Option) int { return perOption[o.ID] }) - len(options),
	}
	col := map[string]int{}
	for j, o := range options {
		col[o.ID] = j
	}
	row := map[string]int{}
	for i, a := range actors {
		row[a.ID] = i
	}
	g.Cells = make([][]briefings.Stance, len(actors))
	for i := range g.Cells {
		g.Cells[i] = make([]briefings.Stance, len(options))
	}
	for _, p := range b.Positions {
		i, okA := row[p.Actor]
		j, okO := col[p.Option]
		if okA && okO {
			g.Cells[i][j] = p.Stance
		}
	}
	return g
}

// keep returns the items whose count is positive, at most max of them
// (those with the highest counts, ties in order), in their original order.
func keep[T any](items []T, count func(T) int, max int) []T {
	idx := make([]int, 0, len(items))
	for i, it := range items {
		if count(it) > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) > max {
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(count(items[b]), count(items[a])) })
		idx = idx[:max]
		slices.Sort(idx)
	}
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = items[i]
	}
	return out
}

func countPositive[T any](items []T, count func(T) int) int {
	n := 0
	for _, it := range items {
		if count(it) > 0 {
			n++
		}
	}
	return n
}

// Geometry of the drawing, in pixels.
const (
	width      = 1200
	margin     = 24
	titleH     = 48
	headerH    = 190
	rowH       = 34
	legendH    = 64
	labelFont  = 17
	headerFont = 15
	titleFont  = 24
)

// Matrix draws the briefing's matrix. It returns the PNG, its alt text
// (the stances in words, within MaxAlt characters) and an error only if
// encoding fails.
func Matrix(b *briefings.Briefing) ([]byte, string, error) {
	g := Layout(b)
	img, err := draw(g)
	if err != nil {
		return nil, "", err
	}
	return img, Alt(b, g), nil
}

// fonts holds the parsed Go fonts; parsing is done once.
type fonts struct {
	regular, bold *truetype.Font
}

var parsed = sync.OnceValues(func() (fonts, error) {
	r, err := truetype.Parse(goregular.TTF)
	if err != nil {
		return fonts{}, fmt.Errorf("parse Go Regular: %w", err)
	}
	bd, err := truetype.Parse(gobold.TTF)
	if err != nil {
		return fonts{}, fmt.Errorf("parse Go Bold: %w", err)
	}
	return fonts{r, bd}, nil
})

func face(f *truetype.Font, size float64) font.Face {
	return truetype.NewFace(f, &truetype.Options{Size: size, DPI: 72, Hinting: font.HintingFull})
}

func draw(g Grid) ([]byte, error) {
	fs, err := parsed()
	if err != nil {
		return nil, err
	}
	rows := max(len(g.Actors), 1)
	height := margin + titleH + headerH + rows*rowH + legendH + margin
	if g.HiddenRows > 0 || g.HiddenCol > 0 {
		height += 28
	}
	dc := gg.NewContext(width, height)
	dc.SetColor(color.White)
	dc.Clear()

	regular := face(fs.regular, labelFont)
	bold := face(fs.bold, labelFont)
	small := face(fs.regular, headerFont)
	title := face(fs.bold, titleFont)
	defer func() {
		for _, f := range []font.Face{regular, bold, small, title} {
			f.Close()
		}
	}()

	dc.SetFontFace(title)
	dc.SetColor(color.Black)
	dc.DrawStringAnchored("Who stands where: actors × options", margin, margin+titleH/2, 0, 0.5)

	labelW := 260.0
	cols := max(len(g.Options), 1)
	// The rotated headers lean right: keep room for the last one.
	cellW := min((float64(width)-2*margin-labelW-150)/float64(cols), 90)
	top := float64(margin + titleH)
	gridTop := top + headerH

	// Column headers, rotated so long option names fit.
	dc.SetFontFace(small)
	for j, o := range g.Options {
		x := margin + labelW + float64(j)*cellW + cellW/2
		dc.Push()
		dc.RotateAbout(gg.Radians(-50), x, gridTop-8)
		dc.DrawStringAnchored(shorten(o.Name, 30), x, gridTop-8, 0, 0.5)
		dc.Pop()
	}

	// Rows: the actor's name, then one cell per option.
	for i, a := range g.Actors {
		y := gridTop + float64(i)*rowH
		if i%2 == 0 {
			dc.SetColor(color.RGBA{0xf4, 0xf6, 0xf8, 0xff})
			dc.DrawRectangle(margin, y, labelW+cellW*float64(cols), rowH)
			dc.Fill()
		}
		dc.SetFontFace(regular)
		dc.SetColor(color.Black)
		dc.DrawStringAnchored(shorten(a.Name, 28), margin+6, y+rowH/2, 0, 0.5)
		for j := range g.Options {
			s := g.Cells[i][j]
			if s == "" {
				continue
			}
			st := styles[s]
			x := margin + labelW + float64(j)*cellW
			dc.SetColor(st.Colour)
			dc.DrawRoundedRectangle(x+3, y+3, cellW-6, rowH-6, 4)
			dc.Fill()
			dc.SetFontFace(bold)
			dc.SetColor(textOn(st.Colour))
			dc.DrawStringAnchored(st.Letter, x+cellW/2, y+rowH/2, 0.5, 0.5)
		}
	}
	if len(g.Actors) == 0 {
		dc.SetFontFace(regular)
		dc.SetColor(color.Black)
		dc.DrawStringAnchored("No positions are recorded yet.", margin+6, gridTop+rowH/2, 0, 0.5)
	}

	// Grid lines between columns.
	dc.SetColor(color.RGBA{0xdd, 0xe1, 0xe5, 0xff})
	dc.SetLineWidth(1)
	for j := 0; j <= len(g.Options); j++ {
		x := margin + labelW + float64(j)*cellW
		dc.DrawLine(x, gridTop, x, gridTop+float64(rows)*rowH)
		dc.Stroke()
	}

	// Legend.
	y := gridTop + float64(rows)*rowH + 24
	x := float64(margin)
	dc.SetFontFace(regular)
	for _, s := range briefings.Stances() {
		st := styles[s]
		dc.SetColor(st.Colour)
		dc.DrawRoundedRectangle(x, y, 28, 24, 4)
		dc.Fill()
		dc.SetFontFace(bold)
		dc.SetColor(textOn(st.Colour))
		dc.DrawStringAnchored(st.Letter, x+14, y+12, 0.5, 0.5)
		dc.SetFontFace(regular)
		dc.SetColor(color.Black)
		label := s.Label()
		dc.DrawStringAnchored(label, x+36, y+12, 0, 0.5)
		w, _ := dc.MeasureString(label)
		x += 36 + w + 28
	}
	if g.HiddenRows > 0 || g.HiddenCol > 0 {
		dc.SetFontFace(small)
		dc.SetColor(color.RGBA{0x55, 0x5f, 0x6a, 0xff})
		dc.DrawStringAnchored(hiddenNote(g), margin, y+48, 0, 0.5)
	}

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, dc.Image()); err != nil {
		return nil, fmt.Errorf("encode matrix png: %w", err)
	}
	return buf.Bytes(), nil
}

func hiddenNote(g Grid) string {
	var parts []string
	if g.HiddenRows > 0 {
		parts = append(parts, fmt.Sprintf("+%d more actors", g.HiddenRows))
	}
	if g.HiddenCol > 0 {
		parts = append(parts, fmt.Sprintf("+%d more options", g.HiddenCol))
	}
	return strings.Join(parts, ", ") + " not shown: see /guarantees matrix for every page."
}

// textOn picks black or white text for legibility on a background.
func textOn(c color.RGBA) color.Color {
	lum := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
	if lum > 150 {
		return color.Black
	}
	return color.White
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// Alt is the picture's alt text: for each option shown, who holds each
// stance, cut between whole options within MaxAlt characters with "+N
// more options" when some do not fit.
func Alt(b *briefings.Briefing, g Grid) string {
	head := "Matrix of stances, actors by option."
	var parts []string
	for j, o := range g.Options {
		by := map[briefings.Stance][]string{}
		for i, a := range g.Actors {
			if s := g.Cells[i][j]; s != "" {
				by[s] = append(by[s], a.Name)
			}
		}
		var ss []string
		for _, s := range briefings.Stances() {
			if len(by[s]) > 0 {
				ss = append(ss, s.Label()+" "+strings.Join(by[s], ", "))
			}
		}
		parts = append(parts, o.Name+": "+strings.Join(ss, "; ")+".")
	}
	if len(parts) == 0 {
		return head + " No positions are recorded yet."
	}
	out := head
	hidden := g.HiddenCol
	for k, p := range parts {
		rest := len(parts) - k - 1 + hidden
		tail := ""
		if rest > 0 {
			tail = fmt.Sprintf(" +%d more options.", rest)
		}
		if len([]rune(out))+1+len([]rune(p))+len(tail) > MaxAlt {
			return out + fmt.Sprintf(" +%d more options.", len(parts)-k+hidden)
		}
		out += " " + p
	}
	if hidden > 0 {
		out += fmt.Sprintf(" +%d more options.", hidden)
	}
	return out
}

// Cache keeps the picture of one briefing generation, so it is drawn once
// per briefing version however often it is asked for. It is safe for
// concurrent use.
type Cache struct {
	mu   sync.Mutex
	gen  uint64
	done bool
	png  []byte
	alt  string
}

// Get returns the picture for the briefing of generation gen, drawing it
// if the cache holds another generation.
func (c *Cache) Get(gen uint64, b *briefings.Briefing) ([]byte, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done && c.gen == gen {
		return c.png, c.alt, nil
	}
	img, alt, err := Matrix(b)
	if err != nil {
		return nil, "", err
	}
	c.gen, c.done, c.png, c.alt = gen, true, img, alt
	return img, alt, nil
}
