#!/usr/bin/env bash
# Builds the four services (webpack bundles in dist/apps/<app>/main.js) when their sources changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
APPS=(ingestion anonymization kpi-calculation publication)
sources_hash="$( (find apps libs -type f \( -name '*.ts' -o -name '*.json' \) ! -name '*.spec.ts' ! -name '*.int-spec.ts' -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json nest-cli.json tsconfig*.json) | sha256sum | cut -c1-16)"
stamp="$SM_RUN/build.hash"
if [ "$(cat "$stamp" 2>/dev/null)" = "$sources_hash" ] && for a in "${APPS[@]}"; do [ -f "dist/apps/$a/main.js" ] || exit 1; done; then
  ok "services already built"
  exit 0
fi
for a in "${APPS[@]}"; do
  step "building $a"
  npx nest build "$a" >"$SM_RUN/build-$a.log" 2>&1 || { tail -30 "$SM_RUN/build-$a.log"; die "build of $a failed (log: $SM_RUN/build-$a.log)"; }
done
echo "$sources_hash" > "$stamp"
ok "services built"
