import { strFromU8, unzipSync } from 'fflate';
import { zipFiles } from './bulk-export';
import { assetFile, DASHBOARD_CSP } from './static-assets';

describe('dashboard assets', () => {
  it('names only single files of the build with a known type', () => {
    expect(assetFile('index-CJtXyvv0.js')).toEqual({
      name: 'index-CJtXyvv0.js',
      type: 'text/javascript; charset=utf-8',
    });
    expect(assetFile('index-CoEVaDfm.css')?.type).toBe('text/css; charset=utf-8');
    for (const bad of ['../index.html', '..%2Fsecret.js', '.env', 'a/b.js', 'x.exe', '', 'a..js', 'C:\\x.js'])
      expect(assetFile(bad)).toBeNull();
  });

  it('allows nothing from another host', () => {
    expect(DASHBOARD_CSP).toContain("default-src 'self'");
    expect(DASHBOARD_CSP).toContain("connect-src 'self'");
    expect(DASHBOARD_CSP).not.toMatch(/https?:/);
  });
});

describe('bulk ZIP', () => {
  it('holds the files as given, and the same files give the same bytes (a stable ETag)', () => {
    const files = [
      { path: 'values/a.csv', text: 'x,y\r\n1,ä\r\n' },
      { path: 'metadata.json', text: '{"a":1}' },
    ];
    const zip = zipFiles(files);
    expect(Buffer.from(zipFiles(files)).equals(Buffer.from(zip))).toBe(true);
    const back = unzipSync(zip);
    expect(strFromU8(back['values/a.csv'])).toBe('x,y\r\n1,ä\r\n');
    expect(strFromU8(back['metadata.json'])).toBe('{"a":1}');
  });
});
