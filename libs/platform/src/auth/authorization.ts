import { problem } from '../problem-details.filter';
import type { ApiPrincipal, ApiRole, ApiTokenRegistry } from './api-tokens';

/** What a request's `Authorization` header amounts to. */
export type Authentication =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'principal'; readonly principal: ApiPrincipal };

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/** Reads `Authorization: Bearer <token>`; a header in another form counts as an invalid credential. */
export function authenticate(registry: ApiTokenRegistry, authorization: string | string[] | undefined): Authentication {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  if (header === undefined || header.trim() === '') return { kind: 'anonymous' };
  const match = BEARER.exec(header.trim());
  if (!match) return { kind: 'invalid' };
  const principal = registry.principalOf(match[1]);
  return principal ? { kind: 'principal', principal } : { kind: 'invalid' };
}

export interface Requirement {
  readonly role: ApiRole;
  /** For `ingest`: the source the request delivers to. */
  readonly source?: string;
  /** Why the role is needed, for the 401/403 detail (e.g. "dates other than month ends"). */
  readonly purpose?: string;
}

/** Whether a principal meets a requirement: the role is listed, and the source when the token lists sources. */
export function permits(principal: ApiPrincipal, requirement: Requirement): boolean {
  if (!principal.roles.includes(requirement.role)) return false;
  if (requirement.source !== undefined && principal.sources !== undefined)
    return principal.sources.includes(requirement.source);
  return true;
}

/**
 * The principal that may do what the requirement names, or an RFC 9457 problem: 401 for a missing or
 * unknown token, 403 for a token without the role or the source (api.md "Auth"). Details name the role,
 * never the token.
 */
export function authorize(
  registry: ApiTokenRegistry,
  authorization: string | string[] | undefined,
  requirement: Requirement,
): ApiPrincipal {
  const auth = authenticate(registry, authorization);
  const purpose = requirement.purpose ? ` (${requirement.purpose})` : '';
  if (auth.kind === 'anonymous') {
    throw problem(401, 'Unauthorized', `a bearer token with the role '${requirement.role}' is required${purpose}`);
  }
  if (auth.kind === 'invalid') throw problem(401, 'Unauthorized', 'the bearer token is not valid');
  if (!auth.principal.roles.includes(requirement.role)) {
    throw problem(403, 'Forbidden', `the token lacks the role '${requirement.role}'${purpose}`);
  }
  if (!permits(auth.principal, requirement)) {
    throw problem(403, 'Forbidden', `the token may not deliver to source '${requirement.source}'`);
  }
  return auth.principal;
}
