import type { ExportTable } from '@sozialmonitor/contracts';
import { fromParquet, toExportCsv, toParquet } from './tabular-export';

describe('analysis exports (Parquet and CSV)', () => {
  const table: ExportTable = {
    columns: [
      { name: 'region_code', type: 'string', description: 'AGS' },
      { name: 'value', type: 'number', unit: '%', description: 'value' },
      { name: 'suppressed', type: 'boolean', description: 'suppressed' },
    ],
    rows: [
      ['01056015', 12.5, false],
      ['=cmd', null, true],
    ],
  };

  it('writes Parquet that reads back with the same values and nulls', () => {
    const bytes = toParquet(table);
    expect(Buffer.from(bytes.slice(0, 4)).toString()).toBe('PAR1');
    expect(fromParquet(bytes)).toEqual([
      { region_code: '01056015', value: 12.5, suppressed: false },
      { region_code: '=cmd', value: null, suppressed: true },
    ]);
  });

  it('writes the same table as CSV with formula-like text neutralized', () => {
    expect(toExportCsv(table)).toBe("region_code,value,suppressed\r\n01056015,12.5,false\r\n'=cmd,,true\r\n");
  });
});
