import { createKafka } from '@sozialmonitor/messaging';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { freePort } from '@sozialmonitor/testing/free-port';
import { randomUUID } from 'node:crypto';
import { PrometheusProcess } from './prometheus-process';
import { ServiceProcess } from './service-process';

// A Prometheus of this test's own, with the project's alert rules (their `for:` shortened to 2 s), scrapes a
// kpi-calculation process this test starts on its own port, topics, group and database. Stopping the
// process fires "service down" and "nobody publishes"; starting it again resolves both.
describe('alerts in a running Prometheus', () => {
  const run = randomUUID().slice(0, 8);
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'alerts-test', log: () => undefined });
  let topics: PrivateTopics<'lake' | 'kpiValues' | 'control'> | undefined;
  let prometheus: PrometheusProcess | undefined;
  let service: ServiceProcess | undefined;
  let env: Record<string, string>;
  let port: number;

  beforeAll(async () => {
    topics = await createPrivateTopics(kafka, `test.alerts-${run}`, ['lake', 'kpiValues', 'control']);
    port = await freePort();
    const mongo = new URL(process.env.MONGO_URL!);
    mongo.pathname = `/alerts_it_${run}`;
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      MONGO_URL: mongo.toString(),
      KPI_CALCULATION_PORT: String(port),
      KPI_CALCULATION_GROUP_ID: `alerts-it-${run}`,
      LAKE_TOPIC: topics.names.lake,
      KPI_VALUES_TOPIC: topics.names.kpiValues,
      CONTROL_TOPIC: topics.names.control,
      // a stopped instance's lease must not outlive the test's patience
      PUBLISHER_LEASE_MS: '3000',
    };
    service = await ServiceProcess.start('kpi-calculation', env, port);
    prometheus = await PrometheusProcess.start({ 'kpi-calculation': `127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await service?.stop();
    await prometheus?.stop();
    await topics?.remove().catch(() => undefined);
    const { default: mongoose } = await import('mongoose');
    if (env?.MONGO_URL) {
      const c = await mongoose.createConnection(env.MONGO_URL).asPromise();
      await c.dropDatabase();
      await c.close();
    }
  });

  const noAlerts = async () => JSON.stringify((await prometheus!.alerts()).map((a) => [a.state, a.labels]));

  it('kpi-calculation stopped: service down and publisher missing fire; started again: both resolve', async () => {
    const p = prometheus!;
    // healthy first: scraped, ready, holding the lease, no alert
    await p.until(async () => (await p.query('up{job="kpi-calculation"} == 1 and on() sozialmonitor_ready == 1')).length === 1, 'kpi-calculation scraped and ready');
    await p.until(async () => (await p.query('sum(sozialmonitor_kpi_publisher)'))[0]?.[1] === 1, 'the publisher lease held');
    await p.until(async () => (await p.alerts()).length === 0, 'no alert while everything runs', 60_000, noAlerts);

    await service!.stop();
    await p.until(() => p.firing('SozialmonitorServiceDown', { job: 'kpi-calculation' }), 'SozialmonitorServiceDown to fire');
    await p.until(() => p.firing('SozialmonitorKpiPublisherMissing'), 'SozialmonitorKpiPublisherMissing to fire');

    service = await ServiceProcess.start('kpi-calculation', env, port);
    await p.until(async () => (await p.alerts()).length === 0, 'every alert to resolve after the restart', 90_000, noAlerts);
  });
});
