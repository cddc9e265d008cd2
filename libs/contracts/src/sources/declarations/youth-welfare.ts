import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const youthWelfare: SourceDeclaration = {
  name: 'youth_welfare',
  title: 'Educational support cases (Hilfen zur Erziehung, SGB VIII)',
  description: 'One record per case (measure) for a young person.',
  fields: [
    f.recordId,
    f.personId,
    f.birthDate,
    f.sex,
    f.ags,
    f.validFrom,
    f.validTo,
    f.enumField(
      'paragraph',
      ['27', '28', '29', '30', '31', '32', '33', '34', '35', '35a', '41'],
      'The legal basis of the measure (§ of SGB VIII), as a string.',
    ),
  ],
  rules: [f.spellOrder, f.bornBeforeSpell],
};
