#!/usr/bin/env bash
# `npm test`: everything a fresh clone needs (dependencies, Kafka, FerretDB, Redis), then every test:
# unit tests, then integration tests against the real servers. Leaves the infrastructure running for
# quick re-runs (`npm run infra:down` stops it; CI does).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
bash "$here/bootstrap.sh"
set -a; source "$SM_RUN/infra.env"; set +a
export KAFKAJS_NO_PARTITIONER_WARNING=1
step "unit tests"
npx jest --selectProjects unit --ci "$@"
step "integration tests (real Kafka, FerretDB, Redis)"
npx jest --selectProjects integration --ci --runInBand "$@"
