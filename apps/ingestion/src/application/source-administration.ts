import { Injectable } from '@nestjs/common';
import {
  checkRegistration,
  declarationDocument,
  knownSources,
  lakeFieldsOf,
  RegistrationRefused,
  type SourceAuditMessage,
  type SourceDeclaration,
  type SourceVersionMessage,
} from '@sozialmonitor/contracts';
import { SOURCE_CATCH_UP_MS, SourceDeclarations } from '@sozialmonitor/messaging';
import { Clock } from '@sozialmonitor/platform';
import { randomUUID } from 'node:crypto';
import { SERVICE } from '../ingestion.environment';

export interface Actor {
  readonly name: string;
}

const READ_BACK_MS = 30_000;

/** What a valid declaration would give: the lake fields it writes and the measure symbols it adds. */
function summaryOf(d: SourceDeclaration) {
  return {
    name: d.name,
    version: d.version,
    kind: d.kind,
    lakeFields: lakeFieldsOf(d),
    dropped: d.fields.filter((f) => f.privacy.kind === 'direct').map((f) => f.name),
    pseudonymized: d.fields.filter((f) => f.privacy.kind === 'identifier').map((f) => f.name),
    measures: d.measures.symbols.map((s) => s.symbol),
  };
}

/**
 * Source declarations as managed data (api.md "Administration", sources.md "New sources"): validate,
 * show, register, a new version, retire — each action audited on the source topic (who, when, why,
 * outcome; refused ones too). A version is written to the source topic, which every instance of every
 * service follows; this answers once this instance has read it back (and uses it).
 */
@Injectable()
export class SourceAdministration {
  constructor(
    private readonly sources: SourceDeclarations,
    private readonly clock: Clock,
  ) {}

  async list() {
    await this.sources.catchUp(SOURCE_CATCH_UP_MS);
    return knownSources().map(({ declaration, retired }) => ({
      name: declaration.name,
      version: declaration.version,
      title: declaration.title,
      kind: declaration.kind,
      retired,
      measures: declaration.measures.symbols.map((s) => s.symbol),
    }));
  }

  async show(name: string) {
    await this.sources.catchUp(SOURCE_CATCH_UP_MS);
    const held = knownSources().find((s) => s.declaration.name === name);
    if (!held) return undefined;
    return {
      ...summaryOf(held.declaration),
      retired: held.retired,
      versions: this.sources.history(name).map(({ document: _d, ...v }) => v),
      document: declarationDocument(held.declaration),
    };
  }

  /** The audit trail as on the topic now (read to its end first: the last action's entry included). */
  async audit(): Promise<SourceAuditMessage[]> {
    await this.sources.catchUp(SOURCE_CATCH_UP_MS);
    return this.sources.audit();
  }

  /** Checks a declaration as a new source, or as the next version of the source it names. */
  async validate(actor: Actor, doc: unknown) {
    await this.sources.catchUp(SOURCE_CATCH_UP_MS);
    const name = (doc as { name?: unknown } | null)?.name;
    const action = typeof name === 'string' && knownSources().some((s) => s.declaration.name === name) ? 'version' : 'register';
    try {
      const d = checkRegistration(action, doc);
      await this.audited(actor, 'validate', 'ok', `valid as ${action === 'register' ? 'a new source' : 'the next version'}`, d.name, d.version);
      return { valid: true as const, action, ...summaryOf(d) };
    } catch (e) {
      if (e instanceof RegistrationRefused) await this.audited(actor, 'validate', 'refused', e.message, typeof name === 'string' ? name : undefined);
      throw e;
    }
  }

  register(actor: Actor, doc: unknown, reason: unknown) {
    return this.changing(actor, 'register', reason, doc, () => checkRegistration('register', doc));
  }

  version(actor: Actor, name: string, doc: unknown, reason: unknown) {
    return this.changing(actor, 'version', reason, doc, () => checkRegistration('version', doc, name), name);
  }

  retire(actor: Actor, name: string, reason: unknown) {
    return this.changing(
      actor,
      'retire',
      reason,
      undefined,
      () => {
        const held = knownSources().find((s) => s.declaration.name === name);
        if (!held) throw new RegistrationRefused([{ path: 'name', message: `there is no source ${name}` }], 409);
        if (held.retired) throw new RegistrationRefused([{ path: 'name', message: `source ${name} is retired already` }], 409);
        return { ...held.declaration, version: held.declaration.version + 1 };
      },
      name,
    );
  }

  private async changing(
    actor: Actor,
    action: SourceVersionMessage['action'],
    reason: unknown,
    doc: unknown,
    check: () => SourceDeclaration,
    name?: string,
  ) {
    await this.sources.catchUp(SOURCE_CATCH_UP_MS);
    const named = name ?? ((doc as { name?: unknown } | null)?.name as string | undefined);
    try {
      if (typeof reason !== 'string' || reason.trim() === '')
        throw new RegistrationRefused([{ path: 'reason', message: 'a reason is required (why the source changes)' }]);
      const decl = check();
      const message: SourceVersionMessage = {
        name: decl.name,
        version: decl.version,
        action,
        retired: action === 'retire',
        createdAt: this.clock.now().toISOString(),
        createdBy: actor.name,
        reason: reason.trim(),
        document: declarationDocument(decl),
      };
      await this.sources.appendVersion(message, SERVICE);
      if (!(await this.sources.waitForVersion(decl.name, decl.version, READ_BACK_MS)))
        throw new Error(`source ${decl.name} version ${decl.version} was written but not read back within ${READ_BACK_MS} ms`);
      await this.audited(actor, action, 'ok', `${decl.name} version ${decl.version}`, decl.name, decl.version, message.reason);
      const { document: _d, ...version } = message;
      return { ...version, ...summaryOf(decl) };
    } catch (e) {
      if (e instanceof RegistrationRefused)
        await this.audited(actor, action, 'refused', e.message, typeof named === 'string' ? named : undefined, undefined, typeof reason === 'string' ? reason : undefined);
      throw e;
    }
  }

  private async audited(
    actor: Actor,
    action: SourceAuditMessage['action'],
    outcome: SourceAuditMessage['outcome'],
    detail: string,
    source?: string,
    version?: number,
    reason?: string,
  ): Promise<void> {
    await this.sources.appendAudit(
      {
        id: randomUUID(),
        at: this.clock.now().toISOString(),
        by: actor.name,
        action,
        outcome,
        detail,
        ...(source !== undefined ? { source } : {}),
        ...(version !== undefined ? { version } : {}),
        ...(reason !== undefined ? { reason } : {}),
      },
      SERVICE,
    );
  }
}
