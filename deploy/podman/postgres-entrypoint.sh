#!/usr/bin/env bash
# Entrypoint of the PostgreSQL stand-in (postgres.Containerfile): initialises PGDATA once, then
# runs the server as the postgres user in the foreground.
set -euo pipefail
readonly BIN=/usr/lib/postgresql/15/bin
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
as_postgres() { setpriv --reuid postgres --regid postgres --init-groups -- "$@"; }

install -d -o postgres -g postgres -m 0700 "$PGDATA" /run/postgresql
if [[ ! -s $PGDATA/PG_VERSION ]]; then
  password_file=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$password_file"
  chown postgres "$password_file"
  as_postgres "$BIN/initdb" -D "$PGDATA" -U "$user" --pwfile="$password_file" \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [[ $database != postgres ]]; then
    as_postgres "$BIN/postgres" --single -D "$PGDATA" -j postgres <<<"CREATE DATABASE \"$database\" OWNER \"$user\";" >/dev/null
  fi
  echo "postgres-entrypoint: initialised $PGDATA (user $user, database $database)"
fi
exec setpriv --reuid postgres --regid postgres --init-groups -- \
  "$BIN/postgres" -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/run/postgresql
