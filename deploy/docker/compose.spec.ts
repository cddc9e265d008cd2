import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadEnvironment } from '@sozialmonitor/config';
import { SERVICES } from '../services';
import NODE_OPTIONS from '../node-options.json';

// docker compose cannot run on the development machines (no Docker engine): this test keeps the
// compose file from rotting unseen by checking it against the code.
const root = join(__dirname, '../..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

/** `${VAR:?message}` / `${VAR:-default}` as compose would interpolate them with the operator's values. */
const interpolate = (value: unknown, operatorValues: Record<string, string>) =>
  String(value).replace(/\$\{([A-Z0-9_]+)(:[?-][^}]*)?\}/g, (_, name: string) => operatorValues[name] ?? '');

const operator = {
  RAW_ENCRYPTION_KEYS: 'k1:' + 'A'.repeat(44),
  PSEUDONYM_KEYS: 'p1:' + 'B'.repeat(44),
  API_TOKENS: '[]',
  KPI_CALCULATION_TOKEN: 'C'.repeat(32),
  METRICS_TOKEN: 'metrics-token-0123456789',
  MONGO_USERNAME: 'sozialmonitor',
  MONGO_PASSWORD: 'mongo-password-0123456789',
  REDIS_PASSWORD: 'redis-password-0123456789',
};

const apps = SERVICES;

// The Compose Specification's JSON Schema as docker compose itself validates with it: schema/compose-spec.json
// of github.com/compose-spec/compose-go/v2 v2.16.2 (Go module proxy), vendored unchanged.
const composeSchema = JSON.parse(readFileSync(join(__dirname, 'compose-spec.schema.json'), 'utf8')) as object;
const validateCompose = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(composeSchema);
})();

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON Schema', () => {
    expect(validateCompose(compose) ? [] : validateCompose.errors).toEqual([]);
  });

  it('the schema check would catch a misspelt key (so the test above can fail)', () => {
    const broken = structuredClone(compose);
    broken.services.kafka.helthcheck = broken.services.kafka.healthcheck;
    expect(validateCompose(broken)).toBe(false);
  });

  it('the monitoring profile runs Prometheus with the project’s rules and Grafana with the dashboard', () => {
    const { prometheus, grafana } = compose.services;
    for (const s of [prometheus, grafana]) expect(s.profiles).toEqual(['monitoring']);
    expect(prometheus.volumes).toContain('./deploy/monitoring/prometheus:/etc/prometheus:ro');
    expect(grafana.volumes).toContain('./deploy/monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro');
    expect(grafana.volumes).toContain('./deploy/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro');
    const config = parse(readFileSync(join(root, 'deploy/monitoring/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs: { names: string[]; port: number }[] }[];
    };
    for (const { name, port } of apps) {
      const job = config.scrape_configs.find((c) => c.job_name === name)!;
      expect(job.dns_sd_configs[0]).toMatchObject({ names: [name], port });
    }
  });

  it.each(apps)('$name: its environment passes the service’s own validation', ({ name, schema }) => {
    const env = Object.fromEntries(Object.entries(compose.services[name].environment).map(([k, v]) => [k, interpolate(v, operator)]));
    expect(() => loadEnvironment(schema as never, env)).not.toThrow();
  });

  it.each(apps)('$name: Node options as deploy/node-options.json', ({ name }) => {
    expect(compose.services[name].environment.NODE_OPTIONS).toBe((NODE_OPTIONS as Record<string, string | undefined>)[name]);
  });

  it.each(apps)('$name: requires the operator’s secrets instead of defaulting them', ({ name, schema }) => {
    const env = compose.services[name].environment as Record<string, string>;
    for (const secret of ['RAW_ENCRYPTION_KEYS', 'PSEUDONYM_KEYS', 'API_TOKENS', 'KPI_CALCULATION_TOKEN', 'METRICS_TOKEN']) {
      if (env[secret] !== undefined) expect(env[secret]).toMatch(new RegExp(`^\\$\\{${secret}:\\?`));
    }
    void schema;
  });

  it.each(apps)('$name: port, health check and build match the code', ({ name, schema, portVariable, port }) => {
    const service = compose.services[name];
    const env = loadEnvironment(schema as never, Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, interpolate(v, operator)]))) as Record<string, unknown>;
    expect(env[portVariable]).toBe(port);
    expect(new (schema as unknown as new () => Record<string, unknown>)()[portVariable]).toBe(port);
    expect(service.healthcheck.test.join(' ')).toContain(`127.0.0.1:${port}/health/ready`);
    if (service.ports) expect(service.ports).toEqual([`${port}:${port}`]);
    expect(service.build.args.APP).toBe(name);
    expect(service.init).toBe(true);
    for (const dep of ['kafka', 'mongo', 'redis']) expect(service.depends_on[dep]).toEqual({ condition: 'service_healthy' });
    // the service reaches Kafka through the compose network name
    expect(service.environment.KAFKA_BROKERS).toBe('kafka:9092');
  });

  it('MongoDB and Redis need credentials, given from the environment and never as arguments (issue 11, hole 8)', () => {
    const { mongo, redis } = compose.services;
    expect(mongo.environment.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGO_PASSWORD:\?/);
    expect(redis.environment.REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    for (const app of ['ingestion', 'kpi-calculation', 'publication'])
      expect(compose.services[app].environment.MONGO_URL).toMatch(/^mongodb:\/\/\$\{MONGO_USERNAME\}:\$\{MONGO_PASSWORD\}@mongo:/);
    expect(compose.services.publication.environment.REDIS_URL).toBe('redis://:${REDIS_PASSWORD}@redis:6379');
    // the servers read their secrets from the environment: no password on a command line
    expect(JSON.stringify([mongo.command, mongo.entrypoint, redis.command])).not.toMatch(/requirepass [^%]|--password/);
    expect(JSON.stringify(redis.command)).toContain('redis-server -');
  });

  it('kpi-calculation can be scaled: it publishes no host port', () => {
    expect(compose.services['kpi-calculation'].ports).toBeUndefined();
  });

  it('runs Kafka in KRaft mode with automatic topic creation off (services create their topics)', () => {
    const kafka = compose.services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:/);
    expect(kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(kafka.healthcheck).toBeDefined();
    expect(compose.services.mongo.command).toContain('--replSet');
    expect(compose.services.mongo.healthcheck).toBeDefined();
    expect(compose.services.redis.healthcheck).toBeDefined();
  });

  it('builds every app from one multi-stage Dockerfile: production dependencies, non-root, exec-form CMD', () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^ARG APP$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "[^"]+"\]$/m);
  });

  it("installs Debian's Chromium into the publication image and points PUBLICATION_CHROMIUM_PATH at it (report PDFs)", () => {
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/if \[ "\$APP" = publication \]; then[\s\\]*apt-get update[\s\\]*&& apt-get install -y --no-install-recommends chromium /);
    expect(final).toMatch(/^ENV PUBLICATION_CHROMIUM_PATH=\/usr\/bin\/chromium /m);
    // installed as root, before the service drops to the node user
    expect(final.indexOf('apt-get install')).toBeLessThan(final.indexOf('USER node'));
  });
});
