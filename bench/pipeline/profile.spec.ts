import { areaOf, summarizeProfile } from './profile';

describe('CPU profile summary', () => {
  it('names areas: packages, our folders, node, native', () => {
    expect(areaOf('file:///r/node_modules/@nestjs/core/injector.js')).toBe('@nestjs/core');
    expect(areaOf('file:///r/node_modules/kafkajs/src/x.js')).toBe('kafkajs');
    expect(areaOf('file:///r/apps/ingestion/src/adapters/record-version.repository.ts')).toBe('apps/ingestion/src/adapters');
    expect(areaOf('file:///r/libs/platform/src/packed-json.ts')).toBe('libs/platform');
    expect(areaOf('node:internal/streams/readable')).toBe('node');
    expect(areaOf('')).toBe('(native, GC, idle)');
  });

  it('sums self time per function from samples and time deltas', () => {
    const summary = summarizeProfile({
      startTime: 0,
      endTime: 6000,
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: 'parse', url: 'file:///r/node_modules/csv-parse/lib/index.js', lineNumber: 9 } },
        { id: 3, callFrame: { functionName: 'seal', url: 'file:///r/apps/ingestion/src/adapters/record-sealer.factory.ts', lineNumber: 41 } },
      ],
      samples: [2, 2, 3, 2],
      timeDeltas: [1000, 1000, 5000, 1000],
    });
    expect(summary.totalMs).toBe(8);
    expect(summary.functions[0]).toEqual({ name: 'seal', where: 'apps/ingestion/src/adapters/record-sealer.factory.ts:42', ms: 5, share: 0.625 });
    expect(summary.functions[1]).toMatchObject({ name: 'parse', ms: 3, share: 0.375 });
    expect(summary.areas.map((a) => a.area).sort()).toEqual(['apps/ingestion/src/adapters', 'csv-parse']);
  });
});
