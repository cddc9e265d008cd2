# Shared helpers of the local scripts: pid files, port checks, waiting. Sourced, not run.
SM_ROOT="${SM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SM_LOCAL="${SM_LOCAL:-$SM_ROOT/.local}"
SM_CACHE="${SM_CACHE:-$SM_LOCAL/cache}"
SM_RUN="${SM_RUN:-$SM_LOCAL/run}"
SM_PIDS="$SM_RUN/pids"
mkdir -p "$SM_PIDS"

step() { printf '\033[36m▸\033[0m %s\n' "$*"; }
ok()   { printf '\033[32m✔\033[0m %s\n' "$*"; }
warn() { printf '\033[33m!\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[31m✘ %s\033[0m\n' "$*" >&2; exit 1; }

pidof_ours() { cat "$SM_PIDS/$1.pid" 2>/dev/null || true; }
# A pid file counts only while that pid still runs what we started (pids get reused): the
# process's command line must still contain the marker recorded at start.
alive() {
  local pid marker; pid="$(pidof_ours "$1")"; marker="$(cat "$SM_PIDS/$1.marker" 2>/dev/null)"
  [ -n "$pid" ] && [ -n "$marker" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free_or_die() {
  if port_open "$1"; then die "port $1 ($2) is taken by a process these scripts did not start; stop it or set the port variable (see .env.example)"; fi
}
# start_bg NAME MARKER LOGFILE CMD… : detached (own session) so a terminal's Ctrl-C does not reach
# it. MARKER is a string its command line keeps for life (redis rewrites its argv, for example).
start_bg() {
  local name="$1" marker="$2" log="$3"; shift 3
  mkdir -p "$(dirname "$log")"
  setsid nohup "$@" >>"$log" 2>&1 < /dev/null &
  echo "$!" > "$SM_PIDS/$name.pid"
  echo "$marker" > "$SM_PIDS/$name.marker"
}
# wait_for NAME SECONDS CHECK… : polls CHECK until it succeeds; fails early when the process died.
wait_for() {
  local name="$1" secs="$2"; shift 2
  local end=$(( $(date +%s) + secs ))
  until "$@"; do
    # kill -0, not alive(): while starting, a process may not show its marker yet (redis rewrites its title).
    if ! kill -0 "$(pidof_ours "$name")" 2>/dev/null; then die "$name exited while starting; see its log under $SM_RUN"; fi
    [ "$(date +%s)" -lt "$end" ] || die "$name did not become ready within ${secs}s"
    sleep 0.5
  done
}
stop_ours() {
  local name="$1" pid
  pid="$(pidof_ours "$name")"
  if [ -z "$pid" ]; then return 0; fi
  if alive "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then warn "$name did not stop in 10s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    ok "stopped $name (pid $pid)"
  fi
  rm -f "$SM_PIDS/$name.pid" "$SM_PIDS/$name.marker"
}

# The servers' versions, one home for infra.sh (installs and starts the shared ones) and server.sh
# (starts any, the fault suite's and the benchmark's private ones too).
KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
# The build of FerretDB this checkout runs: the version plus our patch level (a new patch, a new folder).
FERRETDB_BUILD="${FERRETDB_BUILD:-$FERRETDB_VERSION-sm2}"
