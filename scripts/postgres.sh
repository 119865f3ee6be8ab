#!/usr/bin/env bash
# Start Debian's PostgreSQL (installed by scripts/setup.sh) and make the workspace's test
# role and database; print the DATABASE_URL to reach them over 127.0.0.1. Idempotent.
# The server refuses to run as root, so the role and database are made as user postgres.
# REINTEGRATE_PG_ROLE, _DATABASE and _PASSWORD choose the names (default: reintegrate, a test
# password; the cluster listens on 127.0.0.1 only, as Debian configures it).
set -euo pipefail
role=${REINTEGRATE_PG_ROLE:-reintegrate}
database=${REINTEGRATE_PG_DATABASE:-reintegrate}
password=${REINTEGRATE_PG_PASSWORD:-reintegrate-test}
version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$version" ]; then
  echo "PostgreSQL is not installed: run scripts/setup.sh (it installs Debian's postgresql)." >&2
  exit 1
fi
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
status=$(pg_lsclusters --no-header | awk -v v="$version" '$1 == v && $2 == "main" {print $4}')
# Standard output carries the URL only: what the server's start says (e.g. "Removed stale
# pid file.") goes to standard error, where a caller's $(...) does not take it for the URL.
if [ "$status" != "online" ]; then
  if [ "$(id -u)" -eq 0 ]; then pg_ctlcluster "$version" main start >&2
  else sudo pg_ctlcluster "$version" main start >&2; fi
fi
for _ in $(seq 30); do
  as_postgres "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
if [ "$(as_postgres "psql -qtAc \"select 1 from pg_roles where rolname = '$role'\"")" != 1 ]; then
  as_postgres "psql -qc \"create role $role login createdb password '$password'\"" >&2
fi
if [ "$(as_postgres "psql -qtAc \"select 1 from pg_database where datname = '$database'\"")" != 1 ]; then
  as_postgres "psql -qc \"create database $database owner $role\"" >&2
fi
echo "postgres://$role:$password@127.0.0.1:5432/$database"
