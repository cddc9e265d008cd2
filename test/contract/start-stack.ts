import { startContractStack } from './contract-stack';

/**
 * For working on the OpenAPI documents: starts the contract stack (see contract-stack.ts) and keeps it
 * running until Ctrl-C, printing each service's URL and the tokens. Needs the infrastructure variables:
 *   set -a; source .local/run/infra.env; set +a; node tools/run-ts.js test/contract/start-stack.ts
 */
async function main() {
  const stack = await startContractStack();
  const urls = Object.fromEntries(Object.entries(stack.services).map(([name, s]) => [name, s.url]));
  process.stdout.write(JSON.stringify({ urls, allRoles: stack.allRoles, analyst: stack.analyst }) + '\n');
  const stop = () => void stack.stop().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
