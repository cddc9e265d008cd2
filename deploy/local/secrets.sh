#!/usr/bin/env bash
# Throwaway keys and tokens for local runs and the demo, written once to .local/run/demo-secrets.env.
# A variable already set in the environment always wins over a generated one. Production refuses
# keys whose id starts with "demo-".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
file="$SM_RUN/demo-secrets.env"
if [ ! -f "$file" ]; then
  node -e '
    const c = require("crypto");
    const k = () => c.randomBytes(32).toString("base64");
    const t = () => c.randomBytes(24).toString("base64url");
    const tokens = [
      { name: "demo-ingest", token: t(), roles: ["ingest"] },
      { name: "demo-analyst", token: t(), roles: ["analyst"] },
      { name: "demo-admin", token: t(), roles: ["admin", "ingest", "analyst"] },
      { name: "demo-internal", token: t(), roles: ["internal"] },
    ];
    console.log(`RAW_ENCRYPTION_KEYS=demo-raw-1:${k()}`);
    console.log(`PSEUDONYM_KEYS=demo-pseudo-1:${k()}`);
    console.log(`API_TOKENS=${JSON.stringify(tokens)}`);
    console.log(`KPI_CALCULATION_TOKEN=${tokens[3].token}`);
  ' > "$file"
  chmod 600 "$file"
  printf '\033[33m!\033[0m %s\n' "GENERATED THROWAWAY KEYS AND TOKENS for local use in $file — never use them in production" >&2
elif ! grep -q '^KPI_CALCULATION_TOKEN=' "$file"; then
  # secrets generated before kpi-calculation's endpoint needed the role `internal`: add such a token
  node -e '
    const fs = require("fs"), file = process.argv[1];
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    const i = lines.findIndex((l) => l.startsWith("API_TOKENS="));
    const tokens = JSON.parse(lines[i].slice("API_TOKENS=".length));
    const token = require("crypto").randomBytes(24).toString("base64url");
    tokens.push({ name: "demo-internal", token, roles: ["internal"] });
    lines[i] = `API_TOKENS=${JSON.stringify(tokens)}`;
    lines.push(`KPI_CALCULATION_TOKEN=${token}`);
    fs.writeFileSync(file, lines.join("\n") + "\n", { mode: 0o600 });
  ' "$file"
fi
