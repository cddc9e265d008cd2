import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const childcare: SourceDeclaration = {
  name: 'childcare',
  title: 'Children in daycare (Kita) or child minding (Tagespflege)',
  description: 'One record per child and care contract; ags is the child’s residence.',
  fields: [
    f.recordId,
    f.childId,
    f.firstName,
    f.lastName,
    f.birthDate,
    f.ags,
    f.validFrom,
    f.validTo,
    {
      name: 'hoursPerWeek',
      type: { kind: 'number', min: 1, max: 60 },
      required: true,
      privacy: { kind: 'attribute' },
      description: 'Contracted care hours per week (1–60).',
    },
    f.enumField('careType', ['kita', 'tagespflege'], 'kita or tagespflege.'),
  ],
  rules: [f.spellOrder, f.bornBeforeSpell],
};
