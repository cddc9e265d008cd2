'use strict';
/**
 * Runs a TypeScript file of this repository without a build step:
 *
 *   node tools/run-ts.js <file.ts> [args…]      run <file.ts> as the main module
 *   node -r ./tools/run-ts.js <file.ts> [args…]  the same, as a preload
 *   require('./tools/run-ts.js')                 only register the hook
 *
 * It registers a require hook that compiles `.ts` with @swc/core (the repository's .swcrc, so code runs
 * exactly as under jest) and resolves the path aliases `@sozialmonitor/<lib>[/<sub>]` to
 * `libs/<lib>/src[/<sub>]`. Types are not checked (that is `tsc`'s job). Stack traces point into the
 * .ts sources through inline source maps.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const ROOT = path.resolve(__dirname, '..');
const ALIAS = /^@sozialmonitor\/([a-z0-9-]+)(\/.+)?$/;
const REGISTERED = Symbol.for('sozialmonitor.run-ts.registered');

function swcOptions() {
  const swcrc = JSON.parse(fs.readFileSync(path.join(ROOT, '.swcrc'), 'utf8'));
  delete swcrc.$schema;
  return { ...swcrc, swcrc: false, configFile: false, sourceMaps: 'inline' };
}

/** Maps an alias to its file-system path, or returns null when the request is no alias of an existing lib. */
function aliasTarget(request) {
  const match = ALIAS.exec(request);
  if (!match) return null;
  const libSrc = path.join(ROOT, 'libs', match[1], 'src');
  if (!fs.existsSync(libSrc)) return null;
  return match[2] ? path.join(libSrc, match[2]) : libSrc;
}

function register() {
  if (globalThis[REGISTERED]) return;
  globalThis[REGISTERED] = true;
  const swc = require('@swc/core');
  const options = swcOptions();
  process.setSourceMapsEnabled(true);

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveWithAliases(request, ...rest) {
    return resolveFilename.call(this, aliasTarget(request) ?? request, ...rest);
  };

  Module._extensions['.ts'] = function compileTypeScript(module, filename) {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = swc.transformSync(source, { ...options, filename });
    module._compile(code, filename);
  };
}

register();

if (require.main === module) {
  const script = process.argv[2];
  if (!script || script === '--help' || script === '-h') {
    process.stderr.write('usage: node tools/run-ts.js <file.ts> [args…]\n');
    process.exit(script ? 0 : 2);
  }
  // The script sees process.argv as if it had been started directly: [node, <file.ts>, args…].
  process.argv.splice(1, 2, path.resolve(script));
  Module.runMain(process.argv[1]);
}

module.exports = { register, aliasTarget, ROOT };
