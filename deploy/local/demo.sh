#!/usr/bin/env bash
# `npm run demo`: installs and starts everything, generates a synthetic Kreis Pinneberg (DEMO_SCALE,
# default 0.1 ≈ 32,000 inhabitants), delivers it through the ingestion API, waits until the published
# values settle and prints a report. The stack keeps running afterwards.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
# kpi-calculation holds recomputation back while its lake consumer lags, so a backlog is computed once.
# Where it keeps up with ingestion and anonymization, the demo's deliveries reach the lake with short
# pauses instead; 2 s of quiet bridge them, so that values are published about once rather than after
# every pause. The report needs no intermediate values: rounds wait for a lagging consumer up to
# 10 minutes instead of 1.
RECOMPUTE_DELAY_MS="${RECOMPUTE_DELAY_MS:-2000}" RECOMPUTE_MAX_DEFER_MS="${RECOMPUTE_MAX_DEFER_MS:-600000}" \
  bash "$here/stack.sh" up
set -a; source "$SM_RUN/infra.env"; set +a
export KAFKAJS_NO_PARTITIONER_WARNING=1
node tools/run-ts.js tools/demo/src/demo.ts "$@"
cat <<TXT

Sozialmonitor keeps running on this machine:
  dashboard         http://127.0.0.1:${PUBLICATION_PORT:-3000}/   (map, trends, profiles, downloads)
  publication API   http://127.0.0.1:${PUBLICATION_PORT:-3000}/api/v1/indicators   (docs: /api/docs)
  ingestion API     http://127.0.0.1:${INGESTION_PORT:-3001}/api/v1/sources       (docs: /api/docs)
  anonymization     http://127.0.0.1:${ANONYMIZATION_PORT:-3002}/health/ready
  kpi-calculation   http://127.0.0.1:${KPI_CALCULATION_PORT:-3003}/health/ready
  admin CLI         npm run admin -- --help
  tokens and keys   $SM_RUN/demo-secrets.env (throwaway, generated for this machine)
  logs              $SM_RUN/logs/
Stop everything with: npm run stack:down
TXT
printf '\nDashboard: http://127.0.0.1:%s/\n' "${PUBLICATION_PORT:-3000}"
