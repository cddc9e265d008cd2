import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveAdminToken, type TokenSources } from './admin-token';

const none: TokenSources = { env: {}, readStdin: () => '', demo: () => undefined };

describe('the admin CLI token (issue 11, hole 7: never on the command line)', () => {
  it('refuses --token, naming the alternatives and not the value', () => {
    expect(() => resolveAdminToken({ ...none, token: 'secret-admin-token-1234' })).toThrow(
      /--token is not accepted .*SOZIALMONITOR_ADMIN_TOKEN.*--token-file.*--token-stdin/,
    );
    expect(() => resolveAdminToken({ ...none, token: 'secret-admin-token-1234' })).not.toThrow(/secret-admin/);
  });

  it('reads the first line of --token-file, of standard input, or the environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sm-admin-')), 'token');
    writeFileSync(file, 'from-file-token\nignored\n', { mode: 0o600 });
    expect(resolveAdminToken({ ...none, tokenFile: file, env: { SOZIALMONITOR_ADMIN_TOKEN: 'env' } })).toBe('from-file-token');
    expect(resolveAdminToken({ ...none, tokenStdin: true, readStdin: () => 'from-stdin\n' })).toBe('from-stdin');
    expect(resolveAdminToken({ ...none, env: { SOZIALMONITOR_ADMIN_TOKEN: 'from-env' }, demo: () => 'demo' })).toBe('from-env');
    expect(resolveAdminToken({ ...none, demo: () => 'demo' })).toBe('demo');
  });

  it('says where a token may come from when there is none, and names an unreadable file', () => {
    expect(() => resolveAdminToken(none)).toThrow(/no admin token: set SOZIALMONITOR_ADMIN_TOKEN/);
    expect(() => resolveAdminToken({ ...none, tokenFile: '/nonexistent/token' })).toThrow(
      '--token-file /nonexistent/token cannot be read (ENOENT)',
    );
  });
});
