#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs (dependencies, Kafka, FerretDB, Redis), then the lint, then
# every test: unit tests, then integration tests against the real servers, then the fast subset of the fault
# suite (tools/faults, on servers of its own; SKIP_FAULTS=1 leaves it out). Leaves the infrastructure running for
# quick re-runs (`npm run infra:down` stops it; CI does). Extra arguments go to jest.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
bash "$here/bootstrap.sh" || exit 1
# The lint (eslint with type-aware rules, dependency-cruiser's layer rules, tsc) comes first: a layer
# violation or a floating promise fails the run before any test starts.
step "lint (eslint, dependency-cruiser, tsc)"
npm run lint || exit 1
set -a; source "$SM_RUN/infra.env"; set +a
export KAFKAJS_NO_PARTITIONER_WARNING=1
results="$SM_RUN/test-results"; mkdir -p "$results"; rm -f "$results"/*.json
step "unit tests"
npx jest --selectProjects unit --ci --json --outputFile="$results/unit.json" "$@"; unit=$?
step "integration tests (real Kafka, FerretDB, Redis)"
npx jest --selectProjects integration --ci --runInBand --json --outputFile="$results/integration.json" "$@"; integration=$?
faults=0
if [ "${SKIP_FAULTS:-}" != 1 ]; then
  step "fault suite, fast subset (private Kafka, FerretDB, Redis; npm run test:faults -- --all runs every scenario)"
  node tools/run-ts.js tools/faults/src/cli.ts; faults=$?
fi
# One closing line over both runs, e.g. "412 passed, 0 failed".
node -e '
  const fs = require("fs"); let p = 0, f = 0;
  for (const n of ["unit", "integration"]) {
    try { const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + n + ".json", "utf8")); p += r.numPassedTests; f += r.numFailedTests + r.numRuntimeErrorTestSuites; } catch { f += 1; }
  }
  console.log(`${p} passed, ${f} failed`);
' "$results"
[ "$faults" -eq 0 ] || echo "fault suite failed (its table above)"
[ "$unit" -eq 0 ] && [ "$integration" -eq 0 ] && [ "$faults" -eq 0 ]
