import { Test } from '@nestjs/testing';
import { ApiTokensEnvironment, ConfigurationError, EnvironmentModule } from '@sozialmonitor/config';
import { randomBytes } from 'node:crypto';
import { ApiTokenRegistry } from './api-tokens';
import { AuthModule } from './auth.module';

const random = () => randomBytes(24).toString('base64url');
const json = (entries: object[]) => JSON.stringify(entries);


function configurationRules(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigurationError) return e.problems.map((p) => `${p.variable}: ${p.rule}`);
    throw e;
  }
  return [];
}

describe('API tokens in production (issue 11, hole 7)', () => {
  const production = { production: true };

  it('refuses a missing API_TOKENS in production, accepts it elsewhere', () => {
    expect(ApiTokenRegistry.fromJson(undefined).size).toBe(0);
    expect(configurationRules(() => ApiTokenRegistry.fromJson(undefined, 'API_TOKENS', production))).toEqual([
      'API_TOKENS: is required in production (every write and admin route needs a token)',
    ]);
    expect(configurationRules(() => ApiTokenRegistry.fromJson(' ', 'API_TOKENS', production))).toHaveLength(1);
    expect(configurationRules(() => ApiTokenRegistry.fromJson('[]', 'API_TOKENS', production))).toHaveLength(1);
  });

  it("refuses the local scripts' demo tokens in production", () => {
    const text = json([{ name: 'demo-admin', token: random(), roles: ['admin'] }]);
    expect(ApiTokenRegistry.fromJson(text).size).toBe(1);
    expect(configurationRules(() => ApiTokenRegistry.fromJson(text, 'API_TOKENS', production))).toEqual([
      'API_TOKENS: entry 0: is a generated demo token (name demo-…); production needs real tokens',
    ]);
  });

  it('refuses tokens that do not look random in production, naming the entry but never the token', () => {
    for (const weak of ['a'.repeat(32), '0123456789abcdefghijklmnopqrstuv', 'abcabcabcabcabcabcabc']) {
      const text = json([{ name: 'reports', token: weak, roles: ['analyst'] }]);
      expect(ApiTokenRegistry.fromJson(text).size).toBe(1);
      const rules = configurationRules(() => ApiTokenRegistry.fromJson(text, 'API_TOKENS', production));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatch(/^API_TOKENS: entry 0: token (has only|is a regular sequence).*random tokens$/);
      expect(rules[0]).not.toContain(weak.slice(0, 6));
    }
    const text = json([{ name: 'reports', token: random(), roles: ['analyst'] }]);
    expect(ApiTokenRegistry.fromJson(text, 'API_TOKENS', production).size).toBe(1);
  });
});

describe('AuthModule keeps only the hashes (api.md)', () => {
  const saved = process.env.API_TOKENS;
  afterEach(() => {
    if (saved === undefined) delete process.env.API_TOKENS;
    else process.env.API_TOKENS = saved;
  });

  it('removes the raw API_TOKENS from process.env and from the validated environment once hashed', async () => {
    const token = random();
    process.env.API_TOKENS = json([{ name: 'reports', token, roles: ['analyst'] }]);
    const moduleRef = await Test.createTestingModule({
      imports: [EnvironmentModule.forRoot(ApiTokensEnvironment), AuthModule.forRoot(ApiTokensEnvironment)],
    }).compile();
    const registry = moduleRef.get(ApiTokenRegistry);
    expect(registry.principalOf(token)?.name).toBe('reports');
    expect(process.env.API_TOKENS).toBeUndefined();
    expect(JSON.stringify(moduleRef.get(ApiTokensEnvironment))).not.toContain(token);
    await moduleRef.close();
  });
});
