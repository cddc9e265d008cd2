import { reinterpretationProblems } from './declaration-change';
import { DeclarationError, parseSourceDeclaration, type SourceDeclarationJson } from './declaration-format';
import { knownSources } from './registry';
import type { SourceDeclaration } from './source-declaration';

/**
 * Registration of source declarations at run time (api.md "Administration", sources.md "New
 * sources"): the messages of the source topic, and the checks a registration must pass against the
 * sources this process knows. Every service follows the topic and adopts each version
 * (`adoptSourceVersion`), so a registered source is accepted, anonymized and counted without a restart.
 */
export type SourceAction = 'register' | 'version' | 'retire';

/** One version of one source on the source topic (key `source:<name>:<version>`). */
export interface SourceVersionMessage {
  readonly name: string;
  readonly version: number;
  readonly action: SourceAction;
  /** True from a retirement on: no deliveries are accepted; stored records and their values stay. */
  readonly retired: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly reason: string;
  readonly document: SourceDeclarationJson;
}

/** One administrative action on sources, refused ones included (key `audit:<at>:<id>`). */
export interface SourceAuditMessage {
  readonly id: string;
  readonly at: string;
  readonly by: string;
  readonly action: 'validate' | SourceAction;
  readonly source?: string;
  readonly version?: number;
  readonly outcome: 'ok' | 'refused';
  readonly detail: string;
  readonly reason?: string;
}

export interface RegistrationProblem {
  readonly path: string;
  readonly message: string;
}

/** A declaration that cannot be registered: every problem, and whether it conflicts with the current state (409) or is invalid (422). */
export class RegistrationRefused extends Error {
  override readonly name = 'RegistrationRefused';
  constructor(
    readonly problems: readonly RegistrationProblem[],
    readonly status: 409 | 422 = 422,
  ) {
    super(
      problems.length === 1
        ? `${problems[0].path}: ${problems[0].message}`
        : `${problems.length} problems: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
}

/**
 * Checks a declaration for `register` (a new source, version 1) or `version` (the next version of a
 * registered one) and returns it parsed; throws RegistrationRefused naming every problem.
 */
export function checkRegistration(action: 'register' | 'version', doc: unknown, name?: string): SourceDeclaration {
  let decl: SourceDeclaration;
  try {
    decl = parseSourceDeclaration(doc);
  } catch (e) {
    if (e instanceof DeclarationError) throw new RegistrationRefused(e.problems);
    throw e;
  }
  const known = knownSources();
  const held = known.find((s) => s.declaration.name === decl.name);
  if (action === 'register') {
    if (held)
      throw new RegistrationRefused(
        [{ path: 'name', message: `source ${decl.name} exists (version ${held.declaration.version}): register a new version of it instead` }],
        409,
      );
    if (decl.version !== 1) throw new RegistrationRefused([{ path: 'version', message: 'a new source starts with version 1' }]);
  } else {
    if (name !== undefined && name !== decl.name)
      throw new RegistrationRefused([{ path: 'name', message: `the declaration is of ${decl.name}, not ${name}` }]);
    if (!held) throw new RegistrationRefused([{ path: 'name', message: `there is no source ${decl.name}: register it first` }], 409);
    if (held.retired) throw new RegistrationRefused([{ path: 'name', message: `source ${decl.name} is retired` }], 409);
    if (decl.version !== held.declaration.version + 1)
      throw new RegistrationRefused(
        [{ path: 'version', message: `must be ${held.declaration.version + 1} (the version after ${held.declaration.version})` }],
        409,
      );
    const changes = reinterpretationProblems(held.declaration, decl);
    if (changes.length > 0)
      throw new RegistrationRefused(changes.map((c) => ({ path: c.path, message: `${c.message} [needs: ${c.needs}]` })));
  }
  const problems: RegistrationProblem[] = [];
  for (const other of known) {
    if (other.declaration.name === decl.name) continue;
    for (const fam of decl.measures.families)
      if (other.declaration.measures.families.some((f) => f.name === fam.name))
        problems.push({ path: `measures.families (${fam.name})`, message: `is a family of source ${other.declaration.name}` });
    for (const sym of decl.measures.symbols)
      if (other.declaration.measures.symbols.some((s) => s.symbol === sym.symbol))
        problems.push({ path: `measures.symbols (${sym.symbol})`, message: `is a measure of source ${other.declaration.name}` });
  }
  if (problems.length > 0) throw new RegistrationRefused(problems);
  return decl;
}
