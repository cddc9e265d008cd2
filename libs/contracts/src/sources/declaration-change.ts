import type { FieldDeclaration, SourceDeclaration } from './source-declaration';

/**
 * What a new version of a declaration may change without re-interpreting records already stored
 * (sources.md "New sources"): descriptions, titles, validation of new deliveries (lengths, ranges,
 * enumeration values, required flags, rules), new optional fields and new measure symbols over existing
 * families. What it may not change in place: a field's role or generalization (the lake holds the old
 * form), a removed field, or a counting family (the engine's counts hold the old meaning) — those need
 * a new source name, or a replay of the topic they re-interpret; the problem says which.
 */
export interface ChangeProblem {
  readonly path: string;
  readonly message: string;
  /** What would have to be replayed for the change to be consistent. */
  readonly needs: 'anonymization replay' | 'kpi-calculation replay' | 'new source name';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function reinterpretationProblems(previous: SourceDeclaration, next: SourceDeclaration): ChangeProblem[] {
  const out: ChangeProblem[] = [];
  if (previous.kind !== next.kind)
    out.push({ path: 'kind', message: `changes from ${previous.kind} to ${next.kind}`, needs: 'new source name' });
  const nextFields = new Map<string, FieldDeclaration>(next.fields.map((f) => [f.name, f]));
  for (const f of previous.fields) {
    const n = nextFields.get(f.name);
    if (!n) {
      out.push({
        path: `fields (${f.name})`,
        message: 'is removed, but stored records carry it: keep it (optional), or register a new source',
        needs: 'new source name',
      });
      continue;
    }
    if (!same(f.privacy, n.privacy))
      out.push({
        path: `fields (${f.name}).role`,
        message: `changes from ${roleText(f)} to ${roleText(n)}: the lake holds the old form; replay the raw topic through anonymization (from earliest) after registering, or register a new source`,
        needs: 'anonymization replay',
      });
    else if (f.type.kind !== n.type.kind)
      out.push({
        path: `fields (${f.name}).type`,
        message: `changes from ${f.type.kind} to ${n.type.kind}: stored records hold the old type`,
        needs: 'new source name',
      });
  }
  for (const f of next.fields)
    if (!previous.fields.some((p) => p.name === f.name) && f.required)
      out.push({
        path: `fields (${f.name})`,
        message: 'is new and required, but stored records do not have it: declare it optional',
        needs: 'new source name',
      });
  const nextFamilies = new Map(next.measures.families.map((f) => [f.name, f]));
  for (const fam of previous.measures.families) {
    const n = nextFamilies.get(fam.name);
    if (!n || !same(fam, n))
      out.push({
        path: `measures.families (${fam.name})`,
        message: `${n ? 'changes' : 'is removed'}: the engine's counts hold its old meaning; declare a new family instead, or replay the lake topic through kpi-calculation`,
        needs: 'kpi-calculation replay',
      });
  }
  for (const fam of next.measures.families)
    if (!previous.measures.families.some((p) => p.name === fam.name))
      out.push({
        path: `measures.families (${fam.name})`,
        message: 'is new, but the records already stored were not counted for it: replay the lake topic through kpi-calculation (from earliest) after registering, or register a new source',
        needs: 'kpi-calculation replay',
      });
  for (const m of previous.measures.symbols) {
    const n = next.measures.symbols.find((s) => s.symbol === m.symbol);
    if (!n || n.family !== m.family || n.aggregate !== m.aggregate || n.field !== m.field)
      out.push({
        path: `measures.symbols (${m.symbol})`,
        message: `${n ? 'changes its meaning' : 'is removed'}: catalogue versions use it; add a new symbol instead`,
        needs: 'new source name',
      });
  }
  return out;
}

function roleText(f: FieldDeclaration): string {
  const p = f.privacy;
  return p.kind === 'identifier' ? `identifier (${p.domain})` : p.kind === 'quasi' ? `quasi (${p.generalization})` : p.kind;
}
