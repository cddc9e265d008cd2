import { createKafka } from '@sozialmonitor/messaging';
import { freePort } from '@sozialmonitor/testing/free-port';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { randomBytes, randomUUID } from 'node:crypto';
import { exportedNames, metricNamesOf, monitoringQueries } from './promql-names';
import { ServiceProcess } from './service-process';

// The dashboard and the alert rules must only name metrics the services really export: the four services
// run here as processes (own ports, topics, groups, databases, Redis prefix) and their /metrics are read.
describe('dashboard and alert queries name exported metrics', () => {
  const run = randomUUID().slice(0, 8);
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'queries-test', log: () => undefined });
  let topics: PrivateTopics<'raw' | 'lake' | 'kpiValues' | 'control'> | undefined;
  const services: ServiceProcess[] = [];
  const databases: string[] = [];

  const mongoUrl = (service: string) => {
    const url = new URL(process.env.MONGO_URL!);
    url.pathname = `/queries_it_${run}_${service}`;
    databases.push(url.toString());
    return url.toString();
  };

  beforeAll(async () => {
    topics = await createPrivateTopics(kafka, `test.queries-${run}`, ['raw', 'lake', 'kpiValues', 'control']);
    const t = topics.names;
    const common = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      RAW_ENCRYPTION_KEYS: `t1:${randomBytes(32).toString('base64')}`,
      PSEUDONYM_KEYS: `p1:${randomBytes(32).toString('base64')}`,
      API_TOKENS: JSON.stringify([{ name: 'queries-test', token: randomBytes(24).toString('base64url'), roles: ['admin'] }]),
      RAW_TOPIC: t.raw,
      LAKE_TOPIC: t.lake,
      KPI_VALUES_TOPIC: t.kpiValues,
      CONTROL_TOPIC: t.control,
    };
    const [ingestion, anonymization, kpi, publication] = await Promise.all([1, 2, 3, 4].map(() => freePort()));
    const started = await Promise.allSettled([
      ServiceProcess.start('ingestion', { ...common, INGESTION_PORT: String(ingestion), MONGO_URL: mongoUrl('ingestion') }, ingestion),
      ServiceProcess.start('anonymization', { ...common, ANONYMIZATION_PORT: String(anonymization), ANONYMIZATION_GROUP_ID: `queries-it-${run}-anon` }, anonymization),
      ServiceProcess.start(
        'kpi-calculation',
        { ...common, KPI_CALCULATION_PORT: String(kpi), KPI_CALCULATION_GROUP_ID: `queries-it-${run}-kpi`, MONGO_URL: mongoUrl('kpi') },
        kpi,
      ),
      ServiceProcess.start(
        'publication',
        {
          ...common,
          PUBLICATION_PORT: String(publication),
          PUBLICATION_KPI_TOPIC: t.kpiValues,
          PUBLICATION_CONSUMER_GROUP: `queries-it-${run}-pub`,
          PUBLICATION_CACHE_PREFIX: `queries-it-${run}`,
          KPI_CALCULATION_URL: `http://127.0.0.1:${kpi}`,
          MONGO_URL: mongoUrl('publication'),
          REDIS_URL: process.env.REDIS_URL!,
        },
        publication,
      ),
    ]);
    for (const s of started) if (s.status === 'fulfilled') services.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }, 240_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await topics?.remove().catch(() => undefined);
    const { default: mongoose } = await import('mongoose');
    for (const url of databases) {
      const c = await mongoose.createConnection(url).asPromise();
      await c.dropDatabase();
      await c.close();
    }
  });

  it('every metric a dashboard panel or an alert reads is exported by a running service', async () => {
    const exported = new Set<string>(['up']); // `up` is Prometheus' own series of every target
    for (const service of services) for (const name of exportedNames(await service.metrics())) exported.add(name);
    const missing = monitoringQueries().flatMap(({ where, expr }) =>
      metricNamesOf(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(missing).toEqual([]);
    // and the new metrics the alerts rely on are really there
    for (const name of ['sozialmonitor_ready', 'sozialmonitor_consumer_group_lag', 'sozialmonitor_redis_up', 'sozialmonitor_kpi_publisher']) {
      expect(exported).toContain(name);
    }
  });
});
