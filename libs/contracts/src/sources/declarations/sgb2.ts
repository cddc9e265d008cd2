import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const sgb2: SourceDeclaration = {
  name: 'sgb2',
  title: 'Jobcenter: persons in SGB II benefit units (Bedarfsgemeinschaften)',
  description: 'One record per person and spell in a benefit unit.',
  fields: [
    f.recordId,
    f.personId,
    f.firstName,
    f.lastName,
    f.birthDate,
    f.sex,
    f.nationality,
    f.ags,
    f.validFrom,
    f.validTo,
    f.householdId,
    {
      name: 'employable',
      type: { kind: 'boolean' },
      required: true,
      privacy: { kind: 'attribute' },
      description: 'Erwerbsfähig.',
    },
  ],
  rules: [f.spellOrder, f.bornBeforeSpell],
};
