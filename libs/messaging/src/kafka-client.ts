import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string;
  clientId: string;
  /** TLS and SASL (kafkaSecurityOf); none by default. */
  security?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** Receives kafkajs' own log lines (warnings and errors only). */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
}

const LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers.split(',').map((b) => b.trim()),
    connectionTimeout: 5000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10000 },
    ...options.security,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        const { message, ...extra } = log;
        (options.log ?? defaultLog)(LEVEL[level] ?? 'info', `[kafkajs ${namespace}] ${message}`, extra);
      },
  });
}

function defaultLog(level: string, message: string): void {
  process.stderr.write(JSON.stringify({ level, msg: message }) + '\n');
}
