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
  /** The role needed; several: any one of them is enough (e.g. held values: `admin` or `analyst`). */
  readonly role: ApiRole | readonly ApiRole[];
  /** For `ingest`: the source the request delivers to. */
  readonly source?: string;
  /** Why the role is needed, for the 401/403 detail (e.g. "dates other than month ends"). */
  readonly purpose?: string;
}

/** The roles a requirement accepts (any one of them is enough). */
export const acceptedRoles = (requirement: Pick<Requirement, 'role'>): readonly ApiRole[] =>
  typeof requirement.role === 'string' ? [requirement.role] : requirement.role;

/** "the role 'admin'", "one of the roles 'admin' or 'analyst'": how a 401/403 detail and its documentation name them. */
export function describeRoles(roles: readonly ApiRole[]): string {
  const quoted = roles.map((r) => `'${r}'`);
  return quoted.length === 1 ? `the role ${quoted[0]}` : `one of the roles ${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

const hasAnyRole = (principal: ApiPrincipal, requirement: Requirement) =>
  acceptedRoles(requirement).some((r) => principal.roles.includes(r));

/** Whether a principal meets a requirement: one accepted role is listed, and the source when the token lists sources. */
export function permits(principal: ApiPrincipal, requirement: Requirement): boolean {
  if (!hasAnyRole(principal, requirement)) return false;
  if (requirement.source !== undefined && principal.sources !== undefined)
    return principal.sources.includes(requirement.source);
  return true;
}

/**
 * The principal that may do what the requirement names, or an RFC 9457 problem: 401 for a missing or
 * unknown token, 403 for a token without an accepted role or the source (api.md "Auth"). Details name the role,
 * never the token.
 */
export function authorize(
  registry: ApiTokenRegistry,
  authorization: string | string[] | undefined,
  requirement: Requirement,
): ApiPrincipal {
  const auth = authenticate(registry, authorization);
  const purpose = requirement.purpose ? ` (${requirement.purpose})` : '';
  const roles = describeRoles(acceptedRoles(requirement));
  if (auth.kind === 'anonymous') {
    throw problem(401, 'Unauthorized', `a bearer token with ${roles} is required${purpose}`);
  }
  if (auth.kind === 'invalid') throw problem(401, 'Unauthorized', 'the bearer token is not valid');
  if (!hasAnyRole(auth.principal, requirement)) {
    throw problem(403, 'Forbidden', `the token lacks ${roles}${purpose}`);
  }
  if (!permits(auth.principal, requirement)) {
    throw problem(403, 'Forbidden', `the token may not deliver to source '${requirement.source}'`);
  }
  return auth.principal;
}
