#!/usr/bin/env bash
# Back up the database and the stored files: scripts/backup.sh [DEST_DIR]
#
#   DATABASE_URL  the PostgreSQL database to dump (default: the `make serve` stack's, if it is running)
#   MEDIA_ROOT    stored files (default var/media): uploaded workbooks, rendered and signed PDFs
#
# DEST_DIR (default var/backups/<UTC time>) receives
#   db.dump        pg_dump custom format (-Fc): compressed, restorable table by table with pg_restore
#   media.tar.gz   every file under MEDIA_ROOT
#   media.sha256   SHA-256 of every file under MEDIA_ROOT (checked by restore.sh after unpacking)
#   SHA256SUMS     SHA-256 of the three files above, to detect a damaged or incomplete backup
# Signed PDFs are kept inside the database (signing_signeddocument, with their SHA-256), so db.dump
# holds them; restore.sh re-checks each one against its recorded hash.
# See docs/operations.md for schedules, off-site copies and the restore drill.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/pg_dump" ] || PGBIN=$(dirname "$(command -v pg_dump)")

if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$("$ROOT/scripts/serve.sh" env 2>/dev/null | sed -n 's/^DATABASE_URL=//p') || true
fi
case "${DATABASE_URL:-}" in
    postgres://*|postgresql://*) ;;
    *) echo "backup.sh: DATABASE_URL must point at PostgreSQL (got '${DATABASE_URL:-}')" >&2; exit 2 ;;
esac
MEDIA_ROOT=${MEDIA_ROOT:-$ROOT/var/media}
DEST=${1:-$ROOT/var/backups/$(date -u +%Y%m%dT%H%M%SZ)}

mkdir -p "$DEST"
chmod 700 "$DEST"
cd "$DEST"

# Consistent snapshot of the whole database in one transaction; no owners/grants so that the dump
# restores into a database owned by any role.
"$PGBIN/pg_dump" --format=custom --compress=6 --no-owner --no-acl --file=db.dump.part "$DATABASE_URL"
mv db.dump.part db.dump

mkdir -p "$MEDIA_ROOT"
(cd "$MEDIA_ROOT" && find . -type f -print0 | sort -z | xargs -0r sha256sum) >media.sha256
tar -C "$MEDIA_ROOT" -czf media.tar.gz .

sha256sum db.dump media.tar.gz media.sha256 >SHA256SUMS
echo "backup written to $DEST ($(du -sh . | cut -f1); $(wc -l <media.sha256) stored files)"
