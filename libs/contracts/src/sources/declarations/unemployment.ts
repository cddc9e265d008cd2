import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const unemployment: SourceDeclaration = {
  name: 'unemployment',
  title: 'Registered unemployed (Bundesagentur für Arbeit)',
  description: 'One record per person and spell of registered unemployment.',
  fields: [
    f.recordId,
    f.personId,
    f.birthDate,
    f.sex,
    f.nationality,
    f.ags,
    f.validFrom,
    f.validTo,
    f.enumField('legalBasis', ['sgb2', 'sgb3'], 'Rechtskreis.'),
  ],
  rules: [f.spellOrder, f.bornBeforeSpell],
};
