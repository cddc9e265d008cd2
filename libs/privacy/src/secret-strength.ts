/**
 * A coarse check that a configured secret was drawn at random (docs/architecture.md "Secrets in
 * production"). It cannot prove randomness; it refuses what a person types or a placeholder holds:
 * 32 zero bytes, `aaaa…`, `0123…`, a repeated short pattern. Production (`NODE_ENV=production`)
 * refuses keys and tokens that fail it; other environments accept them (tests use fixed keys).
 *
 * Rules, for a secret of n units (bytes of a key, characters of a token):
 * - distinct units: at least min(16, n/2). 32 random bytes have ~30 distinct values, fewer than 16
 *   happens with a probability below 10^-20; a 16-character random base64 token has ~14 distinct
 *   characters, fewer than 8 practically never.
 * - distinct steps (differences of neighbours, modulo 256): the same bound, which refuses counting
 *   sequences (0,1,2,… has 32 distinct bytes but one step) and repeated patterns.
 */
export function weakSecretReason(units: ArrayLike<number>): string | undefined {
  const n = units.length;
  const bound = Math.min(16, Math.floor(n / 2));
  const values = new Set<number>();
  const steps = new Set<number>();
  for (let i = 0; i < n; i++) {
    values.add(units[i]);
    if (i > 0) steps.add((units[i] - units[i - 1] + 256) % 256);
  }
  if (values.size < bound) return `has only ${values.size} distinct values (at least ${bound} expected of a random secret)`;
  if (steps.size < bound) return `is a regular sequence (only ${steps.size} distinct steps; at least ${bound} expected)`;
  return undefined;
}

/** The same check over a text secret's characters (API tokens). */
export function weakTokenReason(token: string): string | undefined {
  return weakSecretReason(Array.from(token, (c) => c.codePointAt(0)! % 256));
}
