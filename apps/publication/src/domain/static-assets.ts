/** Media types of the files the dashboard build produces. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The file an asset request names, or null: a single file name of letters, digits, `.`, `_` and `-` with a
 * known extension (no directories, no `..`, nothing outside the build folder can be named).
 */
export function assetFile(name: string): { name: string; type: string } | null {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,150}$/.test(name) || name.includes('..')) return null;
  const ext = name.slice(name.lastIndexOf('.'));
  const type = TYPES[ext];
  return type ? { name, type } : null;
}

/**
 * The dashboard's Content-Security-Policy: every script, style, image, font and request from the service
 * itself (no CDN, no map tiles, no other host). ECharts sets inline styles on its elements.
 */
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
