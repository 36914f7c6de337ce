#!/bin/sh
# Point-in-time restore of domen's PostgreSQL cluster (docs/backup.md): copies a base backup into an empty data
# directory and sets it to replay the WAL archive up to TARGET_TIME, then promote. Start it with pg_ctl (or the
# service) afterwards; the server replays the WAL and opens once the target is reached.
#   usage: pg-pitr-restore.sh BASE_BACKUP_DIR WAL_ARCHIVE_DIR NEW_DATA_DIR 'TARGET_TIME'
#   TARGET_TIME: a PostgreSQL timestamp with time zone, e.g. '2026-03-02 09:15:00+00'
# Run as the user that owns the PostgreSQL data (postgres).
set -eu
base="$1"; archive="$2"; data="$3"; target="$4"
[ -f "$base/PG_VERSION" ] || { echo "pg-pitr-restore: $base is not a base backup (no PG_VERSION)" >&2; exit 2; }
[ -d "$archive" ] || { echo "pg-pitr-restore: no WAL archive at $archive" >&2; exit 2; }
if [ -d "$data" ] && [ -n "$(ls -A "$data")" ]; then echo "pg-pitr-restore: $data is not empty; restore into an empty directory" >&2; exit 2; fi
mkdir -p "$data"
chmod 700 "$data"
cp -a "$base/." "$data/"
# The backup's own files that must not carry over into a restored cluster.
rm -f "$data/postmaster.pid" "$data/backup_manifest"
archive_abs="$(cd "$archive" && pwd)"
cat >> "$data/postgresql.auto.conf" <<CONF
# domen point-in-time restore, $(date -u +%FT%TZ)
restore_command = 'cp "$archive_abs/%f" "%p"'
recovery_target_time = '$target'
recovery_target_inclusive = true
recovery_target_action = 'promote'
# The restored cluster must not archive into the original's archive.
archive_mode = off
CONF
touch "$data/recovery.signal"
echo "$data: replays $archive_abs up to $target when started"
