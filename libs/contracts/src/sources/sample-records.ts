/**
 * One valid record per source, as a JSON delivery carries it — for tests and examples (not exported
 * from the package index; import `@sozialmonitor/contracts/sources/sample-records`).
 */
export const SAMPLE_RECORDS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  population: {
    recordId: 'pop-1',
    personId: 'P-100',
    firstName: 'Anna',
    lastName: 'Beispiel',
    birthDate: '1980-05-17',
    sex: 'f',
    nationality: 'DE',
    street: 'Hauptstraße',
    houseNumber: '12a',
    postalCode: '25335',
    ags: '01056015',
    validFrom: '2010-01-01',
    validTo: '2020-07-01',
    startReason: 'move_in',
    endReason: 'move_out',
  },
  sgb2: {
    recordId: 'sgb2-1',
    personId: 'P-100',
    firstName: 'Anna',
    lastName: 'Beispiel',
    birthDate: '1980-05-17',
    sex: 'f',
    nationality: 'TR',
    ags: '01056015',
    validFrom: '2019-03-01',
    validTo: null,
    householdId: 'BG-7',
    employable: true,
  },
  unemployment: {
    recordId: 'u-1',
    personId: 'P-100',
    birthDate: '1980-05-17',
    sex: 'f',
    nationality: 'PL',
    ags: '01056002',
    validFrom: '2021-02-01',
    validTo: '2021-09-01',
    legalBasis: 'sgb3',
  },
  childcare: {
    recordId: 'c-1',
    childId: 'K-55',
    firstName: 'Ben',
    lastName: 'Beispiel',
    birthDate: '2020-10-03',
    ags: '01056015',
    validFrom: '2021-08-01',
    validTo: null,
    hoursPerWeek: 37.5,
    careType: 'kita',
  },
  youth_welfare: {
    recordId: 'y-1',
    personId: 'P-200',
    birthDate: '2008-04-30',
    sex: 'm',
    ags: '01056001',
    validFrom: '2022-01-15',
    validTo: '2023-01-15',
    paragraph: '35a',
  },
  housing_benefit: {
    recordId: 'w-1',
    householdId: 'H-9',
    applicantName: 'Carla Beispiel',
    street: 'Am Markt',
    houseNumber: '3',
    postalCode: '25421',
    ags: '01056041',
    validFrom: '2023-01-01',
    validTo: null,
    householdSize: 3,
  },
  basic_income_elderly: {
    recordId: 'g-1',
    personId: 'P-300',
    firstName: 'Dora',
    lastName: 'Beispiel',
    birthDate: '1950-12-01',
    sex: 'f',
    ags: '01056015',
    validFrom: '2016-01-01',
    validTo: null,
    reason: 'age',
  },
  reference_values: {
    recordId: 'rv-1',
    indicatorId: 'births_per_1000',
    regionCode: '01',
    year: 2023,
    value: 7.9,
    publisher: 'Statistikamt Nord',
  },
};

/** The CSV cell of a sample value (null → empty cell). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
