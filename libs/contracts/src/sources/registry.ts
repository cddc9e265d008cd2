import { basicIncomeElderly } from './declarations/basic-income-elderly';
import { childcare } from './declarations/childcare';
import { housingBenefit } from './declarations/housing-benefit';
import { population } from './declarations/population';
import { referenceValues } from './declarations/reference-values';
import { sgb2 } from './declarations/sgb2';
import { unemployment } from './declarations/unemployment';
import { youthWelfare } from './declarations/youth-welfare';
import type { SourceDeclaration } from './source-declaration';

/** Every source the system accepts (spec/sources.md), in the order of the spec. */
export const SOURCES: readonly SourceDeclaration[] = [
  population,
  sgb2,
  unemployment,
  childcare,
  youthWelfare,
  housingBenefit,
  basicIncomeElderly,
  referenceValues,
];

export const SOURCE_NAMES: readonly string[] = SOURCES.map((s) => s.name);

const byName = new Map(SOURCES.map((s) => [s.name, s]));

/** The declaration of a source, or undefined for an unknown name. */
export function sourceDeclaration(name: string): SourceDeclaration | undefined {
  return byName.get(name);
}
