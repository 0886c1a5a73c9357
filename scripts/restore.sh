#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: scripts/restore.sh BACKUP_DIR
#
#   DATABASE_URL  the PostgreSQL database to restore into; it must exist and be EMPTY (a fresh
#                 `createdb -O <role> <name>`), so that a restore never mixes with live data
#   MEDIA_ROOT    where the stored files go (default var/media); must be empty or missing unless FORCE=1
#
# Steps: verify SHA256SUMS, pg_restore in a single transaction (all or nothing), unpack the files,
# verify every file's SHA-256, then verify every signed PDF in the database against its recorded hash.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[ -x "$PGBIN/pg_restore" ] || PGBIN=$(dirname "$(command -v pg_restore)")
SRC=${1:?usage: scripts/restore.sh BACKUP_DIR}
SRC=$(cd "$SRC" && pwd)
case "${DATABASE_URL:-}" in
    postgres://*|postgresql://*) ;;
    *) echo "restore.sh: DATABASE_URL must point at the (empty) PostgreSQL database to restore into" >&2; exit 2 ;;
esac
MEDIA_ROOT=${MEDIA_ROOT:-$ROOT/var/media}

echo "==> checking the backup's checksums"
(cd "$SRC" && sha256sum --quiet -c SHA256SUMS)

tables=$("$PGBIN/psql" -X -tA -d "$DATABASE_URL" -c \
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
    echo "restore.sh: the target database is not empty ($tables tables); create a fresh one" >&2
    exit 3
fi

echo "==> pg_restore into the empty database"
"$PGBIN/pg_restore" --no-owner --no-acl --single-transaction --exit-on-error -d "$DATABASE_URL" "$SRC/db.dump"

echo "==> unpacking stored files into $MEDIA_ROOT"
mkdir -p "$MEDIA_ROOT"
if [ -n "$(find "$MEDIA_ROOT" -mindepth 1 -print -quit)" ] && [ "${FORCE:-0}" != "1" ]; then
    echo "restore.sh: $MEDIA_ROOT is not empty (FORCE=1 overwrites)" >&2
    exit 4
fi
tar -C "$MEDIA_ROOT" -xzf "$SRC/media.tar.gz"
(cd "$MEDIA_ROOT" && sha256sum --quiet -c "$SRC/media.sha256")

echo "==> checking signed PDFs against their recorded SHA-256"
has_signed=$("$PGBIN/psql" -X -tA -d "$DATABASE_URL" -c \
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'signing_signeddocument'")
if [ "$has_signed" = "1" ]; then
    bad=$("$PGBIN/psql" -X -tA -d "$DATABASE_URL" -c \
        "SELECT count(*) FROM signing_signeddocument WHERE encode(sha256(pdf), 'hex') <> sha256")
    total=$("$PGBIN/psql" -X -tA -d "$DATABASE_URL" -c "SELECT count(*) FROM signing_signeddocument")
    [ "$bad" = "0" ] || { echo "restore.sh: $bad of $total signed PDFs do not match their SHA-256" >&2; exit 5; }
    echo "    $total signed PDFs intact"
fi
submissions=$("$PGBIN/psql" -X -tA -d "$DATABASE_URL" -c "SELECT count(*) FROM submissions_submission")
echo "restored: $submissions submissions, $(wc -l <"$SRC/media.sha256") stored files"
