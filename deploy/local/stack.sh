#!/usr/bin/env bash
# The whole system on this machine: infrastructure plus the four services as background processes,
# each waited for until /health/ready answers 200. Logs in .local/run/logs/<service>.log.
#
#   bash deploy/local/stack.sh up|down|status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"

declare -A PORTS=([ingestion]="${INGESTION_PORT:-3001}" [anonymization]="${ANONYMIZATION_PORT:-3002}" [kpi-calculation]="${KPI_CALCULATION_PORT:-3003}" [publication]="${PUBLICATION_PORT:-3000}")
APPS=(anonymization kpi-calculation publication ingestion)

service_env() {
  # Generated values first, then the infrastructure's addresses, then whatever the caller set (wins).
  local vars=()
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    local key="${line%%=*}"
    [ -n "${!key:-}" ] || vars+=("$line")
  done < <(cat "$SM_RUN/demo-secrets.env" "$SM_RUN/infra.env")
  printf '%s\n' "${vars[@]}"
}

# Each service owns its database (no service reads another's collections). On FerretDB/SQLite a
# database is a file of its own, so the services' writes do not queue behind each other.
service_mongo_url() {
  local base="${MONGO_URL:-$(grep '^MONGO_URL=' "$SM_RUN/infra.env" | cut -d= -f2-)}"
  if [ -n "${MONGO_URL:-}" ]; then echo "$MONGO_URL"; return; fi
  echo "${base%/*}/sozialmonitor_${1//-/_}"
}

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/health/ready"; }

up() {
  bash "$here/bootstrap.sh"
  bash "$here/secrets.sh"
  bash "$here/build.sh"
  mkdir -p "$SM_RUN/logs"
  mapfile -t extra < <(service_env)
  for app in "${APPS[@]}"; do
    local port="${PORTS[$app]}"
    if alive "svc-$app" && ready "$port"; then ok "$app already running on :$port"; continue; fi
    port_free_or_die "$port" "$app"
    step "starting $app on 127.0.0.1:$port"
    # Keys and tokens reach the service through its environment, never as arguments (`env K=V …`
    # would show them in ps): exported in a subshell that only starts the service.
    # The service's database is chosen before the shared variables are exported: service_mongo_url keeps
    # a MONGO_URL that is already set (an operator's choice), and infra.env's would be one by then.
    local mongo_url
    mongo_url="$(service_mongo_url "$app")"
    (
      for line in "${extra[@]}"; do export "$line"; done
      export HOST="${HOST:-127.0.0.1}" KPI_CALCULATION_URL="${KPI_CALCULATION_URL:-http://127.0.0.1:${PORTS[kpi-calculation]}}"
      export MONGO_URL="$mongo_url"
      # The service's Node options as in every deployment (deploy/node-options.json; docs/performance.md
      # "Ingestion's memory"): without a container limit V8 sizes its heap from the machine's memory.
      # A NODE_OPTIONS the caller set wins, like the other variables.
      local node_options
      node_options="$(node -p "require('./deploy/node-options.json')['$app'] ?? ''")"
      if [ -z "${NODE_OPTIONS:-}" ] && [ -n "$node_options" ]; then export NODE_OPTIONS="$node_options"; fi
      start_bg "svc-$app" "dist/apps/$app/main.js" "$SM_RUN/logs/$app.log" node --enable-source-maps "dist/apps/$app/main.js"
    )
  done
  for app in "${APPS[@]}"; do
    wait_for "svc-$app" 120 ready "${PORTS[$app]}"
    ok "$app ready: http://127.0.0.1:${PORTS[$app]}/health/ready"
  done
  INGESTION_PORT="${PORTS[ingestion]}" ANONYMIZATION_PORT="${PORTS[anonymization]}" \
    KPI_CALCULATION_PORT="${PORTS[kpi-calculation]}" PUBLICATION_PORT="${PORTS[publication]}" \
    bash "$here/infra.sh" monitoring-up
}

down() {
  for app in ingestion publication kpi-calculation anonymization; do stop_ours "svc-$app"; done
  bash "$here/infra.sh" down
}

status() {
  for app in "${APPS[@]}"; do
    if alive "svc-$app"; then
      if ready "${PORTS[$app]}"; then echo "$app: ready on :${PORTS[$app]}"; else echo "$app: running, not ready"; fi
    else echo "$app: stopped"; fi
  done
  bash "$here/infra.sh" status || true
}

case "${1:-status}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
