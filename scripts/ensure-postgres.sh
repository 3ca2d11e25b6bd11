#!/usr/bin/env bash
# The test suite runs every storage test on SQLite and on a throwaway PostgreSQL 15 cluster that the tests
# start themselves. This makes sure the PostgreSQL 15 server binaries (initdb, pg_ctl, postgres) are on the
# machine, installing Debian's postgresql-15 package when they are missing and we may.
set -euo pipefail
for dir in /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)"; do
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then exit 0; fi
done
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "PostgreSQL 15 server binaries are missing: install Debian's postgresql-15 package (apt-get install -y postgresql-15)." >&2
  exit 1
fi
echo "Installing PostgreSQL 15 server binaries (Debian package postgresql-15) for the test cluster..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
