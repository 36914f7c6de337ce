#!/bin/sh
# PostgreSQL archive_command for domen (docs/backup.md):
#   archive_command = '/path/to/domen/scripts/backup/pg-archive-wal.sh %p %f /var/backups/domen/wal'
# Copies one WAL segment into the archive directory: never overwrites a segment already archived (a second,
# different copy means two clusters archive into one place), writes under a temporary name, fsyncs and renames,
# so the archive never holds half a segment. A non-zero exit makes PostgreSQL keep the segment and retry.
set -eu
src="$1"; name="$2"; dir="$3"
dest="$dir/$name"
if [ -f "$dest" ]; then
  # Archiving the same segment again after a crash is fine when it is identical.
  cmp -s "$src" "$dest" && exit 0
  echo "pg-archive-wal: $dest exists and differs from $src" >&2
  exit 1
fi
mkdir -p "$dir"
cp "$src" "$dest.tmp"
sync "$dest.tmp" 2>/dev/null || sync
mv "$dest.tmp" "$dest"
