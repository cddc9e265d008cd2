import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { componentSchema } from '../openapi/component-schemas';

/** OpenAPI schemas of the admin answers (libs/messaging's ConsumerGroupAdmin, ReplayCoordinator, DeadLetterAdmin). */
const OFFSET = {
  type: 'string',
  pattern: '^-?\\d+$',
  description: 'A Kafka offset (a decimal string; -1: none)',
} as const;

export const CONSUMER_GROUP_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['groupId', 'service', 'totalLag', 'partitions'],
  properties: {
    groupId: { type: 'string' },
    service: { type: 'string' },
    totalLag: { type: 'integer', minimum: 0 },
    partitions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['topic', 'partition', 'committed', 'end', 'lag'],
        properties: {
          topic: { type: 'string' },
          partition: { type: 'integer', minimum: 0 },
          committed: {
            ...OFFSET,
            description: 'The next offset the group reads; -1 when it has committed nothing yet',
          },
          end: OFFSET,
          lag: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
};

const REPLAY_START_SCHEMA = componentSchema('ReplayStart', {
  oneOf: [
    { type: 'object', required: ['kind'], properties: { kind: { type: 'string', enum: ['earliest'] } } },
    {
      type: 'object',
      required: ['kind', 'at'],
      properties: { kind: { type: 'string', enum: ['timestamp'] }, at: { type: 'string', format: 'date-time' } },
    },
    {
      type: 'object',
      required: ['kind', 'offsets'],
      properties: {
        kind: { type: 'string', enum: ['offsets'] },
        offsets: { type: 'object', additionalProperties: OFFSET },
      },
    },
  ],
});

const REPLAY_NOTICE_PROPERTIES: Record<string, SchemaObject | ReferenceObject> = {
  replayId: { type: 'string', format: 'uuid' },
  service: { type: 'string' },
  groupId: { type: 'string' },
  topic: { type: 'string' },
  start: REPLAY_START_SCHEMA,
  positions: {
    type: 'array',
    items: componentSchema('ReplayPosition', {
      type: 'object',
      required: ['partition', 'target', 'end', 'committedBefore'],
      properties: {
        partition: { type: 'integer', minimum: 0 },
        target: { ...OFFSET, description: 'Where the group reads next after the reset' },
        end: { ...OFFSET, description: "The partition's end when the replay was planned" },
        committedBefore: { ...OFFSET, description: "The group's committed offset before the reset (-1: none)" },
      },
    }),
  },
  requestedBy: { type: 'string', description: 'The name of the admin token that asked' },
  requestedAt: { type: 'string', format: 'date-time' },
  finishedAt: { type: 'string', format: 'date-time' },
  status: { type: 'string', enum: ['finished', 'failed'] },
  error: { type: 'string' },
};
const REPLAY_NOTICE_REQUIRED = [
  'replayId',
  'service',
  'groupId',
  'topic',
  'start',
  'positions',
  'requestedBy',
  'requestedAt',
];

export const REPLAY_NOTICE_SCHEMA: SchemaObject = {
  type: 'object',
  required: REPLAY_NOTICE_REQUIRED,
  properties: REPLAY_NOTICE_PROPERTIES,
};

/** A replay's plan and progress: the answer of every replay start and status route (admin and webhook replays). */
export const REPLAY_STATUS_SCHEMA = componentSchema('ReplayStatus', {
  type: 'object',
  required: [...REPLAY_NOTICE_REQUIRED, 'state', 'progress'],
  properties: {
    ...REPLAY_NOTICE_PROPERTIES,
    state: { type: 'string', enum: ['planned', 'pausing', 'replaying', 'finished', 'failed'] },
    progress: {
      type: 'object',
      required: ['done', 'total'],
      properties: { done: { type: 'integer', minimum: 0 }, total: { type: 'integer', minimum: 0 } },
    },
  },
});

/** Where a replay starts: the same three forms for every replay route (libs/messaging's ReplayCoordinator). */
export const REPLAY_FROM_SCHEMA: SchemaObject = {
  description: '`earliest`, an ISO 8601 timestamp (YYYY-MM-DDThh:mm…), or offsets by partition {"0": "15"}',
  oneOf: [
    { type: 'string', enum: ['earliest'] },
    { type: 'string', format: 'date-time' },
    { type: 'object', minProperties: 1, additionalProperties: { type: 'string', pattern: '^\\d+$' } },
  ],
};

export const REPLAY_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['topic', 'from'],
  properties: {
    topic: {
      type: 'string',
      minLength: 1,
      description: 'A topic the service consumes (see GET …/admin/consumer-groups)',
    },
    from: REPLAY_FROM_SCHEMA,
    dryRun: { type: 'boolean', default: false, description: 'Only show the offsets a replay would set' },
  },
};

export const DEAD_LETTER_SCHEMA: SchemaObject = {
  type: 'object',
  required: [
    'partition',
    'offset',
    'key',
    'originalTopic',
    'originalPartition',
    'originalOffset',
    'service',
    'error',
    'failedAt',
  ],
  properties: {
    partition: { type: 'integer', minimum: 0 },
    offset: OFFSET,
    key: { type: 'string', nullable: true },
    originalTopic: { type: 'string' },
    originalPartition: { type: 'integer', minimum: 0 },
    originalOffset: OFFSET,
    originalType: { type: 'string' },
    originalId: { type: 'string' },
    service: { type: 'string' },
    error: { type: 'string', description: 'Why the message could not be processed (never its payload)' },
    failedAt: { type: 'string', format: 'date-time' },
  },
};

export const REDRIVE_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['messages'],
  properties: {
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'string',
        pattern: '^\\d+:\\d+$',
        example: '0:17',
        description: 'partition:offset of a dead letter',
      },
    },
  },
};

export const REDRIVE_RESULT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['redriven', 'unknown'],
  properties: {
    redriven: { type: 'array', items: { type: 'string', pattern: '^\\d+:\\d+$' } },
    unknown: {
      type: 'array',
      items: { type: 'string' },
      description: 'Selected messages that are no dead letter of this service (nothing was done for them)',
    },
  },
};
