import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadEnvironment } from '@sozialmonitor/config';
import { SERVICES } from '../services';
import NODE_OPTIONS from '../node-options.json';

// The manifests are rendered with kustomize (built by deploy/local/infra.sh into .local/cache) and checked
// against the code like the compose file: every container's environment passes the service's validation.
const root = join(__dirname, '../..');
const cache = process.env.SM_CACHE ?? join(root, '.local/cache');

function kustomize(): string {
  if (process.env.KUSTOMIZE) return process.env.KUSTOMIZE;
  const built = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('kustomize-')).sort().reverse() : [];
  for (const dir of built) if (existsSync(join(cache, dir, 'kustomize'))) return join(cache, dir, 'kustomize');
  throw new Error('kustomize not found: npm run infra:up builds it into .local/cache (or set KUSTOMIZE)');
}

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

const rendered = parseAllDocuments(execFileSync(kustomize(), ['build', __dirname], { encoding: 'utf8' })).map((d) => d.toJS() as K8sObject);
const of = (kind: string) => rendered.filter((o) => o.kind === kind);
const named = (kind: string, name: string) => of(kind).find((o) => o.metadata.name === name)!;
const exampleSecret = parse(readFileSync(join(__dirname, 'secret.example.yaml'), 'utf8')) as { metadata: { name: string }; stringData: Record<string, string> };

// what an operator puts into the Secret (valid shapes, not real keys)
const operatorSecrets: Record<string, string> = {
  RAW_ENCRYPTION_KEYS: 'k1:' + 'A'.repeat(44),
  PSEUDONYM_KEYS: 'p1:' + 'B'.repeat(44),
  API_TOKENS: '[]',
  METRICS_TOKEN: 'metrics-token-0123456789',
  INGESTION_MONGO_URL: 'mongodb://u:p@mongo-0.mongo/sozialmonitor_ingestion?replicaSet=rs0',
  KPI_CALCULATION_MONGO_URL: 'mongodb://u:p@mongo-0.mongo/sozialmonitor_kpi_calculation?replicaSet=rs0',
  PUBLICATION_MONGO_URL: 'mongodb://u:p@mongo-0.mongo/sozialmonitor_publication?replicaSet=rs0',
};

const apps = SERVICES;

type EnvVar = { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } };

/** The container's environment as the kubelet would resolve it (ConfigMap rendered, Secret from the operator). */
function resolvedEnvironment(env: EnvVar[]): Record<string, string> {
  return Object.fromEntries(
    env.map((v) => {
      if (v.value !== undefined) return [v.name, v.value];
      const cm = v.valueFrom?.configMapKeyRef;
      if (cm) {
        const map = named('ConfigMap', cm.name);
        expect(map?.data).toHaveProperty(cm.key);
        return [v.name, map.data![cm.key]];
      }
      const secret = v.valueFrom!.secretKeyRef!;
      expect(secret.name).toBe(exampleSecret.metadata.name);
      expect(exampleSecret.stringData).toHaveProperty(secret.key);
      return [v.name, operatorSecrets[secret.key]];
    }),
  );
}

describe('deploy/k8s (kustomize build)', () => {
  it.each(apps)('$name: its environment passes the service’s own validation', ({ name, schema, portVariable, port }) => {
    const container = named('Deployment', name).spec.template.spec.containers[0];
    const env = loadEnvironment(schema as never, resolvedEnvironment(container.env)) as Record<string, unknown>;
    expect(env[portVariable]).toBe(port);
    expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
  });

  it.each(apps)('$name: secrets come from the Secret, never as literal values', ({ name }) => {
    const container = named('Deployment', name).spec.template.spec.containers[0];
    for (const v of container.env as EnvVar[]) {
      if (['RAW_ENCRYPTION_KEYS', 'PSEUDONYM_KEYS', 'API_TOKENS', 'MONGO_URL', 'METRICS_TOKEN'].includes(v.name)) expect(v.valueFrom?.secretKeyRef).toBeDefined();
    }
    expect(of('Secret')).toEqual([]);
  });

  it.each(apps)('$name: probes, resources, non-root, graceful stop, replicas within the partitions', ({ name }) => {
    const deployment = named('Deployment', name);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.resources.requests.cpu).toBeDefined();
    expect(container.resources.requests.memory).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(10);
    const partitions = Number(named('ConfigMap', container.env.find((v: EnvVar) => v.name === 'TOPIC_PARTITIONS').valueFrom.configMapKeyRef.name).data!.TOPIC_PARTITIONS);
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.replicas).toBeLessThanOrEqual(partitions);
    const budget = named('PodDisruptionBudget', name);
    expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(budget.spec.maxUnavailable).toBe(1);
    const service = named('Service', name);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(deployment.metadata.namespace).toBe('sozialmonitor');
  });

  it.each(apps)('$name: Node options as deploy/node-options.json, a heap within the memory limit', ({ name }) => {
    const container = named('Deployment', name).spec.template.spec.containers[0];
    const options = (container.env as EnvVar[]).find((v) => v.name === 'NODE_OPTIONS')?.value;
    expect(options).toBe((NODE_OPTIONS as Record<string, string | undefined>)[name]);
    const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(options ?? '')?.[1] ?? 0);
    const [, amount, unit] = /^(\d+)(Mi|Gi)$/.exec(container.resources.limits.memory)!;
    const limitMiB = Number(amount) * (unit === 'Gi' ? 1024 : 1);
    // the old generation, new space, code, buffers and the native rest must fit in the container
    expect(heapMiB).toBeLessThanOrEqual(limitMiB - 200);
  });

  it('the ServiceMonitor scrapes the four services; the PrometheusRule is alerts.yml', () => {
    const monitor = named('ServiceMonitor', 'sozialmonitor');
    expect(monitor.spec.selector.matchExpressions[0].values).toEqual(apps.map((a) => a.name));
    expect(monitor.spec.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics', honorLabels: true });
    const rules = parse(readFileSync(join(root, 'deploy/monitoring/prometheus/alerts.yml'), 'utf8')) as { groups: unknown };
    expect(named('PrometheusRule', 'sozialmonitor').spec.groups).toEqual(rules.groups);
  });
});
