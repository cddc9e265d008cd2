import { Injectable, Logger } from '@nestjs/common';
import {
  type CatalogueAction,
  type CatalogueAuditMessage,
  type CatalogueChanges,
  type CatalogueDocument,
  type CatalogueProblem,
  type CatalogueVersion,
  type CatalogueVersionMessage,
  Catalogue,
  ChangeSet,
  checkAgainst,
  checkCatalogue,
  type IndicatorEntry,
} from '@sozialmonitor/indicators';
import { randomUUID } from 'node:crypto';
import { comparePreview, type CataloguePreview } from '../domain/catalogue-preview';
import { catalogueEmbargoId, parseReleaseTime } from '../domain/embargo';
import { computeIndicatorValues, type ComputedValue } from '../domain/indicator-value-calculator';
import { publishedPeriods } from '../domain/period-plan';
import { recomputePlan } from '../domain/recompute-plan';
import { KpiCalculationEnvironment } from '../kpi-calculation.environment';
import { ValueRoundStore } from './ports/value-round.store';
import { CatalogueService } from './catalogue.service';
import { Clock } from '@sozialmonitor/platform';
import { LakeEngine } from './lake-engine';
import { CatalogueLog, VersionClaims } from './ports/catalogue-log';
import { EmbargoStore } from './ports/embargo.store';
import { Holds } from './holds';
import { SourceDeclarations } from '@sozialmonitor/messaging';

/** A draft that cannot become a catalogue version: every problem, each naming its entry. */
export class CatalogueRefused extends Error {
  override readonly name = 'CatalogueRefused';
  constructor(
    message: string,
    readonly problems: readonly CatalogueProblem[],
    readonly status: 409 | 422 = 422,
  ) {
    super(message);
  }
}

export interface Actor {
  readonly name: string;
}

const ADOPT_TIMEOUT_MS = 30_000;
const sameIndicators = (a: CatalogueDocument, b: CatalogueDocument) =>
  JSON.stringify(a.indicators) === JSON.stringify(b.indicators);

/**
 * The catalogue as managed data (api.md "Administration"): versions on the catalogue topic, each with
 * who, when and why; show, list, validate, preview, activate, retire, roll back; an audit entry for
 * every action, refused ones included. Every instance follows the topic and adopts the highest version.
 */
