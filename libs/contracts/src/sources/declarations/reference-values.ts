import * as f from '../common-fields';
import type { SourceDeclaration } from '../source-declaration';

/** Aggregates published by statistical offices: no personal data, every field is kept. */
export const referenceValues: SourceDeclaration = {
  name: 'reference_values',
  title: 'Official comparison values for the state and the country',
  description: 'One record per indicator, comparison region and year.',
  fields: [
    f.recordId,
    {
      name: 'indicatorId',
      type: { kind: 'indicatorId' },
      required: true,
      privacy: { kind: 'attribute' },
      description: 'An id of the indicator catalogue.',
    },
    f.enumField('regionCode', ['01', 'DG'], '01 (Schleswig-Holstein) or DG (Germany).'),
    {
      name: 'year',
      type: { kind: 'integer', min: 1990, max: 2100 },
      required: true,
      privacy: { kind: 'attribute' },
      description: 'Year (1990–2100).',
    },
    {
      name: 'value',
      type: { kind: 'number' },
      required: true,
      privacy: { kind: 'attribute' },
      description: "The value in the indicator's unit.",
    },
    {
      name: 'publisher',
      type: { kind: 'string', minLength: 1, maxLength: 200 },
      required: true,
      privacy: { kind: 'attribute' },
      description: 'Who published the value, e.g. "Statistikamt Nord".',
    },
  ],
  rules: [],
};
