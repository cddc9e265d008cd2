import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const housingBenefit: SourceDeclaration = {
  name: 'housing_benefit',
  title: 'Households receiving Wohngeld',
  description: 'One record per household and benefit spell.',
  fields: [
    f.recordId,
    f.householdId,
    f.applicantName,
    f.street,
    f.houseNumber,
    f.postalCode,
    f.ags,
    f.validFrom,
    f.validTo,
    {
      name: 'householdSize',
      type: { kind: 'integer', min: 1, max: 20 },
      required: true,
      privacy: { kind: 'attribute' },
      description: 'Persons in the household (1–20).',
    },
  ],
  rules: [f.spellOrder],
};
