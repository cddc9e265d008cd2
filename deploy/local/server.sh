#!/usr/bin/env bash
# Runs ONE local server in the foreground (exec, so the caller's pid is the server's):
#
#   bash deploy/local/server.sh kafka    DATA_DIR PORT CONTROLLER_PORT
#   bash deploy/local/server.sh ferretdb DATA_DIR PORT
#   bash deploy/local/server.sh redis    DATA_DIR PORT
#
# The one place that knows how each is started: infra.sh runs the shared servers through it, the
# fault suite (tools/faults) its private ones, which it kills and starts again on the same data.
# Binaries must be installed (npm run infra:up / bootstrap does that).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx768m}"
kind="${1:?usage: server.sh kafka|ferretdb|redis DATA_DIR PORT [CONTROLLER_PORT]}" data="${2:?data dir}" port="${3:?port}"
mkdir -p "$data"

case "$kind" in
  kafka)
    cport="${4:?controller port}" dir="$SM_CACHE/kafka-$KAFKA_VERSION"
    [ -f "$dir/.complete" ] || die "kafka $KAFKA_VERSION is not installed in $dir (npm run infra:up installs it)"
    mkdir -p "$data/logs"
    sed -e "s#@DATA@#$data/logs#" -e "s/@PORT@/$port/g" -e "s/@CPORT@/$cport/g" \
      "$here/kafka/server.properties" > "$data/server.properties"
    [ -s "$data/cluster.id" ] || java -cp "$dir/libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1 > "$data/cluster.id"
    java -cp "$dir/libs/*" -Dlog4j.configuration="file:$here/kafka/log4j.properties" \
      kafka.tools.StorageTool format -t "$(cat "$data/cluster.id")" -c "$data/server.properties" --ignore-formatted \
      >"$data/format.log" 2>&1 || { cat "$data/format.log" >&2; die "kafka storage format failed"; }
    # shellcheck disable=SC2086
    exec java $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true \
      -Dlog4j.configuration="file:$here/kafka/log4j.properties" -Dkafka.logs.dir="$data" \
      -cp "$dir/libs/*" kafka.Kafka "$data/server.properties"
    ;;
  ferretdb)
    # FERRETDB_BIN: another build (the benchmark compares the unpatched one)
    bin="${FERRETDB_BIN:-$SM_CACHE/ferretdb-$FERRETDB_BUILD/ferretdb}"
    [ -x "$bin" ] || die "ferretdb $FERRETDB_BUILD is not built at $bin (npm run infra:up builds it)"
    mkdir -p "$data/sqlite"
    # SQLite has one writer per database file: a long write (FerretDB deletes and updates scan the
    # collection) makes the others wait, and FerretDB's default busy_timeout of 10 s turns that wait into
    # "database is locked" errors under bulk loads. 60 s lets writers queue instead.
    # FERRETDB_EXTRA_PRAGMA: one more SQLite pragma, e.g. query_only(1), with which the fault suite
    # makes the data folder refuse every write like a full or read-only disk.
    exec "$bin" --handler=sqlite --sqlite-url="file:$data/sqlite/?_pragma=busy_timeout(60000)${FERRETDB_EXTRA_PRAGMA:+&_pragma=$FERRETDB_EXTRA_PRAGMA}" \
      --listen-addr="127.0.0.1:$port" --state-dir="$data" --telemetry=disable \
      --debug-addr=- --log-level=warn --log-format=json
    ;;
  redis)
    command -v redis-server >/dev/null || die "redis-server is not installed (npm run infra:up installs it)"
    exec redis-server --bind 127.0.0.1 --port "$port" --dir "$data" \
      --save "" --appendonly no --daemonize no --protected-mode yes
    ;;
  *) die "unknown server $kind (kafka|ferretdb|redis)" ;;
esac
