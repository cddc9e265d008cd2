#!/usr/bin/env bash
# Makes a fresh clone runnable: node_modules in step with package-lock.json (npm ci only when the lock
# changed since the last install), then the local infrastructure. Quick when everything is there.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
cd "$SM_ROOT"

node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (found $(node -v))"

lock_hash="$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat node_modules/.sm-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  step "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.sm-lock-hash
fi

# Debian's Chromium for the dashboard's end-to-end test (playwright-core drives it; no browser is ever
# downloaded by playwright). CHROMIUM_PATH points to another one.
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing chromium (apt) for the dashboard test"
    { apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }; } \
      || warn "apt-get could not install chromium: the dashboard test will fail (set CHROMIUM_PATH)"
  else
    warn "chromium is missing: run 'apt-get install -y chromium' as root (the dashboard test needs it) or set CHROMIUM_PATH"
  fi
fi

[ "${SKIP_INFRA:-}" = 1 ] || bash "$here/infra.sh" up
