import { compare, normalizedValue, table, type Snapshot } from './outcome';

const value = (v: number | null, computedAt = '2026-01-01T00:00:00Z') =>
  JSON.stringify({ indicatorId: 'population', value: v, suppressed: false, computedAt });
const snapshotOf = (lake: [string, string | null][], kpi: [string, string][], api: [string, string][] = []): Snapshot => ({
  lake: lake.map(([key, v]) => ({ key, value: v })),
  kpi: kpi.map(([key, v]) => ({ key, id: key, value: normalizedValue(v), computedAt: JSON.parse(v).computedAt })),
  api: new Map(api),
});

describe('the fault suite comparison', () => {
  const clean = snapshotOf(
    [['population:a', '{"x":1}'], ['population:b', '{"x":2}'], ['population:c', null]],
    [['population:01:2024', value(1)], ['population:01:2024', value(2)]],
    [['population:01:2024', '{"value":2}']],
  );

  it('a run with the same latest values is identical, whenever they were computed and however often published', () => {
    const run = snapshotOf(
      [['population:b', '{"x":2}'], ['population:a', '{"x":0}'], ['population:a', '{"x":1}']],
      [['population:01:2024', value(2, '2026-02-02T00:00:00Z')]],
      [['population:01:2024', '{"value":2}']],
    );
    expect(compare(clean, run)).toMatchObject({ recordsLost: 0, recordsDiffering: 0, valuesDiffering: 0, conflicting: 0 });
  });

  it('counts a lost record, a changed record, a different, missing or extra value and a conflicting publication', () => {
    const run = snapshotOf(
      [['population:b', '{"x":3}'], ['poison:lake', 'garbage']],
      [
        ['population:01:2024', value(3)],
        ['population:01:2024', value(4)],
        ['population:02:2024', value(1)],
        ['poison:kpi', '{"poison":1,"computedAt":"x"}'],
      ],
      [],
    );
    expect(compare(clean, run)).toMatchObject({ recordsLost: 1, recordsDiffering: 1, valuesDiffering: 3, conflicting: 1 });
  });

  it('prints one aligned row per scenario', () => {
    const text = table([
      { scenario: 'clean', loaded: 10, lost: 0, differing: 0, recovery: '—', result: 'pass', note: '' },
      { scenario: 'kill -9', loaded: 10, lost: 0, differing: 2, recovery: '3.0 s', result: 'FAIL', note: 'x' },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[3]).toContain('FAIL');
  });
});
