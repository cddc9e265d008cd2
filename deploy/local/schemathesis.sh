#!/usr/bin/env bash
# Installs the pinned Schemathesis into a cached virtual environment (.local/cache/schemathesis-<version>)
# and prints the path of its `st` executable. Quick when it is there. Used by the OpenAPI conformance
# test (test/contract/openapi-conformance.int-spec.ts); CI starts on a fresh machine, so this script,
# not a hand install, provides it. Needs python3 with venv (installed with apt when missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
SCHEMATHESIS_VERSION=4.32.5
# The physical path: a venv's scripts name their python by absolute path, and a cache reached through a
# symlink (a git worktree's .local) would bake in a path that disappears with that worktree.
mkdir -p "$SM_CACHE"
venv="$(cd "$SM_CACHE" && pwd -P)/schemathesis-$SCHEMATHESIS_VERSION"
# A marker written last: an install cut off half-way is redone, not used; so is one that no longer runs.
if [ -f "$venv/.complete" ] && ! "$venv/bin/st" --version >/dev/null 2>&1; then rm -f "$venv/.complete"; fi
if [ ! -f "$venv/.complete" ]; then
  command -v python3 >/dev/null || { apt-get install -y python3 >&2 || die "python3 is needed for Schemathesis"; }
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    apt-get install -y python3-venv >&2 || die "python3-venv is needed for Schemathesis (apt-get install python3-venv)"
  fi
  step "installing schemathesis $SCHEMATHESIS_VERSION into $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/st"
