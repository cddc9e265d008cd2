/**
 * The topic registry (events.md): every topic the system owns, its CloudEvents type and settings.
 * Topics are created at start by the services with these settings, never by auto-creation.
 */
export const TOPICS = {
  raw: 'sozialmonitor.raw.records.v1',
  lake: 'sozialmonitor.lake.records.v1',
  kpiValues: 'sozialmonitor.kpi.values.v1',
  control: 'sozialmonitor.control.v1',
  deadLetter: 'sozialmonitor.deadletter.v1',
  catalogue: 'sozialmonitor.catalogue.v1',
  sources: 'sozialmonitor.sources.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const EVENT_TYPES = {
  rawRecord: 'de.sozialmonitor.raw.record.v1',
  lakeRecord: 'de.sozialmonitor.lake.record.v1',
  kpiValue: 'de.sozialmonitor.kpi.value.v1',
  deadLetter: 'de.sozialmonitor.deadletter.v1',
  snapshotCompleted: 'de.sozialmonitor.control.snapshot-completed.v1',
  catalogueChanged: 'de.sozialmonitor.control.catalogue-changed.v1',
  replayRequested: 'de.sozialmonitor.control.replay-requested.v1',
  replayStarted: 'de.sozialmonitor.control.replay-started.v1',
  replayFinished: 'de.sozialmonitor.control.replay-finished.v1',
  catalogueVersion: 'de.sozialmonitor.catalogue.version.v1',
  catalogueAudit: 'de.sozialmonitor.catalogue.audit.v1',
  sourceVersion: 'de.sozialmonitor.source.version.v1',
  sourceAudit: 'de.sozialmonitor.source.audit.v1',
} as const;

export interface TopicSettings {
  name: TopicName | string;
  /** Kafka topic configs (`cleanup.policy`, `retention.ms`, …). */
  config: Record<string, string>;
  /** Partitions when it must not have the deployment's TOPIC_PARTITIONS. */
  partitions?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Topic settings for a deployment; `rawRetentionDays` is RAW_RETENTION_DAYS (default 7). */
export function topicSettings(rawRetentionDays = 7): TopicSettings[] {
  return [
    { name: TOPICS.raw, config: { 'cleanup.policy': 'delete', 'retention.ms': String(rawRetentionDays * DAY_MS) } },
    // Compacted and kept forever: the lake's log and the published values are replayable state.
    { name: TOPICS.lake, config: { 'cleanup.policy': 'compact', 'retention.ms': '-1' } },
    { name: TOPICS.kpiValues, config: { 'cleanup.policy': 'compact', 'retention.ms': '-1' } },
    { name: TOPICS.control, config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS) } },
    { name: TOPICS.deadLetter, config: { 'cleanup.policy': 'delete', 'retention.ms': String(30 * DAY_MS) } },
    // Compacted and kept forever: every catalogue version and audit entry has a key of its own.
    { name: TOPICS.catalogue, config: { 'cleanup.policy': 'compact', 'retention.ms': '-1' }, partitions: 1 },
    // Likewise every source declaration version registered at run time, and its audit trail.
    { name: TOPICS.sources, config: { 'cleanup.policy': 'compact', 'retention.ms': '-1' }, partitions: 1 },
  ];
}

/** `ce_source` of each service (events.md: `/sozialmonitor/<service>`). */
export type ServiceName = 'ingestion' | 'anonymization' | 'kpi-calculation' | 'publication';
export const ceSource = (service: ServiceName | string): string => `/sozialmonitor/${service}`;
