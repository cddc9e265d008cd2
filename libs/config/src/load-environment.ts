import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

/** A configuration value is missing or wrong. The message names each variable and the rule — never a value. */
export class ConfigurationError extends Error {
  constructor(readonly problems: { variable: string; rule: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  - ${p.variable}: ${p.rule}`).join('\n') +
        '\n(see .env.example for every variable)',
    );
    this.name = 'ConfigurationError';
  }
}

/**
 * Secrets may come from a file: `X_FILE=/run/secrets/x` stands for `X` (Docker/Kubernetes secrets).
 * A value set directly wins over a file.
 */
export function resolveFileVariables(env: NodeJS.ProcessEnv, variables: ReadonlySet<string>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  const problems: { variable: string; rule: string }[] = [];
  for (const [key, path] of Object.entries(env)) {
    if (!key.endsWith('_FILE') || !path) continue;
    const target = key.slice(0, -'_FILE'.length);
    // Only the schema's own variables: other programs' *_FILE variables are none of our business.
    if (!variables.has(target) || out[target]) continue;
    try {
      out[target] = readFileSync(path, 'utf8').trim();
    } catch (e) {
      problems.push({ variable: key, rule: `file cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
    }
  }
  if (problems.length) throw new ConfigurationError(problems);
  return out;
}

/** One problem per variable; several broken rules of one variable are joined. */
function flatten(errors: ValidationError[]): { variable: string; rule: string }[] {
  return errors.map((e) => {
    // class-validator's default messages start with the property name; ours are written without it.
    const rules = Object.values(e.constraints ?? {}).map((m) =>
      m.startsWith(e.property + ' ') ? m.slice(e.property.length + 1) : m,
    );
    return { variable: e.property, rule: [...new Set(rules)].join('; ') };
  });
}

/**
 * Validates the environment against a class whose properties are the variable names (class-validator
 * decorators, class-transformer conversions, defaults as property initializers). Unknown variables are
 * ignored; invalid ones throw a ConfigurationError naming them.
 */
export function loadEnvironment<T extends object>(schema: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const variables = new Set(getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false).map((m) => m.propertyName));
  const raw = resolveFileVariables(env, variables);
  // Empty strings mean "unset" so that defaults apply (`FIRST_YEAR= npm run …`).
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''));
  const instance = plainToInstance(schema, present, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, { skipMissingProperties: false, forbidUnknownValues: false });
  if (errors.length) throw new ConfigurationError(flatten(errors));
  return instance;
}
