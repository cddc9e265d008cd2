// Layer rules of docs/architecture.md, checked by `npm run lint` (model: Sairyss/domain-driven-hexagon).
// Every app: src/domain (pure) ← src/application (use cases, ports) ← src/adapters, src/http; the module,
// environment and main.ts at src/ wire them. Known violations waiting for their fix are listed in
// .dependency-cruiser-known-violations.json (npx depcruise-baseline …); new ones fail the lint.
const frameworks = 'node_modules/(@nestjs|kafkajs|mongoose|ioredis|fastify|@fastify|prom-client|nestjs-pino|pino)(/|$)';
const appLayer = (layer) => `^apps/[^/]+/src/${layer}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one idea in two files (or a layer points back up).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A module nothing imports and that imports nothing is dead code (or a forgotten entry point).',
      from: {
        orphan: true,
        pathNot: [
          '^libs/testing/src/(global-setup|global-teardown|jest-setup-integration)[.]ts$',
          '(^|/)[.][^/]+[.](js|cjs|mjs|ts|json)$',
          '[.]d[.]ts$',
          '(^|/)tsconfig[^/]*[.]json$',
          '[.](spec|int-spec)[.]ts$',
          '(^|/)jest[.]config[.]js$',
        ],
      },
      to: {},
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ imports nothing of application/, adapters/, http/, the module wiring or the frameworks.',
      from: { path: appLayer('domain'), pathNot: '[.]spec[.]ts$' },
      to: {
        path: [
          appLayer('(application|adapters|http)'),
          '^apps/[^/]+/src/[^/]+[.](module|environment)[.]ts$',
          frameworks,
          '^libs/(messaging|platform|config)/',
        ],
      },
    },
    {
      name: 'application-uses-ports',
      severity: 'error',
      comment:
        'application/ reaches adapters only through its ports (abstract classes in application/ports, bound in the module).',
      from: { path: appLayer('application') },
      to: { path: appLayer('(adapters|http)') },
    },
    {
      name: 'adapters-not-to-http',
      severity: 'error',
      comment: 'adapters/ (Kafka, MongoDB, Redis, HTTP clients) do not reach into the controllers.',
      from: { path: appLayer('adapters') },
      to: { path: appLayer('http') },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      comment: 'Apps talk over Kafka and HTTP, never by importing each other.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'pure-libs-stay-pure',
      severity: 'error',
      comment: 'contracts, indicators, privacy and regions: no transport, store or framework (tests may use anything).',
      from: { path: '^libs/(contracts|indicators|privacy|regions)/', pathNot: '[.](spec|int-spec)[.]ts$' },
      to: { path: [frameworks, '^libs/(messaging|platform|config|testing)/'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)(dist|coverage|node_modules|[.]local)/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
