import { generalizationRule, GENERALIZATION_RULES, PSEUDONYM_DOMAINS, type PseudonymDomain } from '@sozialmonitor/privacy';
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import schema from './source-declaration.schema.json';
import type {
  FamilyDeclaration,
  FieldDeclaration,
  SymbolDeclaration,
  FieldType,
  PrivacyKind,
  RecordRule,
  SourceDeclaration,
  SourceMeasures,
} from './source-declaration';

/**
 * The declaration format (sources.md "New sources"): one JSON document per source, validated by its
 * own JSON Schema (`source-declaration.schema.json`) and then by the checks a schema cannot state —
 * roles (deny by default, identifiers with a pseudonym domain, generalizations from the fixed rule
 * registry, no personal data kept as an attribute), rules and measures that only name declared fields.
 * `parseSourceDeclaration` turns a valid document into the `SourceDeclaration` the interpreters read
 * (validateRecord, jsonSchemaOf, anonymize, the engine's measure registry).
 */
export const SOURCE_DECLARATION_SCHEMA: Record<string, unknown> = schema;
export const DECLARATION_FORMAT = 'sozialmonitor.source/v1';

/** The JSON form of one field: `role` is the privacy kind (`quasi` names its generalization `rule`). */
export type RoleJson =
  | { kind: 'identifier'; domain: string }
  | { kind: 'direct' }
  | { kind: 'quasi'; rule: string }
  | { kind: 'attribute' };

export interface FieldJson {
  name: string;
  type: FieldType;
  required: boolean;
  role: RoleJson;
  description: string;
}

/** A declaration document as committed (declarations/*.json) or registered through the admin API. */
export interface SourceDeclarationJson {
  $schema?: string;
  format: typeof DECLARATION_FORMAT;
  name: string;
  version: number;
  title: string;
  description: string;
  kind: 'spells' | 'aggregate';
  spell?: { validFrom: 'validFrom'; validTo: 'validTo'; ags: 'ags' };
  aggregate?: { of: 'reference_values' };
  fields: FieldJson[];
  rules: RecordRule[];
  measures: { families: FamilyDeclaration[]; symbols: SymbolDeclaration[] };
}

/** One problem of a declaration: where (a JSON path) and what. */
export interface DeclarationProblem {
  readonly path: string;
  readonly message: string;
}

