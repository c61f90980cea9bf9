#!/usr/bin/env bash
# db.sh start|stop|status|url|admin-url|reset — a private PostgreSQL cluster, kept entirely
# under the repository. There are two, chosen by IOP_DB_CLUSTER:
#
#   run (default)  what `make run` serves from: durable (fsync, synchronous_commit and
#                  full_page_writes on), since a small municipality may run the product this way
#                  and a write the user saw confirmed must survive a crash
#       data       $REPO/.data/pg
#       socket     $REPO/.data/run/.s.PGSQL.5432   (Unix socket only: no TCP port is opened)
#       log        $REPO/.data/pg.log
#   test           what `make test` and `make bench` use: throwaway databases cloned by the
#                  thousand, so crash safety is traded for speed (fsync and friends off)
#       data       $REPO/.data/test/pg, socket $REPO/.data/test/run, log $REPO/.data/test/pg.log
#
# The superuser is `postgres` (trust auth, reachable only through the 0700 socket); the app
# uses role `iop` (not a superuser) owning database `iop`.
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the system user
# `postgres`. When that user cannot reach the repository (e.g. a clone under /root), or the
# socket path would be too long for a Unix socket, everything lives in /tmp/iop-pg-<cksum>/.
#
# Exit status of `status`: 0 running, 3 not running.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
PORT=5432
CLUSTER="${IOP_DB_CLUSTER:-run}"
case "$CLUSTER" in
  run|test) ;;
  *) echo "db.sh: error: IOP_DB_CLUSTER must be run or test, not '$CLUSTER'" >&2; exit 2 ;;
esac
PGUSER_NAME=postgres   # cluster OS user when we are root
MAX_SOCKET_PATH=100    # sun_path is 108 bytes on Linux; keep a margin

die()  { echo "db.sh: error: $*" >&2; exit 1; }
say()  { echo "db.sh: $*"; }
note() { echo "db.sh: note: $*" >&2; }

usage() {
  echo "usage: scripts/db.sh start|stop|status|url|admin-url|reset" >&2
  exit 2
}

# --- binaries --------------------------------------------------------------------------
find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    if [[ -n "$d" && -x "$d/pg_ctl" && -x "$d/initdb" ]]; then
      echo "$d"; return
    fi
  fi
  d="$(compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' | sort -V | tail -n1 || true)"
  if [[ -n "$d" ]]; then
    dirname "$d"; return
  fi
  die "PostgreSQL server binaries not found (no pg_config --bindir, nothing in /usr/lib/postgresql/*/bin); run scripts/deps.sh"
}

# --- who runs the cluster --------------------------------------------------------------
AS_ROOT=0
[[ "$(id -u)" -eq 0 ]] && AS_ROOT=1

ensure_pg_user() {
  if ! id -u "$PGUSER_NAME" >/dev/null 2>&1; then
    note "creating system user $PGUSER_NAME (PostgreSQL will not run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PGUSER_NAME"
  fi
}

# as_pg CMD... runs CMD as the OS user that owns the cluster.
as_pg() {
  if ((AS_ROOT)); then
    # From /, so that a working directory the user cannot enter causes no warnings.
    (cd / && runuser -u "$PGUSER_NAME" -- "$@")
  else
    "$@"
  fi
}

# --- where the cluster lives -----------------------------------------------------------
# A socket directory goes unquoted into a libpq URL and into postgresql.conf, so keep it to
# characters that need no escaping anywhere.
safe_path() { [[ "$1" =~ ^[A-Za-z0-9/._-]+$ ]]; }