@Injectable()
export class CatalogueAdministration {
  private readonly log = new Logger('CatalogueAdministration');

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly topic: CatalogueLog,
    private readonly claims: VersionClaims,
    private readonly lake: LakeEngine,
    private readonly rounds: ValueRoundStore,
    private readonly clock: Clock,
    private readonly env: KpiCalculationEnvironment,
    private readonly sources: SourceDeclarations,
    private readonly embargoes: EmbargoStore,
    private readonly holds: Holds,
  ) {}

  /** A draft may use the measures of a source registered a moment ago: know every registered source first. */
  private knowSources(): Promise<void> {
    return this.sources.catchUpIfPossible();
  }

  /** Reads the catalogue topic, adopts its active version, and puts the shipped one there when it holds none. */
  async start(): Promise<void> {
    await this.topic.start((version) => {
      const latest = this.topic.history().latest();
      if (latest && latest.catalogueVersion === version.catalogueVersion) this.catalogue.adopt(version.catalogue);
    });
    await this.seed();
  }

  stop(): Promise<void> {
    return this.topic.stop();
  }

  /**
   * The shipped catalogue becomes version 1 on an empty topic, and a new version when the shipped one
   * changed while no administrator has changed the catalogue since; otherwise the topic wins.
   */
  private async seed(): Promise<void> {
    const shipped = this.catalogue.shippedDocument();
    const history = this.topic.history();
    const latest = history.latest();
    if (latest && sameIndicators(latest.document, shipped)) return;
    if (latest && latest.action !== 'seed') {
      const lastSeed = history
        .list()
        .reverse()
        .find((v) => v.action === 'seed');
      if (lastSeed && !sameIndicators(lastSeed.document, shipped))
        this.log.warn(
          `the catalogue shipped with the code differs from version ${lastSeed.catalogueVersion}, but an administrator's version ${latest.catalogueVersion} is active: it stays (activate the shipped one with the admin CLI if wanted)`,
        );
      return;
    }
    const reason = latest
      ? 'the catalogue shipped with the code changed'
      : 'the catalogue shipped with the code (first start)';
    try {
      const actor = { name: 'kpi-calculation' };
      const version = await this.makeVersion(actor, 'seed', reason, shipped, {});
      const changes = latest ? version.catalogue.changesSince(latest.catalogue) : { added: version.catalogue.activeIds(), changed: [], retired: [] };
      await this.audited(actor, 'seed', version.catalogueVersion, 'ok', describe(changes), reason);
    } catch (e) {
      if (!(e instanceof CatalogueRefused)) throw e;
      // Another instance made the version first, or the shipped file is invalid (logged): the topic wins.
      this.log.warn(`the shipped catalogue was not put on the topic: ${e.message}`);
    }
  }

  active(): CatalogueVersion | undefined {
    return this.topic.history().latest();
  }

  versions(): CatalogueVersion[] {
    return this.topic.history().list();
  }

  version(n: number): CatalogueVersion | undefined {
    return this.topic.history().get(n);
  }

  audit(): CatalogueAuditMessage[] {
    return this.topic.audit();
  }

  /** Validates a draft and says what activating it would change in the catalogue. */
  async validate(actor: Actor, draft: unknown): Promise<{ valid: true; changes: CatalogueChanges; indicators: number }> {
    await this.knowSources();
    try {
      const next = this.check(draft);
      const changes = next.changesSince(this.catalogue.current);
      await this.audited(actor, 'validate', undefined, 'ok', describe(changes));
      return { valid: true, changes, indicators: next.active().length };
    } catch (e) {
      if (e instanceof CatalogueRefused) await this.audited(actor, 'validate', undefined, 'refused', e.message);
      throw e;
    }
  }

  /**
   * What activating a draft would change: its added and changed indicators (and indexes over them)
   * computed from the lake for every region and published period, compared one by one with what is
   * published.
   */
  async preview(actor: Actor, draft: unknown): Promise<CataloguePreview> {
    await this.knowSources();
    let next: Catalogue;
    try {
      next = this.check(draft);
    } catch (e) {
      if (e instanceof CatalogueRefused) await this.audited(actor, 'preview', undefined, 'refused', e.message);
      throw e;
    }
    const preview = await this.compare(this.catalogue.current, next);
    await this.audited(
      actor,
      'preview',
      undefined,
      'ok',
      `${describe(preview.changes)}; ${preview.changedValues} of ${preview.computedValues} values would change`,
    );
    return preview;
  }

  /**
   * Makes a draft the next version. With `releaseAt` the version is held until then (issue #17): it is
   * computed with at once, but the values of the indicators it adds or changes (and of the indexes over
   * them) are held — the previously published values of a changed indicator stay what the public sees —
   * and publication describes the version only from the release time.
   */
  async activate(
    actor: Actor,
    draft: unknown,
    reason: unknown,
    releaseAt?: unknown,
  ): Promise<{ version: CatalogueVersion; changes: CatalogueChanges }> {
    return this.changing(actor, 'activate', reason, () => this.documentOf(draft), {}, releaseAt);
  }

  async retire(actor: Actor, indicatorId: string, reason: unknown) {
    return this.changing(
      actor,
      'retire',
      reason,
      () => {
        const active = this.requireActive();
        const current = active.catalogue.byId(indicatorId);
        if (!current)
          throw new CatalogueRefused(`indicator '${indicatorId}' is not active in version ${active.catalogueVersion}`, [
            { indicator: `'${indicatorId}'`, message: 'not an active indicator' },
          ]);
        const dependents = active.catalogue.dependentsOf([indicatorId]);
        if (dependents.length > 0)
          throw new CatalogueRefused(
            `indicator '${indicatorId}' is an input of ${dependents.map((d) => `'${d}'`).join(', ')}: retire or change those first`,
            dependents.map((d) => ({ indicator: `'${d}'`, message: `uses '${indicatorId}'` })),
          );
        return {
          ...active.document,
          indicators: active.document.indicators.map((e) =>
            e.id === indicatorId && e.version === current.version ? { ...e, status: 'retired' as const } : e,
          ),
        };
      },
      { indicator: indicatorId },
    );
  }

  async rollback(actor: Actor, to: unknown, reason: unknown) {
    return this.changing(
      actor,
      'rollback',
      reason,
      () => {
        const target = typeof to === 'number' ? this.topic.history().get(to) : undefined;
        if (!target)
          throw new CatalogueRefused(`there is no catalogue version ${String(to)}`, [
            { indicator: '-', message: `toVersion must be one of ${this.versions().map((v) => v.catalogueVersion).join(', ')}` },
          ]);
        return target.document;
      },
      { restores: to as number },
    );
  }

  /** Validates and makes a new version, audits the action (refused ones too), waits until this instance uses it. */
  private async changing(
    actor: Actor,
    action: CatalogueAction,
    reason: unknown,
    document: () => CatalogueDocument,
    extra: Pick<CatalogueVersionMessage, 'indicator' | 'restores'>,
    releaseAt?: unknown,
  ) {
    await this.knowSources();
    try {
      if (typeof reason !== 'string' || reason.trim() === '')
        throw new CatalogueRefused('a reason is required (why the catalogue changes)', [
          { indicator: '-', message: 'reason must be a non-empty text' },
        ]);
      const held = (await this.holds.refresh()).heldCatalogue();
      if (held)
        throw new CatalogueRefused(
          `catalogue version ${held.catalogueVersion} is held until ${held.releaseAt}: move its release (releases/${held.id}/reschedule) before making another version`,
          [],
          409,
        );
      let hold: { releaseAt: string; reason: string } | undefined;
      if (releaseAt !== undefined && releaseAt !== null) {
        const time = parseReleaseTime(releaseAt, this.clock.now());
        if ('problem' in time) throw new CatalogueRefused(`releaseAt ${time.problem.message}`, [{ indicator: '-', message: `releaseAt ${time.problem.message}` }]);
        hold = { releaseAt: time.releaseAt, reason: reason.trim() };
      }
      const before = this.catalogue.current;
      const version = await this.makeVersion(actor, action, reason.trim(), document(), extra, hold);
      const changes = version.catalogue.changesSince(before);
      await this.audited(actor, action, version.catalogueVersion, 'ok', describe(changes), reason.trim());
      return { version, changes };
    } catch (e) {
      if (e instanceof CatalogueRefused)
        await this.audited(actor, action, undefined, 'refused', e.message, typeof reason === 'string' ? reason : undefined);
      throw e;
    }
  }

  private async makeVersion(
    actor: Actor,
    action: CatalogueAction,
    reason: string,
    document: CatalogueDocument,
    extra: Pick<CatalogueVersionMessage, 'indicator' | 'restores'>,
    hold?: { releaseAt: string; reason: string },
  ): Promise<CatalogueVersion> {
    const basedOn = this.topic.history().latest()?.catalogueVersion ?? null;
    const n = (basedOn ?? 0) + 1;
    const doc: CatalogueDocument = { ...document, catalogueVersion: n };
    const next = this.check(doc);
    const held = hold ? this.heldIndicators(next) : [];
    if (hold && held.length === 0)
      throw new CatalogueRefused('the version adds or changes no indicator: there is nothing to hold', [
        { indicator: '-', message: 'releaseAt is only for a version with new or changed indicators' },
      ]);
    if (!(await this.claims.claim(n, actor.name, () => this.topic.history().get(n) !== undefined)))
      throw new CatalogueRefused(`catalogue version ${n} was made by someone else meanwhile; look at it and try again`, [], 409);
    if (hold) {
      // The hold is in MongoDB before the version is on the topic: the first round computing it is held.
      const placed = await this.embargoes.insert({
        id: catalogueEmbargoId(n),
        period: '',
        catalogueVersion: n,
        indicators: held,
        releaseAt: hold.releaseAt,
        reason: hold.reason,
        state: 'held',
        createdAt: this.clock.now().toISOString(),
        createdBy: actor.name,
      });
      if (!placed) throw new CatalogueRefused(`a hold ${catalogueEmbargoId(n)} exists already; look at the releases and try again`, [], 409);
      await this.holds.refresh();
    }
    await this.topic.appendVersion({
      ...(hold ? { releaseAt: hold.releaseAt } : {}),
      catalogueVersion: n,
      action,
      createdAt: this.clock.now().toISOString(),
      createdBy: actor.name,
      reason,
      basedOn,
      ...extra,
      document: doc,
    });
    if (!(await this.topic.waitForVersion(n, ADOPT_TIMEOUT_MS)))
      throw new Error(`catalogue version ${n} was written but not read back within ${ADOPT_TIMEOUT_MS} ms`);
    return this.topic.history().get(n)!;
  }

  /** What a held version holds: the indicators it adds or changes, and the indexes over them. */
  private heldIndicators(next: Catalogue): string[] {
    const changes = next.changesSince(this.catalogue.current);
    const brought = [...changes.added, ...changes.changed];
    return [...brought, ...next.dependentsOf(brought)];
  }

  private documentOf(draft: unknown): CatalogueDocument {
    const d = draft as Partial<CatalogueDocument> | undefined;
    if (!d || typeof d !== 'object' || !Array.isArray(d.indicators))
      throw new CatalogueRefused('the draft must be a catalogue document { catalogue, indicators: [...] }', [
        { indicator: '-', message: 'indicators must be a list of catalogue entries' },
      ]);
    // An empty list would retire every indicator at once (retire them one by one, each with its reason), and
    // an entry that is not an object has nothing the checks below could name.
    if (d.indicators.length === 0)
      throw new CatalogueRefused('a catalogue needs at least one indicator', [
        { indicator: '-', message: 'indicators must not be empty (retire indicators one by one instead)' },
      ]);
    const notEntries = d.indicators.flatMap((e, i) => (e === null || typeof e !== 'object' || Array.isArray(e) ? [i] : []));
    if (notEntries.length > 0)
      throw new CatalogueRefused(
        'every catalogue entry must be an object',
        notEntries.map((i) => ({ indicator: `#${i}`, message: `indicators[${i}] must be an object (a catalogue entry)` })),
      );
    return { catalogue: d.catalogue ?? 'sozialmonitor-indicators', catalogueVersion: 1, indicators: d.indicators };
  }

  /** Every problem of a draft, also against every (id, version) any catalogue version ever held. */
  private check(draft: unknown): Catalogue {
    const doc = this.documentOf(draft);
    const { definitions, problems } = checkCatalogue(doc);
    const known = new Map<string, IndicatorEntry>();
    for (const v of this.topic.history().list())
      for (const e of v.document.indicators) known.set(`${e.id}@${e.version}`, e);
    problems.push(...checkAgainst(doc.indicators, (id, version) => known.get(`${id}@${version}`)));
    if (!definitions || problems.length > 0)
      throw new CatalogueRefused(
        problems.length === 1 ? problems[0].message : `${problems.length} problems: ${problems[0].message}; …`,
        problems,
      );
    return new Catalogue(definitions, doc.catalogueVersion);
  }

  private requireActive(): CatalogueVersion {
    const active = this.active();
    if (!active) throw new CatalogueRefused('no catalogue version exists yet', [], 409);
    return active;
  }

  private async compare(current: Catalogue, next: Catalogue): Promise<CataloguePreview> {
    const changes = next.changesSince(current);
    const tasks = recomputePlan(next.active(), publishedPeriods(this.env.FIRST_YEAR, this.clock.today()), {
      counts: new ChangeSet(),
      references: [],
      indicators: new Set([...changes.added, ...changes.changed]),
      sources: new Set(),
      everything: false,
    });
    const computedAt = this.clock.now().toISOString();
    const computed: ComputedValue[] = [];
    for (const task of tasks) {
      computed.push(
        ...computeIndicatorValues(this.lake.engine, task.indicator, task.period, {
          threshold: this.env.SUPPRESSION_THRESHOLD,
          computedAt,
        }),
      );
      await new Promise((r) => setImmediate(r)); // keep heartbeats and HTTP answers flowing
    }
    const published = new Map<string, { hash: string; payload: ComputedValue['payload'] }>();
    for (const round of await this.rounds.all()) for (const v of round.values) published.set(v.key, v);
    return comparePreview(changes, computed, (key) => published.get(key), current.catalogueVersion);
  }

  private async audited(
    actor: Actor,
    action: CatalogueAuditMessage['action'],
    catalogueVersion: number | undefined,
    outcome: 'ok' | 'refused',
    detail: string,
    reason?: string,
  ): Promise<void> {
    await this.topic.appendAudit({
      id: randomUUID(),
      at: this.clock.now().toISOString(),
      by: actor.name,
      action,
      outcome,
      detail,
      ...(reason !== undefined ? { reason } : {}),
      ...(catalogueVersion !== undefined ? { catalogueVersion } : {}),
    });
  }
}

function describe(changes: CatalogueChanges): string {
  const part = (label: string, ids: readonly string[]) => `${label} ${ids.length ? ids.join(', ') : '-'}`;
  return [part('added', changes.added), part('changed', changes.changed), part('retired', changes.retired)].join('; ');
}
