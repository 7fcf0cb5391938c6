#!/bin/sh
# subset.sh rebuilds the PDF writer's fonts, PretendardGOV-Regular.subset.ttf
# and PretendardGOV-Bold.subset.ttf, from the npm package pretendard-gov.
#
# Needs npm and pyftsubset (Debian: apt-get install -y fonttools). Run from
# anywhere:
#
#     sh charts/pdf/fonts/subset.sh
#
# It downloads pretendard-gov@1.3.9 into a temporary folder, keeps the
# characters a Korean or English report uses (Hangul syllables and
# compatibility jamo, Latin, punctuation, arrows, shapes such as ○●□■,
# circled numbers ①–⑳, CJK symbols, fullwidth forms, units such as ㎡), drops
# what the PDF writer does not use (hinting, OpenType layout features, since
# it places glyphs one by one, vertical metrics and glyph names), and
# writes the two subsets and OFL.txt beside this script. Hanja are not
# kept (they would double the size); a character the subset lacks is
# drawn as a space.
#
# A subset is a modified version of the font, and the OFL reserves the
# name Pretendard to the original: the subsets are renamed JobkpiSans (in
# their name tables and file names), and keep the copyright and licence.
#
# The result is the same for the same package version and fonttools; the
# PDF writer embeds it (charts/pdf/font.go), and each PDF embeds only the
# glyphs it uses.
set -eu

version=1.3.9
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "pretendard-gov@$version" >/dev/null && tar xzf "pretendard-gov-$version.tgz")
src="$tmp/package/dist/public/static/alternative"

# Basic Latin, Latin-1, general punctuation (·, ※, ‘’“”, …), letterlike
# symbols (℃, №), Roman numerals, arrows, a few maths signs (−, ∼, ≤, ≥),
# enclosed numbers (①–⑳), geometric shapes (○●◎△▲▼□■), CJK symbols and
# punctuation (「」『』〈〉), compatibility jamo, enclosed CJK (㈜), CJK units
# (㎡, ㎞, ㎏), Hangul syllables, fullwidth forms.
unicodes="U+0020-007E,U+00A0-00FF,U+2000-206F,U+2100-214F,U+2150-218F,\
U+2190-21FF,U+2212,U+2215,U+221E,U+223C,U+2260,U+2264-2265,U+2460-24FF,\
U+25A0-25FF,U+2600-2606,U+2713-2714,U+2717-2718,U+3000-303F,U+3131-318E,U+3200-32FF,U+3380-33FF,\
U+AC00-D7A3,U+FF01-FF5E"

# The Python that runs pyftsubset has fontTools, to rename the subsets.
py=$(sed -n '1s/^#! *//p' "$(command -v pyftsubset)")

for weight in Regular Bold; do
	pyftsubset "$src/PretendardGOV-$weight.ttf" \
		--unicodes="$unicodes" \
		--layout-features='' \
		--drop-tables+=GSUB,GPOS,GDEF,kern,DSIG,vhea,vmtx \
		--no-hinting \
		--no-glyph-names \
		--name-IDs='*' \
		--notdef-outline \
		--output-file="$tmp/subset-$weight.ttf"
	$py - "$tmp/subset-$weight.ttf" "$here/JobkpiSans-$weight.ttf" "$weight" <<'PY'
import sys
from fontTools.ttLib import TTFont
src, dst, weight = sys.argv[1:]
font = TTFont(src, recalcTimestamp=False)
names = {1: "JobkpiSans", 2: weight, 3: "JobkpiSans-" + weight, 4: "JobkpiSans " + weight, 6: "JobkpiSans-" + weight,
         16: "JobkpiSans", 17: weight}
table = font["name"]
for rec in list(table.names):
    if rec.nameID in names:
        table.setName(names[rec.nameID], rec.nameID, rec.platformID, rec.platEncID, rec.langID)
table.setName("A subset of PretendardGOV, renamed as its licence asks (SIL OFL 1.1, Reserved Font Name Pretendard).",
              10, 3, 1, 0x409)
font.save(dst)
PY
done
cp "$tmp/package/dist/LICENSE.txt" "$here/OFL.txt"
ls -l "$here"/JobkpiSans-*.ttf
