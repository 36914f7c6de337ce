#!/bin/sh
# A base backup of domen's PostgreSQL cluster (docs/backup.md): pg_basebackup in plain format with the WAL it
# needs streamed alongside and a SHA-256 manifest, checked with pg_verifybackup. Together with the WAL archive
# (pg-archive-wal.sh) it restores to any moment after it (pg-pitr-restore.sh).
#   usage: pg-base-backup.sh BACKUP_ROOT [pg_basebackup connection options, e.g. -h 127.0.0.1 -p 5432 -U postgres]
# Prints the directory of the new backup.
set -eu
root="$1"; shift
bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
dir="$root/base-$(date -u +%Y%m%dT%H%M%SZ)"
if [ -e "$dir" ]; then dir="$dir-$$"; fi
mkdir -p "$root"
"$bin/pg_basebackup" -D "$dir" -Fp -X stream --checkpoint=fast --manifest-checksums=SHA256 --label="domen $(date -u +%FT%TZ)" "$@"
"$bin/pg_verifybackup" -q "$dir"
echo "$dir"
