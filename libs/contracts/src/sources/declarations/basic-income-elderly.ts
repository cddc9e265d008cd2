import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const basicIncomeElderly: SourceDeclaration = {
  name: 'basic_income_elderly',
  title: 'Grundsicherung im Alter und bei Erwerbsminderung (SGB XII, chapter 4)',
  description: 'One record per person and benefit spell.',
  fields: [
    f.recordId,
    f.personId,
    f.firstName,
    f.lastName,
    f.birthDate,
    f.sex,
    f.ags,
    f.validFrom,
    f.validTo,
    f.enumField('reason', ['age', 'reduced_earning_capacity'], 'age or reduced_earning_capacity.'),
  ],
  rules: [f.spellOrder, f.bornBeforeSpell],
};
