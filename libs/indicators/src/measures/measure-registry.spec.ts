import { parseSourceDeclaration, SOURCES } from '@sozialmonitor/contracts';
import { IndicatorEngine } from '../engine/indicator-engine';
import { compileFormula } from '../expression/compile';
import { parseDay } from '../time/day';
import before from './measures-before-declarations.fixture.json';
import {
  FAMILIES,
  MeasureRegistryError,
  MEASURES,
  measuresOfDeclaration,
  registerSourceMeasures,
  subjectKinds,
} from './measure-registry';

const byName = <T extends { name: string }>(list: readonly T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));
const bySymbol = <T extends { symbol: string }>(list: readonly T[]) => [...list].sort((a, b) => a.symbol.localeCompare(b.symbol));

describe('measure registry from the source declarations', () => {
  // The fixture is the registry as TypeScript code held it before the declarations carried the measures.
  it('derives exactly the families, measures and subject kinds the code declared before', () => {
    const shipped = SOURCES.flatMap((d) => measuresOfDeclaration(d).families);
    expect(byName(JSON.parse(JSON.stringify(shipped)))).toEqual(byName(before.families));
    const symbols = SOURCES.flatMap((d) => measuresOfDeclaration(d).measures);
    expect(bySymbol(symbols)).toEqual(bySymbol(before.measures));
    const kinds = subjectKinds()
      .filter((k) => SOURCES.some((s) => s.name === k.source))
      .map((k) => ({ name: k.name, source: k.source, subjectField: k.subjectField, families: k.families.map((f) => f.name) }));
    expect(byName(kinds)).toEqual(byName(before.subjectKinds));
  });

  it('adds the measures of a source registered at run time, and refuses names of another source', () => {
    const doc = {
      format: 'sozialmonitor.source/v1',
      name: 'meals_on_wheels',
      version: 1,
      title: 'Essen auf Rädern',
      description: 'test source',
      kind: 'spells',
      spell: { validFrom: 'validFrom', validTo: 'validTo', ags: 'ags' },
      fields: [
        { name: 'recordId', type: { kind: 'recordId' }, required: true, role: { kind: 'attribute' }, description: 'id' },
        { name: 'personId', type: { kind: 'string', minLength: 1, maxLength: 64 }, required: true, role: { kind: 'identifier', domain: 'person' }, description: 'p' },
        { name: 'ags', type: { kind: 'ags' }, required: true, role: { kind: 'attribute' }, description: 'a' },
        { name: 'validFrom', type: { kind: 'date' }, required: true, role: { kind: 'attribute' }, description: 'f' },
        { name: 'validTo', type: { kind: 'date' }, required: false, role: { kind: 'attribute' }, description: 't' },
      ],
      rules: [{ rule: 'date_order', earlier: 'validFrom', later: 'validTo' }],
      measures: {
        families: [{ name: 'meals_on_wheels', count: 'distinct', subject: 'personId', filters: [] }],
        symbols: [{ symbol: 'MW', family: 'meals_on_wheels', aggregate: 'count', description: 'persons' }],
      },
    };
    const count = FAMILIES.length;
    const engine = new IndicatorEngine(); // made before the source exists, like a running service
    registerSourceMeasures(parseSourceDeclaration(doc));
    expect(FAMILIES).toHaveLength(count + 1);
    expect(MEASURES.find((m) => m.symbol === 'MW')).toMatchObject({ family: 'meals_on_wheels' });
    expect(subjectKinds().find((k) => k.source === 'meals_on_wheels')).toMatchObject({ name: 'meals_on_wheels', subjectField: 'personId' });
    // the running engine counts the new source's records: distinct persons valid at the day
    const lake = (recordId: string, personId: string, ags: string, validTo: string | null) => ({
      source: 'meals_on_wheels', recordId, pseudonymKeyId: 'k1', personId, ags, validFrom: '2023-01-01', validTo,
    });
    engine.apply([
      lake('r1', 'p1', '01056015', null),
      lake('r2', 'p1', '01056015', null), // the same person twice: counted once
      lake('r3', 'p2', '01056015', '2023-06-01'), // ended before the day
      lake('r4', 'p3', '01056050', null),
    ]);
    const [call] = compileFormula('MW()').calls;
    const at = parseDay('2023-12-31');
    expect(['01056015', '01056050', '01056'].map((r) => engine.counting.measure(call, r, at).value)).toEqual([1, 1, 2]);
    registerSourceMeasures(parseSourceDeclaration(doc)); // again: nothing changes
    expect(FAMILIES).toHaveLength(count + 1);
    const clash = { ...doc, name: 'other', measures: { families: [{ ...doc.measures.families[0], name: 'other' }], symbols: [{ ...doc.measures.symbols[0], family: 'other', symbol: 'P' }] } };
    expect(() => registerSourceMeasures(parseSourceDeclaration(clash))).toThrow(
      new MeasureRegistryError("measure symbol 'P' of other is already a measure of another source"),
    );
  });
});
