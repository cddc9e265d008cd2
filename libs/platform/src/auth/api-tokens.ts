import { createHash } from 'node:crypto';
import { ConfigurationError } from '@sozialmonitor/config';
import { DEMO_KEY_PREFIX, weakTokenReason } from '@sozialmonitor/privacy';

/** The roles of api.md "Auth"; `internal`: a service calling another's internal endpoints (exact values of any day). */
export const API_ROLES = ['ingest', 'analyst', 'admin', 'internal'] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Who a valid token stands for. Never carries the token itself. */
export interface ApiPrincipal {
  readonly name: string;
  readonly roles: readonly ApiRole[];
  /** For `ingest`: the sources the token may deliver; undefined means all. */
  readonly sources?: readonly string[];
}

/** Tokens shorter than this are refused at start: a guessable token is no protection. */
export const MIN_TOKEN_LENGTH = 16;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The configured API tokens, kept only as their SHA-256 (api.md): a heap dump or a debugger shows
 * hashes, never a usable token. Looking a presented token up by its hash also makes the comparison
 * independent of how many leading characters match.
 */
export class ApiTokenRegistry {
  private readonly byHash: ReadonlyMap<string, ApiPrincipal>;

  private constructor(byHash: Map<string, ApiPrincipal>) {
    this.byHash = byHash;
  }

  static empty(): ApiTokenRegistry {
    return new ApiTokenRegistry(new Map());
  }

  /**
   * Parses `API_TOKENS`: a JSON array of `{name, token, roles, sources?}`. A wrong entry stops the
   * service with a ConfigurationError naming the variable, the entry index and the field — never a token.
   * `production` (NODE_ENV=production) also refuses a missing list, the local scripts' tokens (names
   * starting with `demo-`) and tokens that do not look random (secret-strength.ts).
   */
  static fromJson(text: string | undefined, variable = 'API_TOKENS', options: { production?: boolean } = {}): ApiTokenRegistry {
    if (text === undefined || text.trim() === '') {
      if (options.production)
        throw new ConfigurationError([{ variable, rule: 'is required in production (every write and admin route needs a token)' }]);
      return ApiTokenRegistry.empty();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigurationError([{ variable, rule: 'must be a JSON array of {name, token, roles, sources?}' }]);
    }
    if (!Array.isArray(parsed))
      throw new ConfigurationError([{ variable, rule: 'must be a JSON array of {name, token, roles, sources?}' }]);
    const problems: { variable: string; rule: string }[] = [];
    const byHash = new Map<string, ApiPrincipal>();
    const names = new Set<string>();
    parsed.forEach((entry: unknown, index) => {
      const fail = (rule: string) => problems.push({ variable, rule: `entry ${index}: ${rule}` });
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return fail('must be an object');
      const { name, token, roles, sources } = entry as Record<string, unknown>;
      if (typeof name !== 'string' || name.trim() === '') return fail('name must be a non-empty text');
      if (names.has(name)) return fail('name appears twice');
      if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH)
        return fail(`token must be a text of at least ${MIN_TOKEN_LENGTH} characters`);
      if (options.production && name.startsWith(DEMO_KEY_PREFIX))
        return fail(`is a generated demo token (name ${DEMO_KEY_PREFIX}…); production needs real tokens`);
      const weak = options.production ? weakTokenReason(token) : undefined;
      if (weak) return fail(`token ${weak}; production needs random tokens`);
      if (
        !Array.isArray(roles) ||
        roles.length === 0 ||
        !roles.every((r) => (API_ROLES as readonly unknown[]).includes(r))
      ) {
        return fail(`roles must be a non-empty list of ${API_ROLES.join(', ')}`);
      }
      if (
        sources !== undefined &&
        (!Array.isArray(sources) || !sources.every((s) => typeof s === 'string' && s !== ''))
      ) {
        return fail('sources must be a list of source names');
      }
      const hash = sha256(token);
      if (byHash.has(hash)) return fail("token is the same as another entry's");
      names.add(name);
      byHash.set(hash, {
        name,
        roles: [...new Set(roles as ApiRole[])],
        ...(sources ? { sources: [...(sources as string[])] } : {}),
      });
    });
    if (options.production && parsed.length === 0)
      problems.push({ variable, rule: 'is required in production (every write and admin route needs a token)' });
    if (problems.length) throw new ConfigurationError(problems);
    return new ApiTokenRegistry(byHash);
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The principal of a presented token, or undefined when it is unknown. */
  principalOf(token: string): ApiPrincipal | undefined {
    return this.byHash.get(sha256(token));
  }
}
