package pdf

import (
	_ "embed"
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/golang/freetype/truetype"
	"github.com/signintech/gopdf"
	"golang.org/x/image/math/fixed"
)

// The fonts are subsets of PretendardGOV (SIL OFL 1.1, see fonts/OFL.txt),
// renamed JobkpiSans as the licence asks of a modified version, and
// rebuilt by fonts/subset.sh.
var (
	//go:embed fonts/JobkpiSans-Regular.ttf
	regularTTF []byte
	//go:embed fonts/JobkpiSans-Bold.ttf
	boldTTF []byte
)

// Font family names inside a PDF.
const (
	familyRegular = "JKPREG+JobkpiSans" // a subset tag and the font's name
	familyBold    = "JKPBLD+JobkpiSans-Bold"
)

// face is one weight of the font, parsed once: gopdf's parsed tables, the
// same font for the chart painter, and each character's advance width in
// PDF units (thousandths of the font size), as gopdf counts it.
type face struct {
	family string
	chart  *truetype.Font
	widths []uint16 // by rune, for runes below len(widths)
	has    []bool   // whether the font has a glyph for the rune
	space  uint16
}

// fontSet is what every document shares: both weights and gopdf's
// container of parsed fonts, which hands each document a copy that only
// records the characters that document uses.
type fontSet struct {
	container     *gopdf.FontContainer
	regular, bold *face
}

// loadFonts parses the embedded fonts on first use and returns them.
var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	fs := &fontSet{container: new(gopdf.FontContainer)}
	var err error
	if fs.regular, err = newFace(fs.container, familyRegular, regularTTF); err != nil {
		return nil, err
	}
	if fs.bold, err = newFace(fs.container, familyBold, boldTTF); err != nil {
		return nil, err
	}
	return fs, nil
})

func newFace(c *gopdf.FontContainer, family string, data []byte) (*face, error) {
	if err := c.AddTTFFontData(family, data); err != nil {
		return nil, fmt.Errorf("pdf: parse font %s: %w", family, err)
	}
	tf, err := truetype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("pdf: parse font %s for charts: %w", family, err)
	}
	f := &face{family: family, chart: tf, widths: make([]uint16, 0x10000), has: make([]bool, 0x10000)}
	upem := tf.FUnitsPerEm()
	scale := fixed.I(int(upem)) // one pixel per font unit
	for r := rune(0); r < 0x10000; r++ {
		idx := tf.Index(r)
		if idx == 0 {
			continue
		}
		adv := tf.HMetric(scale, idx).AdvanceWidth.Round()
		f.widths[r] = uint16(adv * 1000 / int(upem))
		f.has[r] = true
	}
	f.space = f.widths[' ']
	return f, nil
}

// width is the advance of s at size points. A character the font lacks is
// drawn as a space, so it counts as one.
func (f *face) width(s string, size float64) float64 {
	var sum int
	for _, r := range s {
		sum += int(f.runeWidth(r))
	}
	return float64(sum) * size / 1000
}

func (f *face) runeWidth(r rune) uint16 {
	if r >= 0 && int(r) < len(f.widths) && f.has[r] {
		return f.widths[r]
	}
	return f.space
}

// clean replaces what cannot be drawn (control characters, characters the
// font lacks) with a space, so that gopdf and the width count agree.
func (f *face) clean(s string) string {
	ok := true
	for _, r := range s {
		if !f.drawable(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if !f.drawable(r) {
			r = ' '
		}
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}

func (f *face) drawable(r rune) bool {
	return r >= 0x20 && int(r) < len(f.has) && f.has[r]
}
