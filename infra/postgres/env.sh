# PostgreSQL launcher settings and file layout (sourced by up/down/status).
# Every value can be overridden from the environment; infra/README.md documents them.
# shellcheck shell=bash disable=SC2034 # variables are used by the scripts that source this
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
CRUCIBLE_LOG_TAG=postgres

PG_HOST=127.0.0.1
PG_PORT="${CRUCIBLE_PG_PORT:-15432}"
PG_USER=crucible
PG_PASSWORD=crucible
PG_DATABASE=crucible
PG_DSN="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE"

PG_RUN="$CRUCIBLE_RUN_DIR/postgres"
PGDATA_DIR="$PG_RUN/data"
PG_SOCKET_DIR="$PG_RUN/socket"
PG_LOG_DIR="$PG_RUN/log"
PG_LOG="$PG_LOG_DIR/postgres.log"
PG_LOCK="$PG_RUN/.lock"

# The server refuses to run as root; as root we run it as the Debian `postgres` user.
PG_OS_USER="$(if [[ "$(id -u)" == 0 ]]; then echo postgres; else id -un; fi)"

# pg_bindir: newest installed server's bin directory (empty when no server is installed).
pg_bindir() {
  local d
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  [[ -n "$d" && -x "$d/postgres" ]] && printf '%s\n' "$d"
  return 0
}

# as_pg CMD...: run a command as the server's OS user, from a directory it can read.
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}
