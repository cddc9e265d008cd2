#!/usr/bin/env bash
# Builds the four services (webpack bundles in dist/apps/<app>/main.js) and the dashboard publication
# serves at / (Vite, dist/apps/publication/web) when their sources changed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"
APPS=(ingestion anonymization kpi-calculation publication)
sources_hash="$( (find apps libs -type f \( -name '*.ts' -o -name '*.json' -o -name '*.html' -o -name '*.css' -o -name '*.geojson' \) ! -name '*.spec.ts' ! -name '*.int-spec.ts' -print0 | sort -z | xargs -0 sha256sum; sha256sum package-lock.json nest-cli.json tsconfig*.json) | sha256sum | cut -c1-16)"
stamp="$SM_RUN/build.hash"
if [ "$(cat "$stamp" 2>/dev/null)" = "$sources_hash" ] && for a in "${APPS[@]}"; do [ -f "dist/apps/$a/main.js" ] || exit 1; done && [ -f dist/apps/publication/web/index.html ]; then
  ok "services already built"
  exit 0
fi
for a in "${APPS[@]}"; do
  step "building $a"
  npx nest build "$a" >"$SM_RUN/build-$a.log" 2>&1 || { tail -30 "$SM_RUN/build-$a.log"; die "build of $a failed (log: $SM_RUN/build-$a.log)"; }
done
step "building the dashboard (publication, /)"
npx vite build --config apps/publication/web/vite.config.ts >"$SM_RUN/build-web.log" 2>&1 || { tail -30 "$SM_RUN/build-web.log"; die "build of the dashboard failed (log: $SM_RUN/build-web.log)"; }
echo "$sources_hash" > "$stamp"
ok "services built"
