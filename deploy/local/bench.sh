#!/usr/bin/env bash
# `npm run bench`: every benchmark under bench/ (files *.bench.ts), each printing its figures.
# Benchmarks that need servers start them (infra) themselves via bootstrap. Pass a name to run one:
#   npm run bench -- engine
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
bash "$here/bootstrap.sh"
set -a; source "$SM_RUN/infra.env"; set +a
export KAFKAJS_NO_PARTITIONER_WARNING=1
shopt -s nullglob
for file in bench/*.bench.ts apps/*/bench/*.bench.ts; do
  name="$(basename "$file" .bench.ts)"
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  step "benchmark $name ($file)"
  node --expose-gc tools/run-ts.js "$file"
done
