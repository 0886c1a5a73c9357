#!/usr/bin/env bash
# Prepares this machine for the demo and the tests. Idempotent: a second run does nothing.
#
#  - Debian packages (only the missing ones): WeasyPrint's Pango/HarfBuzz libraries, poppler-utils,
#    PostgreSQL 15 (used by .ci/run), Debian's Chromium for the browser tests, python3-venv.
#  - .venv with requirements-dev.txt, reinstalled only when a requirements file changed.
#
# Works as root without sudo (a fresh container) and as a normal user with sudo.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf 'setup: %s\n' "$*"; }

# Several engineers (and `make test` runs) share the machine: serialise apt and pip.
LOCK="${TMPDIR:-/tmp}/party-report-setup.$(id -u).lock"
exec 9>"$LOCK"
if ! flock -n 9; then
    say "waiting for another setup run to finish"
    flock 9
fi

PACKAGES=(
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint
    poppler-utils                                          # pdftotext/pdftoppm for PDF checks
    postgresql                                             # PostgreSQL 15, for .ci/run
    chromium chromium-driver                               # browser tests (Playwright drives it)
    python3-venv                                           # python3 -m venv
    softhsm2                                               # the demo PKCS#11 token (seed_demo, signing tests)
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        say "missing Debian packages: ${missing[*]}; run this script as root (no sudo here)" >&2
        exit 1
    fi
    say "installing Debian packages: ${missing[*]}"
    log=$(mktemp)
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${as_root[@]}" apt-get update -qq &&
           "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        say "apt-get failed" >&2
        exit 1
    fi
    rm -f "$log"
fi

VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    python3 -m venv "$VENV"
fi

STAMP="$VENV/.requirements.sha256"
wanted=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$wanted" ]; then
    say "installing Python packages from requirements-dev.txt"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
    echo "$wanted" >"$STAMP"
fi

say "ok"
