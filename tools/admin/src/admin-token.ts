import { readFileSync } from 'node:fs';

/** Where the admin CLI may take its token from. Never the command line: arguments are visible in `ps`. */
export interface TokenSources {
  /** `--token-file <path>`: the first line of the file (a Docker/Kubernetes secret, a 0600 file). */
  tokenFile?: string;
  /** `--token-stdin`: the first line of standard input (`pass show sm/admin | npm run admin -- --token-stdin …`). */
  tokenStdin?: boolean;
  /** `--token <value>`: refused (issue 11, hole 7), with a message naming the alternatives. */
  token?: string;
  env: NodeJS.ProcessEnv;
  readStdin: () => string;
  /** The demo admin token of a local stack, when there is one. */
  demo: () => string | undefined;
}

const firstLine = (text: string) => text.split(/\r?\n/, 1)[0].trim();

/** The admin token: --token-file, --token-stdin, $SOZIALMONITOR_ADMIN_TOKEN, or the local demo token. */
export function resolveAdminToken(sources: TokenSources): string {
  if (sources.token !== undefined)
    throw new Error(
      '--token is not accepted (a command line is visible to every user in ps): set SOZIALMONITOR_ADMIN_TOKEN, or use --token-file <path> or --token-stdin',
    );
  let token: string | undefined;
  if (sources.tokenFile !== undefined) {
    try {
      token = firstLine(readFileSync(sources.tokenFile, 'utf8'));
    } catch (e) {
      throw new Error(`--token-file ${sources.tokenFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else if (sources.tokenStdin) token = firstLine(sources.readStdin());
  else token = sources.env.SOZIALMONITOR_ADMIN_TOKEN || sources.demo();
  if (!token)
    throw new Error('no admin token: set SOZIALMONITOR_ADMIN_TOKEN, or use --token-file <path> or --token-stdin');
  return token;
}
