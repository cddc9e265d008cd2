// Two projects: `unit` needs no server; `integration` talks to real Kafka, MongoDB and Redis
// (addresses from the environment that `npm run infra:up` prints, or testcontainers where Docker runs).
// @swc/jest transpiles without type checking (tsc does that in `npm run lint`), which keeps test
// start-up fast on two cores.
const fs = require('fs');
const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
const libs = ['config', 'contracts', 'messaging', 'privacy', 'indicators', 'regions', 'platform', 'testing'];
const moduleNameMapper = {};
for (const lib of libs) {
  moduleNameMapper[`^@sozialmonitor/${lib}$`] = `<rootDir>/libs/${lib}/src`;
  moduleNameMapper[`^@sozialmonitor/${lib}/(.*)$`] = `<rootDir>/libs/${lib}/src/$1`;
}
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.local/'],
};
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools,scripts,examples,deploy,docs,test,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools,scripts,examples,deploy,docs,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-setup-integration.ts'],
    },
  ],
};
