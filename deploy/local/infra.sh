#!/usr/bin/env bash
# Real infrastructure without Docker, on 127.0.0.1: Apache Kafka (KRaft, jars from Maven Central),
# FerretDB v1 (MongoDB wire protocol, SQLite backend, built from the Go module proxy) and Redis
# (Debian's redis-server). Idempotent: `up` twice is a quick no-op; `down` stops exactly the
# processes whose pids `up` recorded, nothing else.
#
# `up` also installs Debian's prometheus package (promtool tests the alert rules); `monitoring-up`
# starts Prometheus over the local stack (stack.sh does), `down` stops it with the rest.
#
#   bash deploy/local/infra.sh up|monitoring-up|down|status|env
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${MONGO_PORT:-27017}"
REDIS_PORT="${REDIS_PORT:-6379}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.1}"
export KAFKA_VERSION FERRETDB_VERSION FERRETDB_BUILD KAFKA_HEAP  # for server.sh

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
  local bin="$cache/ferretdb-$FERRETDB_BUILD/ferretdb"
  if [ -x "$bin" ]; then return; fi
  step "building FerretDB $FERRETDB_BUILD from the Go module proxy (first time only, ~2 min)"
  # `go install …@v1.24.2` builds a binary that panics at start: the module ships an empty
  # build/version/version.txt. So build from a writable copy of the module with the version filled in.
  local src build="$cache/ferretdb-$FERRETDB_BUILD/src"
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
  rm -rf "$build"; mkdir -p "$(dirname "$build")"; cp -r "$src" "$build"; chmod -R u+w "$build"
  echo "$FERRETDB_VERSION" > "$build/build/version/version.txt"
  # Patch sm1: the SQLite backend filters by `_ferretdb_sjson->'$._id'` while the unique _id index is on
  # `_ferretdb_sjson->"_id"`; SQLite uses an expression index only for the identical expression, so every
  # find/update/delete by _id scanned the table. Query with the indexed expression (same value).
  local meta="$build/internal/backends/sqlite/metadata/metadata.go"
  sed -i "s|IDColumn = DefaultColumn + \"->'\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$meta"
  grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$meta" || die "the _id index patch of FerretDB did not apply"
  # Patch sm2: `{_id: {$in: [...]}}` is answered through the same index in one query (ingestion looks up
  # the versions of a batch's re-sent records with it) instead of scanning the table.
  (cd "$build" && patch -p1 --forward --quiet < "$here/ferretdb/sm2-id-in.patch") || die "the _id \$in patch of FerretDB did not apply"
  grep -q 'func idInClause' "$build/internal/backends/sqlite/collection.go" || die "the _id \$in patch of FerretDB did not apply"
  (cd "$build" && CGO_ENABLED=0 go build -trimpath -o "$bin" ./cmd/ferretdb) || die "go build of FerretDB failed"
  rm -rf "$build"
}

ferretdb_up() {
  local data="$run/ferretdb"
  ferretdb_install  # also when running: private servers (server.sh) need this build
  if alive ferretdb && port_open "$MONGO_PORT"; then ok "ferretdb already running (pid $(pidof_ours ferretdb))"; return; fi
  port_free_or_die "$MONGO_PORT" ferretdb
  step "starting ferretdb on 127.0.0.1:$MONGO_PORT"
  start_bg ferretdb ferretdb "$data/ferretdb.log" bash "$here/server.sh" ferretdb "$data" "$MONGO_PORT"
  wait_for ferretdb 60 port_open "$MONGO_PORT"
  ok "ferretdb ready"
}

# ---------- Redis ----------
# apt_install PACKAGE : Debian's package, once (we must be root, as on CI and these machines).
apt_install() {
  step "installing $1 with apt (first time only)"
  if [ "$(id -u)" -ne 0 ]; then die "$1 is missing and we are not root: apt-get install $1"; fi
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1") >"$cache/apt-$1.log" 2>&1 \
    || { tail -20 "$cache/apt-$1.log"; die "apt-get install $1 failed"; }
}

redis_install() {
  command -v redis-server >/dev/null || apt_install redis-server
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

# ---------- Prometheus (monitoring of the local stack; promtool for the alert rules' tests) ----------
prometheus_install() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null || apt_install prometheus
}

# Scrapes the four services on the ports stack.sh uses (their variables, else the defaults) and
# evaluates deploy/monitoring/prometheus/alerts.yml. Started by `stack.sh up` after the services.
prometheus_up() {
  local data="$run/prometheus"
  if alive prometheus && port_open "$PROMETHEUS_PORT"; then ok "prometheus already running (pid $(pidof_ours prometheus))"; return; fi
  port_free_or_die "$PROMETHEUS_PORT" prometheus
  prometheus_install
  mkdir -p "$data/tsdb"
  sed -e "s#@RULES@#$root/deploy/monitoring/prometheus/alerts.yml#" \
    -e "s/@INGESTION_PORT@/${INGESTION_PORT:-3001}/" -e "s/@ANONYMIZATION_PORT@/${ANONYMIZATION_PORT:-3002}/" \
    -e "s/@KPI_CALCULATION_PORT@/${KPI_CALCULATION_PORT:-3003}/" -e "s/@PUBLICATION_PORT@/${PUBLICATION_PORT:-3000}/" \
    "$here/prometheus.yml" > "$data/prometheus.yml"
  step "starting prometheus on 127.0.0.1:$PROMETHEUS_PORT"
  start_bg prometheus "$data/prometheus.yml" "$data/prometheus.log" prometheus \
    --config.file="$data/prometheus.yml" --storage.tsdb.path="$data/tsdb" --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle
  wait_for prometheus 60 prometheus_ready
  ok "prometheus ready: http://127.0.0.1:$PROMETHEUS_PORT/alerts"
}
prometheus_ready() { curl -fs -o /dev/null "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"; }

# ---------- kustomize (renders deploy/k8s in its unit test) ----------
kustomize_install() {
  local dir="$cache/kustomize-$KUSTOMIZE_VERSION"
  if [ -x "$dir/kustomize" ]; then return; fi
  step "building kustomize $KUSTOMIZE_VERSION from the Go module proxy (first time only)"
  mkdir -p "$dir"
  GOBIN="$dir" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" >"$dir/build.log" 2>&1 \
    || { tail -20 "$dir/build.log"; die "go install of kustomize failed (log: $dir/build.log)"; }
}

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
    prometheus_install
    kustomize_install
    ferretdb_up
    kafka_up
    write_env
    ok "infrastructure up in $(( $(date +%s) - t0 ))s; addresses in $SM_RUN/infra.env:"
    sed 's/^/    /' "$SM_RUN/infra.env"
    ;;
  monitoring-up) prometheus_up ;;
  down)
    for s in prometheus kafka ferretdb redis; do stop_ours "$s"; done
    ;;
  status)
    rc=0
    for s in kafka ferretdb redis; do
      if alive "$s"; then echo "$s: running (pid $(pidof_ours "$s"))"; else echo "$s: stopped"; rc=3; fi
    done
    # optional: only stack.sh starts it
    if alive prometheus; then echo "prometheus: running (pid $(pidof_ours prometheus))"; else echo "prometheus: stopped"; fi
    exit $rc
    ;;
  env) cat "$SM_RUN/infra.env" ;;
  clean)
    for s in prometheus kafka ferretdb redis; do stop_ours "$s"; done
    rm -rf "$run"; ok "removed data of this checkout's servers ($run)"
    ;;
  *) echo "usage: $0 up|monitoring-up|down|status|env|clean" >&2; exit 2 ;;
esac
