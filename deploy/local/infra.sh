#!/usr/bin/env bash
# Real infrastructure without Docker, on 127.0.0.1: Apache Kafka (KRaft, jars from Maven Central),
# FerretDB v1 (MongoDB wire protocol, SQLite backend, built from the Go module proxy) and Redis
# (Debian's redis-server). Idempotent: `up` twice is a quick no-op; `down` stops exactly the
# processes whose pids `up` recorded, nothing else.
#
#   bash deploy/local/infra.sh up|down|status|env
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
export KAFKA_VERSION FERRETDB_VERSION KAFKA_HEAP  # for server.sh

cache="$SM_CACHE"      # downloads and builds (kept across `down`)
run="$SM_RUN/infra"    # data, logs and pids of this checkout's servers
mkdir -p "$cache" "$run"

# ---------- Kafka ----------
kafka_install() {
  local dir="$cache/kafka-$KAFKA_VERSION"
  if [ -f "$dir/.complete" ]; then return; fi
  step "installing Apache Kafka $KAFKA_VERSION from Maven Central (first time only)"
  mkdir -p "$dir"
  sed "s/@KAFKA_VERSION@/$KAFKA_VERSION/" "$here/kafka/pom.xml" > "$dir/pom.xml"
  (cd "$dir" && mvn -q -B -f pom.xml dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$dir/libs") >"$dir/maven.log" 2>&1 || { tail -20 "$dir/maven.log"; die "maven could not fetch kafka_2.13:$KAFKA_VERSION (log: $dir/maven.log)"; }
  touch "$dir/.complete"
}

kafka_up() {
  local data="$run/kafka"
  if alive kafka && port_open "$KAFKA_PORT"; then ok "kafka already running (pid $(pidof_ours kafka))"; return; fi
  port_free_or_die "$KAFKA_PORT" kafka
  port_free_or_die "$KAFKA_CONTROLLER_PORT" kafka-controller
  kafka_install
  step "starting kafka on 127.0.0.1:$KAFKA_PORT"
  start_bg kafka kafka.Kafka "$data/kafka.log" bash "$here/server.sh" kafka "$data" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
  wait_for kafka 120 kafka_ready
  ok "kafka ready"
}
kafka_ready() { port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$run/kafka/kafka.log" 2>/dev/null; }

# ---------- FerretDB ----------
ferretdb_install() {
  local bin="$cache/ferretdb-$FERRETDB_VERSION/ferretdb"
  if [ -x "$bin" ]; then return; fi
  step "building FerretDB $FERRETDB_VERSION from the Go module proxy (first time only, ~2 min)"
  # `go install …@v1.24.2` builds a binary that panics at start: the module ships an empty
  # build/version/version.txt. So build from a writable copy of the module with the version filled in.
  local src build="$cache/ferretdb-$FERRETDB_VERSION/src"
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  rm -rf "$build"; mkdir -p "$(dirname "$build")"; cp -r "$src" "$build"; chmod -R u+w "$build"
  echo "$FERRETDB_VERSION" > "$build/build/version/version.txt"
  (cd "$build" && CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/ferretdb) || die "go build of FerretDB failed"
  rm -rf "$build"
}

ferretdb_up() {
  local data="$run/ferretdb"
  if alive ferretdb && port_open "$MONGO_PORT"; then ok "ferretdb already running (pid $(pidof_ours ferretdb))"; return; fi
  port_free_or_die "$MONGO_PORT" ferretdb
  ferretdb_install
  step "starting ferretdb on 127.0.0.1:$MONGO_PORT"
  start_bg ferretdb ferretdb "$data/ferretdb.log" bash "$here/server.sh" ferretdb "$data" "$MONGO_PORT"
  wait_for ferretdb 60 port_open "$MONGO_PORT"
  ok "ferretdb ready"
}

# ---------- Redis ----------
redis_install() {
  command -v redis-server >/dev/null && return
  step "installing redis-server with apt (first time only)"
  if [ "$(id -u)" -ne 0 ]; then die "redis-server is missing and we are not root: apt-get install redis-server"; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >"$cache/apt-redis.log" 2>&1 \
    || { tail -20 "$cache/apt-redis.log"; die "apt-get install redis-server failed"; }
}

redis_up() {
  local data="$run/redis"
  if alive redis && port_open "$REDIS_PORT"; then ok "redis already running (pid $(pidof_ours redis))"; return; fi
  port_free_or_die "$REDIS_PORT" redis
  redis_install
  step "starting redis on 127.0.0.1:$REDIS_PORT"
  start_bg redis "127.0.0.1:$REDIS_PORT" "$data/redis.log" bash "$here/server.sh" redis "$data" "$REDIS_PORT"
  wait_for redis 30 redis_ready
  ok "redis ready"
}
redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

write_env() {
  cat > "$SM_RUN/infra.env" <<ENV
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT/sozialmonitor
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
ENV
}

case "${1:-status}" in
  up)
    t0=$(date +%s)
    command -v java >/dev/null || die "java (17+) is needed for Kafka"
    command -v go >/dev/null || die "go is needed to build FerretDB"
    # Kafka's JVM start and FerretDB's build overlap; Redis is quick.
    redis_up
    ferretdb_up
    kafka_up
    write_env
    ok "infrastructure up in $(( $(date +%s) - t0 ))s; addresses in $SM_RUN/infra.env:"
    sed 's/^/    /' "$SM_RUN/infra.env"
    ;;
  down)
    for s in kafka ferretdb redis; do stop_ours "$s"; done
    ;;
  status)
    rc=0
    for s in kafka ferretdb redis; do
      if alive "$s"; then echo "$s: running (pid $(pidof_ours "$s"))"; else echo "$s: stopped"; rc=3; fi
    done
    exit $rc
    ;;
  env) cat "$SM_RUN/infra.env" ;;
  clean)
    for s in kafka ferretdb redis; do stop_ours "$s"; done
    rm -rf "$run"; ok "removed data of this checkout's servers ($run)"
    ;;
  *) echo "usage: $0 up|down|status|env|clean" >&2; exit 2 ;;
esac