choose_dirs() {
  local base="$REPO/.data" reason=""
  [[ "$CLUSTER" == test ]] && base="$REPO/.data/test"
  if ((AS_ROOT)); then
    ensure_pg_user
    local probe="$REPO"
    [[ -d "$base" ]] && probe="$base"
    if ! as_pg test -x "$probe"; then
      reason="user $PGUSER_NAME cannot enter $probe"
    fi
  fi
  if [[ -z "$reason" ]] && ! safe_path "$base/run"; then
    reason="the repository path contains characters unsuitable for a socket path"
  fi
  local sock="$base/run/.s.PGSQL.$PORT"
  if [[ -z "$reason" ]] && (( ${#sock} > MAX_SOCKET_PATH )); then
    reason="the socket path under the repository would exceed $MAX_SOCKET_PATH characters"
  fi
  if [[ -n "$reason" ]]; then
    base="/tmp/iop-pg-$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)-$CLUSTER"
    FALLBACK_REASON="$reason"
  fi
  DATA_BASE="$base"
  PGDATA_DIR="$base/pg"
  SOCKET_DIR="$base/run"
  LOG_FILE="$base/pg.log"
  sock="$SOCKET_DIR/.s.PGSQL.$PORT"
  if (( ${#sock} > MAX_SOCKET_PATH )); then
    die "Unix socket path $sock is ${#sock} characters; the limit is $MAX_SOCKET_PATH"
  fi
}
FALLBACK_REASON=""

# --- helpers ---------------------------------------------------------------------------
is_running() {
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] || return 1
  as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

admin_psql() {
  # Root may connect through the postgres-owned 0700 socket; trust auth does the rest.
  "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres "$@"
}

prepare_dirs() {
  mkdir -p "$DATA_BASE" "$SOCKET_DIR"
  chmod 0755 "$DATA_BASE"
  [[ -e "$LOG_FILE" ]] || : >"$LOG_FILE"
  if ((AS_ROOT)); then
    mkdir -p "$PGDATA_DIR"
    chown "$PGUSER_NAME": "$PGDATA_DIR" "$SOCKET_DIR" "$LOG_FILE"
  fi
  chmod 0700 "$SOCKET_DIR"
  [[ -d "$PGDATA_DIR" ]] && chmod 0700 "$PGDATA_DIR"
  return 0
}

# durability_conf: the run cluster keeps PostgreSQL's crash-safe defaults, stated so that an
# edited postgresql.conf cannot silently turn them off; only the test cluster trades them away.
durability_conf() {
  if [[ "$CLUSTER" == test ]]; then
    cat <<'CONF'
# The test cluster: throwaway databases, so crash safety is traded for speed.
# Never use these settings for data you care about.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  else
    cat <<'CONF'
# The run cluster holds data people entered: every confirmed write survives a crash.
fsync = on
synchronous_commit = on
full_page_writes = on
CONF
  fi
}

write_conf() {
  # Rewritten on every start so a moved repository still gets the right socket path.
  local conf="$PGDATA_DIR/iop.conf"
  as_pg tee "$conf" >/dev/null <<CONF
# Written by scripts/db.sh on every start; edit the script, not this file.
listen_addresses = ''
port = $PORT
unix_socket_directories = '$SOCKET_DIR'
unix_socket_permissions = 0700
$(durability_conf)
max_connections = 200
log_min_duration_statement = -1
CONF
}

init_cluster() {
  say "initialising cluster in $PGDATA_DIR"
  as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  printf "\ninclude_if_exists = 'iop.conf'\n" | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

wait_ready() {
  local i
  for ((i = 0; i < 60; i++)); do
    if "$BINDIR/pg_isready" -q -h "$SOCKET_DIR" -p "$PORT" -U postgres; then
      return 0
    fi
    sleep 0.5
  done
  die "PostgreSQL did not become ready within 30s; see $LOG_FILE"
}

ensure_role_and_db() {
  admin_psql <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'iop') THEN
    CREATE ROLE iop LOGIN PASSWORD 'iop' NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
SELECT 'CREATE DATABASE iop OWNER iop'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'iop')
\gexec
SQL
}

# --- commands --------------------------------------------------------------------------
cmd_start() {
  [[ -n "$FALLBACK_REASON" ]] && note "$FALLBACK_REASON; using $DATA_BASE instead of $REPO/.data"
  if is_running; then
    say "already running (socket $SOCKET_DIR)"
  else
    prepare_dirs
    [[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_cluster
    write_conf
    say "starting PostgreSQL (log $LOG_FILE)"
    if ! as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 start >/dev/null; then
      tail -n 20 "$LOG_FILE" >&2 || true
      die "PostgreSQL failed to start; see $LOG_FILE"
    fi
  fi
  wait_ready
  ensure_role_and_db
  say "ready: $(cmd_url)"
}

cmd_stop() {
  if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
    say "no cluster in $PGDATA_DIR; nothing to stop"
    return 0
  fi
  if ! is_running; then
    say "not running"
    return 0
  fi
  say "stopping PostgreSQL"
  if as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null; then
    return 0
  fi
  # pg_ctl gave up: fall back to the postmaster PID file (SIGINT = fast shutdown).
  local pid
  pid="$(head -n1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || die "pg_ctl stop failed and there is no usable PID file"
  kill -INT "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  die "PostgreSQL (pid $pid) did not stop; see $LOG_FILE"
}

cmd_status() {
  if is_running; then
    echo "running: data $PGDATA_DIR, socket $SOCKET_DIR, log $LOG_FILE"
    return 0
  fi
  echo "not running: data $PGDATA_DIR"
  return 3
}

cmd_url()       { echo "postgres://iop:iop@/iop?host=$SOCKET_DIR&sslmode=disable"; }
cmd_admin_url() { echo "postgres://postgres@/postgres?host=$SOCKET_DIR&sslmode=disable"; }

cmd_reset() {
  is_running || die "PostgreSQL is not running; start it with scripts/db.sh start"
  say "dropping and recreating database iop"
  admin_psql -c 'DROP DATABASE IF EXISTS iop WITH (FORCE)'
  ensure_role_and_db
}

[[ $# -eq 1 ]] || usage
case "$1" in
  start|stop|status|url|admin-url|reset) ;;
  *) usage ;;
esac

choose_dirs
case "$1" in
  url)       cmd_url; exit 0 ;;
  admin-url) cmd_admin_url; exit 0 ;;
esac

BINDIR="$(find_bindir)"
case "$1" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  reset)  cmd_reset ;;
esac
