#!/usr/bin/env bash
# `npm run demo`: starts the whole system and shows where it answers. (The full demo with generated
# county data and a report comes with the demo issue.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
bash "$here/stack.sh" up
cat <<TXT

Sozialmonitor runs on this machine:
  publication API   http://127.0.0.1:${PUBLICATION_PORT:-3000}/api/v1/indicators   (docs: /api/docs)
  ingestion API     http://127.0.0.1:${INGESTION_PORT:-3001}/api/v1/sources       (docs: /api/docs)
  anonymization     http://127.0.0.1:${ANONYMIZATION_PORT:-3002}/health/ready
  kpi-calculation   http://127.0.0.1:${KPI_CALCULATION_PORT:-3003}/health/ready
  tokens and keys   $SM_RUN/demo-secrets.env (throwaway)
  logs              $SM_RUN/logs/
Stop everything with: npm run stack:down
TXT
