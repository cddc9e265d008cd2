// The root jest.config.js matches tests under {apps,libs,scripts,examples,deploy,test} only, so the
// tests of tools/ (the generator and tools/run-ts.js) run with this config until the root config
// lists `tools` too:  npx jest -c tools/generator/jest.config.js --selectProjects unit
// The integration project here needs no servers (the scale-1 plausibility run), so it has no global setup.
const path = require('path');
const root = require('../../jest.config.js');
const [unit, integration] = root.projects;
const rootDir = path.resolve(__dirname, '../..');
module.exports = {
  projects: [
    { ...unit, rootDir, testMatch: ['<rootDir>/tools/**/*.spec.ts'] },
    {
      ...unit,
      rootDir,
      displayName: integration.displayName,
      testMatch: ['<rootDir>/tools/**/*.int-spec.ts'],
      setupFilesAfterEnv: integration.setupFilesAfterEnv,
    },
  ],
};
