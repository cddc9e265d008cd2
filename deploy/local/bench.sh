#!/usr/bin/env bash
# `npm run bench`: every benchmark under bench/ (files *.bench.ts), each printing its figures.
# Benchmarks that need servers start them themselves (the pipeline benchmark starts a private Kafka,
# FerretDB and Redis on free ports via tools/faults, never the shared ones); bootstrap installs the
# binaries. Pass names to run some, and options that every benchmark gets:
#   npm run bench -- engine
#   npm run bench -- --quick        # the pipeline benchmark at two small scales (< 10 min)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
bash "$here/bootstrap.sh"
set -a; source "$SM_RUN/infra.env"; set +a
export KAFKAJS_NO_PARTITIONER_WARNING=1
names=() flags=()
for a in "$@"; do if [[ "$a" == --* ]]; then flags+=("$a"); else names+=("$a"); fi; done
# --quick without names: only the pipeline benchmark (the others are sized for a quiet machine)
if [ ${#names[@]} -eq 0 ] && [[ " ${flags[*]-} " == *" --quick "* ]]; then names=(pipeline); fi
shopt -s nullglob
for file in bench/*.bench.ts apps/*/bench/*.bench.ts; do
  name="$(basename "$file" .bench.ts)"
  if [ ${#names[@]} -gt 0 ] && [[ " ${names[*]} " != *" $name "* ]]; then continue; fi
  step "benchmark $name ($file)"
  node --expose-gc tools/run-ts.js "$file" ${flags[@]+"${flags[@]}"}
done