export class DeclarationError extends Error {
  override readonly name = 'DeclarationError';
  constructor(readonly problems: readonly DeclarationProblem[]) {
    super(
      problems.length === 1
        ? `${problems[0].path}: ${problems[0].message}`
        : `${problems.length} problems: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  }
}

let validator: ReturnType<Ajv2020['compile']> | undefined;
function schemaValidator() {
  return (validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(schema));
}

/**
 * Names that say personal data: a field so named may not be kept as an attribute (it must be an
 * identifier, dropped, or generalized). Deny by default covers fields without a role; this catches a
 * role that would keep personal data as it is.
 */
const PII_NAME =
  /(^|[^a-z])(name|firstname|lastname|surname|givenname|street|housenumber|postalcode|postcode|zip|address|email|mail|phone|mobile|fax|iban|bic|birth|birthdate|dateofbirth|birthplace|passport|insurance|taxid|socialsecurity|svnr|personid|childid|householdid|caseid|clientid)([^a-z]|$)/i;

function looksPersonal(field: { name: string; type?: { kind?: string } }): boolean {
  const words = field.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return (
    PII_NAME.test(field.name.toLowerCase()) ||
    PII_NAME.test(words.replace(/ /g, '')) ||
    words.split(' ').some((w) => PII_NAME.test(w)) ||
    field.type?.kind === 'postalCode'
  );
}

function ajvProblems(errors: readonly ErrorObject[], doc: unknown): DeclarationProblem[] {
  const out: DeclarationProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // oneOf/if branches repeat what their members say more precisely.
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const path = readablePath(e.instancePath, doc);
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties')
      message = `has no property '${(e.params as { additionalProperty: string }).additionalProperty}' in the declaration format`;
    if (e.keyword === 'enum') message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    if (e.keyword === 'const') message = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    const key = `${path}|${message}`;
    if (!seen.has(key)) out.push({ path, message });
    seen.add(key);
  }
  return out;
}

/** `/fields/3/role` → `fields[3] (personId).role`. */
function readablePath(pointer: string, doc: unknown): string {
  if (pointer === '') return '(declaration)';
  const parts = pointer.slice(1).split('/');
  let node: unknown = doc;
  let out = '';
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    if (/^\d+$/.test(part)) {
      out += `[${part}]`;
      const name = node && typeof node === 'object' ? ((node as { name?: unknown; symbol?: unknown }).name ?? (node as { symbol?: unknown }).symbol) : undefined;
      if (typeof name === 'string') out += ` (${name})`;
    } else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Every problem of a declaration document; empty when it is valid. */
export function declarationProblems(doc: unknown): DeclarationProblem[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return [{ path: '(declaration)', message: 'must be a JSON object (a source declaration)' }];
  const problems: DeclarationProblem[] = [];
  // Roles first, with the words of the privacy rules; the schema's words for the same spot are left out.
  const d = doc as Partial<SourceDeclarationJson>;
  const fields = Array.isArray(d.fields) ? d.fields : [];
  const rolePaths = new Set<string>();
  fields.forEach((f, i) => {
    if (!f || typeof f !== 'object' || typeof f.name !== 'string') return;
    const at = `fields[${i}] (${f.name})`;
    const problem = roleProblem(f);
    if (problem) {
      problems.push({ path: `${at}.role`, message: problem });
      rolePaths.add(at);
    }
  });
  const valid = schemaValidator();
  if (!valid(doc))
    problems.push(
      ...ajvProblems(valid.errors ?? [], doc).filter((p) => ![...rolePaths].some((r) => p.path.startsWith(r))),
    );
  if (problems.length > 0) return problems;
  return semanticProblems(doc as SourceDeclarationJson);
}

function roleProblem(f: Partial<FieldJson>): string | undefined {
  const role = f.role as Partial<RoleJson> & { domain?: unknown; rule?: unknown };
  if (role === undefined || role === null || typeof role !== 'object')
    return `has no role: every field must declare one (identifier, direct, quasi or attribute) — undeclared fields are denied`;
  switch (role.kind) {
    case 'identifier':
      if (typeof role.domain !== 'string' || role.domain === '')
        return `is an identifier without a domain: name the pseudonym domain (${PSEUDONYM_DOMAINS.join(' or ')}) so one subject links across sources`;
      if (!PSEUDONYM_DOMAINS.includes(role.domain as PseudonymDomain))
        return `has the unknown pseudonym domain '${role.domain}' (known: ${PSEUDONYM_DOMAINS.join(', ')})`;
      if (f.type?.kind !== 'string') return 'is an identifier and must be of type string';
      return undefined;
    case 'quasi': {
      if (typeof role.rule !== 'string' || role.rule === '')
        return `is a quasi-identifier without a generalization rule (known: ${GENERALIZATION_RULES.map((r) => r.name).join(', ')})`;
      const rule = generalizationRule(role.rule);
      if (!rule)
        return `names the unknown generalization rule '${role.rule}' (known: ${GENERALIZATION_RULES.map((r) => r.name).join(', ')})`;
      if (!rule.accepts.includes(f.type?.kind ?? ''))
        return `generalization rule '${rule.name}' applies to fields of type ${rule.accepts.join(', ')}, not ${f.type?.kind ?? '(no type)'}`;
      return undefined;
    }
    case 'attribute':
      if (looksPersonal(f as FieldJson) && f.name !== 'recordId')
        return `looks like personal data (${f.name}) but would be kept as it is: declare it identifier, direct or quasi`;
      return undefined;
    case 'direct':
      return undefined;
    default:
      return `has the unknown role '${String(role.kind)}' (identifier, direct, quasi or attribute)`;
  }
}

const NUMERIC = new Set(['integer', 'number']);
const FILTERABLE = new Set(['enum', 'boolean', 'integer', 'number']);

function semanticProblems(d: SourceDeclarationJson): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  const byName = new Map<string, FieldJson>();
  d.fields.forEach((f, i) => {
    if (byName.has(f.name)) add(`fields[${i}] (${f.name})`, 'is declared twice');
    byName.set(f.name, f);
    if (f.name === 'deleted') add(`fields[${i}] (deleted)`, 'deleted is reserved (every record may carry it)');
    if (f.type.kind === 'string' && f.type.minLength > f.type.maxLength)
      add(`fields[${i}] (${f.name}).type`, 'minLength must not exceed maxLength');
    if ((f.type.kind === 'integer' || f.type.kind === 'number') && f.type.min !== undefined && f.type.max !== undefined && f.type.min > f.type.max)
      add(`fields[${i}] (${f.name}).type`, 'min must not exceed max');
    if (f.type.kind === 'recordId' && f.name !== 'recordId') add(`fields[${i}] (${f.name}).type`, 'only the field recordId has type recordId');
  });
  const first = d.fields[0];
  if (first.name !== 'recordId' || first.type.kind !== 'recordId' || !first.required || first.role.kind !== 'attribute')
    add('fields[0]', 'the first field must be recordId (type recordId, required, role attribute)');
  // Lake fields: generalized fields are named after their rule; no two fields may land on one lake name.
  const lake = new Map<string, string>();
  for (const f of d.fields) {
    if (f.role.kind === 'direct') continue;
    const lakeName = f.role.kind === 'quasi' ? f.role.rule : f.name;
    if (['source', 'pseudonymKeyId'].includes(lakeName) || (lake.has(lakeName) && lake.get(lakeName) !== f.name))
      add(`fields (${f.name})`, `its lake field '${lakeName}' collides with ${lake.get(lakeName) ?? 'a field every lake record has'}`);
    lake.set(lakeName, f.name);
  }
  const field = (path: string, name: string, kinds?: readonly string[]): FieldJson | undefined => {
    const f = byName.get(name);
    if (!f) add(path, `names '${name}', which is not a declared field of ${d.name}`);
    else if (kinds && !kinds.includes(f.type.kind)) add(path, `'${name}' must be of type ${kinds.join(' or ')}, not ${f.type.kind}`);
    return f;
  };
  d.rules.forEach((r, i) => {
    const at = `rules[${i}] (${r.rule})`;
    if (r.rule === 'date_order') {
      field(at, r.earlier, ['date']);
      field(at, r.later, ['date']);
    } else if (r.rule === 'birth_date_order') {
      field(at, r.birth, ['date']);
      field(at, r.reference, ['date']);
      if (r.equalWhen) {
        const f = field(at, r.equalWhen.field, ['enum']);
        if (f?.type.kind === 'enum' && !f.type.values.includes(r.equalWhen.value))
          add(at, `equalWhen value '${r.equalWhen.value}' is not a value of ${f.name}`);
      }
    } else {
      field(at, r.field);
      field(at, r.with);
    }
  });
  if (d.kind === 'spells') {
    field('spell.validFrom', 'validFrom', ['date']);
    field('spell.validTo', 'validTo', ['date']);
    field('spell.ags', 'ags', ['ags']);
    if (byName.get('validFrom') && !byName.get('validFrom')!.required) add('spell.validFrom', 'validFrom must be required');
    if (byName.get('validTo')?.required) add('spell.validTo', 'validTo must not be required (null: the spell lasts)');
    if (!d.rules.some((r) => r.rule === 'date_order' && r.earlier === 'validFrom' && r.later === 'validTo'))
      add('rules', 'a spell source needs the rule { "rule": "date_order", "earlier": "validFrom", "later": "validTo" }');
  } else {
    if (d.measures.families.length > 0 || d.measures.symbols.length > 0)
      add('measures', 'an aggregate source feeds no measures (its figures are read as they are)');
    for (const f of d.fields)
      if (f.role.kind !== 'attribute') add(`fields (${f.name})`, 'an aggregate source holds no personal data: every field is an attribute');
  }
  const families = new Map<string, SourceMeasures['families'][number]>();
  d.measures.families.forEach((fam, i) => {
    const at = `measures.families[${i}] (${fam.name})`;
    if (families.has(fam.name)) add(at, 'family declared twice');
    families.set(fam.name, fam);
    if (fam.subject !== 'recordId') {
      const s = field(`${at}.subject`, fam.subject);
      if (s && s.role.kind !== 'identifier') add(`${at}.subject`, `'${fam.subject}' must be an identifier (or recordId: every spell counts)`);
    }
    fam.filters.forEach((name, j) => {
      const f = field(`${at}.filters[${j}]`, name);
      if (!f) return;
      if (f.role.kind === 'identifier' || f.role.kind === 'direct')
        add(`${at}.filters[${j}]`, `'${name}' is ${f.role.kind === 'direct' ? 'dropped' : 'pseudonymized'} and cannot be filtered by`);
      else if (f.role.kind === 'attribute' && !FILTERABLE.has(f.type.kind))
        add(`${at}.filters[${j}]`, `'${name}' is of type ${f.type.kind}; filters need enum, boolean, integer or number`);
    });
    if (fam.count === 'distinct') {
      if (fam.reasonField !== undefined || fam.reasons !== undefined || fam.countyExcludesInternalMoves)
        add(at, 'reasonField, reasons and countyExcludesInternalMoves belong to starts/ends families');
    } else {
      const r = field(`${at}.reasonField`, fam.reasonField!, ['enum']);
      if (r?.type.kind === 'enum')
        for (const reason of fam.reasons ?? [])
          if (!r.type.values.includes(reason)) add(`${at}.reasons`, `'${reason}' is not a value of ${r.name}`);
      if (fam.count === 'ends' && byName.get(fam.reasonField!)?.required)
        add(`${at}.reasonField`, 'an end reason must be optional (null while the spell lasts)');
    }
  });
  for (const count of ['starts', 'ends'] as const) {
    const fields = new Set(d.measures.families.filter((f) => f.count === count).map((f) => f.reasonField));
    if (fields.size > 1) add('measures.families', `every ${count} family of a source reads the same reasonField`);
  }
  d.measures.symbols.forEach((m, i) => {
    const at = `measures.symbols[${i}] (${m.symbol})`;
    const fam = families.get(m.family);
    if (!fam) {
      add(at, `family '${m.family}' is not declared in measures.families`);
      return;
    }
    if (m.aggregate === 'sum') {
      const f = field(`${at}.field`, m.field!, ['integer', 'number']);
      if (f && NUMERIC.has(f.type.kind) && !fam.filters.includes(f.name))
        add(`${at}.field`, `'${f.name}' must be among the filters of family ${fam.name} to be summed`);
      if (fam.count !== 'distinct') add(at, 'sums run over distinct subjects (a distinct family)');
    } else if (m.field !== undefined || m.units !== undefined) add(at, 'field and units belong to sums');
  });
  const symbols = new Set<string>();
  for (const m of d.measures.symbols) {
    if (symbols.has(m.symbol)) add(`measures.symbols (${m.symbol})`, 'symbol declared twice');
    symbols.add(m.symbol);
  }
  return problems;
}

function privacyOf(role: RoleJson): PrivacyKind {
  switch (role.kind) {
    case 'identifier':
      return { kind: 'identifier', domain: role.domain as PseudonymDomain };
    case 'quasi':
      return { kind: 'quasi', generalization: role.rule };
    default:
      return { kind: role.kind };
  }
}

/** A valid declaration document as the interpreters read it; throws DeclarationError listing every problem. */
export function parseSourceDeclaration(doc: unknown): SourceDeclaration {
  const problems = declarationProblems(doc);
  if (problems.length > 0) throw new DeclarationError(problems);
  const d = doc as SourceDeclarationJson;
  const fields: FieldDeclaration[] = d.fields.map((f) => ({
    name: f.name,
    type: f.type,
    required: f.required,
    privacy: privacyOf(f.role),
    description: f.description,
  }));
  return {
    name: d.name,
    version: d.version,
    kind: d.kind,
    title: d.title,
    description: d.description,
    fields,
    rules: d.rules,
    measures: d.measures,
  };
}

/** The JSON document of a declaration (the inverse of parseSourceDeclaration). */
export function declarationDocument(decl: SourceDeclaration): SourceDeclarationJson {
  return {
    format: DECLARATION_FORMAT,
    name: decl.name,
    version: decl.version,
    title: decl.title,
    description: decl.description,
    kind: decl.kind,
    ...(decl.kind === 'spells'
      ? { spell: { validFrom: 'validFrom', validTo: 'validTo', ags: 'ags' } as const }
      : { aggregate: { of: 'reference_values' } as const }),
    fields: decl.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      role: f.privacy.kind === 'quasi' ? { kind: 'quasi', rule: f.privacy.generalization } : f.privacy,
      description: f.description,
    })),
    rules: [...decl.rules],
    measures: { families: [...decl.measures.families], symbols: [...decl.measures.symbols] },
  };
}
