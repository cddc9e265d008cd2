export const CATEGORY_LABELS: Record<string, string> = {
  demography: 'Bevölkerung',
  migration: 'Wanderung und Herkunft',
  age_structure: 'Altersstruktur',
  social_benefits: 'Soziale Leistungen',
  labour_market: 'Arbeitsmarkt',
  childcare: 'Kindertagesbetreuung',
  youth_welfare: 'Kinder- und Jugendhilfe',
  housing: 'Wohnen',
};

export const UNIT_LABELS: Record<string, string> = {
  persons: 'Personen',
  households: 'Haushalte',
  cases: 'Fälle',
  ratio: 'Quotient',
  years: 'Jahre',
};

export const unitLabel = (unit: string) => UNIT_LABELS[unit] ?? unit;

export function formatNumber(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined) return '–';
  return value.toLocaleString('de-DE', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export const REASONS: Record<string, string> = {
  primary: 'weniger als 3 Fälle — geschützt',
  secondary: 'geschützt, damit ein anderer geschützter Wert nicht errechnet werden kann',
  no_data: 'kein Wert',
};

export function reasonText(suppressed: boolean, reason?: string): string {
  if (suppressed) return reason === 'secondary' ? REASONS.secondary : REASONS.primary;
  return REASONS[reason ?? 'no_data'] ?? 'kein Wert';
}
