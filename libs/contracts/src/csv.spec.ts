import { neutralizeFormula, toCsv } from './csv';

describe('CSV', () => {
  it('neutralizes text cells a spreadsheet would run as a formula, never numbers', () => {
    expect(['=1+1', '+1+1', '-x', '@SUM(A1)', '\t=1', 'Elmshorn', '-3.5', '+49'].map(neutralizeFormula)).toEqual([
      "'=1+1",
      "'+1+1",
      "'-x",
      "'@SUM(A1)",
      "'\t=1",
      'Elmshorn',
      '-3.5',
      '+49',
    ]);
    expect(toCsv(['a', 'b', 'c'], [['=HYPERLINK("x")', -3.5, null]])).toBe('a,b,c\r\n"\'=HYPERLINK(""x"")",-3.5,\r\n');
  });
});
