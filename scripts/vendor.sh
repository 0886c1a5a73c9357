#!/usr/bin/env bash
# Re-creates static/vendor/** and static/fonts/** from their upstream packages.
#
# The files are committed, so nobody needs to run this unless a version below changes.
# JavaScript/CSS come from the npm registry (`npm pack`), the Liberation Serif fonts from
# Debian's fonts-liberation2 package (`apt-get download` + `dpkg -x`, nothing is installed).
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_ICONS_VERSION=1.13.2
CHARTJS_VERSION=4.6.1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENDOR="$ROOT/static/vendor"
FONTS="$ROOT/static/fonts/liberation-serif"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP"   # apt-get download runs as _apt and must be able to write here

say() { printf 'vendor: %s\n' "$*"; }

npm_unpack() {  # name version -> prints the unpacked package directory
    local name=$1 version=$2
    (cd "$TMP" && npm pack --silent "$name@$version" >/dev/null 2>&1)
    mkdir -p "$TMP/$name"
    tar -xzf "$TMP/$name-$version.tgz" -C "$TMP/$name"
    echo "$TMP/$name/package"
}

# Bootstrap: minified CSS and JS bundle (with Popper), plus their source maps, which the
# minified files reference (ManifestStaticFilesStorage fails on a missing referenced map).
say "bootstrap $BOOTSTRAP_VERSION"
pkg=$(npm_unpack bootstrap "$BOOTSTRAP_VERSION")
rm -rf "$VENDOR/bootstrap"
mkdir -p "$VENDOR/bootstrap/css" "$VENDOR/bootstrap/js"
cp "$pkg"/dist/css/bootstrap.min.css{,.map} "$VENDOR/bootstrap/css/"
cp "$pkg"/dist/js/bootstrap.bundle.min.js{,.map} "$VENDOR/bootstrap/js/"
cp "$pkg/LICENSE" "$VENDOR/bootstrap/LICENSE"

say "bootstrap-icons $BOOTSTRAP_ICONS_VERSION"
pkg=$(npm_unpack bootstrap-icons "$BOOTSTRAP_ICONS_VERSION")
rm -rf "$VENDOR/bootstrap-icons"
mkdir -p "$VENDOR/bootstrap-icons/fonts"
cp "$pkg"/font/bootstrap-icons{,.min}.css "$VENDOR/bootstrap-icons/"
cp "$pkg"/font/fonts/bootstrap-icons.woff{,2} "$VENDOR/bootstrap-icons/fonts/"
cp "$pkg/LICENSE" "$VENDOR/bootstrap-icons/LICENSE"

say "chart.js $CHARTJS_VERSION"
pkg=$(npm_unpack chart.js "$CHARTJS_VERSION")
rm -rf "$VENDOR/chart.js"
mkdir -p "$VENDOR/chart.js"
cp "$pkg"/dist/chart.umd.js{,.map} "$VENDOR/chart.js/"
cp "$pkg/LICENSE.md" "$VENDOR/chart.js/LICENSE.md"

cat >"$VENDOR/VERSIONS" <<EOF
bootstrap $BOOTSTRAP_VERSION (npm)
bootstrap-icons $BOOTSTRAP_ICONS_VERSION (npm)
chart.js $CHARTJS_VERSION (npm)
EOF

# Liberation Serif 2.x: metric-compatible with Times New Roman, covers Vietnamese.
say "fonts-liberation2 (Debian)"
(cd "$TMP" && apt-get download -qq fonts-liberation2 >/dev/null 2>&1)
dpkg -x "$TMP"/fonts-liberation2_*.deb "$TMP/liberation"
rm -rf "$FONTS"
mkdir -p "$FONTS"
for style in Regular Bold Italic BoldItalic; do
    cp "$TMP/liberation/usr/share/fonts/truetype/liberation2/LiberationSerif-$style.ttf" "$FONTS/"
done
copyright="$TMP/liberation/usr/share/doc/fonts-liberation2/copyright"
# The Debian copyright file carries the full OFL text for the fonts (stanza "Files: *");
# unfold it (drop the one-space indent, " ." marks an empty line) into OFL.txt.
awk '
    /^Files: \*/ { on = 1; next }
    on && /^Files:/ { exit }
    on && /^Copyright:/ { next }
    on && /^License:/ { print ""; next }
    on { sub(/^ /, ""); if ($0 == ".") $0 = ""; print }
' "$copyright" >"$FONTS/OFL.txt"
dpkg-deb -f "$TMP"/fonts-liberation2_*.deb Version | sed 's/^/fonts-liberation2 /' >"$FONTS/VERSION"

say "checking Vietnamese coverage"
python=python3
[ -x "$ROOT/.venv/bin/python" ] && python="$ROOT/.venv/bin/python"
"$python" - "$FONTS" <<'EOF'
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

# Every precomposed Vietnamese letter: Latin Extended Additional U+1EA0..U+1EF9 plus the rest.
letters = [chr(c) for c in range(0x1EA0, 0x1EFA)] + list("ĂăÂâĐđÊêÔôƠơƯưÀÁÃÈÉÌÍÒÓÕÙÚÝàáãèéìíòóõùúýĨĩŨũ")
bad = False
for font in sorted(Path(sys.argv[1]).glob("*.ttf")):
    cmap = TTFont(font).getBestCmap()
    missing = "".join(c for c in letters if ord(c) not in cmap)
    print(f"  {font.name}: {'OK' if not missing else 'MISSING ' + missing}")
    bad |= bool(missing)
sys.exit(1 if bad else 0)
EOF
say "done"
