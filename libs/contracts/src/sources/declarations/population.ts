import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

export const population: SourceDeclaration = {
  name: 'population',
  title: 'Melderegister: residence spells',
  description: 'One record per person and residence spell in one municipality of the county.',
  fields: [
    f.recordId,
    f.personId,
    f.firstName,
    f.lastName,
    f.birthDate,
    f.sex,
    f.nationality,
    f.street,
    f.houseNumber,
    f.postalCode,
    f.ags,
    f.validFrom,
    f.validTo,
    f.enumField(
      'startReason',
      ['birth', 'move_in', 'immigration', 'address_change', 'initial'],
      'birth; move_in (from elsewhere in Germany); immigration (from abroad); address_change (within the municipality); initial (resident when the register extract begins).',
    ),
    {
      ...f.enumField(
        'endReason',
        ['death', 'move_out', 'emigration', 'address_change'],
        'Why the spell ended; null exactly when validTo is null.',
      ),
      required: false,
    },
  ],
  rules: [
    f.spellOrder,
    {
      rule: 'birth_date_order',
      birth: 'birthDate',
      reference: 'validFrom',
      equalWhen: { field: 'startReason', value: 'birth' },
    },
    { rule: 'null_together', field: 'endReason', with: 'validTo' },
  ],
};
