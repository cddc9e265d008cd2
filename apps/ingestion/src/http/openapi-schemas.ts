/** OpenAPI schemas of the ingestion answers (the bodies are streams, so they are written by hand). */
export const DELIVERY_ERROR_SCHEMA = {
  type: 'object',
  required: ['index', 'field', 'rule', 'message'],
  properties: {
    index: { type: 'integer', description: 'The record’s position in the delivery, from 0' },
    line: {
      type: 'integer',
      description: 'The line where the record starts (CSV and NDJSON count the header/first line as 1)',
    },
    recordId: { type: 'string', description: 'Present when the record’s recordId is itself valid' },
    field: { type: 'string', description: 'The field, or (record) for the record as a whole' },
    rule: { type: 'string', example: 'date' },
    message: { type: 'string', example: 'must be a date YYYY-MM-DD' },
  },
};

export const DELIVERY_REPORT_SCHEMA = {
  type: 'object',
  required: ['deliveryId', 'source', 'received', 'accepted', 'rejected', 'errors'],
  properties: {
    deliveryId: { type: 'string', format: 'uuid' },
    source: { type: 'string', example: 'population' },
    received: { type: 'integer' },
    accepted: { type: 'integer' },
    rejected: { type: 'integer' },
    errorsTruncated: { type: 'boolean', description: 'More errors occurred than the 1000 listed' },
    snapshotId: { type: 'string' },
    errors: { type: 'array', maxItems: 1000, items: DELIVERY_ERROR_SCHEMA },
  },
};

export const SNAPSHOT_SCHEMA = {
  type: 'object',
  properties: {
    source: { type: 'string' },
    snapshotId: { type: 'string' },
    status: { type: 'string', enum: ['completed'] },
    deliveries: { type: 'integer' },
    accepted: { type: 'integer' },
    retracted: {
      type: 'integer',
      description: 'Records of the source retracted because the extract did not contain them',
    },
    startedAt: { type: 'string', format: 'date-time' },
    completedAt: { type: 'string', format: 'date-time' },
  },
};

export const SOURCES_SCHEMA = {
  type: 'object',
  properties: {
    sources: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          title: { type: 'string' },
          description: { type: 'string' },
          formats: { type: 'array', items: { type: 'string' } },
          fields: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                type: { type: 'string' },
                required: { type: 'boolean' },
                privacy: { type: 'string', enum: ['identifier', 'direct', 'quasi', 'attribute'] },
                description: { type: 'string' },
              },
            },
          },
          schema: { type: 'object', description: 'JSON Schema (draft 2020-12) of one record in JSON form' },
        },
      },
    },
  },
};
