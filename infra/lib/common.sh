# Shared shell helpers for infra/* launchers (sourced, never executed).
# Why: every launcher needs the same cache/run layout, logging and port probes, and the
# layout is a contract with infra/testing (TypeScript) and the docs in infra/README.md.
# shellcheck shell=bash disable=SC2034 # CRUCIBLE_* are used by the scripts that source this

CRUCIBLE_CACHE_DIR="${CRUCIBLE_CACHE_DIR:-$HOME/.cache/crucible}"
CRUCIBLE_RUN_DIR="${CRUCIBLE_RUN_DIR:-$CRUCIBLE_CACHE_DIR/run}"
CRUCIBLE_INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Progress and diagnostics go to stderr so that stdout stays machine-readable
# (the last stdout line of `up` is the connection string callers parse).
log() { printf '[%s] %s\n' "${CRUCIBLE_LOG_TAG:-infra}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

now_ms() { date +%s%3N; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# pid_alive PIDFILE [CMDLINE_WORD]: true when the file names a live process (whose command
# line contains CMDLINE_WORD, if given, so a pid recycled after a reboot is not mistaken
# for ours); prints the pid.
pid_alive() {
  local pidfile="$1" word="${2:-}" pid
  [[ -s "$pidfile" ]] || return 1
  pid="$(<"$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -n "$word" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$word" || return 1
  fi
  printf '%s\n' "$pid"
}

# wait_for_port HOST PORT TIMEOUT_S PIDFILE LOGFILE [CMDLINE_WORD]: wait until the port
# accepts connections; fail early (with the log tail) if the process behind PIDFILE dies.
wait_for_port() {
  local host="$1" port="$2" timeout_s="$3" pidfile="$4" logfile="$5" word="${6:-}"
  local deadline=$(( $(date +%s) + timeout_s ))
  until port_open "$host" "$port"; do
    if ! pid_alive "$pidfile" "$word" >/dev/null; then
      log "process exited before listening on $host:$port; last lines of $logfile:"
      tail -n 40 "$logfile" >&2 || true
      return 1
    fi
    if (( $(date +%s) >= deadline )); then
      log "timed out after ${timeout_s}s waiting for $host:$port; see $logfile"
      return 1
    fi
    sleep 0.2
  done
}

# stop_pid PIDFILE NAME TIMEOUT_S [CMDLINE_WORD]: SIGTERM, wait, then SIGKILL; removes the
# pidfile.
stop_pid() {
  local pidfile="$1" name="$2" timeout_s="$3" word="${4:-}" pid
  if ! pid="$(pid_alive "$pidfile" "$word")"; then
    log "$name is not running"
    rm -f "$pidfile"
    return 0
  fi
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(( $(date +%s) + timeout_s ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( $(date +%s) >= deadline )); then
      log "$name did not stop within ${timeout_s}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name stopped"
}

# with_lock FILE: serialise concurrent launchers (parallel test projects call `up` together).
with_lock() {
  local lockfile="$1"
  mkdir -p "$(dirname "$lockfile")"
  exec 9>"$lockfile"
  flock 9
}

# apt_install PKG...: install Debian packages once; runs `apt-get update` only if needed.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  (( ${#missing[@]} == 0 )) && return 0
  [[ "$(id -u)" == 0 ]] || die "need root to apt-get install ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    apt-get update >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
}
